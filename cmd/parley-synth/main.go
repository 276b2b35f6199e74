// Command parley-synth writes a folder of synthetic news articles for
// measuring Parley at scale (docs/scaling.md). The articles vary names,
// roles, countries, numbers and wording, so that near-duplicate merging
// does not see the same sentence thousands of times, and they carry the
// kinds of lines real articles do (headings, quotes, bylines, adverts).
//
//	parley-synth -n 10000 -out /tmp/corpus10k
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
)

var (
	firstNames = strings.Fields(`Amara Bastian Chiara Dmitri Elena Farid Greta Hamid Ines Jonas Kaveh Lena Mateo Nadia Oskar
		Priya Quentin Rosa Sven Tamar Ugo Vera Wiktor Ximena Yusuf Zofia Anders Beatriz Cosmin Dalia Emeka Freya Goran Hana
		Idris Joanna Kenji Leila Marek Noor Olumide Paula Rafael Saskia Tomas Uma Valentin Wanjiru Xavier Yara Zoltan
		Aurelio Brigid Caspar Delphine Eamon Fatima Gideon Helga Ismael Jovana`)
	lastNames = strings.Fields(`Abrams Bellweather Castellano Dragomir Eskildsen Falk Gruber Halvorsen Ibarra Jankowski
		Kowalczyk Lindqvist Moreau Nakamura Okonkwo Petrakis Quiroga Rasmussen Sokolova Takahashi Ulloa Varga Whitcombe
		Xanthopoulos Yilmaz Zielinski Achterberg Bogdanovic Cardenas Dufresne Ekwueme Fontaine Gallagher Horvath Iversen
		Jaramillo Kaminski Lefebvre Mbeki Nordstrom Ostrowski Pellegrini Quintero Rossetti Salonen Tremblay Uribe Vasquez
		Wojcik Xu Yamamoto Zamora Albescu Brannigan Chukwu Delacroix Engstrom Ferreira Grigoryan Hakimi Iqbal Jeppesen
		Kuznetsov Lombardi Mirza Nieminen Oduya Pacheco Radu Sandoval Tanaka Ueda Voss Wexler Ylonen Zubiri`)
	countries = []struct{ name, adj string }{
		{"Portugal", "Portuguese"}, {"Chile", "Chilean"}, {"Norway", "Norwegian"}, {"Kenya", "Kenyan"}, {"Japan", "Japanese"},
		{"Brazil", "Brazilian"}, {"Poland", "Polish"}, {"Egypt", "Egyptian"}, {"India", "Indian"}, {"Canada", "Canadian"},
		{"Mexico", "Mexican"}, {"Turkey", "Turkish"}, {"Finland", "Finnish"}, {"Ghana", "Ghanaian"}, {"Peru", "Peruvian"},
		{"Greece", "Greek"}, {"Vietnam", "Vietnamese"}, {"Romania", "Romanian"}, {"Morocco", "Moroccan"}, {"Ireland", "Irish"},
		{"Argentina", "Argentine"}, {"Sweden", "Swedish"}, {"Nigeria", "Nigerian"}, {"Indonesia", "Indonesian"},
		{"Austria", "Austrian"}, {"Colombia", "Colombian"}, {"Hungary", "Hungarian"}, {"Jordan", "Jordanian"},
	}
	roles   = []string{"Foreign Minister", "Prime Minister", "President", "Trade Minister", "Defence Minister", "special envoy", "Finance Minister", "Energy Minister", "ambassador", "chief negotiator"}
	topics  = []string{"fishing rights", "a rail corridor", "water sharing", "grain exports", "a border crossing", "port access", "power lines", "a gas pipeline", "customs rules", "river dredging", "airspace rights", "a fibre cable", "migrant returns", "debt relief", "vaccine supplies"}
	cities  = []string{"Lisbon", "Geneva", "Vienna", "Nairobi", "Oslo", "Montevideo", "Valletta", "Tbilisi", "Reykjavik", "Doha", "Singapore", "Tallinn", "Accra", "Lima", "Hanoi"}
	verbs   = []string{"said", "told reporters", "added", "warned", "stressed", "noted"}
	openers = []string{"Talks on %s resumed in %s on %s.", "Negotiators met in %[2]s on %[3]s to discuss %[1]s.", "A round of talks about %s opened in %s on %s.", "Delegations gathered in %[2]s on %[3]s for a new round on %[1]s."}
	days    = []string{"Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"}
	months  = []string{"January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"}
	quotes  = []string{
		"We are closer than we have ever been, but nothing is agreed until everything is agreed",
		"This is a fair bargain for both our peoples",
		"We will not accept terms that leave our %s worse off",
		"The next %d days will decide whether this works",
		"Our experts need more time with the figures",
		"Nobody should expect a breakthrough this week",
		"We came here to listen, and we have listened",
		"The door remains open, and we intend to walk through it",
	}
	facts = []func(r *rand.Rand, topic, country string) string{
		func(r *rand.Rand, topic, _ string) string {
			return fmt.Sprintf("The agreement would cover about %d%% of the trade in %s.", 5+r.IntN(90), topic)
		},
		func(r *rand.Rand, _, country string) string {
			return fmt.Sprintf("Officials said %s would need %d new inspectors.", country, 10+r.IntN(400))
		},
		func(r *rand.Rand, _, _ string) string {
			return fmt.Sprintf("A draft seen by reporters runs to %d pages and sets a %d-year term.", 10+r.IntN(200), 2+r.IntN(30))
		},
		func(r *rand.Rand, _, country string) string {
			return fmt.Sprintf("Some %d,%03d workers in %s depend on the deal, according to union figures.", 1+r.IntN(90), r.IntN(1000), country)
		},
		func(r *rand.Rand, _, _ string) string {
			return fmt.Sprintf("The previous arrangement expired in %s %d after %d years.", months[r.IntN(12)], 2000+r.IntN(26), 2+r.IntN(20))
		},
		func(r *rand.Rand, _, _ string) string {
			return fmt.Sprintf("Delegations from %d countries attended, the organisers said.", 3+r.IntN(40))
		},
		func(r *rand.Rand, _, _ string) string {
			return fmt.Sprintf("The cost is estimated at %d million euros over %d years.", 5+r.IntN(900), 2+r.IntN(15))
		},
	}
)

type person struct{ first, last, role, country, adj string }

func main() {
	n := flag.Int("n", 1000, "how many articles")
	out := flag.String("out", "", "folder to write (created)")
	seed := flag.Uint64("seed", 1, "random seed: the same seed writes the same articles")
	flag.Parse()
	if *out == "" || *n <= 0 {
		fmt.Fprintln(os.Stderr, "usage: parley-synth -n N -out DIR [-seed S]")
		os.Exit(2)
	}
	if err := write(*out, *n, *seed); err != nil {
		fmt.Fprintln(os.Stderr, "parley-synth:", err)
		os.Exit(1)
	}
}

func write(dir string, n int, seed uint64) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	r := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	type meta struct {
		ID       string  `json:"id"`
		Headline *string `json:"headline"`
		Outlet   *string `json:"outlet"`
		URL      *string `json:"url"`
		Date     string  `json:"date"`
	}
	var metas []meta
	for i := 0; i < n; i++ {
		id := fmt.Sprintf("syn%06d", i)
		text, headline := article(r)
		if err := os.WriteFile(filepath.Join(dir, id+".txt"), []byte(text), 0o644); err != nil {
			return err
		}
		m := meta{ID: id, Date: fmt.Sprintf("2026-%02d-%02d", 1+r.IntN(12), 1+r.IntN(28))}
		if r.IntN(2) == 0 {
			m.Headline = &headline
		}
		if r.IntN(3) > 0 {
			outlet := fmt.Sprintf("%s %s", pick(r, []string{"The", "Daily", "Morning", "Evening", "Weekly"}), pick(r, []string{"Ledger", "Courier", "Lantern", "Gazette", "Observer", "Herald", "Dispatch"}))
			m.Outlet = &outlet
		}
		metas = append(metas, m)
	}
	b, err := json.MarshalIndent(map[string]any{"articles": metas}, "", " ")
	if err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dir, "articles.json"), b, 0o644)
}

func pick(r *rand.Rand, list []string) string { return list[r.IntN(len(list))] }

func newPerson(r *rand.Rand) person {
	c := countries[r.IntN(len(countries))]
	return person{first: pick(r, firstNames), last: pick(r, lastNames), role: pick(r, roles), country: c.name, adj: c.adj}
}

// article writes one article: a headline line, a dateline lead, paragraphs
// of facts and quotes from three to five people, sometimes an advert
// marker and a byline.
func article(r *rand.Rand) (string, string) {
	topic, city := pick(r, topics), pick(r, cities)
	people := make([]person, 3+r.IntN(3))
	for i := range people {
		people[i] = newPerson(r)
	}
	headline := fmt.Sprintf("%s and %s edge towards a deal on %s", people[0].country, people[1].country, topic)
	var b strings.Builder
	b.WriteString(headline + "\n\n")
	fmt.Fprintf(&b, "%s — %s ", strings.ToUpper(city), fmt.Sprintf(pick(r, openers), topic, city, pick(r, days)))
	fmt.Fprintf(&b, "%s %s %s %s led the %s delegation.\n\n", people[0].adj, people[0].role, people[0].first, people[0].last, people[0].adj)
	paras := 6 + r.IntN(10)
	for p := 0; p < paras; p++ {
		who := people[r.IntN(len(people))]
		switch r.IntN(5) {
		case 0:
			q := quote(r, quotes, topic)
			fmt.Fprintf(&b, "“%s,” %s %s. ", q, who.last, pick(r, verbs))
			fmt.Fprintf(&b, "%s %s %s %s has led talks on %s since %d.\n\n", who.adj, who.role, who.first, who.last, topic, 2015+r.IntN(11))
		case 1:
			fmt.Fprintf(&b, "%s %s %s said the talks on %s would resume in %s. “%s,” %s added.\n\n", who.adj, who.role, who.last, topic, pick(r, months), quote(r, quotes[4:], topic), strings.ToLower(pronoun(r)))
		case 2:
			f := facts[r.IntN(len(facts))]
			fmt.Fprintf(&b, "%s %s is a sticking point for %s.\n\n", f(r, topic, who.country), capitalize(topic), who.country)
		case 3:
			if r.IntN(4) == 0 {
				b.WriteString("- Advertisement -\n\n")
			}
			fmt.Fprintf(&b, "Talks on %s and %s\n", strings.ToLower(topic), pick(r, []string{"the road ahead", "what comes next", "the sticking points"}))
			fmt.Fprintf(&b, "%s's %s, %s %s, met %s counterparts in %s for %d hours.\n\n", who.country, strings.ToLower(who.role), who.first, who.last, people[0].adj, city, 2+r.IntN(10))
		default:
			fmt.Fprintf(&b, "Delegates from %s and %s disagreed over %s, according to %s %s. The next round is due on %s %d.\n\n",
				people[0].country, who.country, topic, who.first, who.last, pick(r, months), 1+r.IntN(28))
		}
	}
	if r.IntN(2) == 0 {
		fmt.Fprintf(&b, "By %s %s\n", pick(r, firstNames), pick(r, lastNames))
	}
	return b.String(), headline
}

// quote fills a quote template's topic (%s) and number (%d).
func quote(r *rand.Rand, list []string, topic string) string {
	q := strings.Replace(pick(r, list), "%s", topic, 1)
	return strings.Replace(q, "%d", fmt.Sprint(5+r.IntN(80)), 1)
}

func pronoun(r *rand.Rand) string {
	if r.IntN(2) == 0 {
		return "He"
	}
	return "She"
}

func capitalize(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
