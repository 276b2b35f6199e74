package index

import (
	"slices"
	"strings"

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

// Related implements parley.Lexical: one word is a lemma of the other or
// of a word one pointer away from it, in either direction (kill causes
// die, but die points at nothing that kills), in their most frequent
// senses; antonyms and topic domains are no relation.
func (ix *Index) Related(word, other string) bool {
	if ix.expand == nil || word == "" || other == "" {
		return false
	}
	a, b := ix.expand.neighbours(strings.ToLower(word)), ix.expand.neighbours(strings.ToLower(other))
	for l := range a.own {
		if b.near[l] {
			return true
		}
	}
	for l := range b.own {
		if a.near[l] {
			return true
		}
	}
	return false
}

// neighbourhood is a word's lemmas and every lemma one pointer away.
type neighbourhood struct {
	own, near map[string]bool
}

func (e *expander) neighbours(word string) neighbourhood {
	e.mu.Lock()
	n, ok := e.near[word]
	e.mu.Unlock()
	if ok {
		return n
	}
	n = neighbourhood{own: map[string]bool{}, near: map[string]bool{}}
	for _, b := range e.lex.Bases(word) {
		n.own[b.Lemma] = true
		n.near[b.Lemma] = true
		for _, r := range e.lex.Related(b.Lemma, b.POS, kinSenses, func(p string, _ int) bool { return p != "!" && !strings.HasPrefix(p, ";") }) {
			n.near[r.Word] = true
		}
	}
	e.mu.Lock()
	if e.near == nil || len(e.near) >= expandCacheSize {
		e.near = map[string]neighbourhood{}
	}
	e.near[word] = n
	e.mu.Unlock()
	return n
}

// Superlative implements parley.Lexical: the word ends as superlatives do
// and is a form of an adjective other than itself ("biggest" of big,
// "best" of good), so that "honest" and "interest" are not.
func (ix *Index) Superlative(word string) bool {
	word = strings.ToLower(word)
	switch {
	case ix.expand == nil:
		return false
	case word == "best" || word == "worst" || word == "most" || word == "least":
		return true // irregular: nouns and verbs too, but superlatives first
	case !strings.HasSuffix(word, "est"):
		return false
	}
	adjective := false
	for _, b := range ix.expand.lex.Bases(word) {
		if b.Lemma == word && b.POS != lexicon.Adjective {
			return false // "forest", "interest": a word of its own
		}
		adjective = adjective || b.POS == lexicon.Adjective && b.Lemma != word
	}
	return adjective
}
