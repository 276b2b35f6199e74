package people

import (
	"slices"
	"sort"
	"strings"

	"github.com/parley-bot/parley"
	"github.com/parley-bot/parley/index/places"
)

// Bounds that keep the work per sentence linear on pathological input (a
// sentence of ten thousand "he said"); real sentences stay far below them.
const (
	maxPronouns = 8  // pronouns resolved per sentence
	maxVerbs    = 8  // speech verbs examined per sentence
	maxLookback = 12 // sentences a pronoun looks back over
)

// Words that matter to the rules below; grammar, not data about anyone.
var (
	prepositions = map[string]bool{"by": true, "with": true, "to": true, "of": true, "for": true, "from": true, "about": true, "on": true, "at": true, "against": true, "than": true, "including": true, "between": true, "among": true, "into": true, "toward": true, "towards": true, "via": true, "like": true, "met": true, "joined": true, "behind": true, "under": true, "over": true}
	adverbs      = map[string]bool{"also": true, "later": true, "has": true, "have": true, "had": true, "previously": true, "repeatedly": true, "then": true, "consistently": true, "again": true, "already": true, "reportedly": true, "publicly": true, "recently": true, "once": true, "further": true, "earlier": true, "separately": true, "himself": true, "herself": true, "only": true, "even": true, "privately": true, "flatly": true, "firmly": true, "simply": true}
	clauseWords  = map[string]bool{"who": true, "which": true, "whose": true, "that": true, "where": true, "when": true, "whom": true}
	// hyphenWords follow a name without being part of it ("Kushner-led").
	hyphenWords = map[string]bool{"led": true, "era": true, "run": true, "age": true, "set": true, "in": true, "law": true}
	particles   = map[string]bool{"de": true, "van": true, "von": true, "der": true, "den": true, "al": true, "bin": true, "da": true, "di": true, "du": true, "la": true, "le": true, "dos": true, "del": true, "ten": true, "ter": true}
)

func (e *Extractor) isRoleWord(fold string) bool { return len(e.lx.roles[fold]) > 0 }

// matchRole returns the length in words of the longest role starting at
// toks[i] ("prime minister", "minister for foreign affairs").
func (e *Extractor) matchRole(toks []tok, i int) (int, phrase) {
	if toks[i].quoted {
		return 0, phrase{}
	}
	for _, ph := range e.lx.roles[toks[i].fold] {
		if ph.expand != "" && !toks[i].cap {
			continue
		}
		if matchWords(toks, i, ph.words) {
			n := len(ph.words)
			last := ph.words[n-1]
			if (last == "minister" || last == "secretary" || last == "commissioner") && i+n+1 < len(toks) && (toks[i+n].fold == "of" || toks[i+n].fold == "for") {
				for _, pf := range e.lx.portfolios[toks[i+n+1].fold] {
					if matchWords(toks, i+n+1, pf.words) {
						return n + 1 + len(pf.words), ph
					}
				}
			}
			return n, ph
		}
	}
	return 0, phrase{}
}

func matchWords(toks []tok, i int, ws []string) bool {
	if i+len(ws) > len(toks) {
		return false
	}
	for k, w := range ws {
		t := toks[i+k]
		if t.fold != w || (k > 0 && t.sep != " " && t.sep != "-") || t.quoted {
			return false
		}
	}
	return true
}

func (e *Extractor) honorific(t tok) (string, bool) {
	if !t.cap {
		return "", false
	}
	g, ok := e.lx.honorifics[t.fold]
	return g, ok
}

// capSeq returns the end of the name starting at toks[j]: up to four
// capitalised words joined by spaces or hyphens, with particles ("de",
// "van") inside, ending at a possessive. It returns j when there is none.
func (e *Extractor) capSeq(toks []tok, j int) int {
	k := j
	for k < len(toks) && k-j < 4 {
		t := toks[k]
		if k == j && t.place >= 0 && k+1 < len(toks) && toks[k+1].place != t.place && toks[k+1].place < 0 && toks[k+1].sep == " " && toks[k+1].cap && !t.poss && !t.caps &&
			j > 0 && e.endsRole(toks, j) {
			// "National Rally leader Jordan Bardella": after a title, a
			// one-word place followed by a name is a given name.
			k++
			continue
		}
		if k > j && ((t.sep != " " && t.sep != "-") || toks[k-1].poss) {
			break
		}
		if k > j && !t.cap && particles[t.fold] {
			// "von der Leyen", "bin Salman": particles, then a capital.
			x := k
			for x < len(toks) && x-k < 3 && !toks[x].cap && particles[toks[x].fold] && toks[x].sep == " " {
				x++
			}
			if x > k && x < len(toks) && toks[x].cap && toks[x].sep == " " && !toks[x].quoted {
				k = x
				continue
			}
			break
		}
		if !t.cap || t.caps || t.quoted || t.place >= 0 || e.lx.notNames[t.fold] || isDigit(t.raw) {
			break
		}
		if _, ok := e.honorific(t); ok {
			break
		}
		if n, _ := e.matchRole(toks, k); n > 0 {
			break
		}
		k++
	}
	// A name never ends on a particle.
	for k > j && !toks[k-1].cap {
		k--
	}
	return k
}

// endsRole reports whether a title ends just before toks[j].
func (e *Extractor) endsRole(toks []tok, j int) bool {
	if toks[j].sep != " " {
		return false
	}
	for x := j - 1; x >= 0 && x >= j-5; x-- {
		if n, _ := e.matchRole(toks, x); n > 0 && x+n == j {
			return true
		}
	}
	return false
}

func titleCase(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

func isDigit(s string) bool { return s != "" && s[0] >= '0' && s[0] <= '9' }

func raws(toks []tok) []string {
	out := make([]string, len(toks))
	for i, t := range toks {
		out[i] = t.raw
	}
	return out
}

// surface is the role as written: "Prime Minister", "secretary-general".
func surface(toks []tok) string {
	var b strings.Builder
	for i, t := range toks {
		if i > 0 {
			if t.sep == "-" {
				b.WriteByte('-')
			} else {
				b.WriteByte(' ')
			}
		}
		b.WriteString(t.raw)
	}
	return b.String()
}

func (e *Extractor) kind(place string) string {
	p, ok := e.g.Lookup(place)
	if !ok {
		return ""
	}
	return p.Kind
}

// lookback reads what stands before a role at toks[i]: an affiliation
// ("French", "U.K.", "NATO", "Venezuela's"), a possessor ("Trump's"),
// modifiers ("top", "authoritarian", "foreign ministry"). It returns the
// first word of the phrase; from is the earliest word it may read.
func (e *Extractor) lookback(st *sent, i, from int, ev *evidence) int {
	toks := st.toks
	first := i
	for k, steps := i-1, 0; k >= from && steps < 4; k-- {
		if !sepOK(toks, k) || toks[k].quoted {
			break
		}
		t := toks[k]
		if t.place >= 0 {
			fp := k
			for fp > from && toks[fp-1].place == t.place {
				fp--
			}
			pl := st.places[t.place].Place
			if e.kind(pl) == places.KindRegion {
				break // "Middle East envoy": a region is no affiliation
			}
			ev.affil = pl
			first = fp
			if fp-1 >= from && toks[fp].sep == " " && !t.poss {
				first = e.qualify(toks[fp-1], ev, first)
			}
			break
		}
		if t.poss {
			// "President Donald Trump's envoy": the possessor's affiliation.
			s := k
			for s > from && toks[s].sep == " " && toks[s-1].cap && !toks[s-1].poss && toks[s-1].place < 0 && !e.lx.notNames[toks[s-1].fold] && !e.isRoleWord(toks[s-1].fold) {
				s--
			}
			if t.cap && !e.lx.notNames[t.fold] {
				ev.possessor = strings.Join(raws(toks[s:k+1]), " ")
				first = s
			}
			break
		}
		switch t.fold {
		case "a", "an", "the", "and", "or", "but", "nor":
			return first
		}
		if k == i-1 && e.lx.qualifiers[t.fold] {
			first = e.qualify(t, ev, first)
			continue
		}
		if (!t.cap && !isDigit(t.raw) && !adverbs[t.fold] && !prepositions[t.fold] && !clauseWords[t.fold] && !e.lx.speech[t.fold]) || (t.cap && e.lx.modifiers[t.fold]) {
			first = k
			steps++
			continue
		}
		break
	}
	return first
}

// qualify puts t in front of the role when it belongs there: a qualifier
// always ("former president", "shadow foreign secretary"), a modifier when
// the two make a known role ("Special US envoy" is a special envoy). It
// returns the new first word of the phrase.
func (e *Extractor) qualify(t tok, ev *evidence, first int) int {
	key := t.fold + " " + ev.roleKey
	if e.lx.qualifiers[t.fold] || (e.lx.modifiers[t.fold] && e.isRole(key)) {
		ev.roleKey = key
		ev.role = t.raw + " " + ev.role
		return first - 1
	}
	return first
}

func (e *Extractor) isRole(key string) bool {
	ws := strings.Fields(key)
	for _, ph := range e.lx.roles[ws[0]] {
		if ph.key == key {
			return true
		}
	}
	return false
}

// speechAt reports whether a reporting verb stands at toks[k], after any
// adverbs ("also said", "has previously stated").
func (e *Extractor) speechAt(toks []tok, k int) bool {
	for k < len(toks) && adverbs[toks[k].fold] && !toks[k].quoted {
		k++
	}
	return k < len(toks) && !toks[k].quoted && !toks[k].cap && e.lx.speech[toks[k].fold]
}

// introduce is pass 1: the contexts that introduce a person.
func (r *run) introduce(st *sent) {
	e := r.e
	toks := st.toks
	for i := 0; i < len(toks); i++ {
		n, ph := e.matchRole(toks, i)
		if n == 0 {
			continue
		}
		ev := evidence{role: surface(toks[i : i+n]), roleKey: ph.key, relation: ph.relation, gender: e.lx.gendered[ph.key]}
		if ph.expand != "" {
			ev.role = titleCase(ph.expand)
		}
		first := e.lookback(st, i, 0, &ev)
		j := i + n
		if j < len(toks) && toks[j].sep == " " && !toks[j-1].poss {
			if g, ok := e.honorific(toks[j]); ok && j+1 < len(toks) {
				if g != "" {
					ev.gender = g
				}
				j++
			}
			if end := e.capSeq(toks, j); end > j && toks[j].sep == " " {
				r.person(raws(toks[j:end]), r.span(st, j, end), ev, st.art)
				i = end - 1
				continue
			}
		}
		if j < len(toks) && strings.TrimSpace(toks[j].sep) == "," && !toks[j-1].poss {
			// "Venezuela's authoritarian leader, Nicolas Maduro"
			if end := e.capSeq(toks, j); end-j >= 2 {
				r.person(raws(toks[j:end]), r.span(st, j, end), ev, st.art)
				i = end - 1
				continue
			}
		}
		if first > 0 && (toks[first-1].fold == "a" || toks[first-1].fold == "an") && !toks[j-1].poss && ev.affil != "" && e.speechAt(toks, j) {
			// An unnamed speaker: "a French foreign ministry spokesperson
			// said". Without an affiliation ("a senior official said") the
			// description names no one in particular.
			name := surface(toks[first:j])
			p := r.unnamed(name, ev, st.art)
			st.ments = append(st.ments, mention{person: p, first: first, name: -1, end: j, subject: true})
		}
	}
	for i := 0; i < len(toks); {
		t := toks[i]
		if t.quoted || !t.cap || (i > 0 && toks[i].sep == " " && toks[i-1].cap && !toks[i-1].poss && toks[i-1].place < 0 && !e.lx.notNames[toks[i-1].fold] && !isHon(e, toks[i-1]) && !e.endsRole(toks, i)) {
			i++
			continue
		}
		end := e.capSeq(toks, i)
		ev := evidence{}
		hon := false
		if i > 0 && toks[i].sep == " " {
			if g, ok := e.honorific(toks[i-1]); ok {
				ev.gender, hon = g, true
			}
		}
		if end-i < 2 && !(hon && end > i) {
			i = max(end, i+1)
			continue
		}
		ok := false
		if end < len(toks) && strings.HasPrefix(toks[end].sep, ",") && !toks[end-1].poss {
			ok = r.apposition(st, end, &ev)
		}
		if !ok && end < len(toks) && toks[end].sep == " " && e.speechAt(toks, end) {
			ok = true
		}
		if !ok && i > 0 && (toks[i-1].fold == "said" || (i > 1 && toks[i-2].fold == "according" && toks[i-1].fold == "to")) {
			ok = true
		}
		if ok {
			r.person(raws(toks[i:end]), r.span(st, i, end), ev, st.art)
		}
		i = end
	}
}

func isHon(e *Extractor, t tok) bool { _, ok := e.honorific(t); return ok }

// apposition reads ", a role ..." after a name starting at toks[k]: the
// first role in it that is not someone else's title ("US President Donald
// Trump's special envoy" is an envoy).
func (r *run) apposition(st *sent, k int, ev *evidence) bool {
	e := r.e
	toks := st.toks
	end := k + 1
	for end < len(toks) && end-k < 14 && !strings.ContainsAny(toks[end].sep, ",;:()") {
		end++
	}
	for x := k; x < end; x++ {
		if clauseWords[toks[x].fold] || (e.lx.speech[toks[x].fold] && !toks[x].cap) {
			return false
		}
	}
	for x := k; x < end; x++ {
		n, ph := e.matchRole(toks, x)
		if n == 0 {
			continue
		}
		if a := x + n; a < end && toks[a].sep == " " && !toks[a-1].poss {
			if ne := e.capSeq(toks, a); ne > a {
				x = ne - 1 // someone else's title
				continue
			}
		}
		ev.role, ev.roleKey, ev.relation = surface(toks[x:x+n]), ph.key, ph.relation
		if ph.expand != "" {
			ev.role = titleCase(ph.expand)
		}
		if g := e.lx.gendered[ph.key]; g != "" {
			ev.gender = g
		}
		e.lookback(st, x, k, ev)
		if ev.affil == "" && ev.possessor == "" && x+n+1 < end && toks[x+n].fold == "of" && toks[x+n+1].place >= 0 {
			// "the commander of Ukraine's southern forces"
			if pl := st.places[toks[x+n+1].place].Place; e.kind(pl) != places.KindRegion {
				ev.affil = pl
			}
		}
		return true
	}
	return false
}

// mentions is pass 2 for one sentence: names, "the prime minister",
// pronouns; then who speaks.
func (r *run) mentions(i int, st *sent) {
	toks := st.toks
	st.speaker = -1
	pronouns := 0
	for k := 0; k < len(toks); k++ {
		t := toks[k]
		switch {
		case t.fold == "he" || t.fold == "she":
			if t.quoted || pronouns >= maxPronouns {
				continue
			}
			pronouns++
			g := "m"
			if t.fold == "she" {
				g = "f"
			}
			if p := r.pronoun(i, st, k, g); p >= 0 {
				st.ments = append(st.ments, mention{person: p, first: k, name: -1, end: k + 1, subject: true})
			}
		case t.fold == "the" && !t.quoted:
			if m, ok := r.nominal(i, st, k); ok {
				st.ments = append(st.ments, m)
				k = m.end - 1
			}
		case t.cap && !t.caps && t.place < 0:
			if m, ok := r.name(i, st, k); ok {
				st.ments = append(st.ments, m)
			}
		}
	}
	sort.SliceStable(st.ments, func(a, b int) bool { return st.ments[a].first < st.ments[b].first })
	// Gender from pronouns near a name: one person named, "he"/"his" and
	// no "she"/"her" (or the reverse).
	distinct := map[int]bool{}
	for _, m := range st.ments {
		distinct[m.person] = true
	}
	if len(distinct) == 1 {
		var m, f bool
		for _, t := range toks {
			if t.quoted {
				continue
			}
			switch t.fold {
			case "he", "his", "him", "himself":
				m = true
			case "she", "her", "hers", "herself":
				f = true
			}
		}
		for p := range distinct {
			if m != f {
				g := "m"
				if f {
					g = "f"
				}
				r.persons[p].gender[g]++
			}
		}
	}
	for _, m := range st.ments {
		r.persons[m.person].lastSeen = i
	}
}

// name reads a known person's name ending at toks[k] (the surname; the
// given names, honorific and title before it belong to the mention). A
// lone given name stands for the one person who bears it when no surname
// matches: East Asian names put the family name first ("Wang Lei" is then
// "Wang").
func (r *run) name(i int, st *sent, k int) (mention, bool) {
	e := r.e
	toks := st.toks
	t := toks[k]
	if !t.poss && e.capSeq(toks, k) > k+1 {
		return mention{}, false // not the last word of a name
	}
	// The surname: with the given name before it, that person; else the
	// one person of that surname this article names (two: no guess).
	best := -1
	byGiven := false
	for _, c := range r.byKey[surnameKey(t.raw)] {
		p := r.persons[c]
		if p.unnamed {
			continue
		}
		if k > 0 && (toks[k].sep == " " || toks[k].sep == "-") && p.given(toks[k-1].fold) {
			best, byGiven = c, true
			break
		}
	}
	if !byGiven {
		cands := r.byKey[surnameKey(t.raw)]
		var here []int
		for _, c := range cands {
			p := r.persons[c]
			if p.unnamed || (len(cands) > 1 && !p.inArticle(st.art)) {
				continue
			}
			here = append(here, c)
		}
		switch {
		case len(here) == 1:
			best = here[0]
		case len(here) > 1:
			// "Norwegian ambassador Dragomir" with two Dragomirs about:
			// the one the article gave that title.
			best = r.byTitle(st, k, here)
			if best < 0 {
				return mention{}, false
			}
		}
	}
	if best < 0 && len(t.raw) >= 7 && !e.lx.notNames[t.fold] && (e.endsRole(toks, k) || (k > 0 && isHon(e, toks[k-1])) || e.speechAt(toks, k+1)) {
		// One letter from a known surname, where the context says it is a
		// name ("Mr Zelenskij", "Zelenskij said"): the one such person.
		best = r.near(surnameKey(t.raw), func(*person) bool { return true })
	}
	if best < 0 {
		for _, c := range r.byFirst[t.fold] {
			p := r.persons[c]
			if p.unnamed || !p.inArticle(st.art) {
				continue
			}
			if best >= 0 {
				return mention{}, false // two people: no guess
			}
			best = c
		}
		if best < 0 {
			return mention{}, false
		}
		if p := r.persons[best]; p.first != t.fold || len(p.forms) == 0 {
			return mention{}, false
		}
	}
	p := r.persons[best]
	start := k
	for start > 0 && k-start < 3 && (toks[start].sep == " " || toks[start].sep == "-") && p.given(toks[start-1].fold) {
		start--
	}
	if start == k && k > 0 && toks[k].sep == " " && toks[k-1].cap && !toks[k-1].poss && toks[k-1].place < 0 && p.first != "" {
		f := toks[k-1].fold
		if !e.lx.notNames[f] && !isHon(e, toks[k-1]) && !e.isRoleWord(f) {
			return mention{}, false // another given name: someone else
		}
	}
	if start > 0 && toks[start].sep == " " {
		if g, ok := e.honorific(toks[start-1]); ok {
			start--
			if g != "" {
				p.gender[g]++
			}
		}
	}
	p.aliases[r.span(st, start, k+1)] = true
	nameStart := start
	// The role and affiliation before the name are part of the mention, so
	// that "Ukrainian President Zelensky said" has a subject.
	x0 := start
	for x0 > 0 && x0 > start-5 && sepOK(toks, x0-1) {
		x0--
	}
	for x := x0; x < start; x++ {
		if n, _ := e.matchRole(toks, x); n > 0 && x+n == start {
			ev := evidence{}
			start = e.lookback(st, x, 0, &ev)
			break
		}
	}
	subject := !t.quoted && !t.poss && (start == 0 || !prepositions[toks[start-1].fold])
	return mention{person: best, first: start, name: nameStart, end: k + 1, subject: subject}, true
}

// byTitle picks, among people of one surname, the one whose title and
// country are those written just before toks[k], or -1.
func (r *run) byTitle(st *sent, k int, cands []int) int {
	e := r.e
	toks := st.toks
	x0 := k
	for x0 > 0 && x0 > k-5 && sepOK(toks, x0-1) {
		x0--
	}
	for x := x0; x < k; x++ { // earliest first: "Finance Minister", not "Minister"
		n, ph := e.matchRole(toks, x)
		if n == 0 || x+n != k {
			continue
		}
		ev := evidence{role: surface(toks[x : x+n]), roleKey: ph.key}
		e.lookback(st, x, 0, &ev)
		found := -1
		for _, c := range cands {
			if r.persons[c].sameTitle(ev) {
				if found >= 0 {
					return -1
				}
				found = c
			}
		}
		return found
	}
	return -1
}

// sepOK reports whether toks[x] and toks[x+1] are one phrase: a space, a
// hyphen ("far-right leader"), or the dot and space after an abbreviation
// ("U.K. Prime Minister").
func sepOK(toks []tok, x int) bool {
	s := toks[x+1].sep
	return s == " " || s == "-" || (s == ". " && toks[x].place >= 0)
}

// span is the text of toks[a:b] as written ("Jean-Marc Ayrault").
func (r *run) span(st *sent, a, b int) string {
	return r.arts[st.art].Text[st.toks[a].start:st.toks[b-1].end]
}

// nominal reads "the [UK] prime minister" and finds who it is: the person
// of this article with that role (and affiliation) mentioned most recently,
// within the last three paragraphs.
func (r *run) nominal(i int, st *sent, k int) (mention, bool) {
	e := r.e
	toks := st.toks
	x := k + 1
	affil := ""
	if x < len(toks) && toks[x].place >= 0 {
		pl := toks[x].place
		affil = st.places[pl].Place
		for x < len(toks) && toks[x].place == pl {
			x++
		}
	}
	if x >= len(toks) {
		return mention{}, false
	}
	n, ph := e.matchRole(toks, x)
	if n == 0 || ph.relation {
		return mention{}, false
	}
	end := x + n
	if end < len(toks) && toks[end].sep == " " && !toks[end-1].poss && e.capSeq(toks, end) > end {
		return mention{}, false // "the envoy Steve Witkoff": a name follows
	}
	if end < len(toks) && toks[end].fold == "of" {
		return mention{}, false // "the president of ...": someone unnamed
	}
	best := -1
	for _, pi := range r.roleHolders[st.art] {
		p := r.persons[pi]
		if p.unnamed || p.lastSeen < 0 || r.sents[p.lastSeen].art != st.art || st.para-r.sents[p.lastSeen].para > 3 {
			continue
		}
		if !p.hasRole(ph.key, affil, st.art) {
			continue
		}
		if best < 0 || p.lastSeen > r.persons[best].lastSeen {
			best = pi
		}
	}
	if best < 0 {
		return mention{}, false
	}
	subject := !toks[k].quoted && (k == 0 || !prepositions[toks[k-1].fold])
	return mention{person: best, first: k, name: -1, end: end, subject: subject}, true
}

// hasRole: "envoy" fits a special envoy, "prime minister" a Prime Minister,
// when the article itself gave the person that role (a reader of one
// article cannot know "the envoy" from another).
func (p *person) hasRole(key, affil string, art int) bool {
	for _, ev := range p.ev {
		if ev.relation || ev.roleKey == "" || ev.art != art {
			continue
		}
		if (ev.roleKey == key || strings.HasSuffix(ev.roleKey, " "+key)) && (affil == "" || ev.affil == affil) {
			return true
		}
	}
	return false
}

// pronoun resolves "he"/"she" at toks[k]. After a speech verb ("he
// added") it is the previous sentence's speaker. Otherwise it looks at the
// people named earlier in the paragraph (or, when the paragraph has named
// nobody yet, in the previous paragraph's last sentence): the one person
// named there if they were a subject, or else the one subject known to be of the pronoun's gender
// when everyone else named is known to be of the other. Anything less clear
// stays unresolved.
func (r *run) pronoun(i int, st *sent, k int, g string) int {
	toks := st.toks
	speechy := k+1 < len(toks) && r.e.speechAt(toks, k+1)
	prev := -1
	if i > 0 && r.sents[i-1].art == st.art && st.para-r.sents[i-1].para <= 1 {
		prev = i - 1
	}
	if speechy && prev >= 0 {
		if sp := r.sents[prev].speaker; sp >= 0 && !r.persons[sp].unnamed {
			if pg := r.persons[sp].genderOf(); pg == "" || pg == g {
				return sp
			}
		}
	}
	var named []int
	subject := map[int]bool{}
	add := func(ms []mention, before int) {
		for _, m := range ms {
			if m.first >= before || r.persons[m.person].unnamed {
				continue
			}
			if !slices.Contains(named, m.person) {
				named = append(named, m.person)
			}
			if m.subject {
				subject[m.person] = true
			}
		}
	}
	add(st.ments, k)
	for j := i - 1; j >= 0 && j >= i-maxLookback && r.sents[j].art == st.art && r.sents[j].para == st.para; j-- {
		add(r.sents[j].ments, len(r.sents[j].toks))
	}
	if len(named) == 0 && prev >= 0 && r.sents[prev].para == st.para-1 {
		add(r.sents[prev].ments, len(r.sents[prev].toks))
	}
	if len(named) == 1 {
		// Named, and the subject: in "One, flanked by Jared Kushner, said
		// ... He added", "he" is not Kushner.
		if pg := r.persons[named[0]].genderOf(); subject[named[0]] && (pg == "" || pg == g) {
			return named[0]
		}
		return -1
	}
	found := -1
	for _, p := range named {
		switch pg := r.persons[p].genderOf(); {
		case pg == g && subject[p] && found < 0:
			found = p
		case pg == "" || pg == g:
			return -1 // someone else it could be
		}
	}
	return found
}

func (p *person) genderOf() string {
	switch {
	case p.gender["m"] > p.gender["f"]:
		return "m"
	case p.gender["f"] > p.gender["m"]:
		return "f"
	}
	return ""
}

// speech finds who speaks in sentence i and what kind of speech it is.
func (r *run) speech(i int) {
	st := r.sents[i]
	e := r.e
	toks := st.toks
	anyQuote := false
	for _, q := range st.quotes {
		if q.title && q.words <= 4 {
			continue // a name in quotes: the “Multinational Force for Ukraine”
		}
		anyQuote = true
		if q.words >= 3 {
			st.hasSpeech = true
		}
	}
	verbs := 0
	for k, t := range toks {
		if t.quoted {
			continue
		}
		if t.fold == "according" && k+1 < len(toks) && toks[k+1].fold == "to" {
			st.speechVerb = true
			if m, ok := mentionAt(st, k+2); ok {
				st.speaker = m.person
				break
			}
			continue
		}
		if t.cap {
			continue
		}
		speech := e.lx.speech[t.fold]
		if !speech && !(anyQuote && e.lx.quoteVerbs[t.fold]) {
			continue
		}
		if verbs++; verbs > maxVerbs {
			break
		}
		if speech {
			st.speechVerb = true
		}
		if p := r.subjectOf(st, k); p >= 0 {
			st.speaker = p
			break
		}
	}
	if st.speaker < 0 {
		// "Starmer: “...”"
		for _, m := range st.ments {
			if m.end < len(toks) && strings.HasPrefix(toks[m.end].sep, ":") && strings.ContainsAny(toks[m.end].sep, "“\"") {
				st.speaker = m.person
			}
		}
	}
	switch {
	case st.speaker >= 0 && (anyQuote || st.openStart):
		st.kind = parley.SpeechQuote
	case st.speaker >= 0:
		st.kind = parley.SpeechParaphrase
	case st.hasSpeech || (st.openStart && len(toks) >= 3):
		st.kind = parley.SpeechQuote
		st.hasSpeech = true
	case st.speechVerb:
		st.kind = parley.SpeechParaphrase
	}
}

func mentionAt(st *sent, k int) (mention, bool) {
	for _, m := range st.ments {
		if m.first == k {
			return m, true
		}
	}
	return mention{}, false
}

func mentionEndingAt(st *sent, j int) (mention, bool) {
	for _, m := range st.ments {
		if m.end-1 == j {
			return m, true
		}
	}
	return mention{}, false
}

// subjectOf finds who does the speaking of the verb at toks[k]: "X said",
// "X, the envoy, said", "X's office said", "he added", "the envoy said",
// "“...,” said X".
func (r *run) subjectOf(st *sent, k int) int {
	toks := st.toks
	j := k - 1
	for j >= 0 && adverbs[toks[j].fold] && toks[j+1].sep == " " && !toks[j].quoted {
		j--
	}
	if j >= 0 && !toks[j].quoted {
		sep := toks[j+1].sep
		if sep == " " {
			if m, ok := mentionEndingAt(st, j); ok && !toks[j].poss {
				return m.person
			}
			if (toks[j].fold == "office" || toks[j].fold == "spokesperson" || toks[j].fold == "spokesman" || toks[j].fold == "spokeswoman" || toks[j].fold == "government") && j > 0 && toks[j-1].poss {
				if m, ok := mentionEndingAt(st, j-1); ok {
					return m.person
				}
			}
		}
		if strings.Contains(sep, ",") && !strings.ContainsAny(sep, "”\"’") {
			// "Brazil's leader, Joaquim Alves, said": the name is the apposition.
			if m, ok := mentionEndingAt(st, j); ok && m.first > 0 && strings.TrimSpace(toks[m.first].sep) == "," {
				return m.person
			}
			// Apposition: "Jared Kushner, Trump's envoy, said".
			for x := j; x >= 0 && j-x < 16; x-- {
				if strings.Contains(toks[x].sep, ",") {
					if x > 0 {
						if m, ok := mentionEndingAt(st, x-1); ok && m.subject {
							return m.person
						}
					}
					break
				}
			}
		}
	}
	if k+1 < len(toks) && (j < 0 || strings.ContainsAny(toks[k].sep, ",”\"’")) {
		// "“...,” said Middle East envoy Tomas Berg": the mention that
		// follows, titles and all.
		for _, m := range st.ments {
			if m.first <= k || m.first-k > 6 {
				continue
			}
			ok := true
			for x := k + 1; x <= m.first; x++ {
				ok = ok && toks[x].sep == " " && !toks[x].quoted
			}
			if ok && m.subject {
				return m.person
			}
			break
		}
	}
	if j > 0 && toks[j].fold == "who" && strings.Contains(toks[j].sep, ",") {
		// "Keir Starmer, who stated that ..."
		if m, ok := mentionEndingAt(st, j-1); ok {
			return m.person
		}
	}
	if strings.HasSuffix(toks[k].fold, "ing") && strings.Contains(toks[k].sep, ",") {
		// "X attended the meeting and ..., stating that ...": the one subject
		// named before the participle.
		who := -1
		for _, m := range st.ments {
			if m.end > k || !m.subject {
				continue
			}
			if who >= 0 && who != m.person {
				return -1
			}
			who = m.person
		}
		return who
	}
	return -1
}

// continues reports whether sentence j+1 goes on with a quotation still
// open at the end of sentence j: in the same paragraph, or in the next
// one when that opens with a quotation mark (the style for a quotation
// over several paragraphs).
func (r *run) continues(j int) bool {
	a, b := r.sents[j], r.sents[j+1]
	if !a.openEnd || a.art != b.art {
		return false
	}
	if b.openStart {
		return true
	}
	return b.para == a.para+1 && len(b.quotes) > 0 && len(b.toks) > 0 && b.quotes[0].start < b.toks[0].start
}

// propagateQuotes gives a quotation's speaker to the sentences it runs
// over, and to quotations that follow it in the same paragraph with no
// attribution of their own.
func (r *run) propagateQuotes() {
	for i := 0; i < len(r.sents); {
		j := i
		for j+1 < len(r.sents) && r.continues(j) {
			j++
		}
		sp := -1
		for x := i; x <= j; x++ {
			if r.sents[x].speaker >= 0 {
				sp = r.sents[x].speaker
				break
			}
		}
		if sp >= 0 && j > i {
			for x := i; x <= j; x++ {
				if r.sents[x].speaker < 0 {
					r.sents[x].speaker, r.sents[x].kind = sp, parley.SpeechQuote
				}
			}
		}
		i = j + 1
	}
	for i := 1; i < len(r.sents); i++ {
		st, prev := r.sents[i], r.sents[i-1]
		if st.speaker < 0 && st.hasSpeech && !st.speechVerb && prev.art == st.art && prev.para == st.para && prev.speaker >= 0 && prev.kind == parley.SpeechQuote {
			st.speaker, st.kind = prev.speaker, parley.SpeechQuote
		}
	}
}
