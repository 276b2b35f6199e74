package people

import (
	"encoding/binary"
	"slices"
	"sort"
	"strings"

	"github.com/parley-bot/parley"
	"github.com/parley-bot/parley/index/places"
)

// The result: each person's canonical name, role, affiliation and kind,
// and each sentence's people, places and speaker.

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
	var seen []int32
	for i := range r.sents {
		st := &r.sents[i]
		a := articles[st.art]
		s := &a.Sentences[st.idx]
		s.People = nil
		seen = seen[:0]
		add := func(p int32) {
			if !slices.Contains(seen, p) {
				seen = append(seen, p)
				s.People = append(s.People, names[p])
				r.persons[p].mentions++
				r.persons[p].seenIn(int(st.art))
			}
		}
		for _, m := range r.saidOf(i) {
			add(m.person)
		}
		if st.speaker >= 0 {
			add(st.speaker)
		}
		s.People = r.lists.of(s.People)
		s.Speaker, s.Kind = "", st.kind.String()
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
		kind := parley.KindPerson
		if p.body {
			kind, role = parley.KindBody, ""
		}
		pp := parley.Person{Name: names[i], Kind: kind, Role: role, Affiliation: p.affiliation(), Mentions: p.mentions}
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

// writePlaces fills s.Places with the places of sentence st that are not
// words of a name, once its mentions are known.
func (r *run) writePlaces(st *sent, s *parley.Sentence) {
	s.Places = nil
	seenPl := map[string]bool{}
	for pi, m := range st.places {
		if seenPl[m.Place] || r.inName(st, pi) {
			continue
		}
		seenPl[m.Place] = true
		s.Places = append(s.Places, m.Place)
	}
	s.Places = r.lists.of(s.Places)
}

// lists keeps one copy of each list of names sentences carry (their people,
// their places): most sentences name the same few, and a corpus keeps its
// sentences as long as it serves. The copies are shared, so they have no
// room to append into.
type lists map[string][]string

// of returns the kept copy of names, keeping names if it is the first.
func (l lists) of(names []string) []string {
	if len(names) == 0 {
		return nil
	}
	var key []byte
	for _, n := range names {
		key = binary.AppendUvarint(key, uint64(len(n)))
		key = append(key, n...)
	}
	if kept, ok := l[string(key)]; ok {
		return kept
	}
	names = slices.Clip(names)
	l[string(key)] = names
	return names
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
