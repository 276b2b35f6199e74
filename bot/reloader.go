package bot

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/fsnotify/fsnotify"
)

// Defaults of the settings that fill ReloaderOptions.
const (
	// DefaultRescan is the rescan interval --rescan defaults to.
	DefaultRescan = 30 * time.Second
	// DefaultSettle: a file written within the last second is still being
	// written.
	DefaultSettle = time.Second
	// DefaultLoadTimeout bounds a load (--load-timeout): ten times the
	// build of the largest folder worth reloading (docs/scaling.md).
	DefaultLoadTimeout = 2 * time.Minute
	// slowLoad is when a load in progress starts to show in /readyz.
	slowLoad = 10 * time.Second
)

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
	// Settle is how long a matching file must have gone unmodified before it
	// is loaded: a file changed more recently is still being written (a slow
	// copy), and the load waits until it settles. 0 means no wait;
	// DefaultSettle is a sensible value.
	Settle time.Duration
	// LoadTimeout bounds one load: past it the attempt fails (the previous
	// version keeps serving) and /readyz says the load is stuck. A load
	// blocked in the kernel cannot be interrupted, so until it returns no
	// other starts. 0 means no deadline.
	LoadTimeout time.Duration
	// Now is the clock the settle time is measured with; nil means
	// time.Now.
	Now func() time.Time
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

	// watching, when set (tests), is called once Run watches the folder;
	// waiting, when a load waits for a file to settle.
	watching func()
	waiting  func(file string)

	mu      sync.Mutex
	fp      string
	lastErr error
	lastAt  time.Time
	// loading is when the load in progress started (zero: none); stuck is
	// set when it outlived LoadTimeout and was abandoned, and holds until it
	// returns.
	loading time.Time
	stuck   bool
}

// notSettled postpones a load: file changed too recently.
type notSettled struct {
	file string
	wait time.Duration
}

func (e *notSettled) Error() string {
	return fmt.Sprintf("%s changed less than a moment ago (still being written?): waiting %s for it to settle", e.file, e.wait.Round(time.Millisecond))
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
	if opts.Now == nil {
		opts.Now = time.Now
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
// whose failure should be fatal. A file still being written is waited for
// (logged once). The fingerprint is taken before loading, so a change made
// during the load is picked up by Run.
func (r *Reloader) LoadNow(ctx context.Context) error {
	logged := false
	for {
		err := r.load(ctx, "start", false)
		var ns *notSettled
		if !errors.As(err, &ns) {
			return err
		}
		if !logged {
			r.log.Info("waiting for a file being written", "file", ns.file, "wait", ns.wait)
			logged = true
		}
		t := time.NewTimer(ns.wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return fmt.Errorf("reload %s: %w", r.opts.Name, ctx.Err())
		case <-t.C:
		}
	}
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

// Check is /readyz detail (Server.AddWarning): a load stuck past its
// deadline or slow, else the last failure, if the last attempt failed.
func (r *Reloader) Check() error {
	r.mu.Lock()
	defer r.mu.Unlock()
	now := r.opts.Now()
	switch {
	case r.stuck:
		return fmt.Errorf("a load started at %s has run for %s, past its %s deadline (a file that cannot be read?); no other load starts until it returns, previous version still serving",
			r.loading.UTC().Format(time.RFC3339), now.Sub(r.loading).Round(time.Second), r.opts.LoadTimeout)
	case !r.loading.IsZero() && now.Sub(r.loading) >= slowLoad:
		return fmt.Errorf("loading since %s (%s so far), previous version serving meanwhile", r.loading.UTC().Format(time.RFC3339), now.Sub(r.loading).Round(time.Second))
	case r.lastErr != nil:
		return fmt.Errorf("last reload failed at %s, previous version still serving: %w", r.lastAt.UTC().Format(time.RFC3339), r.lastErr)
	}
	return nil
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
	// A file written between the first load and the watch starting made
	// no event: compare the folder with what was loaded once, now that
	// events will be seen.
	r.postpone(debounce, r.reloadIfChanged(ctx, "rescan"))
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
			r.postpone(debounce, r.load(ctx, "event", false))
		case <-tick:
			if w != nil {
				// The folder may have been removed and made again, which
				// ends its watch; adding it again is harmless otherwise.
				_ = w.Add(r.opts.Dir)
			}
			r.postpone(debounce, r.reloadIfChanged(ctx, "rescan"))
		case <-r.trigger:
			r.postpone(debounce, r.reloadIfChanged(ctx, "manual"))
		}
	}
}

// postpone sets the debounce timer to try again when a load waits for a
// file to settle. The wait is logged at debug level only: a copy in
// progress is normal.
func (r *Reloader) postpone(debounce *time.Timer, err error) {
	var ns *notSettled
	if errors.As(err, &ns) {
		r.log.Debug("waiting for a file being written", "file", ns.file, "wait", ns.wait)
		debounce.Reset(ns.wait)
		if r.waiting != nil {
			r.waiting(ns.file)
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

func (r *Reloader) reloadIfChanged(ctx context.Context, trigger string) error {
	return r.load(ctx, trigger, true)
}

// load loads unless a file is still settling (a *notSettled error, nothing
// recorded) or, with onlyIfChanged, the fingerprint is the last one's.
func (r *Reloader) load(ctx context.Context, trigger string, onlyIfChanged bool) error {
	fp, youngest, newest := r.fingerprint()
	r.mu.Lock()
	same := fp == r.fp
	stuck := r.stuck
	r.mu.Unlock()
	if onlyIfChanged && same {
		return nil
	}
	if age := r.opts.Now().Sub(newest); r.opts.Settle > 0 && youngest != "" && age < r.opts.Settle && age > -r.opts.Settle {
		return &notSettled{file: youngest, wait: r.opts.Settle - max(age, 0)}
	}
	if stuck {
		// Starting another would only pile up readers blocked on the same
		// file; the stuck one triggers a rescan when it returns.
		r.log.Debug("reload skipped: a stuck load has not returned", "trigger", trigger)
		return nil
	}
	return r.attempt(ctx, trigger, fp)
}

// attempt runs Load within LoadTimeout and records the outcome.
func (r *Reloader) attempt(ctx context.Context, trigger, fp string) error {
	start := r.opts.Now()
	lctx, cancel := ctx, context.CancelFunc(func() {})
	if r.opts.LoadTimeout > 0 {
		lctx, cancel = context.WithTimeout(ctx, r.opts.LoadTimeout)
	}
	done := make(chan error, 1)
	r.mu.Lock()
	r.loading = start
	r.mu.Unlock()
	// Cancelled when attempt returns, not when the load does: the load's
	// own return closing lctx would make both cases below ready, and a
	// load that failed fast could be reported as one that never finished.
	defer cancel()
	go func() {
		done <- r.opts.Load(lctx)
	}()
	var err error
	select {
	case err = <-done:
		r.mu.Lock()
		r.loading = time.Time{}
		r.mu.Unlock()
	case <-lctx.Done():
		// The load may be blocked where no context reaches (a read from a
		// hung network file system): stop waiting for it, and let no other
		// load start until it returns.
		err = lctx.Err()
		if ctx.Err() == nil {
			err = fmt.Errorf("did not finish within %s (stuck reading a file?): %w", r.opts.LoadTimeout, err)
		}
		r.mu.Lock()
		r.stuck = true
		r.mu.Unlock()
		go r.awaitStuck(ctx, done, start)
	}
	if ctx.Err() != nil {
		// Shutting down: not a failure of the folder.
		return fmt.Errorf("reload %s: %w", r.opts.Name, ctx.Err())
	}
	if err != nil {
		err = fmt.Errorf("reload %s: %w", r.opts.Name, err)
	}
	r.mu.Lock()
	// A failed version's fingerprint is kept too: the rescan should not
	// rebuild the same broken folder every interval; the next change will.
	r.fp, r.lastErr, r.lastAt = fp, err, r.opts.Now()
	r.mu.Unlock()
	if r.opts.Metrics != nil && trigger != "start" {
		r.opts.Metrics.ObserveReload(r.opts.Name, err)
	}
	switch {
	case err != nil && trigger == "start":
		r.log.Error("load failed", "err", err)
	case err != nil:
		r.log.Error("reload failed, keeping the previous version", "trigger", trigger, "err", err)
	default:
		r.log.Info("reloaded", "trigger", trigger, "duration", time.Since(start))
	}
	if r.opts.OnResult != nil {
		r.opts.OnResult(ReloadResult{Name: r.opts.Name, Trigger: trigger, Fingerprint: fp, Err: err, At: r.opts.Now()})
	}
	return err
}

// awaitStuck waits for an abandoned load to return, then lets loads start
// again and rescans, since changes made meanwhile were not loaded.
func (r *Reloader) awaitStuck(ctx context.Context, done <-chan error, start time.Time) {
	var err error
	select {
	case err = <-done:
	case <-ctx.Done():
		return // shutting down: nobody waits for it
	}
	r.mu.Lock()
	r.stuck, r.loading = false, time.Time{}
	r.fp = "" // whatever it read, load the folder as it is now
	r.mu.Unlock()
	r.log.Warn("a stuck load returned", "after", time.Since(start).Round(time.Millisecond), "err", err)
	r.Trigger()
}

// fingerprint summarises the matching files: names, sizes and modification
// times, and the type of anything that is not a regular file (a pipe
// dropped in must fail a rescan too, not go unnoticed). It also returns the
// most recently modified file and its time, for the settle check. Reading
// the folder failing is a fingerprint of its own, so the error is reported
// once, not every rescan.
func (r *Reloader) fingerprint() (fp, newestName string, newest time.Time) {
	entries, err := os.ReadDir(r.opts.Dir)
	if err != nil {
		return "error: " + err.Error(), "", time.Time{}
	}
	var lines []string
	for _, e := range entries {
		if !r.opts.Match(e.Name()) {
			continue
		}
		// Stat follows symlinks (ConfigMap files are links into ..data);
		// it reads no file, wherever a link leads.
		info, err := os.Stat(filepath.Join(r.opts.Dir, e.Name()))
		if err != nil {
			lines = append(lines, e.Name()+" error")
			continue
		}
		if t := info.Mode().Type(); t != 0 {
			lines = append(lines, fmt.Sprintf("%s %v", e.Name(), t))
			continue
		}
		if mt := info.ModTime(); mt.After(newest) {
			newest, newestName = mt, e.Name()
		}
		lines = append(lines, fmt.Sprintf("%s %d %d", e.Name(), info.Size(), info.ModTime().UnixNano()))
	}
	sort.Strings(lines)
	h := sha256.New()
	for _, l := range lines {
		h.Write([]byte(l))
		h.Write([]byte{'\n'})
	}
	return hex.EncodeToString(h.Sum(nil))[:16], newestName, newest
}
