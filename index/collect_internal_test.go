package index

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/collector"
	"github.com/blevesearch/bleve/v2/search/query"
)

// collectBoth runs q on idx through bleve's top-N collector and through
// collectTop, with one pool set for every call, as an Index keeps it.
func collectBoth(t *testing.T, idx bleve.Index, pools *sync.Pool, q query.Query, k int) (want, got []string, wantTotal, gotTotal uint64) {
	t.Helper()
	ctx := context.Background()
	r, err := readerOf(idx)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	searcher := func() search.Searcher {
		s, err := q.Searcher(ctx, r, idx.Mapping(), search.SearcherOptions{})
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	s := searcher()
	coll := collector.NewTopNCollector(k, 0, search.SortOrder{&search.SortScore{Desc: true}})
	if err := coll.Collect(ctx, s, r); err != nil {
		t.Fatal(err)
	}
	s.Close()
	for _, h := range coll.Results() {
		want = append(want, fmt.Sprintf("%s %.6f", h.ID, h.Score))
	}
	s = searcher()
	defer s.Close()
	found, total, err := collectTop(ctx, pools, s, r, k, 0, false)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range found {
		got = append(got, fmt.Sprintf("%d %.6f", f.n, f.score))
	}
	return want, got, coll.Total(), total
}

// tiedIndex holds n sentences in document order, ids "0".."n-1", where
// every third says the same words, so that many hits tie on score.
func tiedIndex(t *testing.T, n int) bleve.Index {
	t.Helper()
	m := mapping.NewIndexMapping()
	m.DefaultAnalyzer = "en"
	idx, err := bleve.NewUsing("", m, scorch.Name, scorch.Name, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { idx.Close() })
	b := idx.NewBatch()
	for i := range n {
		text := fmt.Sprintf("troops crossed river number %d", i)
		if i%3 == 0 {
			text = "troops held the line"
		}
		if i%7 == 0 {
			text += " troops again"
		}
		if err := b.Index(fmt.Sprint(i), map[string]string{"text": text}); err != nil {
			t.Fatal(err)
		}
	}
	if err := idx.Batch(b); err != nil {
		t.Fatal(err)
	}
	return idx
}

// collectTop keeps what bleve's collector keeps, in its order: higher
// score first and, among equal scores, the one the searcher found first,
// for k below, at and above the number of matches; and counts them all.
// Its pools, reused from one search to the next, change nothing.
func TestCollectTopKeepsWhatBleveKeeps(t *testing.T) {
	idx := tiedIndex(t, 200)
	var pools sync.Pool
	queries := []query.Query{
		bleve.NewMatchQuery("troops"),
		bleve.NewMatchQuery("troops line river"),
		bleve.NewMatchPhraseQuery("held the line"),
		bleve.NewDisjunctionQuery(bleve.NewMatchQuery("again"), bleve.NewMatchPhraseQuery("troops crossed")),
		bleve.NewMatchQuery("nothing matches this"),
	}
	for i, q := range queries {
		for _, k := range []int{1, 5, 60, 1000} {
			want, got, wantTotal, gotTotal := collectBoth(t, idx, &pools, q, k)
			if strings.Join(got, "\n") != strings.Join(want, "\n") {
				t.Errorf("query %d, k %d: got\n%s\nwant (bleve's collector)\n%s", i, k, strings.Join(got, "\n"), strings.Join(want, "\n"))
			}
			if gotTotal != wantTotal {
				t.Errorf("query %d, k %d: total %d, bleve's %d", i, k, gotTotal, wantTotal)
			}
		}
	}
}

// The seeds' index answers every tier query the same through Search with
// pooled collection, the second time as the first (a pool left in a bad
// state by one search would show in the next).
func TestCollectTopPoolsAreReusedSafely(t *testing.T) {
	ix := seedIndex(t)
	ctx := context.Background()
	var first []string
	for round := range 2 {
		var out []string
		for _, q := range tierQueries {
			hits, err := ix.Search(ctx, q)
			if err != nil {
				t.Fatal(err)
			}
			for _, h := range hits {
				out = append(out, fmt.Sprintf("%s %d %.6f %v", h.Sentence.Article, h.Sentence.Start, h.Score, h.Matched))
			}
			out = append(out, "--")
		}
		if round == 0 {
			first = out
		} else if strings.Join(out, "\n") != strings.Join(first, "\n") {
			t.Errorf("second round differs:\n%s\nfirst:\n%s", strings.Join(out, "\n"), strings.Join(first, "\n"))
		}
	}
}

// A search stopped by its context says so instead of returning the hits
// found so far.
func TestCollectTopStopsWithItsContext(t *testing.T) {
	idx := tiedIndex(t, 50)
	r, err := readerOf(idx)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	s, err := bleve.NewMatchQuery("troops").Searcher(context.Background(), r, idx.Mapping(), search.SearcherOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	var pools sync.Pool
	if _, _, err := collectTop(ctx, &pools, s, r, 5, 0, false); !errors.Is(err, context.Canceled) {
		t.Fatalf("err %v, want context.Canceled", err)
	}
}

// matchTerms, built from the text analysed once, scores every sentence as
// bleve's match query of the same text does, a word typed twice included.
func TestMatchTermsScoresAsMatchQuery(t *testing.T) {
	ix := seedIndex(t)
	ctx := context.Background()
	for _, text := range []string{"troops", "security guarantees", "troops troops ukraine", "the of and", "ceasefire monitoring lead"} {
		mq := bleve.NewMatchQuery(text)
		mq.SetField(fieldText)
		want, wantTotal, err := ix.searchShards(ctx, []query.Query{mq}, 1000, false, presearch(nil))
		if err != nil {
			t.Fatal(err)
		}
		toks := ix.analyzer.Analyze([]byte(text))
		if len(toks) == 0 {
			if len(want) != 0 {
				t.Errorf("%q: no terms, but the match query finds %d", text, len(want))
			}
			continue
		}
		got, gotTotal, err := ix.searchShards(ctx, []query.Query{matchTerms(toks)}, 1000, false, presearch(nil))
		if err != nil {
			t.Fatal(err)
		}
		if gotTotal != wantTotal || len(got) != len(want) || len(want) == 0 {
			t.Fatalf("%q: %d hits of %d, the match query %d of %d", text, len(got), gotTotal, len(want), wantTotal)
		}
		for i := range want {
			if got[i].n != want[i].n || got[i].score != want[i].score {
				t.Errorf("%q: hit %d is %d scoring %v, the match query's %d scoring %v", text, i, got[i].n, got[i].score, want[i].n, want[i].score)
			}
		}
	}
}
