package index

import (
	"bufio"
	"cmp"
	"container/heap"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"github.com/blevesearch/bleve/v2/analysis"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
	bindex "github.com/blevesearch/bleve_index_api"
)

// The first tier of likely answers.
//
// On a large corpus the typed words of a question are each in a good part
// of all sentences (at 100,000 synthetic articles a topic's word is in a
// tenth of 2 million), and a search that scores every sentence with any
// of them spends most of an answer's time on sentences that could never
// rank first. So the index keeps, for each frequent word, its champions:
// the sentences in which the word weighs most by BM25 (it is there more
// often, the sentence is shorter), firstTierSize of them. A search whose
// typed words are frequent first scores, exactly as the whole search
// would, only the sentences among their champions (and every sentence of
// its rarer words, places and people): a sentence that ranks among the
// best of the whole search has a typed word that weighs much in it, so it
// is nearly always among them. When fewer sentences than the hits wanted
// are found there, the whole search runs.

// firstTierSize is how many champions a frequent word keeps. A word in
// fewer sentences has none: its own postings are as cheap to search.
const firstTierSize = 4096

// firstTierPostings is how many sentences the typed words of a search may
// be in, all counted, before the first tier is searched first: below it,
// scoring them all costs little.
const firstTierPostings = 50_000

// championsFile is a shard's champions, beside its folder.
func championsFile(dir string, shard int) string {
	return filepath.Join(dir, "champions-"+strconv.Itoa(shard))
}

// champions maps each frequent word of the text field to its champions,
// as the shard's internal document numbers, in order.
type champions map[string][]uint32

// findChampions works out a shard's champions from its postings: each
// word in more than k sentences keeps the k in which it scores highest by
// BM25 (ties to the earlier sentence, as a search breaks them).
func findChampions(ctx context.Context, idx bleve.Index, k int) (champions, error) {
	r, err := readerOf(idx)
	if err != nil {
		return nil, fmt.Errorf("index: champions: %w", err)
	}
	defer r.Close()
	avg := 0.0
	if fc, ok := r.(interface {
		FieldCardinality(field string) (int, error)
	}); ok {
		// As bleve's BM25 computes it (search/searcher/search_term.go).
		docs, err := r.DocCount()
		card, cerr := fc.FieldCardinality(fieldText)
		if err == nil && cerr == nil && docs > 0 {
			avg = float64((uint64(card) + docs - 1) / docs)
		}
	}
	if avg <= 0 {
		avg = 1
	}
	dict, err := r.FieldDict(fieldText)
	if err != nil {
		return nil, fmt.Errorf("index: champions: %w", err)
	}
	var terms []string
	for {
		e, err := dict.Next()
		if err != nil {
			dict.Close()
			return nil, fmt.Errorf("index: champions: %w", err)
		}
		if e == nil {
			break
		}
		if e.Count > uint64(k) {
			terms = append(terms, e.Term)
		}
	}
	if err := dict.Close(); err != nil {
		return nil, fmt.Errorf("index: champions: %w", err)
	}
	out := champions{}
	var doc bindex.TermFieldDoc
	for _, term := range terms {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		tfr, err := r.TermFieldReader(ctx, []byte(term), fieldText, true, true, false)
		if err != nil {
			return nil, fmt.Errorf("index: champions of %s: %w", term, err)
		}
		h := make(weighed, 0, k)
		for {
			d, err := tfr.Next(&doc)
			if err != nil {
				tfr.Close()
				return nil, fmt.Errorf("index: champions of %s: %w", term, err)
			}
			if d == nil {
				break
			}
			length := 1 / (d.Norm * d.Norm)
			tf := float64(d.Freq)
			w := weight{score: tf * search.BM25_k1 / (tf + search.BM25_k1*(1-search.BM25_b+search.BM25_b*length/avg)), doc: uint32(d.ID.Value())}
			switch {
			case len(h) < k:
				heap.Push(&h, w)
			case w.beats(h[0]):
				h[0] = w
				heap.Fix(&h, 0)
			}
		}
		if err := tfr.Close(); err != nil {
			return nil, fmt.Errorf("index: champions of %s: %w", term, err)
		}
		docs := make([]uint32, len(h))
		for i, w := range h {
			docs[i] = w.doc
		}
		slices.Sort(docs)
		out[term] = docs
	}
	return out, nil
}

// weight is what a word weighs in one sentence.
type weight struct {
	score float64
	doc   uint32
}

// beats says w ranks before o: it weighs more, or as much in an earlier
// sentence.
func (w weight) beats(o weight) bool {
	return w.score > o.score || w.score == o.score && w.doc < o.doc
}

// weighed is a heap whose top is the weakest kept.
type weighed []weight

func (h weighed) Len() int           { return len(h) }
func (h weighed) Less(i, j int) bool { return h[j].beats(h[i]) }
func (h weighed) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }
func (h *weighed) Push(x any)        { *h = append(*h, x.(weight)) }
func (h *weighed) Pop() any {
	old := *h
	x := old[len(old)-1]
	*h = old[:len(old)-1]
	return x
}

// saveChampions writes champions to path: for each word its
// length and bytes, how many sentences, then each as the difference from
// the one before, all as uvarints.
func saveChampions(path string, c champions) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return err
	}
	defer f.Close()
	w := bufio.NewWriter(f)
	var buf []byte
	terms := make([]string, 0, len(c))
	for t := range c {
		terms = append(terms, t)
	}
	slices.Sort(terms)
	buf = binary.AppendUvarint(buf, uint64(len(terms)))
	for _, t := range terms {
		buf = binary.AppendUvarint(buf, uint64(len(t)))
		buf = append(buf, t...)
		docs := c[t]
		buf = binary.AppendUvarint(buf, uint64(len(docs)))
		prev := uint32(0)
		for _, d := range docs {
			buf = binary.AppendUvarint(buf, uint64(d-prev))
			prev = d
		}
		if _, err := w.Write(buf); err != nil {
			return err
		}
		buf = buf[:0]
	}
	if _, err := w.Write(buf); err != nil {
		return err
	}
	if err := w.Flush(); err != nil {
		return err
	}
	if err := f.Sync(); err != nil {
		return err
	}
	return f.Close()
}

// writeChampions works out a built shard's champions and writes them
// beside it.
func (ix *Index) writeChampions(ctx context.Context, idx bleve.Index, path string) error {
	c, err := findChampions(ctx, idx, cmp.Or(ix.tierSize, firstTierSize))
	if err != nil {
		return err
	}
	return saveChampions(path, c)
}

// readChampions reads a shard's champions; an index written without them
// has none, and every search scores all its sentences.
func readChampions(path string, sentences int) (champions, error) {
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	defer f.Close()
	r := bufio.NewReader(f)
	bad := func(err error) (champions, error) {
		return nil, fmt.Errorf("%s: %w", filepath.Base(path), err)
	}
	n, err := binary.ReadUvarint(r)
	if err != nil {
		return bad(err)
	}
	c := make(champions, min(n, 1<<20))
	for range n {
		l, err := binary.ReadUvarint(r)
		if err != nil || l > 1<<16 {
			return bad(cmp.Or(err, errors.New("a word too long")))
		}
		term := make([]byte, l)
		if _, err := io.ReadFull(r, term); err != nil {
			return bad(err)
		}
		k, err := binary.ReadUvarint(r)
		if err != nil || k > uint64(sentences) {
			return bad(cmp.Or(err, errors.New("more champions than sentences")))
		}
		docs := make([]uint32, k)
		prev := uint64(0)
		for i := range docs {
			d, err := binary.ReadUvarint(r)
			if err != nil {
				return bad(err)
			}
			prev += d
			if prev >= uint64(sentences) {
				return bad(errors.New("a champion beyond the sentences"))
			}
			docs[i] = uint32(prev)
		}
		c[string(term)] = docs
	}
	return c, nil
}

// firstTier returns, for each shard, the search's query kept to the first
// tier: the champions of its frequent typed words and every sentence of
// its rarer ones, its places and its people, each scored exactly as the
// whole query scores it (the filter weighs nothing, in the scores or in
// the query's norm). nil when the search is better run whole: its typed
// words are few or rare, or the index has no champions.
func (ix *Index) firstTier(ctx context.Context, typed []string, others []query.Query, qq query.Query) ([]query.Query, error) {
	if len(typed) == 0 || len(ix.champions) != len(ix.shards) || len(typed)*ix.Sentences() < ix.tierPostings {
		return nil, nil
	}
	postings, frequent := 0, false
	for k, sh := range ix.shards {
		r, err := readerOf(sh)
		if err != nil {
			return nil, fmt.Errorf("index: first tier: %w", err)
		}
		for _, t := range typed {
			tfr, err := r.TermFieldReader(ctx, []byte(t), fieldText, false, false, false)
			if err != nil {
				r.Close()
				return nil, fmt.Errorf("index: first tier: %w", err)
			}
			postings += int(tfr.Count())
			tfr.Close()
			_, ok := ix.champions[k][t]
			frequent = frequent || ok
		}
		if err := r.Close(); err != nil {
			return nil, fmt.Errorf("index: first tier: %w", err)
		}
	}
	if postings < ix.tierPostings || !frequent {
		return nil, nil
	}
	out := make([]query.Query, len(ix.shards))
	for k, sh := range ix.shards {
		var lists [][]uint32
		filter := []query.Query{}
		for _, t := range typed {
			if docs, ok := ix.champions[k][t]; ok {
				lists = append(lists, docs)
				continue
			}
			tq := bleve.NewTermQuery(t)
			tq.SetField(fieldText)
			tq.SetBoost(0)
			filter = append(filter, tq)
		}
		if len(typed) > 1 {
			// The sentences with every word typed are the likeliest of all,
			// but a word's champions are the sentences where it weighs
			// most alone (the shortest): the first of those with all, too.
			all, err := withEvery(ctx, sh, typed, cmp.Or(ix.tierSize, firstTierSize))
			if err != nil {
				return nil, err
			}
			lists = append(lists, all)
		}
		filter = append(filter, &docsQuery{docs: union(lists)})
		filter = append(filter, others...)
		out[k] = bleve.NewConjunctionQuery(bleve.NewDisjunctionQuery(filter...), qq)
	}
	return out, nil
}

// withEvery returns the first n sentences of a shard (internal numbers,
// in order) that have every one of the terms.
func withEvery(ctx context.Context, sh bleve.Index, terms []string, n int) ([]uint32, error) {
	r, err := readerOf(sh)
	if err != nil {
		return nil, fmt.Errorf("index: first tier: %w", err)
	}
	defer r.Close()
	readers := make([]bindex.TermFieldReader, 0, len(terms))
	defer func() {
		for _, tfr := range readers {
			tfr.Close()
		}
	}()
	for _, t := range terms {
		tfr, err := r.TermFieldReader(ctx, []byte(t), fieldText, false, false, false)
		if err != nil {
			return nil, fmt.Errorf("index: first tier: %w", err)
		}
		readers = append(readers, tfr)
	}
	// The rarest leads; the others are stepped to each of its sentences.
	// A reader is never asked for a sentence at or before its own (scorch
	// would read its postings again from the start).
	slices.SortFunc(readers, func(a, b bindex.TermFieldReader) int { return cmp.Compare(a.Count(), b.Count()) })
	at := make([]uint64, len(readers)) // each reader's sentence, +1; 0 before the first
	// Each reader has a document of its own: scorch keeps the one it
	// fills as where it is.
	docs := make([]bindex.TermFieldDoc, len(readers))
	var out []uint32
	id := make(bindex.IndexInternalID, 8)
	step := func(i int, target uint64) (bool, error) {
		var d *bindex.TermFieldDoc
		var err error
		if at[i] == 0 && target == 0 {
			d, err = readers[i].Next(&docs[i])
		} else {
			id.SetValue(target)
			d, err = readers[i].Advance(id, &docs[i])
		}
		if err != nil || d == nil {
			return false, err
		}
		at[i] = d.ID.Value() + 1
		return true, nil
	}
	target := uint64(0)
	for len(out) < n {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		moved := false
		for i := range readers {
			if at[i] == 0 || at[i]-1 < target {
				ok, err := step(i, target)
				if err != nil {
					return nil, fmt.Errorf("index: first tier: %w", err)
				}
				if !ok {
					return out, nil // a word has no later sentence
				}
			}
			if cur := at[i] - 1; cur > target {
				target, moved = cur, true
				break
			}
		}
		if !moved {
			out = append(out, uint32(target))
			target++
		}
	}
	return out, nil
}

// phraseCandidates is how many of the first tier's best sentences,
// searched without a phrase, are searched again with it.
const phraseCandidates = 100

// among returns, for each shard, qq kept to the hits found there.
func among(found []numbered, shards int, qq query.Query) []query.Query {
	docs := make([][]uint32, shards)
	for _, f := range found {
		docs[f.shard] = append(docs[f.shard], uint32(f.doc))
	}
	out := make([]query.Query, shards)
	for k := range out {
		slices.Sort(docs[k])
		out[k] = &amongQuery{docs: docs[k], q: qq}
	}
	return out
}

// amongQuery is q searched only in the given documents of a shard
// (internal numbers, in order), each scored exactly as q scores it.
//
// A conjunction with the documents would not do: bleve's phrase searcher,
// asked for its next match, reads the word positions of every sentence
// with all the phrase's words until one has the phrase, and a conjunction
// asks it first for its next match from the start. For a phrase no
// sentence has ("need new" at 100,000 articles) that is every sentence
// with both words, 40-70 ms, to score 100. Here every word's postings are
// read only at the documents, so the phrase searcher sees no other.
type amongQuery struct {
	docs []uint32
	q    query.Query
}

func (q *amongQuery) Searcher(ctx context.Context, r bindex.IndexReader, m mapping.IndexMapping, opts search.SearcherOptions) (search.Searcher, error) {
	return q.q.Searcher(ctx, amongReader{r, q.docs}, m, opts)
}

// amongReader is an index reader whose postings hold only the given
// documents. Everything a score reads (how many documents, how many have
// a word, the average length) is the whole index's.
type amongReader struct {
	bindex.IndexReader
	docs []uint32
}

func (r amongReader) TermFieldReader(ctx context.Context, term []byte, field string, freq, norm, vectors bool) (bindex.TermFieldReader, error) {
	tfr, err := r.IndexReader.TermFieldReader(ctx, term, field, freq, norm, vectors)
	if err != nil {
		return nil, err
	}
	return &amongTerms{TermFieldReader: tfr, docs: r.docs, id: make(bindex.IndexInternalID, 8)}, nil
}

// FieldCardinality is the whole index's, for BM25's average length, as
// bleve's term searcher reads it (0 when the reader has none, as there).
func (r amongReader) FieldCardinality(field string) (int, error) {
	if b, ok := r.IndexReader.(bindex.BM25Reader); ok {
		return b.FieldCardinality(field)
	}
	return 0, nil
}

// amongTerms is a word's postings at the given documents only. Its Count
// is the word's in the whole index, which its weight depends on.
type amongTerms struct {
	bindex.TermFieldReader
	docs []uint32
	at   int // the next document that may be returned
	id   bindex.IndexInternalID
}

func (t *amongTerms) Next(pre *bindex.TermFieldDoc) (*bindex.TermFieldDoc, error) {
	// Each step advances the postings past where they are (scorch reads
	// them again from the start when asked for a document at or before
	// its own).
	for t.at < len(t.docs) {
		t.id.SetValue(uint64(t.docs[t.at]))
		d, err := t.TermFieldReader.Advance(t.id, pre)
		if err != nil || d == nil {
			t.at = len(t.docs)
			return nil, err
		}
		got := d.ID.Value()
		i, found := slices.BinarySearch(t.docs[t.at:], uint32(min(got, 1<<32-1)))
		t.at += i
		if found {
			t.at++
			return d, nil
		}
	}
	return nil, nil
}

func (t *amongTerms) Advance(id bindex.IndexInternalID, pre *bindex.TermFieldDoc) (*bindex.TermFieldDoc, error) {
	t.at = skipTo(t.docs, t.at, id.Value())
	return t.Next(pre)
}

// skipTo returns where the first of docs[at:] (sorted) at or after want
// stands; len(docs) when none is.
func skipTo(docs []uint32, at int, want uint64) int {
	if want > 1<<32-1 {
		return len(docs)
	}
	i, _ := slices.BinarySearch(docs[at:], uint32(want))
	return at + i
}

// union merges sorted lists of document numbers into one, each once.
func union(lists [][]uint32) []uint32 {
	n := 0
	for _, l := range lists {
		n += len(l)
	}
	out := make([]uint32, 0, n)
	for _, l := range lists {
		out = append(out, l...)
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// docsQuery matches given documents of a shard (internal numbers, in
// order) and scores them nothing.
type docsQuery struct {
	docs []uint32
}

func (q *docsQuery) Searcher(context.Context, bindex.IndexReader, mapping.IndexMapping, search.SearcherOptions) (search.Searcher, error) {
	return &docsSearcher{docs: q.docs}, nil
}

type docsSearcher struct {
	docs []uint32
	at   int
}

func (s *docsSearcher) Next(ctx *search.SearchContext) (*search.DocumentMatch, error) {
	if s.at >= len(s.docs) {
		return nil, nil
	}
	dm := ctx.DocumentMatchPool.Get()
	dm.IndexInternalID = bindex.NewIndexInternalID(dm.IndexInternalID, uint64(s.docs[s.at]))
	dm.Score = 0
	s.at++
	return dm, nil
}

func (s *docsSearcher) Advance(ctx *search.SearchContext, id bindex.IndexInternalID) (*search.DocumentMatch, error) {
	s.at = skipTo(s.docs, s.at, id.Value())
	return s.Next(ctx)
}

func (s *docsSearcher) Close() error               { return nil }
func (s *docsSearcher) Weight() float64            { return 0 }
func (s *docsSearcher) SetQueryNorm(float64)       {}
func (s *docsSearcher) Count() uint64              { return uint64(len(s.docs)) }
func (s *docsSearcher) Min() int                   { return 0 }
func (s *docsSearcher) Size() int                  { return 64 + 4*len(s.docs) }
func (s *docsSearcher) DocumentMatchPoolSize() int { return 1 }

// phraseClause is the clause a phrase adds to a search, boosted 2, and
// whether it checks word positions. A phrase whose words analyse to a
// single term ("leave our", "our" a stop word) is that term's query, which
// scores each sentence exactly as bleve's phrase searcher of one term does
// (a conjunction of that term's searcher alone, its score summed from
// zero, its weight the term's) without reading every sentence's word
// positions, which costs more than scoring it: at 100,000 articles a word
// in 26,000 sentences took 30-60 ms as a phrase, 6-9 ms as a term.
//
// toks are the phrase analysed by the text field's analyser.
func phraseClause(phrase string, toks analysis.TokenStream) (query.Query, bool) {
	if len(toks) == 1 {
		tq := bleve.NewTermQuery(string(toks[0].Term))
		tq.SetField(fieldText)
		tq.SetBoost(2)
		return tq, false
	}
	pq := bleve.NewMatchPhraseQuery(phrase)
	pq.SetField(fieldText)
	pq.SetBoost(2)
	return pq, true
}
