package people

import (
	"strings"

	"github.com/parley-bot/parley/index/places"
)

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
		if ev.possessor != "" {
			return ""
		}
		return ev.affil
	})
	return best
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
