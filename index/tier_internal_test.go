package index

import (
	"context"
	"math"
	"path/filepath"
	"slices"
	"testing"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
	bindex "github.com/blevesearch/bleve_index_api"

	"github.com/parley-bot/parley"
	"github.com/parley-bot/parley/seeds"
)

// tierQueries are searches of several kinds: typed words alone, with a
// phrase, related words, a place, a person.
var tierQueries = []parley.Query{
	{Text: "military hubs", Phrase: "military hubs", Size: 5},
	{Text: "troops army", Expand: []parley.Expansion{{Term: "forc", Weight: 0.35}}, Places: []string{"Ukraine"}, Size: 5},
	{Text: "security guarantees", Size: 5},
	{Text: "security guarantees", Phrase: "security guarantees", Size: 5},
	{Text: "ceasefire monitoring", Phrase: "ceasefire monitoring", Places: []string{"United States"}, Size: 5},
	{Text: "ceasefire monitoring lead", Size: 5},
	{Text: "compromises territory", People: []string{"Volodymyr Zelensky"}, Size: 5},
	{Text: "troops", Size: 5},
	{Text: "troops", Phrase: "the troops", Size: 5},             // a phrase of one word
	{Text: "troops ukraine", Phrase: "troops ukraine", Size: 5}, // a phrase no sentence has
}

// The first tier scores the sentences it searches exactly as the whole
// search does, keeps them in the same order, and finds every hit the whole
// search finds when its words' champions hold them all; with too few there,
// the whole search runs.
func TestFirstTierScoresAsTheWholeSearch(t *testing.T) {
	ix := seedIndex(t, func(o *Options) { o.tierSize = 8 }) // few champions: the tier is a real subset
	ctx := context.Background()
	tiered, used := 0, 0
	for _, q := range tierQueries {
		ix.tierPostings = firstTierPostings // the seeds are too few: the whole search
		all := q
		all.Size = 1000
		whole, err := ix.Search(ctx, all)
		if err != nil {
			t.Fatal(err)
		}
		full, err := ix.Search(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		ix.tierPostings = 1
		terms := ix.Terms(q.Text)
		if qs, err := ix.firstTier(ctx, slices.Compact(terms), nil, nil); err != nil {
			t.Fatal(err)
		} else if qs != nil {
			used++
		}
		tier, err := ix.Search(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		score := map[*parley.Sentence]float64{}
		for _, h := range whole {
			score[h.Sentence] = h.Score
		}
		for i, h := range tier {
			if s, ok := score[h.Sentence]; !ok || s != h.Score {
				t.Errorf("%q: tier hit %d scores %v, the whole search %v (found: %v)", q.Text, i, h.Score, s, ok)
			}
			if i > 0 && h.Score > tier[i-1].Score {
				t.Errorf("%q: tier hits out of order", q.Text)
			}
		}
		if len(tier) < min(q.Size, len(whole)) {
			t.Errorf("%q: %d tier hits, want %d", q.Text, len(tier), min(q.Size, len(whole)))
		}
		if !slices.EqualFunc(tier, full, func(a, b parley.Hit) bool { return a.Sentence == b.Sentence }) {
			tiered++
		}
	}
	ix.tierPostings = 1
	if got, err := ix.Search(ctx, parley.Query{Text: "napoleon pizza", Size: 5}); err != nil || len(got) != 0 {
		t.Errorf("no sentence has these words: %d hits, %v", len(got), err)
	}
	if used < len(tierQueries)-1 {
		t.Errorf("the first tier served %d of %d searches", used, len(tierQueries))
	}
	t.Logf("%d of %d searches answered otherwise from the first tier", tiered, len(tierQueries))
}

// An index on disk keeps the champions it found when built: its first tier
// finds what the index built in memory finds, in one shard or two.
func TestFirstTierOnDisk(t *testing.T) {
	tiny := func(o *Options) { o.tierSize, o.tierPostings = 8, 1 }
	mem := seedIndex(t, tiny)
	opts, err := DefaultOptions()
	if err != nil {
		t.Fatal(err)
	}
	tiny(&opts)
	for _, shards := range []int{1, 2} {
		path := filepath.Join(t.TempDir(), "seeds.idx")
		arts, err := Load(seeds.FS())
		if err != nil {
			t.Fatal(err)
		}
		o := opts
		o.Shards = shards
		if err := BuildOnDisk(context.Background(), path, arts, o); err != nil {
			t.Fatal(err)
		}
		disk, err := Open(path, o)
		if err != nil {
			t.Fatal(err)
		}
		if len(disk.champions) != shards {
			t.Fatalf("%d shards, champions of %d", shards, len(disk.champions))
		}
		for _, q := range tierQueries {
			a, err := mem.Search(context.Background(), q)
			if err != nil {
				t.Fatal(err)
			}
			b, err := disk.Search(context.Background(), q)
			if err != nil {
				t.Fatal(err)
			}
			// Scores are compared relative to the best, all that answers
			// read of them: an index in memory leaves out a phrase no
			// sentence has (bigrams), which scales every score alike.
			same := len(a) == len(b)
			for i := 0; same && i < len(a); i++ {
				same = a[i].Sentence.Article == b[i].Sentence.Article && a[i].Sentence.Position == b[i].Sentence.Position &&
					(shards > 1 || math.Abs(a[i].Score/a[0].Score-b[i].Score/b[0].Score) < 1e-9)
			}
			if !same && shards == 1 {
				t.Errorf("%q: the first tier on disk finds other hits", q.Text)
			}
			if len(b) < min(q.Size, len(a)) {
				t.Errorf("%d shards, %q: %d hits on disk, %d in memory", shards, q.Text, len(b), len(a))
			}
		}
		disk.Close()
	}
}

// withEvery finds the first sentences with every term, as reading each
// term's postings whole and intersecting them does.
func TestWithEvery(t *testing.T) {
	ix := seedIndex(t)
	ctx := context.Background()
	postings := func(term string) map[uint32]bool {
		r, err := readerOf(ix.shards[0])
		if err != nil {
			t.Fatal(err)
		}
		defer r.Close()
		tfr, err := r.TermFieldReader(ctx, []byte(term), fieldText, false, false, false)
		if err != nil {
			t.Fatal(err)
		}
		defer tfr.Close()
		out := map[uint32]bool{}
		for {
			d, err := tfr.Next(nil)
			if err != nil {
				t.Fatal(err)
			}
			if d == nil {
				return out
			}
			out[uint32(d.ID.Value())] = true
		}
	}
	for _, terms := range [][]string{{"troop", "ukrain"}, {"militari", "hub"}, {"ukrain", "franc", "troop"}, {"secur", "guarante"}, {"troop", "napoleon"}} {
		var want []uint32
		first := postings(terms[0])
		for d := range first {
			all := true
			for _, o := range terms[1:] {
				all = all && postings(o)[d]
			}
			if all {
				want = append(want, d)
			}
		}
		slices.Sort(want)
		got, err := withEvery(ctx, ix.shards[0], terms, 1000)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(got, want) {
			t.Errorf("%v: %v, want %v", terms, got, want)
		}
		if len(want) > 2 {
			if few, err := withEvery(ctx, ix.shards[0], terms, 2); err != nil || !slices.Equal(few, want[:2]) {
				t.Errorf("%v, first 2: %v, want %v", terms, few, want[:2])
			}
		}
	}
}

// seedIndex is the seeds in memory, with the default options changed by
// with.
func seedIndex(t *testing.T, with ...func(*Options)) *Index {
	t.Helper()
	arts, err := Load(seeds.FS())
	if err != nil {
		t.Fatal(err)
	}
	opts, err := DefaultOptions()
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range with {
		f(&opts)
	}
	ix, err := Build(context.Background(), arts, opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ix.Close() })
	return ix
}

// positionsReader counts the sentences whose word positions searchers
// read: those that term readers asked for term vectors return.
type positionsReader struct {
	bindex.IndexReader
	read map[uint64]bool
}

func (r positionsReader) TermFieldReader(ctx context.Context, term []byte, field string, freq, norm, vectors bool) (bindex.TermFieldReader, error) {
	tfr, err := r.IndexReader.TermFieldReader(ctx, term, field, freq, norm, vectors)
	if err != nil || !vectors {
		return tfr, err
	}
	return positionsTerms{tfr, r.read}, nil
}

type positionsTerms struct {
	bindex.TermFieldReader
	read map[uint64]bool
}

func (t positionsTerms) Next(pre *bindex.TermFieldDoc) (*bindex.TermFieldDoc, error) {
	d, err := t.TermFieldReader.Next(pre)
	if d != nil {
		t.read[d.ID.Value()] = true
	}
	return d, err
}

func (t positionsTerms) Advance(id bindex.IndexInternalID, pre *bindex.TermFieldDoc) (*bindex.TermFieldDoc, error) {
	d, err := t.TermFieldReader.Advance(id, pre)
	if d != nil {
		t.read[d.ID.Value()] = true
	}
	return d, err
}

// searchAll runs q over the first shard of ix through positionsReader and
// returns the sentences it matches and those whose positions it read.
func searchAll(t *testing.T, ix *Index, q query.Query) (matched []uint64, read map[uint64]bool) {
	t.Helper()
	ctx := context.Background()
	r, err := readerOf(ix.shards[0])
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	pr := positionsReader{r, map[uint64]bool{}}
	s, err := q.Searcher(ctx, pr, ix.shards[0].Mapping(), search.SearcherOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	sctx := &search.SearchContext{DocumentMatchPool: search.NewDocumentMatchPool(s.DocumentMatchPoolSize(), 0)}
	for {
		m, err := s.Next(sctx)
		if err != nil {
			t.Fatal(err)
		}
		if m == nil {
			return matched, pr.read
		}
		matched = append(matched, m.IndexInternalID.Value())
		sctx.DocumentMatchPool.Put(m)
	}
}

// A phrase whose words analyse to one term scores every sentence as
// bleve's phrase query does, and reads no word positions.
func TestOneWordPhraseScoresAsThePhrase(t *testing.T) {
	ix := seedIndex(t)
	ctx := context.Background()
	for _, phrase := range []string{"the troops", "our security", "ceasefire", "guarantees!"} {
		mq := bleve.NewMatchQuery(phrase)
		mq.SetField(fieldText)
		pq := bleve.NewMatchPhraseQuery(phrase)
		pq.SetField(fieldText)
		pq.SetBoost(2)
		want, _, err := ix.searchShards(ctx, []query.Query{bleve.NewDisjunctionQuery(mq, pq)}, 1000, false, presearch(nil))
		if err != nil {
			t.Fatal(err)
		}
		got, err := ix.Search(ctx, parley.Query{Text: phrase, Phrase: phrase, Size: 1000})
		if err != nil {
			t.Fatal(err)
		}
		if len(want) < 2 || len(got) != len(want) {
			t.Fatalf("%q: %d hits, the phrase query %d", phrase, len(got), len(want))
		}
		for i, w := range want {
			a, pos, _ := ix.sentence(w.n)
			if g := got[i]; g.Sentence.Article != ix.articles[a].ID || g.Sentence.Position != pos || g.Score != w.score {
				t.Errorf("%q: hit %d is %s/%d scoring %v, the phrase query's %s/%d scoring %v",
					phrase, i, g.Sentence.Article, g.Sentence.Position, g.Score, ix.articles[a].ID, pos, w.score)
			}
		}
		clause, positions := phraseClause(phrase, ix.analyzer.Analyze([]byte(phrase)))
		if _, read := searchAll(t, ix, clause); positions || len(read) > 0 {
			t.Errorf("%q: the clause checks positions (%v), read them in %d sentences", phrase, positions, len(read))
		}
	}
	if _, positions := phraseClause("military hubs", ix.analyzer.Analyze([]byte("military hubs"))); !positions {
		t.Error(`"military hubs": a phrase of two words must check their positions`)
	}
}

// A search among a first tier's best hits matches only them and reads
// word positions only where its words' postings meet them (each word's
// next sentence from each of them, at most), though the phrase's words
// are together in many sentences and the phrase in none (bleve's phrase
// searcher, asked for its next match, reads them all to find one).
func TestAmongReadsOnlyItsSentences(t *testing.T) {
	ix := seedIndex(t)
	const text = "troops ukraine"
	mq := bleve.NewMatchQuery(text)
	mq.SetField(fieldText)
	pq, _ := phraseClause(text, ix.analyzer.Analyze([]byte(text)))
	qq := bleve.NewDisjunctionQuery(mq, pq)
	if got, err := ix.Search(context.Background(), parley.Query{Text: text, Phrase: text, Size: 5}); err != nil || len(got) == 0 {
		t.Fatalf("%q: %d hits, %v", text, len(got), err)
	}
	both, err := withEvery(context.Background(), ix.shards[0], ix.Terms(text), 1000)
	if err != nil {
		t.Fatal(err)
	}
	if len(both) <= 8 {
		t.Fatalf("%d sentences with both words: too few to tell", len(both))
	}
	if matched, _ := searchAll(t, ix, pq); len(matched) > 0 {
		t.Fatalf("%d sentences have the phrase", len(matched))
	}
	none := uint64(0) // a sentence without either word
	for ; none < uint64(ix.Sentences()); none++ {
		if m, _ := searchAll(t, ix, &amongQuery{docs: []uint32{uint32(none)}, q: mq}); len(m) == 0 {
			break
		}
	}
	docs := []uint64{uint64(both[1]), uint64(both[4]), none, uint64(both[6])}
	var found []numbered
	for _, d := range docs {
		found = append(found, numbered{shard: 0, doc: d})
	}
	matched, read := searchAll(t, ix, among(found, 1, qq)[0])
	want := []uint64{uint64(both[1]), uint64(both[4]), uint64(both[6])}
	slices.Sort(want)
	if !slices.Equal(matched, want) {
		t.Errorf("matched %v, want %v", matched, want)
	}
	if len(read) > 2*len(docs) {
		t.Errorf("read the positions of %d sentences searching %d", len(read), len(docs))
	}
}
