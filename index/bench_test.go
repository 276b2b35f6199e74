package index_test

import (
	"context"
	"strconv"
	"testing"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/mapping"

	"github.com/parley-bot/parley/index"
	"github.com/parley-bot/parley/seeds"
)

// BenchmarkBuild measures start-up work: loading and splitting the seeds,
// people and places, and the bleve index.
func BenchmarkBuild(b *testing.B) {
	opts := testOptions(b)
	b.ReportAllocs()
	for b.Loop() {
		arts, err := index.Load(seeds.FS())
		if err != nil {
			b.Fatal(err)
		}
		ix, err := index.Build(context.Background(), arts, opts)
		if err != nil {
			b.Fatal(err)
		}
		ix.Close()
	}
}

// BenchmarkRawBleve is bleve alone on the seeds (5 hits, highlighted), as
// bleve-notes.md measured it: the yardstick for Parley's own work per answer.
func BenchmarkRawBleve(b *testing.B) {
	arts, err := index.Load(seeds.FS())
	if err != nil {
		b.Fatal(err)
	}
	m := mapping.NewIndexMapping()
	m.ScoringModel = "bm25"
	idx, err := bleve.NewUsing("", m, scorch.Name, scorch.Name, nil)
	if err != nil {
		b.Fatal(err)
	}
	defer idx.Close()
	batch := idx.NewBatch()
	n := 0
	for _, a := range arts {
		for _, s := range a.Sentences {
			batch.Index(strconv.Itoa(n), map[string]any{"text": a.Text[s.Start:s.End]})
			n++
		}
	}
	if err := idx.Batch(batch); err != nil {
		b.Fatal(err)
	}
	queries := []string{"military hubs", "troops", "how many troops will Ukraine's army have", "security guarantees", "ceasefire monitoring", "Donbas", "declaration of intent", "Russia foreign troops"}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		q := bleve.NewMatchQuery(queries[i%len(queries)])
		req := bleve.NewSearchRequestOptions(q, 5, 0, false)
		req.Highlight = bleve.NewHighlight()
		req.Fields = []string{"text"}
		if _, err := idx.Search(req); err != nil {
			b.Fatal(err)
		}
	}
}
