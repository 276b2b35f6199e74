package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestStats(t *testing.T) {
	dir := t.TempDir()
	log := filepath.Join(dir, "queries.jsonl")
	lines := `{"time":"2026-01-06T09:00:00Z","platform":"slack","user":"a","command":"who","query":"france","hits":4,"covered":true,"latency_ms":1}
{"time":"2026-01-06T09:01:00Z","platform":"discord","user":"b","command":"who","query":"france","hits":4,"covered":true,"latency_ms":1}
{"time":"2026-01-06T09:02:00Z","platform":"slack","user":"c","command":"what","query":"napoleon","hits":0,"covered":false,"latency_ms":1}
{"time":"2026-01-06T09:03:00Z","platform":"slack","user":"a","command":"who","query":"france","hits":0,"covered":false,"latency_ms":0,"feedback":"up"}
`
	os.WriteFile(log, []byte(lines), 0o600)
	code, out, errs := runParley(t, nil, "", "stats", log)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	for _, want := range []string{"france", "napoleon"} {
		if !strings.Contains(out, want) {
			t.Errorf("stats lacks %q:\n%s", want, out)
		}
	}
	if code, _, _ := runParley(t, nil, "", "stats"); code != 2 {
		t.Errorf("no log: exit %d", code)
	}
	if code, _, _ := runParley(t, nil, "", "stats", filepath.Join(dir, "missing")); code != 1 {
		t.Errorf("missing log: exit %d", code)
	}
}
