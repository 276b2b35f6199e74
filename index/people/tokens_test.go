package people

import "testing"

// The tokenizer's news-writing cases, each with the text that shows it.
func TestTokenize(t *testing.T) {
	lx, err := loadLexicon(rolesJSON)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		text string
		word int
		raw  string
		sep  string
		poss bool
	}{
		// A possessive ’s is a flag on its word.
		{"Romania’s coast guard", 0, "Romania", "", true},
		{"Romania’s coast guard", 1, "coast", " ", false},
		// A bare apostrophe after s is a possessive too, and no separator.
		{"Laos’ energy ministry", 0, "Laos", "", true},
		{"Laos’ energy ministry", 1, "energy", " ", false},
		// A dot after an honorific, an abbreviated title or a suffix does
		// not end the phrase.
		{"Mr. Macron", 1, "Macron", " ", false},
		{"Lt. Gen. Pieter Willemsen", 1, "Gen", " ", false},
		{"Hargrove Jr. said", 2, "said", " ", false},
		// Other dots do.
		{"in Paris. Macron", 2, "Macron", ". ", false},
		// A short lower-case part after a hyphen belongs to a name.
		{"Lee Min-ho said", 1, "Min-ho", " ", false},
		{"US-led force", 1, "led", "-", false},
		{"Kim Soo-yeon said", 1, "Soo-yeon", " ", false},
		{"a Paris-bound train", 2, "bound", "-", false},
		{"a Kremlin-backed group", 2, "backed", "-", false},
		// An initial before a name: the dot is no stop.
		{"Donald J. Trump", 2, "Trump", " ", false},
	}
	for _, tc := range tests {
		toks, _, _ := tokenize(nil, tc.text, 0, len(tc.text), false, lx.dotted)
		if tc.word >= len(toks) {
			t.Errorf("%q: %d words", tc.text, len(toks))
			continue
		}
		got := toks[tc.word]
		if got.raw != tc.raw || got.sep != tc.sep || got.poss != tc.poss {
			t.Errorf("%q word %d = %q sep %q poss %v; want %q %q %v", tc.text, tc.word, got.raw, got.sep, got.poss, tc.raw, tc.sep, tc.poss)
		}
	}
	// Quotations: a name in quotes is a title, not speech; one left open
	// runs into the next sentence.
	text := "the “Multinational Force for Ukraine” said “we will"
	_, quotes, open := tokenize(nil, text, 0, len(text), false, lx.dotted)
	if len(quotes) != 2 || !quotes[0].title || quotes[1].title || !open {
		t.Errorf("quotes %+v open %v", quotes, open)
	}
}
