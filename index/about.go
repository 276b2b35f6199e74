package index

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/parley-bot/parley"
)

// aboutLists are, for each person, the sentences that name them, ranked
// once when the index is built (parley.Corpus.About): what an answer about
// a person shows does not depend on what was typed, so no search is
// needed to find it, and every sentence is ranked, not only a search's
// first hits. The lists are one flat table of document numbers.
type aboutLists struct {
	// Person k's sentences are docs[start[k]:start[k+1]], k in People()
	// order; the first speech[k] of them are the ones they speak.
	start  []uint32
	speech []uint32
	docs   []uint32
	byName map[string]int
}

// aboutNear is how far into a sentence a person's surname says it is
// about them ("Merz said ...", "German Chancellor Friedrich Merz ...").
const aboutNear = 80

// buildAbout ranks, for each person, the sentences whose people include
// them: their quotes, then their reported speech, then the sentences that
// name them near their start, then the others; within each, earlier in
// its article first (news puts the important first), then by article and
// position.
func buildAbout(articles []*parley.Article, people []parley.Person, docStart []int) aboutLists {
	l := aboutLists{start: make([]uint32, len(people)+1), speech: make([]uint32, len(people)), byName: make(map[string]int, len(people))}
	for k, p := range people {
		if _, dup := l.byName[p.Name]; !dup {
			l.byName[p.Name] = k
		}
	}
	for _, a := range articles {
		for _, s := range a.Sentences {
			for _, n := range s.People {
				if k, ok := l.byName[n]; ok {
					l.start[k+1]++
				}
			}
		}
	}
	for k := range people {
		l.start[k+1] += l.start[k]
	}
	l.docs = make([]uint32, l.start[len(people)])
	score := make([]float64, len(l.docs))
	article := make([]int32, len(l.docs))
	fill := slices.Clone(l.start[:len(people)])
	surnames := make([]string, len(people))
	for k, p := range people {
		if f := strings.Fields(p.Name); len(f) > 0 {
			surnames[k] = f[len(f)-1]
		}
	}
	for i, a := range articles {
		for j := range a.Sentences {
			s := &a.Sentences[j]
			for _, n := range s.People {
				k, ok := l.byName[n]
				if !ok {
					continue
				}
				var class float64
				switch {
				case s.Speaker == n && s.Kind == parley.SpeechQuote:
					class = 3
				case s.Speaker == n:
					class = 2.5
				case strings.Contains(a.Text[s.Start:min(s.End, s.Start+aboutNear)], surnames[k]):
					class = 1.5 // named near the start: the sentence is about them
				default:
					class = 1
				}
				at := fill[k]
				fill[k]++
				l.docs[at] = uint32(docStart[i] + j)
				article[at] = int32(i)
				score[at] = class + 0.5*(1-float64(s.Position)/float64(max(len(a.Sentences), 1)))
				if s.Speaker == n {
					l.speech[k]++
				}
			}
		}
	}
	order := make([]int, 0)
	for k := range people {
		from, to := int(l.start[k]), int(l.start[k+1])
		order = order[:0]
		for at := from; at < to; at++ {
			order = append(order, at)
		}
		slices.SortStableFunc(order, func(x, y int) int {
			if c := cmp.Compare(score[y], score[x]); c != 0 {
				return c
			}
			if c := strings.Compare(articles[article[x]].ID, articles[article[y]].ID); c != 0 {
				return c
			}
			return cmp.Compare(l.docs[x], l.docs[y])
		})
		ranked := make([]uint32, len(order))
		for r, at := range order {
			ranked[r] = l.docs[at]
		}
		copy(l.docs[from:to], ranked)
	}
	return l
}

// About implements parley.Corpus.
func (ix *Index) About(ctx context.Context, name string, speech bool, limit int) ([]*parley.Sentence, error) {
	k, ok := ix.about.byName[name]
	if !ok {
		return nil, nil
	}
	docs := ix.about.docs[ix.about.start[k]:ix.about.start[k+1]]
	if speech {
		docs = docs[:ix.about.speech[k]]
	}
	if limit > 0 && len(docs) > limit {
		docs = docs[:limit]
	}
	out := make([]*parley.Sentence, 0, len(docs))
	for _, n := range docs {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		i, pos, ok := ix.sentence(int(n))
		if !ok {
			return nil, fmt.Errorf("index: about %s: no sentence %d", name, n)
		}
		a, err := ix.store.article(i)
		if err != nil {
			return nil, err
		}
		if pos >= len(a.Sentences) {
			return nil, fmt.Errorf("index: sentence %d of %s: the index and the articles disagree", pos, a.ID)
		}
		out = append(out, &a.Sentences[pos])
	}
	return out, nil
}

// aboutFrom checks and indexes the lists an on-disk index stored.
func aboutFrom(start, speech, docs []uint32, people []parley.Person, sentences int) (aboutLists, error) {
	if len(start) != len(people)+1 || len(speech) != len(people) || start[0] != 0 || int(start[len(people)]) != len(docs) {
		return aboutLists{}, fmt.Errorf("%s: the lists of people's sentences do not match the people", metaFile)
	}
	l := aboutLists{start: start, speech: speech, docs: docs, byName: make(map[string]int, len(people))}
	for k, p := range people {
		if start[k] > start[k+1] || speech[k] > start[k+1]-start[k] {
			return aboutLists{}, fmt.Errorf("%s: the sentences of %s are out of range", metaFile, p.Name)
		}
		if _, dup := l.byName[p.Name]; !dup {
			l.byName[p.Name] = k
		}
	}
	for _, n := range docs {
		if int(n) >= sentences {
			return aboutLists{}, fmt.Errorf("%s: sentence %d out of range", metaFile, n)
		}
	}
	return l, nil
}
