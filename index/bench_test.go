package index_test

import (
	"context"
	"testing"

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
