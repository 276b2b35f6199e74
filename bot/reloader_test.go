package bot

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
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
	// the whole file at once.
	tmp := filepath.Join(filepath.Dir(path), ".tmp-"+filepath.Base(path))
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
