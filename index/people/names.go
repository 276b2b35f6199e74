package people

import (
	"strings"

	"github.com/parley-bot/parley/index/places"
)

// Words that matter to the rules below; grammar, not data about anyone.
var (
	prepositions = map[string]bool{"by": true, "with": true, "to": true, "of": true, "for": true, "from": true, "about": true, "on": true, "at": true, "against": true, "than": true, "including": true, "between": true, "among": true, "into": true, "toward": true, "towards": true, "via": true, "like": true, "met": true, "joined": true, "behind": true, "under": true, "over": true}
	adverbs      = map[string]bool{"also": true, "later": true, "has": true, "have": true, "had": true, "previously": true, "repeatedly": true, "then": true, "consistently": true, "again": true, "already": true, "reportedly": true, "publicly": true, "recently": true, "once": true, "further": true, "earlier": true, "separately": true, "himself": true, "herself": true, "only": true, "even": true, "privately": true, "flatly": true, "firmly": true, "simply": true}
	clauseWords  = map[string]bool{"who": true, "which": true, "whose": true, "that": true, "where": true, "when": true, "whom": true}
	// hyphenWords follow a name without being part of it ("Kushner-led").
	hyphenWords = map[string]bool{"led": true, "era": true, "run": true, "age": true, "set": true, "in": true, "law": true, "style": true, "bound": true, "wide": true, "like": true, "free": true, "only": true, "type": true, "proof": true, "owned": true, "held": true, "made": true, "born": true, "year": true, "day": true, "week": true, "month": true, "long": true, "old": true, "plus": true, "up": true, "down": true, "off": true, "out": true, "over": true, "based": true, "level": true, "scale": true, "class": true, "sized": true}
)

// Bounds on a name: capitalised words, and words in all (particles and a
// suffix included: "Saif bin Rashid Al Nuaimi", "Walter Hargrove Jr.").
const (
	maxNameWords  = 4
	maxNameTokens = 7
)

// honorificAt returns the length in words of the honorific starting at
// toks[i] ("Mr", "Sir", "Sheikh", "Tan Sri", Burmese "U" and "Daw") and
// the gender it tells, or 0. An honorific is capitalised, is no place
// ("U" of "U.S."), and a name follows it.
func (e *Extractor) honorificAt(toks []tok, i int) (int, string) {
	if i >= len(toks) || !toks[i].cap || toks[i].quoted || toks[i].place >= 0 {
		return 0, ""
	}
	for _, ph := range e.lx.honorifics[toks[i].fold] {
		n := len(ph.words)
		if !matchWords(toks, i, ph.words) || i+n >= len(toks) {
			continue
		}
		next := toks[i+n]
		if next.sep != " " || !next.cap || next.quoted {
			continue
		}
		if len(toks[i].fold) == 1 && toks[i].raw != "U" {
			continue // an initial, not an honorific
		}
		return n, ph.gender
	}
	return 0, ""
}

// honorificBefore returns where an honorific ending just before toks[j]
// starts, or -1.
func (e *Extractor) honorificBefore(toks []tok, j int) (int, string) {
	if j <= 0 || toks[j].sep != " " {
		return -1, ""
	}
	for x := j - 1; x >= 0 && x >= j-2; x-- {
		if n, g := e.honorificAt(toks, x); n > 0 && x+n == j {
			return x, g
		}
	}
	return -1, ""
}

func (e *Extractor) isHonorificBefore(toks []tok, j int) bool {
	x, _ := e.honorificBefore(toks, j)
	return x >= 0
}

// isSuffix reports whether toks[k] is a generational suffix ("Jr", "III").
func (e *Extractor) isSuffix(toks []tok, k int) bool {
	return k > 0 && k < len(toks) && toks[k].cap && e.lx.suffixes[toks[k].fold] && (toks[k].sep == " " || strings.TrimSpace(toks[k].sep) == ",")
}

// particleRun returns the end of the particles starting at toks[k] when a
// capitalised word follows them ("von der Leyen", "bin Rashid", "Al
// Nuaimi", "al-Tayeb"), else k.
func (e *Extractor) particleRun(toks []tok, k int) int {
	x := k
	for x < len(toks) && x-k < 3 && !toks[x].quoted && (x == k || toks[x].sep == " " || toks[x].sep == "-") {
		t := toks[x]
		if t.cap && !t.caps && e.lx.capParticle[t.fold] && x+1 < len(toks) && toks[x+1].cap && !e.lx.capParticle[toks[x+1].fold] {
			x++
			continue
		}
		if !t.cap && e.lx.particles[t.fold] {
			x++
			continue
		}
		break
	}
	if x > k && x < len(toks) && toks[x].cap && (toks[x].sep == " " || toks[x].sep == "-") && !toks[x].quoted && toks[x].place < 0 {
		return x
	}
	return k
}

// particleBefore reports whether a run of particles starts at toks[x] and
// leads to the name word at or before toks[k] ("De la" of "De la Fuente",
// "ter" of "ter Horst").
func (e *Extractor) particleBefore(toks []tok, x, k int) bool {
	y := x
	for y < k && y-x < 3 && (e.lx.particles[toks[y].fold] || e.lx.capParticle[toks[y].fold]) && (y == x || toks[y].sep == " " || toks[y].sep == "-") {
		y++
	}
	return y > x && y <= k && (toks[y].sep == " " || toks[y].sep == "-") && toks[y].cap
}

// capSeq returns the end of the name starting at toks[j]: up to four
// capitalised words joined by spaces or hyphens, with particles ("de",
// "van", "bin", "Al") inside and a suffix ("Jr.") at the end, ending at a
// possessive. It returns j when there is none.
func (e *Extractor) capSeq(toks []tok, j int) int {
	k, core := j, 0
	for k < len(toks) && core < maxNameWords && k-j < maxNameTokens {
		t := toks[k]
		if k == j && t.place >= 0 && k+1 < len(toks) && toks[k+1].place != t.place && toks[k+1].place < 0 && toks[k+1].sep == " " && toks[k+1].cap && !t.poss && !t.caps &&
			j > 0 && (e.endsRole(toks, j) || e.isHonorificBefore(toks, j)) {
			// "National Rally leader Jordan Bardella": after a title, a
			// one-word place followed by a name is a given name.
			k++
			core++
			continue
		}
		if k > j && ((t.sep != " " && t.sep != "-") || toks[k-1].poss) {
			if !(e.isSuffix(toks, k) && strings.TrimSpace(t.sep) == ",") || core < 1 {
				break
			}
		}
		if k > j && core >= 1 && e.isSuffix(toks, k) && !toks[k-1].poss {
			return k + 1 // "Walter Hargrove Jr.", "Ramon Villanueva III"
		}
		if k > j {
			if x := e.particleRun(toks, k); x > k {
				k = x
				continue
			}
		}
		if k > j && core >= 1 && e.surnamePlace(toks, k) {
			return k + 1 // "Samuel Israel": a country as the last word of a name
		}
		if k == j && e.lx.notNames[t.fold] && e.familyWord(toks, j) {
			// "Vice Premier He Lijun", "Minister An Jae-hyun": after a
			// title or honorific, a family name that is also a pronoun or
			// an article.
			k++
			core++
			continue
		}
		if !t.cap || t.caps || t.quoted || t.place >= 0 || e.lx.notNames[t.fold] || isDigit(t.raw) {
			break
		}
		if n, _ := e.honorificAt(toks, k); n > 0 && k > j {
			break
		}
		if n, _ := e.matchRole(toks, k); n > 0 {
			break
		}
		k++
		if !initial(t.raw) {
			core++ // "A. K. M. Shamsul Haque" is a name of two words
		}
	}
	// A name never ends on a particle or an initial.
	for k > j && (!toks[k-1].cap || (e.lx.capParticle[toks[k-1].fold] && k-1 > j) || (initial(toks[k-1].raw) && k-1 > j)) {
		k--
	}
	return k
}

// familyWord reports whether the capitalised function word at toks[j]
// begins a name: a title or honorific stands before it and a capitalised
// word that could be a name follows.
func (e *Extractor) familyWord(toks []tok, j int) bool {
	t := toks[j]
	if !t.cap || t.caps || t.quoted || len(t.fold) > 3 || j == 0 || j+1 >= len(toks) {
		return false
	}
	n := toks[j+1]
	if n.sep != " " || !n.cap || n.caps || n.quoted || n.place >= 0 || e.lx.notNames[n.fold] || e.isRoleWord(n.fold) {
		return false
	}
	return e.endsRole(toks, j) || e.isHonorificBefore(toks, j)
}

// surnamePlace reports whether the one-word country at toks[k] ends the
// name before it ("Labour MP Samuel Israel said"): it follows a given name
// with a space, and no capitalised word follows it.
func (e *Extractor) surnamePlace(toks []tok, k int) bool {
	t := toks[k]
	if t.place < 0 || t.caps || t.sep != " " || !t.cap || toks[k-1].place >= 0 || toks[k-1].poss || !toks[k-1].cap {
		return false
	}
	if k+1 < len(toks) && toks[k+1].place == t.place {
		return false // a place of several words
	}
	if k+1 < len(toks) && !strings.HasPrefix(strings.TrimSpace(toks[k+1].sep), ",") && !(toks[k+1].sep == " " && e.speechAt(toks, k+1)) {
		return false // only before a comma or a speech verb: "the Trump Russia probe" is no one
	}
	return !e.lx.notNames[toks[k-1].fold] && !e.isRoleWord(toks[k-1].fold) && e.honorificLen(toks, k-1) == 0
}

func (e *Extractor) honorificLen(toks []tok, i int) int {
	n, _ := e.honorificAt(toks, i)
	return n
}

// nameAfter reads a name at toks[j], after an optional honorific or rank
// ("Sir Gareth Lowndes", "Captain Taras Hnatiuk"): it returns where the
// name itself starts and ends (end == start when there is none), and what
// the honorific or rank says.
func (e *Extractor) nameAfter(st *sent, j int, ev *evidence) (int, int) {
	toks := st.toks
	if j >= len(toks) {
		return j, j
	}
	if n, g := e.honorificAt(toks, j); n > 0 {
		if g != "" {
			ev.gender = g
		}
		j += n
	} else if n, ph := e.matchRole(toks, j); n > 0 && ph.rank && toks[j].cap && j+n < len(toks) && toks[j+n].sep == " " {
		j += n
	}
	return j, e.capSeq(toks, j)
}

// introduce is pass 1: the contexts that introduce a person, and the
// bodies that speak.
func (r *run) introduce(st *sent) {
	e := r.e
	toks := st.toks
	r.bodies(st)
	for i := 0; i < len(toks); i++ {
		n, ph := e.matchRole(toks, i)
		if n == 0 {
			continue
		}
		ev := e.roleEvidence(toks, i, n, ph)
		first := e.lookback(st, i, 0, &ev)
		if first == i && n == 1 && toks[i].cap && e.lx.rankWords[toks[i].fold] {
			// "Chief Olusegun Adeyemi-Cole", "Commander Jane Roe": a title
			// that is also a rank, with nothing before it, is a rank.
			ev.rank = true
		}
		r.possessive(st, first, &ev)
		if ev.affil == "" && ev.possessor == "" && r.objectOfCountry(st, first) {
			// "Brazil sent an observer, Ambassador Paulo França": the
			// country that sent him.
			ev.affil, ev.level = st.subject, affilParagraph
		}
		if ev.affil == "" && ev.possessor == "" {
			// "Coast Guard spokeswoman Ana Ruiz", "Kenya was represented
			// by Ambassador Ruth Maina": the text says whose she is, and
			// the dateline must not.
			if a := r.bodyBefore(st, i); a != "" {
				ev.affil = a
			} else if a := r.representedBy(st, first); a != "" {
				ev.affil = a
			}
		}
		j := i + n
		if j < len(toks) && toks[j].sep == " " && !toks[j-1].poss {
			// "Rear Admiral Sorin Dumitrescu", "Foreign Minister Sompong".
			if start, end := e.nameAfter(st, j, &ev); end > start && toks[start].sep == " " {
				e.ofPlace(st, end, &ev) // "Acting Prime Minister Tomasz Wrona of Poland"
				p := r.person(toks[start:end], r.span(st, start, end), ev, st)
				st.introduced = append(st.introduced, r.span(st, start, end))
				if ev.affil == "" {
					if a := r.actsFor(st, end); a != "" {
						r.addEvidence(p, evidence{affil: a}, st)
					}
				}
				if end < len(toks) && strings.HasPrefix(toks[end].sep, ",") && !toks[end-1].poss {
					// "Commodore Elif Aydın, a spokeswoman for the Turkish navy,"
					var more evidence
					if r.apposition(st, end, &more) {
						r.addEvidence(p, more, st)
					}
				}
				i = end - 1
				continue
			}
		}
		// "Venezuela's leader, Nicolás Maduro", "The deputy defence
		// minister of Estonia, Mart Kivirähk", "A spokeswoman for the
		// Hungarian government, Zsófia Kerekes": the title, what it is of
		// or for, a comma, the name.
		c := e.lookahead(st, j, &ev)
		if c < len(toks) && strings.TrimSpace(toks[c].sep) == "," && !toks[c-1].poss {
			if start, end := e.nameAfter(st, c, &ev); end-start >= 2 || (end > start && start > c) {
				r.person(toks[start:end], r.span(st, start, end), ev, st)
				st.introduced = append(st.introduced, r.span(st, start, end))
				i = end - 1
				continue
			}
		}
		if first > 0 && (toks[first-1].fold == "a" || toks[first-1].fold == "an") && !strings.Contains(toks[first-1].sep, ",") && !toks[j-1].poss && ev.affil != "" && e.speechAt(toks, j) {
			// An unnamed speaker: "a French foreign ministry spokesperson
			// said". Without an affiliation ("a senior official said") the
			// description names no one in particular; after a comma it is
			// someone's apposition.
			name := surface(toks[first:j])
			p := r.unnamed(name, ev, st)
			st.ments = append(st.ments, mention{person: p, first: first, name: -1, end: j, subject: true})
		}
	}
	for i := 0; i < len(toks); {
		t := toks[i]
		if end := r.bodyAt(st, i); end > i {
			i = end // "Samsung Electronics said": a body, no one's name
			continue
		}
		if t.quoted || !t.cap || (i > 0 && toks[i].sep == " " && toks[i-1].cap && !toks[i-1].poss && toks[i-1].place < 0 && !e.lx.notNames[toks[i-1].fold] && !e.isHonorificBefore(toks, i) && !e.endsRole(toks, i)) {
			i++
			continue
		}
		if n, _ := e.honorificAt(toks, i); n > 0 {
			i += n
			continue
		}
		end := e.capSeq(toks, i)
		if end == i && e.givenPlace(toks, i) {
			// "Chad Whitmore, a State Department spokesman, said": a
			// country as a given name, when what follows makes a person.
			end = e.capSeq(toks, i+1)
			if end == i+1 {
				end = i
			}
		}
		ev := evidence{}
		hon := false
		if _, g := e.honorificBefore(toks, i); e.isHonorificBefore(toks, i) {
			ev.gender, hon = g, true
		}
		if end-i < 2 && !(hon && end > i) {
			i = max(end, i+1)
			continue
		}
		ok := false
		if of := e.ofPlace(st, end, &ev); of > end && of < len(toks) && (strings.HasPrefix(toks[of].sep, ",") || e.speechAt(toks, of)) {
			// "Ayman Haddad of Jordan said", "Lena Marsh of the EU, who ..."
			ok = true
			if strings.HasPrefix(toks[of].sep, ",") {
				r.apposition(st, of, &ev)
			}
		}
		if !ok && end < len(toks) && strings.HasPrefix(toks[end].sep, ",") && !toks[end-1].poss {
			ok = r.apposition(st, end, &ev) || e.described(st, end, &ev)
		}
		if !ok && end < len(toks) && toks[end].sep == " " && e.speechAt(toks, end) {
			ok = true
		}
		if !ok && i > 0 && (toks[i-1].fold == "said" || (i > 1 && toks[i-2].fold == "according" && toks[i-1].fold == "to")) {
			ok = true
		}
		if ok && ev.affil == "" && ev.possessor == "" {
			ev.affil = r.representedBy(st, i)
		}
		if ok && ev.affil == "" && ev.possessor == "" {
			ev.affil = r.actsFor(st, end)
		}
		if ok {
			r.person(toks[i:end], r.span(st, i, end), ev, st)
			st.introduced = append(st.introduced, r.span(st, i, end))
		}
		i = end
	}
}

// givenPlace reports whether the one-word country at toks[i] is a given
// name: a capitalised word that could be a surname follows it.
func (e *Extractor) givenPlace(toks []tok, i int) bool {
	t := toks[i]
	if t.place < 0 || t.caps || t.poss || t.quoted || i+1 >= len(toks) || (i > 0 && toks[i-1].place == t.place) {
		return false
	}
	n := toks[i+1]
	return n.sep == " " && n.cap && !n.caps && !n.quoted && n.place < 0 && !e.lx.notNames[n.fold] && !e.isRoleWord(n.fold) && !e.isBodyWord(n.fold) && !e.lx.orgs[n.fold]
}

// described reads ", a hydrologist at Dhaka University," after a name,
// the comma before toks[k]: an apposition that describes the person, with
// a speech verb after it. A profession in "-ist" at its head is the role.
func (e *Extractor) described(st *sent, k int, ev *evidence) bool {
	toks := st.toks
	if k >= len(toks) || (toks[k].fold != "a" && toks[k].fold != "an") {
		return false
	}
	end := -1
	for x := k + 1; x < len(toks) && x-k < 24; x++ {
		if toks[x].quoted || strings.ContainsAny(toks[x].sep, ";:()“”\"") {
			return false
		}
		if strings.HasPrefix(strings.TrimSpace(toks[x].sep), ",") {
			end = x
			break
		}
	}
	if end < 0 || !e.speechAt(toks, end) {
		return false
	}
	head := -1
	for x := k + 1; x < end && !prepositions[toks[x].fold] && !clauseWords[toks[x].fold] && !toks[x].cap; x++ {
		head = x
	}
	if head >= 0 && strings.HasSuffix(toks[head].fold, "ist") && len(toks[head].fold) > 5 {
		ev.role, ev.roleKey = toks[head].raw, toks[head].fold
	}
	for x := k + 2; x < end; x++ {
		// "a hydrologist at Dhaka University": where they work.
		if p := toks[x-1].fold; toks[x].place >= 0 && (p == "at" || p == "of" || p == "from" || p == "in") {
			if pl := st.places[toks[x].place].Place; e.kind(pl) == places.KindCountry {
				ev.affil, ev.private = pl, true
				break
			}
		}
	}
	return true
}

// possessive reads "his son-in-law", "her Bolivian counterpart" before a
// title starting at toks[first]: whose it is is the person this sentence
// named first. A counterpart holds that person's title.
func (r *run) possessive(st *sent, first int, ev *evidence) {
	toks := st.toks
	if first == 0 || !determiners[toks[first-1].fold] || toks[first-1].fold == "its" || len(st.introduced) == 0 || ev.possessor != "" {
		return
	}
	owner := st.introduced[0]
	if ev.affil == "" {
		ev.possessor = owner
	}
	if ev.relation && ev.roleKey == "counterpart" {
		if q := r.lookupName(strings.Fields(owner)); q >= 0 {
			if role := r.persons[q].role(); role != "" {
				ev.role, ev.roleKey, ev.relation = role, phraseKey(role), false
			}
		}
	}
}

// objectOfCountry reports whether the title starting at toks[first] is in
// apposition to the object of a country that is the sentence's subject:
// "Brazil sent an observer, Ambassador ...".
func (r *run) objectOfCountry(st *sent, first int) bool {
	toks := st.toks
	if st.subject == "" || first < 4 || strings.TrimSpace(toks[first].sep) != "," {
		return false
	}
	for x := first - 1; x > 0 && x >= first-3; x-- {
		if toks[x].cap || toks[x].place >= 0 {
			return false
		}
		if toks[x].fold == "a" || toks[x].fold == "an" {
			return !r.e.lx.speech[toks[x-1].fold] && !toks[x-1].cap
		}
	}
	return false
}

// bodyBefore is the affiliation of the body whose noun stands right
// before a title starting at toks[i] ("a Coast Guard spokeswoman", "a
// ministry official"), when the article has named that body with its
// country ("The U.S. Coast Guard said ..."): the title is that body's, and
// where the sentence stands says nothing of it. "" when there is none.
func (r *run) bodyBefore(st *sent, i int) string {
	toks := st.toks
	for s := i - 1; s >= 0 && s >= i-3; s-- {
		if toks[s+1].sep != " " || toks[s].quoted || toks[s].place >= 0 || toks[s].poss {
			return ""
		}
		if n, noun := r.e.bodyAt(toks, s); n > 0 && s+n == i {
			if b, ok := r.seenNoun(noun); ok {
				return b.affil
			}
			return ""
		}
	}
	return ""
}

// actsFor is the country or organisation the person named before toks[end]
// acts for, as the text says: "Dame Ann Roe represented Barbados", "...,
// commander of the Joint Command, who signed for Denmark". What a person
// did in a country's name says whose they are; where they did it does not.
func (r *run) actsFor(st *sent, end int) string {
	toks := st.toks
	for v := end; v < len(toks) && v <= end+12; v++ {
		if toks[v].quoted {
			return ""
		}
		if v > end && !(toks[v-1].fold == "who" && strings.HasPrefix(strings.TrimSpace(toks[v-1].sep), ",")) {
			continue
		}
		x := v + 1
		switch toks[v].fold {
		case "represented":
		case "signed", "spoke", "voted", "negotiated":
			if x >= len(toks) || toks[x].fold != "for" {
				continue
			}
			x++
		default:
			continue
		}
		if x < len(toks) && toks[x].fold == "the" && toks[x].place < 0 {
			x++
		}
		if x >= len(toks) || toks[x].place < 0 {
			return ""
		}
		y := x
		for y < len(toks) && toks[y].place == toks[x].place {
			y++
		}
		pl := st.places[toks[x].place].Place
		if k := r.e.kind(pl); toks[y-1].poss || (k != places.KindCountry && k != places.KindOrganization) {
			return ""
		}
		return pl
	}
	return ""
}

// representedBy is the country or organisation a sentence opens with
// when the name or title at toks[i] is who represented it: "The United
// States, which has promised to lead the mission, was represented by
// Laura Pennington". "" when there is none.
func (r *run) representedBy(st *sent, i int) string {
	toks := st.toks
	// "by NAME", or "by its foreign minister, NAME": the title between is
	// a few words of lower case.
	by := i - 1
	for by > 0 && by >= i-5 && toks[by].fold != "by" && toks[by].place < 0 && !toks[by].cap && !toks[by].quoted {
		by--
	}
	if by < 3 || toks[by].fold != "by" || toks[by-1].fold != "represented" {
		return ""
	}
	i = by + 1
	switch toks[i-3].fold {
	case "was", "is", "were", "are", "be", "been":
	default:
		return ""
	}
	x := 0
	if toks[0].place < 0 && toks[0].fold == "the" {
		x = 1
	}
	if toks[x].place < 0 {
		return ""
	}
	end := x
	for end < i && toks[end].place == toks[x].place {
		end++
	}
	pl := st.places[toks[x].place].Place
	if toks[end-1].poss || end >= i || (r.e.kind(pl) != places.KindCountry && r.e.kind(pl) != places.KindOrganization) {
		return ""
	}
	// The place is the subject: the verb follows it, or a relative clause
	// set off by a comma does ("The United States, which ...,").
	if end == i-3 || (strings.HasPrefix(strings.TrimSpace(toks[end].sep), ",") && (toks[end].fold == "which" || toks[end].fold == "whose")) {
		return pl
	}
	return ""
}

// bodyAt returns the end of the body named in this sentence at toks[i],
// or i.
func (r *run) bodyAt(st *sent, i int) int {
	for _, m := range st.ments {
		if m.first <= i && i < m.end && r.persons[m.person].body {
			return m.end
		}
	}
	return i
}

// ofPlace reads "of Country" right after a name ending before toks[end]
// ("Tomasz Wrona of Poland"): the affiliation, when ev has none, and where
// the phrase ends (end when there is none).
func (e *Extractor) ofPlace(st *sent, end int, ev *evidence) int {
	toks := st.toks
	if end+1 >= len(toks) || toks[end].fold != "of" || toks[end].sep != " " || toks[end-1].poss {
		return end
	}
	x := end + 1
	if toks[x].fold == "the" && x+1 < len(toks) {
		x++
	}
	t := toks[x]
	if t.place < 0 || t.sep != " " {
		return end
	}
	pl := st.places[t.place].Place
	if e.kind(pl) == places.KindRegion {
		return end
	}
	for x < len(toks) && toks[x].place == t.place {
		x++
	}
	if x < len(toks) && toks[x].sep == " " && !e.speechAt(toks, x) {
		return end // "Maria Ruiz of Chile's senate": more than a country
	}
	if ev.affil == "" && ev.possessor == "" {
		ev.affil = pl
	}
	return x
}

// apposition reads ", a role ..." after a name, the comma at toks[k]: the
// first role in it that is not someone else's title ("US President Donald
// Trump's special envoy" is an envoy), what it is of or for, and "who
// chairs the X" ("chair of the X").
func (r *run) apposition(st *sent, k int, ev *evidence) bool {
	e := r.e
	toks := st.toks
	end := k + 1
	for end < len(toks) && end-k < 14 && !strings.ContainsAny(toks[end].sep, ",;:()") {
		end++
	}
	if toks[k].fold == "who" {
		return e.leads(st, k, end, ev)
	}
	for x := k; x < end; x++ {
		if clauseWords[toks[x].fold] || (e.lx.speech[toks[x].fold] && !toks[x].cap) {
			if x == k {
				return false
			}
			end = x // "a former ambassador to Ghana who has mediated ..."
			break
		}
	}
	for x := k; x < end; x++ {
		n, ph := e.matchRole(toks, x)
		if n == 0 {
			continue
		}
		if toks[x+n-1].poss {
			x += n - 1 // "the president's special envoy": someone else's title
			continue
		}
		if a := x + n; a < end && toks[a].sep == " " && !toks[a-1].poss {
			if ne := e.capSeq(toks, a); ne > a {
				x = ne - 1 // someone else's title
				continue
			}
		}
		*ev = e.roleEvidence(toks, x, n, ph)
		first := e.lookback(st, x, k, ev)
		r.possessive(st, first, ev)
		if ev.affil == "" && ev.possessor == "" {
			ev.affil = r.bodyBefore(st, x) // "a Coast Guard spokeswoman in Honolulu"
		}
		if ev.affil == "" && ev.possessor == "" {
			e.lookahead(st, x+n, ev)
		}
		if ev.affil == "" && ev.possessor == "" {
			ev.affil = r.bodyAfter(st, x+n) // "a spokeswoman for the agency"
		}
		return true
	}
	return false
}

// bodyAfter is the affiliation of the body a title at toks[:j] is of or
// for when the text names it by its noun alone: "a spokeswoman for the
// agency" after "the UN agency said". The body the article named is
// whose the person is, wherever the story was filed from.
func (r *run) bodyAfter(st *sent, j int) string {
	toks := st.toks
	if j+2 >= len(toks) || (toks[j].fold != "for" && toks[j].fold != "of") || toks[j+1].fold != "the" || toks[j].sep != " " || toks[j+1].sep != " " || toks[j+2].sep != " " {
		return ""
	}
	n, noun := r.e.bodyAt(toks, j+2)
	if n == 0 || (j+2+n < len(toks) && toks[j+2+n].sep == " " && toks[j+2+n].cap) {
		return ""
	}
	if b, ok := r.seenNoun(noun); ok {
		return b.affil
	}
	return ""
}

// surnameKey folds a surname so transliterations agree: diacritics go, and
// a final -y, -i, -iy, -yy, -yi or -ij is dropped ("Zelensky", "Zelenskiy",
// "Zelenskyy" are one key).
func surnameKey(s string) string {
	k := places.Key(s)
	if len(k) >= 5 {
		for _, suf := range []string{"yy", "iy", "yi", "ii", "ij", "y", "i"} {
			if strings.HasSuffix(k, suf) && len(k)-len(suf) >= 4 {
				return k[:len(k)-len(suf)]
			}
		}
	}
	return k
}
