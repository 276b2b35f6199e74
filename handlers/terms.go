package handlers

import (
	"strings"
	"sync"

	"github.com/parley-bot/parley"
)

// maxTermCache bounds the cache of analysed words; it is emptied when full.
const maxTermCache = 1 << 16

// termCache maps a word as written to the index's terms for it. Sentences
// repeat their words, so reading where a question's words sit in one costs
// a map lookup per word instead of a full analysis of the sentence.
type termCache struct {
	mu sync.RWMutex
	m  map[string][]string
}

func (h *Handlers) termsOf(w string) []string {
	h.terms.mu.RLock()
	ts, ok := h.terms.m[w]
	h.terms.mu.RUnlock()
	if ok {
		return ts
	}
	ts = h.corpus.Terms(strings.ReplaceAll(w, "’", "'"))
	h.terms.mu.Lock()
	if h.terms.m == nil || len(h.terms.m) >= maxTermCache {
		h.terms.m = map[string][]string{}
	}
	h.terms.m[w] = ts
	h.terms.mu.Unlock()
	return ts
}

// analysed is corpus.Terms(text), kept: the gate reads the terms of the
// same few words (what a count is of, a unit, the event's noun, a role)
// for every candidate of every question.
func (h *Handlers) analysed(text string) []string {
	h.phrases.mu.RLock()
	ts, ok := h.phrases.m[text]
	h.phrases.mu.RUnlock()
	if ok {
		return ts
	}
	ts = h.corpus.Terms(text)
	h.phrases.mu.Lock()
	if h.phrases.m == nil || len(h.phrases.m) >= maxTermCache {
		h.phrases.m = map[string][]string{}
	}
	h.phrases.m[text] = ts
	h.phrases.mu.Unlock()
	return ts
}

// lexQuestion is one question put to the corpus's lexicon: whether two
// words are kin or related, or whether a word is a superlative.
type lexQuestion struct {
	op   byte // 'k' Kin, 'r' Related, 's' Superlative
	a, b string
}

// lexCache keeps the lexicon's answers: the gate asks the same few of them
// (is "summit" a period, is this word of the sentence a superlative) for
// every candidate of every question, and each walks the lexicon.
type lexCache struct {
	mu sync.RWMutex
	m  map[lexQuestion]bool
}

// lexical answers q from the lexicon, l, kept.
func (h *Handlers) lexical(l parley.Lexical, q lexQuestion) bool {
	h.lex.mu.RLock()
	v, ok := h.lex.m[q]
	h.lex.mu.RUnlock()
	if ok {
		return v
	}
	switch q.op {
	case 'k':
		v = l.Kin(q.a, q.b)
	case 'r':
		v = l.Related(q.a, q.b)
	default:
		v = l.Superlative(q.a)
	}
	h.lex.mu.Lock()
	if h.lex.m == nil || len(h.lex.m) >= maxTermCache {
		h.lex.m = map[lexQuestion]bool{}
	}
	h.lex.m[q] = v
	h.lex.mu.Unlock()
	return v
}

// nameLookup is what a span of typed words names exactly: a place, a
// person, either or neither.
type nameLookup struct {
	place    string
	placeOK  bool
	person   int
	personOK bool
}

// nameCache maps spans of typed words to what they name. Questions are
// read by trying every span of one to four words as a name: the same
// spans ("the", "troops", "will germany") come again and again.
type nameCache struct {
	mu sync.RWMutex
	m  map[string]nameLookup
}

// named is what a span names exactly, as Corpus.LookupPlace and
// LookupPerson (not fuzzy) read it.
func (h *Handlers) named(span string) nameLookup {
	h.lookups.mu.RLock()
	l, ok := h.lookups.m[span]
	h.lookups.mu.RUnlock()
	if ok {
		return l
	}
	l.place, _, l.placeOK = h.corpus.LookupPlace(span, false)
	l.person, _, l.personOK = h.corpus.LookupPerson(span, false)
	h.lookups.mu.Lock()
	if h.lookups.m == nil || len(h.lookups.m) >= maxTermCache {
		h.lookups.m = map[string]nameLookup{}
	}
	h.lookups.m[span] = l
	h.lookups.mu.Unlock()
	return l
}
