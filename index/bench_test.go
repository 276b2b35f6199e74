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

// BenchmarkRawBleve is the bare search (index.Bare) on the seeds: the
// yardstick for Parley's own work per answer. Run it in the same process as
// the handlers' benchmarks, one after the other (`parley bench` does), not
// beside other packages' benchmarks, which share the cores.
func BenchmarkRawBleve(b *testing.B) {
	arts, err := index.Load(seeds.FS())
	if err != nil {
		b.Fatal(err)
	}
	bare, err := index.BuildBare(context.Background(), "", arts)
	if err != nil {
		b.Fatal(err)
	}
	defer bare.Close()
	queries := []string{"military hubs", "troops", "how many troops will Ukraine's army have", "security guarantees", "ceasefire monitoring", "Donbas", "declaration of intent", "Russia foreign troops"}
	ctx := context.Background()
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := bare.Search(ctx, queries[i%len(queries)]); err != nil {
			b.Fatal(err)
		}
	}
}
