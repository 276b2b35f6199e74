package people_test

import (
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/parley-bot/parley"
	"github.com/parley-bot/parley/index"
	"github.com/parley-bot/parley/index/segment"
)

// copies returns n copies of the seeds under new ids, to show that the cost
// grows linearly with the articles.
func copies(tb testing.TB, n int) []*parley.Article {
	seeds := seedArticles(tb)
	var out []*parley.Article
	for i := range n {
		for _, a := range seeds {
			b := *a
			b.ID = fmt.Sprintf("%s_%d", a.ID, i)
			b.Sentences = slices.Clone(a.Sentences)
			out = append(out, &b)
		}
	}
	return out
}

func BenchmarkAnnotate(b *testing.B) {
	e := newExtractor(b)
	for _, n := range []int{1, 4, 16} {
		arts := copies(b, n)
		b.Run(fmt.Sprintf("seeds_x%d", n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				e.Annotate(arts)
			}
		})
	}
}

func BenchmarkNew(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		newExtractor(b)
	}
}

func TestBadInput(t *testing.T) {
	e := newExtractor(t)
	if got := e.Annotate(nil); len(got) != 0 {
		t.Errorf("nil articles: %v", got)
	}
	texts := []string{
		"",
		"“",
		"\"\"\"\"",
		"He said. She said. They said “",
		strings.Repeat("President ", 3000),
		strings.Repeat("Mr Smith said “no. ", 700),
		"🇺🇦 President 😀 Emoji said “hi” \u202eRTL\u202c <!channel> @everyone \x00\x01\x7f",
		strings.Repeat("A", 10000),
		"According to",
		"Jared Kushner, , said",
	}
	var arts []*parley.Article
	for i, text := range texts {
		id := fmt.Sprint("bad", i)
		a := &parley.Article{ID: id, Text: text, Sentences: segment.Split(id, text, segment.Options{})}
		arts = append(arts, a)
	}
	// Sentences whose offsets are wrong are left alone, not a panic.
	arts = append(arts, nil, &parley.Article{ID: "broken", Text: "short", Sentences: []parley.Sentence{{Start: 3, End: 99}, {Start: -1, End: 2}}})
	ps := e.Annotate(arts)
	checkConsistent(t, arts, ps)
}

// checkConsistent holds for any input: speakers and mentioned people are
// among the people returned, mentions match the sentences.
func checkConsistent(t *testing.T, arts []*parley.Article, ps []parley.Person) {
	t.Helper()
	count := map[string]int{}
	for _, p := range ps {
		if p.Name == "" || p.Mentions < 1 || len(p.Articles) == 0 {
			t.Errorf("bad person %+v", p)
		}
		count[p.Name] = 0
	}
	for _, a := range arts {
		if a == nil {
			continue
		}
		for _, s := range a.Sentences {
			if s.Speaker != "" && !slices.Contains(s.People, s.Speaker) {
				t.Errorf("speaker %q not among people %q", s.Speaker, s.People)
			}
			if s.Kind != "" && s.Kind != parley.SpeechQuote && s.Kind != parley.SpeechParaphrase {
				t.Errorf("kind %q", s.Kind)
			}
			for _, p := range s.People {
				if _, ok := count[p]; !ok {
					t.Errorf("sentence names %q, not in people", p)
				}
				count[p]++
			}
		}
	}
	for _, p := range ps {
		if count[p.Name] != p.Mentions {
			t.Errorf("%s: %d mentions, %d sentences", p.Name, p.Mentions, count[p.Name])
		}
	}
}

func FuzzAnnotate(f *testing.F) {
	e := newExtractor(f)
	// Short seeds: the fuzzer stalls on article-sized ones.
	f.Add("“We think,” he added. “But,” said Jane Roe.")
	f.Add("Spanish Foreign Minister Lucía Fernández said. She added that “it is.”")
	f.Add("Brazil's veteran leader, Joaquim Alves, called it a “historic day.”\nAccording to Alves, no.")
	f.Add("Ukrainian President Zelenskiy’s ‘office’ said: “no”")
	f.Add("VILNIUS — The deputy defence minister of Estonia, Mart Kivirähk, said so.\nIn Oslo, Defence Minister Kari Nygaard said no.")
	f.Add("Sheikh Saif bin Rashid Al Nuaimi, an envoy of the UAE, said yes. Sheikh Saif said. Al Nuaimi said.")
	f.Add("Senator Walter Hargrove Jr. said. “No,” Hargrove Jr. said. U Zaw Min Htet said. Daw Khin said.")
	f.Add("Romania’s coast guard said. The coast guard said. The ministry said. The alliance said. Laos’ energy ministry said.")
	f.Add("Lt. Gen. Pieter Willemsen, who chairs the EU Military Committee, warned. Labour MP Samuel Israel said. Israel said.")
	f.Add("A spokeswoman for Prime Minister Keir Starmer, Helen Achterberg, said. Koski’s spokeswoman said.")
	f.Fuzz(func(t *testing.T, text string) {
		a := &parley.Article{ID: "f", Text: text, Sentences: segment.Split("f", text, segment.Options{})}
		ps := e.Annotate([]*parley.Article{a})
		checkConsistent(t, []*parley.Article{a}, ps)
	})
}

// BenchmarkAnnotateFolder measures annotation of a folder of articles named
// by PARLEY_PEOPLE_CORPUS (a cmd/parley-synth output, say): the cost per
// article must stay flat from 1,000 to 10,000 articles. Skipped without it.
//
//	PARLEY_PEOPLE_CORPUS=/tmp/c1k go test -run x -bench AnnotateFolder -benchtime 3x ./index/people
func BenchmarkAnnotateFolder(b *testing.B) {
	dir := os.Getenv("PARLEY_PEOPLE_CORPUS")
	if dir == "" {
		b.Skip("PARLEY_PEOPLE_CORPUS not set")
	}
	arts, err := index.Load(os.DirFS(dir))
	if err != nil {
		b.Fatal(err)
	}
	n := 0
	for _, a := range arts {
		n += len(a.Sentences)
	}
	e := newExtractor(b)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		e.Annotate(arts)
	}
	b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N)/float64(len(arts)), "µs/article")
	b.ReportMetric(float64(n), "sentences")
}
