// Package places is Parley's gazetteer: countries, their short forms,
// demonyms, capitals and seats of government, and international
// organisations, so that "Britain", "U.K.", "British", "London" and
// "Downing Street" all name the United Kingdom.
//
// The data is general knowledge kept as two embedded files: countries.json,
// derived from the world-countries package (ODbL, see ATTRIBUTION.md and
// internal/gen), and extra.json, kept by hand.
package places

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"math/bits"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"
)

//go:embed countries.json
var countriesJSON []byte

//go:embed extra.json
var extraJSON []byte

// Kinds of place.
const (
	KindCountry      = "country"
	KindOrganization = "organization"
	// KindRegion is a place that is no country and no body ("Middle East",
	// "Europe"): it is found in text so that its words are not read as a
	// country ("Latin America" is not America), but it is never a person's
	// affiliation.
	KindRegion = "region"
)

// Place is a country, organisation or region.
type Place struct {
	// Name is the canonical name ("United Kingdom").
	Name string `json:"name"`
	// Kind is KindCountry, KindOrganization or KindRegion.
	Kind string `json:"kind"`
	// Code is the ISO 3166-1 alpha-3 code of a country, else "".
	Code string `json:"code,omitempty"`
	// Aliases are every surface form, Name included.
	Aliases []string `json:"aliases"`
	// PartOf is the organisation an organisation belongs to (UNICEF and
	// the World Food Programme are the United Nations', the European
	// Commission the European Union's), else "".
	PartOf string `json:"part_of,omitempty"`
}

// Match is one mention of a place in a text: text[Start:End] == Surface.
type Match struct {
	Start, End int
	// Place is the canonical name.
	Place   string
	Surface string
}

// Gazetteer finds and looks up places. It is safe for concurrent use.
type Gazetteer struct {
	places []Place
	// byFirst indexes aliases by their first folded token, longest first.
	byFirst map[string][]alias
	// keys maps Key(alias) to a place index, for Lookup.
	keys map[string]int
	// fuzzy lists the keys Suggest may correct towards, by length.
	fuzzy map[int][]fuzzyKey
}

type alias struct {
	place  int
	toks   []string // folded tokens
	raws   []string // tokens as written, for the case rules
	seps   []string // normalised separators between tokens
	dot    bool     // the alias ends with '.' ("U.S.")
	abbrev bool     // no lower-case letter ("US", "NATO", "G7", "U.K.")
}

type fuzzyKey struct {
	key   string
	place int
	// bytes has a bit for each byte value in key, modulo 64 (symbols).
	bytes uint64
}

// symbols is the set of a key's bytes, modulo 64, as bits: a typo's
// distance to a key is at least the number of symbols either has that the
// other lacks (an edit adds or removes at most one symbol on each side),
// so most keys need no distance computed.
func symbols(k string) uint64 {
	var m uint64
	for i := 0; i < len(k); i++ {
		m |= 1 << (k[i] % 64)
	}
	return m
}

type dataFile struct {
	Places []Place `json:"places"`
}

// Load builds the gazetteer from the embedded data.
func Load() (*Gazetteer, error) {
	var countries, extra dataFile
	if err := json.Unmarshal(countriesJSON, &countries); err != nil {
		return nil, fmt.Errorf("places: countries.json: %w", err)
	}
	if err := json.Unmarshal(extraJSON, &extra); err != nil {
		return nil, fmt.Errorf("places: extra.json: %w", err)
	}
	return build(countries.Places, extra.Places)
}

// build merges extra over base: an extra entry naming a base place adds
// aliases to it, any other is a new place. Earlier places keep an alias that
// a later one repeats, except that a place's own name always names it.
func build(base, extra []Place) (*Gazetteer, error) {
	g := &Gazetteer{byFirst: map[string][]alias{}, keys: map[string]int{}, fuzzy: map[int][]fuzzyKey{}}
	index := map[string]int{}
	for _, p := range base {
		if p.Kind == "" {
			p.Kind = KindCountry
		}
		index[p.Name] = len(g.places)
		g.places = append(g.places, p)
	}
	for _, p := range extra {
		if i, ok := index[p.Name]; ok {
			g.places[i].Aliases = append(g.places[i].Aliases, p.Aliases...)
			if p.PartOf != "" {
				g.places[i].PartOf = p.PartOf
			}
			continue
		}
		if p.Kind == "" {
			return nil, fmt.Errorf("places: extra place %q: no kind and no such country", p.Name)
		}
		index[p.Name] = len(g.places)
		g.places = append(g.places, p)
	}
	for _, p := range g.places {
		if _, ok := index[p.PartOf]; p.PartOf != "" && !ok {
			return nil, fmt.Errorf("places: %q is part of %q, which is no place", p.Name, p.PartOf)
		}
	}
	for i := range g.places {
		p := &g.places[i]
		if !contains(p.Aliases, p.Name) {
			p.Aliases = append([]string{p.Name}, p.Aliases...)
		}
		p.Aliases = dedupe(p.Aliases)
		g.keys[Key(p.Name)] = i
	}
	for i, p := range g.places {
		for _, s := range p.Aliases {
			k := Key(s)
			if k == "" {
				continue
			}
			if _, taken := g.keys[k]; !taken {
				g.keys[k] = i
			}
			if g.keys[k] != i {
				continue // another place's name or earlier alias
			}
			a, ok := compile(s, i)
			if !ok {
				continue
			}
			g.byFirst[a.toks[0]] = append(g.byFirst[a.toks[0]], a)
			if !a.abbrev && len(k) >= 4 {
				g.fuzzy[len(k)] = append(g.fuzzy[len(k)], fuzzyKey{key: k, place: i, bytes: symbols(k)})
			}
		}
	}
	for k, as := range g.byFirst {
		sort.SliceStable(as, func(i, j int) bool { return len(as[i].toks) > len(as[j].toks) })
		g.byFirst[k] = as
	}
	return g, nil
}

func contains(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}

func dedupe(ss []string) []string {
	seen := make(map[string]bool, len(ss))
	out := ss[:0]
	for _, s := range ss {
		if s = strings.TrimSpace(s); s != "" && !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}

func compile(s string, place int) (alias, bool) {
	toks := tokenize(s)
	if len(toks) == 0 {
		return alias{}, false
	}
	a := alias{place: place, abbrev: true}
	for i, t := range toks {
		a.toks = append(a.toks, t.fold)
		a.raws = append(a.raws, s[t.start:t.end])
		if i > 0 {
			a.seps = append(a.seps, normSep(s[toks[i-1].end:t.start]))
		}
	}
	for _, r := range s {
		if unicode.IsLower(r) {
			a.abbrev = false
			break
		}
	}
	a.dot = strings.HasSuffix(s, ".")
	return a, true
}

// token is a maximal run of letters, digits and combining marks.
type token struct {
	start, end int
	fold       string
}

func tokenize(s string) []token {
	toks := make([]token, 0, len(s)/5+1)
	// The folded words go into one buffer that becomes one string: one
	// allocation for the text, not one per capitalised word.
	buf := make([]byte, 0, len(s))
	var spans [][2]int
	start := -1
	add := func(end int) {
		a := len(buf)
		buf = appendFold(buf, s[start:end])
		toks = append(toks, token{start: start, end: end})
		spans = append(spans, [2]int{a, len(buf)})
	}
	for i, r := range s {
		word := unicode.IsLetter(r) || unicode.IsDigit(r) || (start >= 0 && unicode.Is(unicode.Mn, r))
		switch {
		case word && start < 0:
			start = i
		case !word && start >= 0:
			add(i)
			start = -1
		}
	}
	if start >= 0 {
		add(len(s))
	}
	folded := string(buf)
	for i := range toks {
		toks[i].fold = folded[spans[i][0]:spans[i][1]]
	}
	return toks
}

// normSep makes the text between two tokens comparable: runs of white space
// become one space, curly apostrophes straight ones.
func normSep(s string) string {
	if s == " " || s == "." || s == "-" {
		return s
	}
	var b strings.Builder
	space := false
	for _, r := range s {
		switch {
		case unicode.IsSpace(r):
			if !space {
				b.WriteByte(' ')
			}
			space = true
			continue
		case r == '’' || r == '‘' || r == 'ʼ':
			r = '\''
		case r == '‐' || r == '‑':
			r = '-'
		}
		space = false
		b.WriteRune(r)
	}
	return b.String()
}

// Find returns the places mentioned in text, leftmost first; at each
// position the longest alias wins and matches never overlap. Aliases match
// on word boundaries with diacritics folded; an alias in capitals ("US",
// "U.K.", "EU") matches only as written, so "us" and "Us" are not the United
// States (four letters or more also match in title case: "Nato"); other
// aliases match when each of their capitalised words is capitalised in text,
// so "turkey" is not Türkiye.
func (g *Gazetteer) Find(text string) []Match {
	if g == nil {
		return nil
	}
	return g.find(text, tokenize(text))
}

func (g *Gazetteer) find(text string, toks []token) []Match {
	var out []Match
	for i := 0; i < len(toks); {
		n, m := g.matchAt(text, toks, i)
		if n == 0 {
			i++
			continue
		}
		out = append(out, m)
		i += n
	}
	return out
}

// matchAt returns the number of tokens and the match of the longest alias
// starting at token i, or 0.
func (g *Gazetteer) matchAt(text string, toks []token, i int) (int, Match) {
	cands := g.byFirst[toks[i].fold]
	for _, a := range cands {
		n := len(a.toks)
		if i+n > len(toks) {
			continue
		}
		ok := true
		for j := 0; j < n && ok; j++ {
			t := toks[i+j]
			if t.fold != a.toks[j] {
				ok = false
				break
			}
			if j > 0 && normSep(text[toks[i+j-1].end:t.start]) != a.seps[j-1] {
				ok = false
				break
			}
			ok = caseOK(a, j, text[t.start:t.end])
		}
		if !ok {
			continue
		}
		start, end := toks[i].start, toks[i+n-1].end
		if a.dot && end < len(text) && text[end] == '.' {
			end++
		}
		return n, Match{Start: start, End: end, Place: g.places[a.place].Name, Surface: text[start:end]}
	}
	return 0, Match{}
}

func caseOK(a alias, j int, raw string) bool {
	want := a.raws[j]
	if a.abbrev {
		if raw == want {
			return true
		}
		return utf8.RuneCountInString(strings.Join(a.raws, "")) >= 4 && titleCase(raw)
	}
	r, _ := utf8.DecodeRuneInString(want)
	if !unicode.IsUpper(r) {
		return true
	}
	r, _ = utf8.DecodeRuneInString(raw)
	return unicode.IsUpper(r)
}

func titleCase(s string) bool {
	for i, r := range s {
		if (i == 0) != unicode.IsUpper(r) && unicode.IsLetter(r) {
			return false
		}
	}
	return s != ""
}

// Lookup finds the place a person typed ("uk", "britain", "french", "u.s.",
// "the united states"): case, diacritics and dots do not matter.
func (g *Gazetteer) Lookup(query string) (Place, bool) {
	if g == nil {
		return Place{}, false
	}
	k := Key(query)
	if i, ok := g.keys[k]; ok {
		return g.places[i], true
	}
	for _, try := range []string{strings.TrimPrefix(k, "the_"), strings.TrimSuffix(k, "_s"), strings.TrimSuffix(strings.TrimPrefix(k, "the_"), "_s")} {
		if i, ok := g.keys[try]; ok && try != "" {
			return g.places[i], true
		}
	}
	return Place{}, false
}

// Suggest is Lookup tolerating typos ("frnace", "germnay"): the place whose
// name or alias is nearest the query, at most one edit away for up to seven
// letters and two beyond, and only when one place is nearest. Queries under
// four letters are never corrected.
func (g *Gazetteer) Suggest(query string) (Place, bool) {
	if p, ok := g.Lookup(query); ok {
		return p, true
	}
	if g == nil {
		return Place{}, false
	}
	q := Key(query)
	if n := utf8.RuneCountInString(q); n < 4 || n > 64 {
		return Place{}, false
	}
	maxd := 1
	if len(q) > 7 {
		maxd = 2
	}
	best, bestPlace, unique := maxd+1, -1, false
	rows := make([]int, 3*(len(q)+maxd+2))
	qs := symbols(q)
	for n := len(q) - maxd; n <= len(q)+maxd; n++ {
		for _, f := range g.fuzzy[n] {
			if max(bits.OnesCount64(qs&^f.bytes), bits.OnesCount64(f.bytes&^qs)) > best {
				continue
			}
			d := distance(q, f.key, best, rows)
			switch {
			case d < best:
				best, bestPlace, unique = d, f.place, true
			case d == best && f.place != bestPlace:
				unique = false
			}
		}
	}
	if bestPlace < 0 || !unique {
		return Place{}, false
	}
	return g.places[bestPlace], true
}

// distance is the optimal string alignment distance (Levenshtein plus
// adjacent transpositions) between two folded keys, counted in bytes (keys
// are nearly always ASCII), or a value above limit once it must exceed it.
// rows is scratch space of at least 3*(len(b)+1).
func distance(ra, rb string, limit int, rows []int) int {
	n := len(rb) + 1
	prev2, prev, cur := rows[:n], rows[n:2*n], rows[2*n:3*n]
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		low := cur[0]
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			v := min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				v = min(v, prev2[j-2]+1)
			}
			cur[j] = v
			low = min(low, v)
		}
		if low > limit {
			return limit + 1
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(rb)]
}

// Places returns every place, countries first.
func (g *Gazetteer) Places() []Place {
	if g == nil {
		return nil
	}
	out := make([]Place, len(g.places))
	copy(out, g.places)
	return out
}

// Key is a stable index token for one surface form: lower case, diacritics
// folded, dots dropped, words joined by '_' ("U.K." -> "uk", "United
// Kingdom" -> "united_kingdom", "Élysée" -> "elysee").
func Key(surface string) string {
	s := Fold(strings.ReplaceAll(surface, ".", ""))
	var b strings.Builder
	b.Grow(len(s))
	pending := false
	for _, r := range s {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			if pending && b.Len() > 0 {
				b.WriteByte('_')
			}
			pending = false
			b.WriteRune(r)
			continue
		}
		if unicode.Is(unicode.Mn, r) {
			continue
		}
		pending = true
	}
	return b.String()
}
