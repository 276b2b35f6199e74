package handlers

import (
	"fmt"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/parley-bot/parley"
)

// questionOpeners are dropped from a question before it is matched: they say
// what kind of answer is wanted, not what it is about.
func questionWord(w string) bool {
	switch w {
	case "how", "many", "much", "what", "which", "who", "whom", "whose", "when", "where", "why", "did", "does",
		"do", "is", "are", "was", "were", "will", "would", "can", "could", "should", "has", "have", "had", "the",
		"a", "an", "of", "to", "about", "say", "said", "tell", "me", "us", "please", "long", "share", "percentage",
		"proportion", "there", "be", "been", "it", "they", "i", "you":
		return true
	}
	return false
}

// contentWords drops question openers and punctuation from a question.
func contentWords(q string) string {
	words := strings.FieldsFunc(q, func(r rune) bool {
		return !(unicode.IsLetter(r) || unicode.IsDigit(r) || r == '\'' || r == '’' || r == '-' || r == '%')
	})
	out := words[:0]
	for _, w := range words {
		if !questionWord(strings.ToLower(w)) {
			out = append(out, w)
		}
	}
	return strings.Join(out, " ")
}

// maxNameWords is the longest name entities tries: "French foreign
// ministry spokesperson".
const maxNameWords = 4

// entities finds the places and people a query names, trying its one- to
// four-word spans. Two-letter words count as places only when typed in
// capitals ("US", not "us").
func (h *Handlers) entities(q string) (places []string, people []int, rest string) {
	sp := splitSpans(q)
	words := sp.words
	seenP, seenPl := map[int]bool{}, map[string]bool{}
	var left []string
	for i := 0; i < len(words); i++ {
		found := false
		for n := min(maxNameWords, len(words)-i); n >= 1 && !found; n-- {
			span := sp.span(i, i+n)
			if n == 1 && questionWord(strings.ToLower(span)) && strings.ToUpper(span) != span {
				continue
			}
			if n > 1 && isArticle(words[i]) && h.longerName(sp, i+1, n) {
				continue // "the french" must not hide "french foreign ministry spokesperson"
			}
			if n == 1 && len(strings.Trim(span, ".")) <= 2 && strings.ToUpper(span) != span {
				continue
			}
			if strings.HasSuffix(span, "s") && len(words[i+n-1]) > 4 && strings.ToUpper(span) != span {
				span = h.possessive(span)
			}
			if l := h.named(span); l.placeOK {
				if name := l.place; !seenPl[name] {
					seenPl[name] = true
					places = append(places, name)
				}
				i, found = i+n-1, true
			} else if l.personOK && !h.bodyByCommonWord(span, l.person) {
				if p := l.person; !seenP[p] {
					seenP[p] = true
					people = append(people, p)
				}
				i, found = i+n-1, true
			}
		}
		if !found {
			if pl, p, ok := h.initialism(words[i]); ok && pl != "" && !seenPl[pl] {
				seenPl[pl] = true
				places = append(places, pl)
				continue
			} else if ok && pl == "" && !seenP[p] {
				seenP[p] = true
				people = append(people, p)
				continue
			}
			left = append(left, words[i])
		}
	}
	return places, people, strings.Join(left, " ")
}

// spans are the words of a question with where each is in it, so that a
// run of them is read as a name without joining them anew: entities tries
// every run of one to four words.
type spans struct {
	q          string
	words      []string
	start, end []int
}

func splitSpans(q string) spans {
	sp := spans{q: q}
	from := -1
	for i, r := range q {
		word := unicode.IsLetter(r) || unicode.IsDigit(r) || r == '.' || r == '\'' || r == '’' || r == '-' || r == '%' || r == ','
		switch {
		case word && from < 0:
			from = i
		case !word && from >= 0:
			sp.add(from, i)
			from = -1
		}
	}
	if from >= 0 {
		sp.add(from, len(q))
	}
	return sp
}

func (sp *spans) add(start, end int) {
	sp.words = append(sp.words, sp.q[start:end])
	sp.start = append(sp.start, start)
	sp.end = append(sp.end, end)
}

// span is words i to j-1 joined by single spaces: the question's own text
// where they are so typed.
func (sp spans) span(i, j int) string {
	for k := i + 1; k < j; k++ {
		if sp.start[k] != sp.end[k-1]+1 || sp.q[sp.end[k-1]] != ' ' {
			return strings.Join(sp.words[i:j], " ")
		}
	}
	return sp.q[sp.start[i]:sp.end[j-1]]
}

// bodyByCommonWord says a span names a body by one word of the language
// that only makes part of the body's name ("force" of "Ukraine's air
// force", "police" of "Tonga Police", "defence" in "the defence ministers"
// of "Ministry of Defence"): in a question it is the common noun ("the
// mandate of the force"), not the body. A body is named by its whole name,
// an alias, two words of its name other than its country ("constitutional
// court") or a word that is no common noun ("kremlin" is the Kremlin's
// whole name).
func (h *Handlers) bodyByCommonWord(span string, person int) bool {
	people := h.corpus.People()
	if person < 0 || person >= len(people) || !people[person].IsBody() {
		return false
	}
	p := people[person]
	names := append([]string{p.Name}, p.Aliases...)
	inName := map[string]bool{}
	for _, name := range names {
		nw := nameWords(name)
		if slices.Equal(nw, nameWords(span)) {
			return false // the whole name ("nigerian army", "kremlin")
		}
		for _, w := range nw {
			inName[w] = true
		}
	}
	var shared []string
	for _, w := range nameWords(span) {
		if inName[w] && !h.named(w).placeOK {
			shared = append(shared, w) // the body's country says nothing of which body it is
		}
	}
	l, ok := h.corpus.(parley.Lexical)
	return ok && len(shared) == 1 && l.Known(shared[0])
}

// nameWords are the words of a name in lower case, without articles, "of"
// and possessive endings.
func nameWords(name string) []string {
	var out []string
	for _, w := range strings.Fields(strings.ToLower(name)) {
		w = strings.TrimSuffix(strings.TrimSuffix(w, "'s"), "’s")
		if w != "" && w != "of" && !isArticle(w) {
			out = append(out, w)
		}
	}
	return out
}

// initialism reads a short word typed for a name by its initials ("isa"
// for the International Seabed Authority, "icwc" for the Interstate
// Commission for Water Coordination, "png" for Papua New Guinea) when the
// articles spell the name out and never use the short form: the one body
// or place whose capitalised words begin with its letters. A word of the
// language is left alone ("war" is no initialism).
func (h *Handlers) initialism(w string) (place string, person int, ok bool) {
	lw := strings.ToLower(w)
	if len(lw) < 2 || len(lw) > 6 || strings.IndexFunc(lw, func(r rune) bool { return r < 'a' || r > 'z' }) >= 0 ||
		questionWord(lw) || fillerWord(lw) || auxiliary(lw) || isArticle(lw) {
		return "", 0, false
	}
	// Every question tries its unknown words: what a word stands for is
	// kept with the names typed, under a key no typed span can have.
	key := "\x00initials " + lw
	l := h.lookups.get(key, func() (l nameLookup) {
		l.place, l.person, l.placeOK = h.initialismOf(lw)
		l.personOK = l.placeOK && l.place == ""
		if l.placeOK && strings.ToUpper(w) != w {
			if lex, isLex := h.corpus.(parley.Lexical); isLex && lex.Known(lw) {
				l = nameLookup{} // a word of the language ("war") is no initialism
			}
		}
		return l
	})
	return l.place, l.person, l.placeOK
}

// initialismOf is the one place or body whose initials are lw.
func (h *Handlers) initialismOf(lw string) (place string, person int, ok bool) {
	n := 0
	for _, pl := range h.corpus.Places() {
		if initialsOf(pl) == lw {
			place, n = pl, n+1
		}
	}
	for i, p := range h.corpus.People() {
		if !p.IsBody() {
			continue
		}
		for _, name := range append([]string{p.Name}, p.Aliases...) {
			if initialsOf(name) == lw {
				person, n = i, n+1
				break
			}
		}
	}
	if n != 1 {
		return "", 0, false // none, or several: no guess
	}
	return place, person, true
}

// initialsOf is the first letters of a name's capitalised words ("Papua
// New Guinea": png), "" for a name of one word or with no capitals.
func initialsOf(name string) string {
	var b strings.Builder
	words := 0
	for _, w := range strings.Fields(name) {
		r, _ := utf8.DecodeRuneInString(w)
		if !unicode.IsUpper(r) {
			continue // "of", "for", "and"
		}
		if strings.HasSuffix(w, "'s") || strings.HasSuffix(w, "’s") {
			return "" // "Ukraine's Constitutional Court" is not named by its initials
		}
		b.WriteRune(unicode.ToLower(r))
		words++
	}
	if words < 2 {
		return ""
	}
	return b.String()
}

func isArticle(w string) bool {
	return strings.EqualFold(w, "the") || strings.EqualFold(w, "a") || strings.EqualFold(w, "an")
}

// longerName says the words from the i-th start with a name of n words or
// more.
func (h *Handlers) longerName(sp spans, i, n int) bool {
	for k := min(maxNameWords, len(sp.words)-i); k >= n; k-- {
		if l := h.named(sp.span(i, i+k)); l.placeOK || l.personOK {
			return true
		}
	}
	return false
}

// possessive reads a name typed with its possessive but without the
// apostrophe ("ukraines army", "south sudans president") as the name,
// when the word as typed names no one and nothing.
func (h *Handlers) possessive(span string) string {
	if l := h.named(span); l.placeOK || l.personOK {
		return span
	}
	bare := span[:len(span)-1]
	if l := h.named(bare); l.placeOK || l.personOK {
		return bare
	}
	return span
}

// asksForSpeech says a question is about what someone said: then their own
// words count for more than sentences that mention them.
func asksForSpeech(q string) bool {
	for w := range strings.FieldsSeq(strings.ToLower(q)) {
		switch strings.Trim(w, "?.,!") {
		case "say", "said", "says", "tell", "told", "think", "thinks", "thought", "call", "called", "describe",
			"described", "react", "reacted", "reaction", "comment", "comments", "warn", "warned", "claim", "claimed", "announce", "announced":
			return true
		}
	}
	return false
}

// maxRanked is how many ranked sentences are turned into citations: enough
// for every page after near-duplicates merge.
const maxRanked = 40

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// wanted is how many citations an answer needs: those of the pages up to
// the one asked for, and one more to know whether a next page exists.
// Citations keep their numbers from page to page, since ranking is the same.
func (h *Handlers) wanted(ans *parley.Answer) int {
	return min(h.opts.MaxCitations, max(ans.Page, 1)*h.opts.PageSize+1)
}

// cite turns ranked sentences into citations, merging those that say the
// same thing in several articles into one with also_in.
func (h *Handlers) cite(ranked []*parley.Sentence, limit int) []parley.Citation {
	type group struct {
		c   parley.Citation
		sig signature
	}
	type spanKey struct {
		article string
		start   int
	}
	covered := map[spanKey]bool{}
	var groups []*group
	for _, s := range ranked {
		a, ok := h.corpus.Article(s.Article)
		if !ok {
			continue
		}
		first, last := h.quoteSpan(a, s)
		if covered[spanKey{a.ID, first.Start}] {
			continue
		}
		for i := first.Position; i <= last.Position; i++ {
			covered[spanKey{a.ID, a.Sentences[i].Start}] = true
		}
		sig := h.facts(a.Text[first.Start:last.End]).Sign()
		merged := false
		for _, g := range groups {
			if g.sig.same(sig) {
				if g.c.Article != s.Article && !contains(g.c.AlsoIn, s.Article) {
					g.c.AlsoIn = append(g.c.AlsoIn, s.Article)
				}
				merged = true
				break
			}
		}
		if merged {
			continue
		}
		groups = append(groups, &group{c: citation(a, first, last), sig: sig})
		if len(groups) == limit {
			break
		}
	}
	out := make([]parley.Citation, len(groups))
	for i, g := range groups {
		out[i] = g.c
	}
	return out
}

// citation cites the sentences first to last of one paragraph.
func citation(a *parley.Article, first, last *parley.Sentence) parley.Citation {
	speaker, kind := first.Speaker, first.Kind
	for i := first.Position; speaker == "" && i <= last.Position; i++ {
		speaker, kind = a.Sentences[i].Speaker, a.Sentences[i].Kind
	}
	return parley.Citation{
		Article: a.ID, Title: a.Title, Outlet: a.Outlet, Date: a.Date, URL: a.URL,
		Text: a.Text[first.Start:last.End], Start: first.Start, End: last.End,
		ParagraphStart: first.ParagraphStart, ParagraphEnd: first.ParagraphEnd,
		Paragraph: a.Text[first.ParagraphStart:first.ParagraphEnd],
		AlsoIn:    []string{}, Speaker: speaker, Kind: kind,
	}
}

// maxQuoteSpan is how many sentences one quotation may join into a citation.
const maxQuoteSpan = 3

// quoteSpan widens a sentence to the whole quotation it is part of, when a
// quote runs over a sentence end ("“These are not just words. There is
// concrete content,” he said"), within its paragraph: a citation of the
// quotation is still one byte range of the article.
func (h *Handlers) quoteSpan(a *parley.Article, s *parley.Sentence) (first, last *parley.Sentence) {
	opens := func(from, to *parley.Sentence) bool { return h.facts(a.Text[from.Start:to.End]).OpensQuote() }
	first, last = s, s
	for first.Position > 0 && last.Position-first.Position+1 < maxQuoteSpan {
		prev := &a.Sentences[first.Position-1]
		if prev.Paragraph != s.Paragraph || !opens(prev, prev) {
			break
		}
		first = prev
	}
	for opens(first, last) && last.Position+1 < len(a.Sentences) && last.Position-first.Position+1 < maxQuoteSpan {
		next := &a.Sentences[last.Position+1]
		if next.Paragraph != s.Paragraph {
			break
		}
		last = next
	}
	if opens(first, last) {
		return s, s // the quote does not close within reach: cite the sentence alone
	}
	return first, last
}

// opensQuote reports whether text leaves a quotation open: more opening
// than closing curly quotes, or an odd number of straight ones.
func opensQuote(text string) bool {
	open := strings.Count(text, "“") - strings.Count(text, "”")
	if open != 0 {
		return open > 0
	}
	return strings.Count(text, `"`)%2 == 1
}

// corroboration is the lead's "reported by N of M articles".
func (h *Handlers) corroboration(c parley.Citation) string {
	n := 1 + len(c.AlsoIn)
	total := len(h.corpus.Articles())
	if n < 2 || total < 2 {
		return ""
	}
	return fmt.Sprintf(" (reported by %d of %d articles)", n, total)
}

// ranksBefore orders by score, then equal scores by article and position,
// so that an answer never depends on the order hits arrived in.
func ranksBefore(a *parley.Sentence, as float64, b *parley.Sentence, bs float64) bool {
	if as != bs {
		return as > bs
	}
	if a.Article != b.Article {
		return a.Article < b.Article
	}
	return a.Position < b.Position
}
