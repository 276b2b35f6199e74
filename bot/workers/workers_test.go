package workers

import (
	"go/parser"
	"go/token"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// Every function runs, each once, however many arrive at once; none waits
// for another to end.
func TestEveryFunctionRunsWithoutWaiting(t *testing.T) {
	w := New(time.Minute)
	const n = 200
	release := make(chan struct{})
	var started, done sync.WaitGroup
	started.Add(n)
	done.Add(n)
	ran := make([]int, n)
	for i := range n {
		w.Go(func() {
			started.Done()
			<-release // all n are running at once
			ran[i]++
			done.Done()
		})
	}
	started.Wait()
	close(release)
	done.Wait()
	for i, r := range ran {
		if r != 1 {
			t.Fatalf("function %d ran %d times", i, r)
		}
	}
}

// A goroutine that finished its function takes the next one: one after
// the other, the functions share one goroutine.
func TestIdleGoroutineIsReused(t *testing.T) {
	w := New(time.Minute)
	before := runtime.NumGoroutine()
	for i := range 50 {
		done := make(chan struct{})
		f := func() { close(done) }
		if i == 0 {
			w.Go(f)
		} else if !handOver(w, f) {
			// The goroutine goes on to wait for the next function.
			t.Fatal("no goroutine waits for the next function")
		}
		<-done
	}
	if got := runtime.NumGoroutine() - before; got > 1 {
		t.Errorf("%d goroutines left for 50 functions run one after the other, want 1", got)
	}
}

// handOver gives f to a goroutine of w that waits for a function, waiting
// up to 5 s for one to wait; false when none did. (Go would start a new
// goroutine at once if the last one had not come back to wait yet: a
// probe run on it to see whether it waits leaves it busy for a moment
// after, and made this test fail now and then.)
func handOver(w *Workers, f func()) bool {
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); runtime.Gosched() {
		select {
		case w.jobs <- f:
			return true
		default:
		}
	}
	return false
}

// An idle goroutine ends after the idle time.
func TestIdleGoroutinesEnd(t *testing.T) {
	w := New(10 * time.Millisecond)
	before := runtime.NumGoroutine()
	var wg sync.WaitGroup
	for range 20 {
		wg.Add(1)
		w.Go(func() { wg.Done() })
	}
	wg.Wait()
	deadline := time.Now().Add(5 * time.Second)
	for runtime.NumGoroutine() > before && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	if n := runtime.NumGoroutine(); n > before {
		t.Errorf("%d goroutines still there after the idle time (%d before)", n, before)
	}
}

// The zero value runs functions as the go statement does.
func TestZeroValue(t *testing.T) {
	var w Workers
	done := make(chan struct{})
	w.Go(func() { close(done) })
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("the function did not run")
	}
}

// The front ends may import this package because it imports nothing but
// the standard library.
func TestImportsOnlyTheStandardLibrary(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(token.NewFileSet(), name, nil, parser.ImportsOnly)
		if err != nil {
			t.Fatal(err)
		}
		for _, imp := range f.Imports {
			p, _ := strconv.Unquote(imp.Path.Value)
			if strings.Contains(strings.SplitN(p, "/", 2)[0], ".") {
				t.Errorf("%s imports %s", name, p)
			}
		}
	}
}
