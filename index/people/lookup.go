package people

import (
	"strings"

	"github.com/parley-bot/parley"
	"github.com/parley-bot/parley/index/places"
)

// Lookup finds the person a query names ("macron", "Zelenskiy", "sir keir
// starmer", "nicolas maduro"), among people as Annotate returns them: case,
// accents, honorifics and transliteration endings do not matter, and a
// surname alone is enough when only one person bears it. The first match in
// the given order wins, so pass people ranked.
func Lookup(ps []parley.Person, query string) (parley.Person, bool) {
	q := nameWords(query)
	if len(q) == 0 {
		return parley.Person{}, false
	}
	for _, p := range ps {
		for _, form := range append([]string{p.Name}, p.Aliases...) {
			if sameName(nameWords(form), q) {
				return p, true
			}
		}
	}
	// A surname alone ("zelensky" for "Volodymyr Zelenskiy").
	if len(q) == 1 {
		found := -1
		for i, p := range ps {
			w := nameWords(p.Name)
			if len(w) > 1 && surnameKey(w[len(w)-1]) == surnameKey(q[0]) {
				if found >= 0 {
					return parley.Person{}, false // two people share it
				}
				found = i
			}
		}
		if found >= 0 {
			return ps[found], true
		}
	}
	return parley.Person{}, false
}

// Suggest is Lookup tolerating a typo ("macrom", "zelenksy", "witkof"): the
// one person whose surname or full name is nearest the query, at most one
// edit away for up to seven letters and two beyond. Queries under four
// letters are never corrected; a tie between two people is no answer.
func Suggest(ps []parley.Person, query string) (parley.Person, bool) {
	if p, ok := Lookup(ps, query); ok {
		return p, true
	}
	q := strings.Join(nameWords(query), " ")
	if len(q) < 4 || len(q) > 64 {
		return parley.Person{}, false
	}
	maxd := 1
	if len(q) > 7 {
		maxd = 2
	}
	best, bestAt, unique := maxd+1, -1, false
	for i, p := range ps {
		w := nameWords(p.Name)
		if len(w) == 0 {
			continue
		}
		for _, cand := range []string{w[len(w)-1], strings.Join(w, " ")} {
			if abs(len(cand)-len(q)) > maxd {
				continue
			}
			d := osa(q, cand)
			switch {
			case d < best:
				best, bestAt, unique = d, i, true
			case d == best && i != bestAt:
				unique = false
			}
		}
	}
	if bestAt < 0 || !unique {
		return parley.Person{}, false
	}
	return ps[bestAt], true
}

// nameWords folds a name to its words, honorifics and dots dropped.
func nameWords(s string) []string {
	var out []string
	for _, w := range strings.Fields(places.Fold(strings.ReplaceAll(s, ".", " "))) {
		w = strings.Trim(w, "'’\"“”,;:!?()")
		switch w {
		case "", "mr", "mrs", "ms", "miss", "sir", "dame", "dr", "lord", "lady":
			continue
		}
		out = append(out, w)
	}
	return out
}

func sameName(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] && surnameKey(a[i]) != surnameKey(b[i]) {
			return false
		}
	}
	return true
}

// osa is the optimal string alignment distance: Levenshtein plus adjacent
// transpositions, so "zelenksy" is one edit from "zelensky".
func osa(a, b string) int {
	d := make([][]int, len(a)+1)
	for i := range d {
		d[i] = make([]int, len(b)+1)
		d[i][0] = i
	}
	for j := range d[0] {
		d[0][j] = j
	}
	for i := 1; i <= len(a); i++ {
		for j := 1; j <= len(b); j++ {
			c := 1
			if a[i-1] == b[j-1] {
				c = 0
			}
			d[i][j] = min(d[i-1][j]+1, d[i][j-1]+1, d[i-1][j-1]+c)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				d[i][j] = min(d[i][j], d[i-2][j-2]+1)
			}
		}
	}
	return d[len(a)][len(b)]
}
