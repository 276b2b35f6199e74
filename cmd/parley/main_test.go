package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/parley-bot/parley"
)

func runParley(t *testing.T, env map[string]string, stdin string, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	m := &Main{Stdin: strings.NewReader(stdin), Stdout: &out, Stderr: &errb, Getenv: func(k string) string { return env[k] }}
	code := run(context.Background(), m, args)
	return code, out.String(), errb.String()
}

func TestAskJSON(t *testing.T) {
	code, out, errs := runParley(t, nil, "", "ask", "--json", "/what", "military", "hubs")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var ans parley.Answer
	if err := json.Unmarshal([]byte(out), &ans); err != nil {
		t.Fatalf("not one JSON object: %v\n%s", err, out)
	}
	if ans.Command != "what" || ans.Query != "military hubs" || !ans.Covered || len(ans.Citations) == 0 {
		t.Errorf("answer %+v", ans)
	}
}

func TestAskForAPerson(t *testing.T) {
	code, out, _ := runParley(t, nil, "", "ask", "--", "--what", "is", "this?")
	if code != 0 || out == "" {
		t.Fatalf("exit %d, output %q", code, out)
	}
	code, out, _ = runParley(t, nil, "", "ask", "/sources")
	if code != 0 || !strings.Contains(out, "Sources:") || !strings.Contains(out, "Axadle Times") {
		t.Errorf("exit %d, output %q", code, out)
	}
}

func TestExitStatuses(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "bad.txt"), []byte("caf\xe9"), 0o644)
	tests := []struct {
		name string
		env  map[string]string
		args []string
		code int
		err  string
	}{
		{"unknown flag", nil, []string{"ask", "--nope", "x"}, 2, "nope"},
		{"unknown command", nil, []string{"fly"}, 2, "fly"},
		{"no command", nil, nil, 2, "no command"},
		{"not covered is an answer", nil, []string{"ask", "/what napoleon"}, 0, ""},
		{"help is an answer", nil, []string{"ask", ""}, 0, ""},
		{"missing folder", nil, []string{"ask", "--seeds", filepath.Join(dir, "none"), "/sources"}, 1, "none"},
		{"bad file", nil, []string{"ask", "--seeds", dir, "/sources"}, 1, "bad.txt"},
		{"bad folder from the environment", map[string]string{"PARLEY_SEEDS": dir}, []string{"ask", "/sources"}, 1, "bad.txt"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			code, _, errs := runParley(t, tc.env, "", tc.args...)
			if code != tc.code || !strings.Contains(errs, tc.err) {
				t.Errorf("exit %d (%q), want %d with %q", code, errs, tc.code, tc.err)
			}
		})
	}
}

func TestSeedsFlagBeatsEnvironment(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "harbour.txt"), []byte("Valdoria and Ostland reopened the harbour on Friday."), 0o644)
	code, out, errs := runParley(t, map[string]string{"PARLEY_SEEDS": "/nonexistent"}, "", "ask", "--json", "--seeds", dir, "/sources")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var ans parley.Answer
	json.Unmarshal([]byte(out), &ans)
	if len(ans.Sources) != 1 || ans.Sources[0].Article != "harbour" {
		t.Errorf("sources %+v", ans.Sources)
	}
}

func TestChatPiped(t *testing.T) {
	code, out, errs := runParley(t, nil, "/sources\n\n/what military hubs\n", "chat", "--json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	dec := json.NewDecoder(strings.NewReader(out))
	var cmds []string
	for dec.More() {
		var ans parley.Answer
		if err := dec.Decode(&ans); err != nil {
			t.Fatal(err)
		}
		cmds = append(cmds, ans.Command)
	}
	if strings.Join(cmds, ",") != "sources,help,what" {
		t.Errorf("answered %v", cmds)
	}
}

// Flags may follow the arguments where the arguments are files; ask keeps
// its flags first, since its line is free text.
func TestFlagsAfterArguments(t *testing.T) {
	dir := t.TempDir()
	log := filepath.Join(dir, "q.jsonl")
	os.WriteFile(log, []byte(`{"time":"2026-01-06T09:00:00Z","platform":"slack","user":"a","command":"who","query":"france","hits":4,"covered":true,"latency_ms":1}`+"\n"), 0o600)
	if code, out, errs := runParley(t, nil, "", "stats", log, "--top", "3", "--json"); code != 0 || !strings.HasPrefix(strings.TrimSpace(out), "{") {
		t.Errorf("stats LOG --top 3 --json: exit %d %q %q", code, out, errs)
	}
	questions := filepath.Join(dir, "q.json")
	os.WriteFile(questions, []byte(`{"k":3,"cases":[{"id":"fr","ask":"/who france","people":["Macron"]},{"id":"no","ask":"/who france","people":["Nobody Atall"]}]}`), 0o644)
	// Half the cases fail: --min after the file is read and applied.
	if code, out, errs := runParley(t, nil, "", "eval", questions, "--min", "1.0"); code != 1 || !strings.Contains(errs, "below 100%") || !strings.Contains(out, "50%") {
		t.Errorf("eval FILE --min 1.0: exit %d %q %q, want 1 for a 50%% hit rate", code, out, errs)
	}
	if code, _, errs := runParley(t, nil, "", "eval", questions, "--min", "0.5"); code != 0 {
		t.Errorf("eval FILE --min 0.5: exit %d %s", code, errs)
	}
	// After --, an argument that looks like a flag is an argument.
	if code, _, errs := runParley(t, nil, "", "stats", "--", "--top"); code != 1 || !strings.Contains(errs, "--top") {
		t.Errorf("stats -- --top: exit %d %s, want the file --top not found", code, errs)
	}
	// ask: what follows the line is the line.
	if code, out, errs := runParley(t, nil, "", "ask", "--json", "/what", "napoleon", "--page", "2"); code != 0 || !strings.Contains(out, `"query": "napoleon --page 2"`) {
		t.Errorf("ask LINE --page 2: exit %d %s %s", code, out, errs)
	}
}

func TestBadValuesNameTheForm(t *testing.T) {
	tests := []struct {
		args []string
		env  map[string]string
		want string
	}{
		{[]string{"eval", "x.json", "--min", "most"}, nil, `want a number such as "0.9"`},
		{[]string{"stats", "x", "--top", "ten"}, nil, `want a whole number such as "6"`},
		{[]string{"ask", "--json=perhaps", "x"}, nil, "want true or false"},
		{[]string{"ask", "--page", "0", "x"}, nil, "want a page number from 1"},
		{[]string{"serve", "--check", "--shutdown-timeout", "10"}, nil, `want a duration such as "3s"`},
		{[]string{"serve", "--check"}, map[string]string{"PARLEY_SLACK_PUBLIC": "yes please"}, `PARLEY_SLACK_PUBLIC="yes please": want true or false`},
	}
	for _, tc := range tests {
		code, _, errs := runParley(t, tc.env, "", tc.args...)
		if code != 2 || !strings.Contains(errs, tc.want) {
			t.Errorf("%v: exit %d %q, want 2 with %q", tc.args, code, errs, tc.want)
		}
	}
}

// An answer with more pages says how to see the next one, and the way it
// says works: ask --page, and "more" in chat.
func TestMorePages(t *testing.T) {
	code, out, errs := runParley(t, nil, "", "ask", "/what troops")
	if code != 0 || !strings.Contains(out, "(more: parley ask --page 2 '/what troops')") {
		t.Fatalf("exit %d %s %s: no hint for page 2", code, out, errs)
	}
	var p1, p2 parley.Answer
	_, out, _ = runParley(t, nil, "", "ask", "--json", "/what troops")
	json.Unmarshal([]byte(out), &p1)
	_, out, _ = runParley(t, nil, "", "ask", "--json", "--page", "2", "/what troops")
	json.Unmarshal([]byte(out), &p2)
	if p2.Page != 2 || len(p2.Citations) == 0 || p2.Citations[0].Text == p1.Citations[0].Text {
		t.Errorf("--page 2 gave page %d, %d citations", p2.Page, len(p2.Citations))
	}
	code, out, _ = runParley(t, nil, "more\n/what troops\nmore\n", "chat", "--json")
	dec := json.NewDecoder(strings.NewReader(out))
	var answers []parley.Answer
	for dec.More() {
		var a parley.Answer
		if err := dec.Decode(&a); err != nil {
			t.Fatalf("chat --json is not a stream of answers: %v\n%s", err, out)
		}
		answers = append(answers, a)
	}
	if code != 0 || len(answers) != 3 || !strings.HasPrefix(answers[0].Lead, "There is nothing more to show") || answers[1].Page != 1 || answers[2].Page != 2 {
		t.Errorf("chat more: exit %d, %d answers\n%s", code, len(answers), out)
	}
}
