package index

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strconv"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis/lang/en"
	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/mapping"

	"github.com/parley-bot/parley"
)

// Bare is the yardstick Parley's speed is measured against, defined here
// once for every benchmark and tool that reports a ratio: bleve alone, over
// a one-field index of the same sentences with the English analyzer and
// BM25, answering a highlighted 5-hit match query for the text a person
// typed, with the stored text of the hits loaded. It is what a chat bot
// that shows bleve's best sentences would do per answer.
type Bare struct {
	idx bleve.Index
}

// BareHits is how many hits a bare search returns, as a page of Parley's
// answers shows.
const BareHits = 5

const bareField = "text"

func bareMapping() *mapping.IndexMappingImpl {
	m := bleve.NewIndexMapping()
	m.ScoringModel = "bm25"
	m.DefaultAnalyzer = en.AnalyzerName
	text := bleve.NewTextFieldMapping()
	text.Analyzer = en.AnalyzerName
	text.Store = true
	text.IncludeTermVectors = true // highlighting needs them
	text.IncludeInAll = false
	doc := bleve.NewDocumentStaticMapping()
	doc.AddFieldMappingsAt(bareField, text)
	m.DefaultMapping = doc
	m.DefaultField = bareField
	return m
}

// BuildBare indexes the articles' sentences for bare searches: in memory
// when path is "", else on disk at path (which must not exist), in batches
// and merged to one segment as BuildOnDisk does, so that the yardstick pays
// what Parley's index pays.
func BuildBare(ctx context.Context, path string, articles []*parley.Article) (*Bare, error) {
	m := bareMapping()
	registerSegments() // no index may open while the registry changes
	var (
		idx   bleve.Index
		err   error
		batch int
	)
	if path == "" {
		idx, err = bleve.NewUsing("", m, scorch.Name, scorch.Name, nil)
	} else {
		if _, serr := os.Stat(path); serr == nil {
			return nil, fmt.Errorf("index: %s already exists", path)
		}
		idx, err = bleve.New(path, m)
		batch = bareBatch
	}
	if err != nil {
		return nil, fmt.Errorf("index: create bare index: %w", err)
	}
	fail := func(err error) (*Bare, error) {
		idx.Close()
		if path != "" {
			os.RemoveAll(path)
		}
		return nil, err
	}
	b := idx.NewBatch()
	n := 0
	for _, a := range articles {
		for _, s := range a.Sentences {
			if err := ctx.Err(); err != nil {
				return fail(err)
			}
			if err := b.Index(strconv.Itoa(n), map[string]any{bareField: a.Text[s.Start:s.End]}); err != nil {
				return fail(fmt.Errorf("index: bare sentence %s/%d: %w", a.ID, s.Position, err))
			}
			n++
			if batch > 0 && b.Size() >= batch {
				if err := idx.Batch(b); err != nil {
					return fail(fmt.Errorf("index: bare batch: %w", err))
				}
				b.Reset()
			}
		}
	}
	if err := idx.Batch(b); err != nil {
		return fail(fmt.Errorf("index: bare batch: %w", err))
	}
	if path == "" {
		return &Bare{idx: idx}, nil
	}
	live, err := forceMerge(ctx, idx)
	if err != nil {
		return fail(err)
	}
	if err := idx.Close(); err != nil {
		return fail(fmt.Errorf("index: bare index: %w", err))
	}
	if err := removeStale(filepath.Join(path, "store"), live); err != nil {
		os.RemoveAll(path)
		return nil, fmt.Errorf("index: bare index: %w", err)
	}
	return OpenBare(path)
}

// bareBatch is how many sentences go to an on-disk bare index at once.
const bareBatch = 20000

// OpenBare opens a bare index built on disk, read-only.
func OpenBare(path string) (*Bare, error) {
	registerSegments()
	idx, err := bleve.OpenUsing(path, map[string]any{"read_only": true})
	if err != nil {
		return nil, fmt.Errorf("index: open bare index %s: %w", path, err)
	}
	return &Bare{idx: idx}, nil
}

// bareRequest is the bare search of text: a match query, BareHits hits,
// highlighted, with the stored text.
func bareRequest(text string) *bleve.SearchRequest {
	q := bleve.NewMatchQuery(text)
	q.SetField(bareField)
	req := bleve.NewSearchRequestOptions(q, BareHits, 0, false)
	req.Highlight = bleve.NewHighlight()
	req.Fields = []string{bareField}
	return req
}

// Search is one bare search: the typed text as a match query, 5 hits,
// highlighted, stored text loaded. It returns how many hits it found.
func (b *Bare) Search(ctx context.Context, text string) (int, error) {
	res, err := b.idx.SearchInContext(ctx, bareRequest(text))
	if err != nil {
		return 0, fmt.Errorf("index: bare search: %w", err)
	}
	return len(res.Hits), nil
}

// SearchJSON is Search answered as bleve's own HTTP handler answers it:
// the search result (hits with their highlighted and stored text) as JSON,
// the yardstick of a search served over HTTP.
func (b *Bare) SearchJSON(ctx context.Context, text string) ([]byte, error) {
	res, err := b.idx.SearchInContext(ctx, bareRequest(text))
	if err != nil {
		return nil, fmt.Errorf("index: bare search: %w", err)
	}
	out, err := json.Marshal(res)
	if err != nil {
		return nil, fmt.Errorf("index: bare search: %w", err)
	}
	return out, nil
}

// Close releases the bare index.
func (b *Bare) Close() error { return b.idx.Close() }
