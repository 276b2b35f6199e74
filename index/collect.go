package index

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"sync"

	"github.com/blevesearch/bleve/v2/search"
	bindex "github.com/blevesearch/bleve_index_api"
)

// numbered is a hit of one shard: its sentence's document number, its
// score and, when locations were asked for, the terms of the text field it
// matched (bleve names them for fuzzy queries).
type numbered struct {
	n     int
	shard int
	score float64
	// doc is the hit's number inside its shard (tier.go's among).
	doc   uint64
	terms []string
}

// collectTop returns the best k matches of s, best first (higher score,
// then earlier in the shard), and how many matched: what bleve's top-N
// collector sorted by score returns, with the same order for equal scores
// (its hit number, the order the searcher finds documents in).
//
// Why not bleve's collector: it allocates a pool of k plus the searcher's
// in-flight matches (a DocumentMatch is over 200 bytes) for every search,
// the largest allocation of an answer on the seeds. The pools here are
// kept between searches (pools).
func collectTop(ctx context.Context, pools *sync.Pool, s search.Searcher, r bindex.IndexReader, k int, shard int, locations bool) ([]numbered, uint64, error) {
	pool, _ := pools.Get().(*search.DocumentMatchPool)
	if pool == nil {
		pool = search.NewDocumentMatchPool(0, 0)
	}
	// Every match taken from the pool goes back before it returns, but
	// those a searcher holds when it is closed: a few a search, made again
	// by the pool when it runs short.
	sctx := &search.SearchContext{DocumentMatchPool: pool, IndexReader: r}
	kept := make([]*search.DocumentMatch, 0, k+1) // a heap, worst on top
	defer func() {
		for _, d := range kept {
			pool.Put(d)
		}
		pools.Put(pool)
	}()
	var total uint64
	for {
		if total%checkDoneEvery == 0 {
			if err := ctx.Err(); err != nil {
				return nil, 0, err
			}
		}
		d, err := s.Next(sctx)
		if err != nil {
			return nil, 0, err
		}
		if d == nil {
			break
		}
		total++
		d.HitNumber = total
		if k <= 0 || len(kept) == k && !worse(kept[0], d) {
			pool.Put(d) // no better than the worst kept, found earlier
			continue
		}
		kept = append(kept, d)
		up(kept, len(kept)-1)
		if len(kept) > k {
			pool.Put(kept[0])
			kept[0] = kept[len(kept)-1]
			kept = kept[:len(kept)-1]
			down(kept, 0)
		}
	}
	slices.SortFunc(kept, func(a, b *search.DocumentMatch) int {
		switch {
		case worse(b, a):
			return -1
		case worse(a, b):
			return 1
		}
		return 0
	})
	out := make([]numbered, len(kept))
	for i, d := range kept {
		id, err := r.ExternalID(d.IndexInternalID)
		if err != nil {
			return nil, 0, err
		}
		n, err := strconv.Atoi(id)
		if err != nil {
			return nil, 0, fmt.Errorf("hit %q: not a sentence number", id)
		}
		out[i] = numbered{n: n, shard: shard, score: d.Score, doc: d.IndexInternalID.Value()}
		if locations {
			for _, l := range d.FieldTermLocations {
				if l.Field == fieldText && !slices.Contains(out[i].terms, l.Term) {
					out[i].terms = append(out[i].terms, l.Term)
				}
			}
			slices.Sort(out[i].terms)
		}
	}
	return out, total, nil
}

// checkDoneEvery is how many matches are collected between looks at the
// context, as bleve's collector does.
const checkDoneEvery = 1024

// worse says a ranks below b: a lower score, or the same found later.
func worse(a, b *search.DocumentMatch) bool {
	if a.Score != b.Score {
		return a.Score < b.Score
	}
	return a.HitNumber > b.HitNumber
}

// up and down keep h a heap with the worst match at h[0].
func up(h []*search.DocumentMatch, i int) {
	for i > 0 {
		p := (i - 1) / 2
		if !worse(h[i], h[p]) {
			return
		}
		h[i], h[p] = h[p], h[i]
		i = p
	}
}

func down(h []*search.DocumentMatch, i int) {
	for {
		l := 2*i + 1
		if l >= len(h) {
			return
		}
		m := l
		if r := l + 1; r < len(h) && worse(h[r], h[l]) {
			m = r
		}
		if !worse(h[m], h[i]) {
			return
		}
		h[i], h[m] = h[m], h[i]
		i = m
	}
}
