package handlers_test

import (
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"unicode/utf8"

	"github.com/parley-bot/parley"
	"github.com/parley-bot/parley/handlers"
	"github.com/parley-bot/parley/index"
	"github.com/parley-bot/parley/seeds"
)

var (
	seedOnce sync.Once
	seedH    *handlers.Handlers
	seedIx   *index.Index
	seedErr  error
)

// seedHandlers builds the handlers over the embedded seeds once per test binary.
func seedHandlers(tb testing.TB) (*handlers.Handlers, *index.Index) {
	tb.Helper()
	seedOnce.Do(func() {
		arts, err := index.Load(seeds.FS())
		if err != nil {
			seedErr = err
			return
		}
		opts, err := indexOptions()
		if err != nil {
			seedErr = err
			return
		}
		seedIx, seedErr = index.Build(context.Background(), arts, opts)
		if seedErr == nil {
			seedH = handlers.New(seedIx, handlers.Options{})
		}
	})
	if seedErr != nil {
		tb.Fatal(seedErr)
	}
	return seedH, seedIx
}

// folderHandlers builds handlers over a folder of articles (made-up ones
// under testdata).
func folderHandlers(tb testing.TB, dir string) *handlers.Handlers {
	tb.Helper()
	arts, err := index.Load(os.DirFS(dir))
	if err != nil {
		tb.Fatal(err)
	}
	opts, err := indexOptions()
	if err != nil {
		tb.Fatal(err)
	}
	ix, err := index.Build(context.Background(), arts, opts)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { ix.Close() })
	return handlers.New(ix, handlers.Options{})
}

func ask(tb testing.TB, line string) *parley.Answer {
	tb.Helper()
	h, _ := seedHandlers(tb)
	ans, err := h.Answer(context.Background(), parley.Parse(line))
	if err != nil {
		tb.Fatalf("Answer(%q): %v", line, err)
	}
	return ans
}

// checkVerbatim is the promise Parley makes: every citation is a byte range
// of its article.
func checkVerbatim(tb testing.TB, ans *parley.Answer) {
	tb.Helper()
	_, ix := seedHandlers(tb)
	for _, c := range ans.Citations {
		a, ok := ix.Article(c.Article)
		if !ok {
			tb.Fatalf("citation of unknown article %q", c.Article)
		}
		if a.Text[c.Start:c.End] != c.Text {
			tb.Errorf("citation %d text %q is not article[%d:%d]", c.N, c.Text, c.Start, c.End)
		}
		if a.Text[c.ParagraphStart:c.ParagraphEnd] != c.Paragraph || c.ParagraphStart > c.Start || c.ParagraphEnd < c.End {
			tb.Errorf("citation %d paragraph range wrong", c.N)
		}
		if c.Title != a.Title || c.Outlet != a.Outlet || c.URL != a.URL {
			tb.Errorf("citation %d metadata differs from its article", c.N)
		}
		for _, other := range c.AlsoIn {
			if other == c.Article {
				tb.Errorf("citation %d lists its own article in also_in", c.N)
			}
		}
	}
}

func TestWhatAndAsk(t *testing.T) {
	tests := []struct {
		line, want string
	}{
		{"/what military hubs", "military hubs"},
		{"what declaration of intent", "declaration of intent"},
		{"/ask how many troops will Ukraine's army have", "800,000"},
		{"how many countries attended the meeting", "35"},
		{"/ask how long would the security guarantees last", "15-year"},
		{"/ask when did the invasion start", "2022"},
		{"what did Russia say about foreign troops?", "legitimate target"},
	}
	for _, tc := range tests {
		t.Run(tc.line, func(t *testing.T) {
			ans := ask(t, tc.line)
			if !ans.Covered || len(ans.Citations) == 0 {
				t.Fatalf("not covered: %+v", ans)
			}
			found := false
			for _, c := range ans.Citations[:min(3, len(ans.Citations))] {
				found = found || strings.Contains(c.Text, tc.want)
			}
			if !found {
				t.Errorf("no citation in the first 3 has %q: %q", tc.want, ans.Text)
			}
			checkVerbatim(t, ans)
			if ans.Lead == "" || !strings.Contains(ans.Text, ans.Lead) {
				t.Errorf("lead %q missing from text", ans.Lead)
			}
		})
	}
}

// A quote five articles carry takes one slot and lists the others.
func TestNearDuplicatesMerge(t *testing.T) {
	ans := ask(t, "/what largely finished")
	merged := false
	for _, c := range ans.Citations {
		if len(c.AlsoIn) >= 1 {
			merged = true
		}
	}
	if !merged {
		t.Fatalf("no citation merged: %q", ans.Text)
	}
	seen := map[string]bool{}
	for _, c := range ans.Citations {
		key := strings.ToLower(c.Text)
		if seen[key] {
			t.Errorf("citation %q twice", c.Text)
		}
		seen[key] = true
	}
}

func TestNotCovered(t *testing.T) {
	for _, line := range []string{"/what napoleon bonaparte", "/ask what is the recipe for lasagne?", "/what zzzzqqq"} {
		t.Run(line, func(t *testing.T) {
			ans := ask(t, line)
			if ans.Covered || len(ans.Citations) != 0 {
				t.Errorf("covered with %d citations", len(ans.Citations))
			}
			if !strings.Contains(ans.Lead, "don't mention") && !strings.Contains(ans.Lead, "don't cover") || len(ans.Suggestions) == 0 {
				t.Errorf("lead %q, suggestions %q", ans.Lead, ans.Suggestions)
			}
			for _, s := range ans.Suggestions {
				if got := ask(t, s); !got.Covered {
					t.Errorf("suggestion %q is not covered itself", s)
				}
			}
		})
	}
}

func TestSourcesAndHelp(t *testing.T) {
	ans := ask(t, "/sources")
	if len(ans.Sources) != 5 {
		t.Fatalf("%d sources", len(ans.Sources))
	}
	for _, s := range ans.Sources {
		if s.Title == "" || s.Sentences == 0 || !strings.Contains(ans.Text, s.Title) {
			t.Errorf("source %+v not shown", s)
		}
	}
	help := ask(t, "")
	if help.Command != "help" || len(help.Commands) != len(parley.Commands()) {
		t.Fatalf("help: %+v", help)
	}
	for _, c := range parley.Commands() {
		if !strings.Contains(help.Text, c.Examples[0]) {
			t.Errorf("help lacks example %q", c.Examples[0])
		}
	}
	unknown := ask(t, "/wat military hubs")
	if unknown.Command != "help" || !strings.Contains(unknown.Lead, "/what") {
		t.Errorf("unknown command lead %q", unknown.Lead)
	}
}

func TestPages(t *testing.T) {
	h, _ := seedHandlers(t)
	p1, _ := h.Answer(context.Background(), parley.Request{Command: "what", Query: "Ukraine troops"})
	p2, _ := h.Answer(context.Background(), parley.Request{Command: "what", Query: "Ukraine troops", Page: 2})
	if !p1.More || len(p1.Citations) != 5 || p2.Page != 2 || len(p2.Citations) == 0 {
		t.Fatalf("page 1: %d more=%v; page 2: %d page=%d", len(p1.Citations), p1.More, len(p2.Citations), p2.Page)
	}
	if p2.Citations[0].N != 6 || p2.Citations[0].Text == p1.Citations[0].Text {
		t.Errorf("page 2 starts with [%d] %q", p2.Citations[0].N, p2.Citations[0].Text)
	}
	big, _ := h.Answer(context.Background(), parley.Request{Command: "what", Query: "Ukraine troops", Page: 99})
	if big.Page < 2 || len(big.Citations) == 0 {
		t.Errorf("page 99 gave page %d with %d citations", big.Page, len(big.Citations))
	}
}

func TestBadInput(t *testing.T) {
	tests := []string{
		"", "/what", "/ask", "/ask ?", "/what \x00\x01\x1b[31m", "/what 👍🏽🇺🇦", "/what مرحبا بالعالم", "/what שלום",
		"/what " + strings.Repeat("troops ", 1500), "/ask " + strings.Repeat("x", 10000),
		"/what * ? : ~ ^ /regex/ field:value \"quoted", "/what <!channel> @everyone <@U123>", "/what \xff\xfe",
		"/sources extra words", "/help me",
		// Yes-no questions of names alone: no key word to read a verdict by.
		"was kushner in paris", "is macron", "did putin", "were witkoff and kushner in paris",
	}
	for _, line := range tests {
		name := line
		if len(name) > 40 {
			name = name[:40]
		}
		t.Run(name, func(t *testing.T) {
			ans := ask(t, line)
			if ans.Lead == "" || ans.Text == "" {
				t.Errorf("empty answer")
			}
			if !utf8.ValidString(ans.Text) || !utf8.ValidString(ans.Query) {
				t.Errorf("invalid UTF-8 in answer")
			}
			if utf8.RuneCountInString(ans.Query) > parley.MaxQuery {
				t.Errorf("query of %d characters reached the index", utf8.RuneCountInString(ans.Query))
			}
			checkVerbatim(t, ans)
		})
	}
	long := ask(t, "/what "+strings.Repeat("troops ", 1500))
	if long.Notice == "" || !strings.Contains(long.Text, long.Notice) {
		t.Errorf("a cut query is not said: notice %q", long.Notice)
	}
}

func TestJSONContract(t *testing.T) {
	ans := ask(t, "/what military hubs")
	b, err := json.Marshal(ans)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	json.Unmarshal(b, &m)
	for _, k := range []string{"command", "query", "understood", "covered", "suggestions", "text", "people", "citations"} {
		if _, ok := m[k]; !ok {
			t.Errorf("JSON lacks %q", k)
		}
	}
	c := m["citations"].([]any)[0].(map[string]any)
	for _, k := range []string{"n", "article", "title", "outlet", "date", "url", "text", "start", "end", "paragraph_start", "paragraph_end", "also_in", "speaker", "kind"} {
		if _, ok := c[k]; !ok {
			t.Errorf("citation JSON lacks %q", k)
		}
	}
}

// handlers must stay free of the index engine, the platforms and HTTP.
func TestHandlersImports(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", ".").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	for _, dep := range strings.Fields(string(out)) {
		for _, banned := range []string{"github.com/blevesearch/", "github.com/slack-go/", "github.com/bwmarrin/discordgo", "net/http"} {
			if strings.HasPrefix(dep, banned) {
				t.Errorf("handlers depends on %s", dep)
			}
		}
	}
}

func FuzzAnswer(f *testing.F) {
	for _, s := range []string{"/who france", "/what hubs", "", "/ask how many?", "\x00", "<!here>", "👍", "/quote", "/x y", "was kushner in paris"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, line string) {
		ans := ask(t, line)
		if ans.Lead == "" || !utf8.ValidString(ans.Text) {
			t.Fatalf("bad answer to %q: %+v", line, ans)
		}
		checkVerbatim(t, ans)
	})
}

func TestSignature(t *testing.T) {
	tests := []struct {
		a, b string
		same bool
	}{
		{"He said the allies had “largely finished” agreeing “so that the people of Ukraine know that when this [war] ends, it ends forever.”",
			"One envoy said allies had “largely finished” agreeing guarantees “so that the people of Ukraine know that when this ends, it ends forever.”", true},
		{"The harbour reopened on Friday after two years.", "On Friday the harbour reopened, after two years.", true},
		{"The harbour reopened on Friday after two years.", "Fishing quotas will double next spring, officials said.", false},
		{"He called it “a fair and lasting deal for all.”", "Critics called the accord unfair to fishermen in the north.", false},
		{"Before the quote “one two three four five” after.", "Other words “one two three four five” here.", true},
		{"Word “one two three four” five six.", "The one two of them spoke elsewhere about entirely different matters in winter.", false},
	}
	for _, tc := range tests {
		if got := handlers.SameThing(tc.a, tc.b); got != tc.same {
			t.Errorf("same(%q, %q) = %v, want %v", tc.a, tc.b, got, tc.same)
		}
	}
}

// A topic part of which the articles never mention is not covered: the
// lead says what they don't mention, and what they do say nearby comes as
// related passages, never as citations.
func TestWhatSaysWhatIsMissing(t *testing.T) {
	for line, missing := range map[string]string{"/what troops in antarctica": "Antarctica", "/what military hubs zanzibar": "zanzibar", "/what japan troops": "Japan"} {
		ans := ask(t, line)
		if ans.Covered || len(ans.Citations) > 0 || !strings.Contains(ans.Lead, "don't mention") || !strings.Contains(ans.Lead, missing) {
			t.Errorf("%s: covered=%v, %d citations, lead %q", line, ans.Covered, len(ans.Citations), ans.Lead)
		}
		if len(ans.Related) == 0 {
			t.Errorf("%s: no related passages", line)
		}
		checkVerbatim(t, &parley.Answer{Citations: ans.Related})
	}
	if ans := ask(t, "/what military hubs"); strings.Contains(ans.Lead, "don't mention") || !ans.Covered {
		t.Errorf("lead %q", ans.Lead)
	}
}

func TestWithArticle(t *testing.T) {
	for place, want := range map[string]string{
		"France": "France", "NATO": "NATO", "United States": "the United States", "Netherlands": "the Netherlands",
		"Czech Republic": "the Czech Republic", "Isle of Man": "the Isle of Man", "Germany": "Germany",
	} {
		if got := handlers.WithArticle(place); got != want {
			t.Errorf("withArticle(%q) = %q, want %q", place, got, want)
		}
	}
}

// The lead states a value only when it answers what was asked: the one
// that names the question's words, or that several articles report.
func TestDirectLead(t *testing.T) {
	tests := []struct{ line, want string }{
		{"/ask how many heads of state attended", "27 heads of state"},
		{"/ask how much of Ukraine does Russia control", "20%"},
		{"/ask what percentage of Donetsk does Moscow control", "75%"},
		{"/ask how many troops will Ukraine's army have", "800,000"},
		{"/ask when did the invasion start", "2022"},
	}
	for _, tc := range tests {
		if ans := ask(t, tc.line); !strings.Contains(ans.Lead, tc.want) {
			t.Errorf("%s: lead %q, want %q", tc.line, ans.Lead, tc.want)
		}
	}
	if ans := ask(t, "/ask how long would the security guarantees last"); strings.Contains(ans.Lead, "long-term") {
		t.Errorf("a vague duration stated as the answer: %q", ans.Lead)
	}
}
