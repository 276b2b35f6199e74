package handlers

import (
	"context"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/parley-bot/parley"
)

// maxChoice is the longest choice name or value platforms accept.
const maxChoice = 100

// Complete implements parley.Completer: people, countries and organisations
// for /who and /quote, frequent topics for /what. A choice matches when a
// word of it starts with what was typed, or nearly does (one typo in five
// letters); for /who and /quote, what the command itself would take the
// whole text to mean comes first, so autocomplete tolerates the typos the
// command does ("frnace": France).
func (h *Handlers) Complete(_ context.Context, command, typed string, limit int) []parley.Choice {
	if limit <= 0 {
		return nil
	}
	typed, _ = clean(typed)
	typed = strings.ToLower(typed)
	var names []string
	switch command {
	case parley.CommandWho, parley.CommandQuote:
		names = h.subjects
	case parley.CommandWhat:
		names = h.corpus.Topics(50)
	default:
		return nil
	}
	type cand struct {
		name string
		rank int
		d    int
	}
	var cands []cand
	if command == parley.CommandWho || command == parley.CommandQuote {
		if sub, ok := h.resolve(typed); ok && typed != "" {
			name := sub.place
			if sub.isPerson {
				name = h.corpus.People()[sub.person].Name
			}
			cands = append(cands, cand{name, -1, -1})
		}
	}
	for i, n := range names {
		d := matchDistance(strings.ToLower(n), typed)
		if d < 0 {
			continue
		}
		cands = append(cands, cand{n, i, d})
	}
	sort.SliceStable(cands, func(i, j int) bool {
		if cands[i].d != cands[j].d {
			return cands[i].d < cands[j].d
		}
		return cands[i].rank < cands[j].rank
	})
	out := make([]parley.Choice, 0, min(limit, len(cands)))
	seen := map[string]bool{}
	for _, c := range cands {
		if len(out) == limit {
			break
		}
		if seen[c.name] {
			continue
		}
		seen[c.name] = true
		v := truncateRunes(c.name, maxChoice)
		out = append(out, parley.Choice{Name: v, Value: v})
	}
	return out
}

// subjects are the people (most mentioned first) and then the places the
// articles mention (most mentioned first); mentioned is the set of those
// places.
func subjects(c parley.Corpus) ([]string, map[string]bool) {
	var out []string
	for _, p := range c.People() {
		out = append(out, p.Name)
	}
	places := c.Places()
	mentioned := make(map[string]bool, len(places))
	for _, p := range places {
		mentioned[p] = true
	}
	return append(out, places...), mentioned
}

// matchDistance is 0 when a word of name starts with typed, the edit
// distance to the nearest word prefix when it is small, and -1 otherwise.
func matchDistance(name, typed string) int {
	if typed == "" {
		return 0
	}
	if strings.HasPrefix(name, typed) {
		return 0
	}
	best := -1
	for _, w := range strings.Fields(name) {
		if strings.HasPrefix(w, typed) {
			return 0
		}
		n := utf8.RuneCountInString(typed)
		prefix := truncateRunes(w, n)
		allowed := n / 5
		if allowed > 2 {
			allowed = 2
		}
		if d := parley.EditDistance(prefix, typed); d <= allowed && (best < 0 || d < best) {
			best = d
		}
	}
	return best
}

func truncateRunes(s string, n int) string {
	i := 0
	for j := range s {
		if i == n {
			return s[:j]
		}
		i++
	}
	return s
}
