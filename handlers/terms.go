package handlers

import (
	"strings"
	"sync"
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
