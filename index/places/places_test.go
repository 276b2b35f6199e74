package places

import (
	"strings"
	"testing"
)

func load(tb testing.TB) *Gazetteer {
	tb.Helper()
	g, err := Load()
	if err != nil {
		tb.Fatal(err)
	}
	return g
}

func TestFind(t *testing.T) {
	g := load(t)
	tests := []struct {
		name, text string
		want       []string // "surface=Place"
	}{
		{"let us is no country", "Let us go, said the US envoy to us.", []string{"US=United States"}},
		{"dotted abbreviations", "U.S. and U.K. forces, the E.U. and the U.N.", []string{"U.S.=United States", "U.K.=United Kingdom", "E.U.=European Union", "U.N.=United Nations"}},
		{"dot glued to next word", "U.S.and allied envoys", []string{"U.S.=United States"}},
		{"possessives straight and curly", "Ukraine's skies and Britain’s seas", []string{"Ukraine=Ukraine", "Britain=United Kingdom"}},
		{"demonyms", "French, British and Ukrainian officials met Americans", []string{"French=France", "British=United Kingdom", "Ukrainian=Ukraine", "Americans=United States"}},
		{"capitals and seats", "Paris, London, the Kremlin, the White House and the Élysée", []string{"Paris=France", "London=United Kingdom", "Kremlin=Russia", "White House=United States", "Élysée=France"}},
		{"diacritics folded", "the Elysee said", []string{"Elysee=France"}},
		{"longest match first", "the United States of America and Latin America", []string{"United States of America=United States", "Latin America=Latin America"}},
		{"hyphenated compounds", "an Anglo-French plan and a U.S.-led mission", []string{"French=France", "U.S.=United States"}},
		{"organisations", "NATO chief, Nato allies, G7 ministers, the European Commission", []string{"NATO=NATO", "Nato=NATO", "G7=G7", "European Commission=European Commission"}},
		{"seats of government that are no capital", "In La Paz and The Hague", []string{"La Paz=Bolivia", "The Hague=Netherlands"}},
		{"Korea alone is the South in news prose", "the Bank of Korea and North Korea", []string{"Korea=South Korea", "North Korea=North Korea"}},
		{"lower case common noun", "a turkey and china plates", nil},
		{"all caps headline", "UKRAINE STRIKE ON PUTIN'S RESIDENCE", []string{"UKRAINE=Ukraine"}},
		{"no partial words", "Francesca and Parisian Germanic", nil},
		{"empty", "", nil},
		{"emoji and controls", "🇫🇷\x00\u202eFrance\u200b", []string{"France=France"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var got []string
			for _, m := range g.Find(tc.text) {
				if tc.text[m.Start:m.End] != m.Surface {
					t.Errorf("offsets [%d:%d] give %q, surface %q", m.Start, m.End, tc.text[m.Start:m.End], m.Surface)
				}
				got = append(got, m.Surface+"="+m.Place)
			}
			if strings.Join(got, "|") != strings.Join(tc.want, "|") {
				t.Errorf("Find(%q)\n got %q\nwant %q", tc.text, got, tc.want)
			}
		})
	}
}

func TestLookupAndSuggest(t *testing.T) {
	g := load(t)
	tests := []struct {
		query, lookup, suggest string
	}{
		{"uk", "United Kingdom", "United Kingdom"},
		{"U.K.", "United Kingdom", "United Kingdom"},
		{"britain", "United Kingdom", "United Kingdom"},
		{"Great Britain", "United Kingdom", "United Kingdom"},
		{"french", "France", "France"},
		{"us", "United States", "United States"},
		{"the united states", "United States", "United States"},
		{"america", "United States", "United States"},
		{"élysée", "France", "France"},
		{"elysee", "France", "France"},
		{"russia's", "Russia", "Russia"},
		{"nato", "NATO", "NATO"},
		{"frnace", "", "France"},
		{"germnay", "", "Germany"},
		{"ukrane", "", "Ukraine"},
		{"untied kingdom", "", "United Kingdom"},
		{"napoleon", "", ""},
		{"uz", "", ""}, // too short to correct
		{"", "", ""},
		{"troops", "", ""},
	}
	for _, tc := range tests {
		t.Run(tc.query, func(t *testing.T) {
			p, ok := g.Lookup(tc.query)
			if got := p.Name; got != tc.lookup || ok != (tc.lookup != "") {
				t.Errorf("Lookup(%q) = %q, %v; want %q", tc.query, got, ok, tc.lookup)
			}
			p, ok = g.Suggest(tc.query)
			if got := p.Name; got != tc.suggest || ok != (tc.suggest != "") {
				t.Errorf("Suggest(%q) = %q, %v; want %q", tc.query, got, ok, tc.suggest)
			}
		})
	}
}

func TestKey(t *testing.T) {
	for in, want := range map[string]string{
		"U.K.":           "uk",
		"United Kingdom": "united_kingdom",
		"Élysée Palace":  "elysee_palace",
		"Quai d'Orsay":   "quai_d_orsay",
		"  G-7 ":         "g_7",
		"":               "",
	} {
		if got := Key(in); got != want {
			t.Errorf("Key(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestData(t *testing.T) {
	g := load(t)
	ps := g.Places()
	if len(ps) < 250 {
		t.Fatalf("%d places, want the 250 countries and more", len(ps))
	}
	kinds := map[string]int{}
	for _, p := range ps {
		kinds[p.Kind]++
		if p.Name == "" || len(p.Aliases) == 0 || p.Aliases[0] == "" {
			t.Errorf("place %+v has no name or aliases", p)
		}
	}
	if kinds[KindCountry] < 250 || kinds[KindOrganization] < 5 {
		t.Errorf("kinds %v", kinds)
	}
	// Every alias of a place must find that place (or a longer one), else the
	// data holds an alias that silently does nothing.
	for _, p := range ps {
		for _, a := range p.Aliases {
			ms := g.Find(a)
			if len(ms) == 0 {
				t.Errorf("alias %q of %s finds nothing", a, p.Name)
				continue
			}
			if lp, ok := g.Lookup(a); !ok {
				t.Errorf("Lookup(%q) finds nothing", a)
			} else if lp.Name != p.Name && ms[0].Place == p.Name {
				t.Errorf("alias %q: Find says %s, Lookup %s", a, p.Name, lp.Name)
			}
		}
	}
}

// An organisation that belongs to another names it in PartOf, and that
// one is a place.
func TestPartOf(t *testing.T) {
	g := load(t)
	for name, want := range map[string]string{"UNICEF": "United Nations", "WFP": "United Nations", "European Commission": "European Union", "NATO": "", "IGAD": ""} {
		p, ok := g.Lookup(name)
		if !ok || p.PartOf != want {
			t.Errorf("Lookup(%q) = %+v, %v; want part of %q", name, p, ok, want)
		}
	}
	for _, p := range g.Places() {
		if q, ok := g.Lookup(p.PartOf); p.PartOf != "" && (!ok || q.Kind != KindOrganization) {
			t.Errorf("%s is part of %q, no organisation", p.Name, p.PartOf)
		}
	}
	if _, err := build([]Place{{Name: "A", Kind: KindOrganization, PartOf: "B"}}, nil); err == nil {
		t.Error("a place part of no place builds")
	}
}

func FuzzFind(f *testing.F) {
	g := load(f)
	for _, s := range []string{"U.S.", "Ukraine’s", "é\u0301", "\xff\xfe", "U.S.A.", "<!channel> @everyone"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		last := 0
		for _, m := range g.Find(s) {
			if m.Start < last || m.End <= m.Start || m.End > len(s) || s[m.Start:m.End] != m.Surface {
				t.Fatalf("bad match %+v in %q", m, s)
			}
			last = m.End
		}
		g.Lookup(s)
		g.Suggest(s)
		Key(s)
	})
}

func BenchmarkFind(b *testing.B) {
	g := load(b)
	text := strings.Repeat("U.K. Prime Minister Keir Starmer met French President Emmanuel Macron in Paris, and the U.S. envoy spoke for Washington. ", 20)
	b.ReportAllocs()
	for b.Loop() {
		g.Find(text)
	}
}

func BenchmarkLoad(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Load(); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkSuggest(b *testing.B) {
	g := load(b)
	qs := []string{"frnace", "germnay", "ukrane", "britian", "napoleon", "troops"}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		g.Suggest(qs[i%len(qs)])
		i++
	}
}

// The symbols filter only spares distances: Suggest finds what comparing
// every key of a near length finds, for typos of every key and for words
// that are no place.
func TestSuggestFilterKeepsEveryMatch(t *testing.T) {
	g := load(t)
	reference := func(query string) (Place, bool) {
		if p, ok := g.Lookup(query); ok {
			return p, true
		}
		q := Key(query)
		if n := len([]rune(q)); n < 4 || n > 64 {
			return Place{}, false
		}
		maxd := 1
		if len(q) > 7 {
			maxd = 2
		}
		best, bestPlace, unique := maxd+1, -1, false
		rows := make([]int, 3*(len(q)+maxd+2))
		for n := len(q) - maxd; n <= len(q)+maxd; n++ {
			for _, f := range g.fuzzy[n] {
				d := distance(q, f.key, best, rows)
				switch {
				case d < best:
					best, bestPlace, unique = d, f.place, true
				case d == best && f.place != bestPlace:
					unique = false
				}
			}
		}
		if bestPlace < 0 || !unique {
			return Place{}, false
		}
		return g.places[bestPlace], true
	}
	var queries []string
	for _, fs := range g.fuzzy {
		for i, f := range fs {
			k := f.key
			queries = append(queries,
				k[:len(k)/2]+k[len(k)/2+1:],                    // a letter dropped
				k[:1]+"x"+k[1:],                                // one added
				k[:len(k)-1]+"q",                               // one changed
				k[1:2]+k[:1]+k[2:],                             // two swapped
				k[:len(k)/3]+"zz"+k[len(k)/3+1:],               // two edits
				strings.Repeat(k[i%len(k):i%len(k)+1], len(k))) // no place
		}
	}
	queries = append(queries, "troops", "monitoring", "napoleon", "frnace", "germnay", "ukrane", "britian")
	for _, q := range queries {
		gotP, gotOK := g.Suggest(q)
		wantP, wantOK := reference(q)
		if gotOK != wantOK || gotP.Name != wantP.Name {
			t.Errorf("Suggest(%q) = %q, %v; comparing every key: %q, %v", q, gotP.Name, gotOK, wantP.Name, wantOK)
		}
	}
	t.Logf("%d queries", len(queries))
}
