package main

import (
	"flag"
	"os"
	"reflect"
	"regexp"
	"strings"
	"testing"

	"github.com/parley-bot/parley"
)

var update = flag.Bool("update", false, "rewrite the README's samples from real output")

const readmePath = "../../README.md"

// sampleArgs splits a sample's command line ("parley ask "/who france"")
// into arguments: words, and double-quoted strings.
func sampleArgs(line string) []string {
	var args []string
	for _, m := range regexp.MustCompile(`"([^"]*)"|(\S+)`).FindAllStringSubmatch(line, -1) {
		if m[2] != "" {
			args = append(args, m[2])
		} else {
			args = append(args, m[1])
		}
	}
	return args
}

// The README's terminal samples are real output: each `$ parley …` line in
// a code block is followed by what that command prints, its first lines
// when the sample ends with "...". `go test ./cmd/parley -run README
// -update` rewrites them from the output of the day, keeping each sample's
// length.
func TestREADMESamples(t *testing.T) {
	raw, err := os.ReadFile(readmePath)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(string(raw), "\n")
	var out []string
	samples := 0
	inBlock := false
	for i := 0; i < len(lines); i++ {
		line := lines[i]
		if strings.HasPrefix(line, "```") {
			inBlock = !inBlock
			out = append(out, line)
			continue
		}
		if !inBlock || !strings.HasPrefix(line, "$ parley ") {
			out = append(out, line)
			continue
		}
		// A sample: the command, then its lines up to the next command or
		// the end of the block.
		j := i + 1
		for j < len(lines) && !strings.HasPrefix(lines[j], "$ ") && !strings.HasPrefix(lines[j], "```") {
			j++
		}
		shown := lines[i+1 : j]
		for len(shown) > 0 && strings.TrimSpace(shown[len(shown)-1]) == "" {
			shown = shown[:len(shown)-1]
		}
		elided := len(shown) > 0 && strings.TrimSpace(shown[len(shown)-1]) == "..."
		if elided {
			shown = shown[:len(shown)-1]
		}
		args := sampleArgs(strings.TrimPrefix(line, "$ parley "))
		code, stdout, errs := runParley(t, nil, "", args...)
		if code != 0 {
			t.Errorf("README sample %q: exit %d: %s", line, code, errs)
		}
		real := strings.Split(strings.TrimRight(stdout, "\n"), "\n")
		samples++
		n := len(shown)
		if !elided {
			n = len(real)
		}
		want := real[:min(n, len(real))]
		if !*update && !slicesEqual(shown, want) {
			t.Errorf("README sample %q differs from its output (go test ./cmd/parley -run README -update):\nREADME:\n%s\noutput:\n%s",
				line, strings.Join(shown, "\n"), strings.Join(want, "\n"))
		}
		out = append(out, line)
		out = append(out, want...)
		if n < len(real) {
			out = append(out, "...")
		}
		if j < len(lines) && strings.HasPrefix(lines[j], "$ ") {
			out = append(out, "")
		}
		i = j - 1
	}
	if samples < 3 {
		t.Fatalf("only %d samples found in the README", samples)
	}
	if *update {
		if err := os.WriteFile(readmePath, []byte(strings.Join(out, "\n")), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func slicesEqual(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if strings.TrimRight(a[i], " ") != strings.TrimRight(b[i], " ") {
			return false
		}
	}
	return true
}

// jsonFields lists the JSON names of t's fields, recursing into the
// structs (and slices and pointers of structs) it holds.
func jsonFields(t reflect.Type, seen map[reflect.Type]bool, out map[string]string) {
	for t.Kind() == reflect.Pointer || t.Kind() == reflect.Slice {
		t = t.Elem()
	}
	if t.Kind() != reflect.Struct || seen[t] {
		return
	}
	seen[t] = true
	for f := range t.Fields() {
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == "-" || !f.IsExported() {
			continue
		}
		if name == "" {
			name = f.Name
		}
		out[name] = t.Name()
		jsonFields(f.Type, seen, out)
	}
}

// The README's JSON contract names every field `parley ask --json` can
// print, of the answer and of everything in it.
func TestREADMEJSONContract(t *testing.T) {
	raw, err := os.ReadFile(readmePath)
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile("(?s)```\\s*\n\\s*(\\{\"command\".*?)```").FindSubmatch(raw)
	if m == nil {
		t.Fatal("no JSON contract block (starting {\"command\") in the README")
	}
	contract := string(m[1])
	fields := map[string]string{}
	jsonFields(reflect.TypeFor[parley.Answer](), map[reflect.Type]bool{}, fields)
	for name, owner := range fields {
		if !strings.Contains(contract, `"`+name+`":`) {
			t.Errorf("the README's JSON contract lacks %q (%s)", name, owner)
		}
	}
	if len(fields) < 30 {
		t.Errorf("only %d fields found: the test checks too little", len(fields))
	}
}
