package index_test

import (
	"context"
	"strings"
	"testing"

	"github.com/parley-bot/parley"
	"github.com/parley-bot/parley/index"
	"github.com/parley-bot/parley/seeds"
)

func build(tb testing.TB) *index.Index {
	tb.Helper()
	arts, err := index.Load(seeds.FS())
	if err != nil {
		tb.Fatal(err)
	}
	ix, err := index.Build(context.Background(), arts, testOptions(tb))
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { ix.Close() })
	return ix
}

func TestMappingUsesBM25(t *testing.T) {
	m, err := index.Mapping()
	if err != nil {
		t.Fatal(err)
	}
	if m.ScoringModel != "bm25" {
		t.Errorf("scoring model %q", m.ScoringModel)
	}
	if err := m.Validate(); err != nil {
		t.Errorf("mapping invalid: %v", err)
	}
}

func TestSearchStemsAndCites(t *testing.T) {
	ix := build(t)
	hits, err := ix.Search(context.Background(), parley.Query{Text: "hub", Size: 10})
	if err != nil {
		t.Fatal(err)
	}
	if len(hits) < 3 {
		t.Fatalf("%d hits for hub (stemming should find hubs)", len(hits))
	}
	for _, h := range hits {
		a, _ := ix.Article(h.Sentence.Article)
		if !strings.Contains(strings.ToLower(a.Text[h.Sentence.Start:h.Sentence.End]), "hub") {
			t.Errorf("hit without hub: %q", a.Text[h.Sentence.Start:h.Sentence.End])
		}
		if len(h.Matched) == 0 || h.Matched[0] != "hub" {
			t.Errorf("matched %v, want [hub]", h.Matched)
		}
	}
}

// Query syntax is text: a search with it finds what the bare words find.
func TestSearchQuerySyntaxIsText(t *testing.T) {
	ix := build(t)
	tests := []struct{ q, words string }{
		{"*", ""}, {"?", ""}, {"/.*/", ""}, {`\`, ""}, {"", ""}, {"   ", ""},
		{"text:hubs", "text hubs"}, {"+troops -Ukraine", "troops Ukraine"}, {`"unclosed`, "unclosed"},
		{"troops~2", "troops 2"}, {"hubs^10", "hubs 10"}, {"article:004_65177c6e93b92d8d", "article 004_65177c6e93b92d8d"},
	}
	count := func(q string) int {
		hits, err := ix.Search(context.Background(), parley.Query{Text: q, Size: 500})
		if err != nil {
			t.Fatalf("Search(%q): %v", q, err)
		}
		return len(hits)
	}
	for _, tc := range tests {
		if got, want := count(tc.q), count(tc.words); got != want {
			t.Errorf("Search(%q) found %d sentences, the words %q find %d", tc.q, got, tc.words, want)
		}
	}
}
