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
	Roles            []string          `json:"roles"`
	Relations        []string          `json:"relations"`
	Ranks            []string          `json:"ranks"`
	Modifiers        []string          `json:"modifiers"`
	Qualifiers       []string          `json:"qualifiers"`
	Portfolios       []string          `json:"portfolios"`
	PortfolioHeads   []string          `json:"portfolio_heads"`
	PortfolioWords   []string          `json:"portfolio_words"`
	Abbreviations    map[string]string `json:"abbreviations"`
	Honorifics       map[string]string `json:"honorifics"`
	GenderedRoles    map[string]string `json:"gendered_roles"`
	Speech           []string          `json:"speech"`
	QuoteVerbs       []string          `json:"quote_verbs"`
	NotNames         []string          `json:"not_names"`
	Bodies           []string          `json:"bodies"`
	Seats            []string          `json:"seats"`
	Collective       map[string]string `json:"collective"`
	Organisations    []string          `json:"organisations"`
	Suffixes         []string          `json:"suffixes"`
	NameParticles    []string          `json:"name_particles"`
	CapitalParticles []string          `json:"capital_particles"`
	Companies        []string          `json:"companies"`
	CompanyNouns     []string          `json:"company_nouns"`
}

// phrase is a role, portfolio, honorific or body noun as folded words.
type phrase struct {
	words    []string
	key      string // words joined by spaces
	relation bool
	rank     bool
	// expand is what an abbreviated title stands for ("senator" for "sen").
	expand string
	gender string // of an honorific
}

// lexicon is the role data, indexed for matching.
type lexicon struct {
	roles      map[string][]phrase // by first word, longest first
	portfolios map[string][]phrase
	honorifics map[string][]phrase
	bodies     map[string][]phrase
	modifiers  map[string]bool
	qualifiers map[string]bool
	// heads take a portfolio ("Veterans Affairs Secretary"); pwords make one.
	heads  map[string]bool
	pwords map[string]bool
	// abbrev expands an abbreviated title word ("gen" -> "general").
	abbrev map[string]string
	// dotted are words after which a full stop does not end a phrase
	// ("Mr.", "Sen.").
	dotted     map[string]bool
	gendered   map[string]string
	speech     map[string]bool
	quoteVerbs map[string]bool
	notNames   map[string]bool
	seats      map[string]bool
	collective map[string]bool
	// rankWords are the one-word ranks ("chief", "commander"), also when
	// a role of the same spelling shadows them.
	rankWords map[string]bool
	// orgs make a name or a description an organisation's ("Bank",
	// "Front", "a mining company").
	orgs map[string]bool
	// companies make a name a company's ("Blue Abyss Metals"), which
	// "the company" or "the firm" (companyNouns) refers back to.
	companies    map[string]bool
	companyNouns map[string]bool
	suffixes     map[string]bool
	particles    map[string]bool
	capParticle  map[string]bool
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
		roles:        map[string][]phrase{},
		portfolios:   map[string][]phrase{},
		honorifics:   map[string][]phrase{},
		bodies:       map[string][]phrase{},
		modifiers:    set(f.Modifiers),
		qualifiers:   set(f.Qualifiers),
		heads:        set(f.PortfolioHeads),
		pwords:       set(f.PortfolioWords),
		abbrev:       map[string]string{},
		dotted:       map[string]bool{},
		gendered:     map[string]string{},
		speech:       set(f.Speech),
		quoteVerbs:   set(f.QuoteVerbs),
		notNames:     set(f.NotNames),
		seats:        set(f.Seats),
		collective:   map[string]bool{},
		orgs:         set(f.Organisations),
		companies:    set(f.Companies),
		companyNouns: set(f.CompanyNouns),
		rankWords:    map[string]bool{},
		suffixes:     set(f.Suffixes),
		particles:    set(f.NameParticles),
		capParticle:  set(f.CapitalParticles),
	}
	for k := range lx.suffixes {
		lx.dotted[k] = true // "Hargrove Jr. said"
	}
	for k := range f.Collective {
		lx.collective[places.Fold(k)] = true
	}
	add := func(m map[string][]phrase, s string, ph phrase) {
		w := words(s)
		if len(w) == 0 {
			return
		}
		ph.words, ph.key = w, strings.Join(w, " ")
		m[w[0]] = append(m[w[0]], ph)
	}
	for k, v := range f.Honorifics {
		add(lx.honorifics, k, phrase{gender: v})
		if w := words(k); len(w) == 1 {
			lx.dotted[w[0]] = true
		}
	}
	for k, v := range f.Abbreviations {
		k = places.Fold(k)
		lx.roles[k] = append(lx.roles[k], phrase{words: []string{k}, key: phraseKey(v), expand: v})
		lx.abbrev[k] = phraseKey(v)
		lx.dotted[k] = true
	}
	for k, v := range f.GenderedRoles {
		lx.gendered[phraseKey(k)] = v
	}
	for _, r := range f.Roles {
		add(lx.roles, r, phrase{})
	}
	for _, r := range f.Relations {
		add(lx.roles, r, phrase{relation: true})
	}
	for _, r := range f.Ranks {
		add(lx.roles, r, phrase{rank: true})
		if w := words(r); len(w) == 1 {
			lx.rankWords[w[0]] = true
		}
	}
	for _, p := range f.Portfolios {
		add(lx.portfolios, p, phrase{})
	}
	for _, b := range f.Bodies {
		add(lx.bodies, b, phrase{})
	}
	for _, m := range []map[string][]phrase{lx.roles, lx.portfolios, lx.honorifics, lx.bodies} {
		for k, ps := range m {
			// Longest first; a rank and a role of one spelling ("commander")
			// are one entry, the role.
			sort.SliceStable(ps, func(i, j int) bool { return len(ps[i].words) > len(ps[j].words) })
			out := ps[:0]
			seen := map[string]bool{}
			for _, p := range ps {
				if !seen[p.key] || p.expand != "" {
					seen[p.key] = true
					out = append(out, p)
				}
			}
			m[k] = out
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
