package discord

import (
	"context"
	"encoding/json"
	"io/fs"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/parley-bot/parley"
	"github.com/parley-bot/parley/seeds"
)

// seedMeta is what articles.json says about one seed article.
type seedMeta struct {
	ID       string  `json:"id"`
	Headline *string `json:"headline"`
	Outlet   *string `json:"outlet"`
	URL      *string `json:"url"`
}

func seedArticles(tb testing.TB) map[string]seedMeta {
	tb.Helper()
	b, err := fs.ReadFile(seeds.FS(), "articles.json")
	if err != nil {
		tb.Fatal(err)
	}
	var doc struct {
		Articles []seedMeta `json:"articles"`
	}
	if err := json.Unmarshal(b, &doc); err != nil {
		tb.Fatal(err)
	}
	out := map[string]seedMeta{}
	for _, a := range doc.Articles {
		out[a.ID] = a
	}
	return out
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// cite builds a citation of the sentence starting with text in a seed
// article, with the offsets and paragraph the handlers would give.
func cite(tb testing.TB, n int, id, text, title string) parley.Citation {
	tb.Helper()
	b, err := fs.ReadFile(seeds.FS(), id+".txt")
	if err != nil {
		tb.Fatal(err)
	}
	body := string(b)
	start := strings.Index(body, text)
	if start < 0 {
		tb.Fatalf("%s: %q not found", id, text)
	}
	end := start + len(text)
	ps := strings.LastIndexByte(body[:start], '\n') + 1
	pe := strings.IndexByte(body[end:], '\n')
	if pe < 0 {
		pe = len(body)
	} else {
		pe += end
	}
	m := seedArticles(tb)[id]
	if h := deref(m.Headline); h != "" {
		title = h
	}
	return parley.Citation{
		N: n, Article: id, Title: title, Outlet: deref(m.Outlet), URL: deref(m.URL),
		Date: "2026-01-06", Text: body[start:end], Start: start, End: end,
		ParagraphStart: ps, ParagraphEnd: pe, Paragraph: body[ps:pe],
	}
}

func sources(tb testing.TB) []parley.Source {
	tb.Helper()
	titles := map[string]string{
		"001_a6d6f05be7c2015a": "UK and France pledge troops to support post-war Ukraine",
		"002_5a2de83960ae3976": "US allies near Ukraine security guarantee deal in Paris",
		"003_a88a6f9518b06440": "The United Kingdom and France have signed a declaration of intent to deploy troops",
	}
	var out []parley.Source
	for i, id := range []string{"000_a4500263d0d01af0", "001_a6d6f05be7c2015a", "002_5a2de83960ae3976", "003_a88a6f9518b06440", "004_65177c6e93b92d8d"} {
		m := seedArticles(tb)[id]
		t := deref(m.Headline)
		if t == "" {
			t = titles[id]
		}
		out = append(out, parley.Source{Article: id, Title: t, Outlet: deref(m.Outlet), URL: deref(m.URL), Date: "2026-01-06", Sentences: 20 + 3*i})
	}
	return out
}

// fixtures are answers shaped like the handlers' real ones, keyed by the
// command line they answer.
func fixtures(tb testing.TB) map[string]*parley.Answer {
	tb.Helper()
	macron := parley.Person{Name: "Emmanuel Macron", Role: "President", Affiliation: "France", Mentions: 9}
	who := cite(tb, 1, "004_65177c6e93b92d8d", "Macron said France could send “several thousand” troops to Ukraine after the war.", "")
	who2 := cite(tb, 2, "002_5a2de83960ae3976", "French President Emmanuel Macron highlighted the meeting's outcome, stating it reflected for the first time an \"operational convergence\" between the 35 coalition countries, Ukraine, and the United States.", "US allies near Ukraine security guarantee deal in Paris")
	who2.AlsoIn = []string{"004_65177c6e93b92d8d"}
	hubs := cite(tb, 1, "000_a4500263d0d01af0", "Starmer also announced the establishment of Anglo-French “military hubs” to help support Ukraine’s defensive capabilities by building protected facilities to produce weapons and military equipment.", "")
	hubs2 := cite(tb, 2, "004_65177c6e93b92d8d", "Starmer said Britain and France would establish “military hubs” across Ukraine once a ceasefire is in place and “build protected facilities for weapons and military equipment to support Ukraine’s defensive needs.”", "")
	hubs2.Speaker, hubs2.Kind = "Keir Starmer", parley.SpeechParaphrase
	wit := cite(tb, 1, "003_a88a6f9518b06440", "Top US negotiator Steve Witkoff emphasized that “durable security guarantees and robust prosperity commitments are essential to a lasting peace” in Ukraine, highlighting a key demand of Kyiv.", "The United Kingdom and France have signed a declaration of intent to deploy troops")
	wit.Speaker, wit.Kind = "Steve Witkoff", parley.SpeechQuote
	wit2 := cite(tb, 2, "002_5a2de83960ae3976", "The security protocols, described as \"as strong as anyone has ever seen,\" were reported to be \"largely finished.\"", "US allies near Ukraine security guarantee deal in Paris")
	wit2.Speaker, wit2.Kind = "Steve Witkoff", parley.SpeechQuote
	wit2.AlsoIn = []string{"000_a4500263d0d01af0", "003_a88a6f9518b06440"}
	troops := cite(tb, 1, "004_65177c6e93b92d8d", "Macron said France could send “several thousand” troops to Ukraine after the war.", "")
	troops.Speaker, troops.Kind = "Emmanuel Macron", parley.SpeechParaphrase
	srcs := sources(tb)
	return map[string]*parley.Answer{
		"/who france": {
			Command: "who", Query: "france", Covered: true,
			Lead:   "France is represented by Emmanuel Macron, who said France could send “several thousand” troops.",
			People: []parley.Person{macron}, Citations: []parley.Citation{who, who2},
			Sources: []parley.Source{srcs[4], srcs[2]}, Page: 1, More: true,
		},
		"/who france#2": {
			Command: "who", Query: "france", Covered: true,
			Lead:      "France is represented by Emmanuel Macron (page 2).",
			Citations: []parley.Citation{func() parley.Citation { c := who2; c.N = 3; return c }()},
			Page:      2,
		},
		"/what military hubs": {
			Command: "what", Query: "military hubs", Covered: true,
			Lead:      "The UK and France plan Anglo-French military hubs in Ukraine after a ceasefire.",
			Citations: []parley.Citation{hubs, hubs2}, Page: 1,
		},
		"/quote witkoff": {
			Command: "quote", Query: "witkoff", Understood: "Steve Witkoff", Covered: true,
			Lead:      "Steve Witkoff, US special envoy, in his own words:",
			People:    []parley.Person{{Name: "Steve Witkoff", Role: "Special envoy", Affiliation: "United States", Mentions: 8}},
			Citations: []parley.Citation{wit, wit2}, Page: 1,
		},
		"/ask how many troops could france send": {
			Command: "ask", Query: "how many troops could france send", Covered: true,
			Lead:      "Macron said France could send “several thousand” troops to Ukraine after the war.",
			Citations: []parley.Citation{troops}, Page: 1,
		},
		"/sources": {
			Command: "sources", Covered: true, Lead: "Parley answers from these 5 articles about the Paris meeting of 6 January 2026.",
			Sources: srcs,
		},
		"/help": {
			Command: "help", Covered: true, Lead: "Ask Parley about the Coalition of the Willing meeting in Paris.",
			Commands: parley.Commands(),
		},
		"/ask how many troops will germany send": {
			Command: "ask", Query: "how many troops will germany send", Covered: false,
			Lead:        "The articles give no number of troops for Germany. Try one of the suggestions.",
			Suggestions: []string{"/who Friedrich Merz", "/what troops"},
			Related: []parley.Citation{
				cite(tb, 1, "000_a4500263d0d01af0", "Germany may also contribute to the troop deployment in Ukraine, but German Chancellor Friedrich Merz noted his country’s government and parliament would have to put the decision up for a vote if the monitoring force comes to fruition.", ""),
				cite(tb, 2, "002_5a2de83960ae3976", "German Chancellor Friedrich Merz expressed readiness for Germany to contribute troops to a peacekeeping mission post-ceasefire.", "US allies near Ukraine security guarantee deal in Paris"),
			},
		},
		"/who atlantis": {
			Command: "who", Query: "atlantis", Covered: false,
			Lead:        "The articles don't mention atlantis.",
			Suggestions: []string{"Ukraine", "France", "United Kingdom"},
		},
		"/ask @everyone <@&123> **ping** <@456> @here": {
			Command: "ask", Query: "@everyone <@&123> **ping** <@456> @here", Covered: false,
			Lead:        "The articles don't cover “@everyone <@&123> **ping** <@456> @here”.",
			Suggestions: []string{"/who france"},
		},
	}
}

// fakeAnswerer answers from fixtures and records the requests it saw.
type fakeAnswerer struct {
	tb      testing.TB
	answers map[string]*parley.Answer
	mu      sync.Mutex
	seen    []parley.Request
}

func newFakeAnswerer(tb testing.TB) *fakeAnswerer {
	return &fakeAnswerer{tb: tb, answers: fixtures(tb)}
}

func (f *fakeAnswerer) Answer(_ context.Context, req parley.Request) (*parley.Answer, error) {
	f.mu.Lock()
	f.seen = append(f.seen, req)
	f.mu.Unlock()
	key := "/" + req.Command
	if req.Query != "" {
		key += " " + req.Query
	}
	if req.Page > 1 {
		if a, ok := f.answers[key+"#"+itoa(req.Page)]; ok {
			return a, nil
		}
	}
	if a, ok := f.answers[key]; ok {
		return a, nil
	}
	return &parley.Answer{Command: req.Command, Query: req.Query, Lead: "No fixture for " + key + ".", Covered: false}, nil
}

func (f *fakeAnswerer) last() parley.Request {
	f.mu.Lock()
	defer f.mu.Unlock()
	if len(f.seen) == 0 {
		return parley.Request{}
	}
	return f.seen[len(f.seen)-1]
}

func itoa(n int) string { return strconv.Itoa(n) }
