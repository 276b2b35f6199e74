package handlers

import (
	"math/rand/v2"
	"testing"

	"github.com/parley-bot/parley"
)

// The bit-parallel distance suggest uses is the edit distance, for every
// pair of words over a small alphabet (repeated letters, accents, empty),
// and for words longer than a machine word.
func TestPatternDistanceIsEditDistance(t *testing.T) {
	letters := []rune("abcé€ab")
	word := func(r *rand.Rand, n int) string {
		out := make([]rune, n)
		for i := range out {
			out[i] = letters[r.IntN(len(letters))]
		}
		return string(out)
	}
	r := rand.New(rand.NewPCG(1, 2))
	for range 20000 {
		a, b := word(r, r.IntN(9)), word(r, r.IntN(9))
		if got, want := newPattern(a).distance(b), parley.EditDistance(b, a); got != want {
			t.Fatalf("distance(%q, %q) = %d, want %d", a, b, got, want)
		}
	}
	for _, n := range []int{63, 64, 65, 80} {
		a, b := word(r, n), word(r, n-3)
		if got, want := newPattern(a).distance(b), parley.EditDistance(b, a); got != want {
			t.Errorf("%d runes: distance = %d, want %d", n, got, want)
		}
	}
}
