package handlers_test

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/parley-bot/parley"
	"github.com/parley-bot/parley/handlers"
)

var update = flag.Bool("update", false, "rewrite testdata/answers/*.jsonl from the answers of today's code")

// golden is one line of an answers file: a command line and its whole
// answer, as `parley ask --json` gives it.
type golden struct {
	Line   string         `json:"line"`
	Answer *parley.Answer `json:"answer"`
}

// The answers to fixed sets of command lines are those recorded in
// testdata/answers: every command and every kind of question, over the seeds
// (testdata/lines/mixed.txt) and over each folder of made-up articles
// (testdata/lines/NAME.txt for testdata/articles/NAME). Work on speed must
// not buy it with other answers unnoticed: a change in any answer fails
// here, and once it is shown to be better or equal (`parley eval`), -update
// records it and the diff of the answers file shows it.
func TestGoldenAnswers(t *testing.T) {
	files, err := filepath.Glob("../testdata/lines/*.txt")
	if err != nil || len(files) == 0 {
		t.Fatalf("no lines files: %v", err)
	}
	for _, file := range files {
		name := strings.TrimSuffix(filepath.Base(file), ".txt")
		t.Run(name, func(t *testing.T) {
			var h *handlers.Handlers
			if name == "mixed" {
				h, _ = seedHandlers(t)
			} else {
				h = madeUp(t, name)
			}
			b, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			var got bytes.Buffer
			n := 0
			for _, line := range strings.Split(string(b), "\n") {
				if line = strings.TrimSpace(line); line == "" {
					continue
				}
				n++
				if err := encodeGolden(&got, golden{Line: line, Answer: answerWith(t, h, line)}); err != nil {
					t.Fatal(err)
				}
			}
			path := filepath.Join("..", "testdata", "answers", name+".jsonl")
			if *update {
				if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(path, got.Bytes(), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run go test ./handlers -run GoldenAnswers -update to record the answers)", err)
			}
			if diffs := goldenDiffs(want, got.Bytes()); len(diffs) > 0 {
				t.Errorf("%d of %d answers differ from %s (explain each, show it better with parley eval, then -update):\n%s",
					len(diffs), n, path, strings.Join(diffs[:min(len(diffs), 10)], "\n"))
			}
		})
	}
}

func encodeGolden(buf *bytes.Buffer, g golden) error {
	enc := json.NewEncoder(buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(g); err != nil {
		return fmt.Errorf("encode answer to %q: %w", g.Line, err)
	}
	return nil
}

// goldenDiffs names each line whose answer differs, with its first
// differing field.
func goldenDiffs(want, got []byte) []string {
	wl := strings.Split(strings.TrimSuffix(string(want), "\n"), "\n")
	gl := strings.Split(strings.TrimSuffix(string(got), "\n"), "\n")
	var out []string
	if len(wl) != len(gl) {
		out = append(out, fmt.Sprintf("%d answers recorded, %d now", len(wl), len(gl)))
	}
	for i := range min(len(wl), len(gl)) {
		if wl[i] == gl[i] {
			continue
		}
		var w, g golden
		if json.Unmarshal([]byte(wl[i]), &w) != nil || json.Unmarshal([]byte(gl[i]), &g) != nil {
			out = append(out, fmt.Sprintf("line %d: unreadable", i+1))
			continue
		}
		out = append(out, fmt.Sprintf("%q: %s", g.Line, firstFieldDiff(w.Answer, g.Answer)))
	}
	return out
}

func firstFieldDiff(w, g *parley.Answer) string {
	pick := func(a *parley.Answer) []any {
		return []any{a.Command, a.Query, a.Understood, a.Covered, a.Lead, a.Notice, a.Suggestions, a.People, a.Citations, a.Related, a.Sources, a.Page, a.More, a.Text}
	}
	names := []string{"command", "query", "understood", "covered", "lead", "notice", "suggestions", "people", "citations", "related", "sources", "page", "more", "text"}
	wp, gp := pick(w), pick(g)
	for i := range wp {
		wb, _ := json.Marshal(wp[i])
		gb, _ := json.Marshal(gp[i])
		if !bytes.Equal(wb, gb) {
			return fmt.Sprintf("%s was %.200s, now %.200s", names[i], wb, gb)
		}
	}
	return "same fields, other bytes"
}

// Answers computed side by side, by handlers whose memory of sentences
// starts empty and is emptied again and again, are the recorded ones:
// what answers work out once per sentence and share is never half made,
// nor changed by the answer that reads it (run with -race).
func TestGoldenAnswersConcurrently(t *testing.T) {
	_, ix := seedHandlers(t)
	b, err := os.ReadFile("../testdata/answers/mixed.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	var want []golden
	for _, l := range strings.Split(strings.TrimSpace(string(b)), "\n") {
		var g golden
		if err := json.Unmarshal([]byte(l), &g); err != nil {
			t.Fatal(err)
		}
		want = append(want, g)
	}
	for _, limit := range []int{0, 16} {
		h := handlers.New(ix, handlers.Options{})
		h.LimitFacts(limit)
		const workers = 4
		errs := make(chan string, workers)
		var wg sync.WaitGroup
		for w := range workers {
			wg.Go(func() {
				for k := range want {
					g := want[(k*7+w*len(want)/workers)%len(want)] // each its own order
					ans, err := h.Answer(context.Background(), parley.Parse(g.Line))
					if err != nil {
						errs <- fmt.Sprintf("%q: %v", g.Line, err)
						return
					}
					var got, rec bytes.Buffer
					if encodeGolden(&got, golden{Line: g.Line, Answer: ans}) != nil || encodeGolden(&rec, g) != nil || !bytes.Equal(got.Bytes(), rec.Bytes()) {
						errs <- fmt.Sprintf("limit %d: %q answered otherwise side by side", limit, g.Line)
						return
					}
				}
			})
		}
		wg.Wait()
		close(errs)
		for e := range errs {
			t.Error(e)
		}
	}
}
