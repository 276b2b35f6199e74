package bot

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestNewLogger(t *testing.T) {
	tests := []struct {
		name     string
		opts     LogOptions
		json     bool
		debugOut bool
		wantErr  string
	}{
		{"default is JSON off a terminal", LogOptions{}, true, false, ""},
		{"text", LogOptions{Format: "text"}, false, false, ""},
		{"json debug", LogOptions{Format: "JSON", Level: "debug"}, true, true, ""},
		{"warn hides info", LogOptions{Level: "warn"}, true, false, ""},
		{"bad format", LogOptions{Format: "xml"}, false, false, "log format"},
		{"bad level", LogOptions{Level: "loud"}, false, false, "log level"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var buf bytes.Buffer
			log, err := NewLogger(&buf, tc.opts)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Errorf("err = %v, want %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			log.Debug("d")
			log.Warn("w")
			lines := strings.Split(strings.TrimSpace(buf.String()), "\n")
			if want := map[bool]int{true: 2, false: 1}[tc.debugOut]; len(lines) != want {
				t.Fatalf("%d lines, want %d:\n%s", len(lines), want, buf.String())
			}
			if isJSON := json.Valid([]byte(lines[0])); isJSON != tc.json {
				t.Errorf("JSON = %v, want %v: %s", isJSON, tc.json, lines[0])
			}
		})
	}
}

func TestIsTerminal(t *testing.T) {
	f, err := os.Create(filepath.Join(t.TempDir(), "log"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if isTerminal(f) || isTerminal(&bytes.Buffer{}) {
		t.Error("a file or buffer is no terminal")
	}
}
