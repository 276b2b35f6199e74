package slack

import (
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// The adapter imports the root package, slack-go, bot/workers (a leaf that
// imports only the standard library) and the standard library: never the
// index, the handlers, the bot or another front end.
func TestImports(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	allowed := func(p string) bool {
		switch {
		case p == "github.com/parley-bot/parley" || p == "github.com/parley-bot/parley/bot/workers":
			return true
		case p == "github.com/slack-go/slack" || strings.HasPrefix(p, "github.com/slack-go/slack/"):
			return true
		}
		return !strings.Contains(strings.SplitN(p, "/", 2)[0], ".") // standard library
	}
	checked := 0
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		src, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		f, err := parser.ParseFile(token.NewFileSet(), name, src, parser.ImportsOnly)
		if err != nil {
			t.Fatal(err)
		}
		for _, imp := range f.Imports {
			p, _ := strconv.Unquote(imp.Path.Value)
			if !allowed(p) {
				t.Errorf("%s imports %s", name, p)
			}
		}
		checked++
	}
	if checked == 0 {
		t.Fatal("no files checked")
	}
}
