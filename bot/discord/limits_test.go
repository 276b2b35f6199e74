package discord

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/bwmarrin/discordgo"

	"github.com/parley-bot/parley"
)

// checkLimits checks the limits of a response's message that the spec does
// not encode (the 6000-character embed total, labels, custom ids, rows).
func checkLimits(tb testing.TB, body []byte) {
	tb.Helper()
	var resp struct {
		Type int            `json:"type"`
		Data map[string]any `json:"data"`
	}
	if err := json.Unmarshal(body, &resp); err != nil {
		tb.Fatal(err)
	}
	if resp.Data == nil || (resp.Type != 4 && resp.Type != 7) {
		return // not a message
	}
	if err := limitsOK(resp.Data); err != nil {
		tb.Errorf("%v\n%s", err, body)
	}
}

func str(m map[string]any, k string) string { s, _ := m[k].(string); return s }

func within(what, s string, n int) error {
	if !utf8.ValidString(s) {
		return fmt.Errorf("%s is not valid UTF-8: %q", what, s)
	}
	if c := utf8.RuneCountInString(s); c > n {
		return fmt.Errorf("%s has %d characters, limit %d", what, c, n)
	}
	return nil
}

// limitsOK checks one message (a response's data) against Discord's limits.
func limitsOK(d map[string]any) error {
	var errs []error
	add := func(err error) {
		if err != nil {
			errs = append(errs, err)
		}
	}
	add(within("content", str(d, "content"), maxContent))
	embeds, _ := d["embeds"].([]any)
	if len(embeds) > maxEmbeds {
		add(fmt.Errorf("%d embeds", len(embeds)))
	}
	total := 0
	for _, x := range embeds {
		e := x.(map[string]any)
		add(within("title", str(e, "title"), maxTitle))
		add(within("description", str(e, "description"), maxDescription))
		n := runes(str(e, "title")) + runes(str(e, "description"))
		if f, ok := e["footer"].(map[string]any); ok {
			add(within("footer", str(f, "text"), maxFooter))
			n += runes(str(f, "text"))
		}
		fields, _ := e["fields"].([]any)
		if len(fields) > maxFields {
			add(fmt.Errorf("%d fields", len(fields)))
		}
		for _, y := range fields {
			f := y.(map[string]any)
			add(within("field name", str(f, "name"), maxFieldName))
			add(within("field value", str(f, "value"), maxFieldValue))
			if str(f, "name") == "" || str(f, "value") == "" {
				add(fmt.Errorf("empty field %v", f))
			}
			n += runes(str(f, "name")) + runes(str(f, "value"))
		}
		total += n
		if strings.TrimSpace(str(e, "description")) == "" && len(fields) == 0 {
			add(fmt.Errorf("empty embed"))
		}
	}
	if total > maxEmbedTotal {
		add(fmt.Errorf("embeds total %d characters, limit %d", total, maxEmbedTotal))
	}
	rows, _ := d["components"].([]any)
	if len(rows) > maxActionRows {
		add(fmt.Errorf("%d action rows", len(rows)))
	}
	for _, r := range rows {
		comps, _ := r.(map[string]any)["components"].([]any)
		if len(comps) == 0 || len(comps) > 5 {
			add(fmt.Errorf("row with %d components", len(comps)))
		}
		for _, c := range comps {
			cm := c.(map[string]any)
			add(within("custom_id", str(cm, "custom_id"), maxCustomID))
			add(within("label", str(cm, "label"), maxLabel))
			add(within("placeholder", str(cm, "placeholder"), maxPlaceholder))
			if _, ok := decodeState(str(cm, "custom_id")); !ok {
				add(fmt.Errorf("custom_id %q does not decode", str(cm, "custom_id")))
			}
			opts, _ := cm["options"].([]any)
			if len(opts) > maxSelectOptions {
				add(fmt.Errorf("%d select options", len(opts)))
			}
			for _, o := range opts {
				om := o.(map[string]any)
				add(within("option label", str(om, "label"), maxOptionLabel))
				add(within("option value", str(om, "value"), maxOptionValue))
				add(within("option description", str(om, "description"), maxOptionDesc))
			}
		}
	}
	am, _ := d["allowed_mentions"].(map[string]any)
	if p, ok := am["parse"].([]any); !ok || len(p) != 0 {
		add(fmt.Errorf("allowed_mentions %v, want parse []", d["allowed_mentions"]))
	}
	if len(errs) > 0 {
		return fmt.Errorf("limits: %v", errs)
	}
	return nil
}

// longAnswer exceeds every limit at once.
func longAnswer(tb testing.TB) *parley.Answer {
	base := fixtures(tb)["/who france"]
	a := *base
	word := "security-guarantees "
	a.Lead = strings.Repeat(word, 400)
	a.Notice = strings.Repeat("n", 900)
	a.Understood = strings.Repeat("ü", 700)
	var cs []parley.Citation
	for i := range 40 {
		c := base.Citations[i%2]
		c.N = i + 1
		c.Text = strings.Repeat("“quoted” <@&1> "+word, 100)
		c.Title = strings.Repeat("Title ", 80)
		c.Speaker = strings.Repeat("Speaker ", 40)
		c.AlsoIn = make([]string, i)
		cs = append(cs, c)
	}
	a.Citations = cs
	a.Related = cs[:3]
	for i := range 60 {
		a.People = append(a.People, parley.Person{Name: strings.Repeat("Name", 20) + itoa(i), Role: strings.Repeat("role ", 30)})
	}
	a.Sources = sources(tb)
	for range 5 {
		a.Sources = append(a.Sources, a.Sources...)
	}
	for range 5 {
		a.Commands = append(a.Commands, parley.Commands()...)
	}
	return &a
}

func TestLongAnswerWithinLimits(t *testing.T) {
	a := longAnswer(t)
	line := "/who " + strings.Repeat("france ", 100)
	for _, eph := range []bool{false, true} {
		d := renderAnswer(a, view{Line: line, Asker: "u1", Ephemeral: eph})
		body, err := json.Marshal(response{Type: 4, Data: d})
		if err != nil {
			t.Fatal(err)
		}
		checkResponse(t, body)
		checkLimits(t, body)
		if len(d.Embeds) != 1 {
			t.Fatalf("%d embeds, want 1", len(d.Embeds))
		}
		if got := recoverLine(&discordgo.Message{Embeds: d.Embeds}); got != oneLine(line, parley.MaxQuery+20) {
			t.Errorf("footer line %q, want the command line back", got)
		}
	}
}

// FuzzRender renders answers built from arbitrary text: the result is valid
// UTF-8, within every limit, valid against the spec, pings nobody, and its
// components decode.
func FuzzRender(f *testing.F) {
	f.Add("/who france", "France is represented by Macron.", "Macron said France could send “several thousand” troops.", "Title", "Outlet", "2026-01-06", "https://example.com/a(b)", "Emmanuel Macron", 1, true)
	f.Add("/ask @everyone <@&123> **x**", "", "", "", "", "", "", "", 0, false)
	f.Add(strings.Repeat("/quote ", 300), strings.Repeat("é", 5000), strings.Repeat("\\", 3000), strings.Repeat("🇺🇦", 400), "\x00\x01\xff", "not a date", "javascript:alert(1)", strings.Repeat("a", 300), 50, true)
	f.Add("", "\n\n\n", "> quote\n# heading\n- list", "[link](http://x)", "`code`", "||spoiler||", "http://", "\u202e", 3, false)
	f.Fuzz(func(t *testing.T, line, lead, text, title, outlet, date, url, speaker string, n int, more bool) {
		n = max(min(n, 30), 0)
		a := &parley.Answer{Command: "who", Query: line, Lead: lead, Covered: n%2 == 1, More: more, Notice: speaker, Suggestions: []string{title, outlet}}
		for i := range n {
			p := text + " " + lead
			a.Citations = append(a.Citations, parley.Citation{
				N: i + 1, Title: title, Outlet: outlet, Date: date, URL: url, Text: text, Speaker: speaker,
				Paragraph: p, ParagraphStart: 0, Start: i, End: len(text), AlsoIn: make([]string, i),
			})
			a.People = append(a.People, parley.Person{Name: speaker, Role: title, Affiliation: outlet})
			a.Sources = append(a.Sources, parley.Source{Title: title, Outlet: outlet, URL: url, Date: date, Sentences: i})
		}
		if more {
			a.Commands = parley.Commands()
		}
		if !a.Covered {
			a.Related = a.Citations[:min(n, 3)]
		}
		d := renderAnswer(a, view{Line: line, Asker: speaker, Ephemeral: n%3 == 0})
		body, err := json.Marshal(response{Type: 4, Data: d})
		if err != nil {
			t.Fatal(err)
		}
		checkResponse(t, body)
		checkLimits(t, body)
		for _, c := range a.Citations[:min(len(a.Citations), 2)] {
			ctx, err := json.Marshal(response{Type: 4, Data: renderContext(c)})
			if err != nil {
				t.Fatal(err)
			}
			checkResponse(t, ctx)
			checkLimits(t, ctx)
		}
	})
}

func TestTruncate(t *testing.T) {
	tests := []struct {
		in   string
		n    int
		want string
	}{
		{"short", 10, "short"},
		{"two words here", 10, "two words…"},
		{"abcdefghij", 5, "abcd…"},
		{"ééééé", 3, "éé…"},
		{`a\*b\*c\*d`, 6, `a\*b…`},
		{"x", 0, ""},
	}
	for _, tc := range tests {
		if got := truncate(tc.in, tc.n); got != tc.want {
			t.Errorf("truncate(%q, %d) = %q, want %q", tc.in, tc.n, got, tc.want)
		}
	}
}

func TestEscapeMarkdown(t *testing.T) {
	tests := []struct{ in, want string }{
		{"plain text", "plain text"},
		{"**bold** _it_ `code` ~~s~~ ||sp||", `\*\*bold\*\* \_it\_ \` + "`code\\`" + ` \~\~s\~\~ \|\|sp\|\|`},
		{"@everyone <@&1>", `\@everyone \<\@&1\>`},
		{"# head\n- item\nAnglo-French", "\\# head\n\\- item\nAnglo-French"},
		{"[x](http://e)", `\[x\](http://e)`},
		{"a\x00b\tc\xff", "ab c\uFFFD"},
	}
	for _, tc := range tests {
		if got := escapeMarkdown(tc.in); got != tc.want {
			t.Errorf("escapeMarkdown(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// TestContextLongParagraph: around a citation deep in a paragraph too long
// for one embed, the excerpt stays whole and bold, the surroundings cut.
func TestContextLongParagraph(t *testing.T) {
	ex := "Macron said France could send “several thousand” troops to Ukraine after the war."
	before := strings.Repeat("Before the meeting, envoys talked. ", 150)
	after := strings.Repeat(" After it, allies met again.", 150)
	p := before + ex + after
	c := parley.Citation{N: 4, Title: "T", Paragraph: p, ParagraphStart: 100, Start: 100 + len(before), End: 100 + len(before) + len(ex)}
	if got := excerpt(c); got != ex {
		t.Errorf("excerpt from the paragraph = %q", got)
	}
	d := renderContext(c)
	desc := d.Embeds[0].Description
	if !strings.Contains(desc, "**"+escapeMarkdown(ex)+"**") || !strings.HasPrefix(desc, "…") || runes(desc) > maxDescription {
		t.Errorf("context (%d characters) does not keep the excerpt whole: %.200q…", runes(desc), desc)
	}
	body, _ := json.Marshal(response{Type: 4, Data: d})
	checkResponse(t, body)
	checkLimits(t, body)
	// Offsets that do not fit the paragraph fall back to the paragraph.
	c.Start, c.End = -5, 1<<20
	if d := renderContext(c); !strings.HasPrefix(d.Embeds[0].Description, "Before") {
		t.Errorf("bad offsets: %.80q", d.Embeds[0].Description)
	}
}

// Nearby passages come apart from citations, after them, numbered (1),
// and are the first to go when the embed is full.
func TestRelatedApart(t *testing.T) {
	a := fixtures(t)["/ask how many troops will germany send"]
	d := renderAnswer(a, view{Line: "/ask how many troops will germany send"})
	desc := d.Embeds[0].Description
	for _, want := range []string{relatedHeading, "> Germany may also contribute", "(1) ", "(2) "} {
		if !strings.Contains(desc, want) {
			t.Errorf("description lacks %q:\n%s", want, desc)
		}
	}
	if strings.Contains(desc, "\\[1\\]") {
		t.Errorf("a nearby passage is marked as a citation:\n%s", desc)
	}
	full := renderAnswer(longAnswer(t), view{Line: "/who france"})
	if strings.Contains(full.Embeds[0].Description, relatedHeading) {
		t.Error("nearby passages shown where citations did not all fit")
	}
}
