package index

import (
	"context"

	"github.com/blevesearch/bleve/v2/index/scorch"
	bindex "github.com/blevesearch/bleve_index_api"
)

// keptTermReaders is how many closed term readers of each field scorch
// keeps for the next searches ("fieldTFRCacheThreshold"). Opening one
// loads the field's dictionary of every segment and allocates its
// postings and their iterator, for every word of every search: a fifth
// of an /ask on the seeds, and a quarter of its allocations. A search
// opens one per word, its expansions and each place's synonyms, about
// twenty at most; the rest serve searches at the same time.
const keptTermReaders = 64

// termReaders is a scorch snapshot whose term readers never go back.
//
// Bleve keeps no closed readers by default since MB-64604: a reader
// asked for a document at or before its own reads its postings again
// from the start, and did so by closing itself, which hands it to the
// next search, before going on with it; two searches then shared it.
// Here a reader never goes back: the search gets a fresh one in its
// place, and the old one is closed once the new one has taken over
// (bleve's fix upstream is the same, in bleve's own reader). Every search
// reads the index through readerOf, so through termReaders.
type termReaders struct {
	*scorch.IndexSnapshot
}

func (r termReaders) TermFieldReader(ctx context.Context, term []byte, field string, freq, norm, vectors bool) (bindex.TermFieldReader, error) {
	tfr, err := r.IndexSnapshot.TermFieldReader(ctx, term, field, freq, norm, vectors)
	if err != nil {
		return nil, err
	}
	return &forwardTerms{TermFieldReader: tfr, snap: r.IndexSnapshot, ctx: ctx, term: term, field: field,
		freq: freq, norm: norm, vectors: vectors}, nil
}

// forwardTerms is a term reader that opens a fresh one instead of going
// back, and is closed once.
type forwardTerms struct {
	bindex.TermFieldReader
	snap *scorch.IndexSnapshot
	ctx  context.Context
	term []byte
	// at is the document last returned, while started: the returned
	// document's own ID, as scorch's reader keeps it, so that both see
	// the same place whatever the caller does with the document.
	at                  bindex.IndexInternalID
	field               string
	freq, norm, vectors bool
	started, closed     bool
}

func (t *forwardTerms) Next(pre *bindex.TermFieldDoc) (*bindex.TermFieldDoc, error) {
	d, err := t.TermFieldReader.Next(pre)
	t.mark(d)
	return d, err
}

func (t *forwardTerms) Advance(id bindex.IndexInternalID, pre *bindex.TermFieldDoc) (*bindex.TermFieldDoc, error) {
	if !t.started || t.at.Compare(id) < 0 {
		d, err := t.TermFieldReader.Advance(id, pre)
		t.mark(d)
		return d, err
	}
	fresh, err := t.snap.TermFieldReader(t.ctx, t.term, t.field, t.freq, t.norm, t.vectors)
	if err != nil {
		return nil, err
	}
	d, err := fresh.Advance(id, pre)
	// The old reader is let go of before it is closed: closed, it may be
	// another search's at once.
	old := t.TermFieldReader
	t.TermFieldReader = fresh
	t.started = false
	t.mark(d)
	if cerr := old.Close(); err == nil {
		err = cerr
	}
	return d, err
}

// mark records where the reader is as scorch's reader does: it goes back
// to the start when asked for the document it returned last or one before
// it, and once exhausted it stays where it was.
func (t *forwardTerms) mark(d *bindex.TermFieldDoc) {
	if d != nil {
		t.at, t.started = d.ID, true
	}
}

func (t *forwardTerms) Close() error {
	if t.closed {
		return nil
	}
	t.closed = true
	return t.TermFieldReader.Close()
}
