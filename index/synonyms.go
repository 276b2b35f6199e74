package index

import (
	"context"
	"fmt"
	"maps"

	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
	bindex "github.com/blevesearch/bleve_index_api"
)

// synonymsOf are the synonyms of a place's key as bleve resolves them for
// a match query on the places field, worked out once per place and kept:
// bleve would otherwise look every search's places up in the thesaurus
// again (and walk every query for fields with synonyms, places or not).
// Every shard holds the same synonyms (load), so shard 0's are all's.
func (ix *Index) synonymsOf(ctx context.Context, key string, mq query.Query) (map[string][]string, error) {
	if v, ok := ix.synonyms.Load(key); ok {
		return v.(map[string][]string), nil
	}
	sm, ok := ix.shards[0].Mapping().(mapping.SynonymMapping)
	if !ok {
		return nil, nil
	}
	r, err := readerOf(ix.shards[0])
	if err != nil {
		return nil, fmt.Errorf("index: synonyms: %w", err)
	}
	defer r.Close()
	tr, ok := r.(bindex.ThesaurusReader)
	if !ok {
		return nil, nil
	}
	fts, err := query.ExtractSynonyms(ctx, sm, tr, mq, nil)
	if err != nil {
		return nil, fmt.Errorf("index: synonyms of %s: %w", key, err)
	}
	syn := fts[fieldPlaces]
	if syn == nil {
		syn = map[string][]string{}
	}
	ix.synonyms.Store(key, syn)
	return syn, nil
}

// presearch is what a search hands bleve instead of letting it resolve
// synonyms: those of the query's places, already resolved (none for a
// query without places).
func presearch(places []map[string][]string) search.FieldTermSynonymMap {
	fts := search.FieldTermSynonymMap{}
	if len(places) > 0 {
		m := map[string][]string{}
		for _, p := range places {
			maps.Copy(m, p)
		}
		fts[fieldPlaces] = m
	}
	return fts
}
