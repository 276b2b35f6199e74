package index_test

import (
	"context"
	"slices"
	"testing"

	"github.com/parley-bot/parley"
	"github.com/parley-bot/parley/index"
	"github.com/parley-bot/parley/seeds"
)

func seedIndex(tb testing.TB, opts index.Options) *index.Index {
	tb.Helper()
	arts, err := index.Load(seeds.FS())
	if err != nil {
		tb.Fatal(err)
	}
	ix, err := index.Build(context.Background(), arts, opts)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { ix.Close() })
	return ix
}

// Words people use that the articles don't find the articles' words,
// weighted below a typed word, and only words the articles hold.
func TestExpand(t *testing.T) {
	opts, err := index.DefaultOptions()
	if err != nil {
		t.Fatal(err)
	}
	ix := seedIndex(t, opts)
	terms := func(es []parley.Expansion) []string {
		var out []string
		for _, e := range es {
			out = append(out, e.Term)
			if e.Weight <= 0 || e.Weight >= 1 {
				t.Errorf("%s weighs %v: expansions weigh less than a typed word", e.Term, e.Weight)
			}
			if hits, _ := ix.Search(context.Background(), parley.Query{Expand: []parley.Expansion{e}, Size: 1}); len(hits) == 0 {
				t.Errorf("%s is in no sentence", e.Term)
			}
		}
		return out
	}
	for word, want := range map[string]string{"biggest": "largest", "lead": "led", "met": "meet", "talks": "negoti"} {
		if got := terms(ix.Expand(word)); !slices.Contains(got, want) {
			t.Errorf("Expand(%q) = %v, want %q among them", word, got, want)
		}
	}
	for _, w := range []string{"", "zzzqqq", "a b", "x*y", "france"} {
		if got := ix.Expand(w); len(got) > 0 && w != "france" {
			t.Errorf("Expand(%q) = %v", w, got)
		}
	}
	// An expansion finds the sentence the typed word alone does not.
	typed, _ := ix.Search(context.Background(), parley.Query{Text: "biggest gathering", Size: 50})
	expanded, _ := ix.Search(context.Background(), parley.Query{Text: "biggest gathering", Expand: ix.Expand("biggest"), Size: 50})
	has := func(hits []parley.Hit, term string) bool {
		return slices.ContainsFunc(hits, func(h parley.Hit) bool { return slices.Contains(h.Matched, term) })
	}
	if has(typed, "largest") || !has(expanded, "largest") {
		t.Errorf("expansion did not bring in the sentence with largest")
	}
	if plain := seedIndex(t, index.Options{}); plain.Expand("biggest") != nil {
		t.Error("an index with no lexicon expands")
	}
}

// The cache returns the same expansions for a word asked again.
func TestExpandCached(t *testing.T) {
	opts, err := index.DefaultOptions()
	if err != nil {
		t.Fatal(err)
	}
	ix := seedIndex(t, opts)
	a, b := ix.Expand("Biggest"), ix.Expand("biggest")
	if !slices.Equal(a, b) || len(a) == 0 {
		t.Errorf("%v then %v", a, b)
	}
}
