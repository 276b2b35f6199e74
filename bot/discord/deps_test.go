package discord

import (
	"go/parser"
	"go/token"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestImports keeps the front end a front end: the root package, discordgo
// and its websocket library, bot/workers (a leaf that imports only the
// standard library) and the standard library; never the index, the
// handlers or another front end.
func TestImports(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	allowed := map[string]bool{
		"github.com/parley-bot/parley":             true,
		"github.com/parley-bot/parley/bot/workers": true,
		"github.com/bwmarrin/discordgo":            true,
		"github.com/gorilla/websocket":             true,
	}
	fset := token.NewFileSet()
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		file, err := parser.ParseFile(fset, f, nil, parser.ImportsOnly)
		if err != nil {
			t.Fatal(err)
		}
		for _, imp := range file.Imports {
			p, _ := strconv.Unquote(imp.Path.Value)
			if !allowed[p] && strings.Contains(strings.SplitN(p, "/", 2)[0], ".") {
				t.Errorf("%s imports %s", f, p)
			}
		}
	}
}
