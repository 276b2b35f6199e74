package handlers

import (
	"strings"
	"sync"
	"sync/atomic"

	"github.com/parley-bot/parley"
)

// maxFacts bounds how many sentences' facts are kept; the cache is emptied
// when full. A sentence's facts are a few kilobytes at most.
const maxFacts = 1 << 13

// facts are what answers read of one sentence's text: its words, its
// terms, the places it names, its amounts, durations and dates, its
// signature. Each is worked out the first time an answer needs it and kept
// for the next answers (answers read the same sentences again and again),
// so that an answer's cost is mostly its search. They depend on the text
// alone (dates also on the date they are read against, kept with them),
// so the same text in another article, or an article read again from
// disk, shares them. Safe for concurrent use; what they return is shared
// and must not be changed.
type facts struct {
	text string

	wordsOnce sync.Once
	words     []tok

	tokensOnce sync.Once
	tokens     []parley.Token

	lowerOnce sync.Once
	lower     string

	mentionsOnce sync.Once
	mentions     []parley.Mention

	placesOnce sync.Once
	places     []place

	amountsOnce sync.Once
	amounts     []value
	older       []bool

	durationsOnce sync.Once
	durations     []value
	olderDur      []bool

	datesMu  sync.Mutex
	datesRef reference
	dates    []date
	ahead    []bool
	datesOK  bool

	signOnce sync.Once
	sig      signature

	opensOnce sync.Once
	opens     bool

	rankingOnce sync.Once
	ranking     []int

	namedOnce sync.Once
	named     []int

	cuesOnce sync.Once
	cues     []cueSite
}

// factsCache holds the facts of the sentences answers read lately.
type factsCache struct {
	m sync.Map // text -> *facts
	n atomic.Int64
	// limit is maxFacts; tests make it small.
	limit int64
}

// facts returns the facts of a sentence's text (or of a quotation's
// sentences, for its signature).
func (h *Handlers) facts(text string) *facts {
	if f, ok := h.memo.m.Load(text); ok {
		return f.(*facts)
	}
	limit := h.memo.limit
	if limit <= 0 {
		limit = maxFacts
	}
	if h.memo.n.Add(1) > limit {
		h.memo.m.Clear()
		h.memo.n.Store(1)
	}
	f, _ := h.memo.m.LoadOrStore(text, &facts{text: text})
	return f.(*facts)
}

// Words are tokenize's words of the text.
func (f *facts) Words() []tok {
	f.wordsOnce.Do(func() { f.words = tokenize(f.text) })
	return f.words
}

// Tokens are the index's terms of the text with where each is.
func (f *facts) Tokens(h *Handlers) []parley.Token {
	f.tokensOnce.Do(func() {
		ws := f.Words()
		out := make([]parley.Token, 0, len(ws))
		for _, w := range ws {
			for _, t := range h.termsOf(w.w) {
				out = append(out, parley.Token{Term: t, Start: w.start, End: w.end})
			}
		}
		f.tokens = out
	})
	return f.tokens
}

// Lower is the text in lower case.
func (f *facts) Lower() string {
	f.lowerOnce.Do(func() { f.lower = strings.ToLower(f.text) })
	return f.lower
}

// Mentions are the places the text names.
func (f *facts) Mentions(h *Handlers) []parley.Mention {
	f.mentionsOnce.Do(func() { f.mentions = h.corpus.PlaceMentions(f.text) })
	return f.mentions
}

// place is a place a sentence names, with what the words around it say
// of how it is named.
type place struct {
	parley.Mention
	// locative: named after "in", "at", "across" ... (locative).
	locative bool
	// compass is the word of direction right before it (compassBefore),
	// city the town it is given after (cityBefore), noun the noun it
	// modifies as an adjective (modifiedNoun); each "" when none.
	compass, city, noun string
}

// Places are Mentions with the words around each, which binding a place
// or a person to a question reads of every candidate.
func (f *facts) Places(h *Handlers) []place {
	f.placesOnce.Do(func() {
		ms := f.Mentions(h)
		f.places = make([]place, len(ms))
		for i, m := range ms {
			f.places[i] = place{Mention: m, locative: locative(f.text, m.Start), compass: compassBefore(f.text, m.Start),
				city: cityBefore(f.text, m.Start), noun: modifiedNoun(f.text, m.End)}
		}
	})
	return f.places
}

// Amounts are the numbers the text states, and which of them it calls
// earlier or replaced.
func (f *facts) Amounts() ([]value, []bool) {
	f.amountsOnce.Do(func() {
		f.amounts = amountsOf(f.text, f.Words())
		f.older = supersededIn(f.text, f.amounts)
	})
	return f.amounts, f.older
}

// Durations are the lengths of time the text states, and which of them
// it calls earlier.
func (f *facts) Durations() ([]value, []bool) {
	f.durationsOnce.Do(func() {
		all, _ := f.Amounts()
		f.durations = durationsOf(f.text, f.Words(), all)
		f.olderDur = supersededIn(f.text, f.durations)
	})
	return f.durations, f.olderDur
}

// Dates are the dates the text states, relative ones resolved against
// ref, and which of them are still to come when written (dateAhead, which
// reads the clause around each: worked out once, not per question).
func (f *facts) Dates(ref reference) ([]date, []bool) {
	f.datesMu.Lock()
	defer f.datesMu.Unlock()
	if f.datesOK && f.datesRef == ref {
		return f.dates, f.ahead
	}
	ds := datesOf(f.text, f.Words(), ref)
	ahead := make([]bool, len(ds))
	for i, d := range ds {
		ahead[i] = dateAhead(f.text, d)
	}
	if !f.datesOK {
		// One text read against another date (the same sentence in
		// another article) is worked out again, not kept.
		f.dates, f.ahead, f.datesRef, f.datesOK = ds, ahead, ref, true
	}
	return ds, ahead
}

// Sign is the text's signature for near-duplicate detection.
func (f *facts) Sign() signature {
	f.signOnce.Do(func() { f.sig = sign(f.text) })
	return f.sig
}

// OpensQuote says the text leaves a quotation open.
func (f *facts) OpensQuote() bool {
	f.opensOnce.Do(func() { f.opens = opensQuote(f.text) })
	return f.opens
}

// Ranking are the indices in Words of the superlatives ("largest") and
// ranking words ("main") of the text, by the lexicon l.
func (f *facts) Ranking(h *Handlers, l parley.Lexical) []int {
	f.rankingOnce.Do(func() {
		for i, t := range f.Words() {
			if rankingWord(t.w) || h.lexical(l, lexQuestion{op: 's', a: t.w}) {
				f.ranking = append(f.ranking, i)
			}
		}
	})
	return f.ranking
}

// Named are the people (indices in People, in its order) the text names
// by one of their spellings (nameAt): what reading a part of the sentence
// for names needs to try, instead of everyone the articles name.
func (f *facts) Named(h *Handlers) []int {
	f.namedOnce.Do(func() {
		for i, p := range h.corpus.People() {
			if h.nameAt(f.text, p.Name) >= 0 {
				f.named = append(f.named, i)
			}
		}
	})
	return f.named
}

// Cues are the presence cues the text says (cueSites).
func (f *facts) Cues() []cueSite {
	f.cuesOnce.Do(func() { f.cues = cueSites(f.text, f.Lower()) })
	return f.cues
}
