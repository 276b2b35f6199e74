package cli_test

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/parley-bot/parley"
	"github.com/parley-bot/parley/bot/cli"
)

func fakeAnswer() *parley.Answer {
	return &parley.Answer{
		Command: "what", Query: "military hubs", Covered: true, Lead: "What the articles say about “military hubs”:",
		Citations: []parley.Citation{{
			N: 1, Article: "a", Title: "Allies pledge troops", Outlet: "The Lantern", Date: "2026-01-06",
			Text:   "Starmer said Britain and France would establish “military hubs” across Ukraine once a ceasefire is in place and “build protected facilities for weapons and military equipment to support Ukraine’s defensive needs.”",
			AlsoIn: []string{"b", "c"}, Speaker: "Keir Starmer", Kind: "quote",
		}},
		Sources: []parley.Source{{Article: "a", Title: "Allies pledge troops", Outlet: "The Lantern", Date: "2026-01-06", URL: "https://example.org/a"}},
		More:    true, Page: 1,
	}
}

func TestRenderWrapsAndCites(t *testing.T) {
	out := cli.Render(fakeAnswer(), 40)
	for _, line := range strings.Split(out, "\n") {
		if utf8.RuneCountInString(line) > 40 && !strings.Contains(line, "https://") {
			t.Errorf("line over 40 columns: %q", line)
		}
	}
	for _, want := range []string{"[1] “Starmer said", "Keir Starmer, in Allies pledge troops", "also in 2 more", "Sources:", "The Lantern", "https://example.org/a", "page 2"} {
		if !strings.Contains(strings.Join(strings.Fields(out), " "), want) {
			t.Errorf("render lacks %q:\n%s", want, out)
		}
	}
}

func TestAskJSONAndChat(t *testing.T) {
	var got []parley.Request
	a := parley.AnswerFunc(func(_ context.Context, r parley.Request) (*parley.Answer, error) {
		got = append(got, r)
		return fakeAnswer(), nil
	})
	var out bytes.Buffer
	if err := cli.Chat(context.Background(), a, strings.NewReader("/what military hubs\nwho is the NATO chief?\n"), &out, nil, cli.Options{JSON: true}); err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0].Command != "what" || got[1].Command != "ask" || got[0].Platform != "cli" {
		t.Fatalf("requests %+v", got)
	}
	dec := json.NewDecoder(&out)
	n := 0
	for dec.More() {
		var ans parley.Answer
		if err := dec.Decode(&ans); err != nil {
			t.Fatal(err)
		}
		n++
	}
	if n != 2 {
		t.Errorf("%d JSON answers, want 2", n)
	}
}

// Passages near a question the articles don't answer are shown apart from
// citations, under a heading that says they don't answer it.
func TestRenderRelated(t *testing.T) {
	a := &parley.Answer{Lead: "The articles give no number of troops for Germany.", Covered: false,
		Related: []parley.Citation{{N: 1, Text: "Germany may also contribute.", Title: "T"}}}
	out := cli.Render(a, 80)
	if !strings.Contains(out, "Nearby passages, which don't answer it:") || !strings.Contains(out, "(1) “Germany may also contribute.”") || strings.Contains(out, "[1]") {
		t.Errorf("render:\n%s", out)
	}
}
