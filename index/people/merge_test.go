package people_test

import (
	"slices"
	"testing"
)

// Spellings of one person merge across articles; different people do not.
func TestMergeAcrossArticles(t *testing.T) {
	ps, _ := annotate(t,
		"US special envoy Steve Witkoff said the talks went well. Ukrainian President Volodymyr Zelensky agreed.",
		"Steven Witkoff, the envoy, flew to Kyiv. Mr Zelenskyy said he was grateful.",
		"Thai Commerce Minister Pichet Srisuk said rice exports would rise.",
		"Commerce Minister Pichet told reporters the quota would stay.",
		"Danish Trade Minister Chris Holm said tariffs would fall.",
		"Christine Holm, a Danish economist, said tariffs would rise.",
	)
	byName := map[string][]string{}
	for _, p := range ps {
		byName[p.Name] = p.Articles
	}
	for name, n := range map[string]int{"Steve Witkoff": 2, "Volodymyr Zelensky": 2, "Pichet Srisuk": 2} {
		found := false
		for got, arts := range byName {
			if got == name || (name == "Steve Witkoff" && got == "Steven Witkoff") {
				found = true
				if len(arts) != n {
					t.Errorf("%s in %v, want %d articles", got, arts, n)
				}
			}
		}
		if !found {
			t.Errorf("%s not among %q", name, names(ps))
		}
	}
	// A given name that only begins another is someone else.
	if !slices.Contains(names(ps), "Chris Holm") || !slices.Contains(names(ps), "Christine Holm") {
		t.Errorf("Chris and Christine Holm merged: %q", names(ps))
	}
}

// The seeds and a follow-up: the follow-up's spellings are the seeds' people.
func TestMergeWithSeeds(t *testing.T) {
	arts := seedArticles(t)
	_, more := annotate(t, "Steven Witkoff, the US special envoy, said the allies were close. Volodymyr Zelenskyy thanked them. Sir Keir Starmer said Britain was ready.")
	ps := newExtractor(t).Annotate(append(arts, more...))
	for _, want := range []string{"Witkoff", "Zelensk", "Starmer"} {
		n := 0
		for _, p := range ps {
			if containsFold(p.Name, want) {
				n++
				if !slices.Contains(p.Articles, more[0].ID) {
					t.Errorf("%s: articles %v lack the follow-up", p.Name, p.Articles)
				}
			}
		}
		if n != 1 {
			t.Errorf("%d people named like %s", n, want)
		}
	}
}

// Transliterations and the order of East Asian names: one person.
func TestMergeVariants(t *testing.T) {
	ps, _ := annotate(t,
		"Ukrainian Energy Minister Oleksiy Kovalenko said the grid held.",
		"Oleksii Kovalenko, Ukraine’s energy minister, said repairs would take a week.",
		"Japan’s foreign minister, Sato Yuki, said the summit would go ahead.",
		"Foreign Minister Yuki Sato told reporters the date was fixed.",
	)
	for _, name := range []string{"Oleksiy Kovalenko", "Sato Yuki"} {
		found := false
		for _, p := range ps {
			if p.Name == name || slices.Contains(p.Aliases, name) {
				found = true
				if len(p.Articles) != 2 {
					t.Errorf("%s (%q) in %v, want 2 articles", p.Name, p.Aliases, p.Articles)
				}
			}
		}
		if !found {
			t.Errorf("%s not among %q", name, names(ps))
		}
	}
}

// "the French president" for someone the paragraph has just named, whose
// title another article gives.
func TestTitleFromAnotherArticle(t *testing.T) {
	_, arts := annotate(t,
		"French President Élise Marchand met the envoys on Monday.",
		"Mrs. Marchand spoke to reporters. “The cell will open in May,” the French president said.",
	)
	s := sentence(t, arts, "cell will open")
	if s.Speaker != "Élise Marchand" {
		t.Errorf("speaker %q, want Élise Marchand", s.Speaker)
	}
}
