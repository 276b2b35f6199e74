package people

import (
	"strings"

	"github.com/parley-bot/parley/index/places"
)

// kind is the kind of the place of that canonical name, "" for none.
func (e *Extractor) kind(place string) string { return e.kinds[place] }

// Levels of affiliation evidence, strongest first: what the text says of
// the person, then what the paragraph says of the others it names, then
// the place that opens the paragraph ("In Oslo,"), then the dateline. A
// place where something happened is the weakest: the meeting's host city
// or the dateline says where the reporter was, not whose the people there
// are. The country a sentence or paragraph opens with is no evidence at
// all: "Russia launched 40 drones overnight, air force spokesman Yuriy
// Ihnat said" and "Israel struck ..., Hamas spokesman X said" are reports
// of one side's acts by the other.
const (
	affilText = iota
	affilParagraph
	affilOpener
	affilDateline
)

// lookback reads what stands before a role at toks[i]: an affiliation
// ("French", "U.K.", "NATO", "Venezuela's"), a possessor ("Trump's"),
// qualifiers and portfolio words that belong to the role ("deputy",
// "Energy"), modifiers ("top", "authoritarian", "foreign ministry"). It
// returns the first word of the phrase; from is the earliest word it may
// read.
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
		if t.fold == "and" && k == first-1 && k > from && sepOK(toks, k-1) && e.lx.pwords[toks[k-1].fold] && e.lx.pwords[toks[first].fold] && e.takesPortfolio(ev.roleKey) {
			// "energy and mines minister", "Climate and Energy Minister"
			ev.role = toks[k-1].raw + " and " + ev.role
			ev.roleKey = toks[k-1].fold + " and " + ev.roleKey
			first = k - 1
			k--
			continue
		}
		switch t.fold {
		case "a", "an", "the", "and", "or", "but", "nor", "its", "their", "his", "her":
			return first
		}
		if k == first-1 && (e.lx.qualifiers[t.fold] || (e.lx.pwords[t.fold] && e.takesPortfolio(ev.roleKey))) {
			first = e.qualify(t, ev, first)
			continue
		}
		if (!t.cap && !isDigit(t.raw) && !adverbs[t.fold] && !prepositions[t.fold] && !clauseWords[t.fold] && !e.lx.speech[t.fold]) || (t.cap && (e.lx.modifiers[t.fold] || e.isBodyWord(t.fold))) {
			first = k
			steps++
			continue
		}
		break
	}
	return first
}

// lookahead reads what a title ending before toks[j] is of, for or to:
// "of Estonia", "for the Turkish navy", "for Prime Minister Keir Starmer"
// (his country), "to the Ethiopian prime minister", "of the Ethiopian
// Citizens Party". "To" a country is where an ambassador is sent, not
// whose. It returns where the phrase ends: the first word after it, j when
// there is none.
func (e *Extractor) lookahead(st *sent, j int, ev *evidence) int {
	toks := st.toks
	if j >= len(toks) || toks[j].sep != " " || toks[j].quoted {
		return j
	}
	prep := toks[j].fold
	if prep != "of" && prep != "for" && prep != "to" {
		return j
	}
	c := j + 1
	for c < len(toks) && c-j <= 8 && (toks[c].sep == " " || toks[c].sep == "-" || sepOK(toks, c-1)) && !toks[c].quoted {
		c++
	}
	if ev.affil != "" || ev.possessor != "" {
		return c
	}
	x := j + 1
	if x < c && toks[x].fold == "the" {
		x++
	}
	if x >= c {
		return c
	}
	if t := toks[x]; t.place >= 0 {
		pl := st.places[t.place].Place
		end := x
		for end < c && toks[end].place == t.place {
			end++
		}
		adjective := end < c && !toks[end-1].poss && (e.isRoleWord(toks[end].fold) || e.isBodyWord(toks[end].fold) || e.lx.pwords[toks[end].fold])
		if e.kind(pl) != places.KindRegion && (prep != "to" || adjective) {
			ev.affil = pl
		}
		return c
	}
	for y := x; y < c && !toks[y].cap; y++ {
		// "a spokesman for the military government in Mali": the body's
		// country, after its lower-case words.
		if (toks[y].fold == "in" || toks[y].fold == "of") && y+1 < c && toks[y+1].place >= 0 && prep != "to" {
			if pl := st.places[toks[y+1].place].Place; e.kind(pl) == places.KindCountry {
				ev.affil = pl
				return c
			}
		}
	}
	if prep == "for" {
		// "a spokeswoman for Prime Minister Keir Starmer"
		if n, _ := e.matchRole(toks, x); n > 0 && x+n < c {
			if end := e.capSeq(toks, x+n); end > x+n {
				ev.possessor = strings.Join(raws(toks[x+n:end]), " ")
			}
		}
	}
	return c
}

// leadVerbs make a role of a relative clause: "who chairs the EU Military
// Committee" is its chair.
var leadVerbs = map[string]string{"chairs": "chair", "chaired": "chair", "heads": "head", "headed": "head", "leads": "leader", "led": "leader", "runs": "head", "directs": "director"}

// leads reads ", who chairs the X," at toks[k:end].
func (e *Extractor) leads(st *sent, k, end int, ev *evidence) bool {
	toks := st.toks
	if k+2 >= end || leadVerbs[toks[k+1].fold] == "" {
		return false
	}
	obj := toks[k+2 : end]
	if len(obj) > 0 && obj[0].fold == "the" {
		obj = obj[1:]
	}
	if len(obj) == 0 || !obj[0].cap {
		return false
	}
	role := leadVerbs[toks[k+1].fold] + " of the " + surface(obj)
	*ev = evidence{role: role, roleKey: phraseKey(role)}
	for _, t := range obj {
		if t.place >= 0 {
			if pl := st.places[t.place].Place; e.kind(pl) != places.KindRegion {
				ev.affil = pl
			}
			break
		}
	}
	return true
}

// context is where the affiliation of someone the text gives none comes
// from: the one country or organisation of the others the paragraph has
// named so far, else the place opening this or an earlier paragraph, else
// the dateline. It returns "" and affilText when there is none.
func (r *run) context(st *sent) (string, int) {
	if len(r.para.affils) == 1 {
		return r.para.affils[0], affilParagraph
	}
	if r.para.opener != "" {
		return r.para.opener, affilOpener
	}
	if r.para.dateline != "" {
		return r.para.dateline, affilDateline
	}
	return "", affilText
}

// readContext notes, at each sentence, the paragraph it is in and the
// place an article's dateline ("VILNIUS —", "CONSTANȚA, Romania (Harbour
// Wire) -") or a paragraph's opening ("In Oslo,") names.
func (r *run) readContext(st *sent) {
	a := r.arts[st.art]
	if st.art != r.para.art {
		r.para = paragraph{art: st.art, para: -1}
	}
	if st.para == r.para.para {
		return
	}
	first := r.para.para < 0
	r.para.para, r.para.affils = st.para, nil
	s := a.Sentences[st.idx]
	if pl := r.opening(st); pl != "" {
		r.para.opener = pl
	} else if len(st.toks) > 0 && st.toks[0].place >= 0 && r.e.kind(st.places[st.toks[0].place].Place) == places.KindCountry {
		// "Pakistan’s Foreign Office said ...": a paragraph that opens with
		// another country ends the reach of an earlier "In New Delhi,".
		r.para.opener = ""
	}
	if first && s.ParagraphStart >= 0 && s.ParagraphStart <= s.Start {
		// The segmenter keeps a dateline out of the sentence: it stands
		// between the paragraph's start and the sentence's.
		r.para.dateline = r.dateline(a.Text[s.ParagraphStart:min(s.End, s.ParagraphStart+120)])
	}
}

// dateline is the country a dateline names: "CITY —", "CITY, Country —",
// with an outlet in brackets before the dash.
func (r *run) dateline(text string) string {
	dash := strings.IndexAny(text, "—–-")
	if dash <= 0 || dash > 80 {
		return ""
	}
	head := text[:dash]
	if i := strings.IndexByte(head, '('); i >= 0 {
		head = head[:i]
	}
	city, country, _ := strings.Cut(strings.TrimSpace(head), ",")
	if city == "" || strings.ToUpper(city) != city {
		return "" // a dateline's city is in capitals
	}
	for _, m := range r.e.g.Find(country + " " + city) {
		if r.e.kind(m.Place) == places.KindCountry {
			return m.Place
		}
	}
	return ""
}

// opening is the country of a place that opens a paragraph: "In Oslo,",
// "In Asmara on Monday,".
func (r *run) opening(st *sent) string {
	toks := st.toks
	if len(toks) < 3 || toks[0].fold != "in" || !toks[0].cap {
		return ""
	}
	p := 1
	if directions[toks[1].fold] {
		p = 2 // "In northern Mali,"
	}
	if p >= len(toks) || toks[p].place < 0 {
		return ""
	}
	x := p
	for x < len(toks) && toks[x].place == toks[p].place {
		x++
	}
	if x < len(toks) && toks[x].fold == "on" && x+1 < len(toks) {
		x += 2
	}
	if x >= len(toks) || !strings.HasPrefix(strings.TrimSpace(toks[x].sep), ",") {
		return ""
	}
	pl := st.places[toks[p].place].Place
	if r.e.kind(pl) != places.KindCountry {
		return ""
	}
	return pl
}

// directions may stand between "In" and the place that opens a paragraph.
var directions = map[string]bool{"northern": true, "southern": true, "eastern": true, "western": true, "central": true, "north": true, "south": true, "east": true, "west": true, "rural": true}

// subjectCountry is the country a sentence opens with as its subject
// ("Brazil sent an observer"), else "".
func (r *run) subjectCountry(st *sent) string {
	toks := st.toks
	if len(toks) < 3 || toks[0].place < 0 {
		return ""
	}
	x := 0
	for x < len(toks) && toks[x].place == toks[0].place {
		x++
	}
	pl := st.places[toks[0].place].Place
	if x >= len(toks) || toks[x-1].poss || toks[x].cap || toks[x].sep != " " || r.e.kind(pl) != places.KindCountry {
		return ""
	}
	switch toks[x].fold {
	case "and", "or", "nor":
		return ""
	}
	return pl
}

// resolvePossessors turns "Trump's envoy" into Trump's affiliation.
func (r *run) resolvePossessors() {
	for _, p := range r.persons {
		for i, ev := range p.ev {
			if ev.possessor == "" || ev.affil != "" {
				continue
			}
			q := r.lookupName(strings.Fields(ev.possessor))
			if q < 0 || r.persons[q] == p {
				continue
			}
			p.ev[i].affil = r.persons[q].directAffiliation()
			p.ev[i].level = affilText
		}
	}
}

func (r *run) lookupName(name []string) int {
	if len(name) == 0 {
		return -1
	}
	sk := surnameKey(name[len(name)-1])
	first := ""
	if len(name) > 1 {
		first = places.Fold(name[0])
	}
	found := -1
	for _, i := range r.byKey[sk] {
		p := r.persons[i]
		if first == "" || p.first == "" || p.first == first {
			if found >= 0 {
				return -1 // two people share the surname
			}
			found = i
		}
	}
	return found
}

func (p *person) directAffiliation() string {
	best, _ := vote(p.ev, func(ev evidence) string {
		if ev.possessor != "" || ev.level != affilText {
			return ""
		}
		return ev.affil
	})
	return best
}

// affiliation is the most frequent affiliation at the strongest level
// known: what any article says of the person outweighs the paragraph,
// which outweighs the place that opens it and the dateline.
func (p *person) affiliation() string {
	for level := affilText; level <= affilDateline; level++ {
		best, _ := vote(p.ev, func(ev evidence) string {
			if int(ev.level) != level {
				return ""
			}
			return ev.affil
		})
		if best != "" {
			return best
		}
	}
	return ""
}

// vote returns the most frequent non-empty value, the earliest on ties.
func vote(evs []evidence, f func(evidence) string) (string, int) {
	counts := map[string]int{}
	var order []string
	for _, ev := range evs {
		v := f(ev)
		if v == "" {
			continue
		}
		if counts[v] == 0 {
			order = append(order, v)
		}
		counts[v]++
	}
	best, n := "", 0
	for _, v := range order {
		if counts[v] > n {
			best, n = v, counts[v]
		}
	}
	return best, n
}
