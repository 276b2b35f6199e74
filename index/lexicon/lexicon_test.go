package lexicon_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/parley-bot/parley/index/lexicon"
)

func load(tb testing.TB) *lexicon.Lexicon {
	tb.Helper()
	l, err := lexicon.Load()
	if err != nil {
		tb.Fatal(err)
	}
	return l
}

// Base forms as WordNet's morphy finds them: exceptions and suffix rules,
// kept only where WordNet has the lemma.
func TestBases(t *testing.T) {
	l := load(t)
	tests := []struct {
		word string
		want lexicon.Base
	}{
		{"led", lexicon.Base{Lemma: "lead", POS: lexicon.Verb}},
		{"biggest", lexicon.Base{Lemma: "big", POS: lexicon.Adjective}},
		{"troops", lexicon.Base{Lemma: "troop", POS: lexicon.Noun}},
		{"peacekeepers", lexicon.Base{Lemma: "peacekeeper", POS: lexicon.Noun}},
		{"killed", lexicon.Base{Lemma: "kill", POS: lexicon.Verb}},
		{"Summit", lexicon.Base{Lemma: "summit", POS: lexicon.Noun}},
	}
	for _, tc := range tests {
		if got := l.Bases(tc.word); !slices.Contains(got, tc.want) {
			t.Errorf("Bases(%q) = %v, want %v among them", tc.word, got, tc.want)
		}
	}
	if got := l.Bases("zzzqqq"); len(got) != 0 {
		t.Errorf("a non-word has bases %v", got)
	}
	if got := l.Forms("lead"); !slices.Contains(got, "led") {
		t.Errorf("Forms(lead) = %v", got)
	}
}

// Every relation is there: synonyms, and pointers of each kind, with the
// sense they come from.
func TestRelated(t *testing.T) {
	l := load(t)
	has := func(rs []lexicon.Relation, word, pointer string) bool {
		return slices.ContainsFunc(rs, func(r lexicon.Relation) bool { return r.Word == word && r.Pointer == pointer })
	}
	big := l.Related("big", lexicon.Adjective, 1, nil)
	if !has(big, "large", "") || !has(big, "little", "!") {
		t.Errorf("big: no synonym large or antonym little in %d relations", len(big))
	}
	summit := l.Related("summit", lexicon.Noun, 0, nil)
	if !has(summit, "summit_meeting", "") || !has(summit, "meeting", "@") {
		t.Errorf("summit: no summit_meeting or hypernym meeting")
	}
	lead := l.Related("lead", lexicon.Verb, 1, nil)
	if !has(lead, "leader", "+") {
		t.Errorf("lead: no derivation leader")
	}
	onlySynonyms := l.Related("big", lexicon.Adjective, 1, func(string, int) bool { return false })
	for _, r := range onlySynonyms {
		if r.Pointer != "" {
			t.Errorf("keep refused pointers but %v came back", r)
		}
	}
}

// The embedded file is WordNet 3.0 whole: its counts, and its licence
// notice travels with it.
func TestEmbeddedData(t *testing.T) {
	l := load(t)
	if s := l.String(); !strings.Contains(s, "WordNet 3.0") {
		t.Errorf("String() = %q", s)
	}
	// Nouns, verbs, adjectives and adverbs are all there.
	for _, c := range []struct {
		w   string
		pos byte
	}{{"meeting", lexicon.Noun}, {"attend", lexicon.Verb}, {"robust", lexicon.Adjective}, {"largely", lexicon.Adverb}} {
		if len(l.Related(c.w, c.pos, 1, nil)) == 0 && len(l.Bases(c.w)) == 0 {
			t.Errorf("%s (%c) missing", c.w, c.pos)
		}
	}
	if _, err := lexicon.Parse("no sections here"); err == nil {
		t.Error("Parse accepted a file with no sections")
	}
}

func FuzzBases(f *testing.F) {
	l := load(f)
	for _, s := range []string{"led", "biggest", "", "a b", "\xff", "zzz", "ies", "mice"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, w string) {
		for _, b := range l.Bases(w) {
			if b.Lemma == "" {
				t.Fatalf("empty lemma for %q", w)
			}
			l.Related(b.Lemma, b.POS, 2, nil)
		}
	})
}
