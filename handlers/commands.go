package handlers

import (
	"context"
	"fmt"
	"regexp"
	"sort"
	"strings"

	"github.com/parley-bot/parley"
)

func (h *Handlers) what(ctx context.Context, q string, ans *parley.Answer) error {
	if q == "" {
		h.notCovered(ans, "Tell me a topic, for instance /what military hubs.", "")
		return nil
	}
	phrase := ""
	if len(strings.Fields(q)) > 1 {
		phrase = q
	}
	f, err := h.search(ctx, q, anyType, phrase)
	if err != nil {
		return err
	}
	ranked, absent := f.ranked, f.absent
	if len(ranked) == 0 {
		h.notCovered(ans, "", q)
		return nil
	}
	ans.Citations = h.cite(sentences(ranked), h.wanted(ans))
	ans.People = h.peopleOf(ans.Citations)
	ans.Lead = fmt.Sprintf("What the articles say about %s%s:", quoteQuery(q), h.corroboration(ans.Citations[0]))
	if len(absent) > 0 {
		ans.Lead = fmt.Sprintf("The articles don't mention %s; what they say about the rest of %s%s:",
			quoteQuery(strings.Join(absent, " ")), quoteQuery(q), h.corroboration(ans.Citations[0]))
	}
	return nil
}

func (h *Handlers) ask(ctx context.Context, q string, ans *parley.Answer) error {
	if strings.TrimSpace(contentWords(q)) == "" && len(q) < 3 {
		h.notCovered(ans, "Ask a question about the story, for instance /ask how many countries attended the meeting?", "")
		return nil
	}
	kind := classify(q)
	f, err := h.search(ctx, q, kind, "")
	if err != nil {
		return err
	}
	ranked := f.ranked
	if len(ranked) == 0 {
		h.notCovered(ans, "", contentWords(q))
		return nil
	}
	ans.Citations = h.cite(sentences(ranked), h.wanted(ans))
	ans.People = h.peopleOf(ans.Citations)
	ans.Lead = h.directLead(kind, ans, f.weight)
	return nil
}

// directLead answers in one line where the top citation allows it: the
// amount, duration or date it states, or the people it names.
func (h *Handlers) directLead(kind answerType, ans *parley.Answer, weight map[string]float64) string {
	top := ans.Citations[0]
	corr := h.corroboration(top)
	var found string
	switch kind {
	case quantityType:
		found, corr = h.mostReported(ans.Citations, amountRE, parley.HasDigits|parley.HasNumberWord, weight)
	case durationType:
		found, corr = h.mostReported(ans.Citations, durationRE, parley.HasDuration, weight)
	case dateType:
		found, corr = h.mostReported(ans.Citations, dateRE, parley.HasDate, weight)
	}
	if found != "" {
		return fmt.Sprintf("The articles say: %s%s.", found, corr)
	}
	return fmt.Sprintf("The passages that answer it%s:", corr)
}

// mostReported finds the value (an amount, a duration, a date) to state in
// the lead: one that names a word of the question first ("27 heads of
// state" for "how many heads of state"), then numbers before words, then
// the value the most articles report, then the better-ranked citation. A
// value is stated only when it names a word of the question or several
// articles report it: a wrong direct answer is worse than none.
func (h *Handlers) mostReported(cs []parley.Citation, re *regexp.Regexp, feature parley.Features, weight map[string]float64) (string, string) {
	// near weighs the question's words within three words of a value, on
	// either side: "75% of Donetsk", "continue on Wednesday".
	near := func(text string, start, end int) float64 {
		before := strings.Fields(text[:start])
		after := strings.Fields(text[end:])
		window := strings.Join(before[max(0, len(before)-3):], " ") + " " + text[start:end] + " " + strings.Join(after[:min(3, len(after))], " ")
		seen := map[string]bool{}
		w := 0.0
		for _, t := range h.corpus.Terms(window) {
			if v, ok := weight[t]; ok && !seen[t] {
				seen[t] = true
				w += v
			}
		}
		return w
	}
	type stat struct {
		articles map[string]bool
		first    int
		digits   bool
		named    float64 // the question's words next to the value: "27 heads of state"
	}
	stats := map[string]*stat{}
	var order []string
	for i, c := range cs {
		if i == 5 {
			break
		}
		if !h.citationHas(c, feature) {
			continue // indexing found no such value: spare the expression
		}
		for _, loc := range re.FindAllStringIndex(c.Text, -1) {
			v := trimValue(c.Text[loc[0]:loc[1]])
			if feature == parley.HasDuration && !digitsRE.MatchString(v) && !numberWordRE.MatchString(v) {
				continue // "long-term", "forever": true, but no answer to "how long"
			}
			key := strings.ToLower(v)
			st := stats[key]
			if st == nil {
				st = &stat{articles: map[string]bool{}, first: i, digits: digitsRE.MatchString(v)}
				stats[key] = st
				order = append(order, v)
			}
			st.named = max(st.named, near(c.Text, loc[0], loc[1]))
			st.articles[c.Article] = true
			for _, a := range c.AlsoIn {
				st.articles[a] = true
			}
		}
	}
	if len(order) == 0 {
		return "", ""
	}
	sort.SliceStable(order, func(i, j int) bool {
		a, b := stats[strings.ToLower(order[i])], stats[strings.ToLower(order[j])]
		if a.named != b.named {
			return a.named > b.named
		}
		if a.digits != b.digits {
			return a.digits
		}
		if len(a.articles) != len(b.articles) {
			return len(a.articles) > len(b.articles)
		}
		return a.first < b.first
	})
	best := stats[strings.ToLower(order[0])]
	if best.named == 0 && len(best.articles) < 2 {
		// One article's number that names nothing asked for may answer
		// another question: let the citations speak instead.
		return "", ""
	}
	n, all := len(best.articles), len(h.corpus.Articles())
	corr := ""
	if n >= 2 && all >= 2 {
		corr = fmt.Sprintf(" (reported by %d of %d articles)", n, all)
	}
	return order[0], corr
}

// trimValue drops the little words a value's match may end on ("27 heads
// of" → "27 heads") and quotation marks.
func trimValue(v string) string {
	v = strings.TrimSpace(strings.NewReplacer("“", "", "”", "", `"`, "").Replace(v))
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

// citationHas says whether any sentence a citation quotes has a feature.
func (h *Handlers) citationHas(c parley.Citation, f parley.Features) bool {
	a, ok := h.corpus.Article(c.Article)
	if !ok {
		return false
	}
	for s := sentenceAt(a, c.Start); s != nil && s.Start < c.End; {
		if s.Features&f != 0 {
			return true
		}
		if s.Position+1 >= len(a.Sentences) {
			break
		}
		s = &a.Sentences[s.Position+1]
	}
	return false
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

// suggest proposes commands the articles can answer, nearest to q first.
func (h *Handlers) suggest(q string) []string {
	type cand struct {
		line string
		d    int
	}
	var cands []cand
	words := strings.Fields(strings.ToLower(q))
	dist := func(name string) int {
		best := 1 << 20
		for _, w := range words {
			for _, part := range strings.Fields(strings.ToLower(name)) {
				if d := parley.EditDistance(w, part); d < best {
					best = d
				}
			}
		}
		return best
	}
	for i, p := range h.corpus.People() {
		if i >= 8 {
			break
		}
		cands = append(cands, cand{"/who " + p.Name, dist(p.Name)})
	}
	for _, t := range h.corpus.Topics(8) {
		cands = append(cands, cand{"/what " + t, dist(t)})
	}
	sort.SliceStable(cands, func(i, j int) bool { return cands[i].d < cands[j].d })
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
	var out []parley.Person
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

func sentences(r []scored) []*parley.Sentence {
	out := make([]*parley.Sentence, len(r))
	for i, s := range r {
		out[i] = s.s
	}
	return out
}

// quoteQuery shows a query in a lead line, shortened.
func quoteQuery(q string) string {
	r := []rune(q)
	if len(r) > 60 {
		q = strings.TrimSpace(string(r[:60])) + "…"
	}
	return "“" + q + "”"
}
