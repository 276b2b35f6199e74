// Command gen derives index/places/countries.json from the npm package
// world-countries (ODbL 1.0). It is run by hand, not in CI; its output is
// committed. From the repository root:
//
//	cd "$(mktemp -d)" && npm pack world-countries && tar xzf world-countries-*.tgz
//	go run ./index/places/internal/gen -in "$OLDPWD/package" -out index/places/countries.json
//
// (or -in pointing at any unpacked copy of the package). Hand-kept names
// (seats of government, organisations, short forms) live in extra.json and
// are merged at load time, so they can be edited without npm.
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"unicode"
)

type country struct {
	Name struct {
		Common   string `json:"common"`
		Official string `json:"official"`
	} `json:"name"`
	AltSpellings []string                     `json:"altSpellings"`
	Capital      []string                     `json:"capital"`
	Demonyms     map[string]map[string]string `json:"demonyms"`
	CCA3         string                       `json:"cca3"`
	Independent  bool                         `json:"independent"`
}

type place struct {
	Name    string   `json:"name"`
	Kind    string   `json:"kind"`
	Code    string   `json:"code,omitempty"`
	Aliases []string `json:"aliases"`
}

type file struct {
	Source  string  `json:"source"`
	License string  `json:"license"`
	Places  []place `json:"places"`
}

// skip holds alternative spellings and capitals that are ordinary English
// words or common given names: matching them as places would do more harm
// than good ("Male", "Victoria", "Island").
var skip = map[string]bool{
	"island": true, "male": true, "victoria": true, "hamilton": true, "douglas": true,
	"stanley": true, "kingston": true, "georgetown": true, "jamestown": true,
	"the abode of peace": true,
}

func main() {
	in := flag.String("in", "", "directory of the unpacked world-countries package (holds countries.json and package.json)")
	out := flag.String("out", "index/places/countries.json", "output file")
	flag.Parse()
	if err := run(*in, *out); err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
}

func run(in, out string) error {
	raw, err := os.ReadFile(filepath.Join(in, "countries.json"))
	if err != nil {
		return fmt.Errorf("read countries: %w", err)
	}
	var cs []country
	if err := json.Unmarshal(raw, &cs); err != nil {
		return fmt.Errorf("parse countries: %w", err)
	}
	version := "unknown"
	if pj, err := os.ReadFile(filepath.Join(in, "package.json")); err == nil {
		var p struct{ Version string }
		if json.Unmarshal(pj, &p) == nil && p.Version != "" {
			version = p.Version
		}
	}
	places := make([]place, 0, len(cs))
	owners := map[string]map[int]bool{} // folded alias -> places using it
	for i, c := range cs {
		p := place{Name: c.Name.Common, Kind: "country", Code: c.CCA3}
		add := func(s string) {
			s = strings.TrimSpace(s)
			if !usable(s) {
				return
			}
			p.Aliases = append(p.Aliases, s)
			k := strings.ToLower(s)
			if owners[k] == nil {
				owners[k] = map[int]bool{}
			}
			owners[k][i] = true
		}
		add(c.Name.Common)
		add(c.Name.Official)
		for _, a := range c.AltSpellings {
			add(a)
		}
		if d, ok := c.Demonyms["eng"]; ok {
			for _, g := range []string{d["m"], d["f"]} {
				for _, s := range splitDemonym(g) {
					add(s)
					if pl := plural(s); pl != "" {
						add(pl)
					}
				}
			}
		}
		for _, cap := range c.Capital {
			add(cap)
			// "Washington D.C." is written "Washington" in running text.
			if base, ok := strings.CutSuffix(cap, " D.C."); ok {
				add(base)
			}
		}
		places = append(places, p)
	}
	// An alias several places share ("Congolese", "Dominican") names none of
	// them, unless it is one place's own common name.
	for i := range places {
		var keep []string
		seen := map[string]bool{}
		for _, a := range places[i].Aliases {
			k := strings.ToLower(a)
			if seen[a] {
				continue
			}
			seen[a] = true
			if len(owners[k]) > 1 && !strings.EqualFold(a, places[i].Name) && !soleIndependent(owners[k], i, cs) {
				continue
			}
			keep = append(keep, a)
		}
		places[i].Aliases = keep
	}
	sort.Slice(places, func(i, j int) bool { return places[i].Name < places[j].Name })
	f := file{
		Source:  "Derived from world-countries " + version + " by Mohammed Le Doze (https://github.com/mledoze/countries), npm package world-countries; see ATTRIBUTION.md",
		License: "ODbL-1.0 (https://opendatacommons.org/licenses/odbl/1-0/); this derived database is likewise under the ODbL",
		Places:  places,
	}
	b, err := json.MarshalIndent(f, "", " ")
	if err != nil {
		return fmt.Errorf("encode: %w", err)
	}
	if err := os.WriteFile(out, append(b, '\n'), 0o644); err != nil {
		return fmt.Errorf("write %s: %w", out, err)
	}
	return nil
}

// usable keeps names a news article could contain: Latin script, no
// inverted "Korea, Republic of" forms, no two-letter codes ("IT", "IN",
// "NO" are words in headlines), no English words.
func usable(s string) bool {
	if s == "" || strings.Contains(s, ",") || strings.Contains(s, "(") || skip[strings.ToLower(s)] {
		return false
	}
	letters := 0
	for _, r := range s {
		if unicode.IsLetter(r) {
			letters++
			if r > unicode.MaxLatin1 && !unicode.In(r, unicode.Latin) {
				return false
			}
		}
	}
	if letters <= 2 {
		return false
	}
	if strings.ToUpper(s) == s && len(s) == 3 {
		// Three-letter codes: "CAN", "ARE", "AND" are words. Keep the few
		// used in prose.
		switch s {
		case "USA", "UAE", "DRC":
			return true
		}
		return false
	}
	return true
}

// soleIndependent reports whether place i is the only independent country
// among the places sharing an alias: "French" names France, not the French
// overseas territories whose people are also "French".
func soleIndependent(owners map[int]bool, i int, cs []country) bool {
	if !cs[i].Independent {
		return false
	}
	for j := range owners {
		if j != i && cs[j].Independent {
			return false
		}
	}
	return true
}

func splitDemonym(s string) []string {
	var out []string
	for _, part := range strings.Split(s, ",") {
		for _, p := range strings.Split(part, " or ") {
			if p = strings.TrimSpace(p); p != "" {
				out = append(out, p)
			}
		}
	}
	return out
}

// plural gives "Ukrainians" for "Ukrainian", "Israelis" for "Israeli"; other
// demonyms ("French", "Swiss", "Chinese") have no plural in -s.
func plural(s string) string {
	switch {
	case strings.HasSuffix(s, "n"), strings.HasSuffix(s, "i"), strings.HasSuffix(s, "er"):
		return s + "s"
	}
	return ""
}
