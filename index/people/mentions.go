package people

import (
	"slices"
	"sort"
)

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
			if k+1 < len(toks) && toks[k+1].sep == " " && toks[k+1].cap && !toks[k+1].caps && r.familyName(toks[k+1].fold) {
				continue // "He Lijun said": a family name, not a pronoun
			}
			pronouns++
			g := "m"
			if t.fold == "she" {
				g = "f"
			}
			if p := r.pronoun(i, st, k, g); p >= 0 {
				st.ments = append(st.ments, mention{person: p, first: k, name: -1, end: k + 1, subject: true})
			}
		case t.fold == "it" && !t.quoted && k+1 < len(toks) && r.e.speechAt(toks, k+1):
			// "It said": the body that spoke in the sentence before.
			if i > 0 && r.sents[i-1].art == st.art && st.para-r.sents[i-1].para <= 1 {
				if sp := r.sents[i-1].speaker; sp >= 0 && r.persons[sp].body {
					st.ments = append(st.ments, mention{person: int(sp), first: k, name: -1, end: k + 1, subject: true})
				}
			}
		case t.fold == "the" && !t.quoted:
			if m, ok := r.nominal(i, st, k); ok {
				st.ments = append(st.ments, m)
				k = m.end - 1
			}
		case t.cap && !t.caps && (t.place < 0 || r.placeIsSurname(st, k)):
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

// familyName reports whether someone named has given name or surname w
// after the family name "He" (or "She"): "Lijun" of He Lijun.
func (r *run) familyName(w string) bool {
	sk := surnameKey(w)
	for _, c := range r.byKey[sk] {
		if p := r.persons[c]; !p.unnamed && (p.given("he") || p.given("she")) {
			return true
		}
	}
	return false
}

// placeIsSurname reports whether the one-word place at toks[k] is the
// surname of someone this article names, used as a name: after a given
// name or honorific, or before a speech verb ("Israel said he would
// abstain", with Samuel Israel in the article).
func (r *run) placeIsSurname(st *sent, k int) bool {
	toks := st.toks
	if (k > 0 && toks[k-1].place == toks[k].place) || (k+1 < len(toks) && toks[k+1].place == toks[k].place) {
		return false
	}
	here := false
	for _, c := range r.byKey[surnameKey(toks[k].raw)] {
		if p := r.persons[c]; !p.unnamed && p.first != "" && p.inArticle(int(st.art)) {
			here = true
		}
	}
	if !here {
		return false
	}
	return r.e.isHonorificBefore(toks, k) || (k+1 < len(toks) && toks[k+1].sep == " " && r.e.speechAt(toks, k+1)) ||
		(k > 0 && toks[k].sep == " " && r.e.surnamePlace(toks, k))
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
	if e.isSuffix(toks, k) {
		return mention{}, false // "Jr.": the surname before it names
	}
	end := k + 1
	if e.isSuffix(toks, end) && !t.poss {
		end++ // "Hargrove Jr."
	}
	if !t.poss && e.capSeq(toks, k) > end {
		return mention{}, false // not the last word of a name
	}
	sk := surnameKey(t.raw)
	// The surname: with the given name before it, that person; else the
	// one person of that surname this article names (two: no guess).
	best := -1
	byGiven := false
	for _, c := range r.byKey[sk] {
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
		cands := r.byKey[sk]
		var here []int
		for _, c := range cands {
			p := r.persons[c]
			if p.unnamed || (len(cands) > 1 && !p.inArticle(int(st.art))) {
				continue
			}
			here = append(here, c)
		}
		switch {
		case len(here) == 1:
			best = here[0]
		case len(here) > 1:
			// "Norwegian ambassador Dragomir" with two Dragomirs about:
			// the one the article gave that title; else the one the
			// article has named so far ("Kim said" before the second Kim).
			best = r.byTitle(st, k, here)
			if best < 0 {
				best = r.namedSoFar(here, int(st.art))
			}
			if best < 0 {
				return mention{}, false
			}
		}
	}
	if best < 0 && len(r.byKey[sk]) == 0 {
		// "Quispe said" for Rosa María Quispe Mamani: the first of two
		// surnames, when this article names one such person and no one
		// whose given name it is.
		best = r.secondHere(sk, t.fold, int(st.art))
	}
	if best < 0 && len(t.raw) >= 7 && !e.lx.notNames[t.fold] && (e.endsRole(toks, k) || e.isHonorificBefore(toks, k) || e.speechAt(toks, k+1)) {
		// One letter from a known surname, where the context says it is a
		// name ("Mr Zelenskij", "Zelenskij said"): the one such person.
		best = r.near(sk, func(*person) bool { return true })
	}
	if best < 0 {
		var here []int
		for _, c := range r.byFirst[t.fold] {
			if p := r.persons[c]; !p.unnamed && p.inArticle(int(st.art)) {
				here = append(here, c)
			}
		}
		switch {
		case len(here) == 1:
			best = here[0]
		case len(here) > 1:
			// Two people: the one named so far ("Kim said" before Kim
			// Ji-woo is named), else no guess.
			if best = r.namedSoFar(here, int(st.art)); best < 0 {
				return mention{}, false
			}
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
	for start > 0 && k-start < 6 && (toks[start].sep == " " || toks[start].sep == "-") && (p.given(toks[start-1].fold) || e.particleBefore(toks, start-1, k)) {
		start-- // given names and particles: "Anneke ter Horst", "Al Nuaimi", "De la Fuente"
	}
	if start == k && k > 0 && toks[k].sep == " " && toks[k-1].cap && !toks[k-1].poss && toks[k-1].place < 0 && p.first != "" {
		f := toks[k-1].fold
		if !e.lx.notNames[f] && !e.isHonorificBefore(toks, k) && !e.isRoleWord(f) {
			return mention{}, false // another given name: someone else
		}
	}
	if h, g := e.honorificBefore(toks, start); h >= 0 {
		start = h
		if g != "" {
			p.gender[g]++
		}
	}
	p.aliases[r.span(st, start, end)] = true
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
	return mention{person: best, first: start, name: nameStart, end: end, subject: subject}, true
}

// secondHere is the one person of article art whose first of two surnames
// has key sk, when no one of the article has the given name w; else -1.
func (r *run) secondHere(sk, w string, art int) int {
	for _, c := range r.byFirst[w] {
		if p := r.persons[c]; !p.unnamed && p.inArticle(art) {
			return -1
		}
	}
	found := -1
	for _, c := range r.bySecond[sk] {
		if p := r.persons[c]; !p.unnamed && !p.gone && p.inArticle(art) {
			if found >= 0 && found != c {
				return -1
			}
			found = c
		}
	}
	return found
}

// namedSoFar is the one of cands pass 2 has met in article art so far,
// or -1.
func (r *run) namedSoFar(cands []int, art int) int {
	found := -1
	for _, c := range cands {
		if p := r.persons[c]; p.lastSeen >= 0 && int(r.sents[p.lastSeen].art) == art {
			if found >= 0 {
				return -1
			}
			found = c
		}
	}
	return found
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
	cands := r.roleHolders[int(st.art)]
	for j := i - 1; j >= 0 && j >= i-maxLookback && r.sents[j].art == st.art && r.sents[j].para == st.para; j-- {
		for _, m := range r.saidOf(j) {
			if !slices.Contains(cands, int(m.person)) {
				cands = append(slices.Clip(cands), int(m.person)) // named in this paragraph
			}
		}
	}
	for _, pi := range cands {
		p := r.persons[pi]
		if p.unnamed || p.lastSeen < 0 || r.sents[p.lastSeen].art != st.art || st.para-r.sents[p.lastSeen].para > 3 {
			continue
		}
		// The title given in this article; or in another, for someone
		// this very paragraph has just named ("Mr. Macron told reporters
		// ... “...,” the French president said").
		art := st.art
		if r.sents[p.lastSeen].para == st.para {
			art = -1
		}
		if !p.hasRole(ph.key, affil, int(art)) {
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
				return int(sp)
			}
		}
	}
	var named []int
	subject := map[int]bool{}
	add := func(person, first int, subj bool, before int) {
		if first >= before || r.persons[person].unnamed {
			return
		}
		if !slices.Contains(named, person) {
			named = append(named, person)
		}
		if subj {
			subject[person] = true
		}
	}
	addSaid := func(j int) {
		for _, m := range r.saidOf(j) {
			add(int(m.person), int(m.first), m.subject, int(r.sents[j].ntoks))
		}
	}
	for _, m := range st.ments {
		add(m.person, m.first, m.subject, k)
	}
	for j := i - 1; j >= 0 && j >= i-maxLookback && r.sents[j].art == st.art && r.sents[j].para == st.para; j-- {
		addSaid(j)
	}
	if len(named) == 0 && prev >= 0 && r.sents[prev].para == st.para-1 {
		addSaid(prev)
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
