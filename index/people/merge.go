package people

import (
	"slices"
	"strings"

	"github.com/parley-bot/parley/index/places"
)

// person is everyone named, while reading.
type person struct {
	first, sk  string   // folded first name ("" if unknown) and surname key
	givenNames []string // folded words before the surname, in any full form
	keys       []string // the surname keys in run.byKey that lead here
	// wordLists are the folded words of each full name written ("joao
	// carlos nogueira silva"), particles and suffixes left out.
	wordLists [][]string
	seconds   []string       // the keys in run.bySecond that lead here
	unnamed   bool           // a description ("French foreign ministry spokesperson") or a body
	body      bool           // a body that speaks: parley.KindBody
	forms     map[string]int // full names as written
	order     []string
	aliases   map[string]bool
	ev        []evidence
	gender    map[string]int
	articles  []int
	mentions  int
	lastSeen  int  // index in run.sents of the last mention, -1
	gone      bool // merged into another person by foldSurnames
}

// person returns the index of the person named by the words name (a
// name as capSeq reads it), written full, creating it, and notes what ev
// says of them. A title without an affiliation takes the context's.
func (r *run) person(name []tok, full string, ev evidence, st *sent) int {
	ws := r.nameWords(name)
	if len(ws) == 0 {
		return -1
	}
	articleIdx := int(st.art)
	last := ws[len(ws)-1]
	sk := surnameKey(last)
	first := ""
	if len(ws) > 1 {
		first = places.Fold(ws[0])
	}
	var fws []string // the name's words folded, for the rules of full names
	if len(ws) > 1 {
		fws = make([]string, len(ws))
		for i, w := range ws {
			fws[i] = places.Fold(w)
		}
	}
	idx := r.sameName(sk, first, ev, articleIdx)
	if idx < 0 && first != "" {
		idx = r.compoundName(fws, articleIdx)
	}
	if idx < 0 && first != "" {
		// "Andrii Hnatiuk" for "Andriy Hnatyuk", "Kenji Takahashi" for
		// "Takahashi Kenji".
		idx = r.sameForm(fws, articleIdx)
	}
	if idx < 0 && first == "" {
		// "Sir Gareth", "Sheikh Saif", "Tesfaye": the one person this
		// article named in full with that given name.
		idx = r.byGivenHere(places.Fold(last), articleIdx)
	}
	if idx < 0 && first != "" {
		for _, i := range r.byKey[sk] {
			// "Steven" for "Steve": one given name the short form of the other.
			if q := r.persons[i]; !q.unnamed && shortForm(q.first, first) && idx < 0 {
				idx = i
			}
		}
	}
	if idx < 0 && first != "" && len(sk) >= 6 {
		// One letter apart on a long surname with the same first name.
		for _, i := range r.byFirst[first] {
			if k := r.persons[i].sk; abs(len(k)-len(sk)) <= 1 && osa(k, sk) <= 1 {
				idx = i
			}
		}
	}
	if idx < 0 && first == "" && ev.roleKey != "" {
		// A surname alone after a title, one letter from someone with the
		// same title ("President Zelenskij").
		idx = r.near(sk, func(p *person) bool { return p.hasRoleKey(ev.roleKey) })
	}
	if idx < 0 {
		idx = len(r.persons)
		r.persons = append(r.persons, &person{first: first, sk: sk, forms: map[string]int{}, aliases: map[string]bool{}, gender: map[string]int{}, lastSeen: -1})
	}
	if !slices.Contains(r.byKey[sk], idx) && (first != "" || r.persons[idx].sk == sk) {
		r.byKey[sk] = append(r.byKey[sk], idx)
		p := r.persons[idx]
		p.keys = append(p.keys, sk)
		if len(sk) >= 7 {
			for _, e := range ends(sk) {
				r.byEnds[e] = append(r.byEnds[e], idx)
			}
		}
	}
	p := r.persons[idx]
	if p.first == "" && first != "" {
		p.first = first
	}
	if first != "" && !slices.Contains(r.byFirst[first], idx) {
		r.byFirst[first] = append(r.byFirst[first], idx)
	}
	if p.forms[full] == 0 {
		p.order = append(p.order, full)
	}
	p.forms[full]++
	p.aliases[full] = true
	for _, w := range fws[:max(len(fws)-1, 0)] {
		p.givenNames = appendOnceS(p.givenNames, w)
	}
	if len(fws) > 1 {
		r.addWords(idx, name, fws)
	}
	r.addEvidence(idx, ev, st)
	return idx
}

// addWords notes the words of a full name written for person idx: for
// compound surnames (compoundName), the first of two surnames (secondKey)
// and the name's form with its variants (formKey).
func (r *run) addWords(idx int, name []tok, fws []string) {
	p := r.persons[idx]
	for _, l := range p.wordLists {
		if slices.Equal(l, fws) {
			return
		}
	}
	p.wordLists = append(p.wordLists, fws)
	if k := r.secondKey(name); k != "" && k != p.sk && !slices.Contains(r.bySecond[k], idx) {
		r.bySecond[k] = append(r.bySecond[k], idx)
		p.seconds = appendOnceS(p.seconds, k)
	}
	if k := formKey(fws); !slices.Contains(r.byForm[k], idx) {
		r.byForm[k] = append(r.byForm[k], idx)
	}
}

// secondKey is the surname key of the second-last word of a name of three
// words or more, when it may be the first of two surnames, the one Spanish
// and Portuguese writing uses alone ("Quispe" of Rosa María Quispe Mamani,
// "Fuente" of Ignacio de la Fuente Ortúzar); not an initial, the second
// half of a hyphenated given name ("Jan-Willem"), a father's name after
// bin or ibn, or a Russian patronymic. It is "" when there is none.
func (r *run) secondKey(name []tok) string {
	words := r.nameIndexes(name)
	if len(words) < 3 {
		return ""
	}
	k := words[len(words)-2]
	t := name[k]
	if initial(t.raw) || len(t.fold) < 3 || t.sep == "-" || (k > 0 && r.e.lx.particles[name[k-1].fold] && patronymicParticle[name[k-1].fold]) || patronymic(t.fold) {
		return ""
	}
	return surnameKey(t.raw)
}

// patronymicParticle marks the father's name after it ("bin Rashid").
var patronymicParticle = map[string]bool{"bin": true, "ibn": true, "ben": true, "bint": true, "binti": true, "ould": true}

// patronymic reports whether w is an East Slavic patronymic ("Petrovich",
// "Sergeyevna").
func patronymic(w string) bool {
	for _, suf := range []string{"ovich", "evich", "ovna", "evna", "ichna", "ych"} {
		if strings.HasSuffix(w, suf) && len(w) > len(suf)+2 {
			return true
		}
	}
	return false
}

// compoundName finds the person a name of two or more words stands for
// when Spanish or Portuguese writing shortens a name of two surnames: the
// surnames alone ("Nogueira da Silva" for João Carlos Nogueira da Silva,
// "Treviño Garza"), or the given names and the first surname ("Rosa María
// Quispe" for Rosa María Quispe Mamani). The one such person of this
// article, else of all articles read; -1 when there is none or several.
func (r *run) compoundName(fws []string, art int) int {
	var cands []int
	for _, i := range r.byKey[surnameKey(fws[len(fws)-1])] {
		for _, l := range r.persons[i].wordLists {
			if len(l) > len(fws) && slices.Equal(l[len(l)-len(fws):], fws) {
				cands = appendOnce(cands, i)
			}
		}
	}
	if len(fws) >= 2 {
		for _, i := range r.bySecond[surnameKey(fws[len(fws)-1])] {
			for _, l := range r.persons[i].wordLists {
				if len(l) == len(fws)+1 && slices.Equal(l[:len(fws)], fws) {
					cands = appendOnce(cands, i)
				}
			}
		}
	}
	return r.oneOf(cands, art)
}

// oneOf is the one person of cands this article names, else the only one.
func (r *run) oneOf(cands []int, art int) int {
	found := -1
	for _, i := range cands {
		if p := r.persons[i]; !p.unnamed && !p.gone && p.inArticle(art) {
			if found >= 0 {
				return -1
			}
			found = i
		}
	}
	if found >= 0 {
		return found
	}
	for _, i := range cands {
		if p := r.persons[i]; !p.unnamed && !p.gone {
			if found >= 0 {
				return -1
			}
			found = i
		}
	}
	return found
}

// sameForm finds the person whose full name has the same words as ws up
// to transliteration ("Andrii Hnatiuk", "Andriy Hnatyuk") or, for a name
// of two words, in the other order (East Asian names written family name
// first or last: "Takahashi Kenji", "Kenji Takahashi").
func (r *run) sameForm(fws []string, art int) int {
	cands := slices.Clone(r.byForm[formKey(fws)])
	if len(fws) == 2 {
		for _, i := range r.byForm[formKey([]string{fws[1], fws[0]})] {
			cands = appendOnce(cands, i)
		}
	}
	return r.oneOf(cands, art)
}

// formKey is a name's folded words with the letters transliterations
// disagree on made one: y and i ("Andriy", "Andrii"; "Hnatyuk",
// "Hnatiuk"), a doubled i ("Zelenskii").
func formKey(fws []string) string {
	var b strings.Builder
	for i, w := range fws {
		if i > 0 {
			b.WriteByte(' ')
		}
		prev := byte(0)
		for j := 0; j < len(w); j++ {
			c := w[j]
			if c == 'y' {
				c = 'i'
			}
			if c == 'i' && prev == 'i' {
				continue
			}
			b.WriteByte(c)
			prev = c
		}
	}
	return b.String()
}

// nameWords are a name's words without a generational suffix ("Jr.") or
// the particles that join it.
func (r *run) nameWords(name []tok) []string {
	var ws []string
	for _, k := range r.nameIndexes(name) {
		ws = append(ws, name[k].raw)
	}
	return ws
}

// nameIndexes are where nameWords' words stand in name.
func (r *run) nameIndexes(name []tok) []int {
	var ks []int
	for k, t := range name {
		if k > 0 && k == len(name)-1 && r.e.lx.suffixes[t.fold] {
			break
		}
		if r.e.lx.particles[t.fold] || (r.e.lx.capParticle[t.fold] && k+1 < len(name)) {
			continue
		}
		ks = append(ks, k)
	}
	return ks
}

// addEvidence notes what one context says of person idx; a title with no
// affiliation of its own takes the paragraph's, the opening place's or the
// dateline's, as weaker evidence.
func (r *run) addEvidence(idx int, ev evidence, st *sent) {
	if idx < 0 {
		return
	}
	p := r.persons[idx]
	if ev.roleKey != "" {
		r.roleHolders[int(st.art)] = appendOnce(r.roleHolders[int(st.art)], idx)
	}
	if ev != (evidence{}) {
		ev.art = st.art
		p.ev = append(p.ev, ev)
		if ev.affil != "" && ev.level == affilText && !ev.private {
			r.para.affils = appendOnceS(r.para.affils, ev.affil)
		}
	}
	if ev.roleKey != "" && !ev.relation && ev.affil == "" {
		// With a possessor ("Assam's water resources minister") the
		// context is weaker evidence that a known possessor outweighs.
		if affil, level := r.context(st); affil != "" {
			p.ev = append(p.ev, evidence{affil: affil, level: int8(level), art: st.art})
		}
	}
	if ev.gender != "" {
		p.gender[ev.gender]++
	}
	p.seenIn(int(st.art))
}

// byGivenHere is the one person of article art whose given name is w.
func (r *run) byGivenHere(w string, art int) int {
	found := -1
	for _, i := range r.byFirst[w] {
		if p := r.persons[i]; !p.unnamed && p.inArticle(art) {
			if found >= 0 {
				return -1
			}
			found = i
		}
	}
	return found
}

// shortForm: "steve" and "steven", "alex" and "alexa": one given name
// begins the other, which is at most two letters longer.
func shortForm(a, b string) bool {
	if a == "" || b == "" || a == b {
		return false
	}
	if len(a) > len(b) {
		a, b = b, a
	}
	return len(a) >= 4 && len(b)-len(a) <= 2 && strings.HasPrefix(b, a)
}

// sameName finds the person, while reading article articleIdx, that a name
// with surname key sk and folded given name first (or "") belongs to: the
// one with that given name; else one this article already names (a
// surname alone, or a full name for someone so far known by surname). A
// surname alone is otherwise someone new for now: foldSurnames settles it
// once every article is read, so that "Minister Holm" early in an article
// can still be the "Erik Holm" it names later.
func (r *run) sameName(sk, first string, ev evidence, articleIdx int) int {
	var here []int
	for _, i := range r.byKey[sk] {
		p := r.persons[i]
		if p.unnamed {
			continue
		}
		if first != "" && p.first == first {
			return i
		}
		if (first == "" || p.first == "") && p.inArticle(articleIdx) {
			here = append(here, i)
		}
	}
	if len(here) == 1 {
		return here[0]
	}
	found := -1
	for _, i := range here {
		if r.persons[i].sameTitle(ev) {
			if found >= 0 {
				return -1
			}
			found = i
		}
	}
	return found
}

// sameTitleAs reports whether p and q were given one title and country.
func (p *person) sameTitleAs(q *person) bool {
	for _, ev := range q.ev {
		if ev.roleKey != "" && p.sameTitle(ev) {
			return true
		}
	}
	return false
}

func (p *person) sameTitle(ev evidence) bool {
	for _, x := range p.ev {
		if x.roleKey == ev.roleKey && x.affil == ev.affil {
			return true
		}
	}
	return false
}

// ends are the buckets of a surname key for near matches: its first and
// its last three letters. One edit to a key of seven letters or more leaves
// one of them whole.
func ends(sk string) [2]string {
	return [2]string{"<" + sk[:3], sk[len(sk)-3:] + ">"}
}

// near returns the one person whose surname key is one edit from sk and
// who passes ok, or -1.
func (r *run) near(sk string, ok func(*person) bool) int {
	if len(sk) < 7 {
		return -1
	}
	found := -1
	for _, e := range ends(sk) {
		for _, i := range r.byEnds[e] {
			p := r.persons[i]
			if i == found || p.unnamed || !ok(p) {
				continue
			}
			if abs(len(p.sk)-len(sk)) <= 1 && osa(p.sk, sk) <= 1 {
				if found >= 0 {
					return -1
				}
				found = i
			}
		}
	}
	return found
}

// seenIn notes an article; articles are read in order, so a repeat is
// nearly always the last one noted (write sorts and dedupes the rest).
func (p *person) seenIn(a int) {
	if n := len(p.articles); n > 0 && p.articles[n-1] == a {
		return
	}
	p.articles = append(p.articles, a)
}

// inArticle reports whether pass 1 met the person in article a; pass 1
// reads articles in order, so p.articles is sorted then.
func (p *person) inArticle(a int) bool {
	_, ok := slices.BinarySearch(p.articles, a)
	return ok
}

func appendOnceS(s []string, x string) []string {
	if slices.Contains(s, x) {
		return s
	}
	return append(s, x)
}

// given reports whether w is one of the person's given names.
func (p *person) given(w string) bool { return slices.Contains(p.givenNames, w) }

func appendOnce(s []int, x int) []int {
	if slices.Contains(s, x) {
		return s
	}
	return append(s, x)
}

func (r *run) unnamed(name string, ev evidence, st *sent) int {
	articleIdx := st.art
	ev.art = articleIdx
	if i, ok := r.byUnnamed[name]; ok {
		p := r.persons[i]
		p.ev = append(p.ev, ev)
		p.seenIn(int(articleIdx))
		return i
	}
	r.byUnnamed[name] = len(r.persons)
	r.persons = append(r.persons, &person{unnamed: true, forms: map[string]int{name: 1}, order: []string{name}, aliases: map[string]bool{}, gender: map[string]int{}, ev: []evidence{ev}, lastSeen: -1})
	r.persons[len(r.persons)-1].seenIn(int(articleIdx))
	if ev.roleKey != "" {
		r.roleHolders[int(articleIdx)] = appendOnce(r.roleHolders[int(articleIdx)], len(r.persons)-1)
	}
	if ev.affil != "" {
		r.para.affils = appendOnceS(r.para.affils, ev.affil)
	}
	return len(r.persons) - 1
}

// foldSurnames settles the people known only by a surname after a title
// ("Kenyan ambassador Engstrom"), once every article is read: into the one
// person of that surname with a given name whom the same article names;
// else into the one such person anywhere (or the one with the same title
// and country); else together with the others of that surname and title.
// Then it rebuilds the indexes.
func (r *run) foldSurnames() {
	merged := false
	for i, p := range r.persons {
		if p.unnamed || p.first != "" || p.gone {
			continue
		}
		var here, anywhere, titled, single []int
		for _, j := range r.byKey[p.sk] {
			q := r.persons[j]
			if j == i || q.unnamed || q.gone {
				continue
			}
			if q.first == "" {
				if q.sameTitleAs(p) {
					single = append(single, j)
				}
				continue
			}
			anywhere = append(anywhere, j)
			if q.sameTitleAs(p) {
				titled = append(titled, j)
			}
			for _, a := range p.articles {
				if q.inArticle(a) {
					here = append(here, j)
					break
				}
			}
		}
		target := -1
		switch {
		case len(here) == 1:
			target = here[0]
		case len(here) > 1:
			// Two of that surname in the article: the one with the title.
			var t []int
			for _, j := range here {
				if slices.Contains(titled, j) {
					t = append(t, j)
				}
			}
			if len(t) == 1 {
				target = t[0]
			}
		case len(anywhere) == 1:
			target = anywhere[0]
		case len(titled) == 1:
			target = titled[0]
		case len(anywhere) == 0 && len(single) > 0:
			target = single[0]
		case len(anywhere) == 0:
			// "Foreign Minister Sompong" where another article names
			// "Sompong Rattanakul": traditions that call people by their
			// given name (Thai, Ethiopian, Icelandic).
			target = r.byGiven(p)
			if target < 0 {
				// "De la Fuente" for Ignacio de la Fuente Ortúzar: the
				// first of two surnames.
				target = r.oneOf(slices.DeleteFunc(slices.Clone(r.bySecond[p.sk]), func(j int) bool { return j == i }), p.articles[0])
			}
		}
		if target >= 0 {
			r.merge(target, i)
			merged = true
		}
	}
	if !merged {
		return
	}
	live := func(is []int) []int {
		out := is[:0]
		for _, i := range is {
			if !r.persons[i].gone {
				out = append(out, i)
			}
		}
		return out
	}
	for _, m := range []map[string][]int{r.byKey, r.byFirst, r.byEnds, r.bySecond, r.byForm} {
		for k, is := range m {
			m[k] = live(is)
		}
	}
	for k, is := range r.roleHolders {
		r.roleHolders[k] = live(is)
	}
}

// byGiven is the one person named in full whose given name is p's only
// name: in p's articles first, else anywhere, else the one with p's title.
func (r *run) byGiven(p *person) int {
	var here, anywhere, titled []int
	for _, j := range r.byFirst[p.sk] {
		q := r.persons[j]
		if q == p || q.unnamed || q.gone || q.first != p.sk {
			continue
		}
		anywhere = append(anywhere, j)
		if q.sameTitleAs(p) {
			titled = append(titled, j)
		}
		for _, a := range p.articles {
			if q.inArticle(a) {
				here = append(here, j)
				break
			}
		}
	}
	switch {
	case len(here) == 1:
		return here[0]
	case len(here) == 0 && len(anywhere) == 1:
		return anywhere[0]
	case len(here) == 0 && len(titled) == 1:
		return titled[0]
	}
	return -1
}

// merge moves everything known about person src to dst.
func (r *run) merge(dst, src int) {
	d, s := r.persons[dst], r.persons[src]
	for _, f := range s.order {
		if d.forms[f] == 0 {
			d.order = append(d.order, f)
		}
		d.forms[f] += s.forms[f]
	}
	for a := range s.aliases {
		d.aliases[a] = true
	}
	d.ev = append(d.ev, s.ev...)
	for g, n := range s.gender {
		d.gender[g] += n
	}
	d.articles = append(d.articles, s.articles...)
	slices.Sort(d.articles)
	d.articles = slices.Compact(d.articles)
	for _, k := range s.keys {
		r.byKey[k] = appendOnce(r.byKey[k], dst)
		d.keys = appendOnceS(d.keys, k)
	}
	for _, k := range s.seconds {
		r.bySecond[k] = appendOnce(r.bySecond[k], dst)
		d.seconds = appendOnceS(d.seconds, k)
	}
	for _, l := range s.wordLists {
		if !slices.ContainsFunc(d.wordLists, func(x []string) bool { return slices.Equal(x, l) }) {
			d.wordLists = append(d.wordLists, l)
		}
		k := formKey(l)
		r.byForm[k] = appendOnce(r.byForm[k], dst)
	}
	for _, a := range s.articles {
		if is := r.roleHolders[a]; slices.Contains(is, src) {
			r.roleHolders[a] = appendOnce(is, dst)
		}
	}
	s.gone = true
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}
