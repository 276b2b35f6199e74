package bot

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/parley-bot/parley"
	"github.com/prometheus/client_golang/prometheus/testutil"
)

// buildFolder is a fake index build: every .txt file is an article; a file
// containing BROKEN fails the build, naming the file.
func buildFolder(dir string) func(context.Context) (Engine, error) {
	return func(context.Context) (Engine, error) {
		names, err := filepath.Glob(filepath.Join(dir, "*.txt"))
		if err != nil {
			return Engine{}, err
		}
		sort.Strings(names)
		texts := map[string]string{}
		for _, n := range names {
			b, err := os.ReadFile(n)
			if err != nil {
				return Engine{}, err
			}
			if strings.Contains(string(b), "BROKEN") {
				return Engine{}, fmt.Errorf("%s: not an article", filepath.Base(n))
			}
			texts[filepath.Base(n)] = string(b)
		}
		return Engine{
			Answerer: parley.AnswerFunc(func(ctx context.Context, req parley.Request) (*parley.Answer, error) {
				ans := &parley.Answer{Command: req.Command, Query: req.Query}
				for _, n := range names {
					if strings.Contains(strings.ToLower(texts[filepath.Base(n)]), strings.ToLower(req.Query)) {
						ans.Covered = true
						ans.Citations = append(ans.Citations, parley.Citation{Article: filepath.Base(n)})
					}
				}
				return ans, nil
			}),
			Articles:  len(names),
			Sentences: len(names) * 3,
		}, nil
	}
}

func writeFile(t *testing.T, path, text string) {
	t.Helper()
	// Write then rename, as editors and deploy tools do, so the watcher sees
	// the whole file at once. The temporary name is no article's: a reload
	// between the write and the rename read ".tmp-x.txt" as one (its glob
	// and Match take any name ending in .txt), so the old and the new text
	// were answered at once now and then.
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(tmp, path); err != nil {
		t.Fatal(err)
	}
}

// waitFor returns the first result satisfying ok, failing after a deadline
// (a guard against hanging, not a timing assumption).
func waitFor(t *testing.T, results <-chan ReloadResult, what string, ok func(ReloadResult) bool) ReloadResult {
	t.Helper()
	deadline := time.After(20 * time.Second)
	for {
		select {
		case r := <-results:
			if ok(r) {
				return r
			}
		case <-deadline:
			t.Fatalf("no reload result: %s", what)
		}
	}
}

type reloadFixture struct {
	dir     string
	lib     *Library
	r       *Reloader
	results chan ReloadResult
	metrics *Metrics
}

func startReloader(t *testing.T, rescan time.Duration) *reloadFixture {
	t.Helper()
	f := &reloadFixture{dir: t.TempDir(), metrics: NewMetrics(), results: make(chan ReloadResult, 64)}
	writeFile(t, filepath.Join(f.dir, "000_paris.txt"), "Leaders met in Paris. France and Britain will lead.")
	f.lib = NewLibrary(f.metrics, nil)
	r, err := NewReloader(ReloaderOptions{
		Dir:      f.dir,
		Match:    func(n string) bool { return strings.HasSuffix(n, ".txt") || n == "articles.json" },
		Load:     f.lib.Loader(buildFolder(f.dir)),
		Debounce: time.Millisecond,
		Rescan:   rescan,
		Metrics:  f.metrics,
		OnResult: func(res ReloadResult) { f.results <- res },
	})
	if err != nil {
		t.Fatal(err)
	}
	f.r = r
	if err := r.LoadNow(t.Context()); err != nil {
		t.Fatal(err)
	}
	<-f.results
	watching := make(chan struct{})
	r.watching = func() { close(watching) }
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error, 1)
	go func() { done <- r.Run(ctx) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("Run = %v", err)
		}
	})
	<-watching
	return f
}

func (f *reloadFixture) covered(t *testing.T, q string) bool {
	t.Helper()
	ans, err := f.lib.Answer(t.Context(), parley.Request{Command: "what", Query: q})
	if err != nil {
		t.Fatal(err)
	}
	return ans.Covered
}

func TestReloadAddChangeRemove(t *testing.T) {
	f := startReloader(t, -1)
	if f.covered(t, "Norway") {
		t.Fatal("Norway covered before its article exists")
	}
	path := filepath.Join(f.dir, "001_oslo.txt")
	writeFile(t, path, "Norway pledged support.")
	waitFor(t, f.results, "article added", func(ReloadResult) bool { return f.covered(t, "Norway") })
	if a, _ := f.lib.Stats(); a != 2 {
		t.Errorf("articles = %d, want 2", a)
	}
	if got := testutil.ToFloat64(f.metrics.articles); got != 2 {
		t.Errorf("articles gauge = %v, want 2", got)
	}

	writeFile(t, path, "Denmark pledged support.")
	waitFor(t, f.results, "article changed", func(ReloadResult) bool { return f.covered(t, "Denmark") })
	if f.covered(t, "Norway") {
		t.Error("old text still answered after the change")
	}

	if err := os.Remove(path); err != nil {
		t.Fatal(err)
	}
	waitFor(t, f.results, "article removed", func(ReloadResult) bool { return !f.covered(t, "Denmark") })

	// Files that do not match are ignored: no reload, so the count of
	// reloads stays.
	before := testutil.ToFloat64(f.metrics.reloads.WithLabelValues("articles"))
	writeFile(t, filepath.Join(f.dir, "notes.md"), "Finland")
	writeFile(t, filepath.Join(f.dir, "002_rome.txt"), "Italy attended.")
	r := waitFor(t, f.results, "after ignored file", func(ReloadResult) bool { return f.covered(t, "Italy") })
	if r.Err != nil {
		t.Fatal(r.Err)
	}
	if f.covered(t, "Finland") {
		t.Error("a non-article file was loaded")
	}
	if after := testutil.ToFloat64(f.metrics.reloads.WithLabelValues("articles")); after <= before {
		t.Errorf("reloads counter %v -> %v, want an increase", before, after)
	}
}

func TestReloadBrokenKeepsOld(t *testing.T) {
	f := startReloader(t, -1)
	writeFile(t, filepath.Join(f.dir, "003_bad.txt"), "Sweden BROKEN")
	res := waitFor(t, f.results, "broken article", func(r ReloadResult) bool { return r.Err != nil })
	if !strings.Contains(res.Err.Error(), "003_bad.txt") {
		t.Errorf("error %q does not name the file", res.Err)
	}
	if !f.covered(t, "Paris") || f.covered(t, "Sweden") {
		t.Error("the previous index is not the one serving after a failed reload")
	}
	if err := f.r.Check(); err == nil || !strings.Contains(err.Error(), "003_bad.txt") || !strings.Contains(err.Error(), "previous version still serving") {
		t.Errorf("Check = %v, want the failure for /readyz detail", err)
	}
	if got := testutil.ToFloat64(f.metrics.reloadFailures.WithLabelValues("articles")); got < 1 {
		t.Errorf("reload failures = %v, want ≥ 1", got)
	}
	writeFile(t, filepath.Join(f.dir, "003_bad.txt"), "Sweden joined.")
	waitFor(t, f.results, "fixed article", func(r ReloadResult) bool { return r.Err == nil && f.covered(t, "Sweden") })
	if err := f.r.Check(); err != nil {
		t.Errorf("Check after a good reload = %v", err)
	}
	if f.r.LastError() != nil {
		t.Errorf("LastError = %v", f.r.LastError())
	}
}

// The rescan (here triggered by hand) reloads only when the fingerprint
// changed. Run is not started: reloadIfChanged is called directly.
func TestRescanFingerprint(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "a.txt"), "one")
	loads := 0
	r, err := NewReloader(ReloaderOptions{Dir: dir, Load: func(context.Context) error { loads++; return nil }})
	if err != nil {
		t.Fatal(err)
	}
	if err := r.LoadNow(t.Context()); err != nil {
		t.Fatal(err)
	}
	steps := []struct {
		name   string
		change func()
		reload bool
	}{
		{"nothing changed", func() {}, false},
		{"new file", func() { writeFile(t, filepath.Join(dir, "b.txt"), "two") }, true},
		{"hidden file", func() { writeFile(t, filepath.Join(dir, ".swp"), "x") }, false},
		{"size changed", func() { writeFile(t, filepath.Join(dir, "b.txt"), "three") }, true},
		{"mod time changed", func() {
			mt := time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)
			os.Chtimes(filepath.Join(dir, "a.txt"), mt, mt)
		}, true},
		{"removed", func() { os.Remove(filepath.Join(dir, "a.txt")) }, true},
		{"still nothing", func() {}, false},
	}
	for _, s := range steps {
		before := loads
		s.change()
		r.reloadIfChanged(t.Context(), "manual")
		if got := loads > before; got != s.reload {
			t.Errorf("%s: reloaded = %v, want %v", s.name, got, s.reload)
		}
	}
}

func TestReloadTriggerRescan(t *testing.T) {
	f := startReloader(t, time.Hour)
	writeFile(t, filepath.Join(f.dir, "004_kyiv.txt"), "Ukraine welcomed the plan.")
	f.r.Trigger()
	waitFor(t, f.results, "manual rescan", func(ReloadResult) bool { return f.covered(t, "Ukraine") })
}

func TestReloaderOptions(t *testing.T) {
	if _, err := NewReloader(ReloaderOptions{Dir: "x"}); err == nil {
		t.Error("no Load: want error")
	}
	if _, err := NewReloader(ReloaderOptions{Load: func(context.Context) error { return nil }}); err == nil {
		t.Error("no Dir: want error")
	}
}

func TestReloadMissingFolder(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "gone")
	r, err := NewReloader(ReloaderOptions{Dir: dir, Load: func(context.Context) error {
		_, err := os.ReadDir(dir)
		return err
	}})
	if err != nil {
		t.Fatal(err)
	}
	if err := r.LoadNow(t.Context()); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("LoadNow = %v, want not exist", err)
	}
}

func TestDebounceDelay(t *testing.T) {
	tests := []struct {
		debounce, waited, want time.Duration
	}{
		{250 * time.Millisecond, 0, 250 * time.Millisecond},
		{250 * time.Millisecond, 4 * time.Second, 250 * time.Millisecond},
		{250 * time.Millisecond, 4900 * time.Millisecond, 100 * time.Millisecond},
		{250 * time.Millisecond, 5 * time.Second, 0},
		{250 * time.Millisecond, time.Minute, 0},
		// A debounce longer than the bound is honoured once.
		{10 * time.Second, 0, 10 * time.Second},
		{10 * time.Second, 10 * time.Second, 0},
	}
	for _, tc := range tests {
		if got := debounceDelay(tc.debounce, tc.waited); got != tc.want {
			t.Errorf("debounceDelay(%v, %v) = %v, want %v", tc.debounce, tc.waited, got, tc.want)
		}
	}
}

// clock is a settable clock for the settle time and /readyz detail.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// touch sets a file's modification time, as a write at that time would.
func touch(t *testing.T, path string, at time.Time) {
	t.Helper()
	if err := os.Chtimes(path, at, at); err != nil {
		t.Fatal(err)
	}
}

// A half-written article (a slow copy) is never served: the load waits
// until the file has not changed for the settle time.
func TestReloadWaitsForAFileBeingWritten(t *testing.T) {
	dir := t.TempDir()
	clk := &clock{now: time.Now()}
	paris := filepath.Join(dir, "000_paris.txt")
	writeFile(t, paris, "Leaders met in Paris.")
	touch(t, paris, clk.Now().Add(-time.Hour))
	lib := NewLibrary(nil, nil)
	results := make(chan ReloadResult, 16)
	r, err := NewReloader(ReloaderOptions{
		Dir: dir, Load: lib.Loader(buildFolder(dir)), Debounce: time.Millisecond, Settle: time.Second,
		Now: clk.Now, OnResult: func(res ReloadResult) { results <- res },
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := r.LoadNow(t.Context()); err != nil {
		t.Fatal(err)
	}
	<-results
	waiting := make(chan string, 64)
	r.waiting = func(file string) { waiting <- file }
	watching := make(chan struct{})
	r.watching = func() { close(watching) }
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error, 1)
	go func() { done <- r.Run(ctx) }()
	defer func() { cancel(); <-done }()
	<-watching

	// The first half of a copy: the file changed "now".
	oslo := filepath.Join(dir, "001_oslo.txt")
	if err := os.WriteFile(oslo, []byte("Norway pledged"), 0o644); err != nil {
		t.Fatal(err)
	}
	touch(t, oslo, clk.Now())
	select {
	case f := <-waiting:
		if f != "001_oslo.txt" {
			t.Errorf("waiting for %s", f)
		}
	case r := <-results:
		t.Fatalf("loaded a file still being written: %+v", r)
	case <-time.After(20 * time.Second):
		t.Fatal("no wait for the file being written")
	}
	if lib.Generation() != 1 {
		t.Fatalf("generation %d: the half-written file was swapped in", lib.Generation())
	}

	// The copy finishes; a second later the whole article is loaded.
	if err := os.WriteFile(oslo, []byte("Norway pledged support to the monitoring mission."), 0o644); err != nil {
		t.Fatal(err)
	}
	touch(t, oslo, clk.Now())
	clk.Add(1500 * time.Millisecond)
	res := waitFor(t, results, "settled file", func(ReloadResult) bool { return true })
	if res.Err != nil {
		t.Fatal(res.Err)
	}
	ans, _ := lib.Answer(t.Context(), parley.Request{Command: "what", Query: "monitoring mission"})
	if !ans.Covered {
		t.Error("the finished article is not answered")
	}
	if lib.Generation() != 2 {
		t.Errorf("generation %d, want 2: one load, of the finished file", lib.Generation())
	}
}

// At start-up too, a file being written is waited for, not half loaded.
func TestLoadNowWaitsForAFileBeingWritten(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "a.txt")
	writeFile(t, path, "Norway pledged support.")
	start := time.Now()
	touch(t, path, start)
	clk := &clock{now: start}
	loads := 0
	r, err := NewReloader(ReloaderOptions{Dir: dir, Settle: 50 * time.Millisecond, Now: func() time.Time {
		// Time passes only as the reloader waits.
		clk.Add(10 * time.Millisecond)
		return clk.Now()
	}, Load: func(context.Context) error { loads++; return nil }})
	if err != nil {
		t.Fatal(err)
	}
	if err := r.LoadNow(t.Context()); err != nil {
		t.Fatal(err)
	}
	if loads != 1 || clk.Now().Sub(start) < 50*time.Millisecond {
		t.Errorf("%d loads after %s: want one, once the file settled", loads, clk.Now().Sub(start))
	}
}

// blockingLoad is a load that blocks (a read from a hung file system or a
// pipe) until released, counting its calls.
type blockingLoad struct {
	mu      sync.Mutex
	calls   int
	release chan struct{}
	started chan struct{}
}

func newBlockingLoad() *blockingLoad {
	return &blockingLoad{release: make(chan struct{}), started: make(chan struct{}, 16)}
}

func (b *blockingLoad) Load(context.Context) error {
	b.mu.Lock()
	b.calls++
	b.mu.Unlock()
	b.started <- struct{}{}
	<-b.release // ignores its context, as a blocked read would
	return nil
}

func (b *blockingLoad) Calls() int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.calls
}

// A load stuck past its deadline fails the reload, shows in /readyz, and
// starts no second reader until it returns; then the folder is rescanned.
func TestReloadStuckLoad(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "a.txt"), "one")
	bl := newBlockingLoad()
	results := make(chan ReloadResult, 16)
	r, err := NewReloader(ReloaderOptions{Dir: dir, LoadTimeout: 50 * time.Millisecond, Load: bl.Load,
		OnResult: func(res ReloadResult) { results <- res }})
	if err != nil {
		t.Fatal(err)
	}
	err = r.reloadIfChanged(t.Context(), "manual")
	if err == nil || !strings.Contains(err.Error(), "did not finish within 50ms") {
		t.Fatalf("stuck load: err = %v", err)
	}
	if res := <-results; res.Err == nil {
		t.Errorf("stuck load reported as %+v", res)
	}
	if c := r.Check(); c == nil || !strings.Contains(c.Error(), "past its 50ms deadline") {
		t.Errorf("Check = %v, want the stuck load for /readyz", c)
	}
	writeFile(t, filepath.Join(dir, "b.txt"), "two")
	r.reloadIfChanged(t.Context(), "manual")
	if n := bl.Calls(); n != 1 {
		t.Errorf("%d loads started while one is stuck, want 1", n)
	}

	// It returns: loads start again, beginning with a rescan.
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error, 1)
	go func() { done <- r.Run(ctx) }()
	close(bl.release)
	res := waitFor(t, results, "rescan after the stuck load", func(ReloadResult) bool { return true })
	if res.Err != nil || bl.Calls() != 2 {
		t.Errorf("after the stuck load: %+v, %d loads", res, bl.Calls())
	}
	if c := r.Check(); c != nil {
		t.Errorf("Check = %v after a good load", c)
	}
	cancel()
	<-done
}

// A load that fails at once is reported with its own error, never as one
// that did not finish: its return used to cancel the deadline's context,
// and the two were then equally ready.
func TestReloadFastFailureIsNotStuck(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "a.txt"), "one")
	bad := errors.New("article huge.txt is over the limit")
	r, err := NewReloader(ReloaderOptions{Dir: dir, LoadTimeout: time.Minute,
		Load: func(context.Context) error { return bad }})
	if err != nil {
		t.Fatal(err)
	}
	for i := range 300 {
		writeFile(t, filepath.Join(dir, "a.txt"), strings.Repeat("x", i+1))
		r.fp = ""
		if err := r.reloadIfChanged(t.Context(), "manual"); !errors.Is(err, bad) {
			t.Fatalf("attempt %d: err = %v, want the load's own error", i, err)
		}
		if c := r.Check(); c != nil && strings.Contains(c.Error(), "deadline") {
			t.Fatalf("attempt %d: Check = %v", i, c)
		}
	}
}

// A file added after the first load but before the watch starts made no
// event; with no periodic rescan it was never loaded.
func TestRunLoadsWhatChangedBeforeTheWatch(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "a.txt"), "one")
	var mu sync.Mutex
	loads := 0
	results := make(chan ReloadResult, 16)
	r, err := NewReloader(ReloaderOptions{Dir: dir, Rescan: 0,
		Load: func(context.Context) error {
			mu.Lock()
			loads++
			mu.Unlock()
			return nil
		},
		OnResult: func(res ReloadResult) { results <- res }})
	if err != nil {
		t.Fatal(err)
	}
	if err := r.LoadNow(t.Context()); err != nil {
		t.Fatal(err)
	}
	<-results
	writeFile(t, filepath.Join(dir, "b.txt"), "two")
	old := time.Now().Add(-time.Minute) // settled
	os.Chtimes(filepath.Join(dir, "b.txt"), old, old)
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error, 1)
	go func() { done <- r.Run(ctx) }()
	waitFor(t, results, "b.txt, written before the watch", func(ReloadResult) bool { return true })
	cancel()
	<-done
	mu.Lock()
	defer mu.Unlock()
	if loads != 2 {
		t.Errorf("%d loads, want 2", loads)
	}
}

// A slow load shows in /readyz while it runs.
func TestReloadSlowLoadShows(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "a.txt"), "one")
	clk := &clock{now: time.Now()}
	bl := newBlockingLoad()
	r, err := NewReloader(ReloaderOptions{Dir: dir, Load: bl.Load, Now: clk.Now})
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- r.reloadIfChanged(t.Context(), "manual") }()
	<-bl.started
	if c := r.Check(); c != nil {
		t.Errorf("Check = %v for a load just started", c)
	}
	clk.Add(42 * time.Second)
	if c := r.Check(); c == nil || !strings.Contains(c.Error(), "loading since") || !strings.Contains(c.Error(), "42s") {
		t.Errorf("Check = %v, want the slow load", c)
	}
	close(bl.release)
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if c := r.Check(); c != nil {
		t.Errorf("Check = %v after the load", c)
	}
}

// Shutting down never waits for a blocked load (SIGTERM used to).
func TestRunStopsDuringABlockedLoad(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "a.txt"), "one")
	bl := newBlockingLoad()
	defer close(bl.release)
	r, err := NewReloader(ReloaderOptions{Dir: dir, Load: bl.Load})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error, 1)
	go func() { done <- r.Run(ctx) }()
	r.Trigger()
	<-bl.started
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("Run = %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Run waited for the blocked load")
	}
}

// A pipe dropped into the folder changes the fingerprint, so a rescan
// tries (and fails, naming it) rather than ignoring it.
func TestFingerprintSeesIrregularFiles(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "a.txt"), "one")
	r, err := NewReloader(ReloaderOptions{Dir: dir, Load: func(context.Context) error { return nil }})
	if err != nil {
		t.Fatal(err)
	}
	before, _, _ := r.fingerprint()
	if err := syscall.Mkfifo(filepath.Join(dir, "pipe.txt"), 0o644); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
	if after, _, _ := r.fingerprint(); after == before {
		t.Error("a named pipe left the fingerprint unchanged")
	}
}
