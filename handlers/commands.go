package handlers

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/parley-bot/parley"
)

func (h *Handlers) what(ctx context.Context, q string, ans *parley.Answer) error {
	q = strings.TrimRight(q, "?!. ")
	if q == "" {
		h.notCovered(ans, "Tell me a topic, for instance /what military hubs.", "")
		return nil
	}
	phrase := ""
	if len(strings.Fields(q)) > 1 {
		phrase = q
	}
	qu := h.analyse(q)
	qu.kind = kindAny
	ev, err := h.gather(ctx, qu, phrase)
	if err != nil {
		return err
	}
	if len(ev.pass) == 0 {
		h.notCoveredEvidence(ans, ev)
		return nil
	}
	ans.Citations = h.cite(candSentences(ev.pass), h.wanted(ans))
	ans.People = h.peopleOf(ans.Citations)
	ans.Lead = fmt.Sprintf("What the articles say about %s%s:", quoteQuery(q), h.corroboration(ans.Citations[0]))
	return nil
}

func (h *Handlers) ask(ctx context.Context, q string, ans *parley.Answer) error {
	if strings.TrimSpace(contentWords(q)) == "" && len(q) < 3 {
		h.notCovered(ans, "Ask a question about the story, for instance /ask how many countries attended the meeting?", "")
		return nil
	}
	// "/ask who france", "who united states": a command word with a
	// subject Parley knows stays that command (parley.Parse, rule 4).
	if word, rest := splitFirst(q); rest != "" {
		switch strings.ToLower(word) {
		case parley.CommandWho:
			_, known := h.resolveExact(strings.TrimRight(rest, "?!. "))
			if r := parley.Parse(q); r.Command == parley.CommandWho || known {
				ans.Command = parley.CommandWho
				return h.who(ctx, rest, ans)
			}
		case parley.CommandWhat:
			if r := parley.Parse(q); r.Command == parley.CommandWhat {
				ans.Command = parley.CommandWhat
				return h.what(ctx, rest, ans)
			}
		}
	}
	qu := h.analyse(q)
	if (qu.kind == kindPerson || qu.kind == kindRole) && len(qu.content) == 0 && len(qu.people) == 1 && h.ownPlaces(qu) {
		// "who is the french foreign ministry spokesperson": the person,
		// whose name holds a place of their own.
		p := h.corpus.People()[qu.people[0]]
		if qu.asksName && unnamed(p) {
			h.notCovered(ans, fmt.Sprintf("The articles don't name the %s.", strings.ToLower(p.Name)), "")
			ans.People = []parley.Person{p}
			return nil
		}
		return h.personAnswer(ctx, p, "", true, ans)
	}
	if (qu.kind == kindPerson || qu.kind == kindRole) && len(qu.content) == 0 && len(qu.places)+len(qu.people) == 1 {
		// "whos witkoff", "who is macron": /who, as typed without a slash.
		if len(qu.people) == 1 {
			return h.personAnswer(ctx, h.corpus.People()[qu.people[0]], "", true, ans)
		}
		return h.who(ctx, qu.places[0], ans)
	}
	switch qu.kind {
	case kindParticipants:
		return h.participants(ctx, qu, ans)
	case kindRole:
		if ok, err := h.roleHolder(ctx, qu, ans); ok || err != nil {
			return err
		}
		qu.kind, qu.role = kindPerson, true
	}
	ev, err := h.gather(ctx, qu, "")
	if err != nil {
		return err
	}
	if len(ev.pass) == 0 {
		h.notCoveredEvidence(ans, ev)
		return nil
	}
	if qu.kind == kindYesNo {
		// The passages that say yes or no plainly come first.
		plain := map[*cand]bool{}
		for _, c := range ev.pass {
			plain[c] = h.polarity(c, ev.keys) != ""
		}
		sort.SliceStable(ev.pass, func(i, j int) bool { return plain[ev.pass[i]] && !plain[ev.pass[j]] })
	}
	h.eventFirst(ev)
	ans.Citations = h.cite(candSentences(ev.pass), h.wanted(ans))
	ans.People = h.peopleOf(ans.Citations)
	ans.Lead = h.askLead(ev, ans)
	return nil
}

// ownPlaces says the places a question names are all the affiliation of
// the one person it names ("french" in "the french foreign ministry
// spokesperson").
func (h *Handlers) ownPlaces(qu question) bool {
	p := h.corpus.People()[qu.people[0]]
	for _, pl := range qu.places {
		if pl != p.Affiliation {
			return false
		}
	}
	return true
}

// unnamed says a person is known only by a description ("French foreign
// ministry spokesperson"): a word of it is in lower case and is no
// particle of a name ("ter", "bin", "de").
func unnamed(p parley.Person) bool {
	for _, w := range strings.Fields(p.Name) {
		r := []rune(w)
		if len(r) == 0 || !unicode.IsLower(r[0]) {
			continue
		}
		if !parley.NameParticle(w) {
			return true
		}
	}
	return false
}

// askLead answers in one line where the passages allow: the value bound to
// the question, else what kind of passages follow, with how many of the
// articles that mention the subject carry the first.
func (h *Handlers) askLead(ev *evidence, ans *parley.Answer) string {
	if l := h.valueLead(ev); l != "" {
		return l
	}
	if ev.qu.kind == kindAny && asksForOlder(ev.qu.text) {
		// "whats the earlier french offer": the figure a passage calls
		// earlier is the answer.
		h.bindOlder(ev)
		if l := h.valueLead(ev); l != "" {
			return l
		}
	}
	corr := h.corroboration(ans.Citations[0])
	switch ev.qu.kind {
	case kindReason:
		return fmt.Sprintf("The reasons the articles give%s:", corr)
	case kindOutcome:
		return fmt.Sprintf("What the articles say would happen%s:", corr)
	case kindYesNo:
		if l := h.yesNoLead(ev); l != "" {
			return l
		}
	}
	return fmt.Sprintf("The passages that answer it%s:", corr)
}

// bindOlder binds, in the passages, the counts and amounts they call
// earlier, previous or replaced, for a question about the older value.
func (h *Handlers) bindOlder(ev *evidence) {
	for _, c := range ev.pass {
		vs, older := c.f.Amounts()
		for i, v := range vs {
			if older[i] && v.kind == kindCount {
				c.bound = append(c.bound, &found{kind: kindCount, text: v.text, amount: v, superseded: true, key: amountKey(v)})
			}
		}
	}
}

func splitFirst(s string) (string, string) {
	f := strings.Fields(s)
	if len(f) == 0 {
		return "", ""
	}
	return f[0], strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(s), f[0]))
}

func candSentences(cs []*cand) []*parley.Sentence {
	out := make([]*parley.Sentence, len(cs))
	for i, c := range cs {
		out[i] = c.s
	}
	return out
}

// notCoveredEvidence says what the articles don't state, with nearby
// passages apart from the citations.
func (h *Handlers) notCoveredEvidence(ans *parley.Answer, ev *evidence) {
	h.notCovered(ans, h.missingLead(ev), contentWords(ev.qu.text))
	var near []*parley.Sentence
	for _, c := range ev.cands {
		if c.names || len(ev.absent)+len(ev.absentWords) > 0 {
			near = append(near, c.s)
		}
	}
	ans.Related = h.cite(near, 3)
}

// quotationMarks are dropped from values.
var quotationMarks = strings.NewReplacer("“", "", "”", "", `"`, "")

// trimValue drops the little words a value's match may end on ("27 heads
// of" → "27 heads") and quotation marks.
func trimValue(v string) string {
	v = strings.TrimSpace(quotationMarks.Replace(v))
	for {
		i := strings.LastIndexByte(v, ' ')
		if i < 0 {
			return v
		}
		switch v[i+1:] {
		case "of", "the", "a", "an", "and", "or", "to", "in", "on", "at", "for", "with", "by", "from":
			v = v[:i]
			continue
		}
		return v
	}
}

// notCovered says plainly that the articles don't cover a query and suggests
// what they do cover: the people and topics closest to it, else the most
// frequent ones.
func (h *Handlers) notCovered(ans *parley.Answer, lead, q string) {
	ans.Covered = false
	ans.Citations = nil
	if lead == "" {
		lead = fmt.Sprintf("The articles don't cover %s.", quoteQuery(q))
	}
	ans.Lead = lead + " Try one of the suggestions."
	ans.Suggestions = h.suggest(q)
}

// suggestion is a command the articles can answer, with the lower-case
// words of its subject to compare typed words with.
type suggestion struct {
	line  string
	parts []pattern
}

// pattern is a word prepared for bit-parallel edit distance (Myers 1999,
// in Hyyrö's form for the distance between whole strings): for each of
// its letters, the positions it holds as bits. Every answer that covers
// nothing compares its words with every suggestion's, so the preparation
// is done once per suggestion and each comparison costs a few word
// operations per typed letter instead of a row of the distance table.
type pattern struct {
	word  string
	n     int // runes
	runes []rune
	masks []uint64 // masks[i] are the positions of runes[i]
}

func newPattern(w string) pattern {
	p := pattern{word: w}
	for _, r := range w {
		if i := slices.Index(p.runes, r); i >= 0 {
			p.masks[i] |= 1 << p.n
		} else if p.n < 64 {
			p.runes = append(p.runes, r)
			p.masks = append(p.masks, 1<<p.n)
		}
		p.n++
	}
	return p
}

// distance is the edit distance between the pattern and s, in runes.
func (p pattern) distance(s string) int {
	if p.n == 0 || p.n > 64 {
		return parley.EditDistance(s, p.word)
	}
	pv, mv := ^uint64(0), uint64(0)
	top := uint64(1) << (p.n - 1)
	d := p.n
	for _, r := range s {
		eq := uint64(0)
		if i := slices.Index(p.runes, r); i >= 0 {
			eq = p.masks[i]
		}
		xv := eq | mv
		xh := (((eq & pv) + pv) ^ pv) | eq
		ph := mv | ^(xh | pv)
		mh := pv & xh
		if ph&top != 0 {
			d++
		} else if mh&top != 0 {
			d--
		}
		ph = ph<<1 | 1 // the first row counts the letters of s
		mh <<= 1
		pv = mh | ^(xv | ph)
		mv = ph & xv
	}
	return d
}

// suggestions are the commands suggest chooses from: the most mentioned
// people and the most frequent topics, which do not change while the
// handlers serve one corpus, so they are read once instead of per answer.
func suggestions(c parley.Corpus) []suggestion {
	var out []suggestion
	for i, p := range c.People() {
		if i >= 8 {
			break
		}
		out = append(out, suggestion{"/who " + p.Name, patterns(p.Name)})
	}
	for _, t := range c.Topics(8) {
		out = append(out, suggestion{"/what " + t, patterns(t)})
	}
	return out
}

func patterns(name string) []pattern {
	var out []pattern
	for _, w := range strings.Fields(strings.ToLower(name)) {
		out = append(out, newPattern(w))
	}
	return out
}

// suggest proposes commands the articles can answer, nearest to q first.
func (h *Handlers) suggest(q string) []string {
	words := strings.Fields(strings.ToLower(q))
	dist := func(parts []pattern) int {
		best := 1 << 20
		for _, w := range words {
			nw := utf8.RuneCountInString(w)
			for _, part := range parts {
				// The distance is at least the difference in length: a
				// part that far cannot beat the best.
				if d := nw - part.n; d >= best || -d >= best {
					continue
				}
				if d := part.distance(w); d < best {
					best = d
				}
			}
		}
		return best
	}
	type cand struct {
		line string
		d    int
	}
	cands := make([]cand, len(h.suggestions))
	for i, s := range h.suggestions {
		cands[i] = cand{s.line, dist(s.parts)}
	}
	slices.SortStableFunc(cands, func(a, b cand) int { return a.d - b.d })
	out := make([]string, 0, 5)
	for _, c := range cands {
		if len(out) == 5 {
			break
		}
		out = append(out, c.line)
	}
	return out
}

// peopleOf ranks the people the citations name or quote.
func (h *Handlers) peopleOf(cs []parley.Citation) []parley.Person {
	count := map[string]float64{}
	var order []string
	for i, c := range cs {
		a, ok := h.corpus.Article(c.Article)
		if !ok {
			continue
		}
		w := 1 / float64(1+i)
		if s := sentenceAt(a, c.Start); s != nil {
			names := s.People
			if s.Speaker != "" && !contains(names, s.Speaker) {
				names = append([]string{s.Speaker}, names...)
			}
			for _, n := range names {
				if _, ok := count[n]; !ok {
					order = append(order, n)
				}
				count[n] += w
			}
		}
	}
	sort.SliceStable(order, func(i, j int) bool { return count[order[i]] > count[order[j]] })
	out := make([]parley.Person, 0, len(order)) // a person is large: no regrowing
	for _, n := range order {
		if p, ok := h.person(n); ok {
			out = append(out, p)
		}
	}
	return out
}

func (h *Handlers) person(name string) (parley.Person, bool) {
	i, ok := h.byName[name]
	if !ok {
		return parley.Person{}, false
	}
	return h.corpus.People()[i], true
}

// affiliationOf is a person's country or organisation, "" when unknown.
func (h *Handlers) affiliationOf(name string) string {
	p, _ := h.person(name)
	return p.Affiliation
}

// quoteQuery shows a query in a lead line, shortened.
func quoteQuery(q string) string {
	r := []rune(q)
	if len(r) > 60 {
		q = strings.TrimSpace(string(r[:60])) + "…"
	}
	return "“" + q + "”"
}
