package people_test

import (
	"encoding/json"
	"io/fs"
	"path"
	"slices"
	"strings"
	"testing"

	"github.com/parley-bot/parley"
	"github.com/parley-bot/parley/index/people"
	"github.com/parley-bot/parley/index/places"
	"github.com/parley-bot/parley/index/segment"
	"github.com/parley-bot/parley/seeds"
)

// seedArticles reads the embedded seeds and splits them with the project's
// segmenter.
func seedArticles(tb testing.TB) []*parley.Article {
	tb.Helper()
	fsys := seeds.FS()
	meta := map[string]string{}
	if b, err := fs.ReadFile(fsys, "articles.json"); err == nil {
		var md struct {
			Articles []struct {
				ID     string  `json:"id"`
				Outlet *string `json:"outlet"`
			} `json:"articles"`
		}
		if err := json.Unmarshal(b, &md); err != nil {
			tb.Fatal(err)
		}
		for _, a := range md.Articles {
			if a.Outlet != nil {
				meta[a.ID] = *a.Outlet
			}
		}
	}
	names, err := fs.Glob(fsys, "*.txt")
	if err != nil || len(names) == 0 {
		tb.Fatalf("no seeds: %v", err)
	}
	var out []*parley.Article
	for _, n := range names {
		b, err := fs.ReadFile(fsys, n)
		if err != nil {
			tb.Fatal(err)
		}
		id := strings.TrimSuffix(path.Base(n), ".txt")
		a := &parley.Article{ID: id, Text: string(b)}
		a.Sentences = segment.Split(id, a.Text, segment.Options{Outlet: meta[id]})
		out = append(out, a)
	}
	return out
}

func newExtractor(tb testing.TB) *people.Extractor {
	tb.Helper()
	g, err := places.Load()
	if err != nil {
		tb.Fatal(err)
	}
	e, err := people.New(g)
	if err != nil {
		tb.Fatal(err)
	}
	return e
}

func TestSeeds(t *testing.T) {
	arts := seedArticles(t)
	ps := newExtractor(t).Annotate(arts)
	find := func(surname string) []parley.Person {
		var out []parley.Person
		for _, p := range ps {
			if strings.Contains(places.Fold(p.Name), surname) {
				out = append(out, p)
			}
		}
		return out
	}
	tests := []struct {
		surname, role, affiliation string
		minArticles                int
	}{
		{"macron", "president", "France", 4},
		{"starmer", "prime minister", "United Kingdom", 4},
		{"merz", "chancellor", "Germany", 3},
		{"rutte", "chief", "NATO", 1},
		{"witkoff", "special envoy", "United States", 3},
		{"kushner", "", "United States", 3},
		{"trump", "president", "United States", 4},
		{"zelensk", "president", "Ukraine", 4},
		{"putin", "president", "Russia", 3},
		{"carney", "prime minister", "Canada", 1},
		{"maduro", "", "Venezuela", 2},
	}
	for _, tc := range tests {
		t.Run(tc.surname, func(t *testing.T) {
			got := find(tc.surname)
			if len(got) != 1 {
				t.Fatalf("%d people named like %q: %v", len(got), tc.surname, names(got))
			}
			p := got[0]
			if tc.role != "" && !strings.EqualFold(p.Role, tc.role) {
				t.Errorf("%s: role %q, want %q", p.Name, p.Role, tc.role)
			}
			if p.Affiliation != tc.affiliation {
				t.Errorf("%s: affiliation %q, want %q", p.Name, p.Affiliation, tc.affiliation)
			}
			if len(p.Articles) < tc.minArticles {
				t.Errorf("%s: articles %v, want at least %d", p.Name, p.Articles, tc.minArticles)
			}
			if p.Mentions < len(p.Articles) {
				t.Errorf("%s: %d mentions in %d articles", p.Name, p.Mentions, len(p.Articles))
			}
		})
	}
	if z := find("zelensk"); len(z) == 1 && !slices.Contains(z[0].Aliases, "Zelenskiy") {
		t.Errorf("Zelensky's aliases %q lack Zelenskiy", z[0].Aliases)
	}
	for i := 1; i < len(ps); i++ {
		if ps[i].Mentions > ps[i-1].Mentions {
			t.Errorf("people not ranked by mentions: %v", names(ps))
		}
	}

	quotes := []struct{ text, speaker, kind string }{
		{"We think we’re largely finished", "witkoff", "quote"}, // via "he added"
		{"huge step forward", "zelensk", "quote"},
		{"still not enough to have peace", "zelensk", "quote"},
		{"Today, in the fourth year of the war", "merz", "quote"},
		{"It will also assume its responsibility", "merz", "quote"},    // continues Merz's quote
		{"This is a vital part of our commitment", "starmer", "quote"}, // inside a quote over three sentences
		{"The UK prime minister added", "starmer", "paraphrase"},
		{"the prime minister’s office said", "starmer", "quote"},
		{"foreign ministry spokesperson said", "spokesperson", "quote"},
		{"This does not mean that we will make peace", "kushner", "quote"},
		// An envoy the article never names: no guess.
		{"He added that “land options”", "", "paraphrase"},
		{"One, flanked by Jared Kushner", "", "quote"},
		// Scare quotes in narrative.
		{"A high-level meeting in Paris produced new U.S.", "", ""},
	}
	for _, tc := range quotes {
		t.Run(tc.text, func(t *testing.T) {
			s := sentence(t, arts, tc.text)
			if !strings.Contains(places.Fold(s.Speaker), tc.speaker) || (tc.speaker == "") != (s.Speaker == "") {
				t.Errorf("speaker %q, want one like %q", s.Speaker, tc.speaker)
			}
			if s.Kind != tc.kind {
				t.Errorf("kind %q, want %q", s.Kind, tc.kind)
			}
			if s.Speaker != "" && !slices.Contains(s.People, s.Speaker) {
				t.Errorf("people %q lack the speaker", s.People)
			}
		})
	}
	for _, a := range arts {
		for _, s := range a.Sentences {
			if strings.Contains(s.Text(a), "security protocols") && strings.Contains(s.Text(a), "U.S.") && !slices.Contains(s.Places, "United States") {
				t.Errorf("%q: places %q lack the United States", s.Text(a), s.Places)
			}
		}
	}
}

// TestSeedsDump prints what the seeds give, for a person to read: go test
// -run SeedsDump -v ./index/people.
func TestSeedsDump(t *testing.T) {
	if !testing.Verbose() {
		t.Skip("verbose only")
	}
	arts := seedArticles(t)
	ps := newExtractor(t).Annotate(arts)
	for _, p := range ps {
		t.Logf("%-32s %-20s %-16s %d %v %q", p.Name, p.Role, p.Affiliation, p.Mentions, p.Articles, p.Aliases)
	}
	for _, a := range arts {
		for _, s := range a.Sentences {
			if s.Kind != "" || s.Speaker != "" {
				t.Logf("%s/%d [%s|%s] %v %.110q", a.ID[:3], s.Position, s.Kind, s.Speaker, s.People, s.Text(a))
			}
		}
	}
}
