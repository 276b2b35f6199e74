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

// partOf is the affiliation of an organisation that speaks: the one it
// belongs to ("UNICEF said" speaks for the United Nations), else itself.
func (e *Extractor) partOf(org string) string {
	if p := e.partOfs[org]; p != "" {
		return p
	}
	return org
}

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

// speaks reports whether a body named at toks[first:end] speaks: a speech
// verb follows, "according to" stands before it, or it is the subject of
// a later "and said".
func (e *Extractor) speaks(toks []tok, first, end int) bool {
	return e.speaksAt(toks, end) || accordingTo(toks, first) || e.coordinated(toks, first, end)
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
		if i > 0 && (toks[i-1].fold == "the" || determiners[toks[i-1].fold]) && toks[i].sep == " " {
			first = i - 1
		}
		// "a spokeswoman for the Hungarian government": no speaker; but
		// "according to a statement from the ministry" is the ministry's.
		afterPrep := first > 0 && prepositions[toks[first-1].fold] && toks[first].sep == " " && !accordingTo(toks, first)
		if t.cap && (i == 0 || toks[i].sep != " " || !toks[i-1].cap || toks[i-1].poss || articles[toks[i-1].fold]) {
			if end := r.namedBody(st, i, first, !afterPrep); end > i {
				i = end - 1
				continue
			}
		}
		if afterPrep {
			continue
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
				if e.speaks(toks, first, end) {
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
				if !toks[bend-1].poss && e.speaks(toks, first, bend) {
					r.bodySpeaks(st, name, e.partOf(pl), "org", first, bend)
					i = bend - 1
					continue
				}
				if bend > end {
					r.seen[phraseKey(toks[bend-1].raw)] = seenBody{name: name, affil: pl, noun: phraseKey(toks[bend-1].raw)}
				}
			}
			// sepOK: "U.S. Coast Guard", the abbreviation's dot is no stop.
			if n, _ := e.orgRun(toks, end); n > end && kind == places.KindCountry && sepOK(toks, end-1) {
				// "Bolivia’s Ministry of Foreign Affairs", "The U.S. Coast
				// Guard": read here, as the loop would not start a name
				// after the capitalised place.
				if bend := r.namedBody(st, end, first, !afterPrep); bend > end {
					i = bend - 1
					continue
				}
				i = end - 1
				continue
			}
			if n, noun := e.bodyAt(toks, end); n > 0 && kind == places.KindCountry && sepOK(toks, end-1) {
				// "Romania's coast guard", "the Romanian defence ministry"
				bend := end + n
				if e.lx.heads[noun] {
					// "Afghanistan's ministry of energy and water said":
					// the portfolio is part of the body's name, and the
					// speech verb comes after it.
					bend += e.portfolioAfter(toks, bend)
				}
				name := r.span(st, i, bend)
				if x := e.nameRun(toks, bend); x > bend && toks[bend].sep == " " && !toks[x-1].poss && e.speaks(toks, first, x) {
					// "North Korea’s state news agency KCNA said": named.
					name, bend = r.span(st, bend, x), x
				}
				r.seen[noun] = seenBody{name: name, affil: pl, noun: noun}
				if !toks[bend-1].poss && e.speaks(toks, first, bend) {
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
			if e.speaks(toks, first, end) {
				r.bodySpeaksAt(st, name, affil, level, t.fold, first, end)
			}
			i = end - 1
		case !t.cap || first < i:
			if first == i {
				continue
			}
			if determiners[toks[first].fold] && !e.isBodyWord(t.fold) && !e.lx.collective[t.fold] && !e.lx.orgs[t.fold] {
				continue
			}
			// "the ministry said", "the alliance said"
			n, noun := e.bodyAt(toks, i)
			if n == 0 && (e.lx.collective[t.fold] || e.lx.orgs[t.fold] || e.lx.companyNouns[t.fold]) {
				n, noun = 1, t.fold // "the alliance", "her association"
			}
			if n == 0 || !e.speaks(toks, first, i+n) {
				continue
			}
			if b, ok := r.seenNoun(noun); ok {
				r.bodySpeaks(st, b.name, b.affil, b.noun, first, i+n)
			} else if b, ok := r.seen["company"]; ok && e.lx.companyNouns[noun] {
				r.bodySpeaks(st, b.name, b.affil, b.noun, first, i+n) // "the firm said"
			} else if e.lx.collective[t.fold] && len(r.orgs) > 0 {
				org := r.orgs[len(r.orgs)-1]
				r.bodySpeaks(st, org, e.partOf(org), "org", first, i+n)
			}
			i += n - 1
		}
	}
}

// articles begin a sentence's "The Commission said", never a name.
var articles = map[string]bool{"the": true, "a": true, "an": true, "this": true, "that": true}

// determiners before a body noun refer back to a body named before ("its
// ministry", "her association said").
var determiners = map[string]bool{"its": true, "his": true, "her": true, "their": true}

// accordingTo reports whether "according to" stands before toks[first],
// perhaps with what was said between ("according to a statement from the
// ministry").
func accordingTo(toks []tok, first int) bool {
	x := first - 1
	if x > 0 && (toks[x].fold == "from" || toks[x].fold == "by" || toks[x].fold == "of") {
		x--
		for y := 0; y < 4 && x > 0 && !toks[x].cap && toks[x].fold != "to"; y++ {
			x-- // "a statement", "a report issued"
		}
	}
	return x > 0 && toks[x].fold == "to" && toks[x-1].fold == "according"
}

// namedBody reads an organisation named by its own name at toks[i], first
// being where its phrase starts ("the", "its"), and makes it a speaker when
// it speaks and may (speak is false after a preposition): a name whose
// last word makes it an organisation's, perhaps with what it is of
// ("Central Bank of Chile", "India’s Supreme Court", "Azawad Liberation
// Front"); a name an apposition describes as one ("Vale, the Brazilian
// mining company, said"); a name some article called one ("the Ansar
// al-Sahil movement"). Its affiliation is a country in its name, before it
// or in the apposition, else the context's. It returns the end of the
// name when it read one, else i.
func (r *run) namedBody(st *sent, i, first int, speak bool) int {
	e := r.e
	toks := st.toks
	start := i // where the name as written starts: "India’s Supreme Court"
	affil, level := "", affilText
	if i > 0 && toks[i-1].place >= 0 && sepOK(toks, i-1) {
		// "India’s Supreme Court", "the Nigerian Army"
		if pl := st.places[toks[i-1].place].Place; e.kind(pl) == places.KindCountry {
			affil = pl
			for start = i - 1; start > 0 && toks[start-1].place == toks[i-1].place; start-- {
			}
		}
	}
	end, noun := e.orgRun(toks, i)
	if end > i && toks[i].place >= 0 && toks[end-1].place == toks[i].place {
		return i // a place of the gazetteer: the place's own rules read it
	}
	if end > i && r.knownPerson(toks, i, end) {
		return i // "Margaret Court"
	}
	appo := -1
	if end == i {
		n := e.nameRun(toks, i)
		if n == i {
			return i
		}
		orgNoun := n < len(toks) && toks[n].sep == " " && !toks[n].quoted && e.lx.orgs[toks[n].fold] && first < i
		comma := n < len(toks) && strings.HasPrefix(strings.TrimSpace(toks[n].sep), ",")
		if !orgNoun && !comma && len(r.namedOrgs) == 0 {
			return i // most names: no folding for nothing
		}
		name := places.Fold(r.span(st, i, n))
		switch {
		case orgNoun:
			// "the Ansar al-Sahil movement": a name for later.
			r.namedOrgs[name] = true
			if !e.speaksAt(toks, n+1) || !speak {
				return n + 1
			}
			end, noun = n+1, toks[n].fold
		case comma:
			a, close, ok := e.orgApposition(st, n)
			if !ok {
				if r.namedOrgs[name] && e.speaksAt(toks, n) && speak {
					end, noun = n, "named"
					break
				}
				return i
			}
			r.namedOrgs[name] = true
			end, noun, appo = n, "named", close
			if affil == "" {
				affil = a
			}
		case r.namedOrgs[name]:
			end, noun = n, "named"
		default:
			return i
		}
	}
	if affil == "" {
		affil = r.firstPlace(st, i, end)
		if affil != "" && e.kind(affil) == places.KindOrganization {
			affil = e.partOf(affil)
		}
	}
	if affil == "" && appo < 0 && end < len(toks) && strings.HasPrefix(strings.TrimSpace(toks[end].sep), ",") {
		// "Bangladesh Bank, the central bank, said"
		affil, appo, _ = e.orgApposition(st, end)
	}
	if affil == "" {
		affil, level = r.context(st)
	}
	name := r.span(st, start, end)
	if start == i && first < i && toks[first].fold == "the" {
		name = strings.TrimPrefix(name, "the ")
	}
	key := noun
	if n, bnoun := e.bodyAt(toks, end-1); n == 1 {
		key = bnoun // "Romanian Coast Guard": one body with "Romania’s coast guard"
	} else if n, bnoun := e.bodyAt(toks, max(i, end-2)); n == 2 {
		key = bnoun
	} else {
		key = "named:" + places.Fold(name)
	}
	if (level != affilText || affil == "") && places.Fold(name) == key {
		// "Coast Guard personnel", "a Coast Guard spokeswoman": a body
		// named by its noun alone, which the text gives no country, is the
		// one the article named before with its country.
		if b, ok := r.seenNoun(key); ok && b.affil != "" {
			name, affil, level = b.name, b.affil, affilText
		}
	}
	r.seen[noun] = seenBody{name: name, affil: affil, noun: key}
	if e.lx.companies[noun] {
		// "Shares in Blue Abyss Metals rose ... The company said": the
		// company last named, whatever word ends its name.
		r.seen["company"] = r.seen[noun]
	}
	if !strings.HasPrefix(key, "named:") && key != noun {
		// "The U.S. Coast Guard": "the coast guard" and "a Coast Guard
		// spokeswoman" refer back to it by its body noun, not by "guard".
		r.seen[key] = r.seen[noun]
	}
	if toks[end-1].poss {
		return end
	}
	if speak && (e.speaks(toks, min(first, start), end) || (appo >= 0 && appo < len(toks) && e.speechAt(toks, appo))) {
		r.bodySpeaksAt(st, name, affil, level, key, min(first, start), end)
	}
	return end
}

// knownPerson reports whether toks[i:end] is the full name of someone
// named before.
func (r *run) knownPerson(toks []tok, i, end int) bool {
	if end-i < 2 {
		return false
	}
	for _, c := range r.byKey[surnameKey(toks[end-1].raw)] {
		if p := r.persons[c]; !p.unnamed && p.first == toks[i].fold {
			return true
		}
	}
	return false
}

// orgJoiners join the words of an organisation's name.
var orgJoiners = map[string]bool{"of": true, "for": true, "on": true, "and": true, "the": true, "de": true, "du": true, "des": true, "la": true, "del": true}

// orgRun returns the end of an organisation's name at toks[i] and the
// word that makes it one: capitalised words (places among them) whose last
// is an organisation word ("Samsung Electronics", "India Meteorological
// Department"), perhaps followed by what it is of or for, capitalised
// ("Central Bank of Chile", "Ministry of Jal Shakti"). It returns i when
// there is none.
func (e *Extractor) orgRun(toks []tok, i int) (int, string) {
	k := i
	for k < len(toks) && k-i < 8 && toks[k].cap && !toks[k].quoted && (k == i || toks[k].sep == " " || toks[k].sep == "-") && (k == i || !toks[k-1].poss) {
		k++
	}
	if k == i || !e.lx.orgs[toks[k-1].fold] || e.isRoleWord(toks[i].fold) || e.honorificLen(toks, i) > 0 || articles[toks[i].fold] || determiners[toks[i].fold] {
		return i, ""
	}
	noun := toks[k-1].fold
	if toks[k-1].poss {
		return k, noun
	}
	// "of Chile", "for Latin America and the Caribbean"
	end := k
	for x := k; x < len(toks) && x-k < 8 && toks[x].sep == " " && !toks[x].quoted; x++ {
		t := toks[x]
		if t.cap && x > k {
			end = x + 1
			if t.poss {
				break
			}
			continue
		}
		if !orgJoiners[t.fold] || (x == k && t.fold != "of" && t.fold != "for" && t.fold != "on") {
			break
		}
	}
	if k-i < 2 && end == k {
		return i, "" // one word ("the Commission said") refers back to a body named before
	}
	return end, noun
}

// nameRun returns the end of a name at toks[i]: capitalised words (places
// among them) with lower-case particles between ("Yacimientos de Litio
// Bolivianos", "Ansar al-Sahil", "Tokyo Electron"), no title, honorific or
// word that is never a name's; i when there is none.
func (e *Extractor) nameRun(toks []tok, i int) int {
	end := i
	for k := i; k < len(toks) && k-i < 7; k++ {
		t := toks[k]
		if t.quoted || (k > i && ((t.sep != " " && t.sep != "-") || toks[k-1].poss)) {
			break
		}
		if !t.cap {
			if k > i && e.lx.particles[t.fold] {
				continue
			}
			break
		}
		if e.lx.notNames[t.fold] || e.isRoleWord(t.fold) || e.honorificLen(toks, k) > 0 || isDigit(t.raw) {
			break
		}
		end = k + 1
		if t.poss {
			break
		}
	}
	return end
}

// orgApposition reads ", the Brazilian mining company," after a name, the
// comma before toks[k]: an apposition whose head (the last word before
// "of", "with", a clause or the closing comma) is an organisation noun and
// no title. It returns the country in it, where the words after it start,
// and whether it is one.
func (e *Extractor) orgApposition(st *sent, k int) (string, int, bool) {
	toks := st.toks
	if k >= len(toks) || toks[k].quoted {
		return "", -1, false
	}
	end := k + 1
	for end < len(toks) && end-k < 14 && !strings.ContainsAny(toks[end].sep, ",;:()“”\"") {
		end++
	}
	first := toks[k].fold
	if first != "a" && first != "an" && first != "the" && !(toks[k].poss && toks[k].place >= 0) {
		return "", -1, false
	}
	head := -1
	for x := k + 1; x < end; x++ {
		t := toks[x]
		if prepositions[t.fold] || clauseWords[t.fold] || e.lx.speech[t.fold] {
			break
		}
		head = x
	}
	if head < 0 || !e.lx.orgs[toks[head].fold] || toks[head].cap {
		return "", -1, false
	}
	for x := k; x <= head; x++ {
		if n, _ := e.matchRole(toks, x); n > 0 && !e.lx.orgs[toks[x].fold] {
			return "", -1, false // "a former company director": a person
		}
	}
	affil := ""
	for x := k; x <= head; x++ {
		if t := toks[x]; t.place >= 0 {
			pl := st.places[t.place].Place
			switch e.kind(pl) {
			case places.KindCountry:
				affil = pl
			case places.KindOrganization:
				affil = e.partOf(pl) // "the UN refugee agency"
			default:
				continue
			}
			break
		}
	}
	return affil, end, true
}

// coordinated reports whether a body at the start of a sentence, its name
// ending before toks[end], speaks later in it: "The Kremlin on Wednesday
// dismissed the pledges ... and said", with no one else named between.
func (e *Extractor) coordinated(toks []tok, first, end int) bool {
	if first > 0 {
		return false
	}
	for x := end; x < len(toks) && x-end < 40; x++ {
		t := toks[x]
		if t.quoted {
			continue
		}
		if e.lx.speech[t.fold] && !t.cap {
			return x > end && (toks[x-1].fold == "and" || toks[x-1].fold == "but") && !toks[x-1].quoted
		}
		if strings.ContainsAny(t.sep, ",;") || (t.cap && t.place < 0 && !e.lx.notNames[t.fold]) {
			return false
		}
	}
	return false
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
	ev := evidence{affil: affil, level: int8(level), art: st.art}
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
	p.seenIn(int(st.art))
	st.ments = append(st.ments, mention{person: i, first: first, name: -1, end: end, subject: true})
}
