package handlers

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/parley-bot/parley"
)

// subject is what a /who or /quote query resolved to.
type subject struct {
	place    string // canonical place name
	person   int    // index into People(), when isPerson
	isPerson bool
	typo     bool
}

// resolve reads a /who or /quote query as a place or a person, exact
// spellings first, then typos.
func (h *Handlers) resolve(q string) (subject, bool) {
	if name, _, ok := h.corpus.LookupPlace(q, false); ok {
		return subject{place: name}, true
	}
	if i, _, ok := h.corpus.LookupPerson(q, false); ok {
		return subject{person: i, isPerson: true}, true
	}
	if i, typo, ok := h.corpus.LookupPerson(q, true); ok {
		return subject{person: i, isPerson: true, typo: typo}, true
	}
	if name, typo, ok := h.corpus.LookupPlace(q, true); ok {
		return subject{place: name, typo: typo}, true
	}
	return subject{}, false
}

// understood fills what Parley took the query to mean when it differs from
// what was typed.
func understood(ans *parley.Answer, typed, meant string, typo bool) string {
	if strings.EqualFold(strings.TrimSpace(typed), meant) {
		return ""
	}
	ans.Understood = meant
	if typo {
		return fmt.Sprintf("Showing results for %s. ", meant)
	}
	return ""
}

func (h *Handlers) who(ctx context.Context, q string, ans *parley.Answer) error {
	if q == "" {
		h.notCovered(ans, "Tell me who or what to look for, for instance /who france or /who macron.", "")
		return nil
	}
	sub, ok := h.resolve(q)
	switch {
	case ok && sub.isPerson:
		p := h.corpus.People()[sub.person]
		prefix := understood(ans, q, p.Name, sub.typo)
		ans.People = []parley.Person{p}
		ranked, err := h.aboutPerson(ctx, p, false)
		if err != nil {
			return err
		}
		ans.Citations = h.cite(ranked, h.wanted(ans))
		ans.Lead = prefix + describe(p, len(h.corpus.Articles()))
		return nil
	case ok:
		prefix := understood(ans, q, sub.place, sub.typo)
		people := h.peopleOfPlace(sub.place)
		if len(people) == 0 {
			// No one is from there (or it is a region, which is no one's
			// affiliation): the people in what the articles say about it.
			found, err := h.topic(ctx, sub.place, ans, prefix+fmt.Sprintf("The articles name no one from %s; the people in what they say about it: %%s.", withArticle(sub.place)))
			if err != nil || found {
				return err
			}
			h.notCovered(ans, prefix+fmt.Sprintf("The articles name no one from %s.", withArticle(sub.place)), q)
			return nil
		}
		ans.People = people
		ranked, err := h.interleave(ctx, people, 3, false)
		if err != nil {
			return err
		}
		ans.Citations = h.cite(ranked, h.wanted(ans))
		ans.Lead = prefix + fmt.Sprintf("People of %s in the articles: %s.", withArticle(sub.place), nameList(people, 4))
		return nil
	}
	found, err := h.topic(ctx, q, ans, "People involved in "+strings.ReplaceAll(quoteQuery(q), "%", "%%")+": %s.")
	if err != nil || found {
		return err
	}
	h.notCovered(ans, "", q)
	return nil
}

// topic answers /who for anything that is not a person or a place with
// people: the people in what the articles say about q, with the excerpts
// that name or quote them. lead is a format for the list of names.
func (h *Handlers) topic(ctx context.Context, q string, ans *parley.Answer, lead string) (bool, error) {
	f, err := h.search(ctx, q, personType, "")
	if err != nil {
		return false, err
	}
	cites := h.cite(sentences(f.ranked), h.wanted(ans))
	people := h.peopleOf(cites)
	if len(people) == 0 {
		return false, nil
	}
	keep := cites[:0]
	for _, c := range cites {
		if c.Speaker != "" || h.namesPeople(c) {
			keep = append(keep, c)
		}
	}
	ans.Citations, ans.People = keep, people
	ans.Lead = fmt.Sprintf(lead, nameList(people, 4))
	return true, nil
}

func (h *Handlers) quote(ctx context.Context, q string, ans *parley.Answer) error {
	if q == "" {
		h.notCovered(ans, "Tell me whose words to find, for instance /quote witkoff.", "")
		return nil
	}
	sub, ok := h.resolve(q)
	if !ok {
		h.notCovered(ans, fmt.Sprintf("The articles quote no one called %s.", quoteQuery(q)), q)
		return nil
	}
	var people []parley.Person
	prefix := ""
	if sub.isPerson {
		p := h.corpus.People()[sub.person]
		prefix = understood(ans, q, p.Name, sub.typo)
		people = []parley.Person{p}
	} else {
		prefix = understood(ans, q, sub.place, sub.typo)
		people = h.peopleOfPlace(sub.place)
	}
	ans.People = people
	ranked, err := h.interleave(ctx, people, len(people), true)
	if err != nil {
		return err
	}
	ans.Citations = h.cite(ranked, h.wanted(ans))
	if len(ans.Citations) == 0 {
		who := sub.place
		if sub.isPerson {
			who = people[0].Name
		}
		h.notCovered(ans, prefix+fmt.Sprintf("The articles don't quote %s.", who), q)
		ans.People = people
		return nil
	}
	if sub.isPerson {
		ans.Lead = prefix + fmt.Sprintf("What %s said:", people[0].Name)
	} else {
		ans.Lead = prefix + fmt.Sprintf("What the people of %s said:", withArticle(sub.place))
	}
	return nil
}

// describe is the lead line about one person.
func describe(p parley.Person, total int) string {
	var b strings.Builder
	b.WriteString(p.Name)
	if role := roleOf(p); role != "" {
		b.WriteString(", " + role)
	}
	fmt.Fprintf(&b, ". Named in %d of %d articles (%d %s).", len(p.Articles), total, p.Mentions, plural(p.Mentions, "mention", "mentions"))
	return b.String()
}

func roleOf(p parley.Person) string {
	switch {
	case p.Role != "" && p.Affiliation != "":
		return p.Role + " (" + p.Affiliation + ")"
	case p.Role != "":
		return p.Role
	}
	return p.Affiliation
}

func nameList(people []parley.Person, n int) string {
	var parts []string
	for i, p := range people {
		if i == n {
			parts = append(parts, fmt.Sprintf("and %d more", len(people)-n))
			break
		}
		if role := strings.TrimSuffix(strings.SplitN(roleOf(p), " (", 2)[0], ")"); role != "" && !strings.Contains(strings.ToLower(p.Name), strings.ToLower(role)) {
			parts = append(parts, p.Name+" ("+role+")")
		} else {
			parts = append(parts, p.Name)
		}
	}
	return strings.Join(parts, ", ")
}

// withArticle puts "the" before the names that take it in a sentence
// ("the United States", "the Netherlands"), not before "France" or "NATO".
func withArticle(place string) string {
	switch {
	case strings.HasPrefix(place, "United "), strings.HasSuffix(place, "lands"), strings.HasSuffix(place, "Islands"),
		strings.Contains(place, "Republic"), strings.HasPrefix(place, "Kingdom "), strings.Contains(place, " of "),
		place == "Philippines", place == "Bahamas", place == "Gambia", place == "Maldives", place == "Vatican City",
		place == "European Union", place == "United Nations":
		return "the " + place
	}
	return place
}

// peopleOfPlace are the people affiliated with a place, most mentioned first.
func (h *Handlers) peopleOfPlace(place string) []parley.Person {
	var out []parley.Person
	for _, p := range h.corpus.People() {
		if p.Affiliation == place {
			out = append(out, p)
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		if len(out[i].Articles) != len(out[j].Articles) {
			return len(out[i].Articles) > len(out[j].Articles)
		}
		return out[i].Mentions > out[j].Mentions
	})
	return out
}

// aboutPerson ranks what the articles say of a person: their own words
// first (quotes, then reported speech), then sentences where they act, then
// other mentions; earlier in an article counts for more, as news puts the
// important first.
func (h *Handlers) aboutPerson(ctx context.Context, p parley.Person, speechOnly bool) ([]*parley.Sentence, error) {
	type cand struct {
		s     *parley.Sentence
		score float64
	}
	// A person's sentences include those they speak: one search finds both.
	q := parley.Query{People: []string{p.Name}, Size: 100}
	if speechOnly {
		q = parley.Query{Speaker: p.Name, Size: 100}
	}
	hits, err := h.corpus.Search(ctx, q)
	if err != nil {
		return nil, err
	}
	surname := lastWord(p.Name)
	seen := map[*parley.Sentence]bool{}
	var cands []cand
	for _, hit := range hits {
		s := hit.Sentence
		if seen[s] {
			continue
		}
		seen[s] = true
		a, ok := h.corpus.Article(s.Article)
		if !ok {
			continue
		}
		var score float64
		switch {
		case s.Speaker == p.Name && s.Kind == parley.SpeechQuote:
			score = 3
		case s.Speaker == p.Name:
			score = 2.5
		case speechOnly:
			continue
		case strings.Contains(a.Text[s.Start:min(s.End, s.Start+80)], surname):
			score = 1.5 // named near the start: the sentence is about them
		default:
			score = 1
		}
		score += 0.5 * (1 - float64(s.Position)/float64(max(len(a.Sentences), 1)))
		cands = append(cands, cand{s, score})
	}
	sort.SliceStable(cands, func(i, j int) bool { return ranksBefore(cands[i].s, cands[i].score, cands[j].s, cands[j].score) })
	out := make([]*parley.Sentence, len(cands))
	for i, c := range cands {
		out[i] = c.s
	}
	return out, nil
}

// interleave takes the best sentences of each of the first n people in
// turn, so that a country's answer shows more than its first person.
func (h *Handlers) interleave(ctx context.Context, people []parley.Person, n int, speechOnly bool) ([]*parley.Sentence, error) {
	if n > len(people) {
		n = len(people)
	}
	lists := make([][]*parley.Sentence, n)
	for i := range lists {
		l, err := h.aboutPerson(ctx, people[i], speechOnly)
		if err != nil {
			return nil, err
		}
		lists[i] = l
	}
	var out []*parley.Sentence
	seen := map[*parley.Sentence]bool{}
	for round := 0; ; round++ {
		added := false
		for _, l := range lists {
			if round < len(l) {
				added = true
				if !seen[l[round]] {
					seen[l[round]] = true
					out = append(out, l[round])
				}
			}
		}
		if !added || len(out) >= 60 {
			return out, nil
		}
	}
}

func (h *Handlers) namesPeople(c parley.Citation) bool {
	a, ok := h.corpus.Article(c.Article)
	if !ok {
		return false
	}
	s := sentenceAt(a, c.Start)
	return s != nil && len(s.People) > 0
}

// sentenceAt finds an article's sentence by its start offset.
func sentenceAt(a *parley.Article, start int) *parley.Sentence {
	i := sort.Search(len(a.Sentences), func(i int) bool { return a.Sentences[i].Start >= start })
	if i < len(a.Sentences) && a.Sentences[i].Start == start {
		return &a.Sentences[i]
	}
	return nil
}

func lastWord(s string) string {
	f := strings.Fields(s)
	if len(f) == 0 {
		return ""
	}
	return f[len(f)-1]
}
