package people_test

import (
	"encoding/json"
	"io/fs"
	"path"
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

func TestSeedsDump(t *testing.T) {
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
