package main

import (
	"strings"
	"testing"
)

func TestBench(t *testing.T) {
	code, out, errs := runParley(t, nil, "", "bench", "--rounds", "1", "--window", "1ms", "--lines", "../../testdata/lines/mixed.txt")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	for _, want := range []string{"/who", "/what", "/ask", "/quote", "all", "bare CPU/search"} {
		if !strings.Contains(out, want) {
			t.Errorf("no %q in\n%s", want, out)
		}
	}
	if code, _, _ := runParley(t, nil, "", "bench", "--index", t.TempDir()); code != exitUsage {
		t.Errorf("--index without --bare: exit %d", code)
	}
}
