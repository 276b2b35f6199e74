package people

import (
	"strings"

	"github.com/parley-bot/parley/index/places"
)

// seenBody is a body an article has named, speaking or not ("Russia's
// embassy in Bucharest rejected the claim"), so that "the embassy said"
// can find it.
type seenBody struct {
	name, affil, noun string
}

func (e *Extractor) isBodyWord(fold string) bool { return len(e.lx.bodies[fold]) > 0 }

// bodyAt returns the length of the body noun at toks[i] ("coast guard",
// "ministry"), portfolio words before it included ("defence ministry"),
// and the noun's key; 0 when there is none.
func (e *Extractor) bodyAt(toks []tok, i int) (int, string) {
	x := i
	for x < len(toks) && x-i < 3 && e.lx.pwords[toks[x].fold] && !toks[x].quoted && (x == i || toks[x].sep == " ") {
		x++
	}
	for y := x; y >= i; y-- { // "foreign ministry"; "Foreign Office" is one body
		if y >= len(toks) || (y > i && toks[y].sep != " ") {
			continue
		}
		for _, ph := range e.lx.bodies[toks[y].fold] {
			if matchWords(toks, y, ph.words) {
				return y - i + len(ph.words), ph.key
			}
		}
	}
	return 0, ""
}

// speaksAt reports whether a body ending before toks[k] speaks: a speech
// verb follows, or follows an apposition ("IGAD, the regional bloc, said").
func (e *Extractor) speaksAt(toks []tok, k int) bool {
	if k >= len(toks) {
		return false
	}
	if toks[k].sep == " " && e.speechAt(toks, k) {
		return true
	}
	if !strings.HasPrefix(strings.TrimSpace(toks[k].sep), ",") {
		return false
	}
	for x := k + 1; x < len(toks) && x-k < 10; x++ {
		if strings.ContainsAny(toks[x].sep, ".;:“”\"") || toks[x].quoted {
			return false
		}
		if strings.HasPrefix(strings.TrimSpace(toks[x].sep), ",") {
			return e.speechAt(toks, x)
		}
	}
	return false
}

// bodies reads the bodies a sentence names and makes those that speak
// speakers of their own: a seat of government ("the Kremlin said"), an
// organisation ("NATO said", "the African Union Commission said"), a
// country's body ("Romania's coast guard said", "the Romanian defence
// ministry said"), a department by name ("the Department of Veterans
// Affairs said"), and a body named before ("the ministry said", "the
// alliance said").
func (r *run) bodies(st *sent) {
	e := r.e
	toks := st.toks
	for i := 0; i < len(toks); i++ {
		t := toks[i]
		if t.quoted {
			continue
		}
		first := i
		if i > 0 && toks[i-1].fold == "the" && toks[i].sep == " " {
			first = i - 1
		}
		if first > 0 && prepositions[toks[first-1].fold] && toks[first].sep == " " {
			continue // "a spokeswoman for the Hungarian government": no speaker
		}
		switch {
		case t.place >= 0:
			pl := st.places[t.place].Place
			end := i
			for end < len(toks) && toks[end].place == t.place {
				end++
			}
			kind := e.kind(pl)
			if kind == places.KindRegion {
				i = end - 1
				continue
			}
			if e.lx.seats[places.Fold(st.places[t.place].Surface)] && !toks[end-1].poss {
				if e.speaksAt(toks, end) {
					r.bodySpeaks(st, strings.TrimPrefix(st.places[t.place].Surface, "the "), pl, "seat", first, end)
				}
				i = end - 1
				continue
			}
			if kind == places.KindOrganization {
				r.orgs = append(r.orgs, pl)
				name, bend := st.places[t.place].Surface, end
				if bend < len(toks) && toks[bend].cap && toks[bend].sep == " " && e.isBodyWord(toks[bend].fold) {
					// "African Union Commission"
					name, bend = r.span(st, i, bend+1), bend+1
				}
				if !toks[bend-1].poss && e.speaksAt(toks, bend) {
					r.bodySpeaks(st, name, pl, "org", first, bend)
					i = bend - 1
					continue
				}
				if bend > end {
					r.seen[phraseKey(toks[bend-1].raw)] = seenBody{name: name, affil: pl, noun: phraseKey(toks[bend-1].raw)}
				}
			}
			if n, noun := e.bodyAt(toks, end); n > 0 && kind == places.KindCountry && (toks[end].sep == " ") {
				// "Romania's coast guard", "the Romanian defence ministry"
				bend := end + n
				name := r.span(st, i, bend)
				r.seen[noun] = seenBody{name: name, affil: pl, noun: noun}
				if !toks[bend-1].poss && e.speaksAt(toks, bend) {
					r.bodySpeaks(st, name, pl, noun, first, bend)
				}
				i = bend - 1
				continue
			}
			i = end - 1
		case t.cap && (t.fold == "department" || t.fold == "ministry" || t.fold == "office") && i+2 < len(toks) && toks[i+1].fold == "of" && toks[i+2].cap:
			// "the Department of Veterans Affairs"
			end := i + 2
			for end < len(toks) && end-i < 8 && toks[end].sep == " " && (toks[end].cap || toks[end].fold == "and") && toks[end].place < 0 {
				end++
			}
			for end > i+2 && !toks[end-1].cap {
				end--
			}
			name := r.span(st, i, end)
			affil, level := r.context(st)
			if affil == "" {
				affil, level = r.firstPlace(st, i+2, end), affilText
			}
			r.seen[t.fold] = seenBody{name: name, affil: affil, noun: t.fold}
			if e.speaksAt(toks, end) {
				r.bodySpeaksAt(st, name, affil, level, t.fold, first, end)
			}
			i = end - 1
		case !t.cap || first < i:
			if first == i {
				continue
			}
			// "the ministry said", "the alliance said"
			n, noun := e.bodyAt(toks, i)
			if n == 0 && e.lx.collective[t.fold] {
				n, noun = 1, t.fold
			}
			if n == 0 || !e.speaksAt(toks, i+n) {
				continue
			}
			if b, ok := r.seenNoun(noun); ok {
				r.bodySpeaks(st, b.name, b.affil, b.noun, first, i+n)
			} else if e.lx.collective[t.fold] && len(r.orgs) > 0 {
				org := r.orgs[len(r.orgs)-1]
				r.bodySpeaks(st, org, org, "org", first, i+n)
			}
			i += n - 1
		}
	}
}

// seenNoun is the body the article last named with this noun, or whose
// noun ends with it ("the ministry" for "the defence ministry").
func (r *run) seenNoun(noun string) (seenBody, bool) {
	if b, ok := r.seen[noun]; ok {
		return b, true
	}
	var found seenBody
	n := 0
	for k, b := range r.seen {
		if strings.HasSuffix(k, " "+noun) {
			found = b
			n++
		}
	}
	return found, n == 1
}

func (r *run) firstPlace(st *sent, from, to int) string {
	for _, t := range st.toks[from:to] {
		if t.place >= 0 {
			if pl := st.places[t.place].Place; r.e.kind(pl) != places.KindRegion {
				return pl
			}
		}
	}
	return ""
}

func (r *run) bodySpeaks(st *sent, name, affil, noun string, first, end int) {
	r.bodySpeaksAt(st, name, affil, affilText, noun, first, end)
}

// bodySpeaksAt makes the body a speaker of the sentence: one body per
// affiliation and noun ("Romania's coast guard" and "the Romanian coast
// guard" are one), named as first written.
func (r *run) bodySpeaksAt(st *sent, name, affil string, level int, noun string, first, end int) {
	name = strings.TrimSpace(strings.TrimPrefix(strings.TrimPrefix(name, "the "), "The "))
	if name == "" {
		return
	}
	key := affil + "|" + noun
	if noun == "org" || noun == "seat" || affil == "" {
		key = places.Fold(name)
	}
	ev := evidence{affil: affil, level: level, art: st.art}
	i, ok := r.byBody[key]
	if !ok {
		i = len(r.persons)
		r.byBody[key] = i
		r.persons = append(r.persons, &person{unnamed: true, body: true, forms: map[string]int{}, aliases: map[string]bool{}, gender: map[string]int{}, lastSeen: -1})
	}
	p := r.persons[i]
	if p.forms[name] == 0 {
		p.order = append(p.order, name)
	}
	p.forms[name]++
	if affil != "" {
		p.ev = append(p.ev, ev)
		if level == affilText {
			r.para.affils = appendOnceS(r.para.affils, affil)
		}
	}
	p.seenIn(st.art)
	st.ments = append(st.ments, mention{person: i, first: first, name: -1, end: end, subject: true})
}
