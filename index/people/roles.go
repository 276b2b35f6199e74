package people

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

func (e *Extractor) isRoleWord(fold string) bool { return len(e.lx.roles[fold]) > 0 }

// matchRole returns the length in words of the longest role starting at
// toks[i] ("prime minister", "Lt. Gen.", "minister for foreign affairs",
// "minister of water resources"). Ranks and abbreviations match only
// capitalised, as they stand before a name.
func (e *Extractor) matchRole(toks []tok, i int) (int, phrase) {
	t := toks[i]
	if t.quoted {
		return 0, phrase{}
	}
	cands := e.lx.roles[t.fold]
	if x, ok := e.lx.abbrev[t.fold]; ok && t.cap {
		cands = append(append([]phrase(nil), e.lx.roles[x]...), cands...)
	}
	best, bestPh := 0, phrase{}
	for _, ph := range cands {
		if (ph.expand != "" || (ph.rank && !afterArticle(toks, i))) && !t.cap {
			continue // a rank in lower case only as a noun: "a captain of the navy"
		}
		if n := len(ph.words); n > best && e.matchAt(toks, i, ph.words) {
			best, bestPh = n, ph
		}
	}
	if best == 0 {
		return 0, phrase{}
	}
	if e.lx.heads[bestPh.words[len(bestPh.words)-1]] {
		best += e.portfolioAfter(toks, i+best)
	}
	return best, bestPh
}

// portfolioAfter returns how many words after a title at toks[k] name its
// portfolio: "of"/"for" and listed portfolios or words portfolios are made
// of, joined by "and" ("of ports", "of Water Resources", "of energy and
// water": a listed one first does not cut off what is joined to it),
// never a name after them.
func (e *Extractor) portfolioAfter(toks []tok, k int) int {
	if k+1 >= len(toks) || (toks[k].fold != "of" && toks[k].fold != "for") || toks[k].sep != " " {
		return 0
	}
	n := 0
	for x := k + 1; x < len(toks) && x-k <= 6 && toks[x].sep == " " && !toks[x].quoted; {
		if l := e.portfolioAt(toks, x); l > 0 {
			n = x + l - 1 - k
			x += l
			if toks[x-1].poss {
				break
			}
			continue
		}
		f := toks[x].fold
		if x > k+1 && (f == "and" || f == "the") && x+1 < len(toks) && e.portfolioAt(toks, x+1) > 0 {
			x++
			continue
		}
		if f == "the" && x == k+1 {
			x++
			continue
		}
		break
	}
	if n == 0 {
		return 0
	}
	return 1 + n
}

// portfolioAt is the length of a listed portfolio ("foreign affairs") or
// portfolio word at toks[x], 0 when there is none.
func (e *Extractor) portfolioAt(toks []tok, x int) int {
	if toks[x].quoted || (toks[x].sep != " ") {
		return 0
	}
	for _, pf := range e.lx.portfolios[toks[x].fold] {
		if matchWords(toks, x, pf.words) {
			return len(pf.words)
		}
	}
	if e.lx.pwords[toks[x].fold] && !toks[x].poss {
		return 1
	}
	return 0
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

// matchAt is matchWords where a capitalised abbreviation stands for its
// word ("Lt. Gen." for "lieutenant general").
func (e *Extractor) matchAt(toks []tok, i int, ws []string) bool {
	if i+len(ws) > len(toks) {
		return false
	}
	for k, w := range ws {
		t := toks[i+k]
		if (t.fold != w && !(t.cap && e.lx.abbrev[t.fold] == w)) || (k > 0 && t.sep != " " && t.sep != "-") || t.quoted {
			return false
		}
	}
	return true
}

// roleEvidence is what a title of n words at toks[i] says: the role as
// written (abbreviations spelt out), whether it is a rank or a relation,
// and the gender a gendered title tells.
func (e *Extractor) roleEvidence(toks []tok, i, n int, ph phrase) evidence {
	ev := evidence{role: e.surfaceRole(toks[i : i+n]), roleKey: phraseKey(e.surfaceRole(toks[i : i+n])), relation: ph.relation, rank: ph.rank, gender: e.lx.gendered[ph.key]}
	return ev
}

// surfaceRole is a role as written, abbreviations spelt out: "Prime
// Minister", "secretary-general", "Lieutenant General".
func (e *Extractor) surfaceRole(toks []tok) string {
	var b strings.Builder
	for i, t := range toks {
		if i > 0 {
			if t.sep == "-" {
				b.WriteByte('-')
			} else {
				b.WriteByte(' ')
			}
		}
		if x, ok := e.lx.abbrev[t.fold]; ok && t.cap && (len(toks) > 1 || e.lx.dotted[t.fold]) {
			b.WriteString(titleCase(x))
			continue
		}
		b.WriteString(t.raw)
	}
	return b.String()
}

// endsRole reports whether a title ends just before toks[j].
func (e *Extractor) endsRole(toks []tok, j int) bool {
	if toks[j].sep != " " {
		return false
	}
	for x := j - 1; x >= 0 && x >= j-7; x-- {
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

// surface is a phrase as written: "Prime Minister", "secretary-general".
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

// qualify puts t in front of the role when it belongs there: a qualifier
// always ("former president", "shadow foreign secretary", "Vice Foreign
// Minister"), a modifier when the two make a known role ("Special US envoy"
// is a special envoy), a portfolio word before a title that takes one
// ("Veterans Affairs Secretary", "armed forces minister"). It returns the
// new first word of the phrase.
func (e *Extractor) qualify(t tok, ev *evidence, first int) int {
	key := t.fold + " " + ev.roleKey
	if e.lx.qualifiers[t.fold] || (e.lx.modifiers[t.fold] && e.isRole(key)) || (e.lx.pwords[t.fold] && e.takesPortfolio(ev.roleKey)) {
		ev.roleKey = key
		ev.role = t.raw + " " + ev.role
		ev.rank = ev.rank && !e.lx.qualifiers[t.fold]
		return first - 1
	}
	return first
}

// takesPortfolio: "minister", "deputy minister", not "minister of ports".
func (e *Extractor) takesPortfolio(key string) bool {
	ws := strings.Fields(key)
	return len(ws) > 0 && e.lx.heads[ws[len(ws)-1]]
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

// role is the most frequent role: a job before a rank ("Commodore Elif
// Aydın, a spokeswoman" is a spokeswoman), and relations ("son-in-law")
// only when nothing else is known; on a tie, a title written with a
// capital ("Venezuelan President Nicolás Maduro") beats a description
// ("Venezuela's authoritarian leader"). It is written as the articles most
// often write it.
func (p *person) role() string {
	count := map[string]int{}
	capital := map[string]bool{}
	var order []string
	for tier := 0; tier < 3 && len(order) == 0; tier++ {
		for _, ev := range p.ev {
			if ev.roleKey == "" || roleTier(ev) != tier {
				continue
			}
			if count[ev.roleKey] == 0 {
				order = append(order, ev.roleKey)
			}
			count[ev.roleKey]++
			if r, _ := utf8.DecodeRuneInString(ev.role); unicode.IsUpper(r) {
				capital[ev.roleKey] = true
			}
		}
	}
	key, best := "", -1
	for _, k := range order {
		score := 2 * count[k]
		if capital[k] {
			score++
		}
		if score > best {
			key, best = k, score
		}
	}
	if key == "" {
		return ""
	}
	surface, _ := vote(p.ev, func(ev evidence) string {
		if ev.roleKey != key {
			return ""
		}
		return ev.role
	})
	return surface
}

func roleTier(ev evidence) int {
	switch {
	case ev.relation:
		return 2
	case ev.rank:
		return 1
	}
	return 0
}

// hasRole: "envoy" fits a special envoy, "prime minister" a Prime Minister,
// when article art itself gave the person that role (a reader of one
// article cannot know "the envoy" from another); any article when art is
// -1.
func (p *person) hasRole(key, affil string, art int) bool {
	for _, ev := range p.ev {
		if ev.relation || ev.roleKey == "" || (art >= 0 && int(ev.art) != art) {
			continue
		}
		if (ev.roleKey == key || strings.HasSuffix(ev.roleKey, " "+key)) && (affil == "" || ev.affil == affil) {
			return true
		}
	}
	return false
}

func (p *person) hasRoleKey(key string) bool {
	for _, ev := range p.ev {
		if ev.roleKey == key {
			return true
		}
	}
	return false
}

func afterArticle(toks []tok, i int) bool {
	if i == 0 || toks[i].sep != " " {
		return false
	}
	switch toks[i-1].fold {
	case "a", "an", "the":
		return true
	}
	return false
}
