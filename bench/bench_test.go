package bench_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/parley-bot/parley"
	"github.com/parley-bot/parley/bench"
)

type searcher func(text string) error

func (s searcher) Search(_ context.Context, text string) (int, error) { return 0, s(text) }

func TestCompareGroupsLinesByCommand(t *testing.T) {
	answered := map[string]int{}
	a := parley.AnswerFunc(func(_ context.Context, req parley.Request) (*parley.Answer, error) {
		answered[req.Command]++
		return &parley.Answer{}, nil
	})
	var searched []string
	bare := searcher(func(text string) error { searched = append(searched, text); return nil })
	lines := []string{"/who france", "/what military hubs", "how many troops?", "/quote witkoff", "/sources", "/help", "/who macron"}
	res, err := bench.Compare(context.Background(), a, bare, lines, bench.Options{Rounds: 1, Window: time.Microsecond})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]int{}
	for _, r := range res {
		got[r.Command] = r.Lines
	}
	want := map[string]int{"who": 2, "what": 1, "ask": 1, "quote": 1, "all": 5}
	for c, n := range want {
		if got[c] != n {
			t.Errorf("%s: %d lines, want %d (results %+v)", c, got[c], n, res)
		}
	}
	if res[len(res)-1].Command != "all" {
		t.Errorf("last result %q, want all", res[len(res)-1].Command)
	}
	if answered[parley.CommandSources] != 0 || answered[parley.CommandHelp] != 0 {
		t.Errorf("answered lines that search nothing: %v", answered)
	}
	// The bare search is given what was typed after the command.
	for _, q := range []string{"france", "military hubs", "how many troops?", "witkoff"} {
		found := false
		for _, s := range searched {
			found = found || s == q
		}
		if !found {
			t.Errorf("bare search never got %q (got %q)", q, searched)
		}
	}
	var sb strings.Builder
	if err := bench.Print(&sb, res); err != nil || !strings.Contains(sb.String(), "/quote") || !strings.Contains(sb.String(), "ratio") {
		t.Errorf("table %q, %v", sb.String(), err)
	}
}

func TestCompareFails(t *testing.T) {
	ok := parley.AnswerFunc(func(context.Context, parley.Request) (*parley.Answer, error) { return &parley.Answer{}, nil })
	bad := parley.AnswerFunc(func(context.Context, parley.Request) (*parley.Answer, error) { return nil, errors.New("index gone") })
	fine := searcher(func(string) error { return nil })
	if _, err := bench.Compare(context.Background(), bad, fine, []string{"/who x"}, bench.Options{Rounds: 1, Window: time.Microsecond}); err == nil {
		t.Error("an answer's error was not returned")
	}
	if _, err := bench.Compare(context.Background(), ok, searcher(func(string) error { return errors.New("closed") }), []string{"/who x"}, bench.Options{Rounds: 1, Window: time.Microsecond}); err == nil {
		t.Error("a bare search's error was not returned")
	}
	if _, err := bench.Compare(context.Background(), ok, fine, []string{"/help", "/sources"}, bench.Options{}); err == nil {
		t.Error("no lines to measure was not an error")
	}
}

func TestCPUAdvances(t *testing.T) {
	t0 := bench.CPU()
	x := 0
	for i := 0; i < 50_000_000; i++ {
		x += i % 7
	}
	if d := bench.CPU() - t0; d <= 0 {
		t.Errorf("CPU clock did not advance over a busy loop (%d, %v)", x, d)
	}
}
