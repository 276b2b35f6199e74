package bot

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/parley-bot/parley"
)

func constEngine(lead string, closed *atomic.Int32) Engine {
	e := Engine{
		Answerer: parley.AnswerFunc(func(ctx context.Context, req parley.Request) (*parley.Answer, error) {
			return &parley.Answer{Lead: lead}, nil
		}),
		Completer: completeFunc(func(string) []parley.Choice { return []parley.Choice{{Name: lead, Value: lead}} }),
		Articles:  1, Sentences: 10,
	}
	if closed != nil {
		e.Close = func() error { closed.Add(1); return nil }
	}
	return e
}

type completeFunc func(typed string) []parley.Choice

func (f completeFunc) Complete(_ context.Context, _, typed string, _ int) []parley.Choice {
	return f(typed)
}

func TestLibraryNotLoaded(t *testing.T) {
	l := NewLibrary(nil, nil)
	if _, err := l.Answer(t.Context(), parley.Request{}); !errors.Is(err, ErrNotLoaded) {
		t.Errorf("Answer before load = %v, want ErrNotLoaded", err)
	}
	if l.Check() == nil || l.Loaded() {
		t.Error("Check passes before load")
	}
	if got := l.Complete(t.Context(), "who", "fr", 25); got != nil {
		t.Errorf("Complete before load = %v", got)
	}
}

func TestLibrarySwap(t *testing.T) {
	m := NewMetrics()
	l := NewLibrary(m, nil)
	var closedA atomic.Int32
	l.Set(constEngine("A", &closedA))
	if ans, _ := l.Answer(t.Context(), parley.Request{}); ans.Lead != "A" {
		t.Fatalf("lead %q, want A", ans.Lead)
	}
	b := constEngine("B", nil)
	b.Articles, b.Sentences = 7, 70
	l.Set(b)
	if ans, _ := l.Answer(t.Context(), parley.Request{}); ans.Lead != "B" {
		t.Errorf("after swap: lead %q, want B", ans.Lead)
	}
	if c := l.Complete(t.Context(), "who", "x", 25); len(c) != 1 || c[0].Name != "B" {
		t.Errorf("after swap: complete %v", c)
	}
	if a, s := l.Stats(); a != 7 || s != 70 {
		t.Errorf("Stats = %d, %d; want 7, 70", a, s)
	}
	if closedA.Load() != 1 {
		t.Errorf("replaced idle engine closed %d times, want 1", closedA.Load())
	}
	if l.Generation() != 2 {
		t.Errorf("generation %d, want 2", l.Generation())
	}
}

// An answer in flight finishes on the engine it started on, which is closed
// only afterwards.
func TestLibraryInFlightFinishesOnOld(t *testing.T) {
	l := NewLibrary(nil, nil)
	entered, release := make(chan struct{}), make(chan struct{})
	var closed atomic.Int32
	old := Engine{
		Answerer: parley.AnswerFunc(func(ctx context.Context, req parley.Request) (*parley.Answer, error) {
			close(entered)
			<-release
			if closed.Load() != 0 {
				return nil, errors.New("engine closed under an answer")
			}
			return &parley.Answer{Lead: "old"}, nil
		}),
		Close: func() error { closed.Add(1); return nil },
	}
	l.Set(old)
	type res struct {
		ans *parley.Answer
		err error
	}
	done := make(chan res, 1)
	go func() {
		a, err := l.Answer(t.Context(), parley.Request{})
		done <- res{a, err}
	}()
	<-entered
	l.Set(constEngine("new", nil))
	if ans, _ := l.Answer(t.Context(), parley.Request{}); ans.Lead != "new" {
		t.Errorf("new answer on %q", ans.Lead)
	}
	if closed.Load() != 0 {
		t.Fatal("old engine closed while an answer was in flight")
	}
	close(release)
	r := <-done
	if r.err != nil || r.ans.Lead != "old" {
		t.Errorf("in-flight answer = %v, %v; want old", r.ans, r.err)
	}
	if closed.Load() != 1 {
		t.Errorf("old engine closed %d times after its last answer, want 1", closed.Load())
	}
}

func TestLibraryConcurrentSwaps(t *testing.T) {
	l := NewLibrary(nil, nil)
	const gens = 200
	var closes [gens]atomic.Int32
	mk := func(i int) Engine {
		return Engine{
			Answerer: parley.AnswerFunc(func(ctx context.Context, req parley.Request) (*parley.Answer, error) {
				if closes[i].Load() != 0 {
					return nil, fmt.Errorf("engine %d used after close", i)
				}
				return &parley.Answer{}, nil
			}),
			Close: func() error { closes[i].Add(1); return nil },
		}
	}
	l.Set(mk(0))
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for range 8 {
		wg.Go(func() {
			for range 500 {
				if _, err := l.Answer(context.Background(), parley.Request{}); err != nil {
					errs <- err
					return
				}
			}
		})
	}
	for i := 1; i < gens; i++ {
		l.Set(mk(i))
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	for i := range gens - 1 {
		if n := closes[i].Load(); n != 1 {
			t.Errorf("engine %d closed %d times, want 1", i, n)
		}
	}
	if closes[gens-1].Load() != 0 {
		t.Error("the engine serving was closed")
	}
}

func TestLibraryLoader(t *testing.T) {
	l := NewLibrary(nil, nil)
	l.Set(constEngine("A", nil))
	load := l.Loader(func(context.Context) (Engine, error) { return Engine{}, errors.New("003.txt: empty") })
	if err := load(t.Context()); err == nil {
		t.Fatal("failed build: want error")
	}
	load = l.Loader(func(context.Context) (Engine, error) { return Engine{Articles: 1}, nil })
	if err := load(t.Context()); err == nil {
		t.Fatal("engine without answerer: want error")
	}
	if ans, _ := l.Answer(t.Context(), parley.Request{}); ans.Lead != "A" {
		t.Errorf("after failed loads: %q, want A still serving", ans.Lead)
	}
}

func BenchmarkLibraryAnswer(b *testing.B) {
	l := NewLibrary(nil, nil)
	l.Set(constEngine("A", nil))
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			l.Answer(context.Background(), parley.Request{})
		}
	})
}

func TestCheckShrink(t *testing.T) {
	lib := NewLibrary(nil, nil)
	if err := lib.CheckShrink(0, true); err == nil {
		t.Error("0 articles before any: want an error, allowed or not")
	}
	if err := lib.CheckShrink(1, false); err != nil {
		t.Errorf("first load of 1 article: %v", err)
	}
	lib.Set(Engine{Answerer: parley.AnswerFunc(nil), Articles: 10})
	tests := []struct {
		n     int
		allow bool
		ok    bool
	}{
		{10, false, true},
		{20, false, true},
		{5, false, true}, // exactly half
		{4, false, false},
		{1, false, false},
		{4, true, true},
		{0, true, false}, // never to nothing
		{0, false, false},
	}
	for _, tc := range tests {
		err := lib.CheckShrink(tc.n, tc.allow)
		if (err == nil) != tc.ok {
			t.Errorf("CheckShrink(%d, %v) = %v, want ok %v", tc.n, tc.allow, err, tc.ok)
		}
		if err != nil && tc.n > 0 && !strings.Contains(err.Error(), "--allow-shrink") {
			t.Errorf("error %q does not say how to confirm", err)
		}
	}
}
