package index_test

import (
	"context"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"strings"
	"sync"
	"testing"

	"github.com/parley-bot/parley"
	"github.com/parley-bot/parley/index"
	"github.com/parley-bot/parley/seeds"
)

// seedsOnDisk builds the seeds on disk and opens them.
func seedsOnDisk(tb testing.TB, opts index.Options) (*index.Index, string) {
	tb.Helper()
	arts, err := index.Load(seeds.FS())
	if err != nil {
		tb.Fatal(err)
	}
	path := filepath.Join(tb.TempDir(), "seeds.idx")
	o := testOptions(tb)
	o.Shards = opts.Shards
	if err := index.BuildOnDisk(context.Background(), path, arts, o); err != nil {
		tb.Fatal(err)
	}
	o.ArticleCache = opts.ArticleCache
	ix, err := index.Open(path, o)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { ix.Close() })
	return ix, path
}

// An on-disk index holds what the in-memory one holds: the same articles,
// sentences, people, places and topics, and the same hits in the same
// order, in one shard or several.
func TestOnDiskMatchesInMemory(t *testing.T) {
	mem := build(t)
	for _, shards := range []int{1, 2} {
		disk, _ := seedsOnDisk(t, index.Options{Shards: shards})
		if !reflect.DeepEqual(mem.People(), disk.People()) || !reflect.DeepEqual(mem.Places(), disk.Places()) ||
			!reflect.DeepEqual(mem.Topics(50), disk.Topics(50)) || mem.Sentences() != disk.Sentences() {
			t.Fatalf("%d shards: people, places, topics or counts differ", shards)
		}
		for i, listed := range disk.Articles() {
			if listed.Text != "" || listed.Sentences != nil {
				t.Errorf("listed article %s carries its text or sentences", listed.ID)
			}
			want := mem.Articles()[i]
			got, ok := disk.Article(listed.ID)
			if !ok || got.Text != want.Text || got.Title != want.Title || got.Outlet != want.Outlet || !reflect.DeepEqual(got.Sentences, want.Sentences) {
				t.Errorf("article %s differs on disk", listed.ID)
			}
		}
		for _, p := range mem.People() {
			for _, speech := range []bool{false, true} {
				a, err := mem.About(context.Background(), p.Name, speech, 0)
				if err != nil {
					t.Fatal(err)
				}
				b, err := disk.About(context.Background(), p.Name, speech, 0)
				if err != nil {
					t.Fatal(err)
				}
				if len(a) != len(b) {
					t.Fatalf("%d shards: About(%s, %v): %d sentences in memory, %d on disk", shards, p.Name, speech, len(a), len(b))
				}
				for i := range a {
					if !reflect.DeepEqual(*a[i], *b[i]) {
						t.Errorf("%d shards: About(%s, %v) %d differs: %+v / %+v", shards, p.Name, speech, i, *a[i], *b[i])
					}
				}
			}
		}
		if shards > 1 {
			continue // scores are per shard: the same hits, not the same order
		}
		for _, q := range []parley.Query{
			{Text: "military hubs", Phrase: "military hubs", Size: 25},
			{Text: "troops", Size: 25},
			{Places: []string{"France"}, Size: 25},
			{People: []string{"Emmanuel Macron"}, Size: 100},
			{Speaker: "Steve Witkoff", Size: 100},
		} {
			a, err := mem.Search(context.Background(), q)
			if err != nil {
				t.Fatal(err)
			}
			b, err := disk.Search(context.Background(), q)
			if err != nil {
				t.Fatal(err)
			}
			if len(a) == 0 || len(a) != len(b) {
				t.Fatalf("%+v: %d hits in memory, %d on disk", q, len(a), len(b))
			}
			for i := range a {
				if !reflect.DeepEqual(*a[i].Sentence, *b[i].Sentence) || a[i].Score != b[i].Score || !reflect.DeepEqual(a[i].Matched, b[i].Matched) {
					t.Errorf("%+v: hit %d differs: %+v / %+v", q, i, a[i], b[i])
				}
			}
		}
	}
}

// While an answer holds an article or one of its sentences, the index gives
// the very same one again, however small its cache.
func TestOnDiskArticleIdentity(t *testing.T) {
	ix, _ := seedsOnDisk(t, index.Options{ArticleCache: 1})
	id := ix.Articles()[0].ID
	a, _ := ix.Article(id)
	b, _ := ix.Article(id)
	if a != b {
		t.Error("two reads of a held article differ")
	}
	s := &a.Sentences[3]
	a, b = nil, nil
	for range 3 {
		for _, other := range ix.Articles()[1:] {
			ix.Article(other.ID) // push it out of the cache
		}
		runtime.GC()
	}
	again, ok := ix.Article(id)
	if !ok || &again.Sentences[3] != s {
		t.Error("a held sentence is not the article's sentence when read again")
	}
	if again.Text[s.Start:s.End] == "" {
		t.Error("article read again without its text")
	}
}

// Articles are read by many answers at once.
func TestOnDiskConcurrentReads(t *testing.T) {
	ix, _ := seedsOnDisk(t, index.Options{ArticleCache: 1, Shards: 2})
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			for i := range 50 {
				hits, err := ix.Search(context.Background(), parley.Query{Text: []string{"troops", "security guarantees", "Macron"}[(g+i)%3], Size: 10})
				if err != nil {
					t.Error(err)
					return
				}
				for _, h := range hits {
					a, ok := ix.Article(h.Sentence.Article)
					if !ok || &a.Sentences[h.Sentence.Position] != h.Sentence {
						t.Error("a hit's sentence is not its article's")
						return
					}
				}
			}
		})
	}
	wg.Wait()
}

// A damaged or foreign index is an error naming what is wrong, never a
// panic; an index closed finds nothing.
func TestOnDiskDamage(t *testing.T) {
	ix, path := seedsOnDisk(t, index.Options{})
	corpus := filepath.Join(path, "parley.corpus")
	data, err := os.ReadFile(corpus)
	if err != nil {
		t.Fatal(err)
	}
	ix.Close()
	if _, ok := ix.Article(ix.Articles()[0].ID); ok {
		t.Error("a closed index read an article")
	}

	os.WriteFile(corpus, data[:len(data)/2], 0o644)
	if _, err := index.Open(path, testOptions(t)); err == nil || !strings.Contains(err.Error(), "beyond the end") {
		t.Errorf("truncated corpus: %v", err)
	}

	bad := append([]byte(nil), data...)
	for i := 8; i < 8+36*4; i++ {
		bad[i] = 0xff // the first article's first sentences point past its text
	}
	os.WriteFile(corpus, bad, 0o644)
	ix2, err := index.Open(path, testOptions(t))
	if err != nil {
		t.Fatal(err)
	}
	defer ix2.Close()
	if _, ok := ix2.Article(ix2.Articles()[0].ID); ok {
		t.Error("read an article whose sentences lie outside its text")
	}

	old := t.TempDir()
	os.WriteFile(filepath.Join(old, "index_meta.json"), []byte(`{"storage":"scorch","index_type":"scorch"}`), 0o644)
	if _, err := index.Open(old, testOptions(t)); err == nil || !strings.Contains(err.Error(), "older Parley") {
		t.Errorf("index of the previous layout: %v", err)
	}
	os.WriteFile(filepath.Join(path, "parley.meta"), []byte("not gob"), 0o644)
	if _, err := index.Open(path, testOptions(t)); err == nil {
		t.Error("opened garbage metadata")
	}
}
