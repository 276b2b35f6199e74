package people_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/parley-bot/parley"
	"github.com/parley-bot/parley/index/segment"
)

// annotate splits and annotates texts, one article each.
func annotate(tb testing.TB, texts ...string) ([]parley.Person, []*parley.Article) {
	tb.Helper()
	var arts []*parley.Article
	for i, text := range texts {
		id := fmt.Sprint("t", i)
		arts = append(arts, &parley.Article{ID: id, Text: text, Sentences: segment.Split(id, text, segment.Options{})})
	}
	return newExtractor(tb).Annotate(arts), arts
}

// who is a row of a stage's table: in the text, the person (or body) named
// name has this role, affiliation and kind; aliases are spellings it must
// know.
type who struct {
	text                          string
	name, role, affiliation, kind string
	aliases                       []string
}

func checkWho(t *testing.T, tests []who) {
	t.Helper()
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ps, _ := annotate(t, tc.text)
			var p *parley.Person
			for i := range ps {
				if ps[i].Name == tc.name {
					p = &ps[i]
				}
			}
			if p == nil {
				t.Fatalf("%q not among %q in %q", tc.name, names(ps), tc.text)
			}
			roleOK := false
			for _, r := range strings.Split(tc.role, "|") {
				roleOK = roleOK || strings.EqualFold(p.Role, r)
			}
			if !roleOK || p.Affiliation != tc.affiliation {
				t.Errorf("role, affiliation = %q, %q; want %q, %q", p.Role, p.Affiliation, tc.role, tc.affiliation)
			}
			kind := tc.kind
			if kind == "" {
				kind = parley.KindPerson
			}
			if p.Kind != kind {
				t.Errorf("kind %q, want %q", p.Kind, kind)
			}
			for _, a := range tc.aliases {
				found := false
				for _, x := range p.Aliases {
					found = found || x == a
				}
				if !found {
					t.Errorf("aliases %q lack %q", p.Aliases, a)
				}
			}
		})
	}
}

// said is a row of a speech table: the sentence containing sub is spoken
// by speaker ("" for no one) as kind.
type said struct {
	text, sub, speaker, kind string
}

func checkSaid(t *testing.T, tests []said) {
	t.Helper()
	for _, tc := range tests {
		t.Run(tc.sub, func(t *testing.T) {
			_, arts := annotate(t, tc.text)
			s := sentence(t, arts, tc.sub)
			if s.Speaker != tc.speaker || s.Kind != tc.kind {
				t.Errorf("speaker, kind = %q, %q; want %q, %q", s.Speaker, s.Kind, tc.speaker, tc.kind)
			}
		})
	}
}

func containsFold(s, sub string) bool {
	return strings.Contains(strings.ToLower(s), strings.ToLower(sub))
}
