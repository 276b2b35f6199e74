package index

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/gob"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis/lang/en"
	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/index/scorch/mergeplan"

	"github.com/parley-bot/parley"
)

// corpusKey is where an on-disk index keeps its articles, sentences and
// people (gob, gzipped), so that it answers with no articles folder beside
// it. gob decodes several times faster than JSON, which is most of the time
// opening a large index takes.
var corpusKey = []byte("parley/corpus/v2")

type snapshot struct {
	Articles []snapArticle
	People   []snapPerson
	// Topics are kept too: finding them reads every sentence again.
	Topics []string
}

type snapArticle struct {
	ID        string         `json:"id"`
	Title     string         `json:"title"`
	Headline  string         `json:"headline,omitempty"`
	Outlet    string         `json:"outlet,omitempty"`
	URL       string         `json:"url,omitempty"`
	Date      string         `json:"date,omitempty"`
	Text      string         `json:"text"`
	Sentences []snapSentence `json:"sentences"`
}

type snapSentence struct {
	Paragraph int             `json:"p"`
	Start     int             `json:"s"`
	End       int             `json:"e"`
	ParaStart int             `json:"ps"`
	ParaEnd   int             `json:"pe"`
	Speaker   string          `json:"sp,omitempty"`
	Kind      string          `json:"k,omitempty"`
	People    []string        `json:"pl,omitempty"`
	Places    []string        `json:"pc,omitempty"`
	Features  parley.Features `json:"f,omitempty"`
}

type snapPerson struct {
	Person  parley.Person
	Aliases []string
}

// diskBatch is how many sentences go to an on-disk index at once: large
// enough for few segments, small enough to bound memory while building.
const diskBatch = 20000

// BuildOnDisk builds an index at path (which must not exist) for corpora too
// large to build at start-up; Open serves it read-only.
func BuildOnDisk(ctx context.Context, path string, articles []*parley.Article, opts Options) error {
	if _, err := os.Stat(path); err == nil {
		return fmt.Errorf("index: %s already exists", path)
	}
	m, err := Mapping()
	if err != nil {
		return err
	}
	idx, err := bleve.New(path, m)
	if err != nil {
		return fmt.Errorf("index: create %s: %w", path, err)
	}
	ix, err := build(ctx, idx, m, articles, opts, diskBatch)
	if err != nil {
		idx.Close()
		os.RemoveAll(path)
		return err
	}
	blob, err := encodeSnapshot(ix)
	if err == nil {
		err = idx.SetInternal(corpusKey, blob)
	}
	if cerr := idx.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.RemoveAll(path)
		return fmt.Errorf("index: write %s: %w", path, err)
	}
	return nil
}

// Open opens an index written by BuildOnDisk, read-only. opts.Gazetteer must
// be the one it was built with; opts.Annotator is not used.
func Open(path string, opts Options) (*Index, error) {
	idx, err := bleve.OpenUsing(path, map[string]any{"read_only": true})
	if err != nil {
		return nil, fmt.Errorf("index: open %s: %w", path, err)
	}
	blob, err := idx.GetInternal(corpusKey)
	if err != nil || len(blob) == 0 {
		idx.Close()
		if err == nil {
			err = errors.New("no Parley corpus in it")
		}
		return nil, fmt.Errorf("index: open %s: %w", path, err)
	}
	snap, err := decodeSnapshot(blob)
	if err != nil {
		idx.Close()
		return nil, fmt.Errorf("index: open %s: %w", path, err)
	}
	ix := &Index{byID: map[string]*parley.Article{}, gaz: opts.Gazetteer, idx: idx}
	for _, sa := range snap.Articles {
		a := &parley.Article{ID: sa.ID, Title: sa.Title, Headline: sa.Headline, Outlet: sa.Outlet, URL: sa.URL, Date: sa.Date, Text: sa.Text}
		a.Sentences = make([]parley.Sentence, len(sa.Sentences))
		for i, s := range sa.Sentences {
			if s.Start < 0 || s.End > len(a.Text) || s.Start > s.End {
				idx.Close()
				return nil, fmt.Errorf("index: open %s: sentence %s/%d out of range", path, a.ID, i)
			}
			a.Sentences[i] = parley.Sentence{Article: a.ID, Position: i, Paragraph: s.Paragraph, Start: s.Start, End: s.End,
				ParagraphStart: s.ParaStart, ParagraphEnd: s.ParaEnd, Speaker: s.Speaker, Kind: s.Kind,
				People: s.People, Places: s.Places, Features: s.Features}
		}
		ix.articles = append(ix.articles, a)
		ix.byID[a.ID] = a
		for i := range a.Sentences {
			ix.docs = append(ix.docs, &a.Sentences[i])
		}
	}
	for _, p := range snap.People {
		p.Person.Aliases = p.Aliases
		ix.people = append(ix.people, p.Person)
	}
	ix.indexPeople()
	m, err := Mapping()
	if err != nil {
		idx.Close()
		return nil, err
	}
	ix.analyzer = m.AnalyzerNamed(en.AnalyzerName)
	ix.topics = snap.Topics
	return ix, nil
}

func encodeSnapshot(ix *Index) ([]byte, error) {
	snap := snapshot{Topics: ix.topics}
	for _, a := range ix.articles {
		sa := snapArticle{ID: a.ID, Title: a.Title, Headline: a.Headline, Outlet: a.Outlet, URL: a.URL, Date: a.Date, Text: a.Text}
		for _, s := range a.Sentences {
			sa.Sentences = append(sa.Sentences, snapSentence{Paragraph: s.Paragraph, Start: s.Start, End: s.End,
				ParaStart: s.ParagraphStart, ParaEnd: s.ParagraphEnd, Speaker: s.Speaker, Kind: s.Kind,
				People: s.People, Places: s.Places, Features: s.Features})
		}
		snap.Articles = append(snap.Articles, sa)
	}
	for _, p := range ix.people {
		snap.People = append(snap.People, snapPerson{Person: p, Aliases: p.Aliases})
	}
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	if err := gob.NewEncoder(zw).Encode(snap); err != nil {
		return nil, err
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

func decodeSnapshot(blob []byte) (*snapshot, error) {
	zr, err := gzip.NewReader(bytes.NewReader(blob))
	if err != nil {
		return nil, err
	}
	var snap snapshot
	if err := gob.NewDecoder(zr).Decode(&snap); err != nil {
		return nil, err
	}
	if _, err := io.Copy(io.Discard, zr); err != nil {
		return nil, err
	}
	return &snap, nil
}

// forceMerge merges an on-disk index to one segment: a read-only index is
// searched many times and written once, and every segment a query visits
// costs it a dictionary lookup and a merge of postings.
func forceMerge(ctx context.Context, idx bleve.Index) error {
	adv, err := idx.Advanced()
	if err != nil {
		return fmt.Errorf("index: merge: %w", err)
	}
	s, ok := adv.(*scorch.Scorch)
	if !ok {
		return fmt.Errorf("index: merge: %T is not scorch", adv)
	}
	if err := s.ForceMerge(ctx, &mergeplan.SingleSegmentMergePlanOptions); err != nil {
		return fmt.Errorf("index: merge: %w", err)
	}
	return nil
}
