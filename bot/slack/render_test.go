package slack

import (
	"encoding/json"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/parley-bot/parley"
)

// checkLimits fails when m breaks one of Slack's limits or is not valid UTF-8.
func checkLimits(tb testing.TB, m message) {
	tb.Helper()
	if n := len(m.Blocks); n > maxBlocks {
		tb.Errorf("%d blocks", n)
	}
	if !utf8.ValidString(m.Text) || utf16Len(m.Text) > maxFallbackText {
		tb.Errorf("fallback text invalid or %d long", utf16Len(m.Text))
	}
	checkButton := func(e element) {
		label := e.Text
		if n := utf16Len(label); n == 0 || n > maxButtonText || !utf8.ValidString(label) {
			tb.Errorf("button text %q (%d)", label, n)
		}
		if n := utf16Len(e.Value); n > maxButtonValue || !utf8.ValidString(e.Value) {
			tb.Errorf("button value %d long", n)
		}
		if e.ActionID == "" {
			tb.Error("button without action id")
		}
	}
	ids := map[string]bool{}
	for _, b := range m.Blocks {
		if len(b.Raw) > 0 {
			if !json.Valid(b.Raw) {
				tb.Errorf("raw block is not JSON: %s", b.Raw)
			}
			continue
		}
		if b.Text != nil {
			if n := utf16Len(b.Text.Text); n > maxSectionText || n == 0 || !utf8.ValidString(b.Text.Text) {
				tb.Errorf("section text %d long (valid UTF-8: %v)", n, utf8.ValidString(b.Text.Text))
			}
		}
		if b.Accessory != nil {
			checkButton(*b.Accessory)
			if ids[b.Accessory.ActionID] {
				tb.Errorf("action id %s twice", b.Accessory.ActionID)
			}
			ids[b.Accessory.ActionID] = true
		}
		switch b.Type {
		case "context":
			if n := len(b.Elements); n == 0 || n > maxContextElements {
				tb.Errorf("context with %d elements", n)
			}
			for _, e := range b.Elements {
				s := e.Text
				if n := utf16Len(s); n == 0 || n > maxContextText || !utf8.ValidString(s) {
					tb.Errorf("context text %d long", n)
				}
			}
		case "actions":
			if n := len(b.Elements); n == 0 || n > maxActionElements {
				tb.Errorf("actions with %d elements", n)
			}
			for _, e := range b.Elements {
				checkButton(e)
				if ids[e.ActionID] {
					tb.Errorf("action id %s twice", e.ActionID)
				}
				ids[e.ActionID] = true
			}
		}
	}
}

func TestClip(t *testing.T) {
	tests := []struct {
		name  string
		in    string
		limit int
		want  string
	}{
		{"short", "hello world", 20, "hello world"},
		{"word boundary", "the quick brown fox jumps", 18, "the quick brown…"},
		{"keeps marks", "Macron spoke [1] and Starmer agreed [2][3] at length", 22, "Macron… [1][2][3]"},
		{"not inside entity", "aaaa bbbb &amp;&amp;&amp;", 14, "aaaa bbbb…"},
		{"not inside link", "see <https://example.com/a|the article> now", 20, "see…"},
		{"emoji", strings.Repeat("🇫🇷", 10), 9, "🇫🇷🇫🇷…"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := clip(tc.in, tc.limit)
			if got != tc.want {
				t.Errorf("clip(%q, %d) = %q, want %q", tc.in, tc.limit, got, tc.want)
			}
			if utf16Len(got) > tc.limit || !utf8.ValidString(got) {
				t.Errorf("clip result %q over %d or invalid", got, tc.limit)
			}
		})
	}
}

func FuzzClip(f *testing.F) {
	f.Add("Macron said [1] that [2] the &amp; <https://x.y|z> 🇺🇦", 10)
	f.Add(strings.Repeat("[12]", 100), 7)
	f.Add("\xff\xfe invalid", 3)
	f.Fuzz(func(t *testing.T, s string, limit int) {
		limit = 1 + abs(limit)%4000
		got := clip(s, limit)
		if utf16Len(got) > limit {
			t.Fatalf("clip over limit: %d > %d", utf16Len(got), limit)
		}
		if utf8.ValidString(s) && !utf8.ValidString(got) {
			t.Fatalf("clip broke UTF-8: %q", got)
		}
	})
}

func abs(n int) int {
	if n < 0 {
		if n == -n {
			return 0
		}
		return -n
	}
	return n
}

func TestEscape(t *testing.T) {
	tests := []struct{ in, want string }{
		{"plain", "plain"},
		{"<!channel>", "&lt;!channel&gt;"},
		{"AT&T", "AT&amp;T"},
		{"<@U123|bob>", "&lt;@U123|bob&gt;"},
		{"bell\x07tab\tnl\n", "bell tab\tnl\n"},
		{"bad\xffbyte", "bad\uFFFDbyte"},
		{"emoji 🇺🇦 ok", "emoji 🇺🇦 ok"},
	}
	for _, tc := range tests {
		if got := escape(tc.in); got != tc.want {
			t.Errorf("escape(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// TestPlainEveryPosition puts each character plain replaces, and some it
// keeps, at every position of a string two words long and more, where its
// eight-byte skipping must stop for them.
func TestPlainEveryPosition(t *testing.T) {
	tests := []struct{ in, want string }{
		{"\x00", " "}, {"\x1f", " "}, {"\x7f", " "}, {"\u0085", " "}, {"\u2028", " "}, {"\u2029", " "},
		{"\xff", "\uFFFD"}, {"\uFFFD", "\uFFFD"},
		{"\n", "\n"}, {"\t", "\t"}, {" ", " "}, {"~", "~"}, {`"`, `"`}, {`\`, `\`}, {"é", "é"}, {"🇺🇦", "🇺🇦"},
	}
	for _, tc := range tests {
		for n := 0; n <= 20; n++ {
			for at := 0; at <= n; at++ {
				a, b := strings.Repeat("a", at), strings.Repeat("b", n-at)
				if got, want := plain(a+tc.in+b), a+tc.want+b; got != want {
					t.Errorf("plain(%q) = %q, want %q", a+tc.in+b, got, want)
				}
			}
		}
	}
}

// longAnswer is an answer over every limit: long lead, many long citations,
// many people and sources, and text meant to be a mention.
func longAnswer(n int, text string) *parley.Answer {
	ans := &parley.Answer{Command: parley.CommandWhat, Query: text, Covered: true, More: true, Page: 1,
		Lead: strings.Repeat(text+" [1] ", 400), Notice: strings.Repeat("cut ", 600), Understood: text}
	for i := 1; i <= n; i++ {
		ans.Citations = append(ans.Citations, parley.Citation{
			N: i, Title: strings.Repeat("Title "+text, 60), Outlet: text, Date: "2026-01-06",
			URL: "https://example.com/a?b=1&c=<2>|" + text, Text: strings.Repeat(text+" ", 1000),
			Paragraph: strings.Repeat("p ", 5000), AlsoIn: []string{"a", "b"}, Speaker: text, Kind: parley.SpeechQuote,
		})
		ans.People = append(ans.People, parley.Person{Name: text, Role: text, Affiliation: text, Mentions: i})
		ans.Sources = append(ans.Sources, parley.Source{Title: text, URL: "https://example.com/" + strconv.Itoa(i)})
	}
	ans.Suggestions = []string{strings.Repeat("/who "+text, 300)}
	for i := 1; i <= 3; i++ {
		ans.Related = append(ans.Related, parley.Citation{N: i, Title: strings.Repeat("Near "+text, 60), Outlet: text,
			URL: "https://example.com/near|" + text, Text: strings.Repeat(text+" near ", 800)})
	}
	return ans
}

// Nearby passages of a question the articles don't answer come apart from
// citations: a heading, numbered (1), (2) ..., no buttons of their own,
// after what answers, and dropped before a citation would be.
func TestRelatedApart(t *testing.T) {
	ans := &parley.Answer{Command: parley.CommandAsk, Query: "how many troops will germany send", Lead: "The articles give no number of troops for Germany.",
		Related: []parley.Citation{
			{N: 1, Title: "A", Text: "Germany may also contribute to the troop deployment."},
			{N: 2, Title: "B", Text: "Merz expressed readiness.", URL: "https://example.com/b"},
		}}
	m := render(ans, view{Line: "/ask x"}, commandNames{}, "")
	checkLimits(t, m)
	texts := strings.Join(blockTexts(m), "\n")
	for _, want := range []string{relatedHeading, "“Germany may also contribute to the troop deployment.”", "(1) A", "(2) B"} {
		if !strings.Contains(texts, want) {
			t.Errorf("related answer lacks %q:\n%s", want, texts)
		}
	}
	if strings.Contains(texts, "[1]") {
		t.Errorf("a related passage is marked as a citation:\n%s", texts)
	}
	for _, b := range m.Blocks {
		if b.Accessory != nil {
			t.Errorf("a related passage has a button: %+v", b)
		}
	}
	full := render(longAnswer(60, "x"), view{}, commandNames{}, "")
	if strings.Contains(strings.Join(blockTexts(full), "\n"), relatedHeading) {
		t.Error("nearby passages shown where citations did not all fit")
	}
}

func TestLongAnswerWithinLimits(t *testing.T) {
	for _, n := range []int{0, 1, 5, 24, 60} {
		for _, pub := range []bool{false, true} {
			m := render(longAnswer(n, "<!channel> Zelenskyy’s “guarantees” 🇺🇦 &"), view{Public: pub, Line: strings.Repeat("/what x", 500)}, commandNames{}, "/parley")
			checkLimits(t, m)
			raw, err := json.Marshal(m)
			if err != nil {
				t.Fatal(err)
			}
			if strings.Contains(strings.Join(mrkdwnTexts(m), "\n"), "<!channel>") {
				t.Errorf("n=%d: <!channel> not escaped", n)
			}
			if n > 0 && !strings.Contains(string(raw), "*[1]*") {
				t.Errorf("n=%d: citation mark [1] dropped", n)
			}
		}
	}
}

func TestTooManyCitationsSaysSo(t *testing.T) {
	m := render(longAnswer(60, "x"), view{}, commandNames{}, "")
	if !strings.Contains(strings.Join(blockTexts(m), "\n"), "more citations did not fit") {
		t.Error("dropped citations not mentioned")
	}
}

func FuzzRender(f *testing.F) {
	f.Add("<!channel> who", "Macron said “robust” guarantees [1].", "https://bharathorizon.com/a", 3, false)
	f.Add("@here", strings.Repeat("🇫🇷 ", 2000), "", 30, true)
	f.Add("\x00\xff", "&amp;&lt;", "javascript:alert(1)", 1, false)
	f.Fuzz(func(t *testing.T, query, text, url string, n int, public bool) {
		n = abs(n) % 40
		ans := &parley.Answer{Command: parley.CommandWho, Query: query, Lead: query + " " + text, More: n%2 == 0, Covered: n%3 != 0,
			Suggestions: []string{query}, Notice: text}
		for i := 1; i <= n; i++ {
			ans.Citations = append(ans.Citations, parley.Citation{N: i, Title: query, URL: url, Text: text, Paragraph: text + query,
				Start: i, End: i + len(text), ParagraphStart: 0, Speaker: query, Kind: parley.SpeechQuote, AlsoIn: []string{query}})
			ans.People = append(ans.People, parley.Person{Name: query, Role: text})
			ans.Sources = append(ans.Sources, parley.Source{Title: text, URL: url})
		}
		if !ans.Covered {
			ans.Related = ans.Citations[:min(3, n)]
		}
		m := render(ans, view{Public: public, Line: query}, commandNames{}, "/parley")
		checkLimits(t, m)
		if _, err := json.Marshal(m); err != nil {
			t.Fatal(err)
		}
		for _, s := range append(mrkdwnTexts(m), m.Text) {
			if strings.Contains(s, "<!") || strings.Contains(s, "<@") {
				t.Fatalf("unescaped mention in %q", s)
			}
		}
		for _, c := range ans.Citations {
			checkLimits(t, renderContext(c))
		}
	})
}

// richParts reads the text elements of renderContext's rich_text block.
func richParts(t *testing.T, m message) (texts []string, bold []bool) {
	t.Helper()
	var rt struct {
		Type     string `json:"type"`
		Elements []struct {
			Type     string `json:"type"`
			Elements []struct {
				Type  string `json:"type"`
				Text  string `json:"text"`
				Style *struct {
					Bold bool `json:"bold"`
				} `json:"style"`
			} `json:"elements"`
		} `json:"elements"`
	}
	if len(m.Blocks) != 2 || json.Unmarshal(m.Blocks[1].Raw, &rt) != nil || rt.Type != "rich_text" || len(rt.Elements) != 1 || rt.Elements[0].Type != "rich_text_quote" {
		t.Fatalf("context message is not a header and a rich_text quote: %+v", m.Blocks)
	}
	for _, e := range rt.Elements[0].Elements {
		texts = append(texts, e.Text)
		bold = append(bold, e.Style != nil && e.Style.Bold)
	}
	return texts, bold
}

func boldPart(t *testing.T, m message) string {
	t.Helper()
	texts, bold := richParts(t, m)
	for i, b := range bold {
		if b {
			return texts[i]
		}
	}
	return ""
}

func TestRenderContextMarksExcerpt(t *testing.T) {
	c := loadCorpus(t)
	cit := c.cite(2, a004, "Macron said France could send “several thousand” troops to Ukraine after the war.")
	m := renderContext(cit)
	checkLimits(t, m)
	if got := boldPart(t, m); got != cit.Text {
		t.Errorf("excerpt not marked: %q", got)
	}
	texts, _ := richParts(t, m)
	rest := strings.TrimSpace(strings.TrimPrefix(cit.Paragraph, cit.Text))
	if !strings.Contains(strings.Join(texts, ""), rest[:40]) {
		t.Errorf("paragraph around the excerpt missing: %q", texts)
	}
	if got := m.Blocks[0].Elements[0].Text; got != "*[2]*" {
		t.Errorf("context line starts %q", got)
	}

	// Inconsistent offsets fall back to finding the excerpt.
	cit.Start += 3
	if got := boldPart(t, renderContext(cit)); !strings.HasPrefix(got, "Macron said") {
		t.Errorf("fallback failed: %q", got)
	}
	// A huge paragraph is cut around the excerpt, which stays.
	cit.Paragraph = strings.Repeat("before ", 2000) + cit.Text + strings.Repeat(" after", 2000)
	m = renderContext(cit)
	checkLimits(t, m)
	if got := boldPart(t, m); !strings.HasPrefix(got, "Macron said France") {
		t.Errorf("excerpt lost in a long paragraph: %q", got)
	}
}

// Formatting characters and mentions in article text stay characters:
// they reach Slack in plain_text, never in mrkdwn.
func TestArticleTextIsNotFormatted(t *testing.T) {
	nasty := "*bold* _italic_ ~strike~ `code` <!channel> <@U123> &amp;"
	ans := &parley.Answer{Command: parley.CommandWho, Query: nasty, Covered: true, Lead: nasty, Understood: nasty,
		People:      []parley.Person{{Name: nasty, Role: nasty, Affiliation: nasty, Mentions: 2}},
		Citations:   []parley.Citation{{N: 1, Title: nasty, Outlet: nasty, Text: nasty, Speaker: nasty, Kind: parley.SpeechQuote, Paragraph: nasty, ParagraphEnd: len(nasty), End: len(nasty), URL: "https://example.com/a"}},
		Sources:     []parley.Source{{Title: nasty, Outlet: nasty}},
		Suggestions: []string{nasty}}
	m := render(ans, view{Line: "/who x"}, commandNames{}, "/parley")
	for _, s := range mrkdwnTexts(m) {
		for _, c := range []string{"*bold*", "_italic_", "~strike~", "`code`", "<!channel>", "<@U123>"} {
			if strings.Contains(s, c) {
				t.Errorf("mrkdwn text %q carries article text %q", s, c)
			}
		}
	}
	plainAll := strings.Join(plainTexts(m), "\n")
	if n := strings.Count(plainAll, nasty); n < 5 {
		t.Errorf("article text shown verbatim %d times in plain_text, want the lead, person, excerpt, meta and suggestion:\n%s", n, plainAll)
	}
	texts, _ := richParts(t, renderContext(ans.Citations[0]))
	if strings.Join(texts, "") != nasty {
		t.Errorf("context shows %q, want the paragraph verbatim", texts)
	}
}

func TestArticleRef(t *testing.T) {
	tests := []struct{ title, outlet, date, want string }{
		{"A & B", "", "", "A & B"},
		{"T", "Axadle Times", "2026-01-06", "T — Axadle Times, 6 Jan 2026"},
		{"T", "", "Tuesday", "T — Tuesday"},
		{"", "O", "", "Untitled article — O"},
	}
	for _, tc := range tests {
		if got := articleRef(tc.title, tc.outlet, tc.date); got != tc.want {
			t.Errorf("articleRef(%q, ...) = %q, want %q", tc.title, got, tc.want)
		}
	}
	c := citationContext(parley.Citation{N: 3, Title: "T", URL: "https://x.y/a|b>c"})
	if got := c.Elements[len(c.Elements)-1].Text; got != "<https://x.y/a%7Cb%3Ec|Read the article>" {
		t.Errorf("link %q", got)
	}
	if c := citationContext(parley.Citation{N: 3, Title: "T", URL: "javascript:alert(1)"}); len(c.Elements) != 2 {
		t.Errorf("a javascript: URL linked: %+v", c.Elements)
	}
}

func TestHelpUsesConfiguredNames(t *testing.T) {
	ans := &parley.Answer{Command: parley.CommandHelp, Lead: "help", Commands: parley.Commands()}
	m := render(ans, view{}, commandNames{"who": "/whois"}, "/news")
	all := strings.Join(blockTexts(m), "\n")
	for _, want := range []string{"*/whois &lt;country, organisation, person or topic&gt;*", "`/whois france`", "/news who france", "`/what military hubs`"} {
		if !strings.Contains(all, want) {
			t.Errorf("help lacks %q:\n%s", want, all)
		}
	}
}

func TestState(t *testing.T) {
	for _, s := range []state{{Line: "/who france", Page: 2, N: 3, Public: true, Sum: "0123456789abcdef"}, {Line: "a|b|c"}, {Line: ""}} {
		got, err := decodeState(s.encode())
		if err != nil || got != s {
			t.Errorf("round trip %+v = %+v, %v", s, got, err)
		}
	}
	long := state{Line: strings.Repeat("é", 2000)}
	if v := long.encode(); len(v) > maxButtonValue || !utf8.ValidString(v) {
		t.Errorf("long state: %d bytes, valid %v", len(v), utf8.ValidString(v))
	}
	if got, err := decodeState("1|2|3|1|/who france"); err != nil || got != (state{Line: "/who france", Page: 2, N: 3, Public: true}) {
		t.Errorf("a version 1 value (before fingerprints) = %+v, %v", got, err)
	}
	for _, bad := range []string{"", "3|1|1|0||x", "1|x|1|0|x", "1|1|1|0", "1|-1|0|0|x", "2|1|1|0|zz|x", "2|1|1|0|x"} {
		if _, err := decodeState(bad); err == nil {
			t.Errorf("decodeState(%q) accepted", bad)
		}
	}
}

func FuzzDecodeState(f *testing.F) {
	f.Add("1|2|3|1|/who france")
	f.Add("1|99999999999999999999|0|0|")
	f.Fuzz(func(t *testing.T, v string) {
		s, err := decodeState(v)
		if err == nil && (s.Page < 0 || s.N < 0) {
			t.Fatalf("negative state %+v", s)
		}
	})
}

func TestStripMention(t *testing.T) {
	tests := []struct {
		in      string
		leading bool
		want    string
	}{
		{"<@U0PARLEY> who france?", false, "who france?"},
		{"hey <@U0PARLEY>, who france?", false, "hey who france?"},
		{"<@U0PARLEY>: /quote witkoff", false, "/quote witkoff"},
		{"who &amp; what &lt;x&gt;", true, "who & what <x>"},
		{"ask <@U0BOB> about it", true, "ask <@U0BOB> about it"},
		{"", false, ""},
	}
	for _, tc := range tests {
		if got := stripMention(tc.in, tc.leading); got != tc.want {
			t.Errorf("stripMention(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestNoContextButtonWithoutParagraph(t *testing.T) {
	ans := &parley.Answer{Lead: "x [1]", Citations: []parley.Citation{{N: 1, Title: "T", Text: "excerpt"}}}
	m := render(ans, view{Line: "/what x"}, commandNames{}, "")
	for _, b := range m.Blocks {
		if b.Accessory != nil {
			t.Errorf("context button without a paragraph: %+v", b.Accessory)
		}
	}
}
