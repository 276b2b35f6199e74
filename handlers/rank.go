package handlers

import (
	"context"
	"fmt"
	"math"
	"regexp"
	"slices"
	"sort"
	"strings"
	"unicode"

	"github.com/parley-bot/parley"
)

// answerType is what kind of thing a question asks for.
type answerType int

const (
	anyType answerType = iota
	quantityType
	durationType
	dateType
	personType
	placeType
)

var (
	digitsRE     = regexp.MustCompile(`\d`)
	numberWordRE = regexp.MustCompile(`(?i)\b(one|two|three|four|five|six|seven|eight|nine|ten|fifteen|twenty|thirty|forty|fifty|half|fourth|fifth)\b`)
	durationRE   = regexp.MustCompile(`(?i)\b(\d+|one|two|three|four|five|ten|fifteen|twenty|fifty|half a)[- ](year|month|week|day|decade|centur)[a-z]*\b|\b(years|decades|centur(y|ies)|months)\b|\bforever\b|\blong-term\b`)
	dateRE       = regexp.MustCompile(`(?i)\b(january|february|march|april|may|june|july|august|september|october|november|december|monday|tuesday|wednesday|thursday|friday|saturday|sunday|yesterday|today|last (week|month|year|spring|summer|autumn|fall|winter)|(19|20)\d\d)\b`)
	// amountRE finds a stated amount for a direct lead: "800,000 troops", "20%".
	amountRE = regexp.MustCompile(`\b(\d[\d,.]*\s?%|\d[\d,.]*(-\w+)?( [a-z]+){0,3}|[Ss]everal thousand[”"]? \w+|[Tt]housands of \w+)`)
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

// classify reads the kind of answer a question wants from its first words.
func classify(q string) answerType {
	l := strings.ToLower(q)
	has := func(p ...string) bool {
		for _, s := range p {
			if strings.HasPrefix(l, s) || strings.Contains(l, " "+s) {
				return true
			}
		}
		return false
	}
	switch {
	case has("how long", "for how long"):
		return durationType
	case has("how many", "how much", "what share", "what percentage", "what proportion", "what number", "how large", "how big"):
		return quantityType
	case has("when ", "what year", "what date", "what day", "what month"):
		return dateType
	case strings.HasPrefix(l, "who") || strings.HasPrefix(l, "whom") || strings.HasPrefix(l, "whose"):
		return personType
	case strings.HasPrefix(l, "where"):
		return placeType
	}
	return anyType
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

// entities finds the places and people a query names, trying its one- to
// three-word spans. Two-letter words count as places only when typed in
// capitals ("US", not "us").
func (h *Handlers) entities(q string) (places []string, people []int, rest string) {
	words := strings.FieldsFunc(q, func(r rune) bool {
		return !(unicode.IsLetter(r) || unicode.IsDigit(r) || r == '.' || r == '\'' || r == '’' || r == '-' || r == '%' || r == ',')
	})
	seenP, seenPl := map[int]bool{}, map[string]bool{}
	var left []string
	for i := 0; i < len(words); i++ {
		found := false
		for n := min(3, len(words)-i); n >= 1 && !found; n-- {
			span := strings.Join(words[i:i+n], " ")
			if n == 1 && questionWord(strings.ToLower(span)) && strings.ToUpper(span) != span {
				continue
			}
			if n == 1 && len(strings.Trim(span, ".")) <= 2 && strings.ToUpper(span) != span {
				continue
			}
			if name, _, ok := h.corpus.LookupPlace(span, false); ok {
				if !seenPl[name] {
					seenPl[name] = true
					places = append(places, name)
				}
				i, found = i+n-1, true
			} else if p, _, ok := h.corpus.LookupPerson(span, false); ok {
				if !seenP[p] {
					seenP[p] = true
					people = append(people, p)
				}
				i, found = i+n-1, true
			}
		}
		if !found {
			left = append(left, words[i])
		}
	}
	return places, people, strings.Join(left, " ")
}

// asksForSpeech says a question is about what someone said: then their own
// words count for more than sentences that mention them.
func asksForSpeech(q string) bool {
	for _, w := range strings.Fields(strings.ToLower(q)) {
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

// scored is a sentence with Parley's own score.
type scored struct {
	s     *parley.Sentence
	score float64
}

// search ranks sentences for a topic or question: bleve's BM25 for recall,
// then Parley's score for precision (how much of the query a sentence covers,
// whether it has the kind of answer asked for, whether it names what the
// query names). Weak matches are dropped; nil means not covered.
// found is what a search found: ranked sentences, the query words no
// sentence has, and the weight of each query term (rarer is heavier).
type found struct {
	ranked []scored
	absent []string
	weight map[string]float64
}

func (h *Handlers) search(ctx context.Context, q string, kind answerType, phrase string) (found, error) {
	places, people, rest := h.entities(q)
	content := contentWords(rest)
	speech := asksForSpeech(q)
	names := make([]string, len(people))
	for i, p := range people {
		names[i] = h.corpus.People()[p].Name
	}
	hits, err := h.corpus.Search(ctx, parley.Query{Text: content, Phrase: phrase, Places: places, People: names, Size: 25})
	if err != nil || len(hits) == 0 {
		return found{}, err
	}
	terms := dedupe(h.corpus.Terms(content))
	// Terms no hit contains are words the articles do not use: they cannot
	// tell sentences apart, so coverage counts only the others.
	present := map[string]bool{}
	for _, hit := range hits {
		for _, m := range hit.Matched {
			present[m] = true
		}
	}
	var want []string
	for _, t := range terms {
		if present[t] {
			want = append(want, t)
		}
	}
	if len(terms) > 0 && len(want)*2 < len(terms) && len(places)+len(people) == 0 {
		return found{}, nil // most of what was asked is not in the articles
	}
	var absent []string
	for _, p := range places {
		if !slices.ContainsFunc(hits, func(hit parley.Hit) bool { return contains(hit.Sentence.Places, p) }) {
			absent = append(absent, p)
		}
	}
	if len(want) < len(terms) {
		for _, w := range strings.Fields(content) {
			ts := h.corpus.Terms(w)
			if len(ts) > 0 && !slices.ContainsFunc(ts, func(t string) bool { return present[t] }) {
				absent = append(absent, w)
			}
		}
	}
	weight := map[string]float64{}
	total := 0.0
	for _, t := range want {
		// Rarer terms say more: weight by inverse frequency among the hits.
		df := 0
		for _, hit := range hits {
			for _, m := range hit.Matched {
				if m == t {
					df++
				}
			}
		}
		weight[t] = math.Log(1 + float64(len(hits))/float64(max(df, 1)))
		total += weight[t]
	}
	entWeight := 1.0
	if len(want) > 0 {
		entWeight = total / float64(len(want))
	}
	top := hits[0].Score
	lowPhrase := strings.ToLower(phrase)
	var out []scored
	for _, hit := range hits {
		s := hit.Sentence
		a, _ := h.corpus.Article(s.Article)
		text := a.Text[s.Start:s.End]
		cov := 0.0
		for _, m := range hit.Matched {
			cov += weight[m]
		}
		ent := 0.0
		for _, p := range places {
			switch {
			case speech && s.Speaker != "" && h.affiliationOf(s.Speaker) == p:
				ent += 1
			case speech && contains(s.Places, p):
				ent += 0.6
			case contains(s.Places, p):
				ent += 1
			}
		}
		for _, n := range names {
			switch {
			case s.Speaker == n:
				ent += 1
			case contains(s.People, n) && speech:
				ent += 0.5
			case contains(s.People, n):
				ent += 1
			}
		}
		// The names a query holds count in its coverage like its words, each
		// as much as an average word.
		n := len(places) + len(names)
		if n > 0 {
			cov += ent * entWeight
			ent /= float64(n)
		}
		if all := total + float64(n)*entWeight; all > 0 {
			cov /= all
		}
		score := 0.35*hit.Score/top + 0.45*cov + 0.2*ent
		if lowPhrase != "" && strings.Contains(strings.ToLower(text), lowPhrase) {
			score += 0.3
		}
		if b := typeBonus(kind, s); b > 0 {
			score += b
		} else if kind != anyType && kind != personType {
			// A "how many" or "when" question is not answered by a
			// sentence with no amount or date in it.
			score *= 0.6
		}
		if total > 0 && cov < 0.3 && ent == 0 {
			continue
		}
		if total == 0 && ent == 0 {
			continue
		}
		out = append(out, scored{s, score})
	}
	sort.SliceStable(out, func(i, j int) bool { return ranksBefore(out[i].s, out[i].score, out[j].s, out[j].score) })
	if len(out) > 0 {
		bar := out[0].score * 0.5
		k := 0
		for k < len(out) && out[k].score >= bar {
			k++
		}
		out = out[:min(k, maxRanked)]
	}
	return found{ranked: out, absent: absent, weight: weight}, nil
}

func typeBonus(kind answerType, s *parley.Sentence) float64 {
	switch kind {
	case quantityType:
		if s.Features&parley.HasDigits != 0 {
			return 0.3
		}
		if s.Features&parley.HasNumberWord != 0 {
			return 0.12
		}
	case durationType:
		if s.Features&parley.HasDuration != 0 {
			return 0.3
		}
	case dateType:
		if s.Features&parley.HasDate != 0 {
			return 0.3
		}
	case personType:
		if len(s.People) > 0 || s.Speaker != "" {
			return 0.1
		}
		if len(s.Places) > 0 {
			return 0.05
		}
	case placeType:
		if len(s.Places) > 0 {
			return 0.15
		}
	}
	return 0
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func dedupe(terms []string) []string {
	seen := map[string]bool{}
	out := terms[:0]
	for _, t := range terms {
		if !seen[t] {
			seen[t] = true
			out = append(out, t)
		}
	}
	return out
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
		first, last := quoteSpan(a, s)
		if covered[spanKey{a.ID, first.Start}] {
			continue
		}
		for i := first.Position; i <= last.Position; i++ {
			covered[spanKey{a.ID, a.Sentences[i].Start}] = true
		}
		sig := sign(a.Text[first.Start:last.End])
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
func quoteSpan(a *parley.Article, s *parley.Sentence) (first, last *parley.Sentence) {
	first, last = s, s
	for first.Position > 0 && last.Position-first.Position+1 < maxQuoteSpan {
		prev := &a.Sentences[first.Position-1]
		if prev.Paragraph != s.Paragraph || !opensQuote(a.Text[prev.Start:prev.End]) {
			break
		}
		first = prev
	}
	for opensQuote(a.Text[first.Start:last.End]) && last.Position+1 < len(a.Sentences) && last.Position-first.Position+1 < maxQuoteSpan {
		next := &a.Sentences[last.Position+1]
		if next.Paragraph != s.Paragraph {
			break
		}
		last = next
	}
	if opensQuote(a.Text[first.Start:last.End]) {
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
