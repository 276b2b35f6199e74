package people

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	"github.com/parley-bot/parley/index/places"
)

//go:embed roles.json
var rolesJSON []byte

type rolesFile struct {
	Roles         []string          `json:"roles"`
	Relations     []string          `json:"relations"`
	Modifiers     []string          `json:"modifiers"`
	Qualifiers    []string          `json:"qualifiers"`
	Portfolios    []string          `json:"portfolios"`
	Abbreviations map[string]string `json:"abbreviations"`
	Honorifics    map[string]string `json:"honorifics"`
	GenderedRoles map[string]string `json:"gendered_roles"`
	Speech        []string          `json:"speech"`
	QuoteVerbs    []string          `json:"quote_verbs"`
	NotNames      []string          `json:"not_names"`
}

// phrase is a role or portfolio as folded words.
type phrase struct {
	words    []string
	key      string // words joined by spaces
	relation bool
	// expand is what an abbreviated title stands for ("senator" for "sen").
	expand string
}

// lexicon is the role data, indexed for matching.
type lexicon struct {
	roles      map[string][]phrase // by first word, longest first
	portfolios map[string][]phrase
	modifiers  map[string]bool
	qualifiers map[string]bool
	honorifics map[string]string
	// dotted are words after which a full stop does not end a phrase
	// ("Mr.", "Sen.").
	dotted     map[string]bool
	gendered   map[string]string
	speech     map[string]bool
	quoteVerbs map[string]bool
	notNames   map[string]bool
}

func loadLexicon(data []byte) (*lexicon, error) {
	var f rolesFile
	if err := json.Unmarshal(data, &f); err != nil {
		return nil, fmt.Errorf("people: roles.json: %w", err)
	}
	if len(f.Roles) == 0 || len(f.Speech) == 0 {
		return nil, fmt.Errorf("people: roles.json: no roles or no speech verbs")
	}
	lx := &lexicon{
		roles:      map[string][]phrase{},
		portfolios: map[string][]phrase{},
		modifiers:  set(f.Modifiers),
		qualifiers: set(f.Qualifiers),
		honorifics: map[string]string{},
		gendered:   map[string]string{},
		speech:     set(f.Speech),
		quoteVerbs: set(f.QuoteVerbs),
		notNames:   set(f.NotNames),
	}
	lx.dotted = map[string]bool{}
	for k, v := range f.Honorifics {
		lx.honorifics[places.Fold(k)] = v
		lx.dotted[places.Fold(k)] = true
	}
	for k, v := range f.Abbreviations {
		k = places.Fold(k)
		lx.roles[k] = append(lx.roles[k], phrase{words: []string{k}, key: phraseKey(v), expand: v})
		lx.dotted[k] = true
	}
	for k, v := range f.GenderedRoles {
		lx.gendered[phraseKey(k)] = v
	}
	add := func(m map[string][]phrase, s string, rel bool) {
		w := words(s)
		if len(w) == 0 {
			return
		}
		m[w[0]] = append(m[w[0]], phrase{words: w, key: strings.Join(w, " "), relation: rel})
	}
	for _, r := range f.Roles {
		add(lx.roles, r, false)
	}
	for _, r := range f.Relations {
		add(lx.roles, r, true)
	}
	for _, p := range f.Portfolios {
		add(lx.portfolios, p, false)
	}
	for _, m := range []map[string][]phrase{lx.roles, lx.portfolios} {
		for k, ps := range m {
			sort.SliceStable(ps, func(i, j int) bool { return len(ps[i].words) > len(ps[j].words) })
			m[k] = ps
		}
	}
	return lx, nil
}

func set(ss []string) map[string]bool {
	m := make(map[string]bool, len(ss))
	for _, s := range ss {
		m[places.Fold(s)] = true
	}
	return m
}

// words splits a phrase into folded words at spaces and hyphens.
func words(s string) []string {
	return strings.FieldsFunc(places.Fold(s), func(r rune) bool { return r == ' ' || r == '-' })
}

func phraseKey(s string) string { return strings.Join(words(s), " ") }
