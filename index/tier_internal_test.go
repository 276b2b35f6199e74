package index

import (
	"context"
	"path/filepath"
	"slices"
	"testing"

	"github.com/parley-bot/parley"
	"github.com/parley-bot/parley/seeds"
)

// tierQueries are searches of several kinds: typed words alone, with a
// phrase, related words, a place, a person.
var tierQueries = []parley.Query{
	{Text: "military hubs", Phrase: "military hubs", Size: 5},
	{Text: "troops army", Expand: []parley.Expansion{{Term: "forc", Weight: 0.35}}, Places: []string{"Ukraine"}, Size: 5},
	{Text: "security guarantees", Size: 5},
	{Text: "security guarantees", Phrase: "security guarantees", Size: 5},
	{Text: "ceasefire monitoring", Phrase: "ceasefire monitoring", Places: []string{"United States"}, Size: 5},
	{Text: "ceasefire monitoring lead", Size: 5},
	{Text: "compromises territory", People: []string{"Volodymyr Zelensky"}, Size: 5},
	{Text: "troops", Size: 5},
}

// The first tier scores the sentences it searches exactly as the whole
// search does, keeps them in the same order, and finds every hit the whole
// search finds when its words' champions hold them all; with too few there,
// the whole search runs.
func TestFirstTierScoresAsTheWholeSearch(t *testing.T) {
	arts, err := Load(seeds.FS())
	if err != nil {
		t.Fatal(err)
	}
	opts, err := DefaultOptions()
	if err != nil {
		t.Fatal(err)
	}
	opts.tierSize = 8 // few champions: the tier is a real subset
	ix, err := Build(context.Background(), arts, opts)
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	ctx := context.Background()
	tiered, used := 0, 0
	for _, q := range tierQueries {
		ix.tierPostings = firstTierPostings // the seeds are too few: the whole search
		all := q
		all.Size = 1000
		whole, err := ix.Search(ctx, all)
		if err != nil {
			t.Fatal(err)
		}
		full, err := ix.Search(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		ix.tierPostings = 1
		terms := ix.Terms(q.Text)
		if qs, err := ix.firstTier(ctx, slices.Compact(terms), nil, nil); err != nil {
			t.Fatal(err)
		} else if qs != nil {
			used++
		}
		tier, err := ix.Search(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		score := map[*parley.Sentence]float64{}
		for _, h := range whole {
			score[h.Sentence] = h.Score
		}
		for i, h := range tier {
			if s, ok := score[h.Sentence]; !ok || s != h.Score {
				t.Errorf("%q: tier hit %d scores %v, the whole search %v (found: %v)", q.Text, i, h.Score, s, ok)
			}
			if i > 0 && h.Score > tier[i-1].Score {
				t.Errorf("%q: tier hits out of order", q.Text)
			}
		}
		if len(tier) < min(q.Size, len(whole)) {
			t.Errorf("%q: %d tier hits, want %d", q.Text, len(tier), min(q.Size, len(whole)))
		}
		if !slices.EqualFunc(tier, full, func(a, b parley.Hit) bool { return a.Sentence == b.Sentence }) {
			tiered++
		}
	}
	ix.tierPostings = 1
	if got, err := ix.Search(ctx, parley.Query{Text: "napoleon pizza", Size: 5}); err != nil || len(got) != 0 {
		t.Errorf("no sentence has these words: %d hits, %v", len(got), err)
	}
	if used < len(tierQueries)-1 {
		t.Errorf("the first tier served %d of %d searches", used, len(tierQueries))
	}
	t.Logf("%d of %d searches answered otherwise from the first tier", tiered, len(tierQueries))
}

// An index on disk keeps the champions it found when built: its first tier
// finds what the index built in memory finds, in one shard or two.
func TestFirstTierOnDisk(t *testing.T) {
	arts, err := Load(seeds.FS())
	if err != nil {
		t.Fatal(err)
	}
	opts, err := DefaultOptions()
	if err != nil {
		t.Fatal(err)
	}
	opts.tierSize, opts.tierPostings = 8, 1
	mem, err := Build(context.Background(), arts, opts)
	if err != nil {
		t.Fatal(err)
	}
	defer mem.Close()
	for _, shards := range []int{1, 2} {
		path := filepath.Join(t.TempDir(), "seeds.idx")
		arts, err := Load(seeds.FS())
		if err != nil {
			t.Fatal(err)
		}
		o := opts
		o.Shards = shards
		if err := BuildOnDisk(context.Background(), path, arts, o); err != nil {
			t.Fatal(err)
		}
		disk, err := Open(path, o)
		if err != nil {
			t.Fatal(err)
		}
		if len(disk.champions) != shards {
			t.Fatalf("%d shards, champions of %d", shards, len(disk.champions))
		}
		for _, q := range tierQueries {
			a, err := mem.Search(context.Background(), q)
			if err != nil {
				t.Fatal(err)
			}
			b, err := disk.Search(context.Background(), q)
			if err != nil {
				t.Fatal(err)
			}
			same := len(a) == len(b)
			for i := 0; same && i < len(a); i++ {
				same = a[i].Sentence.Article == b[i].Sentence.Article && a[i].Sentence.Position == b[i].Sentence.Position && (shards > 1 || a[i].Score == b[i].Score)
			}
			if !same && shards == 1 {
				t.Errorf("%q: the first tier on disk finds other hits", q.Text)
			}
			if len(b) < min(q.Size, len(a)) {
				t.Errorf("%d shards, %q: %d hits on disk, %d in memory", shards, q.Text, len(b), len(a))
			}
		}
		disk.Close()
	}
}

// withEvery finds the first sentences with every term, as reading each
// term's postings whole and intersecting them does.
func TestWithEvery(t *testing.T) {
	arts, err := Load(seeds.FS())
	if err != nil {
		t.Fatal(err)
	}
	opts, err := DefaultOptions()
	if err != nil {
		t.Fatal(err)
	}
	ix, err := Build(context.Background(), arts, opts)
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	ctx := context.Background()
	postings := func(term string) map[uint32]bool {
		adv, _ := ix.shards[0].Advanced()
		r, _ := adv.Reader()
		defer r.Close()
		tfr, err := r.TermFieldReader(ctx, []byte(term), fieldText, false, false, false)
		if err != nil {
			t.Fatal(err)
		}
		defer tfr.Close()
		out := map[uint32]bool{}
		for {
			d, err := tfr.Next(nil)
			if err != nil {
				t.Fatal(err)
			}
			if d == nil {
				return out
			}
			out[uint32(d.ID.Value())] = true
		}
	}
	for _, terms := range [][]string{{"troop", "ukrain"}, {"militari", "hub"}, {"ukrain", "franc", "troop"}, {"secur", "guarante"}, {"troop", "napoleon"}} {
		var want []uint32
		first := postings(terms[0])
		for d := range first {
			all := true
			for _, o := range terms[1:] {
				all = all && postings(o)[d]
			}
			if all {
				want = append(want, d)
			}
		}
		slices.Sort(want)
		got, err := withEvery(ctx, ix.shards[0], terms, 1000)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(got, want) {
			t.Errorf("%v: %v, want %v", terms, got, want)
		}
		if len(want) > 2 {
			if few, err := withEvery(ctx, ix.shards[0], terms, 2); err != nil || !slices.Equal(few, want[:2]) {
				t.Errorf("%v, first 2: %v, want %v", terms, few, want[:2])
			}
		}
	}
}
