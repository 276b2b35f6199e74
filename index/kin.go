package index

import (
	"slices"

	"github.com/parley-bot/parley/index/lexicon"
)

// kinSenses is how many senses of each noun Kin reads, most frequent
// first: "summit" is a meeting only in its third.
const kinSenses = 3

// Kin implements parley.Lexical: two nouns name the same kind of thing
// when, in one of their most frequent senses, one is a kind of the other
// ("summit" and "conference" are meetings; a meeting is a gathering) or
// both are kinds of one thing ("summit" and "conference"). Synonyms alone
// are left out: a word's other senses ("summit" as a peak) bring
// synonyms that name no meeting.
func (ix *Index) Kin(word, other string) bool {
	if ix.expand == nil || word == "" || other == "" {
		return false
	}
	a, b := hypernyms(ix.expand.lex, word), hypernyms(ix.expand.lex, other)
	if len(a.of) == 0 || len(b.of) == 0 {
		return false
	}
	for _, l := range a.lemmas {
		if slices.Contains(b.of, l) {
			return true
		}
	}
	for _, l := range b.lemmas {
		if slices.Contains(a.of, l) {
			return true
		}
	}
	for _, h := range a.of {
		if slices.Contains(b.of, h) {
			return true
		}
	}
	return false
}

// nounKinds are a word's noun lemmas and their direct hypernyms.
type nounKinds struct {
	lemmas, of []string
}

func hypernyms(lex *lexicon.Lexicon, word string) nounKinds {
	var k nounKinds
	for _, b := range lex.Bases(word) {
		if b.POS != lexicon.Noun {
			continue
		}
		k.lemmas = append(k.lemmas, b.Lemma)
		for _, r := range lex.Related(b.Lemma, lexicon.Noun, kinSenses, func(p string, _ int) bool { return p == "@" || p == "@i" }) {
			if r.Pointer != "" && !slices.Contains(k.of, r.Word) {
				k.of = append(k.of, r.Word)
			}
		}
	}
	return k
}

// Known implements parley.Lexical: WordNet has a lemma the word is a form
// of.
func (ix *Index) Known(word string) bool {
	return ix.expand != nil && word != "" && len(ix.expand.lex.Bases(word)) > 0
}
