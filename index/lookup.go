package index

import (
	"math/bits"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/parley-bot/parley"
)

// LookupPlace implements parley.Corpus.
func (ix *Index) LookupPlace(typed string, fuzzy bool) (name string, typo, ok bool) {
	if ix.gaz == nil || strings.TrimSpace(typed) == "" {
		return "", false, false
	}
	if n, ok := ix.gaz.Lookup(typed); ok {
		return n, false, true
	}
	if !fuzzy {
		return "", false, false
	}
	if n, ok := ix.gaz.Suggest(typed); ok {
		return n, true, true
	}
	return "", false, false
}

// honorifics are dropped from a typed name ("Mr Macron", "Sir Keir Starmer").
func honorific(w string) bool {
	switch w {
	case "mr", "mrs", "ms", "miss", "sir", "dame", "dr", "lord", "lady", "mx", "president", "prime", "minister", "chancellor":
		return true
	}
	return false
}

// personWords normalises a typed name to lower-case words without
// diacritics, punctuation or honorifics.
func personWords(s string) []string {
	s = strings.ToLower(fold(s))
	f := strings.FieldsFunc(s, func(r rune) bool { return !unicode.IsLetter(r) && r != '-' && r != '\'' })
	out := f[:0]
	for _, w := range f {
		w = strings.TrimSuffix(strings.TrimSuffix(w, "'s"), "’s")
		if w != "" && !honorific(w) {
			out = append(out, w)
		}
	}
	return out
}

// spelling is a key of personByName with what spares most edit
// distances to it.
type spelling struct {
	name    string
	person  int
	runes   int
	symbols uint64
}

// symbols is the set of a word's runes, modulo 64, as bits: an edit adds
// or removes at most one on each side.
func symbols(s string) uint64 {
	var m uint64
	for _, r := range s {
		m |= 1 << (uint(r) % 64)
	}
	return m
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}

// indexPeople maps every spelling of every person (full name, aliases,
// surnames, first names, the last words of a name) to the person, most
// mentioned first where two share a spelling.
func (ix *Index) indexPeople() {
	ix.personByName = map[string]int{}
	set := func(k string, i int) {
		if _, ok := ix.personByName[k]; !ok && k != "" {
			ix.personByName[k] = i
		}
	}
	for pass := 0; pass < 4; pass++ {
		for i, p := range ix.people {
			for _, name := range append([]string{p.Name}, p.Aliases...) {
				nw := personWords(name)
				if len(nw) == 0 {
					continue
				}
				switch pass {
				case 0:
					set(strings.Join(nw, " "), i)
				case 1:
					set(nw[len(nw)-1], i)
				case 2:
					if len(nw) > 1 && len(nw[0]) > 3 && !described(name) {
						set(nw[0], i)
					}
				case 3:
					// The name without its first words: both surnames
					// ("quispe mamani"), a name after initials ("shamsul
					// haque"), a body without its country ("constitutional
					// court" of Chile's Constitutional Court).
					for k := 1; k+1 < len(nw); k++ {
						set(strings.Join(nw[k:], " "), i)
					}
				}
			}
		}
	}
	ix.spellings = make([]spelling, 0, len(ix.personByName))
	for name, i := range ix.personByName {
		ix.spellings = append(ix.spellings, spelling{name: name, person: i, runes: utf8.RuneCountInString(name), symbols: symbols(name)})
	}
}

// described says a name is a description ("French foreign ministry
// spokesperson"): a word after the first is in lower case and is no
// particle of a name. Its first word is an adjective, no first name, so
// "french president" does not find the spokesperson.
func described(name string) bool {
	f := strings.Fields(name)
	for _, w := range f[min(1, len(f)):] {
		r := []rune(w)
		if len(r) == 0 || !unicode.IsLower(r[0]) {
			continue
		}
		if !parley.NameParticle(w) {
			return true
		}
	}
	return false
}

// LookupPerson implements parley.Corpus: the full name or any alias, the
// surname or first name alone, or (fuzzy, typo true) a name within a small
// edit distance.
func (ix *Index) LookupPerson(typed string, fuzzy bool) (int, bool, bool) {
	words := personWords(typed)
	if len(words) == 0 || len(words) > 4 {
		return 0, false, false
	}
	want := strings.Join(words, " ")
	if i, ok := ix.personByName[want]; ok {
		return i, false, true
	}
	if !fuzzy {
		return 0, false, false
	}
	limit := 1
	switch n := len([]rune(want)); {
	case n < 4:
		return 0, false, false
	case n >= 8:
		limit = 2
	}
	bestI, bestD := -1, limit+1
	wantLen, wantSyms := utf8.RuneCountInString(want), symbols(want)
	for _, n := range ix.spellings {
		// A spelling whose length or letters alone put it farther than
		// the best so far is no better: no distance to work out.
		if abs(n.runes-wantLen) > bestD || max(bits.OnesCount64(wantSyms&^n.symbols), bits.OnesCount64(n.symbols&^wantSyms)) > bestD {
			continue
		}
		if d := parley.EditDistance(want, n.name); d < bestD || d == bestD && bestI >= 0 && n.person < bestI {
			bestI, bestD = n.person, d
		}
	}
	if bestI >= 0 && bestD <= limit {
		return bestI, true, true
	}
	if i, ok := ix.bySurname(words); ok {
		return i, true, true
	}
	return 0, false, false
}

// bySurname reads a full name that matches no one's as its surname, when
// that is the surname of one of the people: "Vladimir Zelensky" is the
// Russian form of Volodymyr Zelenskyy's name, and a surname says more
// than a given name another person shares. The answer names the person
// it took, so a wrong guess shows.
func (ix *Index) bySurname(words []string) (int, bool) {
	if len(words) < 2 {
		return 0, false
	}
	last := words[len(words)-1]
	if i, ok := ix.personByName[last]; ok && ix.isSurname(i, last) {
		return i, true
	}
	if len([]rune(last)) < 6 {
		return 0, false // one letter off a short surname is another name
	}
	best, n := -1, 0
	for key, i := range ix.personByName {
		if !strings.Contains(key, " ") && parley.EditDistance(last, key) == 1 && ix.isSurname(i, key) && i != best {
			best, n = i, n+1
		}
	}
	return best, n == 1
}

// isSurname says whether w is the last word of a name of person i.
func (ix *Index) isSurname(i int, w string) bool {
	p := ix.people[i]
	for _, name := range append([]string{p.Name}, p.Aliases...) {
		if nw := personWords(name); len(nw) > 1 && nw[len(nw)-1] == w {
			return true
		}
	}
	return false
}

// topicStop are words that do not make a topic on their own.
func topicStop(w string) bool {
	switch w {
	case "the", "a", "an", "and", "or", "of", "to", "in", "on", "for", "with", "that", "this", "is", "are", "was",
		"were", "be", "been", "has", "have", "had", "would", "will", "could", "can", "its", "his", "her", "their",
		"said", "as", "at", "by", "from", "it", "he", "she", "they", "we", "not", "but", "if", "after", "any", "also",
		"than", "which", "who", "what", "there", "about", "into", "more", "most", "all", "some", "one", "two", "over":
		return true
	}
	return false
}

// topics finds the two-word phrases that most articles share ("security
// guarantees", "military hubs"), for suggestions when a query is not covered.
func topics(articles []*parley.Article) []string {
	// Articles come one at a time, so an article is counted once per
	// phrase by remembering the last article that had it: a set of
	// articles per phrase would be most of the memory a large build takes.
	type stat struct {
		articles int
		last     int
		count    int
	}
	stats := map[string]*stat{}
	for ai, a := range articles {
		for _, s := range a.Sentences {
			words := strings.FieldsFunc(strings.ToLower(a.Text[s.Start:s.End]), func(r rune) bool {
				return !unicode.IsLetter(r) && r != '-'
			})
			for i := 0; i+1 < len(words); i++ {
				w1, w2 := words[i], words[i+1]
				if topicStop(w1) || topicStop(w2) || len(w1) < 3 || len(w2) < 3 {
					continue
				}
				k := w1 + " " + w2
				st := stats[k]
				if st == nil {
					st = &stat{last: -1}
					stats[k] = st
				}
				if st.last != ai {
					st.last = ai
					st.articles++
				}
				st.count++
			}
		}
	}
	var keys []string
	for k, st := range stats {
		if st.articles >= 2 || len(articles) == 1 && st.count >= 2 {
			keys = append(keys, k)
		}
	}
	sort.Slice(keys, func(i, j int) bool {
		a, b := stats[keys[i]], stats[keys[j]]
		if a.articles != b.articles {
			return a.articles > b.articles
		}
		if a.count != b.count {
			return a.count > b.count
		}
		return keys[i] < keys[j]
	})
	if len(keys) > 50 {
		keys = keys[:50]
	}
	return keys
}
