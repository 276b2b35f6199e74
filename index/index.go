// Package index turns articles into Parley's searchable corpus: sentences
// with exact offsets, the people and places they mention, and a bleve index
// of one document per sentence. It implements parley.Corpus.
package index

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"maps"
	"runtime"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"unicode"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/analysis/analyzer/custom"
	"github.com/blevesearch/bleve/v2/analysis/lang/en"
	"github.com/blevesearch/bleve/v2/analysis/token/lowercase"
	"github.com/blevesearch/bleve/v2/analysis/tokenizer/single"
	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
	bindex "github.com/blevesearch/bleve_index_api"
	"golang.org/x/text/unicode/norm"

	"github.com/parley-bot/parley"
	"github.com/parley-bot/parley/index/lexicon"
)

// Field names of a sentence document.
const (
	fieldText      = "text"
	fieldArticle   = "article"
	fieldParagraph = "paragraph"
	fieldPlaces    = "places"
	fieldPeople    = "people"
	fieldSpeaker   = "speaker"
	fieldKind      = "kind"

	analyzerKey       = "parley_key"
	synonymSource     = "parley_places"
	synonymCollection = "places"
)

// Annotator fills in the people, places and speech of sentences and returns
// the people merged across articles, most mentioned first.
type Annotator interface {
	Annotate(articles []*parley.Article) []parley.Person
}

// Gazetteer knows the names of places and organisations.
type Gazetteer interface {
	// Mentions returns the surface forms of places in text and, in step,
	// their canonical names.
	Mentions(text string) (surfaces, names []string)
	// Lookup resolves what a person typed; Suggest tolerates typos.
	Lookup(typed string) (name string, ok bool)
	Suggest(typed string) (name string, ok bool)
	// Aliases are every name of a place, canonical name included.
	Aliases(name string) []string
	// Key is the index token for one surface form ("U.K." -> "uk").
	Key(surface string) string
	// Find returns the places in text with their offsets, in order.
	Find(text string) []parley.Mention
}

// Options say how to build an index. The zero value builds a plain sentence
// index with no people or places.
type Options struct {
	Annotator Annotator
	Gazetteer Gazetteer
	// Lexicon, when set, expands queries with related words (Expand).
	Lexicon *lexicon.Lexicon
	// Shards is how many bleve indexes BuildOnDisk splits the sentences
	// into, searched in parallel; 0 means 1. bleve scores each shard's
	// hits by that shard's statistics, so several shards cite other
	// sentences among near-equal ones than one does (docs/scaling.md).
	Shards int
	// ArticleCache is how many bytes of articles read from an on-disk index
	// stay in memory for the next answers; 0 means 32 MB.
	ArticleCache int
	// batch is how many sentences go to an on-disk index at once; 0 means
	// diskBatch. Tests make it small.
	batch int
	// tierSize is how many champions a frequent word keeps (firstTierSize
	// when 0) and tierPostings how many sentences a search's typed words
	// may be in before the first tier is searched first (firstTierPostings
	// when 0): tests make them small.
	tierSize, tierPostings int
}

// Index is a built corpus. It is immutable once built and safe for
// concurrent use.
type Index struct {
	// articles are what Articles returns: whole articles in memory; an
	// on-disk index lists them without their text and sentences, which
	// store reads when an answer needs them.
	articles []*parley.Article
	byID     map[string]int
	// docStart[i] is the document number of article i's first sentence,
	// and docStart[len(articles)] the number of sentences.
	docStart []int
	store    store
	people   []parley.Person
	// personByName maps spellings to indexes of people; spellings lists
	// them for typos.
	personByName map[string]int
	spellings    []spelling
	gaz          Gazetteer
	// shards are the bleve indexes of the sentences: one in memory; on
	// disk, runs of whole articles in id order, searched in parallel.
	shards   []bleve.Index
	analyzer analysis.Analyzer
	topics   []string
	expand   *expander
	// places are the places the sentences mention, most mentioned first.
	places []string
	// about ranks each person's sentences (About).
	about aboutLists
	// synonyms are the places' synonyms, by key, resolved once (synonymsOf).
	synonyms sync.Map
	// docTermsCache holds sentences' analysed terms (docTerms).
	docTermsCache termsCache
	// bigrams tells phrases no sentence has (in memory only).
	bigrams bigrams
	// matchPools keeps bleve's pools of matches between searches
	// (collectTop).
	matchPools sync.Pool
	// champions are each shard's first tier (tier.go); tierPostings is
	// when a search uses it.
	champions              []champions
	tierSize, tierPostings int
	// While building: the place tokens of sentence n are
	// placeKeys[placeStart[n]:placeStart[n+1]], one array for all (two
	// million sentences at 100,000 articles) and each distinct token one
	// string; and the canonical names of every place mentioned, whose
	// synonyms every shard gets.
	placeKeys  []string
	placeStart []int
	mentioned  []string
	// batch is how many sentences go to an on-disk index at once.
	batch int

	closeOnce sync.Once
	closeErr  error
}

var _ parley.Corpus = (*Index)(nil)

// store gives an article whole, text and sentences: the same *Article (and
// so the same *Sentence pointers) for as long as an answer holds any of it.
type store interface {
	article(i int) (*parley.Article, error)
	close() error
}

// memStore keeps every article in memory.
type memStore []*parley.Article

func (m memStore) article(i int) (*parley.Article, error) { return m[i], nil }
func (memStore) close() error                             { return nil }

// Mapping builds the index mapping shared by the program and its tests: one
// document per sentence, English analysis with stemming and BM25 for the
// text, and lightly analysed fields for place and person tokens, with place
// names expanded through a synonym source. Nothing is stored and nothing
// has doc values: Parley keeps the sentences itself and never sorts or
// facets in bleve. Only the text keeps term vectors, for phrases and for
// the terms each hit matched.
func Mapping() (*mapping.IndexMappingImpl, error) {
	m := bleve.NewIndexMapping()
	m.ScoringModel = "bm25"
	m.DefaultAnalyzer = en.AnalyzerName
	if err := m.AddCustomAnalyzer(analyzerKey, map[string]any{
		"type":          custom.Name,
		"tokenizer":     single.Name,
		"token_filters": []any{lowercase.Name},
	}); err != nil {
		return nil, fmt.Errorf("index: mapping: %w", err)
	}
	if err := m.AddSynonymSource(synonymSource, map[string]any{
		"collection": synonymCollection,
		"analyzer":   analyzerKey,
	}); err != nil {
		return nil, fmt.Errorf("index: mapping: %w", err)
	}

	text := bleve.NewTextFieldMapping()
	text.Analyzer = en.AnalyzerName
	text.Store = false
	text.IncludeTermVectors = true // phrases, and which query terms a hit matched
	text.IncludeInAll = false
	text.DocValues = false

	places := bleve.NewTextFieldMapping()
	places.Analyzer = analyzerKey
	places.SynonymSource = synonymSource
	places.Store = false
	places.IncludeTermVectors = false
	places.IncludeInAll = false
	places.DocValues = false

	people := bleve.NewTextFieldMapping()
	people.Analyzer = analyzerKey
	people.Store = false
	people.IncludeTermVectors = false
	people.IncludeInAll = false
	people.DocValues = false

	doc := bleve.NewDocumentStaticMapping()
	doc.AddFieldMappingsAt(fieldText, text)
	doc.AddFieldMappingsAt(fieldSpeaker, people)
	doc.AddFieldMappingsAt(fieldPlaces, places)
	doc.AddFieldMappingsAt(fieldPeople, people)
	// Every field is left out of _all, but bleve still adds an empty _all
	// composite field to each document unless its mapping is disabled.
	doc.AddSubDocumentMapping("_all", bleve.NewDocumentDisabledMapping())
	m.DefaultMapping = doc
	m.DefaultField = fieldText
	return m, nil
}

// Build annotates the articles and indexes their sentences in memory
// (scorch, so that BM25 and synonyms are in force; see bleve-notes.md).
func Build(ctx context.Context, articles []*parley.Article, opts Options) (*Index, error) {
	m, err := Mapping()
	if err != nil {
		return nil, err
	}
	ix, err := prepare(articles, opts, m)
	if err != nil {
		return nil, err
	}
	idx, err := bleve.NewUsing("", m, scorch.Name, scorch.Name, scorchConfig(inMemory))
	if err != nil {
		return nil, fmt.Errorf("index: create: %w", err)
	}
	// In-memory scorch merges no segments, so each batch stays a segment
	// of its own (memBatch keeps them few); batches go in document order,
	// so equal scores still come in article and position order.
	if err := ix.load(ctx, idx, memStore(articles), 0, 1, memBatch(articles)); err != nil {
		idx.Close()
		return nil, err
	}
	ix.shards = []bleve.Index{idx}
	ix.store = memStore(articles)
	ix.placeKeys, ix.placeStart = nil, nil
	c, err := findChampions(ctx, idx, cmp.Or(opts.tierSize, firstTierSize))
	if err != nil {
		ix.Close()
		return nil, err
	}
	ix.champions = []champions{c}
	if err := ix.newExpander(opts.Lexicon); err != nil {
		ix.Close()
		return nil, err
	}
	ix.bigrams = newBigrams(articles, ix.analyzer)
	return ix, nil
}

// In-memory batches: at least memBatchMin sentences (a corpus of a few
// hundred articles stays one segment, as fast to search as before), at most
// memSegments segments. Measured on an 8 MB article: a peak heap of 873 MB
// in one batch, 284 MB in batches of 6,000 (with a collection between
// them), a faster build, searches as fast; 16 segments cost about 60 % more
// allocations per search than one, and no measurable time.
const (
	memBatchMin = 6000
	memSegments = 16
)

func memBatch(articles []*parley.Article) int {
	n := 0
	for _, a := range articles {
		n += len(a.Sentences)
	}
	return max(memBatchMin, (n+memSegments-1)/memSegments)
}

// prepare annotates the articles and finds what the index keeps besides
// bleve: people, topics, places, document numbers.
func prepare(articles []*parley.Article, opts Options, m *mapping.IndexMappingImpl) (*Index, error) {
	ix := &Index{articles: articles, byID: make(map[string]int, len(articles)), gaz: opts.Gazetteer, batch: opts.batch}
	if ix.batch <= 0 {
		ix.batch = diskBatch
	}
	ix.tierSize, ix.tierPostings = opts.tierSize, cmp.Or(opts.tierPostings, firstTierPostings)
	ix.docStart = make([]int, len(articles)+1)
	for i, a := range articles {
		if _, dup := ix.byID[a.ID]; dup {
			return nil, fmt.Errorf("index: article %s twice", a.ID)
		}
		ix.byID[a.ID] = i
		ix.docStart[i+1] = ix.docStart[i] + len(a.Sentences)
	}
	if opts.Annotator != nil {
		ix.people = opts.Annotator.Annotate(articles)
		// What the annotation held (about 400 MB at 100,000 articles) is
		// garbage now, but the collector's goal was set while it was live:
		// without a collection here the phases that follow grow the heap
		// to twice that before the next one.
		runtime.GC()
	}
	ix.indexPeople()
	ix.about = buildAbout(articles, ix.people, ix.docStart)
	ix.analyzer = m.AnalyzerNamed(en.AnalyzerName)
	ix.topics = topics(articles)
	ix.places = placesByMentions(articles)
	if ix.gaz != nil {
		ix.placeStart = make([]int, 1, ix.docStart[len(articles)]+1)
		seen := map[string]bool{}
		keys := map[string]string{}
		for _, a := range articles {
			for _, s := range a.Sentences {
				surfaces, names := ix.gaz.Mentions(a.Text[s.Start:s.End])
				for k, sf := range surfaces {
					if key := ix.gaz.Key(sf); key != "" {
						if same, ok := keys[key]; ok {
							key = same
						} else {
							keys[key] = key
						}
						ix.placeKeys = append(ix.placeKeys, key)
					}
					seen[names[k]] = true
				}
				ix.placeStart = append(ix.placeStart, len(ix.placeKeys))
			}
		}
		ix.mentioned = slices.Sorted(maps.Keys(seen))
	}
	return ix, nil
}

// placesByMentions ranks the places sentences mention, most mentioned
// first, then by name.
func placesByMentions(articles []*parley.Article) []string {
	count := map[string]int{}
	for _, a := range articles {
		for _, s := range a.Sentences {
			for _, p := range s.Places {
				count[p]++
			}
		}
	}
	places := make([]string, 0, len(count))
	for p := range count {
		places = append(places, p)
	}
	slices.SortFunc(places, func(a, b string) int {
		if c := cmp.Compare(count[b], count[a]); c != 0 {
			return c
		}
		return strings.Compare(a, b)
	})
	return places
}

// document is the bleve document of sentence n.
func (ix *Index) document(n int, a *parley.Article, s *parley.Sentence) map[string]any {
	doc := map[string]any{fieldText: a.Text[s.Start:s.End]}
	if s.Speaker != "" {
		doc[fieldSpeaker] = nameKey(s.Speaker)
	}
	if len(s.People) > 0 {
		keys := make([]string, len(s.People))
		for j, p := range s.People {
			keys[j] = nameKey(p)
		}
		doc[fieldPeople] = keys
	}
	// One value per name: the key analyzer keeps each value one token
	// (bleve's whitespace tokenizer allocates room for 1,024 tokens per
	// value, which was most of the memory a build needed).
	if n+1 < len(ix.placeStart) {
		if a, b := ix.placeStart[n], ix.placeStart[n+1]; a < b {
			doc[fieldPlaces] = ix.placeKeys[a:b:b]
		}
	}
	return doc
}

// load indexes the sentences of shard k of n, read from st, into idx in
// order, batch at a time (0: all in one batch), then the synonyms of every
// place the corpus mentions (each shard gets them all: a query for a place
// is expanded in every shard alike).
//
// Shard k holds every n-th article from the k-th: each shard is a sample
// of the whole corpus, not a run of it, so that its own statistics (how
// rare a word is, how long a sentence), by which bleve scores its hits,
// are close to the whole corpus's, and scores compare across shards.
func (ix *Index) load(ctx context.Context, idx bleve.Index, st store, k, n, batch int) error {
	b := idx.NewBatch()
	for i := k; i < len(ix.docStart)-1; i += n {
		a, err := st.article(i)
		if err != nil {
			return err
		}
		for j := range a.Sentences {
			if err := ctx.Err(); err != nil {
				return err
			}
			s := &a.Sentences[j]
			n := ix.docStart[i] + j
			if err := b.Index(strconv.Itoa(n), ix.document(n, a, s)); err != nil {
				return fmt.Errorf("index: sentence %s/%d: %w", a.ID, s.Position, err)
			}
			if batch > 0 && b.Size() >= batch {
				if err := idx.Batch(b); err != nil {
					return fmt.Errorf("index: batch: %w", err)
				}
				b.Reset()
				// The batch's analysis is garbage now, but the collector's
				// goal was set while it was live: without a collection here
				// the next batch grows the heap to twice the last one's peak
				// (an 8 MB article: 707 MB peak heap without, 284 MB with).
				runtime.GC()
			}
		}
	}
	if err := idx.Batch(b); err != nil {
		return fmt.Errorf("index: batch: %w", err)
	}
	return ix.loadSynonyms(idx)
}

func (ix *Index) loadSynonyms(idx bleve.Index) error {
	if ix.gaz == nil || len(ix.mentioned) == 0 {
		return nil
	}
	si, ok := idx.(bleve.SynonymIndex)
	if !ok {
		return fmt.Errorf("index: %T has no synonym support", idx)
	}
	sb := si.NewBatch()
	for _, n := range ix.mentioned {
		var keys []string
		dup := map[string]bool{}
		for _, al := range ix.gaz.Aliases(n) {
			if k := ix.gaz.Key(al); k != "" && !dup[k] {
				dup[k] = true
				keys = append(keys, k)
			}
		}
		if len(keys) < 2 {
			continue
		}
		if err := sb.IndexSynonym(n, synonymCollection, &bleve.SynonymDefinition{Synonyms: keys}); err != nil {
			return fmt.Errorf("index: synonyms for %s: %w", n, err)
		}
	}
	if err := si.Batch(sb); err != nil {
		return fmt.Errorf("index: synonym batch: %w", err)
	}
	return nil
}

// Close releases the bleve index (every shard) and the articles' file;
// closing again does nothing. Articles an answer still holds stay usable:
// they are in memory.
func (ix *Index) Close() error {
	ix.closeOnce.Do(func() {
		for _, sh := range ix.shards {
			ix.closeErr = errors.Join(ix.closeErr, sh.Close())
		}
		ix.closeErr = errors.Join(ix.closeErr, ix.store.close())
	})
	return ix.closeErr
}

// Articles implements parley.Corpus.
func (ix *Index) Articles() []*parley.Article { return ix.articles }

// Article implements parley.Corpus. An article of an on-disk index that
// cannot be read is not found (Search reports the error).
func (ix *Index) Article(id string) (*parley.Article, bool) {
	i, ok := ix.byID[id]
	if !ok {
		return nil, false
	}
	a, err := ix.store.article(i)
	return a, err == nil
}

// Places implements parley.Corpus.
func (ix *Index) Places() []string { return ix.places }

// People implements parley.Corpus.
func (ix *Index) People() []parley.Person { return ix.people }

// Len counts the articles.
func (ix *Index) Len() int { return len(ix.articles) }

// Sentences counts the indexed sentences.
func (ix *Index) Sentences() int { return ix.docStart[len(ix.docStart)-1] }

// sentence finds document n: its article's index and its position there.
func (ix *Index) sentence(n int) (article, position int, ok bool) {
	if n < 0 || n >= ix.Sentences() {
		return 0, 0, false
	}
	// The first article that starts after n, less one; empty articles
	// share a start with the next and are skipped.
	i := sort.SearchInts(ix.docStart, n+1) - 1
	return i, n - ix.docStart[i], true
}

// PlaceMentions implements parley.Corpus.
func (ix *Index) PlaceMentions(text string) []parley.Mention {
	if ix.gaz == nil {
		return nil
	}
	return ix.gaz.Find(text)
}

// Tokens implements parley.Corpus.
func (ix *Index) Tokens(text string) []parley.Token {
	toks := ix.analyzer.Analyze([]byte(text))
	out := make([]parley.Token, 0, len(toks))
	for _, t := range toks {
		out = append(out, parley.Token{Term: string(t.Term), Start: t.Start, End: t.End})
	}
	return out
}

// Terms implements parley.Corpus.
func (ix *Index) Terms(text string) []string {
	toks := ix.analyzer.Analyze([]byte(text))
	out := make([]string, 0, len(toks))
	for _, t := range toks {
		out = append(out, string(t.Term))
	}
	return out
}

// Topics implements parley.Corpus.
func (ix *Index) Topics(n int) []string {
	if n > len(ix.topics) {
		n = len(ix.topics)
	}
	return ix.topics[:n]
}

// Search implements parley.Corpus. Text reaches bleve only through match
// queries, which analyse it as words: query syntax has no meaning.
func (ix *Index) Search(ctx context.Context, q parley.Query) ([]parley.Hit, error) {
	return ix.search(ctx, q, false)
}

// search is Search; with locations, the matched terms are bleve's (tests
// compare the two ways).
func (ix *Index) search(ctx context.Context, q parley.Query, locations bool) ([]parley.Hit, error) {
	var should []query.Query
	// Which terms of the text each hit has is looked up for the hits kept
	// (matchedTerms), which costs less than bleve's locations, recorded for
	// every sentence it scores. A fuzzy query matches terms of the index
	// that are not the text's: bleve's locations name them.
	var want, typed []string
	locations = locations || q.Fuzzy
	// The text is analysed once, here: its terms make the match query
	// (as bleve's MatchQuery would, from the same analysis) and, when the
	// phrase is the text, the phrase's.
	text := words(q.Text)
	var toks analysis.TokenStream
	if text != "" {
		toks = ix.analyzer.Analyze([]byte(text))
		for _, t := range toks {
			if term := string(t.Term); !slices.Contains(typed, term) {
				typed = append(typed, term)
			}
		}
		if !locations {
			want = slices.Clone(typed)
		}
		if q.Fuzzy {
			mq := bleve.NewMatchQuery(text)
			mq.SetField(fieldText)
			mq.SetFuzziness(1)
			should = append(should, mq)
		} else if len(toks) > 0 {
			should = append(should, matchTerms(toks))
		}
	}
	for _, e := range q.Expand {
		tq := bleve.NewTermQuery(e.Term)
		tq.SetField(fieldText)
		tq.SetBoost(e.Weight)
		should = append(should, tq)
		if !locations && !slices.Contains(want, e.Term) {
			want = append(want, e.Term)
		}
	}
	phraseAt := -1
	if phrase := words(q.Phrase); phrase != "" {
		ptoks := toks
		if phrase != text {
			ptoks = ix.analyzer.Analyze([]byte(phrase))
		}
		if ix.bigrams.mayHave(ptoks) {
			pq, positions := phraseClause(phrase, ptoks)
			if positions {
				phraseAt = len(should)
			}
			should = append(should, pq)
		}
	}
	var synonyms []map[string][]string
	var names []query.Query // the places' and people's clauses, weighing nothing, for the first tier
	if ix.gaz != nil {
		for _, p := range q.Places {
			key := ix.gaz.Key(p)
			mq := bleve.NewMatchQuery(key)
			mq.SetField(fieldPlaces)
			should = append(should, mq)
			zero := bleve.NewMatchQuery(key)
			zero.SetField(fieldPlaces)
			zero.SetBoost(0)
			names = append(names, zero)
			syn, err := ix.synonymsOf(ctx, key, mq)
			if err != nil {
				return nil, err
			}
			synonyms = append(synonyms, syn)
		}
	}
	for _, p := range q.People {
		tq := bleve.NewTermQuery(nameKey(p))
		tq.SetField(fieldPeople)
		should = append(should, tq)
		zero := bleve.NewTermQuery(nameKey(p))
		zero.SetField(fieldPeople)
		zero.SetBoost(0)
		names = append(names, zero)
	}
	if len(should) == 0 && q.Speaker == "" {
		return nil, nil
	}
	var qq query.Query
	if len(should) > 0 {
		qq = bleve.NewDisjunctionQuery(should...)
	}
	if q.Speaker != "" {
		sq := bleve.NewTermQuery(nameKey(q.Speaker))
		sq.SetField(fieldSpeaker)
		if qq == nil {
			qq = sq
		} else {
			qq = bleve.NewConjunctionQuery(sq, qq)
		}
	}
	size := q.Size
	if size <= 0 {
		size = 50
	}
	syn := presearch(synonyms)
	var found []numbered
	if !q.Fuzzy && q.Speaker == "" {
		// A phrase is checked word position by word position in every
		// sentence with all its words, many of them in a first tier: the
		// tier is searched without it, then the best of that search with
		// it, each scored as the whole search scores it.
		first := qq
		if phraseAt >= 0 {
			first = bleve.NewDisjunctionQuery(slices.Delete(slices.Clone(should), phraseAt, phraseAt+1)...)
		}
		tier, err := ix.firstTier(ctx, typed, names, first)
		if err != nil {
			return nil, err
		}
		if tier != nil {
			var total uint64
			n := size
			if phraseAt >= 0 {
				n = max(4*size, phraseCandidates)
			}
			if found, total, err = ix.searchShards(ctx, tier, n, locations, syn); err != nil {
				return nil, err
			}
			switch {
			case total < uint64(size):
				found = nil // too few there: the whole search runs
			case phraseAt >= 0:
				if found, _, err = ix.searchShards(ctx, among(found, len(ix.shards), qq), size, locations, syn); err != nil {
					return nil, err
				}
			}
		}
	}
	if found == nil {
		qs := make([]query.Query, len(ix.shards))
		for k := range qs {
			qs[k] = qq
		}
		var err error
		if found, _, err = ix.searchShards(ctx, qs, size, locations, syn); err != nil {
			return nil, err
		}
	}
	hits := make([]parley.Hit, 0, len(found))
	texts := make([]string, 0, len(found))
	nums := make([]int, 0, len(found))
	for _, f := range found {
		i, pos, _ := ix.sentence(f.n)
		a, err := ix.store.article(i)
		if err != nil {
			return nil, err
		}
		if pos >= len(a.Sentences) {
			return nil, fmt.Errorf("index: sentence %d of %s: the index and the articles disagree", pos, a.ID)
		}
		s := &a.Sentences[pos]
		hits = append(hits, parley.Hit{Sentence: s, Score: f.score, Matched: f.terms})
		texts = append(texts, a.Text[s.Start:s.End])
		nums = append(nums, f.n)
	}
	if len(want) > 0 {
		ix.matchedTerms(hits, nums, texts, want)
	}
	return hits, nil
}

// matchedTerms finds which of the terms (sorted) each hit's text has, in
// sorted order, from the terms of each hit's text (docTerms). The hits'
// lists share an array (a few, when it grows), sized for a hit's usual
// two or three.
func (ix *Index) matchedTerms(hits []parley.Hit, nums []int, texts, terms []string) {
	slices.Sort(terms)
	all := make([]string, 0, 3*len(hits))
	for i := range hits {
		has := ix.docTerms(nums[i], texts[i])
		from := len(all)
		for j, k := 0, 0; j < len(terms) && k < len(has); {
			switch c := strings.Compare(terms[j], has[k]); {
			case c == 0:
				all = append(all, terms[j])
				j++
				k++
			case c < 0:
				j++
			default:
				k++
			}
		}
		if len(all) > from {
			hits[i].Matched = all[from:len(all):len(all)]
		}
	}
}

// docTermsSlots is how many sentences' terms are kept: sentence n's in
// slot n mod docTermsSlots, in place of any other's there.
const docTermsSlots = 1 << 14

// termsCache holds the analysed terms of the sentences searches found
// lately: which query terms a hit has is read from them, which costs less
// than bleve's locations (recorded for every sentence it scores) or a walk
// of each term's postings. A slot per sentence number, read with one
// atomic load: a search reads 25 to 100 hits' terms, and a hash map's
// lookups (sync.Map's, by number) were a tenth of that work.
type termsCache struct {
	slots [docTermsSlots]atomic.Pointer[sentenceTerms]
}

type sentenceTerms struct {
	n     int
	terms []string
}

// docTerms are the terms the index holds for sentence n, whose text is
// text, sorted, each once: what the text field's analyzer makes of it, as
// when it was indexed.
func (ix *Index) docTerms(n int, text string) []string {
	slot := &ix.docTermsCache.slots[uint(n)%docTermsSlots]
	if st := slot.Load(); st != nil && st.n == n {
		return st.terms
	}
	toks := ix.analyzer.Analyze([]byte(text))
	terms := make([]string, 0, len(toks))
	for _, t := range toks {
		terms = append(terms, string(t.Term))
	}
	slices.Sort(terms)
	terms = slices.Clip(slices.Compact(terms))
	slot.Store(&sentenceTerms{n: n, terms: terms})
	return terms
}

// searchShards searches every shard, in parallel when there are several,
// and returns the best size hits, best first, equal scores in document
// order (article, then position): bleve breaks ties by a document's place
// in its segment, which sortedSegments makes document order, and shards
// hold runs of documents in order.
func (ix *Index) searchShards(ctx context.Context, qs []query.Query, size int, locations bool, syn search.FieldTermSynonymMap) ([]numbered, uint64, error) {
	results := make([][]numbered, len(ix.shards))
	totals := make([]uint64, len(ix.shards))
	if len(ix.shards) == 1 {
		var err error
		if results[0], totals[0], err = ix.searchShard(ctx, 0, qs[0], size, locations, syn); err != nil {
			return nil, 0, err
		}
	} else {
		errs := make([]error, len(ix.shards))
		var wg sync.WaitGroup
		for i := range ix.shards {
			wg.Go(func() { results[i], totals[i], errs[i] = ix.searchShard(ctx, i, qs[i], size, locations, syn) })
		}
		wg.Wait()
		if err := errors.Join(errs...); err != nil {
			return nil, 0, err
		}
	}
	merged := merge(results)
	var total uint64
	for _, t := range totals {
		total += t
	}
	return merged[:min(len(merged), size)], total, nil
}

// searchShard returns the best k hits of one shard and how many match.
//
// It runs bleve's searcher itself, with what SearchInContext puts in the
// context for a request like this one (the mapping's scoring model, the
// places' synonyms handed in, the limit on term searchers), and collects
// the best hits as bleve's top-N collector would (collectTop), without
// the rest: SearchInContext makes a DocumentMatch per hit to load stored
// fields and highlights even when a request asks for none (4% of an
// /ask), and keeps statistics Parley does not read. The answers' golden
// files and the search tests hold the scores and their order.
func (ix *Index) searchShard(ctx context.Context, shard int, qq query.Query, k int, locations bool, syn search.FieldTermSynonymMap) ([]numbered, uint64, error) {
	sh := ix.shards[shard]
	r, err := readerOf(sh)
	if err != nil {
		return nil, 0, fmt.Errorf("index: search: %w", err)
	}
	defer r.Close()
	m := sh.Mapping()
	model := bindex.DefaultScoringModel
	if mi, ok := m.(*mapping.IndexMappingImpl); ok && mi.ScoringModel == bindex.BM25Scoring {
		model = bindex.BM25Scoring
	}
	ctx = context.WithValue(ctx, search.GetScoringModelCallbackKey, search.GetScoringModelCallbackFn(func() string { return model }))
	ctx = search.ContextWithTermSearchersCounter(ctx)
	ctx = context.WithValue(ctx, search.FieldTermSynonymMapKey, syn)
	s, err := qq.Searcher(ctx, r, m, search.SearcherOptions{IncludeTermVectors: locations})
	if err != nil {
		return nil, 0, fmt.Errorf("index: search: %w", err)
	}
	defer s.Close()
	out, total, err := collectTop(ctx, &ix.matchPools, s, r, k, shard, locations)
	if err != nil {
		return nil, 0, fmt.Errorf("index: search: %w", err)
	}
	return out, total, nil
}

// matchTerms is the query bleve's MatchQuery makes of the text field's
// analysed text (operator or, no fuzziness): each term's query, a term
// typed twice twice, in a disjunction of at least one.
func matchTerms(toks analysis.TokenStream) query.Query {
	tqs := make([]query.Query, len(toks))
	for i, t := range toks {
		tq := bleve.NewTermQuery(string(t.Term))
		tq.SetField(fieldText)
		tq.SetBoost(1)
		tqs[i] = tq
	}
	d := bleve.NewDisjunctionQuery(tqs...)
	d.SetMin(1)
	d.SetBoost(1)
	return d
}

// readerOf opens a reader of idx's current snapshot; the caller closes it.
// A scorch snapshot's term readers never go back (termReaders), which
// makes keeping closed ones safe.
func readerOf(idx bleve.Index) (bindex.IndexReader, error) {
	adv, err := idx.Advanced()
	if err != nil {
		return nil, err
	}
	r, err := adv.Reader()
	if err != nil {
		return nil, err
	}
	if snap, ok := r.(*scorch.IndexSnapshot); ok {
		if snap == nil {
			// A closed scorch index has no snapshot, where SearchInContext
			// would say it is closed.
			return nil, bleve.ErrorIndexClosed
		}
		return termReaders{snap}, nil
	}
	return r, nil
}

// merge sorts the shards' hits by score, then document, in place when
// there is one shard.
func merge(results [][]numbered) []numbered {
	out := results[0]
	if len(results) > 1 {
		out = nil
		for _, r := range results {
			out = append(out, r...)
		}
	}
	slices.SortFunc(out, func(a, b numbered) int {
		if c := cmp.Compare(b.score, a.score); c != 0 {
			return c
		}
		return cmp.Compare(a.n, b.n)
	})
	return out
}

// words keeps the words of typed text, so that "field:value" or "a*b" reach
// the analyser as separate words rather than one token that matches nothing.
func words(s string) string {
	return strings.Join(strings.FieldsFunc(s, func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '\'' && r != '’' && r != '-' && r != '%' && r != '.' && r != ','
	}), " ")
}

// nameKey is the index token for a person: "Emmanuel Macron" -> "emmanuel_macron".
func nameKey(name string) string {
	return strings.Join(strings.Fields(strings.ToLower(fold(name))), "_")
}

// fold drops diacritics ("Nicolás" -> "Nicolas").
func fold(s string) string {
	ascii := true
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			ascii = false
			break
		}
	}
	if ascii {
		return s // nothing to fold, and no allocation on the common path
	}
	d := norm.NFD.String(s)
	var b strings.Builder
	b.Grow(len(d))
	for _, r := range d {
		if unicode.Is(unicode.Mn, r) {
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}
