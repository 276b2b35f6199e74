package index

import (
	"context"
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/parley-bot/parley"
)

func articlesOf(t *testing.T, texts ...string) []*parley.Article {
	t.Helper()
	var arts []*parley.Article
	for i, text := range texts {
		a := &parley.Article{ID: fmt.Sprintf("a%d", i), Text: text}
		Prepare(a)
		arts = append(arts, a)
	}
	return arts
}

// A phrase is known absent only when a pair of its neighbouring words is
// in no sentence; words a stop word keeps apart say nothing, because the
// phrase query lets any word take the stop word's place.
func TestBigramsMayHave(t *testing.T) {
	arts := articlesOf(t, "The declaration regarding intent was signed. Military hubs will be built in Ukraine.")
	m, err := Mapping()
	if err != nil {
		t.Fatal(err)
	}
	an := m.AnalyzerNamed("en")
	b := newBigrams(arts, an)
	for _, c := range []struct {
		phrase string
		want   bool
	}{
		{"military hubs", true},
		{"Military Hubs", true},
		{"hubs will be built", true},    // stop words between: not neighbours
		{"hub built", false},            // neighbours here, not in the sentence
		{"hubs military", false},        // the words, in another order
		{"military bases", false},       // a word of no sentence
		{"declaration of intent", true}, // matches "declaration regarding intent"
		{"intent was signed", true},
		{"signed intent", false},
		{"ukraine", true}, // one word: nothing to tell
	} {
		if got := b.mayHave(an.Analyze([]byte(c.phrase))); got != c.want {
			t.Errorf("mayHave(%q) = %v, want %v", c.phrase, got, c.want)
		}
	}
	if !bigrams(nil).mayHave(an.Analyze([]byte("anything at all"))) {
		t.Error("no set: every phrase may be there")
	}
}

// Leaving out a phrase query that matches no sentence changes neither the
// hits nor their order nor their scores relative to the best, which is
// all that answers read of a score.
func TestAbsentPhraseLeftOutChangesNoRanking(t *testing.T) {
	ix := seedIndex(t)
	ctx := context.Background()
	kept := ix.bigrams
	left := 0
	for _, q := range []parley.Query{
		{Text: "ceasefire monitoring lead", Phrase: "ceasefire monitoring lead", Size: 25},
		{Text: "troops ukraine", Phrase: "troops ukraine", Size: 25},
		{Text: "agree states", Phrase: "agree states", Expand: []parley.Expansion{{Term: "agreement", Weight: 0.5}, {Term: "said", Weight: 0.6}}, Size: 25},
		{Text: "hubs military", Phrase: "hubs military", Places: []string{"Ukraine"}, Size: 60},
		{Text: "security guarantees", Phrase: "security guarantees", Size: 25}, // there: the phrase stays
	} {
		if !kept.mayHave(ix.analyzer.Analyze([]byte(q.Phrase))) {
			left++
		}
		ix.bigrams = kept
		got, err := ix.Search(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		ix.bigrams = nil // every phrase sent to bleve
		want, err := ix.Search(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != len(want) || len(got) == 0 {
			t.Fatalf("%q: %d hits, with the phrase query %d", q.Phrase, len(got), len(want))
		}
		var g, w []string
		for i := range got {
			g = append(g, fmt.Sprintf("%s/%d %v", got[i].Sentence.Article, got[i].Sentence.Position, got[i].Matched))
			w = append(w, fmt.Sprintf("%s/%d %v", want[i].Sentence.Article, want[i].Sentence.Position, want[i].Matched))
			if r, s := got[i].Score/got[0].Score, want[i].Score/want[0].Score; math.Abs(r-s) > 1e-9 {
				t.Errorf("%q: hit %d weighs %v of the best, with the phrase query %v", q.Phrase, i, r, s)
			}
		}
		if strings.Join(g, "\n") != strings.Join(w, "\n") {
			t.Errorf("%q: hits\n%s\nwith the phrase query\n%s", q.Phrase, strings.Join(g, "\n"), strings.Join(w, "\n"))
		}
	}
	if left != 4 {
		t.Errorf("%d phrases left out, want 4 (the test would show nothing)", left)
	}
}
