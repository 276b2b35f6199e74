package index

import (
	"context"
	"slices"
	"sync"
	"testing"

	bindex "github.com/blevesearch/bleve_index_api"
)

// postingsOf reads every document of term in the text field of shard 0,
// in order, with a reader of readerOf.
func postingsOf(t *testing.T, ix *Index, term string) []uint64 {
	t.Helper()
	r, err := readerOf(ix.shards[0])
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	tfr, err := r.TermFieldReader(context.Background(), []byte(term), fieldText, true, true, true)
	if err != nil {
		t.Fatal(err)
	}
	defer tfr.Close()
	var out []uint64
	var d bindex.TermFieldDoc
	for {
		got, err := tfr.Next(&d)
		if err != nil {
			t.Fatal(err)
		}
		if got == nil {
			return out
		}
		out = append(out, got.ID.Value())
	}
}

// A reader asked for a document at or before its own starts again from
// the start, as scorch's does, and can be closed twice.
func TestTermReadersGoBack(t *testing.T) {
	ix := seedIndex(t)
	want := postingsOf(t, ix, "troop")
	if len(want) < 6 {
		t.Fatalf("troop: %d sentences, want 6 or more for this test", len(want))
	}
	r, err := readerOf(ix.shards[0])
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	tfr, err := r.TermFieldReader(context.Background(), []byte("troop"), fieldText, true, true, true)
	if err != nil {
		t.Fatal(err)
	}
	id := make(bindex.IndexInternalID, 8)
	var d bindex.TermFieldDoc
	advance := func(to uint64) uint64 {
		t.Helper()
		id.SetValue(to)
		got, err := tfr.Advance(id, &d)
		if err != nil || got == nil {
			t.Fatalf("advance to %d: %v, %v", to, got, err)
		}
		return got.ID.Value()
	}
	for _, step := range []struct {
		to, want uint64
	}{
		{want[3], want[3]},
		{want[3], want[3]},     // where it is
		{want[1], want[1]},     // before it
		{want[1] + 1, want[2]}, // past it
		{want[0], want[0]},
		{want[5], want[5]},
	} {
		if got := advance(step.to); got != step.want {
			t.Fatalf("advance to %d: %d, want %d", step.to, got, step.want)
		}
	}
	for _, w := range want[6:] {
		got, err := tfr.Next(&d)
		if err != nil || got == nil || got.ID.Value() != w {
			t.Fatalf("next: %v, %v; want %d", got, err, w)
		}
	}
	if got, err := tfr.Next(&d); got != nil || err != nil {
		t.Fatalf("next past the end: %v, %v", got, err)
	}
	// Exhausted, it still goes back.
	if got := advance(want[0]); got != want[0] {
		t.Fatalf("advance after the end to %d: %d", want[0], got)
	}
	if err := tfr.Close(); err != nil {
		t.Fatal(err)
	}
	if err := tfr.Close(); err != nil {
		t.Fatalf("second close: %v", err)
	}
}

// Searches at once, each sending its readers back and closing them, read
// their own postings: no reader scorch keeps is shared by two searches.
// (With scorch's own reader, which closes itself when it goes back, this
// fails, and the race detector reports it.)
func TestKeptTermReadersAreNotShared(t *testing.T) {
	ix := seedIndex(t)
	terms := []string{"troop", "ukrain", "secur", "guarante", "ceasefir"}
	want := map[string][]uint64{}
	for _, term := range terms {
		want[term] = postingsOf(t, ix, term)
		if len(want[term]) < 3 {
			t.Fatalf("%s: %d sentences, want 3 or more for this test", term, len(want[term]))
		}
	}
	var wg sync.WaitGroup
	errs := make(chan string, 8)
	for g := range 8 {
		wg.Go(func() {
			id := make(bindex.IndexInternalID, 8)
			for i := range 300 {
				term := terms[(g+i)%len(terms)]
				r, err := readerOf(ix.shards[0])
				if err != nil {
					errs <- err.Error()
					return
				}
				tfr, err := r.TermFieldReader(context.Background(), []byte(term), fieldText, true, true, true)
				if err != nil {
					errs <- err.Error()
					return
				}
				var got []uint64
				var d bindex.TermFieldDoc
				for range 2 {
					if x, _ := tfr.Next(&d); x != nil {
						got = append(got, x.ID.Value())
					}
				}
				id.SetValue(want[term][0])
				if x, _ := tfr.Advance(id, &d); x != nil {
					got = append(got, x.ID.Value())
				}
				for {
					x, err := tfr.Next(&d)
					if err != nil || x == nil {
						break
					}
					got = append(got, x.ID.Value())
				}
				tfr.Close()
				tfr.Close()
				r.Close()
				if w := append(slices.Clone(want[term][:2]), want[term]...); !slices.Equal(got, w) {
					errs <- term + ": read another search's postings"
					return
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Fatal(e)
	}
}
