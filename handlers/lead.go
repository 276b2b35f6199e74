package handlers

import (
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/parley-bot/parley"
)

func strconvFloat(f float64) string { return strconv.FormatFloat(f, 'f', 2, 64) }

// group is one value several candidates state, with the articles that do.
type group struct {
	f        *found
	articles map[string]bool
	first    int
	// dated is the newest dated article stating the value, "" when none
	// carries a date.
	dated     string
	datedWhen string
}

func (g *group) compatible(f *found) bool {
	if g.f.superseded != f.superseded {
		return false
	}
	switch f.kind {
	case kindCount, kindAmount, kindDuration:
		if g.f.amount.unit != nil && f.amount.unit != nil && g.f.kind == kindDuration && g.f.key != f.key {
			return false
		}
		return g.f.amount.overlaps(f.amount)
	case kindDate:
		return sameDate(g.f.key, f.key)
	}
	return g.f.key == f.key
}

// asksForOlder: "what was the earlier cap", "the original plan".
func asksForOlder(q string) bool {
	for w := range eachWord(strings.ToLower(q)) {
		switch w {
		case "earlier", "previous", "previously", "original", "originally", "old", "former", "first", "initial", "before":
			return true
		}
	}
	return false
}

// valueLead states the value the passing candidates bind, with how many
// of the articles that mention the subject report it; when articles
// disagree, each value with its count (and the newest report, where
// articles carry dates); a value the text calls earlier is no rival but is
// said as such. "" when no value is bound.
func (h *Handlers) valueLead(ev *evidence) string {
	var live, old []*group
	for i, c := range ev.pass {
	values:
		for _, f := range c.bound {
			list := &live
			if f.superseded {
				list = &old
			}
			var g *group
			for _, x := range *list {
				if x.compatible(f) {
					g = x
					break
				}
			}
			if g == nil {
				g = &group{f: f, articles: map[string]bool{}, first: i}
				*list = append(*list, g)
			}
			// The more precise statement of one value speaks for it
			// ("February 2022" over "2022").
			if len(f.key) > len(g.f.key) && f.kind == kindDate || f.kind != kindDate && !f.amount.vague && g.f.amount.vague || g.f.modifier && !f.modifier {
				g.f = f
			}
			g.articles[c.s.Article] = true
			if t, ok := parseDate(c.a.Date); ok && (g.datedWhen == "" || t.Format("2006-01-02") > g.datedWhen) {
				g.dated, g.datedWhen = c.a.ID, t.Format("2006-01-02")
			}
			if f.kind == kindPlace || f.kind == kindPerson || f.kind == kindDate {
				break values // one place, person or date per sentence: the nearest
			}
		}
	}
	if asksForOlder(ev.qu.text) && len(old) > 0 {
		live, old = old, live
	}
	if len(live) == 0 {
		return ""
	}
	live = h.theEvents(ev, live)
	order := func(gs []*group) {
		sort.SliceStable(gs, func(i, j int) bool {
			if len(gs[i].articles) != len(gs[j].articles) {
				return len(gs[i].articles) > len(gs[j].articles)
			}
			return gs[i].first < gs[j].first
		})
	}
	order(live)
	order(old)
	m := max(h.mentioning(ev), len(live[0].articles))
	subject := h.subjectLabel(ev)
	reported := func(g *group) string {
		return fmt.Sprintf("reported by %d of the %d %s %s", len(g.articles), m, plural(m, "article that mentions", "articles that mention"), subject)
	}
	var b strings.Builder
	if k := live[0].f.kind; k == kindPlace || k == kindPerson || k == kindName {
		live = live[:1] // several places or people are several answers, not a disagreement
	}
	if len(live) == 1 {
		fmt.Fprintf(&b, "The articles say: %s (%s", h.valueText(ev, live[0]), reported(live[0]))
	} else {
		b.WriteString("The articles differ: ")
		for i, g := range live {
			if i == 3 {
				break
			}
			if i > 0 {
				b.WriteString("; ")
			}
			fmt.Fprintf(&b, "%s (%s)", h.valueText(ev, g), reported(g))
		}
		if newest := newestGroup(live); newest != nil {
			a, _ := h.corpus.Article(newest.dated)
			fmt.Fprintf(&b, "; the newest report (%s, %s) says %s", sourceName(a), newest.datedWhen, h.valueText(ev, newest))
		}
	}
	if len(live) == 1 {
		b.WriteString(")")
	}
	if len(old) > 0 && !asksForOlder(ev.qu.text) {
		fmt.Fprintf(&b, "; %s is given as an earlier figure", old[0].f.text)
	}
	if note := dateNote(ev, live); note != "" {
		b.WriteString("; " + note)
	}
	b.WriteString(".")
	return b.String()
}

// theEvents keeps, for a question about the articles' event itself ("when
// was the meeting", "where was the summit"), the values that are the
// event's date or place, when some are: a date of another meeting the
// articles mention ("when he met with Trump late last month") is no rival
// to the day of the one they report.
func (h *Handlers) theEvents(ev *evidence, live []*group) []*group {
	if ev.qu.kind != kindDate && ev.qu.kind != kindPlace || !h.aboutEvent(ev) {
		return live
	}
	var keep []*group
	for _, g := range live {
		for _, c := range ev.pass {
			if g.articles[c.s.Article] && h.eventValue(c.a, g.f) {
				keep = append(keep, g)
				break
			}
		}
	}
	if len(keep) == 0 {
		return live
	}
	return keep
}

// eventValue says a value is the date or place of the event of the
// article it is read in.
func (h *Handlers) eventValue(a *parley.Article, f *found) bool {
	e := a.Event
	return e != nil && (f.kind == kindDate && e.Date != "" && sameDate(f.key, e.Date) ||
		f.kind == kindPlace && e.Place != "" && h.samePlace(f.key, e.Place))
}

// eventFirst puts first, for a question about the event itself, the
// passages that state its date or place.
func (h *Handlers) eventFirst(ev *evidence) {
	if ev.qu.kind != kindDate && ev.qu.kind != kindPlace || !h.aboutEvent(ev) {
		return
	}
	states := map[*cand]bool{}
	for _, c := range ev.pass {
		states[c] = slices.ContainsFunc(c.bound, func(f *found) bool { return h.eventValue(c.a, f) })
	}
	sort.SliceStable(ev.pass, func(i, j int) bool { return states[ev.pass[i]] && !states[ev.pass[j]] })
}

// aboutEvent says a question asks about the articles' event itself: its
// key words are the noun the articles name it by or words of that kind
// ("summit", "gathering"), and it names no one and no place but the
// event's.
func (h *Handlers) aboutEvent(ev *evidence) bool {
	if h.event == "" || len(ev.qu.people) > 0 || len(ev.keys) == 0 {
		return false
	}
	event := h.analysed(h.event)
	for _, k := range ev.keys {
		if !slices.Contains(event, k.term) && !h.eventKin(strings.ToLower(k.typed)) {
			return false
		}
	}
	for _, p := range ev.qu.places {
		ok := false
		for _, a := range h.corpus.Articles() {
			ok = ok || a.Event != nil && h.samePlace(p, a.Event.Place)
		}
		if !ok {
			return false
		}
	}
	return true
}

// samePlace says a place key (a canonical place, or a phrase) is the
// event's place as articles.json writes it.
func (h *Handlers) samePlace(key, place string) bool {
	if strings.EqualFold(key, place) {
		return true
	}
	l := h.named(place)
	return l.placeOK && strings.EqualFold(l.place, key)
}

// mentioning counts the articles that mention what a question is about:
// its names, when it has some ("reported by 1 of the 5 articles that
// mention Ukraine and Russia"), else its key words.
func (h *Handlers) mentioning(ev *evidence) int {
	if len(ev.qu.places)+len(ev.qu.people) == 0 {
		return len(ev.mention)
	}
	arts := map[string]bool{}
	for _, c := range ev.cands {
		if c.names {
			arts[c.s.Article] = true
		}
	}
	for a := range ev.mention {
		arts[a] = true
	}
	return len(arts)
}

// newestGroup is the value of the newest dated article, when articles
// carry dates and the newest states one value only.
func newestGroup(gs []*group) *group {
	dated := 0
	for _, g := range gs {
		if g.datedWhen != "" {
			dated++
		}
	}
	if dated < 2 {
		return nil // newest of one dated report says nothing
	}
	var best *group
	for _, g := range gs {
		if g.datedWhen == "" {
			continue
		}
		switch {
		case best == nil || g.datedWhen > best.datedWhen:
			best = g
		case g.datedWhen == best.datedWhen:
			return nil // the newest reports disagree among themselves
		}
	}
	return best
}

func sourceName(a *parley.Article) string {
	if a == nil {
		return ""
	}
	if a.Outlet != "" {
		return a.Outlet
	}
	return a.Title
}

// valueText is a value as the lead states it: a resolved date after the
// words the article uses, a count with the name of whose it is.
func (h *Handlers) valueText(ev *evidence, g *group) string {
	f := g.f
	switch f.kind {
	case kindDate:
		switch r := f.date.resolved; {
		case r == "" || strings.EqualFold(r, f.text):
			return f.text
		case strings.Contains(strings.ToLower(r), strings.ToLower(f.text)):
			return r // "12 February" is 12 February 2026
		}
		return f.text + ", " + f.date.resolved
	case kindCount, kindAmount:
		// Whose the count is, when the sentence gives it to a name of the
		// question ("several thousand troops (France)").
		if f.owner != "" && !ev.qu.share {
			return f.text + " (" + f.owner + ")"
		}
	}
	return f.text
}

// dateNote says which date relative dates were counted from when the
// articles carry none and the event's date stood in.
func dateNote(ev *evidence, live []*group) string {
	for _, g := range live {
		if g.f.kind != kindDate || g.f.date.resolved == "" {
			continue
		}
		for _, c := range ev.pass {
			if len(c.bound) > 0 && g.articles[c.s.Article] && c.a.Date == "" && c.a.Event != nil {
				return fmt.Sprintf("dated from the event (%s), as the %s no date", c.a.Event.Date, plural(len(g.articles), "article carries", "articles carry"))
			}
		}
	}
	return ""
}

// subjectLabel names what a question is about, for "the M articles that
// mention ...": its names, else what it counts, else its key words.
func (h *Handlers) subjectLabel(ev *evidence) string {
	if names := h.questionNames(ev); len(names) > 0 {
		return strings.Join(names, " and ")
	}
	if ev.qu.target != "" {
		return ev.qu.target
	}
	var ks []string
	for _, k := range ev.keys {
		ks = append(ks, strings.ToLower(k.typed))
		if len(ks) == 3 {
			break
		}
	}
	if len(ks) == 0 {
		return "it"
	}
	return "“" + strings.Join(ks, " ") + "”"
}

// missingLead says what the articles don't state, for an answer that is
// not covered: a name they never mention, names never together, or no
// value of the kind asked for.
func (h *Handlers) missingLead(ev *evidence) string {
	return strings.Replace(h.missingText(ev), " for it.", ".", 1)
}

func (h *Handlers) missingText(ev *evidence) string {
	qu := ev.qu
	if len(ev.absent)+len(ev.absentWords) > 0 {
		var ns, apart []string
		for _, p := range ev.absent {
			ns = append(ns, withArticle(p))
		}
		for _, w := range ev.absentWords {
			if slices.Contains(ev.elsewhere, w) {
				apart = append(apart, "“"+w+"”")
			} else {
				ns = append(ns, "“"+w+"”")
			}
		}
		if len(ns) == 0 {
			if rest := h.restLabel(ev); rest != "" {
				return fmt.Sprintf("The passages about %s don't mention %s.", rest, joinAnd(apart))
			}
			return fmt.Sprintf("No passage close to the question mentions %s.", joinAnd(apart))
		}
		return fmt.Sprintf("The articles don't mention %s.", joinAnd(ns))
	}
	focus := h.focusLabel(ev)
	switch {
	case ev.missing == "names" && len(qu.places)+len(qu.people) > 1:
		var ns []string
		for _, p := range qu.places {
			ns = append(ns, withArticle(p))
		}
		for _, p := range qu.people {
			ns = append(ns, h.corpus.People()[p].Name)
		}
		return fmt.Sprintf("The articles don't mention %s together.", joinAnd(ns))
	case ev.missing == "value" || ev.missing == "key" && len(ev.cands) > 0 && qu.kind != kindAny:
		switch qu.kind {
		case kindCount:
			what := "number"
			if qu.target != "" {
				what = "number of " + strings.ToLower(qu.target)
			}
			return fmt.Sprintf("The articles give no %s for %s.", what, focus)
		case kindAmount:
			switch {
			case qu.dimension != "":
				return fmt.Sprintf("The articles don't say how %s for %s.", qu.dimensionWord, focus)
			case qu.money:
				return fmt.Sprintf("The articles give no cost or sum for %s.", focus)
			case qu.share:
				return fmt.Sprintf("The articles give no share or percentage for %s.", focus)
			}
			return fmt.Sprintf("The articles give no amount for %s.", focus)
		case kindDuration:
			return fmt.Sprintf("The articles don't say how long for %s.", focus)
		case kindDate:
			return fmt.Sprintf("The articles give no date for %s.", focus)
		case kindPlace:
			return fmt.Sprintf("The articles don't say where for %s.", focus)
		case kindPerson:
			return fmt.Sprintf("The articles don't say who for %s.", focus)
		case kindName:
			return fmt.Sprintf("The articles give no name for %s.", focus)
		}
	}
	return fmt.Sprintf("The articles don't cover %s.", quoteQuery(qu.text))
}

// focusLabel names the focus of a question in a not-covered lead: its
// names and its key words as typed.
func (h *Handlers) focusLabel(ev *evidence) string {
	parts := h.questionNames(ev)
	var ks []string
	for _, w := range ev.qu.content {
		lw := strings.ToLower(w)
		if genericVerb(lw) || ev.qu.kind == kindCount && strings.EqualFold(w, ev.qu.target) || isDateNoun(lw) || isPlaceNoun(lw) || costWord(lw) {
			continue
		}
		ks = append(ks, lw)
	}
	if len(ks) > 0 && len(parts) == 0 {
		return "“" + strings.Join(ks, " ") + "”"
	}
	if len(parts) == 0 {
		return "it"
	}
	return joinAnd(parts)
}

// questionNames are the places and people a question names, as a lead
// writes them.
func (h *Handlers) questionNames(ev *evidence) []string {
	var names []string
	for _, p := range ev.qu.places {
		names = append(names, withArticle(p))
	}
	for _, p := range ev.qu.people {
		names = append(names, h.corpus.People()[p].Name)
	}
	return names
}

// restLabel names what a question is about besides the words the passages
// found for it lack: its names, else its other key words.
func (h *Handlers) restLabel(ev *evidence) string {
	if names := h.questionNames(ev); len(names) > 0 {
		return joinAnd(names)
	}
	var ks []string
	for _, k := range ev.keys {
		ks = append(ks, strings.ToLower(k.typed))
	}
	if len(ks) == 0 {
		return ""
	}
	return "“" + strings.Join(ks, " ") + "”"
}

func joinAnd(xs []string) string {
	switch len(xs) {
	case 0:
		return ""
	case 1:
		return xs[0]
	}
	return strings.Join(xs[:len(xs)-1], ", ") + " and " + xs[len(xs)-1]
}

// yesNoLead answers a yes-no question from the passages that state all
// its key words close together (within yesNoWindow words): "No" when a
// negation stands among or just before them ("does not guarantee peace"),
// "Not settled" for "may", "could" and the like, "Yes" otherwise; only
// when every such passage agrees. "" when none states it so plainly.
func (h *Handlers) yesNoLead(ev *evidence) string {
	if len(ev.keys) == 0 {
		return ""
	}
	verdict := ""
	arts := map[string]bool{}
	for _, c := range ev.pass {
		v := h.polarity(c, ev.keys)
		if v == "" {
			continue
		}
		if verdict != "" && v != verdict {
			return ""
		}
		verdict = v
		arts[c.s.Article] = true
	}
	if verdict == "" {
		return ""
	}
	m := max(h.mentioning(ev), len(arts))
	return fmt.Sprintf("%s, according to %d of the %d %s %s:", verdict, len(arts), m, plural(m, "article that mentions", "articles that mention"), h.subjectLabel(ev))
}

// yesNoWindow is how many words may hold all of a yes-no question's key
// words for a passage to answer it plainly.
const yesNoWindow = 6

// polarity reads a passage that states every key word of a question within
// a few words: "" when it does not.
func (h *Handlers) polarity(c *cand, keys []keyTerm) string {
	if len(keys) == 0 {
		return "" // "was kushner in paris": names alone, no words to read a verdict by
	}
	toks := c.f.Tokens(h)
	ws := c.f.Words()
	index := func(start int) int {
		for i, w := range ws {
			if w.start <= start && start < w.end+1 {
				return i
			}
		}
		return -1
	}
	// Positions (in words) of each key word, typed forms only.
	var pos [][]int
	for _, k := range keys {
		var ps []int
		forms := map[string]bool{k.term: true}
		for _, e := range k.expand {
			if e.Weight >= 0.9 {
				forms[e.Term] = true // another form of the word: "met" for "meet"
			}
		}
		for _, t := range toks {
			if forms[t.Term] {
				if i := index(t.Start); i >= 0 {
					ps = append(ps, i)
				}
			}
		}
		if len(ps) == 0 {
			return ""
		}
		pos = append(pos, ps)
	}
	for _, first := range pos[0] {
		lo, hi := first, first
		ok := true
		for _, ps := range pos[1:] {
			best := -1
			for _, p := range ps {
				if best < 0 || abs(p-first) < abs(best-first) {
					best = p
				}
			}
			lo, hi = min(lo, best), max(hi, best)
			ok = ok && hi-lo < yesNoWindow
		}
		if !ok {
			continue
		}
		verdict := "Yes"
		for i := max(0, lo-3); i <= hi; i++ {
			switch strings.ReplaceAll(ws[i].w, "’", "'") {
			case "not", "never", "no", "didn't", "doesn't", "don't", "won't", "isn't", "wasn't", "hasn't", "haven't", "cannot", "can't", "nor", "without":
				return "No"
			case "may", "might", "could", "possibly", "perhaps", "if", "unless":
				verdict = "Not settled"
			}
		}
		return verdict
	}
	return ""
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}
