package handlers

import (
	"slices"
	"unicode"
	"unicode/utf8"
)

// signature is what near-duplicate detection compares: the hashed words of
// a citation (three letters or more) and the hashed five-word runs inside
// its quotation marks, each sorted and without repeats.
type signature struct {
	words []uint64
	grams []uint64
}

const (
	fnvOffset = 14695981039346656037
	fnvPrime  = 1099511628211
	gramLen   = 5
)

// sign computes a signature in one pass over text. Editors' insertions in
// brackets ("when this [war] ends") are left out of quotes, so that one
// quote reported by two articles is recognised.
func sign(text string) signature {
	var sig signature
	var (
		h        uint64 = fnvOffset
		n        int
		inQuote  bool
		inSquare bool
		run      [gramLen]uint64
		runLen   int
	)
	endWord := func() {
		if n == 0 {
			return
		}
		if n >= 3 {
			sig.words = append(sig.words, h)
		}
		if inQuote && !inSquare {
			copy(run[:], run[1:])
			run[gramLen-1] = h
			if runLen < gramLen {
				runLen++
			}
			if runLen == gramLen {
				g := uint64(fnvOffset)
				for _, w := range run {
					g = (g ^ w) * fnvPrime
				}
				sig.grams = append(sig.grams, g)
			}
		}
		h, n = fnvOffset, 0
	}
	for i := 0; i < len(text); {
		r, size := utf8.DecodeRuneInString(text[i:])
		i += size
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			h = (h ^ uint64(unicode.ToLower(r))) * fnvPrime
			n++
			continue
		}
		endWord()
		switch {
		case r == '“':
			inQuote, runLen = true, 0
		case r == '”':
			inQuote = false
		case r == '"':
			inQuote, runLen = !inQuote, 0
		case r == '[':
			inSquare = true
		case r == ']':
			inSquare = false
		}
	}
	endWord()
	slices.Sort(sig.words)
	sig.words = slices.Compact(sig.words)
	slices.Sort(sig.grams)
	sig.grams = slices.Compact(sig.grams)
	return sig
}

// same says two citations carry the same quote (five words in a row inside
// quotation marks) or share most of their words (Jaccard at least 0.5).
func (a signature) same(b signature) bool {
	if intersect(a.grams, b.grams) > 0 {
		return true
	}
	// Jaccard at least 0.5 is 3*inter >= len(a)+len(b), out of reach when
	// one has too few words to share with the other.
	la, lb := len(a.words), len(b.words)
	if 3*min(la, lb) < la+lb {
		return false
	}
	inter := intersect(a.words, b.words)
	union := la + lb - inter
	return union > 0 && 2*inter >= union
}

func intersect(a, b []uint64) int {
	n := 0
	for i, j := 0, 0; i < len(a) && j < len(b); {
		switch {
		case a[i] == b[j]:
			n++
			i++
			j++
		case a[i] < b[j]:
			i++
		default:
			j++
		}
	}
	return n
}
