package index

import (
	"slices"
	"testing"
)

// Sentences that share a slot of the terms cache each get their own terms,
// as the analyzer makes them, sorted and once each.
func TestDocTermsSharedSlot(t *testing.T) {
	ix := seedIndex(t)
	a, b := 5, 5+docTermsSlots
	for range 2 {
		if got, want := ix.docTerms(a, "Troops, more troops and guarantees"), []string{"guarante", "troop"}; !slices.Equal(got, want) {
			t.Fatalf("docTerms(%d) = %q, want %q", a, got, want)
		}
		if got, want := ix.docTerms(b, "The ceasefire held"), []string{"ceasefir", "held"}; !slices.Equal(got, want) {
			t.Fatalf("docTerms(%d) = %q, want %q", b, got, want)
		}
	}
}
