package index

import (
	"testing"

	"github.com/parley-bot/parley"
	"github.com/parley-bot/parley/index/lexicon"
)

var _ parley.Lexical = (*Index)(nil)

func TestKin(t *testing.T) {
	lex, err := lexicon.Load()
	if err != nil {
		t.Fatal(err)
	}
	ix := &Index{expand: &expander{lex: lex}}
	tests := []struct {
		a, b string
		want bool
	}{
		{"summit", "meeting", true},     // a summit is a meeting (third sense)
		{"conference", "meeting", true}, // a conference is a meeting
		{"gathering", "meeting", true},  // a meeting is a gathering
		{"conference", "summit", true},  // both meetings
		{"summits", "meeting", true},    // any form of the word
		{"session", "meeting", true},
		{"troops", "meeting", false},
		{"fund", "summit", false},
		{"peak", "meeting", false}, // a synonym of summit's first sense is no meeting
		{"meeting", "", false},
	}
	for _, tc := range tests {
		if got := ix.Kin(tc.a, tc.b); got != tc.want {
			t.Errorf("Kin(%q, %q) = %v, want %v", tc.a, tc.b, got, tc.want)
		}
	}
	if (&Index{}).Kin("summit", "meeting") {
		t.Error("an index without a lexicon finds kin")
	}
}

func TestKnown(t *testing.T) {
	lex, err := lexicon.Load()
	if err != nil {
		t.Fatal(err)
	}
	ix := &Index{expand: &expander{lex: lex}}
	for w, want := range map[string]bool{"pope": true, "biggest": true, "troops": true, "tlaks": false, "ukrane": false, "": false} {
		if got := ix.Known(w); got != want {
			t.Errorf("Known(%q) = %v, want %v", w, got, want)
		}
	}
}

func TestRelated(t *testing.T) {
	lex, err := lexicon.Load()
	if err != nil {
		t.Fatal(err)
	}
	ix := &Index{expand: &expander{lex: lex}}
	tests := []struct {
		a, b string
		want bool
	}{
		{"died", "killing", true}, // kill causes die: found from either side
		{"killing", "died", true},
		{"fixed", "repair", true}, // one synset
		{"died", "need", false},
		{"won", "lost", false}, // antonyms are no relation
		{"died", "", false},
	}
	for _, tc := range tests {
		if got := ix.Related(tc.a, tc.b); got != tc.want {
			t.Errorf("Related(%q, %q) = %v, want %v", tc.a, tc.b, got, tc.want)
		}
	}
}

func TestSuperlative(t *testing.T) {
	lex, err := lexicon.Load()
	if err != nil {
		t.Fatal(err)
	}
	ix := &Index{expand: &expander{lex: lex}}
	for w, want := range map[string]bool{"biggest": true, "largest": true, "youngest": true, "best": true, "worst": true,
		"honest": false, "interest": false, "forest": false, "west": false, "big": false} {
		if got := ix.Superlative(w); got != want {
			t.Errorf("Superlative(%q) = %v, want %v", w, got, want)
		}
	}
}
