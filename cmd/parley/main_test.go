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
