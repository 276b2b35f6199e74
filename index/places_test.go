package index_test

import (
	"context"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/parley-bot/parley"
	"github.com/parley-bot/parley/index"
)

func madeUpIndex(t *testing.T, files map[string]string) *index.Index {
	t.Helper()
	fsys := fstest.MapFS{}
	for name, text := range files {
		fsys[name] = &fstest.MapFile{Data: []byte(text)}
	}
	arts, err := index.Load(fsys)
	if err != nil {
		t.Fatal(err)
	}
	ix, err := index.Build(context.Background(), arts, testOptions(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ix.Close() })
	return ix
}

// A sentence that says only "U.K." is found from "Britain" through the
// index's synonyms, not through a map beside it.
func TestPlaceSynonymsInTheIndex(t *testing.T) {
	ix := madeUpIndex(t, map[string]string{
		"a.txt": "The U.K. sent two ministers to the harbour talks.\nThe weather in the bay was calm.",
		"b.txt": "London signalled support for the fishing accord.\nNobody else spoke.",
		"c.txt": "Let us be clear about the harbour, a local mayor said.",
	})
	for _, typed := range []string{"Britain", "United Kingdom", "UK", "british"} {
		hits, err := ix.Search(context.Background(), parley.Query{Places: []string{typed}})
		if err != nil {
			t.Fatal(err)
		}
		got := map[string]bool{}
		for _, h := range hits {
			a, _ := ix.Article(h.Sentence.Article)
			got[a.Text[h.Sentence.Start:h.Sentence.End]] = true
		}
		if !got["The U.K. sent two ministers to the harbour talks."] || !got["London signalled support for the fishing accord."] || len(got) != 2 {
			t.Errorf("places %q found %v", typed, got)
		}
	}
	// "us" in "Let us" is no place: the United States finds nothing here.
	hits, err := ix.Search(context.Background(), parley.Query{Places: []string{"United States"}})
	if err != nil || len(hits) != 0 {
		t.Errorf("United States found %d sentences (%v)", len(hits), err)
	}
}

func TestLookups(t *testing.T) {
	ix := build(t)
	places := []struct{ typed, want string }{
		{"france", "France"}, {"French", "France"}, {"uk", "United Kingdom"}, {"U.K.", "United Kingdom"},
		{"britain", "United Kingdom"}, {"us", "United States"}, {"america", "United States"}, {"nato", "NATO"},
	}
	for _, tc := range places {
		if got, typo, ok := ix.LookupPlace(tc.typed, true); !ok || typo || got != tc.want {
			t.Errorf("LookupPlace(%q) = %q typo=%v ok=%v, want %q", tc.typed, got, typo, ok, tc.want)
		}
	}
	if got, typo, ok := ix.LookupPlace("frnace", true); !ok || !typo || got != "France" {
		t.Errorf("LookupPlace(frnace) = %q %v %v", got, typo, ok)
	}
	people := []struct {
		typed, want string
		typo        bool
	}{
		{"macron", "Emmanuel Macron", false}, {"Mr Macron", "Emmanuel Macron", false}, {"sir keir starmer", "Keir Starmer", false},
		{"zelenskiy", "Volodymyr Zelensky", false}, {"Zelenskyy", "Volodymyr Zelensky", true}, {"nicolas maduro", "", false},
		{"macrom", "Emmanuel Macron", true}, {"witkof", "Steve Witkoff", true},
	}
	for _, tc := range people {
		i, typo, ok := ix.LookupPerson(tc.typed, true)
		if tc.want == "" {
			if !ok || !strings.Contains(ix.People()[i].Name, "Maduro") {
				t.Errorf("LookupPerson(%q) found nobody called Maduro", tc.typed)
			}
			continue
		}
		if !ok || typo != tc.typo || ix.People()[i].Name != tc.want {
			name := ""
			if ok {
				name = ix.People()[i].Name
			}
			t.Errorf("LookupPerson(%q) = %q typo=%v ok=%v, want %q typo=%v", tc.typed, name, typo, ok, tc.want, tc.typo)
		}
	}
	// A description's first word is an adjective, not a first name: "french
	// president" is not the French foreign ministry spokesperson.
	for _, typed := range []string{"napoleon", "", "👍", "x", "french president", "french"} {
		if _, _, ok := ix.LookupPerson(typed, false); ok {
			t.Errorf("LookupPerson(%q) found someone", typed)
		}
		if _, _, ok := ix.LookupPerson(typed, true); ok && typed != "french president" && typed != "french" {
			t.Errorf("LookupPerson(%q) found someone", typed)
		}
	}
}

// A name without its first words finds its person: both surnames, a name
// after initials, a body without its country.
func TestLookupLastWords(t *testing.T) {
	ix := madeUpIndex(t, map[string]string{
		"a.txt": "Talks began.\n" +
			"Bolivian Foreign Minister Rosa María Quispe Mamani said the talks went well.\n" +
			"Dr. A. K. M. Shamsul Haque, a hydrologist at Dhaka University, said floods were worse.\n" +
			"Chile’s Constitutional Court said it would rule in May.\n",
	})
	for typed, want := range map[string]string{"quispe mamani": "Rosa María Quispe Mamani", "maría quispe mamani": "Rosa María Quispe Mamani", "shamsul haque": "A. K. M. Shamsul Haque", "constitutional court": "Chile’s Constitutional Court"} {
		i, _, ok := ix.LookupPerson(typed, false)
		if !ok || ix.People()[i].Name != want {
			t.Errorf("LookupPerson(%q) = %d %v, want %q among %v", typed, i, ok, want, ix.People())
		}
	}
}

// A full name that matches no one's is read by its surname, when that is
// one person's surname (or one letter off a long one): another language's
// form of a given name ("Vladimir" for "Volodymyr") does not lose the
// person, and a given name someone else shares does not win over it.
func TestLookupBySurname(t *testing.T) {
	ix := build(t)
	for _, tc := range []struct {
		typed, want string
	}{
		{"vladimir zelensky", "Volodymyr Zelensky"}, // the Russian form; Vladimir is also Putin's
		{"vladimir zelenskyy", "Volodymyr Zelensky"},
		{"manuel macron", "Emmanuel Macron"},
		{"donald witkoff", "Steve Witkoff"},
	} {
		i, typo, ok := ix.LookupPerson(tc.typed, true)
		if !ok || !typo || ix.People()[i].Name != tc.want {
			t.Errorf("LookupPerson(%q) = %d typo=%v ok=%v, want %q shown as understood", tc.typed, i, typo, ok, tc.want)
		}
	}
	for _, typed := range []string{"john smith", "keir macronovich"} {
		if i, _, ok := ix.LookupPerson(typed, true); ok {
			t.Errorf("LookupPerson(%q) = %q: no one has that surname", typed, ix.People()[i].Name)
		}
	}
	if _, _, ok := ix.LookupPerson("vladimir zelensky", false); ok {
		t.Error("an exact lookup took a surname alone")
	}
}
