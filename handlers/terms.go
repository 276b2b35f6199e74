package handlers

import (
	"strings"
	"sync"

	"github.com/parley-bot/parley"
)

// maxTermCache bounds each cache; a cache is emptied when full.
const maxTermCache = 1 << 16

// cache keeps what a function of a small key returned, for the handlers'
// lookups that answers repeat: the same words, spans and lexicon
// questions come again and again. Safe for concurrent use.
type cache[K comparable, V any] struct {
	mu sync.RWMutex
	m  map[K]V
}

// get returns the value kept for k, or computes, keeps and returns it.
func (c *cache[K, V]) get(k K, compute func() V) V {
	c.mu.RLock()
	v, ok := c.m[k]
	c.mu.RUnlock()
	if ok {
		return v
	}
	v = compute()
	c.mu.Lock()
	if c.m == nil || len(c.m) >= maxTermCache {
		c.m = map[K]V{}
	}
	c.m[k] = v
	c.mu.Unlock()
	return v
}

// termsOf maps a word as written to the index's terms for it. Sentences
// repeat their words, so reading where a question's words sit in one costs
// a map lookup per word instead of a full analysis of the sentence.
func (h *Handlers) termsOf(w string) []string {
	return h.terms.get(w, func() []string { return h.corpus.Terms(strings.ReplaceAll(w, "’", "'")) })
}

// analysed is corpus.Terms(text), kept: the gate reads the terms of the
// same few words (what a count is of, a unit, the event's noun, a role)
// for every candidate of every question.
func (h *Handlers) analysed(text string) []string {
	return h.phrases.get(text, func() []string { return h.corpus.Terms(text) })
}

// lexQuestion is one question put to the corpus's lexicon: whether two
// words are kin or related, or whether a word is a superlative.
type lexQuestion struct {
	op   byte // 'k' Kin, 'r' Related, 's' Superlative
	a, b string
}

// lexical answers q from the lexicon, l, kept: the gate asks the same few
// questions (is "summit" a period, is this word of the sentence a
// superlative) for every candidate of every question, and each walks the
// lexicon.
func (h *Handlers) lexical(l parley.Lexical, q lexQuestion) bool {
	return h.lex.get(q, func() bool {
		switch q.op {
		case 'k':
			return l.Kin(q.a, q.b)
		case 'r':
			return l.Related(q.a, q.b)
		default:
			return l.Superlative(q.a)
		}
	})
}

// nameLookup is what a span of typed words names exactly: a place, a
// person, either or neither.
type nameLookup struct {
	place    string
	placeOK  bool
	person   int
	personOK bool
}

// named is what a span names exactly, as Corpus.LookupPlace and
// LookupPerson (not fuzzy) read it, kept: questions are read by trying
// every span of one to four words as a name, and the same spans ("the",
// "troops", "will germany") come again and again.
func (h *Handlers) named(span string) nameLookup {
	return h.lookups.get(span, func() (l nameLookup) {
		l.place, _, l.placeOK = h.corpus.LookupPlace(span, false)
		l.person, _, l.personOK = h.corpus.LookupPerson(span, false)
		return l
	})
}
