// Package index turns articles into Parley's searchable corpus: sentences
// with exact offsets, the people and places they mention, and a bleve index
// of one document per sentence. It implements parley.Corpus.
package index

import (
	"cmp"
	"context"
	"fmt"
	"slices"
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
	"github.com/blevesearch/bleve/v2/analysis/tokenizer/whitespace"
	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
	"golang.org/x/text/unicode/norm"

	"github.com/parley-bot/parley"
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
}

// Options say how to build an index. The zero value builds a plain sentence
// index with no people or places.
type Options struct {
	Annotator Annotator
	Gazetteer Gazetteer
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
}

var _ parley.Corpus = (*Index)(nil)

// Mapping builds the index mapping shared by the program and its tests: one
// document per sentence, English analysis with stemming and BM25 for the
// text, keyword fields for grouping, and lightly analysed fields for place
// and person tokens, with place names expanded through a synonym source.
func Mapping() (*mapping.IndexMappingImpl, error) {
	m := bleve.NewIndexMapping()
	m.ScoringModel = "bm25"
	m.DefaultAnalyzer = en.AnalyzerName
	if err := m.AddCustomAnalyzer(analyzerKey, map[string]any{
		"type":          custom.Name,
		"tokenizer":     whitespace.Name,
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

	kw := bleve.NewKeywordFieldMapping()
	kw.Store = false
	kw.IncludeInAll = false
	kw.DocValues = true

	places := bleve.NewTextFieldMapping()
	places.Analyzer = analyzerKey
	places.SynonymSource = synonymSource
	places.Store = false
	places.IncludeInAll = false

	people := bleve.NewTextFieldMapping()
	people.Analyzer = analyzerKey
	people.Store = false
	people.IncludeInAll = false

	doc := bleve.NewDocumentStaticMapping()
	doc.AddFieldMappingsAt(fieldText, text)
	doc.AddFieldMappingsAt(fieldArticle, kw)
	doc.AddFieldMappingsAt(fieldParagraph, kw)
	doc.AddFieldMappingsAt(fieldSpeaker, people)
	doc.AddFieldMappingsAt(fieldKind, kw)
	doc.AddFieldMappingsAt(fieldPlaces, places)
	doc.AddFieldMappingsAt(fieldPeople, people)
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
	idx, err := bleve.NewUsing("", m, scorch.Name, scorch.Name, nil)
	if err != nil {
		return nil, fmt.Errorf("index: create: %w", err)
	}
	ix, err := build(ctx, idx, m, articles, opts, 0)
	if err != nil {
		idx.Close()
		return nil, err
	}
	return ix, nil
}

// build annotates and indexes. batch caps the sentences per bleve batch;
// 0 means one batch, which in-memory scorch needs (it merges no segments),
// while an on-disk index merges in the background and must not hold a
// whole large corpus in one batch.
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
	return ix, nil
}

// load indexes every sentence in one batch: in-memory scorch merges nothing,
// so each batch would stay a segment of its own.
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
				doc[fieldPeople] = strings.Join(keys, " ")
			}
			if ix.gaz != nil {
				surfaces, names := ix.gaz.Mentions(a.Text[s.Start:s.End])
				if len(surfaces) > 0 {
					keys := make([]string, len(surfaces))
					for j, sf := range surfaces {
						keys[j] = ix.gaz.Key(sf)
						seen[names[j]] = true
					}
					doc[fieldPlaces] = strings.Join(keys, " ")
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

// Len counts the articles.
func (ix *Index) Len() int { return len(ix.articles) }

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
	res, err := ix.searchComplete(ctx, qq, size)
	if err != nil {
		return nil, err
	}
	type numbered struct {
		n   int
		hit *search.DocumentMatch
	}
	found := make([]numbered, 0, len(res))
	for _, h := range res {
		n, err := strconv.Atoi(h.ID)
		if err != nil || n < 0 || n >= len(ix.docs) {
			continue
		}
		found = append(found, numbered{n, h})
	}
	// Equal scores go in document order, which is article then position:
	// bleve breaks them by the order documents reached a segment, which a
	// batch takes from a map, so it changes from one build to the next.
	slices.SortFunc(found, func(a, b numbered) int {
		if c := cmp.Compare(b.hit.Score, a.hit.Score); c != 0 {
			return c
		}
		return cmp.Compare(a.n, b.n)
	})
	found = found[:min(len(found), size)]
	hits := make([]parley.Hit, 0, len(found))
	for _, f := range found {
		var matched []string
		for term := range f.hit.Locations[fieldText] {
			matched = append(matched, term)
		}
		sort.Strings(matched)
		hits = append(hits, parley.Hit{Sentence: ix.docs[f.n], Score: f.hit.Score, Matched: matched})
	}
	return hits, nil
}

// maxTied caps how far a search widens to take in every sentence tied with
// the last one kept (see searchComplete).
const maxTied = 4096

// searchComplete returns bleve's best hits for qq: at least size of them
// when there are, and with them every hit whose score equals the size-th.
// bleve cuts a tie at the size-th hit in whatever order documents reached
// their segment; taking the whole tie lets Search cut it by article and
// position instead, so that an answer is the same from one process (or
// build) to the next. Beyond maxTied hits the cut is bleve's.
func (ix *Index) searchComplete(ctx context.Context, qq query.Query, size int) (search.DocumentMatchCollection, error) {
	for k := size + 1; ; k = 2*k + size {
		req := bleve.NewSearchRequestOptions(qq, k, 0, false)
		req.IncludeLocations = true
		res, err := ix.idx.SearchInContext(ctx, req)
		if err != nil {
			return nil, fmt.Errorf("index: search: %w", err)
		}
		h := res.Hits
		if len(h) < k || h[k-1].Score < h[size-1].Score || k >= maxTied {
			return h, nil
		}
	}
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
