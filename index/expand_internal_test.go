package index

import (
	"testing"

	"github.com/parley-bot/parley"
)

// BenchmarkExpandUncached is what a word costs the first time it is asked
// (later asks are served from the cache).
func BenchmarkExpandUncached(b *testing.B) {
	opts, err := DefaultOptions()
	if err != nil {
		b.Fatal(err)
	}
	ix, err := Build(b.Context(), nil, opts)
	if err != nil {
		b.Fatal(err)
	}
	defer ix.Close()
	e := ix.expand
	if e == nil {
		e = &expander{lex: opts.Lexicon, vocab: map[string]int{}, terms: ix.Terms, cache: map[string][]parley.Expansion{}}
	}
	words := []string{"summit", "biggest", "peacekeepers", "lead", "killed", "deaths", "cost", "hubs", "attended", "talks"}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		e.compute(words[i%len(words)])
	}
}
