package index

import (
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/parley-bot/parley"
)

// An on-disk index built in many small batches (many segments, some merged
// while building, all merged at the end) still breaks ties by article and
// position, in one shard or several.
func TestOnDiskTiesInSentenceOrder(t *testing.T) {
	var arts []*parley.Article
	for i := range 60 {
		a := &parley.Article{ID: fmt.Sprintf("a%02d", i), Text: "The harbour reopened on Friday. The harbour reopened on Friday. Boats came back."}
		Prepare(a)
		arts = append(arts, a)
	}
	for _, shards := range []int{1, 3} {
		t.Run(fmt.Sprintf("%d shards", shards), func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "ix")
			if err := BuildOnDisk(context.Background(), path, arts, Options{Shards: shards, batch: 7}); err != nil {
				t.Fatal(err)
			}
			for k := range shards {
				zaps, _ := filepath.Glob(filepath.Join(path, fmt.Sprintf("shard-%d", k), "store", "*.zap"))
				if len(zaps) != 1 {
					t.Errorf("shard %d has %d segments, want 1 (merged)", k, len(zaps))
				}
			}
			ix, err := Open(path, Options{})
			if err != nil {
				t.Fatal(err)
			}
			defer ix.Close()
			if len(ix.shards) != shards {
				t.Fatalf("%d shards, want %d", len(ix.shards), shards)
			}
			for _, size := range []int{5, 37, 200} {
				hits, err := ix.Search(context.Background(), parley.Query{Text: "harbour", Size: size})
				if err != nil {
					t.Fatal(err)
				}
				var got, want []string
				for _, h := range hits {
					got = append(got, fmt.Sprintf("%s/%d", h.Sentence.Article, h.Sentence.Position))
				}
				for i := 0; len(want) < min(size, 120); i++ {
					want = append(want, fmt.Sprintf("a%02d/%d", i/2, i%2))
				}
				if strings.Join(got, " ") != strings.Join(want, " ") {
					t.Errorf("size %d: hits\n%v\nwant\n%v", size, got, want)
				}
			}
		})
	}
}

// The terms a hit matched, worked out from the terms of the hits kept, are
// the terms bleve's locations name.
func TestMatchedTermsAsBleveLocatesThem(t *testing.T) {
	ix := seedIndex(t)
	for _, q := range []parley.Query{
		{Text: "military hubs", Size: 25}, {Text: "troops Ukraine's army", Size: 25},
		{Text: "security guarantees last", Places: []string{"France"}, Size: 25},
		{Text: "Zelensky say territory", People: []string{"Volodymyr Zelensky"}, Size: 25},
		{Text: "text:hubs +troops -Ukraine \"unclosed", Size: 25}, {Text: "the of and", Size: 25},
		{People: []string{"Emmanuel Macron"}, Size: 100},
		{Text: "troops army", Expand: []parley.Expansion{{Term: "forc", Weight: 0.35}, {Term: "personnel", Weight: 0.35}}, Places: []string{"Ukraine"}, Size: 25},
		{Text: "military hubs", Phrase: "military hubs", Size: 60},
	} {
		mine, err := ix.search(context.Background(), q, false)
		if err != nil {
			t.Fatal(err)
		}
		bleves, err := ix.search(context.Background(), q, true)
		if err != nil {
			t.Fatal(err)
		}
		if len(mine) != len(bleves) {
			t.Fatalf("%q: %d hits, %d with locations", q.Text, len(mine), len(bleves))
		}
		for i := range mine {
			if mine[i].Sentence != bleves[i].Sentence || !slices.Equal(mine[i].Matched, bleves[i].Matched) {
				t.Errorf("%q: hit %d matched %v, bleve locates %v", q.Text, i, mine[i].Matched, bleves[i].Matched)
			}
		}
	}
}

// The filters that spare edit distances to people's spellings change no
// typo's reading: LookupPerson finds whom comparing every spelling finds.
func TestLookupPersonFiltersKeepEveryMatch(t *testing.T) {
	ix := seedIndex(t)
	reference := func(typed string) (int, bool) {
		want := strings.Join(personWords(typed), " ")
		limit := 1
		if len([]rune(want)) >= 8 {
			limit = 2
		}
		bestI, bestD := -1, limit+1
		for name, i := range ix.personByName {
			if d := parley.EditDistance(want, name); d < bestD || d == bestD && bestI >= 0 && i < bestI {
				bestI, bestD = i, d
			}
		}
		return bestI, bestI >= 0 && bestD <= limit
	}
	n := 0
	for name := range ix.personByName {
		r := []rune(name)
		if len(r) < 5 || ix.personByName[name] < 0 {
			continue
		}
		for _, typo := range []string{
			string(r[:len(r)/2]) + string(r[len(r)/2+1:]), string(r[:1]) + "x" + string(r[1:]),
			string(r[:len(r)-1]) + "q", string(r[1:2]) + string(r[:1]) + string(r[2:]), string(r[:len(r)/3]) + "zz" + string(r[len(r)/3+1:]),
		} {
			if _, ok := ix.personByName[strings.Join(personWords(typo), " ")]; ok || len(personWords(typo)) == 0 {
				continue // not a typo
			}
			got, typoOK, ok := ix.LookupPerson(typo, true)
			want, wantOK := reference(typo)
			if wantOK && (!ok || !typoOK || got != want) {
				t.Errorf("LookupPerson(%q) = %d, %v; comparing every spelling: %d", typo, got, ok, want)
			}
			if !wantOK && ok && got != want {
				if _, bySurname := ix.bySurname(personWords(typo)); !bySurname {
					t.Errorf("LookupPerson(%q) = %d; comparing every spelling finds none", typo, got)
				}
			}
			n++
		}
	}
	if n == 0 {
		t.Fatal("no typos tried")
	}
}
