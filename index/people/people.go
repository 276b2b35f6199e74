// Package people finds the people news articles name, with their roles and
// affiliations, merges their spellings, resolves clear pronouns, and gives
// each sentence with speech a speaker.
//
// Everything comes from general rules over the way news writing introduces
// people ("French President Emmanuel Macron", "Jared Kushner, Donald Trump's
// special envoy", "Venezuela's leader, Nicolás Maduro", "X said") and from
// two data files: roles.json here and the places gazetteer.
package people

import (
	"fmt"
	"slices"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/parley-bot/parley"
	"github.com/parley-bot/parley/index/places"
)

// Extractor annotates articles. It holds only read-only data after New and
// is safe for concurrent use.
type Extractor struct {
	g  *places.Gazetteer
	lx *lexicon
}

// New returns an extractor using g for places and the embedded role data.
func New(g *places.Gazetteer) (*Extractor, error) {
	if g == nil {
		return nil, fmt.Errorf("people: nil gazetteer")
	}
	lx, err := loadLexicon(rolesJSON)
	if err != nil {
		return nil, err
	}
	return &Extractor{g: g, lx: lx}, nil
}

// Annotate fills Speaker, Kind, People and Places on every sentence of every
// article, in place, and returns the people named across the articles,
// ranked by the number of sentences mentioning them.
func (e *Extractor) Annotate(articles []*parley.Article) []parley.Person {
	r := &run{e: e, arts: articles, byKey: map[string][]int{}, byFirst: map[string][]int{}, byEnds: map[string][]int{}, roleHolders: map[int][]int{}, byUnnamed: map[string]int{}}
	// Pass 1: read every sentence, collecting the people that context
	// introduces (roles, appositions, speech).
	for ai, a := range articles {
		if a == nil {
			continue
		}
		open := false
		lastPara := -1
		for si := range a.Sentences {
			s := &a.Sentences[si]
			if s.Start < 0 || s.End > len(a.Text) || s.Start > s.End {
				continue
			}
			if s.Paragraph != lastPara {
				open = false
				lastPara = s.Paragraph
			}
			st := &sent{art: ai, idx: si, para: s.Paragraph, openStart: open, speaker: -1}
			st.toks, st.quotes, open = tokenize(a.Text, s.Start, s.End, open, e.lx.dotted)
			st.openEnd = open
			st.places = e.g.Find(a.Text[s.Start:s.End])
			// Matches and words are both in text order: one sweep.
			ti := 0
			for pi, m := range st.places {
				for ti < len(st.toks) && st.toks[ti].start < s.Start+m.Start {
					ti++
				}
				for ti < len(st.toks) && st.toks[ti].end <= s.Start+m.End {
					st.toks[ti].place = pi
					ti++
				}
			}
			r.sents = append(r.sents, st)
			r.introduce(st)
		}
	}
	r.foldSurnames()
	r.resolvePossessors()
	// Pass 2: mentions, pronouns, speakers.
	for i, st := range r.sents {
		r.mentions(i, st)
		r.speech(i)
	}
	r.propagateQuotes()
	return r.write(articles)
}

// sent is one sentence being read.
type sent struct {
	art, idx, para     int
	toks               []tok
	quotes             []span
	places             []places.Match
	openStart, openEnd bool
	// found in pass 2
	ments      []mention
	speaker    int // person index or -1
	kind       string
	speechVerb bool
	hasSpeech  bool
}

type mention struct {
	person     int
	first, end int // token range, honorific and role included
	name       int // where the name itself starts; -1 for a pronoun or title
	subject    bool
}

// evidence is what one context says about a person.
type evidence struct {
	role, roleKey string
	relation      bool
	affil         string
	possessor     string // name of a person whose role this is ("Trump's envoy")
	gender        string
	art           int // the article that says it
}

// person is everyone named, while reading.
type person struct {
	first, sk  string   // folded first name ("" if unknown) and surname key
	givenNames []string // folded words before the surname, in any full form
	keys       []string // the surname keys in run.byKey that lead here
	unnamed    bool
	forms      map[string]int // full names as written
	order      []string
	aliases    map[string]bool
	ev         []evidence
	gender     map[string]int
	articles   []int
	mentions   int
	lastSeen   int  // index in run.sents of the last mention, -1
	gone       bool // merged into another person by foldSurnames
}

type run struct {
	e       *Extractor
	arts    []*parley.Article
	sents   []*sent
	persons []*person
	byKey   map[string][]int // surname key -> persons
	byFirst map[string][]int // folded first name -> persons
	byEnds  map[string][]int // see ends
	// roleHolders lists, per article, the people it gives a role.
	roleHolders map[int][]int
	byUnnamed   map[string]int
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

// person returns the index of the person with this name, creating it.
// person returns the index of the person named by the words name, written
// full, creating it.
func (r *run) person(name []string, full string, ev evidence, articleIdx int) int {
	if len(name) == 0 {
		return -1
	}
	last := name[len(name)-1]
	sk := surnameKey(last)
	first := ""
	if len(name) > 1 {
		first = places.Fold(name[0])
	}
	idx := r.sameName(sk, first, ev, articleIdx)
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
	if !slices.Contains(r.byKey[sk], idx) {
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
	if ev.roleKey != "" {
		r.roleHolders[articleIdx] = appendOnce(r.roleHolders[articleIdx], idx)
	}
	if p.forms[full] == 0 {
		p.order = append(p.order, full)
	}
	p.forms[full]++
	p.aliases[full] = true
	for _, w := range name[:len(name)-1] {
		p.givenNames = appendOnceS(p.givenNames, places.Fold(w))
	}
	if ev != (evidence{}) {
		ev.art = articleIdx
		p.ev = append(p.ev, ev)
	}
	if ev.gender != "" {
		p.gender[ev.gender]++
	}
	p.seenIn(articleIdx)
	return idx
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

func (p *person) hasRoleKey(key string) bool {
	for _, ev := range p.ev {
		if ev.roleKey == key {
			return true
		}
	}
	return false
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

func (r *run) unnamed(name string, ev evidence, articleIdx int) int {
	ev.art = articleIdx
	if i, ok := r.byUnnamed[name]; ok {
		p := r.persons[i]
		p.ev = append(p.ev, ev)
		p.seenIn(articleIdx)
		return i
	}
	r.byUnnamed[name] = len(r.persons)
	r.persons = append(r.persons, &person{unnamed: true, forms: map[string]int{name: 1}, order: []string{name}, aliases: map[string]bool{}, gender: map[string]int{}, ev: []evidence{ev}, lastSeen: -1})
	r.persons[len(r.persons)-1].seenIn(articleIdx)
	if ev.roleKey != "" {
		r.roleHolders[articleIdx] = appendOnce(r.roleHolders[articleIdx], len(r.persons)-1)
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
	for _, m := range []map[string][]int{r.byKey, r.byFirst, r.byEnds} {
		for k, is := range m {
			m[k] = live(is)
		}
	}
	for k, is := range r.roleHolders {
		r.roleHolders[k] = live(is)
	}
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
	for _, a := range s.articles {
		if is := r.roleHolders[a]; slices.Contains(is, src) {
			r.roleHolders[a] = appendOnce(is, dst)
		}
	}
	s.gone = true
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

// canonical is the most frequent full name ("First Last"; a single name
// only when no full one is known), spellings that differ only in accents
// counted together; among those spellings the most frequent, the accented
// one on a tie (the more careful spelling).
func (p *person) canonical() string {
	if p.unnamed {
		return p.order[0]
	}
	merged := map[string]int{}
	multi := false
	for f, c := range p.forms {
		merged[places.Fold(f)] += c
		multi = multi || strings.Contains(f, " ")
	}
	bestKey, n := "", 0
	for _, f := range p.order {
		if multi && !strings.Contains(f, " ") {
			continue
		}
		if c := merged[places.Fold(f)]; c > n {
			bestKey, n = places.Fold(f), c
		}
	}
	best, bn := "", 0
	for _, f := range p.order {
		if places.Fold(f) != bestKey {
			continue
		}
		if c := p.forms[f]; c > bn || (c == bn && !isASCII(f) && isASCII(best)) {
			best, bn = f, c
		}
	}
	return best
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

func (r *run) write(articles []*parley.Article) []parley.Person {
	names := make([]string, len(r.persons))
	for i, p := range r.persons {
		names[i] = p.canonical()
	}
	for _, st := range r.sents {
		a := articles[st.art]
		s := &a.Sentences[st.idx]
		s.People = nil
		seen := map[int]bool{}
		ms := st.ments
		if st.speaker >= 0 {
			ms = append(ms, mention{person: st.speaker, name: -1})
		}
		for _, m := range ms {
			if !seen[m.person] {
				seen[m.person] = true
				s.People = append(s.People, names[m.person])
				r.persons[m.person].mentions++
				r.persons[m.person].seenIn(st.art)
			}
		}
		s.Places = nil
		seenPl := map[string]bool{}
		for pi, m := range st.places {
			if seenPl[m.Place] || r.inName(st, pi) {
				continue
			}
			seenPl[m.Place] = true
			s.Places = append(s.Places, m.Place)
		}
		s.Speaker, s.Kind = "", st.kind
		if st.speaker >= 0 {
			s.Speaker = names[st.speaker]
		}
	}
	var out []parley.Person
	for i, p := range r.persons {
		if p.mentions == 0 {
			continue
		}
		role := p.role()
		affil, _ := vote(p.ev, func(ev evidence) string { return ev.affil })
		pp := parley.Person{Name: names[i], Role: role, Affiliation: affil, Mentions: p.mentions}
		sort.Ints(p.articles)
		for _, ai := range slices.Compact(p.articles) {
			pp.Articles = append(pp.Articles, articles[ai].ID)
		}
		for a := range p.aliases {
			if a != names[i] {
				pp.Aliases = append(pp.Aliases, a)
			}
		}
		sort.Strings(pp.Aliases)
		out = append(out, pp)
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Mentions != out[j].Mentions {
			return out[i].Mentions > out[j].Mentions
		}
		return out[i].Name < out[j].Name
	})
	return out
}

// inName reports whether place match pi is a word of a person's name
// ("Jordan" in "Jordan Bardella").
func (r *run) inName(st *sent, pi int) bool {
	for _, m := range st.ments {
		for x := max(m.name, m.first); x < m.end && m.name >= 0; x++ {
			if st.toks[x].place == pi {
				return true
			}
		}
	}
	return false
}

// role is the most frequent role, relations ("son-in-law") only when no
// role is known; on a tie, a title written with a capital ("Venezuelan
// President Nicolás Maduro") beats a description ("Venezuela's
// authoritarian leader"). It is written as the articles most often write it.
func (p *person) role() string {
	count := map[string]int{}
	capital := map[string]bool{}
	var order []string
	for _, rel := range []bool{false, true} {
		for _, ev := range p.ev {
			if ev.roleKey == "" || ev.relation != rel {
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
		if len(order) > 0 {
			break
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

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}
