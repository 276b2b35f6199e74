package index

import (
	"hash/fnv"
	"slices"

	"github.com/blevesearch/bleve/v2/analysis"

	"github.com/parley-bot/parley"
)

// bigrams says which pairs of analysed terms stand at neighbouring
// positions in some sentence: hashes of the pairs, sorted, each once. A
// phrase with a pair of neighbouring terms that no sentence has matches no
// sentence, and needs no phrase query. (Terms a stop word keeps apart are
// not neighbours: the phrase query lets any word stand in the stop word's
// place, so the pair says nothing.)
//
// Why: /what sends its topic to bleve a second time as a phrase query, so
// that sentences with the topic's words in its order rank higher. A
// topic typed in chat is often no phrase of the articles ("ceasefire
// monitoring lead"); the phrase query then matches nothing, and leaving it
// out changes no order: bleve scales a disjunction's score by the share of
// its clauses a sentence matches, over all clauses, so one that matches no
// sentence scales every score alike, and answers weigh a hit's score
// against the best one's. What it costs is a term searcher per word and
// the phrase searcher: a tenth of an answer to a two-word topic on the
// seeds.
//
// A hash shared by two pairs only keeps a phrase query that could have
// gone. Indexes in memory keep the set (8 bytes a distinct pair); one on
// disk has none, and sends every phrase.
type bigrams []uint64

// newBigrams collects the pairs of every sentence of the articles.
func newBigrams(articles []*parley.Article, an analysis.Analyzer) bigrams {
	var out bigrams
	limit := 1 << 16 // duplicates dropped as the list grows, not per article
	for _, a := range articles {
		for _, s := range a.Sentences {
			toks := an.Analyze([]byte(a.Text[s.Start:s.End]))
			for i := 1; i < len(toks); i++ {
				if toks[i].Position == toks[i-1].Position+1 {
					out = append(out, pairHash(toks[i-1].Term, toks[i].Term))
				}
			}
		}
		if len(out) > limit {
			slices.Sort(out)
			out = slices.Compact(out)
			limit = max(limit, 2*len(out))
		}
	}
	slices.Sort(out)
	return slices.Clip(slices.Compact(out))
}

// mayHave says whether some sentence may have a phrase's terms, toks (the
// phrase analysed as the phrase query analyses it), one after the other;
// true when unknown.
func (b bigrams) mayHave(toks analysis.TokenStream) bool {
	if b == nil {
		return true
	}
	for i := 1; i < len(toks); i++ {
		if toks[i].Position != toks[i-1].Position+1 {
			continue
		}
		if _, ok := slices.BinarySearch(b, pairHash(toks[i-1].Term, toks[i].Term)); !ok {
			return false
		}
	}
	return true
}

func pairHash(a, b []byte) uint64 {
	h := fnv.New64a()
	h.Write(a)
	h.Write([]byte{0})
	h.Write(b)
	return h.Sum64()
}
