package index_test

import (
	"strings"
	"testing"
	"testing/fstest"

	"github.com/parley-bot/parley/index"
	"github.com/parley-bot/parley/seeds"
)

func TestLoadSeeds(t *testing.T) {
	arts, err := index.Load(seeds.FS())
	if err != nil {
		t.Fatal(err)
	}
	if len(arts) != 5 {
		t.Fatalf("%d articles, want 5", len(arts))
	}
	byID := map[string]string{}
	for _, a := range arts {
		byID[a.ID] = a.Title
		if a.Title == "" || strings.Contains(a.Title, "Key Takeaways") {
			t.Errorf("%s: title %q", a.ID, a.Title)
		}
		for _, s := range a.Sentences {
			if s.Article != a.ID {
				t.Errorf("%s: sentence of %s", a.ID, s.Article)
			}
		}
	}
	if got := byID["004_65177c6e93b92d8d"]; got != "U.S. and Ukrainian Officials Set Talks on Long-Term Security Assurances" {
		t.Errorf("headline title = %q", got)
	}
	if got := byID["001_a6d6f05be7c2015a"]; !strings.HasPrefix(got, "The United Kingdom and France have agreed") {
		t.Errorf("derived title = %q, want the lead sentence, not the Key Takeaways heading", got)
	}
}

func TestLoadErrors(t *testing.T) {
	tests := []struct {
		name    string
		fs      fstest.MapFS
		wantErr string
	}{
		{"not UTF-8", fstest.MapFS{"bad.txt": {Data: []byte("caf\xe9 au lait.")}}, "bad.txt"},
		{"bad JSON", fstest.MapFS{"a.txt": {Data: []byte("Text.")}, "articles.json": {Data: []byte("{")}}, "articles.json"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := index.Load(tc.fs)
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Fatalf("err = %v, want one naming %s", err, tc.wantErr)
			}
		})
	}
}

func TestLoadMetadataOptional(t *testing.T) {
	fsys := fstest.MapFS{
		"b.txt":         {Data: []byte("Ministers of Ostland met in Valdoria on Friday to discuss the harbour.")},
		"a.txt":         {Data: []byte("A heading\nThe port reopened.")},
		"articles.json": {Data: []byte(`{"articles":[{"id":"a","headline":null,"outlet":"The Lantern","url":null},{"id":"gone","headline":"x"}]}`)},
		"notes.md":      {Data: []byte("ignored")},
	}
	arts, err := index.Load(fsys)
	if err != nil {
		t.Fatal(err)
	}
	if len(arts) != 2 || arts[0].ID != "a" || arts[1].ID != "b" {
		t.Fatalf("articles %v", arts)
	}
	if arts[0].Outlet != "The Lantern" || arts[0].URL != "" || arts[0].Title != "The port reopened." {
		t.Errorf("a = %+v", arts[0])
	}
	if arts[1].Outlet != "" || arts[1].Title != "Ministers of Ostland met in Valdoria on Friday to discuss the harbour." {
		t.Errorf("b = %+v", arts[1])
	}
}

// articles.json's event reaches every article of its folder, so that a lead
// can date "Tuesday" in an article that carries no date; no event, no Event.
func TestLoadEvent(t *testing.T) {
	arts, err := index.Load(seeds.FS())
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range arts {
		if a.Event == nil || a.Event.Date != "2026-01-06" || a.Event.Place != "Paris" || a.Event.Name == "" {
			t.Errorf("%s: event %+v", a.ID, a.Event)
		}
	}
	bare, err := index.Load(fstest.MapFS{
		"a.txt":         {Data: []byte("Talks resumed on Monday.\n")},
		"articles.json": {Data: []byte(`{"articles": [{"id": "a", "date": "2030-05-02"}]}`)},
	})
	if err != nil {
		t.Fatal(err)
	}
	if bare[0].Event != nil || bare[0].Date != "2030-05-02" {
		t.Errorf("event %+v, date %q", bare[0].Event, bare[0].Date)
	}
}
