package people_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/parley-bot/parley"
	"github.com/parley-bot/parley/index/segment"
)

// Made-up articles: their people, titles and countries appear in no seed, so
// what is found here comes from the rules and the data files.
var madeUp = []string{
	`Spanish Foreign Minister Lucía Fernández met her Portuguese counterpart in Lisbon on Monday to discuss the fishing dispute.
Fernández said the talks were “frank and productive.” She added that Madrid would host the next round in March.
“We are not there yet. But we are closer than ever,” Fernández told reporters.
Norwegian Prime Minister Erik Solvang, who chaired the session, said that Oslo stands ready to help.
Mr Solvang warned that “time is running out for a deal.”
IAEA chief Amara Okafor stated that inspectors would return next month.
A Polish defence ministry spokesman said the proposal was “unacceptable in its current form.”
Let us be clear: the delegation from the US, led by Secretary of State Daniel Reyes, arrived late.
Brazil's veteran leader, Joaquim Alves, called the plan a “historic opportunity for peace.”
The ministers also praised the new “fisheries protocol” drafted in Lisbon.`,

	`KAZAKH LEADER MEETS ENVOY
Kazakh Interior Minister Serhiy Kovalenskyy, the government's top negotiator, arrived in Vienna on Tuesday.
Kovalenskiy said he expected “a long and difficult week.”
Sir Alistair Pembroke, Britain's special representative to the talks, said that progress had been slow.
Kovalensky and Pembroke met for three hours. He said talks would continue.
According to Pembroke, the next session will be held in Geneva.
Chilean President José Ramírez, a Kovalensky ally, sent a letter of support.
Jose Ramirez told the Chilean senate: “This is our fight too.”`,
}

func madeUpArticles(tb testing.TB) []*parley.Article {
	tb.Helper()
	var arts []*parley.Article
	for i, text := range madeUp {
		id := "made_" + string(rune('a'+i))
		a := &parley.Article{ID: id, Text: text}
		a.Sentences = segment.Split(id, text, segment.Options{})
		if len(a.Sentences) == 0 {
			tb.Fatalf("article %s: no sentences", id)
		}
		arts = append(arts, a)
	}
	return arts
}

// sentence returns the sentence of any article containing sub.
func sentence(tb testing.TB, arts []*parley.Article, sub string) parley.Sentence {
	tb.Helper()
	for _, a := range arts {
		for _, s := range a.Sentences {
			if strings.Contains(s.Text(a), sub) {
				return s
			}
		}
	}
	tb.Fatalf("no sentence contains %q", sub)
	return parley.Sentence{}
}

func TestMadeUpPeople(t *testing.T) {
	arts := madeUpArticles(t)
	ps := newExtractor(t).Annotate(arts)
	byName := map[string]parley.Person{}
	for _, p := range ps {
		byName[p.Name] = p
	}
	tests := []struct {
		name, role, affiliation string
		aliases                 []string
	}{
		{"Lucía Fernández", "Foreign Minister", "Spain", []string{"Fernández"}},
		{"Erik Solvang", "Prime Minister", "Norway", []string{"Mr Solvang"}},
		{"Amara Okafor", "chief", "IAEA", nil},
		{"Daniel Reyes", "Secretary of State", "", nil},
		{"Joaquim Alves", "leader", "Brazil", nil},
		{"Polish defence ministry spokesman", "spokesman", "Poland", nil},
		// Three transliterations, one person.
		{"Serhiy Kovalenskyy", "Interior Minister", "Kazakhstan", []string{"Kovalenskiy", "Kovalensky"}},
		{"Alistair Pembroke", "special representative", "United Kingdom", []string{"Sir Alistair Pembroke"}},
		// Diacritics: the accented spelling wins a tie.
		{"José Ramírez", "President", "Chile", []string{"Jose Ramirez"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p, ok := byName[tc.name]
			if !ok {
				t.Fatalf("%q not found among %v", tc.name, names(ps))
			}
			if p.Role != tc.role || p.Affiliation != tc.affiliation {
				t.Errorf("role, affiliation = %q, %q; want %q, %q", p.Role, p.Affiliation, tc.role, tc.affiliation)
			}
			for _, a := range tc.aliases {
				if !slices.Contains(p.Aliases, a) {
					t.Errorf("aliases %q lack %q", p.Aliases, a)
				}
			}
			if p.Mentions < 1 || len(p.Articles) != 1 {
				t.Errorf("mentions %d, articles %v", p.Mentions, p.Articles)
			}
		})
	}
	for _, p := range ps {
		for _, bad := range []string{"Lisbon", "Let", "Monday", "Vienna", "Geneva", "KAZAKH"} {
			if strings.Contains(p.Name, bad) {
				t.Errorf("%q is no person", p.Name)
			}
		}
	}
	if len(ps) != len(tests) {
		t.Errorf("%d people %v, want %d", len(ps), names(ps), len(tests))
	}
}

func names(ps []parley.Person) []string {
	var out []string
	for _, p := range ps {
		out = append(out, p.Name)
	}
	return out
}

func TestMadeUpSpeech(t *testing.T) {
	arts := madeUpArticles(t)
	newExtractor(t).Annotate(arts)
	tests := []struct {
		sentence, speaker, kind string
		people, places          []string
	}{
		{"Fernández said the talks", "Lucía Fernández", "quote", []string{"Lucía Fernández"}, nil},
		// A pronoun after a speech verb: the previous sentence's speaker.
		{"She added that Madrid", "Lucía Fernández", "paraphrase", []string{"Lucía Fernández"}, []string{"Spain"}},
		// A quotation over two sentences, attributed in the second.
		{"“We are not there yet.", "Lucía Fernández", "quote", nil, nil},
		{"But we are closer than ever", "Lucía Fernández", "quote", []string{"Lucía Fernández"}, nil},
		{"who chaired the session", "Erik Solvang", "paraphrase", []string{"Erik Solvang"}, []string{"Norway"}},
		{"Mr Solvang warned", "Erik Solvang", "quote", []string{"Erik Solvang"}, nil},
		{"inspectors would return", "Amara Okafor", "paraphrase", []string{"Amara Okafor"}, []string{"IAEA"}},
		{"unacceptable in its current form", "Polish defence ministry spokesman", "quote", []string{"Polish defence ministry spokesman"}, []string{"Poland"}},
		// "us" is no country; "US" is.
		{"Let us be clear", "", "", []string{"Daniel Reyes"}, []string{"United States"}},
		{"historic opportunity", "Joaquim Alves", "quote", []string{"Joaquim Alves"}, []string{"Brazil"}},
		// Scare quotes in narrative are no speech.
		{"fisheries protocol", "", "", nil, []string{"Portugal"}},
		{"a long and difficult week", "Serhiy Kovalenskyy", "quote", []string{"Serhiy Kovalenskyy"}, nil},
		{"that progress had been slow", "Alistair Pembroke", "paraphrase", []string{"Alistair Pembroke"}, []string{"United Kingdom"}},
		// Two people of unknown... one is "Sir": "he" is still unclear, as
		// Kovalenskyy is also male ("he expected").
		{"He said talks would continue", "", "paraphrase", nil, nil},
		{"According to Pembroke", "Alistair Pembroke", "paraphrase", []string{"Alistair Pembroke"}, nil},
		{"This is our fight too", "José Ramírez", "quote", []string{"José Ramírez"}, []string{"Chile"}},
	}
	for _, tc := range tests {
		t.Run(tc.sentence, func(t *testing.T) {
			s := sentence(t, arts, tc.sentence)
			if s.Speaker != tc.speaker || s.Kind != tc.kind {
				t.Errorf("speaker, kind = %q, %q; want %q, %q", s.Speaker, s.Kind, tc.speaker, tc.kind)
			}
			for _, p := range tc.people {
				if !slices.Contains(s.People, p) {
					t.Errorf("people %q lack %q", s.People, p)
				}
			}
			for _, p := range tc.places {
				if !slices.Contains(s.Places, p) {
					t.Errorf("places %q lack %q", s.Places, p)
				}
			}
		})
	}
}
