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
