package handlers

import (
	"cmp"
	"slices"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/parley-bot/parley"
)

// lastsFor says a duration is how long what a question asks about lasts:
// one written as a modifier ("a 15-year term", "the four-year war", "a
// two-day summit") is the length of the noun it modifies, which must be
// the question's (or a word the lexicon makes a period of time, "term").
// A duration said otherwise ("for five seasons") is left to the gate.
func (h *Handlers) lastsFor(v value, keys []keyTerm) bool {
	if !v.compound || len(v.unit) < 2 {
		return true
	}
	noun := v.unit[1]
	for _, t := range h.analysed(noun) {
		if isKey(keys, t) {
			return true
		}
	}
	l, ok := h.corpus.(parley.Lexical)
	return !ok || h.lexical(l, lexQuestion{op: 'k', a: noun, b: "period"})
}

// maxRoleDistance is how many words may lie between the words of a role
// and the name that holds it ("German Chancellor Friedrich Merz", "Mark
// Rutte, NATO's chief"): a role is said beside its holder, not across a
// clause ("according to the Ugandan delegation, which said two Gulf
// donors" names no donor).
const maxRoleDistance = 3

// maxBindDistance is how many words may lie between a date, a place or a
// person and the question's key word it answers for ("the meeting in
// Paris on Tuesday"; not "the meeting ... since the coalition was founded
// last spring").
const maxBindDistance = 8

// bind finds the values a sentence states for a question of a kind that
// wants one, the best first: amounts whose unit is what is counted (and
// whose subject is the question's name), dates, places named after "in",
// "at", "across" ..., people or bodies other than those the question
// names, each near its key words.
func (h *Handlers) bind(qu question, c *cand, keys []keyTerm) []*found {
	text := c.text
	// What indexing found spares reading sentences with no number at all.
	numbers := c.s.Features&(parley.HasDigits|parley.HasNumberWord|parley.HasDuration) != 0
	if (qu.kind == kindCount || qu.kind == kindAmount || qu.kind == kindDuration) && !numbers {
		return nil
	}
	toks := c.f.Tokens(h)
	var out []*found
	switch qu.kind {
	case kindCount, kindAmount:
		var targets map[string]bool
		if qu.kind == kindCount && qu.target != "" {
			targets = map[string]bool{}
			for _, t := range h.analysed(qu.target) {
				targets[t] = true
			}
			for _, e := range h.corpus.Expand(strings.ToLower(qu.target)) {
				if e.Weight >= strongExpansion {
					targets[e.Term] = true
				}
			}
		}
		if qu.dimension != "" {
			out = h.measures(qu, c.f, toks, keys)
			break
		}
		object := qu.object
		all, older := c.f.Amounts()
		for vi, v := range all {
			switch {
			case v.kind == kindDuration && qu.kind == kindCount && timeUnitWord(qu.target):
				// "over how many years": a count of years is a duration
			case v.kind != kindCount:
				continue
			case qu.money && !v.money, qu.share && !v.percent, !qu.money && v.money && qu.kind == kindCount:
				continue
			case qu.kind == kindCount && v.percent:
				continue
			}
			if qu.kind == kindAmount && qu.target != "" {
				if !h.amountOf(toks, text, v, qu.target) {
					continue
				}
				if !v.money && !v.percent && h.unitIs(v, qu.target) {
					continue // "two Gulf donors" counts donors: how many, not how much they give
				}
			} else if targets != nil {
				cut := -1
				for i, u := range v.unit {
					if u == "of" && i == 0 {
						continue // "thousands of troops"
					}
					if u == "of" && i != measureWords(v.unit) {
						break // "27 heads of state" counts heads, not states
					}
					for _, t := range h.analysed(u) {
						if targets[t] {
							cut = i // the last word that names it: "4,000 water trucks"
						}
					}
				}
				if cut < 0 {
					switch {
					case h.countedFrom(text, v, targets):
						cut = 0 // "34 countries", not "34 countries took part"
					case h.countsBefore(c, v, targets):
						cut = 1 // "dozens of them"
					default:
						continue
					}
				}
				if !v.compound {
					v = cutUnit(text, v, cut)
				}
			}
			if qu.share && object != "" && !h.unitNames(text[v.start:v.end], object) {
				continue // "how much of Ukraine": not "75% of Donetsk"
			}
			owner, ok := h.ownedBy(qu, c.f, v)
			if !ok {
				continue // "France could send several thousand troops to Ukraine" is France's
			}
			out = append(out, &found{kind: qu.kind, text: v.text, amount: v, superseded: older[vi], key: amountKey(v), owner: owner})
		}
		if qu.kind == kindAmount && qu.target == "" && !qu.money && givingQuestion(qu.text) && slices.ContainsFunc(out, func(f *found) bool { return f.amount.money }) {
			// "how much is estonia giving": the €50 million it gives, not
			// the 120 soldiers it sends in the same sentence.
			out = slices.DeleteFunc(out, func(f *found) bool { return !f.amount.money })
		}
	case kindDuration:
		if !asksHowLongItLasts(qu.text) {
			// "how long is the canal": a length where the sentence
			// states one, else a length of time.
			if out = h.measures(question{dimension: "length"}, c.f, toks, keys); len(out) > 0 {
				break
			}
		}
		ds, older := c.f.Durations()
		soon := asksHowSoon(qu.text)
		most := 0
		if soon {
			// "how quickly can the team reach a village": the time within
			// which in the part of the sentence with most of the words
			// asked about, not the other times it gives.
			for _, v := range ds {
				if withinBefore(text, v.start) {
					most = max(most, h.keysIn(part(text, v.start, v.end), keys))
				}
			}
		}
		for i, v := range ds {
			if soon && (!withinBefore(text, v.start) || h.keysIn(part(text, v.start, v.end), keys) < most) {
				continue // "how fast can it deploy": "within 72 hours", not "over four years"
			}
			if !h.lastsFor(v, keys) {
				continue // "the nearly four-year war" is how long the war lasted, not the meeting
			}
			out = append(out, &found{kind: kindDuration, text: v.text, amount: v, superseded: older[i], key: amountKey(v) + " " + strings.TrimSuffix(v.unit[0], "s")})
		}

	case kindDate:
		ds, ahead := c.f.Dates(h.reference(c.a))
		want := qu.tense
		type near struct {
			d    date
			fut  bool
			dist int
		}
		var ns []near
		precision := qu.precision
		for i, d := range ds {
			if precision != "" && !hasPrecision(d, precision) {
				continue // "which day": not "last year"
			}
			fut := ahead[i]
			if want > 0 && !fut || want < 0 && fut {
				continue // "when were the talks" is not answered by when they will continue
			}
			if dist := h.keyDistance(toks, text, d.start, d.end, keys); dist <= maxBindDistance {
				ns = append(ns, near{d, fut, dist})
			}
		}
		sort.SliceStable(ns, func(i, j int) bool { return ns[i].dist < ns[j].dist })
		for _, n := range ns {
			d := n.d
			// Dropping a possessive leaves what dateAhead reads of the
			// date's own words ("last ", "ago", "next ") as it was.
			d.text = strings.TrimSuffix(strings.TrimSuffix(d.text, "’s"), "'s")
			out = append(out, &found{kind: kindDate, text: d.text, date: d, key: d.key, future: n.fut})
		}
		if len(out) == 0 && want > 0 && qu.precision == "" {
			// "when will the centre open": "within 18 months" is when,
			// for what is still ahead.
			ds, _ := c.f.Durations()
			for _, v := range ds {
				if at := withinAt(text, v.start); v.unit != nil && at >= 0 && h.keyDistance(toks, text, v.start, v.end, keys) <= maxBindDistance {
					out = append(out, &found{kind: kindDuration, text: trimValue(text[at:v.end]), amount: v, key: amountKey(v) + " " + strings.TrimSuffix(v.unit[0], "s"), future: true})
				}
			}
		}
	case kindPlace:
		best, bestD, bestText, bestMod := "", maxBindDistance+1, "", false
		for _, m := range c.f.Places(h) {
			if slices.Contains(qu.places, m.Name) || m.Name == "" || !m.locative {
				continue
			}
			if dist := h.keyDistance(toks, text, m.Start, m.End, keys); dist < bestD {
				best, bestD, bestText, bestMod = m.Name, dist, text[m.Start:m.End], false
				if m.compass != "" {
					bestText = m.compass + " " + bestText // "western Ukraine", "eastern Donbas"
				} else if m.city != "" {
					bestText = m.city + ", " + bestText // "in Kingston, Jamaica": the city the articles know only by its country
				}
				if m.noun != "" {
					// "in the French capital": the place is the phrase,
					// not the adjective.
					bestText, bestMod = text[m.Start:m.End]+" "+m.noun, true
				}
			}
		}
		if best == "" {
			if p := h.locativePhrase(toks, c.f, keys); p != "" {
				best, bestText = strings.ToLower(p), p
			}
		}
		if best != "" {
			out = append(out, &found{kind: kindPlace, text: bestText, key: best, modifier: bestMod})
		}
	case kindName:
		if name := nameGiven(text); name != "" && h.keyDistance(toks, text, strings.Index(text, name), strings.Index(text, name)+len(name), keys) <= maxBindDistance {
			out = append(out, &found{kind: kindName, text: name, key: strings.ToLower(name)})
		}
	case kindPerson:
		if h.verbElsewhere(c.f, keys) {
			break // "a monitoring system led by the US": led, but not the force asked about
		}
		best, bestD, bestText := "", maxBindDistance+1, ""
		for _, n := range c.s.People {
			if i, ok := h.byName[n]; ok && slices.Contains(qu.people, i) {
				continue
			}
			at, end := h.nameAt(text, n), 0
			if at < 0 {
				if low := strings.TrimSpace(c.f.Lower()); n != c.s.Speaker && !strings.HasPrefix(low, "he ") && !strings.HasPrefix(low, "she ") {
					continue
				}
				at = 0 // "He announced ...": the pronoun that opens the sentence is theirs
			} else {
				end = at + len(n)
			}
			if reportsOn(toks, text, at, max(end, at), keys) {
				continue // "according to the Ugandan delegation, which said two Gulf donors": it told of them
			}
			if dist := h.verbDistance(toks, text, at, max(end, at), keys); dist < bestD && (!qu.role || dist <= maxRoleDistance) {
				best, bestD, bestText = n, dist, n
			}
		}
		for _, m := range c.f.Places(h) {
			if slices.Contains(qu.places, m.Name) {
				continue
			}
			// A country or body can be the answer ("the United States
			// would lead"), but a person as near the key word wins.
			if reportsOn(toks, text, m.Start, m.End, keys) {
				continue
			}
			if noun := strings.ToLower(m.noun); noun != "" && (isPersonNoun(noun) || h.namesARole([]string{noun}) || inApposition(text, m.Start)) {
				// "the British officer named as the force's first
				// commander", "Rui Tembe, the Mozambican engineer
				// appointed to lead": the person described, not the country.
				continue
			}
			if dist := h.verbDistance(toks, text, m.Start, m.End, keys) + 1; dist < bestD && (!qu.role || dist <= maxRoleDistance) {
				best, bestD, bestText = m.Name, dist, withArticle(m.Name)
			}
		}
		if best != "" {
			out = append(out, &found{kind: kindPerson, text: bestText, key: best})
		}
	}
	return out
}

// measures are the values a sentence states in the dimension a "how far",
// "how tall", "how often" question asks for, near its key words: "60
// kilometres inland", "every three months".
func (h *Handlers) measures(qu question, f *facts, toks []parley.Token, keys []keyTerm) []*found {
	text := f.text
	var out []*found
	add := func(v value) {
		if h.keyDistance(toks, text, v.start, v.end, keys) <= maxBindDistance {
			out = append(out, &found{kind: kindAmount, text: v.text, amount: v, key: amountKey(v) + " " + qu.dimension})
		}
	}
	if qu.dimension == "frequency" {
		for _, v := range frequencies(text, f.Words()) {
			add(v)
		}
		return out
	}
	all, _ := f.Amounts()
	for _, v := range all {
		if len(v.unit) > 0 && unitDimension(v.unit[0]) == qu.dimension {
			add(v)
		}
	}
	return out
}

// unitDimension is what a unit measures: "length" for kilometres and
// miles, "weight" for tonnes, "age" for years (a "how old" answer),
// "volume", "area", "energy" and "power" for the units said before what
// they measure ("4.5 cubic kilometres of water").
func unitDimension(u string) string {
	switch strings.TrimSuffix(strings.TrimSuffix(u, "s"), "e") {
	case "km", "kilometr", "kilometer", "metr", "meter", "mile", "feet", "foot", "ft", "yard", "inch", "inche", "cm",
		"centimetr", "centimeter", "mm", "nautical":
		return "length"
	case "tonn", "ton", "kg", "kilogram", "gram", "lb", "pound-weight":
		return "weight"
	case "year", "month", "week", "day", "decade", "centurie", "century":
		return "age"
	case "cubic", "litr", "liter", "gallon", "barrel", "bcm", "m3", "km3":
		return "volume"
	case "squar", "hectar", "acr", "km2", "sq":
		return "area"
	case "kilowatt-hour", "megawatt-hour", "gigawatt-hour", "terawatt-hour", "kwh", "mwh", "gwh", "twh", "joul":
		return "energy"
	case "watt", "kilowatt", "megawatt", "gigawatt", "kw", "mw", "gw":
		return "power"
	}
	return ""
}

// measureWords is how many of a value's first unit words are a unit of
// measure ("cubic kilometres", "tonnes", "kilowatt-hours"). The words
// after their "of" are the stuff measured ("4.5 cubic kilometres of
// water", "40 tonnes of tuna"), so a question about the stuff is answered
// by the amount; durations are left out ("five years of war" is not an
// amount of war).
func measureWords(unit []string) int {
	n := 0
	for n < len(unit) {
		if d := unitDimension(unit[n]); d == "" || d == "age" {
			break
		}
		n++
	}
	return n
}

// frequencies finds how often a sentence says something happens: "every
// three months", "each year", "twice a year", "monthly".
func frequencies(text string, ts []tok) []value {
	var out []value
	for i, t := range ts {
		switch t.w {
		case "every", "each":
			// "every three months", "every month"
			end := -1
			for k := i + 1; k < len(ts) && k <= i+3; k++ {
				if timeUnitWord(ts[k].w) {
					end = k
					break
				}
				if ts[k].brk {
					break
				}
			}
			if end > 0 {
				out = append(out, value{kind: kindAmount, start: t.start, end: ts[end].end, text: text[t.start:ts[end].end], unit: []string{ts[end].w}})
			}
		case "once", "twice", "thrice", "times":
			// "twice a year", "three times a month"
			if i+2 < len(ts) && (ts[i+1].w == "a" || ts[i+1].w == "per" || ts[i+1].w == "every") && timeUnitWord(ts[i+2].w) {
				start := t.start
				if t.w == "times" && i > 0 {
					start = ts[i-1].start
				}
				out = append(out, value{kind: kindAmount, start: start, end: ts[i+2].end, text: text[start:ts[i+2].end], unit: []string{ts[i+2].w}})
			}
		case "daily", "weekly", "monthly", "yearly", "annually", "quarterly", "hourly":
			out = append(out, value{kind: kindAmount, start: t.start, end: t.end, text: t.raw, unit: []string{t.w}})
		}
	}
	return out
}

// datePrecision is what a date question asks for: "day" ("what date",
// "which day"), "month", "year", or "" for any date ("when").
func datePrecision(q string) string {
	prev := ""
	for w := range eachWord(strings.ToLower(q)) {
		if prev == "what" || prev == "which" {
			switch w {
			case "date", "day", "weekday":
				return "day"
			case "month":
				return "month"
			case "year":
				return "year"
			}
		}
		prev = w
	}
	return ""
}

// hasPrecision says a date names a day, month or year, as asked.
func hasPrecision(d date, precision string) bool {
	k := strings.TrimPrefix(d.key, "~")
	switch precision {
	case "day":
		return len(k) == len("2006-01-02") || isWeekday(strings.TrimPrefix(k, "?"))
	case "month":
		return len(k) >= len("2006-01")
	}
	return true
}

// amountOf says an amount is the size of what a "how much / how big"
// question is about (its target, "fund" in "how big is the drought fund"):
// the target among the words after it ("$1.2 billion drought response
// fund"), right before it ("a force of 15,000"), or, for a sum of money,
// within a few words of it ("the fund ... will be worth $1.5 billion").
func (h *Handlers) amountOf(toks []parley.Token, text string, v value, target string) bool {
	want, form := map[string]bool{}, map[string]bool{}
	for _, t := range h.analysed(target) {
		want[t], form[t] = true, true
	}
	for _, e := range h.corpus.Expand(strings.ToLower(target)) {
		if e.Weight >= strongExpansion {
			want[e.Term] = true // "army" for "an armed force of 800,000"
		}
		if e.Weight >= 0.9 {
			form[e.Term] = true // "rose" for "rise"
		}
	}
	measured := measureWords(v.unit)
	for i, u := range v.unit {
		if u == "of" && !(v.percent && i == 0) && (i == 0 || i != measured) {
			break // "a third of its sediment" is a share of sediment
		}
		for _, t := range h.analysed(u) {
			if want[t] {
				return true
			}
		}
	}
	if measured > 0 && measured < len(v.unit) && v.unit[measured] == "of" {
		return false // "18,000 hectares of sugar cane" says what it measures, and it is not the target
	}
	var before []string
	for w := range eachWord(text[:v.start]) {
		switch strings.ToLower(w) {
		case "now", "currently", "about", "around", "some", "nearly", "roughly", "almost", "approximately",
			"numbers", "totals", "stands", "number", "total", "stand",
			"by", "as", "much", "many", "up", "to", "at", "least", "most", "more", "than", "over", "under", "only":
			// "Ukraine's army now numbers about 880,000 troops", "could
			// fall by as much as 15%": words of size and bounds stand
			// between the thing and its amount.
			continue
		}
		before = append(before, w)
	}
	for i := len(before) - 1; i >= 0 && i >= len(before)-3; i-- {
		for _, t := range h.analysed(before[i]) {
			// The target itself or a form of it: a related word
			// ("irrigation" for water) stands before amounts of anything.
			if form[t] {
				return true
			}
		}
	}
	if !v.money {
		return false
	}
	tk := []keyTerm{{term: firstTerm(h.analysed(target)), weight: 1}}
	return tk[0].term != "" && h.keyDistance(toks, text, v.start, v.end, tk) <= maxBindDistance
}

// unitIs says a number counts the target itself: its words name it.
func (h *Handlers) unitIs(v value, target string) bool {
	want := h.analysed(target)
	for _, u := range v.unit {
		if u == "of" {
			break
		}
		for _, t := range h.analysed(u) {
			if slices.Contains(want, t) {
				return true
			}
		}
	}
	return false
}

func firstTerm(ts []string) string {
	if len(ts) == 0 {
		return ""
	}
	return ts[0]
}

// countedFrom says what a count is of stands right before it, joined by
// "from" or "of": "Delegations from 34 countries" counts delegations as
// much as countries.
func (h *Handlers) countedFrom(text string, v value, targets map[string]bool) bool {
	before := lastWords(text[:v.start])
	n := len(before)
	if n < 2 || before[n-1].w != "from" && before[n-1].w != "of" || before[n-2].brk {
		return false
	}
	for _, t := range h.termsOf(before[n-2].raw) {
		if targets[t] {
			return true
		}
	}
	return false
}

// lastWordsWindow is how many bytes before its end lastWords reads first.
const lastWordsWindow = 48

// lastWords are tokenize's last words of text, at least two when text has
// them: tokenized from a space near its end, where tokenize is between
// words whatever came before, so that a count late in a long sentence
// does not tokenize all of it.
func lastWords(text string) []tok {
	if len(text) > lastWordsWindow {
		if k := strings.IndexByte(text[len(text)-lastWordsWindow:], ' '); k >= 0 {
			if ws := tokenize(text[len(text)-lastWordsWindow+k:]); len(ws) >= 2 {
				return ws
			}
		}
	}
	return tokenize(text)
}

// lastLowerWords are words(strings.ToLower(text)), at least its last n
// when it has them: read from a space near the end of text, where words is
// between words whatever came before (and lower case is rune by rune), so
// that a place late in a long sentence does not split all of it.
func lastLowerWords(text string, n int) []string {
	if len(text) > lastWordsWindow {
		if k := strings.IndexByte(text[len(text)-lastWordsWindow:], ' '); k >= 0 {
			if ws := words(strings.ToLower(text[len(text)-lastWordsWindow+k:])); len(ws) >= n {
				return ws
			}
		}
	}
	return words(strings.ToLower(text))
}

// countsBefore says a count of a pronoun ("dozens of them") counts what
// the sentence before it in its paragraph names: "drifting drones ...
// released dozens of them".
func (h *Handlers) countsBefore(c *cand, v value, targets map[string]bool) bool {
	if len(v.unit) < 2 || v.unit[0] != "of" || c.s.Position == 0 {
		return false
	}
	switch v.unit[1] {
	case "them", "those", "these":
	default:
		return false
	}
	prev := &c.a.Sentences[c.s.Position-1]
	if prev.Paragraph != c.s.Paragraph {
		return false
	}
	for w := range eachWord(c.a.Text[prev.Start:prev.End]) {
		for _, t := range h.termsOf(w) {
			if targets[t] {
				return true
			}
		}
	}
	return false
}

// cutUnit ends a count's words at what is counted, keeping an "of" phrase
// after it: "35 countries" (not "35 countries gathered"), "27 heads of
// state".
func cutUnit(text string, v value, cut int) value {
	keep := cut + 1
	if keep+1 < len(v.unit) && v.unit[keep] == "of" {
		keep += 2
	}
	if keep >= len(v.unit) {
		return v
	}
	v.unit = v.unit[:keep]
	// Find the end of the kept words in the text.
	end := v.start
	rest := text[v.start:v.end]
	low := strings.ToLower(rest)
	last := v.unit[len(v.unit)-1]
	if i := strings.LastIndex(low, last); i >= 0 {
		end = v.start + i + len(last)
	}
	if end > v.start {
		v.end = end
		v.text = trimValue(text[v.start:v.end])
	}
	return v
}

// shareObject is X in "how much of X", "what share of X": the whole a
// share is of.
func shareObject(q string) string {
	// The word after "of", read with the two before it.
	before, prev := "", ""
	for w := range eachWord(strings.ToLower(q)) {
		if prev == "of" {
			switch before {
			case "much", "share", "percentage", "percent", "proportion", "fraction", "part":
				return w
			}
		}
		before, prev = prev, w
	}
	return ""
}

// unitNames says whether the words after a share name the whole asked
// about: the same place ("Ukrainian territory" for "ukraine") or word.
func (h *Handlers) unitNames(unit, object string) bool {
	l := h.named(object)
	want, isPlace := l.place, l.placeOK
	if isPlace {
		for _, m := range h.corpus.PlaceMentions(unit) {
			if m.Name == want {
				return true
			}
		}
		return false
	}
	ot := h.analysed(object)
	for _, t := range h.analysed(unit) {
		if slices.Contains(ot, t) {
			return true
		}
	}
	return false
}

// ownedBy says a count in a sentence is the question's name's: the
// nearest place or person named before it in its clause is one the
// question names (or none is). "France could send several thousand troops
// to Ukraine" does not answer how many troops Ukraine's army will have.
func (h *Handlers) ownedBy(qu question, f *facts, v value) (string, bool) {
	if len(qu.places)+len(qu.people) == 0 {
		return "", true
	}
	text := f.text
	clause := clauseAround(text, v.start, v.end)
	from := max(strings.Index(text, clause), 0)
	type mention struct {
		name       string
		start, end int
		person     bool
	}
	var ms []mention
	for _, m := range h.corpus.PlaceMentions(text[from:v.start]) {
		ms = append(ms, mention{m.Name, from + m.Start, from + m.End, false})
	}
	people := h.corpus.People()
	for _, pi := range f.Named(h) {
		// Only those named somewhere in the sentence can be named before
		// the value.
		p := people[pi]
		if i := h.nameAt(text[from:v.start], p.Name); i >= 0 {
			ms = append(ms, mention{p.Name, from + i, from + i + len(p.Name), true})
		}
	}
	if len(ms) == 0 {
		return "", true
	}
	sort.Slice(ms, func(i, j int) bool { return ms[i].start < ms[j].start })
	// A name inside an apposition ("Marco Ferreira, the World Bank's
	// regional director for Central Asia, said") describes the name before
	// it; that name is the subject the value belongs to.
	kept := ms[:0:0]
	for k := 0; k < len(ms); k++ {
		kept = append(kept, ms[k])
		if !ms[k].person || !strings.HasPrefix(text[ms[k].end:], ", ") {
			continue
		}
		close := strings.IndexByte(text[ms[k].end+2:], ',')
		if close < 0 || ms[k].end+2+close > v.start {
			continue
		}
		for k+1 < len(ms) && ms[k+1].start < ms[k].end+2+close {
			k++
		}
	}
	ms = kept
	// Nor is a name inside a description set off by commas after a noun
	// ("120 soldiers, the country's largest deployment abroad since
	// Afghanistan, and would give €50 million"): it says what the noun
	// is, not who gives.
	kept = ms[:0:0]
	for _, m := range ms {
		open := strings.LastIndex(text[:m.start], ", ")
		if open >= 0 && !strings.Contains(text[open+2:m.start], ",") {
			desc := strings.ToLower(text[open+2:])
			if closeAt := strings.IndexByte(text[m.end:], ','); closeAt >= 0 && m.end+closeAt < v.start &&
				(strings.HasPrefix(desc, "the ") || strings.HasPrefix(desc, "a ") || strings.HasPrefix(desc, "an ")) &&
				!slices.ContainsFunc(ms, func(o mention) bool { return o.start >= open+2 && o.start < m.start }) {
				continue
			}
		}
		kept = append(kept, m)
	}
	ms = kept
	asked := func(m mention) string {
		for _, p := range qu.places {
			if m.name == p || m.person && h.affiliationOf(m.name) == p {
				return p
			}
		}
		for _, i := range qu.people {
			if n := h.corpus.People()[i].Name; n == m.name {
				return n
			}
		}
		return ""
	}
	// The nearest name before the value, or one listed with it ("Kenya
	// and Ethiopia will each contribute").
	for k := len(ms) - 1; k >= 0; k-- {
		if n := asked(ms[k]); n != "" {
			return n, true
		}
		if k == 0 || ms[k-1].end > ms[k].start {
			return "", false
		}
		switch strings.TrimSpace(text[ms[k-1].end:ms[k].start]) {
		case "and", ",", ", and", "or", "&":
			continue
		}
		return "", false
	}
	return "", false
}

// locative: a place named right after "in", "at", "across" ... ("in
// Paris"), not as an adjective ("Ukrainian President").
func locative(text string, at int) bool {
	before := lastLowerWords(text[:at], 3)
	for i := len(before) - 1; i >= 0 && i >= len(before)-3; i-- {
		switch before[i] {
		case "in", "at", "across", "inside", "near", "to", "into", "throughout", "outside", "within", "around", "from":
			return true
		}
	}
	return false
}

// compassBefore is the word of direction that narrows a place ("western"
// in "based in western Ukraine"), "" when none stands right before it.
func compassBefore(text string, at int) string {
	ts := tokenize(text[:at])
	if len(ts) == 0 || ts[len(ts)-1].brk {
		return ""
	}
	switch w := ts[len(ts)-1]; strings.TrimSuffix(strings.TrimSuffix(w.w, "ern"), "-central") {
	case "north", "south", "east", "west", "northeast", "northwest", "southeast", "southwest", "central":
		return w.raw
	}
	return ""
}

// modifiedNoun is the noun a place name modifies when it is used as an
// adjective ("French" in "the French capital"), "" when the name stands
// alone ("in Paris", "in Paris on Tuesday").
func modifiedNoun(text string, end int) string {
	ts := tokenize(text[end:])
	if len(ts) == 0 || ts[0].start > 1 || ts[0].raw == "" {
		return ""
	}
	w := ts[0].w
	if r := ts[0].raw[0]; r < 'a' || r > 'z' || unitStop(w) || fillerWord(w) || auxiliary(w) || pastForm(w) ||
		strings.HasSuffix(w, "ing") || strings.HasSuffix(w, "ly") || w == "next" || w == "last" || w == "this" ||
		w == "today" || w == "tomorrow" || w == "yesterday" || months[w] != 0 || isWeekday(w) || seasons[w] != 0 {
		return "" // "in Paris produced", "in Paris to resolve": the name stands alone
	}
	return ts[0].raw
}

// locativePhrase is a place said without a name, right after a key word:
// "based in a neighboring country".
func (h *Handlers) locativePhrase(toks []parley.Token, f *facts, keys []keyTerm) string {
	text := f.text
	// The heaviest key word's phrase: "based in a neighboring country",
	// not "troops inside Ukraine", for "where would german troops be
	// based".
	type weighted struct {
		parley.Token
		weight float64
	}
	var order []weighted
	for _, t := range toks {
		w := 0.0
		for _, k := range keys {
			if k.term == t.Term {
				w = max(w, k.weight)
			}
			for _, e := range k.expand {
				if e.Term == t.Term {
					w = max(w, k.weight*e.Weight)
				}
			}
		}
		if w > 0 {
			order = append(order, weighted{t, w})
		}
	}
	slices.SortStableFunc(order, func(a, b weighted) int { return cmp.Compare(b.weight, a.weight) })
	ts := f.Words()
	for _, t := range order {
		for i, w := range ts {
			if w.start != t.Start || w.brk || i+1 >= len(ts) {
				continue
			}
			switch ts[i+1].w {
			case "in", "at", "inside", "near", "outside", "across", "within":
			default:
				continue
			}
			end := i + 1
			for k := i + 2; k < len(ts) && k <= i+5; k++ {
				end = k
				if ts[k].brk || unitStop(ts[k].w) && k > i+2 {
					break
				}
			}
			if end > i+1 {
				return text[ts[i+2].start:ts[end].end]
			}
		}
	}
	return ""
}

// isKey says term is one of keys or of their expansions: keySet's
// question, for the few keys of one question asked of a few words.
func isKey(keys []keyTerm, term string) bool {
	for _, k := range keys {
		if k.term == term || slices.ContainsFunc(k.expand, func(e parley.Expansion) bool { return e.Term == term }) {
			return true
		}
	}
	return false
}

func keySet(keys []keyTerm) map[string]bool {
	want := map[string]bool{}
	for _, k := range keys {
		want[k.term] = true
		for _, e := range k.expand {
			want[e.Term] = true
		}
	}
	return want
}

// nameAt is where a person's name (or one of their spellings) first
// appears in text, -1 when it does not (a pronoun refers to them).
func (h *Handlers) nameAt(text, name string) int {
	p, ok := h.person(name)
	if !ok {
		return strings.Index(text, name)
	}
	best := -1
	at := func(n string) {
		if n == "" {
			return
		}
		if i := strings.Index(text, n); i >= 0 && (best < 0 || i < best) {
			best = i
		}
	}
	at(p.Name)
	at(lastWord(p.Name))
	for _, n := range p.Aliases {
		at(n)
	}
	return best
}

// keyDistance is how many words lie between a value at [start, end) in a
// sentence and the nearest key word of the question there; a large number
// when the sentence has none.
func (h *Handlers) keyDistance(toks []parley.Token, text string, start, end int, keys []keyTerm) int {
	if len(keys) == 0 {
		return 0
	}
	return distanceTo(toks, text, start, end, keys, false)
}

// verbDistance is keyDistance from the question's first key word when the
// sentence has it: in "who announced the coordination cell" the person
// answering is the one by "announced", not by "cell".
func (h *Handlers) verbDistance(toks []parley.Token, text string, start, end int, keys []keyTerm) int {
	if len(keys) == 0 {
		return 0
	}
	if d := distanceTo(toks, text, start, end, keys[:1], true); d < 1000 {
		return d
	}
	return distanceTo(toks, text, start, end, keys, false)
}

// nameGiven is the name a sentence gives something after a naming verb:
// "dubbed the “Multinational Force for Ukraine”", "known as Operation
// Sentinel"; the quoted words, else the capitalised ones.
func nameGiven(text string) string {
	low := strings.ToLower(text)
	for _, v := range []string{"dubbed ", "called ", "named ", "known as ", "titled ", "nicknamed ", "so-called "} {
		i := strings.Index(low, v)
		if i < 0 || i > 0 && isWordByte(low, i-1) {
			continue
		}
		rest := text[i+len(v):]
		for _, art := range []string{"the ", "a ", "an "} {
			rest = strings.TrimPrefix(rest, art)
		}
		for _, q := range [][2]string{{"“", "”"}, {`"`, `"`}} {
			if strings.HasPrefix(rest, q[0]) {
				if j := strings.Index(rest[len(q[0]):], q[1]); j > 0 {
					return strings.TrimRight(rest[len(q[0]):len(q[0])+j], ",. ")
				}
			}
		}
		var caps []string
		for _, w := range strings.Fields(rest) {
			r := []rune(w)
			if len(r) == 0 || !unicode.IsUpper(r[0]) && !(len(caps) > 0 && (w == "of" || w == "for" || w == "the")) {
				break
			}
			caps = append(caps, strings.TrimRight(w, ",.;:"))
			if strings.ContainsAny(w, ",.;:") {
				break
			}
		}
		for len(caps) > 0 && !unicode.IsUpper([]rune(caps[len(caps)-1])[0]) {
			caps = caps[:len(caps)-1]
		}
		if len(caps) > 0 {
			return strings.Join(caps, " ")
		}
	}
	return ""
}

// namesAny says some of the tokens hold one of keys' terms.
func (h *Handlers) namesAny(ts []tok, keys []keyTerm) bool {
	for _, t := range ts {
		for _, x := range h.termsOf(t.raw) {
			if isKey(keys, x) {
				return true
			}
		}
	}
	return false
}

// verbElsewhere says every use of a question's verb in a sentence has an
// object or subject of its own that is none of the question's other key
// words: in "a U.S.-led truce monitoring mechanism" and "a monitoring
// system led by the US", what is led is not "the multinational force".
// A pronoun or a bare auxiliary ("it would be led by") could be anything,
// and counts as the question's.
func (h *Handlers) verbElsewhere(f *facts, keys []keyTerm) bool {
	if len(keys) < 2 {
		return false
	}
	verb, others := keys[:1], keys[1:]
	text, ts := f.text, f.Words()
	termsAt := func(i int) []string {
		if i < 0 || i >= len(ts) {
			return nil
		}
		raw := ts[i].raw
		if k := strings.LastIndexByte(raw, '-'); k >= 0 {
			raw = raw[k+1:] // "U.S.-led" is led
		}
		return h.termsOf(raw)
	}
	isVerb := func(i int) bool {
		for _, t := range termsAt(i) {
			if isKey(verb, t) {
				return true
			}
		}
		return false
	}
	found := false
	for i := range ts {
		if !isVerb(i) {
			continue
		}
		found = true
		next := i + 1
		if next < len(ts) && strings.HasSuffix(ts[next].w, "ly") {
			next++ // "led jointly by"
		}
		var span []tok
		switch {
		case strings.Contains(ts[i].raw, "-"):
			span = ts[i+1 : min(len(ts), i+4)] // "European-led force"
		case next < len(ts) && ts[next].w == "by":
			from := i
			for from > 0 && (auxiliary(ts[from-1].w) || ts[from-1].w == "be" || ts[from-1].w == "been" || ts[from-1].w == "to") {
				from--
			}
			span = ts[max(0, from-3):from] // "system led by", "it would be led by"
		case i+1 < len(ts) && ts[i+1].w == "of":
			return false // "the approval of President Trump": a noun whose "of" names who
		default:
			// The object, to the end of its clause: "announced the
			// creation of a ... coordination cell".
			cl := clauseAround(text, ts[i].start, ts[i].end)
			clEnd := max(strings.Index(text, cl), 0) + len(cl)
			end := i + 1
			for end < len(ts) && end < i+9 && ts[end].end <= clEnd {
				end++
			}
			span = ts[i+1 : end]
		}
		if i > 0 && h.namesAny(ts[max(0, i-2):i], others) {
			return false // "a US-led ceasefire monitoring system": what it qualifies comes before it
		}
		content := false
		for _, t := range span {
			switch t.w {
			case "it", "they", "this", "which", "that", "who", "them", "these":
				return false // a pronoun: it may be what was asked about
			}
			for _, x := range h.termsOf(t.raw) {
				if isKey(others, x) {
					return false
				}
			}
			if !unitStop(t.w) && !fillerWord(t.w) && !questionWord(t.w) {
				content = true
			}
		}
		if !content {
			return false
		}
	}
	return found
}

func distanceTo(toks []parley.Token, text string, start, end int, keys []keyTerm, any bool) int {
	// Measure from the heaviest key word the sentence holds: "based" in
	// "where are german forces based", not "forces".
	// A few keys: scanned for each word, not put in a map per call (the
	// gate measures distances for every value of every candidate).
	weight := func(term string) float64 {
		w := 0.0
		for _, k := range keys {
			if k.term == term {
				w = k.weight
			}
			for _, e := range k.expand {
				if e.Term == term {
					w = max(w, k.weight*e.Weight)
				}
			}
		}
		return w
	}
	heaviest := 0.0
	for _, t := range toks {
		heaviest = max(heaviest, weight(t.Term))
	}
	if any && heaviest > 0 {
		heaviest = 1e-9 // every form of the key word counts
	}
	best := 1000
	for _, t := range toks {
		if w := weight(t.Term); w < heaviest || heaviest == 0 || w == 0 {
			continue
		}
		var between string
		switch {
		case t.Start >= end:
			between = text[end:t.Start]
		case t.End <= start:
			between = text[t.End:start]
		}
		if d := wordCount(between); d < best {
			best = d
		}
	}
	return best
}

// reportsOn says whether a speech verb stands between a name at
// [start, end) and the nearest of the question's key words after it: the
// name tells of the key words' subject ("X said two Gulf donors had
// joined", "according to X, which said ..."), it is not that subject.
func reportsOn(toks []parley.Token, text string, start, end int, keys []keyTerm) bool {
	for _, t := range toks {
		if t.Start < end || !isKey(keys, t.Term) {
			continue
		}
		for w := range eachWord(strings.ToLower(text[end:t.Start])) {
			switch w {
			case "said", "says", "say", "told", "tells", "according", "added", "warned", "announced", "claimed", "stated":
				return true
			}
		}
		return false
	}
	return false
}

// tense is 1 for a question about the future ("when will the talks
// continue"), -1 for one about the past ("when were the talks"), 0 when
// it does not say.
func tense(q string) int {
	for w := range eachWord(strings.ToLower(q)) {
		switch w {
		case "will", "shall", "next", "upcoming", "won't", "gonna":
			return 1
		case "did", "was", "were", "had", "didn't", "wasn't", "weren't", "ago", "last":
			return -1
		}
	}
	return 0
}

// amountKey names an amount for grouping.
func amountKey(v value) string {
	k := strings.TrimRight(strings.TrimRight(strconvFloat(v.lo), "0"), ".")
	if v.lo != v.hi {
		k += "-" + strings.TrimRight(strings.TrimRight(strconvFloat(v.hi), "0"), ".")
	}
	if v.percent {
		k += "%"
	}
	return k
}

// asksHowLongItLasts says a "how long" question asks about time by its
// verb ("how long will the talks last", "how long did it take") or by
// being a question of time at all ("how long until", "how long ago").
func asksHowLongItLasts(q string) bool {
	for w := range eachWord(strings.ToLower(q)) {
		if w != "long" && durationVerb(w) || w == "until" || w == "till" || w == "ago" || w == "since" || w == "before" || w == "after" {
			return true
		}
	}
	return false
}

// cityBefore is the capitalised word a place is given after, as a town's
// country ("in Kingston, Jamaica"), "" when none: a word right after "in"
// or "at" and before a comma.
func cityBefore(text string, at int) string {
	ts := tokenize(text[:at])
	n := len(ts)
	if n < 2 || !strings.HasSuffix(strings.TrimRight(text[:at], " "), ",") || !ts[n-1].brk {
		return ""
	}
	city := ts[n-1]
	if r, _ := utf8.DecodeRuneInString(city.raw); !unicode.IsUpper(r) {
		return ""
	}
	if w := ts[n-2].w; (w != "in" && w != "at") || ts[n-2].brk {
		return ""
	}
	return city.raw
}

// asksHowSoon says a question asks how soon something happens ("how
// soon", "how quickly", "how fast"): a time it happens within.
func asksHowSoon(q string) bool {
	prev := ""
	for w := range eachWord(strings.ToLower(q)) {
		if prev == "how" && (w == "soon" || w == "quickly" || w == "fast") {
			return true
		}
		prev = w
	}
	return false
}

// withinBefore says a duration at start is said as a time something
// happens within ("within 72 hours", "in three days", "inside a week").
func withinBefore(text string, start int) bool { return withinAt(text, start) >= 0 }

// withinAt is where the word that makes a duration a time within starts,
// -1 when none does.
func withinAt(text string, start int) int {
	ts := tokenize(text[:start])
	for i := len(ts) - 1; i >= 0 && i >= len(ts)-2; i-- {
		switch ts[i].w {
		case "within", "in", "inside", "under":
			return ts[i].start
		}
	}
	return -1
}

// part is the clause around [start, end), also cut at ", and": "the
// stations will be working within nine months, and a team will reach any
// village within 48 hours" holds two things with their times.
func part(text string, start, end int) string {
	c := clauseAround(text, start, end)
	from := max(strings.Index(text, c), 0)
	if i := strings.LastIndex(text[from:start], ", and "); i >= 0 {
		from += i + len(", and ")
	}
	to := len(text)
	if i := strings.Index(text[end:], ", and "); i >= 0 {
		to = end + i
	}
	if cs := strings.Index(text, c); cs >= 0 {
		to = min(to, cs+len(c))
	}
	return text[from:to]
}

// keysIn counts the question's key words a piece of text holds.
func (h *Handlers) keysIn(text string, keys []keyTerm) int {
	have := map[string]bool{}
	for _, t := range h.corpus.Terms(text) {
		have[t] = true
	}
	n := 0
	for _, k := range keys {
		hit := have[k.term]
		for _, e := range k.expand {
			hit = hit || have[e.Term]
		}
		if hit {
			n++
		}
	}
	return n
}

// inApposition says a word at start opens a description set after a name
// with a comma: "Rui Tembe, the Mozambican engineer".
func inApposition(text string, start int) bool {
	before := strings.TrimRight(text[:start], " ")
	for _, art := range []string{", the", ", a", ", an"} {
		if strings.HasSuffix(strings.ToLower(before), art) {
			return true
		}
	}
	return false
}

// givingQuestion says a question asks what is given ("how much is estonia
// giving", "how much will kenya contribute"): a sum, where one is said.
func givingQuestion(q string) bool {
	for w := range eachWord(strings.ToLower(q)) {
		switch w {
		case "give", "gives", "giving", "gave", "given", "donate", "donates", "donating", "donated", "pledge", "pledges",
			"pledging", "pledged", "contribute", "contributes", "contributing", "contributed", "lend", "lends", "lending", "lent":
			return true
		}
	}
	return false
}
