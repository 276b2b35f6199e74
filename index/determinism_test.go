package index_test

import (
	"context"
	"testing"

	"github.com/parley-bot/parley"
)

// Two builds of the same articles (two replicas, or a reload) give the
// same hits in the same order: a question asked again, or its next page
// from another replica, must find what the first answer showed.
func TestSearchIsTheSameAcrossBuilds(t *testing.T) {
	a, b := build(t), build(t)
	ctx := context.Background()
	for _, q := range []string{"troops", "security guarantees", "Donetsk control", "ceasefire monitoring", "Kushner Witkoff", "said"} {
		ha, err := a.Search(ctx, parley.Query{Text: q, Size: 10})
		if err != nil {
			t.Fatal(err)
		}
		hb, err := b.Search(ctx, parley.Query{Text: q, Size: 10})
		if err != nil {
			t.Fatal(err)
		}
		if len(ha) != len(hb) {
			t.Fatalf("%q: %d hits, then %d", q, len(ha), len(hb))
		}
		for i := range ha {
			if ha[i].Sentence.Article != hb[i].Sentence.Article || ha[i].Sentence.Start != hb[i].Sentence.Start {
				t.Errorf("%q: hit %d differs between two builds", q, i)
				break
			}
		}
	}
}
