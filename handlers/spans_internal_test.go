package handlers

import (
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"unicode"
)

// A question's spans are its words as strings.FieldsFunc splits them, and
// a run of them reads as the words joined by single spaces, whatever
// separates them where typed (spaces, tabs, punctuation, invalid UTF-8).
func TestSpansAreJoinedWords(t *testing.T) {
	pieces := []string{"the", "French", "u.s.", "ukraine’s", "20%", " ", "  ", "\t", "?", ", ", "/", "é", "\xff", "-"}
	r := rand.New(rand.NewPCG(3, 4))
	for range 5000 {
		var b strings.Builder
		for range r.IntN(12) {
			b.WriteString(pieces[r.IntN(len(pieces))])
		}
		q := b.String()
		want := strings.FieldsFunc(q, func(r rune) bool {
			return !(unicode.IsLetter(r) || unicode.IsDigit(r) || r == '.' || r == '\'' || r == '’' || r == '-' || r == '%' || r == ',')
		})
		sp := splitSpans(q)
		if !slices.Equal(sp.words, want) {
			t.Fatalf("%q: words %q, want %q", q, sp.words, want)
		}
		for i := range want {
			for j := i + 1; j <= len(want); j++ {
				if got, want := sp.span(i, j), strings.Join(want[i:j], " "); got != want {
					t.Fatalf("%q: span(%d, %d) = %q, want %q", q, i, j, got, want)
				}
			}
		}
	}
}

// lastWords ends as tokenize does: the same last two words, and whether a
// clause boundary follows the one before the last.
func TestLastWordsEndAsTokenize(t *testing.T) {
	pieces := []string{"from", "of", "Delegations", " ", "  ", ", ", "-", "’", "34", "3.5", "$", "(", "—", "é", "\xff", "countries"}
	r := rand.New(rand.NewPCG(5, 6))
	for range 20000 {
		var b strings.Builder
		for range r.IntN(40) {
			b.WriteString(pieces[r.IntN(len(pieces))])
		}
		text := b.String()
		all, last := tokenize(text), lastWords(text)
		if len(all) < 2 {
			if len(last) != len(all) {
				t.Fatalf("%q: %d last words, want %d", text, len(last), len(all))
			}
			continue
		}
		if len(last) < 2 {
			t.Fatalf("%q: %d last words, want 2 or more", text, len(last))
		}
		a, l := all[len(all)-2:], last[len(last)-2:]
		if a[0].w != l[0].w || a[0].raw != l[0].raw || a[0].brk != l[0].brk || a[1].w != l[1].w || a[1].raw != l[1].raw {
			t.Fatalf("%q: last words %+v, want %+v", text, l, a)
		}
	}
}

// lastLowerWords ends as words of the lower-cased text does.
func TestLastLowerWordsEndAsWords(t *testing.T) {
	pieces := []string{"In", "at", "Paris", " ", "  ", ", ", "-", "’", "3", ".", "5", "$", "(", "é", "\xff", "İ", "ΣΑΣ"}
	r := rand.New(rand.NewPCG(7, 8))
	for range 20000 {
		var b strings.Builder
		for range r.IntN(50) {
			b.WriteString(pieces[r.IntN(len(pieces))])
		}
		text := b.String()
		all, last := words(strings.ToLower(text)), lastLowerWords(text, 3)
		n := min(3, len(all))
		if len(last) < n || !slices.Equal(all[len(all)-n:], last[len(last)-n:]) {
			t.Fatalf("%q: last words %q, want %q", text, last, all[len(all)-n:])
		}
	}
}
