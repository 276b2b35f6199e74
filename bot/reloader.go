package bot

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/fsnotify/fsnotify"
)

// DefaultRescan is the rescan interval --rescan defaults to.
const DefaultRescan = 30 * time.Second

// ReloaderOptions configure a Reloader. Load is required; every zero value
// of the others is usable.
type ReloaderOptions struct {
	// Name says what is reloaded ("articles", "config"): the metric label and
	// the log key. "" means "articles".
	Name string
	// Dir is the folder watched (not recursively). For one file, give its
	// folder and a Match for its name.
	Dir string
	// Match selects the file names (base names) that matter; nil means every
	// file whose name does not start with ".". Kubernetes ConfigMap updates
	// (a "..data" symlink swapped) always count.
	Match func(name string) bool
	// Load builds and swaps in the new version (Library.Loader,
	// Channels.Loader). It runs on the Reloader's goroutine, one at a time; an
	// error keeps the previous version serving.
	Load func(ctx context.Context) error
	// Debounce waits for a burst of file events (an editor's save, a copy of
	// many articles) to settle before loading; 0 means 250ms.
	Debounce time.Duration
	// Rescan is the interval of the safety-net rescan that compares the
	// folder's fingerprint (names, sizes, modification times), for events
	// fsnotify misses (network file systems, a folder replaced whole). 0 or
	// negative disables it, as --rescan 0 does; DefaultRescan is a sensible
	// interval.
	Rescan time.Duration
	// Logger, Metrics: nil means none.
	Logger  *slog.Logger
	Metrics *Metrics
	// OnResult, when set, is called after every load attempt, on the
	// Reloader's goroutine. Tests wait on it instead of sleeping.
	OnResult func(ReloadResult)
}

// ReloadResult is the outcome of one load attempt.
type ReloadResult struct {
	Name string
	// Trigger is "start", "event", "rescan" or "manual".
	Trigger     string
	Fingerprint string
	Err         error
	At          time.Time
}

// Reloader watches a folder and reloads when what matters in it changes.
type Reloader struct {
	opts    ReloaderOptions
	log     *slog.Logger
	trigger chan struct{}

	// watching, when set (tests), is called once Run watches the folder.
	watching func()

	mu      sync.Mutex
	fp      string
	lastErr error
	lastAt  time.Time
}

// NewReloader checks the options; LoadNow and Run do the work.
func NewReloader(opts ReloaderOptions) (*Reloader, error) {
	if opts.Load == nil {
		return nil, errors.New("reloader: no Load func")
	}
	if opts.Dir == "" {
		return nil, errors.New("reloader: no folder to watch")
	}
	if opts.Name == "" {
		opts.Name = "articles"
	}
	if opts.Match == nil {
		opts.Match = func(name string) bool { return !strings.HasPrefix(name, ".") }
	}
	if opts.Debounce <= 0 {
		opts.Debounce = 250 * time.Millisecond
	}
	log := opts.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Reloader{
		opts:    opts,
		log:     log.With("component", "reloader", "what", opts.Name),
		trigger: make(chan struct{}, 1),
	}, nil
}

// LoadNow loads at once, on the caller's goroutine: the load at start-up,
// whose failure should be fatal. The fingerprint is taken before loading,
// so a change made during the load is picked up by Run.
func (r *Reloader) LoadNow(ctx context.Context) error {
	return r.load(ctx, "start", r.fingerprint())
}

// Trigger asks Run to rescan now (SIGHUP, tests); it never blocks.
func (r *Reloader) Trigger() {
	select {
	case r.trigger <- struct{}{}:
	default:
	}
}

// LastError returns the error of the last load attempt, nil after a success.
func (r *Reloader) LastError() error {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.lastErr
}

// Check is /readyz detail (Server.AddWarning): the last failure, if the last
// attempt failed.
func (r *Reloader) Check() error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.lastErr == nil {
		return nil
	}
	return fmt.Errorf("last reload failed at %s, previous version still serving: %w", r.lastAt.UTC().Format(time.RFC3339), r.lastErr)
}

// Run watches until ctx is cancelled and returns nil then. fsnotify failing
// to start (inotify limits) is logged, and the periodic rescan carries on.
func (r *Reloader) Run(ctx context.Context) error {
	var events <-chan fsnotify.Event
	var werrs <-chan error
	w, err := fsnotify.NewWatcher()
	if err != nil {
		r.log.Warn("file events unavailable, relying on rescan", "err", err)
	} else {
		defer w.Close()
		if err := w.Add(r.opts.Dir); err != nil {
			r.log.Warn("watching folder, relying on rescan", "dir", r.opts.Dir, "err", err)
		}
		events, werrs = w.Events, w.Errors
	}
	if r.watching != nil {
		r.watching()
	}
	var tick <-chan time.Time
	if r.opts.Rescan > 0 {
		t := time.NewTicker(r.opts.Rescan)
		defer t.Stop()
		tick = t.C
	}
	debounce := time.NewTimer(time.Hour)
	debounce.Stop()
	defer debounce.Stop()
	// pendingSince is when the first event not yet loaded arrived.
	var pendingSince time.Time
	for {
		select {
		case <-ctx.Done():
			return nil
		case ev, ok := <-events:
			if !ok {
				events = nil
				continue
			}
			if r.relevant(ev) {
				now := time.Now()
				if pendingSince.IsZero() {
					pendingSince = now
				}
				debounce.Reset(debounceDelay(r.opts.Debounce, now.Sub(pendingSince)))
			}
		case err, ok := <-werrs:
			if !ok {
				werrs = nil
				continue
			}
			r.log.Warn("file events", "err", err)
		case <-debounce.C:
			pendingSince = time.Time{}
			// An event is evidence enough: reload even when the fingerprint
			// looks the same (coarse modification times).
			r.load(ctx, "event", r.fingerprint())
		case <-tick:
			if w != nil {
				// The folder may have been removed and made again, which
				// ends its watch; adding it again is harmless otherwise.
				_ = w.Add(r.opts.Dir)
			}
			r.reloadIfChanged(ctx, "rescan")
		case <-r.trigger:
			r.reloadIfChanged(ctx, "manual")
		}
	}
}

// debounceDelay is how long to wait after an event, waiting already for
// waited: the debounce, but never past maxDebounceWait in all, so a folder
// that never stops changing (a sync tool writing constantly) still gets
// reloaded.
func debounceDelay(debounce, waited time.Duration) time.Duration {
	limit := max(maxDebounceWait, debounce)
	return max(min(debounce, limit-waited), 0)
}

// maxDebounceWait bounds how long events can keep postponing a reload.
const maxDebounceWait = 5 * time.Second

func (r *Reloader) relevant(ev fsnotify.Event) bool {
	if ev.Op == fsnotify.Chmod {
		return false
	}
	name := filepath.Base(ev.Name)
	return name == "..data" || r.opts.Match(name)
}

func (r *Reloader) reloadIfChanged(ctx context.Context, trigger string) {
	fp := r.fingerprint()
	r.mu.Lock()
	same := fp == r.fp
	r.mu.Unlock()
	if !same {
		r.load(ctx, trigger, fp)
	}
}

func (r *Reloader) load(ctx context.Context, trigger, fp string) error {
	start := time.Now()
	err := r.opts.Load(ctx)
	if err != nil {
		err = fmt.Errorf("reload %s: %w", r.opts.Name, err)
	}
	r.mu.Lock()
	// A failed version's fingerprint is kept too: the rescan should not
	// rebuild the same broken folder every interval; the next change will.
	r.fp, r.lastErr, r.lastAt = fp, err, time.Now()
	r.mu.Unlock()
	if r.opts.Metrics != nil && trigger != "start" {
		r.opts.Metrics.ObserveReload(r.opts.Name, err)
	}
	if err != nil {
		r.log.Error("reload failed, keeping the previous version", "trigger", trigger, "err", err)
	} else {
		r.log.Info("reloaded", "trigger", trigger, "duration", time.Since(start))
	}
	if r.opts.OnResult != nil {
		r.opts.OnResult(ReloadResult{Name: r.opts.Name, Trigger: trigger, Fingerprint: fp, Err: err, At: time.Now()})
	}
	return err
}

// fingerprint summarises the matching files: names, sizes and modification
// times. Reading the folder failing is a fingerprint of its own, so the
// error is reported once, not every rescan.
func (r *Reloader) fingerprint() string {
	entries, err := os.ReadDir(r.opts.Dir)
	if err != nil {
		return "error: " + err.Error()
	}
	var lines []string
	for _, e := range entries {
		if !r.opts.Match(e.Name()) {
			continue
		}
		// Stat follows symlinks (ConfigMap files are links into ..data).
		info, err := os.Stat(filepath.Join(r.opts.Dir, e.Name()))
		if err != nil {
			lines = append(lines, e.Name()+" error")
			continue
		}
		if info.Mode()&fs.ModeType != 0 {
			continue
		}
		lines = append(lines, fmt.Sprintf("%s %d %d", e.Name(), info.Size(), info.ModTime().UnixNano()))
	}
	sort.Strings(lines)
	h := sha256.New()
	for _, l := range lines {
		h.Write([]byte(l))
		h.Write([]byte{'\n'})
	}
	return hex.EncodeToString(h.Sum(nil))[:16]
}
