package people_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/parley-bot/parley"
	"github.com/parley-bot/parley/index"
	"github.com/parley-bot/parley/index/places"
)

// expected is one row of a people.json table written by hand beside
// made-up articles (testdata/articles/people-*).
type expected struct {
	Name        string   `json:"name"`
	Role        string   `json:"role"` // forms a reader accepts, '|' between them
	Affiliation string   `json:"affiliation"`
	Kind        string   `json:"kind"`
	Aliases     []string `json:"aliases"`
}

// score is how an extractor's people compare with a table.
type score struct {
	extracted, expected, truePos, found int
	roleOK, affilOK, kindOK             int
	misses                              []string
}

func (s score) precision() float64 { return ratio(s.truePos, s.extracted) }
func (s score) recall() float64    { return ratio(s.found, s.expected) }
func (s score) role() float64      { return ratio(s.roleOK, s.found) }
func (s score) affil() float64     { return ratio(s.affilOK, s.found) }
func (s score) kind() float64      { return ratio(s.kindOK, s.found) }

func (s *score) add(o score) {
	s.extracted += o.extracted
	s.expected += o.expected
	s.truePos += o.truePos
	s.found += o.found
	s.roleOK += o.roleOK
	s.affilOK += o.affilOK
	s.kindOK += o.kindOK
	s.misses = append(s.misses, o.misses...)
}

func ratio(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}

// nameKey compares spellings: case, accents, dots, curly apostrophes and a
// leading "the" do not matter.
func nameKey(s string) string {
	s = strings.NewReplacer("’", "'", ".", "", "‘", "'").Replace(places.Fold(s))
	s = strings.TrimPrefix(strings.TrimSpace(s), "the ")
	return strings.Join(strings.Fields(s), " ")
}

func roleKey(s string) string { return nameKey(strings.ReplaceAll(s, "-", " ")) }

// compare matches each person extracted to the table row sharing a
// spelling with it. A second person matching one row is a false positive:
// one person split in two. Affiliations are compared as places, so that a
// table may write "Turkey" where the gazetteer's name is "Türkiye".
func compare(g *places.Gazetteer, got []parley.Person, want []expected) score {
	s := score{extracted: len(got), expected: len(want)}
	rows := map[string]int{}
	for i, w := range want {
		for _, n := range append([]string{w.Name}, w.Aliases...) {
			rows[nameKey(n)] = i
		}
	}
	matched := map[int]bool{}
	for _, p := range got {
		row := -1
		for _, n := range append([]string{p.Name}, p.Aliases...) {
			if i, ok := rows[nameKey(n)]; ok {
				row = i
				break
			}
		}
		if row < 0 {
			s.misses = append(s.misses, "extra: "+p.Name)
			continue
		}
		if matched[row] {
			s.misses = append(s.misses, "split: "+p.Name+" is again "+want[row].Name)
			continue
		}
		matched[row] = true
		s.truePos++
		s.found++
		w := want[row]
		roleOK := false
		for _, r := range strings.Split(w.Role, "|") {
			roleOK = roleOK || roleKey(r) == roleKey(p.Role)
		}
		if roleOK {
			s.roleOK++
		} else {
			s.misses = append(s.misses, "role: "+p.Name+" is "+quoted(p.Role)+", want "+quoted(w.Role))
		}
		if samePlace(g, p.Affiliation, w.Affiliation) {
			s.affilOK++
		} else {
			s.misses = append(s.misses, "affiliation: "+p.Name+" is "+quoted(p.Affiliation)+", want "+quoted(w.Affiliation))
		}
		if kindOf(p) == w.Kind {
			s.kindOK++
		} else {
			s.misses = append(s.misses, "kind: "+p.Name+" is "+kindOf(p)+", want "+w.Kind)
		}
	}
	for i, w := range want {
		if !matched[i] {
			s.misses = append(s.misses, "missed: "+w.Name)
		}
	}
	return s
}

// samePlace reports whether a and b name one place (or are both empty).
func samePlace(g *places.Gazetteer, a, b string) bool {
	if a == b {
		return true
	}
	pa, oka := g.Lookup(a)
	pb, okb := g.Lookup(b)
	return oka && okb && pa.Name == pb.Name
}

func quoted(s string) string { return "“" + s + "”" }

// TestPeopleTables compares the extractor with the tables written by hand
// beside the made-up articles, and holds it to floors.
func TestPeopleTables(t *testing.T) {
	dirs, err := filepath.Glob("../../testdata/articles/people-*")
	if err != nil || len(dirs) < 3 {
		t.Fatalf("made-up article folders: %v %v", dirs, err)
	}
	e := newExtractor(t)
	g, err := places.Load()
	if err != nil {
		t.Fatal(err)
	}
	// The first round's tables were written beside the extractor they
	// test; the blind ones (people-blind-*) before their authors read it.
	// Each group has its own floors.
	var first, blind score
	for _, dir := range dirs {
		arts, err := index.Load(os.DirFS(dir))
		if err != nil {
			t.Fatal(err)
		}
		b, err := os.ReadFile(filepath.Join(dir, "people.json"))
		if err != nil {
			t.Fatal(err)
		}
		var table struct {
			People []expected `json:"people"`
		}
		if err := json.Unmarshal(b, &table); err != nil {
			t.Fatalf("%s: %v", dir, err)
		}
		s := compare(g, e.Annotate(arts), table.People)
		logScore(t, filepath.Base(dir), s)
		for _, m := range s.misses {
			t.Logf("  %s", m)
		}
		if strings.HasPrefix(filepath.Base(dir), "people-blind-") {
			blind.add(s)
		} else {
			first.add(s)
		}
	}
	logScore(t, "first round", first)
	logScore(t, "blind", blind)
	checkFloors(t, "first round", first, floors{precision: 0.92, recall: 0.92, role: 0.88, affil: 0.90, kind: 0.95})
	// What the extractor reached on the blind tables after the fixes the
	// round called for; what is left is listed in docs/people.md.
	checkFloors(t, "blind", blind, floors{precision: 0.99, recall: 0.99, role: 0.99, affil: 0.98, kind: 0.99})
}

func logScore(t *testing.T, name string, s score) {
	t.Helper()
	t.Logf("%-22s precision %.2f recall %.2f role %.2f affiliation %.2f kind %.2f (%d extracted, %d expected)",
		name, s.precision(), s.recall(), s.role(), s.affil(), s.kind(), s.extracted, s.expected)
}

type floors struct{ precision, recall, role, affil, kind float64 }

func checkFloors(t *testing.T, group string, s score, f floors) {
	t.Helper()
	for _, c := range []struct {
		name       string
		got, floor float64
	}{
		{"precision", s.precision(), f.precision},
		{"recall", s.recall(), f.recall},
		{"role accuracy", s.role(), f.role},
		{"affiliation accuracy", s.affil(), f.affil},
		{"kind accuracy", s.kind(), f.kind},
	} {
		if c.got < c.floor {
			t.Errorf("%s: %s %.2f, below the floor %.2f", group, c.name, c.got, c.floor)
		}
	}
}

// kindOf reads a person's kind; people made before kinds existed are people.
func kindOf(p parley.Person) string {
	if p.Kind == "" {
		return parley.KindPerson
	}
	return p.Kind
}
