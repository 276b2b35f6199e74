// Package index turns articles into Parley's searchable corpus: sentences
// with exact offsets, the people and places they mention, and a bleve index
// of one document per sentence. It implements parley.Corpus.
package index

import (
	"context"
	"fmt"
	"runtime"
	"sort"
	"strconv"
	"strings"
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
	"github.com/blevesearch/bleve/v2/search/query"
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
}

// Index is a built corpus. It is immutable once built and safe for
// concurrent use.
type Index struct {
	articles []*parley.Article
	byID     map[string]*parley.Article
	docs     []*parley.Sentence
	people   []parley.Person
	// personByName maps spellings to indexes of people.
	personByName map[string]int
	gaz          Gazetteer
	idx          bleve.Index
	analyzer     analysis.Analyzer
	topics       []string
	expand       *expander
}

var _ parley.Corpus = (*Index)(nil)

// Mapping builds the index mapping shared by the program and its tests: one
// document per sentence, English analysis with stemming and BM25 for the
// text, keyword fields for grouping, and lightly analysed fields for place
// and person tokens, with place names expanded through a synonym source.
// Place and person fields get one value per name, each kept one token by a
// single-token tokenizer: bleve's whitespace tokenizer allocates room for
// 1,024 tokens per value, which was most of the memory a build needed.
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
	text.IncludeTermVectors = true // locations tell which query terms a hit matched
	text.IncludeInAll = false
	// No field is sorted or faceted on: doc values (on by default) would
	// only cost memory.
	text.DocValues = false

	kw := bleve.NewKeywordFieldMapping()
	kw.Store = false
	kw.IncludeInAll = false
	kw.DocValues = false

	places := bleve.NewTextFieldMapping()
	places.Analyzer = analyzerKey
	places.SynonymSource = synonymSource
	places.Store = false
	places.IncludeInAll = false
	places.IncludeTermVectors = false // never in a phrase, never highlighted
	places.DocValues = false

	people := bleve.NewTextFieldMapping()
	people.Analyzer = analyzerKey
	people.Store = false
	people.IncludeInAll = false
	people.IncludeTermVectors = false
	people.DocValues = false

	doc := bleve.NewDocumentStaticMapping()
	doc.AddFieldMappingsAt(fieldText, text)
	doc.AddFieldMappingsAt(fieldArticle, kw)
	doc.AddFieldMappingsAt(fieldParagraph, kw)
	doc.AddFieldMappingsAt(fieldSpeaker, people)
	doc.AddFieldMappingsAt(fieldKind, kw)
	doc.AddFieldMappingsAt(fieldPlaces, places)
	doc.AddFieldMappingsAt(fieldPeople, people)
	// Every field is left out of _all, but bleve still adds an empty _all
	// composite field to each document unless its mapping is disabled.
	all := bleve.NewDocumentDisabledMapping()
	doc.AddSubDocumentMapping("_all", all)
	m.DefaultMapping = doc
	m.DefaultField = fieldText
	return m, nil
}

// Build annotates the articles and indexes their sentences in memory
// (scorch, so that BM25 and synonyms are in force; see bleve-notes.md).
// It indexes memBatch sentences at a time: the analysis of a whole batch is
// held until its segment is written, so a single batch made a build's peak
// memory several times the finished index.
func Build(ctx context.Context, articles []*parley.Article, opts Options) (*Index, error) {
	m, err := Mapping()
	if err != nil {
		return nil, err
	}
	idx, err := bleve.NewUsing("", m, scorch.Name, scorch.Name, nil)
	if err != nil {
		return nil, fmt.Errorf("index: create: %w", err)
	}
	ix, err := build(ctx, idx, m, articles, opts, memBatch(articles))
	if err != nil {
		idx.Close()
		return nil, err
	}
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

// build annotates and indexes. batch caps the sentences per bleve batch; 0
// means one batch. In-memory scorch merges no segments, so each batch stays
// a segment of its own (memBatch keeps them few); an on-disk index merges in
// the background.
func build(ctx context.Context, idx bleve.Index, m *mapping.IndexMappingImpl, articles []*parley.Article, opts Options, batch int) (*Index, error) {
	ix := &Index{articles: articles, byID: make(map[string]*parley.Article, len(articles)), gaz: opts.Gazetteer, idx: idx}
	for _, a := range articles {
		if _, dup := ix.byID[a.ID]; dup {
			return nil, fmt.Errorf("index: article %s twice", a.ID)
		}
		ix.byID[a.ID] = a
	}
	if opts.Annotator != nil {
		ix.people = opts.Annotator.Annotate(articles)
	}
	ix.indexPeople()
	ix.analyzer = m.AnalyzerNamed(en.AnalyzerName)
	if err := ix.load(ctx, batch); err != nil {
		return nil, err
	}
	ix.topics = topics(ix)
	if err := ix.newExpander(opts.Lexicon); err != nil {
		return nil, err
	}
	return ix, nil
}

// load indexes every sentence, batch sentences at a time (0: all at once).
func (ix *Index) load(ctx context.Context, batch int) error {
	b := ix.idx.NewBatch()
	seen := map[string]bool{}
	for _, a := range ix.articles {
		for i := range a.Sentences {
			if err := ctx.Err(); err != nil {
				return err
			}
			s := &a.Sentences[i]
			id := strconv.Itoa(len(ix.docs))
			ix.docs = append(ix.docs, s)
			doc := map[string]any{
				fieldText:      a.Text[s.Start:s.End],
				fieldArticle:   a.ID,
				fieldParagraph: a.ID + "#" + strconv.Itoa(s.Paragraph),
				fieldKind:      s.Kind,
			}
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
			if ix.gaz != nil {
				surfaces, names := ix.gaz.Mentions(a.Text[s.Start:s.End])
				if len(surfaces) > 0 {
					// One value per place: the key analyzer keeps each value
					// one token, so no list needs splitting again.
					keys := make([]string, 0, len(surfaces))
					for j, sf := range surfaces {
						if k := ix.gaz.Key(sf); k != "" {
							keys = append(keys, k)
						}
						seen[names[j]] = true
					}
					doc[fieldPlaces] = keys
				}
			}
			if err := b.Index(id, doc); err != nil {
				return fmt.Errorf("index: sentence %s/%d: %w", a.ID, s.Position, err)
			}
			if batch > 0 && b.Size() >= batch {
				if err := ix.idx.Batch(b); err != nil {
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
	if err := ix.idx.Batch(b); err != nil {
		return fmt.Errorf("index: batch: %w", err)
	}
	if ix.gaz == nil || len(seen) == 0 {
		return nil
	}
	si, ok := ix.idx.(bleve.SynonymIndex)
	if !ok {
		return fmt.Errorf("index: %T has no synonym support", ix.idx)
	}
	sb := si.NewBatch()
	names := make([]string, 0, len(seen))
	for n := range seen {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
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

// Close releases the bleve index.
func (ix *Index) Close() error { return ix.idx.Close() }

// Articles implements parley.Corpus.
func (ix *Index) Articles() []*parley.Article { return ix.articles }

// Article implements parley.Corpus.
func (ix *Index) Article(id string) (*parley.Article, bool) {
	a, ok := ix.byID[id]
	return a, ok
}

// People implements parley.Corpus.
func (ix *Index) People() []parley.Person { return ix.people }

// PlaceMentions implements parley.Corpus.
func (ix *Index) PlaceMentions(text string) []parley.Mention {
	if ix.gaz == nil {
		return nil
	}
	return ix.gaz.Find(text)
}

// Sentences counts the indexed sentences.
func (ix *Index) Sentences() int { return len(ix.docs) }

// Terms implements parley.Corpus.
func (ix *Index) Terms(text string) []string {
	toks := ix.analyzer.Analyze([]byte(text))
	out := make([]string, 0, len(toks))
	for _, t := range toks {
		out = append(out, string(t.Term))
	}
	return out
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
	var should []query.Query
	if text := words(q.Text); text != "" {
		mq := bleve.NewMatchQuery(text)
		mq.SetField(fieldText)
		if q.Fuzzy {
			mq.SetFuzziness(1)
		}
		should = append(should, mq)
	}
	for _, e := range q.Expand {
		tq := bleve.NewTermQuery(e.Term)
		tq.SetField(fieldText)
		tq.SetBoost(e.Weight)
		should = append(should, tq)
	}
	if phrase := words(q.Phrase); phrase != "" {
		pq := bleve.NewMatchPhraseQuery(phrase)
		pq.SetField(fieldText)
		pq.SetBoost(2)
		should = append(should, pq)
	}
	if ix.gaz != nil {
		for _, p := range q.Places {
			mq := bleve.NewMatchQuery(ix.gaz.Key(p))
			mq.SetField(fieldPlaces)
			should = append(should, mq)
		}
	}
	for _, p := range q.People {
		tq := bleve.NewTermQuery(nameKey(p))
		tq.SetField(fieldPeople)
		should = append(should, tq)
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
	req := bleve.NewSearchRequestOptions(qq, size, 0, false)
	req.IncludeLocations = true
	// Equal scores in document order: a batch is a map, so two builds of
	// the same articles number sentences differently inside the segment,
	// and without a tie-break the same question could get other hits (at
	// the Size cut) or another order from another replica.
	req.SortBy([]string{"-_score", "_id"})
	res, err := ix.idx.SearchInContext(ctx, req)
	if err != nil {
		return nil, fmt.Errorf("index: search: %w", err)
	}
	hits := make([]parley.Hit, 0, len(res.Hits))
	for _, h := range res.Hits {
		n, err := strconv.Atoi(h.ID)
		if err != nil || n < 0 || n >= len(ix.docs) {
			continue
		}
		var matched []string
		for term := range h.Locations[fieldText] {
			matched = append(matched, term)
		}
		sort.Strings(matched)
		hits = append(hits, parley.Hit{Sentence: ix.docs[n], Score: h.Score, Matched: matched})
	}
	return hits, nil
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
