package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"testing"
)

// TestHelperProcess is not a test: the tests below start the test binary
// again with it selected, to run parley in a fresh process (as os/exec's own
// tests do). It exits without running otherwise.
func TestHelperProcess(t *testing.T) {
	if os.Getenv("PARLEY_HELPER_PROCESS") != "1" {
		return
	}
	args := os.Args
	for i, a := range args {
		if a == "--" {
			args = args[i+1:]
			break
		}
	}
	os.Exit(run(context.Background(), &Main{Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr, Getenv: os.Getenv}, args))
}

// parleyProcess runs parley with args in a process of its own and returns
// its standard output.
func parleyProcess(t *testing.T, stdin []byte, args ...string) []byte {
	t.Helper()
	cmd := exec.Command(os.Args[0], append([]string{"-test.run=^TestHelperProcess$", "--"}, args...)...)
	cmd.Env = append(os.Environ(), "PARLEY_HELPER_PROCESS=1")
	cmd.Stdin = bytes.NewReader(stdin)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("parley %s: %v\n%s", strings.Join(args, " "), err, stderr.String())
	}
	return out
}

// Answers are the same from one process to the next, byte for byte: equal
// scores are ordered by article and position, never by the order a process
// happened to index sentences in.
func TestAnswersAreReproducible(t *testing.T) {
	lines, err := os.ReadFile("../../testdata/lines/mixed.txt")
	if err != nil {
		t.Fatal(err)
	}
	t.Run("chat", func(t *testing.T) {
		first := parleyProcess(t, lines, "chat", "--json")
		if n := bytes.Count(first, []byte(`"command":`)); n < 200 {
			t.Fatalf("%d answers for the lines file", n)
		}
		for i := 0; i < 2; i++ {
			if again := parleyProcess(t, lines, "chat", "--json"); !bytes.Equal(first, again) {
				t.Fatalf("answers differ between processes:\n%s", firstDiff(first, again))
			}
		}
	})
	// Lines whose citations tie on score (several quotes of one person at
	// the same place in their articles; countries whose people are quoted
	// alike), each answered by `parley ask` in fresh processes.
	for _, line := range []string{"/quote witkoff", "/quote united states", "/who troops", "/ask who is Witkoff",
		"/ask when did Zelensky meet Trump", "/what coalition of the willing", "/ask is peace guaranteed"} {
		t.Run(line, func(t *testing.T) {
			first := parleyProcess(t, nil, "ask", "--json", line)
			if again := parleyProcess(t, nil, "ask", "--json", line); !bytes.Equal(first, again) {
				t.Fatalf("answers differ between processes:\n%s", firstDiff(first, again))
			}
		})
	}
}

// firstDiff shows the first line where two outputs differ.
func firstDiff(a, b []byte) string {
	al, bl := strings.Split(string(a), "\n"), strings.Split(string(b), "\n")
	for i := 0; i < min(len(al), len(bl)); i++ {
		if al[i] != bl[i] {
			return fmt.Sprintf("line %d:\n  %.300s\n  %.300s", i+1, al[i], bl[i])
		}
	}
	return "one output is a prefix of the other"
}

// An on-disk index answers every line as the articles built in memory do,
// byte for byte.
func TestOnDiskAnswersLikeInMemory(t *testing.T) {
	lines, err := os.ReadFile("../../testdata/lines/mixed.txt")
	if err != nil {
		t.Fatal(err)
	}
	path := t.TempDir() + "/seeds.idx"
	if code, _, errs := runParley(t, nil, "", "index", "build", "--out", path); code != 0 {
		t.Fatalf("index build: exit %d: %s", code, errs)
	}
	mem := parleyProcess(t, lines, "chat", "--json")
	disk := parleyProcess(t, lines, "chat", "--json", "--index", path)
	if !bytes.Equal(mem, disk) {
		t.Fatalf("answers differ on disk:\n%s", firstDiff(mem, disk))
	}
}
