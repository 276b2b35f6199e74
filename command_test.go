package parley_test

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/parley-bot/parley"
)

func TestParse(t *testing.T) {
	tests := []struct {
		line, command, query, unknown string
	}{
		{"/what military hubs", "what", "military hubs", ""},
		{"what military hubs", "what", "military hubs", ""},
		{"what military hubs?", "what", "military hubs", ""},
		{"  WHAT   military hubs  ", "what", "military hubs", ""},
		{"what armed forces", "what", "armed forces", ""},
		{"what did Russia say about foreign troops?", "ask", "what did Russia say about foreign troops?", ""},
		{"what did Russia say about foreign troops", "ask", "what did Russia say about foreign troops", ""},
		{"what date was the summit", "ask", "what date was the summit", ""},
		{"what happened to maduro", "ask", "what happened to maduro", ""},
		{"what happens if russia attacks again", "ask", "what happens if russia attacks again", ""},
		{"who is the NATO chief?", "ask", "who is the NATO chief?", ""},
		{"/who is the NATO chief?", "ask", "who is the NATO chief?", ""},
		{"who showed up in paris", "ask", "who showed up in paris", ""},
		{"who took part", "ask", "who took part", ""},
		{"/who took part", "ask", "who took part", ""},
		{"/who attended", "ask", "who attended", ""},
		{"who signed the declaration", "ask", "who signed the declaration", ""},
		{"who leads the monitoring", "ask", "who leads the monitoring", ""},
		{"who pays for the truce monitors", "ask", "who pays for the truce monitors", ""},
		{"who was there", "ask", "who was there", ""},
		{"who didn't attend", "ask", "who didn't attend", ""},
		{"which leaders were there", "ask", "which leaders were there", ""},
		{"whats the biggest gathering", "ask", "whats the biggest gathering", ""},
		{"did the us send troops", "ask", "did the us send troops", ""},
		{"how many countries attended", "ask", "how many countries attended", ""},
		{"/ask how many troops", "ask", "how many troops", ""},
		{"/ask who france", "ask", "who france", ""},
		// The README's and the Slack/Discord issue's forms: a command word
		// with a subject or short topic stays that command.
		{"who france?", "who", "france", ""},
		{"/who france ?!", "who", "france", ""},
		{"who france", "who", "france", ""},
		{"/who france", "who", "france", ""},
		{"/who macron", "who", "macron", ""},
		{"/who heads of state", "who", "heads of state", ""},
		{"/who nato", "who", "nato", ""},
		{"/quote witkoff", "quote", "witkoff", ""},
		{"quote witkoff", "quote", "witkoff", ""},
		{"/quote merz on troops", "quote", "merz on troops", ""},
		{"/quote what did merz say", "quote", "what did merz say", ""},
		{"/sources", "sources", "", ""},
		{"sources", "sources", "", ""},
		{"", "help", "", ""},
		{"   ", "help", "", ""},
		{"/help", "help", "", ""},
		{"help", "help", "", ""},
		{"/nonsense france", "help", "nonsense france", "nonsense"},
		{"/", "help", "", ""},
	}
	for _, tc := range tests {
		t.Run(tc.line, func(t *testing.T) {
			got := parley.Parse(tc.line)
			if got.Command != tc.command || got.Query != tc.query || got.Unknown != tc.unknown {
				t.Errorf("Parse(%q) = {%q %q %q}, want {%q %q %q}", tc.line, got.Command, got.Query, got.Unknown, tc.command, tc.query, tc.unknown)
			}
		})
	}
}

func TestNearestCommand(t *testing.T) {
	tests := []struct {
		word, want string
		ok         bool
	}{
		{"wat", "what", true},
		{"qoute", "quote", true},
		{"sorces", "sources", true},
		{"nonsense", "", false},
		{"x", "", false},
	}
	for _, tc := range tests {
		got, ok := parley.NearestCommand(tc.word)
		if ok != tc.ok || ok && got != tc.want {
			t.Errorf("NearestCommand(%q) = %q, %v; want %q, %v", tc.word, got, ok, tc.want, tc.ok)
		}
	}
}

func TestCommandTable(t *testing.T) {
	seen := map[string]bool{}
	for _, c := range parley.Commands() {
		if seen[c.Name] {
			t.Errorf("command %q twice", c.Name)
		}
		seen[c.Name] = true
		if len(c.Examples) == 0 || !strings.HasPrefix(c.Examples[0], "/"+c.Name) {
			t.Errorf("command %q: first example %q does not use it", c.Name, c.Examples)
		}
		if got := parley.Parse(c.Examples[0]).Command; got != c.Name {
			t.Errorf("example %q parses as %q, want %q", c.Examples[0], got, c.Name)
		}
	}
	// The table is data: changing a returned copy does not change it.
	cs := parley.Commands()
	cs[0].Name = "changed"
	if parley.Commands()[0].Name == "changed" {
		t.Error("Commands returns shared state")
	}
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{"/who france", "what did Russia say?", "", "/", "//x", "who\x00is", "@everyone", "<!channel>", "👍 who", "مرحبا؟", strings.Repeat("a ", 500)} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, line string) {
		req := parley.Parse(line)
		if _, ok := parley.LookupCommand(req.Command); !ok {
			t.Fatalf("Parse(%q) gave unknown command %q", line, req.Command)
		}
		if utf8.ValidString(line) && !utf8.ValidString(req.Query) {
			t.Fatalf("Parse(%q) made invalid UTF-8 %q", line, req.Query)
		}
		if len(req.Query) > len(line) {
			t.Fatalf("query %q longer than line %q", req.Query, line)
		}
	})
}

// IsCommand must agree with the table it stands in for.
func TestIsCommandMatchesTable(t *testing.T) {
	for _, c := range parley.Commands() {
		if _, ok := parley.LookupCommand(c.Name); !ok || !parley.IsCommand(c.Name) {
			t.Errorf("%q in the table but not known", c.Name)
		}
	}
	for _, name := range []string{"nonsense", "", "Who", "/who"} {
		if _, ok := parley.LookupCommand(name); ok || parley.IsCommand(name) {
			t.Errorf("%q is a command", name)
		}
	}
}
