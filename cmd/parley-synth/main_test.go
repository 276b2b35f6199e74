package main

import (
	"context"
	"os"
	"testing"

	"github.com/parley-bot/parley"
	"github.com/parley-bot/parley/handlers"
	"github.com/parley-bot/parley/index"
)

// The synthetic articles load like real ones, name people, and differ
// from each other (near-duplicate merging must not fold them together).
func TestSyntheticArticles(t *testing.T) {
	dir := t.TempDir()
	if err := write(dir, 30, 7); err != nil {
		t.Fatal(err)
	}
	arts, err := index.Load(os.DirFS(dir))
	if err != nil {
		t.Fatal(err)
	}
	if len(arts) != 30 {
		t.Fatalf("%d articles", len(arts))
	}
	seen := map[string]bool{}
	for _, a := range arts {
		if seen[a.Text] {
			t.Errorf("article %s repeats another", a.ID)
		}
		seen[a.Text] = true
		if len(a.Sentences) < 5 {
			t.Errorf("%s: %d sentences", a.ID, len(a.Sentences))
		}
	}
	opts, err := index.DefaultOptions()
	if err != nil {
		t.Fatal(err)
	}
	ix, err := index.Build(context.Background(), arts, opts)
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	if len(ix.People()) < 20 {
		t.Errorf("only %d people found", len(ix.People()))
	}
	h := handlers.New(ix, handlers.Options{})
	ans, err := h.Answer(context.Background(), parley.Parse("/who "+ix.People()[0].Name))
	if err != nil || !ans.Covered {
		t.Errorf("/who %s: %+v %v", ix.People()[0].Name, ans, err)
	}
}
