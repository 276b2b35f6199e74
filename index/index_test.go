package index_test

import (
	"context"
	"fmt"
	"os"
	"slices"
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

// An on-disk index answers from itself alone: the folder it was built from
// can be gone.
func TestOnDisk(t *testing.T) {
	dir := t.TempDir()
	src := dir + "/articles"
	os.Mkdir(src, 0o755)
	os.WriteFile(src+"/harbour.txt", []byte("Valdoria and Ostland agreed on Friday to reopen the harbour.\nThe harbour had been closed for two years."), 0o644)
	os.WriteFile(src+"/articles.json", []byte(`{"articles":[{"id":"harbour","outlet":"The Lantern"}]}`), 0o644)
	arts, err := index.Load(os.DirFS(src))
	if err != nil {
		t.Fatal(err)
	}
	path := dir + "/index.bleve"
	if err := index.BuildOnDisk(context.Background(), path, arts, testOptions(t)); err != nil {
		t.Fatal(err)
	}
	if err := index.BuildOnDisk(context.Background(), path, arts, testOptions(t)); err == nil {
		t.Error("building over an existing index succeeded")
	}
	os.RemoveAll(src)
	ix, err := index.Open(path, testOptions(t))
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	if len(ix.Articles()) != 1 || ix.Articles()[0].Outlet != "The Lantern" || ix.Sentences() != 2 {
		t.Fatalf("opened %d articles, %d sentences", len(ix.Articles()), ix.Sentences())
	}
	hits, err := ix.Search(context.Background(), parley.Query{Text: "harbour closed"})
	if err != nil || len(hits) != 2 {
		t.Fatalf("hits %v, %v", hits, err)
	}
	a, _ := ix.Article(hits[0].Sentence.Article)
	if got := a.Text[hits[0].Sentence.Start:hits[0].Sentence.End]; got != "The harbour had been closed for two years." {
		t.Errorf("top hit %q", got)
	}
	if _, err := index.Open(dir+"/missing", testOptions(t)); err == nil {
		t.Error("opening a missing index succeeded")
	}
}

// Sentences that tie on score come in article and position order, and a
// cut through a tie keeps the first of them: bleve alone would keep
// whichever reached its segment first, which changes from build to build.
func TestSearchBreaksTiesByArticleAndPosition(t *testing.T) {
	var arts []*parley.Article
	for i := range 40 {
		a := &parley.Article{ID: fmt.Sprintf("a%02d", i), Text: "The harbour reopened on Friday. The harbour reopened on Friday."}
		index.Prepare(a)
		arts = append(arts, a)
	}
	for range 3 {
		ix, err := index.Build(context.Background(), arts, index.Options{})
		if err != nil {
			t.Fatal(err)
		}
		hits, err := ix.Search(context.Background(), parley.Query{Text: "harbour", Size: 5})
		ix.Close()
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, h := range hits {
			got = append(got, fmt.Sprintf("%s/%d", h.Sentence.Article, h.Sentence.Position))
		}
		if want := "a00/0 a00/1 a01/0 a01/1 a02/0"; strings.Join(got, " ") != want {
			t.Fatalf("hits %v, want %s", got, want)
		}
	}
}

// A person's sentences are every sentence that names them, ranked with
// their own words first (quotes, then reported speech), then those naming
// them near the start, then the rest, earlier in an article first; with
// speech, only their own words, in the same order; limit keeps the best.
func TestAboutRanksEverySentence(t *testing.T) {
	ix := build(t)
	ctx := context.Background()
	checked := 0
	for _, p := range ix.People() {
		all, err := ix.About(ctx, p.Name, false, 0)
		if err != nil {
			t.Fatal(err)
		}
		want := 0
		for _, listed := range ix.Articles() {
			a, _ := ix.Article(listed.ID)
			for _, s := range a.Sentences {
				if slices.Contains(s.People, p.Name) {
					want++
				}
			}
		}
		if len(all) != want {
			t.Fatalf("About(%s): %d sentences, %d name them", p.Name, len(all), want)
		}
		class := func(s *parley.Sentence) int {
			switch {
			case s.Speaker == p.Name && s.Kind == parley.SpeechQuote:
				return 0
			case s.Speaker == p.Name:
				return 1
			}
			return 2
		}
		for i := 1; i < len(all); i++ {
			if class(all[i-1]) > class(all[i]) {
				t.Errorf("About(%s): %q (class %d) before %q (class %d)", p.Name, all[i-1].Article, class(all[i-1]), all[i].Article, class(all[i]))
			}
		}
		speech, err := ix.About(ctx, p.Name, true, 0)
		if err != nil {
			t.Fatal(err)
		}
		for i, s := range speech {
			if s.Speaker != p.Name || s != all[i] {
				t.Errorf("About(%s, speech) %d: %+v, not their words in the ranked order", p.Name, i, *s)
			}
		}
		if len(speech) < len(all) && all[len(speech)].Speaker == p.Name {
			t.Errorf("About(%s, speech) leaves out their words", p.Name)
		}
		if top, err := ix.About(ctx, p.Name, false, 2); err != nil || len(top) != min(2, len(all)) || len(top) > 0 && top[0] != all[0] {
			t.Errorf("About(%s, limit 2) = %d sentences, %v", p.Name, len(top), err)
		}
		checked += len(all)
	}
	if checked == 0 {
		t.Fatal("no person's sentences")
	}
	if got, err := ix.About(ctx, "Nobody Atall", false, 0); err != nil || len(got) != 0 {
		t.Errorf("About(unknown) = %v, %v", got, err)
	}
}

// The best n hits of a search are the first n of the same search for
// more: handlers read a question's first pass from the wider search of its
// second. Ties at the cut must fall the same way, by document order.
func TestSmallerSearchIsTheFirstOfAWider(t *testing.T) {
	ix := build(t)
	ctx := context.Background()
	queries := []parley.Query{
		{Text: "troops"},
		{Text: "security guarantees agreed", Expand: []parley.Expansion{{Term: "agre", Weight: 0.5}}},
		{Text: "president", Places: []string{"France"}},
		{Text: "said", People: []string{"Emmanuel Macron"}},
		{Text: "peace deal", Phrase: "peace deal"},
		{Text: "the a of", Places: []string{"Ukraine", "United States"}},
	}
	for _, q := range queries {
		wide := q
		wide.Size = 60
		all, err := ix.Search(ctx, wide)
		if err != nil {
			t.Fatal(err)
		}
		for _, n := range []int{1, 5, 25} {
			q.Size = n
			hits, err := ix.Search(ctx, q)
			if err != nil {
				t.Fatal(err)
			}
			want := all[:min(n, len(all))]
			if len(hits) != len(want) {
				t.Fatalf("%+v: %d hits, want %d", q, len(hits), len(want))
			}
			for i := range hits {
				if hits[i].Sentence != want[i].Sentence || hits[i].Score != want[i].Score || !slices.Equal(hits[i].Matched, want[i].Matched) {
					t.Errorf("%+v: hit %d is %s/%d, the wider search's is %s/%d", q, i,
						hits[i].Sentence.Article, hits[i].Sentence.Position, want[i].Sentence.Article, want[i].Sentence.Position)
				}
			}
		}
	}
}
