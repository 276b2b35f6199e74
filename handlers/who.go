package handlers

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/parley-bot/parley"
)

// subject is what a /who or /quote query resolved to.
type subject struct {
	place    string // canonical place name
	person   int    // index into People(), when isPerson or alsoPerson
	isPerson bool
	// alsoPerson: the query names a place and, as written, a person too
	// ("/who jordan" with a Tom Jordan in the articles).
	alsoPerson bool
	typo       bool
}

// resolve reads a /who or /quote query as a place or a person, exact
// spellings first, then typos. A name that is both a place and a person
// (not a body: "kremlin" is Russia's) is both, so that a surname never
// silently turns into a country.
func (h *Handlers) resolve(q string) (subject, bool) {
	l := h.named(q)
	if l.placeOK {
		sub := subject{place: l.place}
		if l.personOK && namedBy(h.corpus.People()[l.person], q) {
			sub.person, sub.alsoPerson = l.person, true
		}
		return sub, true
	}
	if l.personOK && !h.describedBody(q, l.person) {
		return subject{person: l.person, isPerson: true}, true
	}
	if i, typo, ok := h.corpus.LookupPerson(q, true); ok && !h.describedBody(q, i) {
		return subject{person: i, isPerson: true, typo: typo}, true
	}
	if name, typo, ok := h.corpus.LookupPlace(q, true); ok {
		return subject{place: name, typo: typo}, true
	}
	if place, person, ok := h.initialism(strings.TrimSpace(q)); ok {
		if place != "" {
			return subject{place: place, typo: true}, true
		}
		return subject{person: person, isPerson: true, typo: true}, true
	}
	return subject{}, false
}

// describedBody says a query of several words describes someone with one
// common word of a body's name ("the polish deputy defence minister" is
// not the Ministry of Defence): a role, read as one. A query of that word
// alone ("/who police") asks for the body.
func (h *Handlers) describedBody(q string, person int) bool {
	return len(nameWords(q)) > 1 && h.bodyByCommonWord(q, person)
}

// resolveExact reads a query as a place or person spelt as the articles
// spell them (any of their spellings), no typos.
func (h *Handlers) resolveExact(q string) (subject, bool) {
	l := h.named(q)
	if l.placeOK {
		return subject{place: l.place}, true
	}
	if l.personOK {
		return subject{person: l.person, isPerson: true}, true
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
	q = strings.TrimRight(q, "?!. ")
	if q == "" {
		h.notCovered(ans, "Tell me who or what to look for, for instance /who france or /who macron.", "")
		return nil
	}
	sub, ok := h.resolve(q)
	switch {
	case ok && sub.isPerson:
		p := h.corpus.People()[sub.person]
		return h.personAnswer(ctx, p, understood(ans, q, p.Name, sub.typo), false, ans)
	case ok && sub.alsoPerson:
		return h.whoBoth(ctx, q, sub, ans)
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
		ans.Lead = prefix + placeLead(sub.place, people)
		return nil
	}
	found, err := h.topic(ctx, q, ans, "People involved in "+strings.ReplaceAll(quoteQuery(q), "%", "%%")+": %s.")
	if err != nil || found {
		return err
	}
	h.notCovered(ans, "", q)
	return nil
}

// personAnswer answers /who PERSON: who they are and what they said and
// did. identify, for a question ("who is keir starmer"), cites first a
// sentence that says who they are.
func (h *Handlers) personAnswer(ctx context.Context, p parley.Person, prefix string, identify bool, ans *parley.Answer) error {
	ans.People = []parley.Person{p}
	ranked, err := h.aboutPerson(ctx, p, false)
	if err != nil {
		return err
	}
	if identify {
		ranked = h.identifyFirst([]parley.Person{p}, ranked)
	}
	ans.Citations = h.cite(ranked, h.wanted(ans))
	ans.Lead = prefix + describe(p, len(h.corpus.Articles()))
	return nil
}

// identifyFirst puts first, for each person, the best-ranked sentence
// that names them in full beside their role ("German Chancellor Friedrich
// Merz", "Keir Starmer, the prime minister"): the one that says who they
// are.
func (h *Handlers) identifyFirst(people []parley.Person, ranked []*parley.Sentence) []*parley.Sentence {
	var first []*parley.Sentence
	taken := map[*parley.Sentence]bool{}
	for _, p := range people {
		for _, s := range ranked {
			if !taken[s] && h.identifies(p, s) {
				first = append(first, s)
				taken[s] = true
				break
			}
		}
	}
	if len(first) == 0 {
		return ranked
	}
	out := append([]*parley.Sentence{}, first...)
	for _, s := range ranked {
		if !taken[s] {
			out = append(out, s)
		}
	}
	return out
}

// identifies says a sentence names a person by more than one word of
// their name with the words of their role within a few words of it.
func (h *Handlers) identifies(p parley.Person, s *parley.Sentence) bool {
	if p.Role == "" {
		return false
	}
	a, ok := h.corpus.Article(s.Article)
	if !ok {
		return false
	}
	text := a.Text[s.Start:s.End]
	at, name := -1, ""
	for _, n := range append([]string{p.Name}, p.Aliases...) {
		if len(strings.Fields(n)) < 2 {
			continue
		}
		if i := strings.Index(text, n); i >= 0 && (at < 0 || i < at) {
			at, name = i, n
		}
	}
	if at < 0 {
		return false
	}
	role := h.analysed(p.Role)
	if len(role) == 0 {
		return false
	}
	before := tokenize(text[:at])
	after := tokenize(text[at+len(name):])
	near := map[string]bool{}
	for i := max(0, len(before)-maxRoleDistance-len(role)); i < len(before); i++ {
		for _, t := range h.termsOf(before[i].raw) {
			near[t] = true
		}
	}
	for i := 0; i < len(after) && i < maxRoleDistance+len(role); i++ {
		for _, t := range h.termsOf(after[i].raw) {
			near[t] = true
		}
	}
	for _, t := range role {
		if !near[t] {
			return false
		}
	}
	return true
}

// topic answers /who for anything that is not a person or a place with
// people: the people in what the articles say about q, with the excerpts
// that name or quote them. lead is a format for the list of names.
func (h *Handlers) topic(ctx context.Context, q string, ans *parley.Answer, lead string) (bool, error) {
	qu := h.analyse(q)
	qu.kind = kindAny
	ev, err := h.gather(ctx, qu, "")
	if err != nil {
		return false, err
	}
	cites := h.cite(candSentences(ev.pass), h.wanted(ans))
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
	if who, topic, ok := h.splitTopic(q); ok {
		return h.quoteOn(ctx, who, topic, ans)
	}
	sub, ok := h.resolve(q)
	if !ok {
		return h.quoteBeyondNames(ctx, q, ans)
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
		if len(people) == 0 {
			// No one speaks for it ("/quote greenland"): what was said
			// about it.
			return h.quotePlace(ctx, sub.place, prefix, true, ans)
		}
	}
	ans.People = people
	ranked, err := h.interleave(ctx, people, len(people), true)
	if err != nil {
		return err
	}
	ans.Citations = h.cite(ranked, h.wanted(ans))
	if len(ans.Citations) == 0 && !sub.isPerson {
		// Its people say nothing, but the country may speak as a whole
		// ("Turkmenistan ... said through its foreign ministry that"):
		// what was said by or on it.
		ans.People = nil
		if err := h.quotePlace(ctx, sub.place, prefix, false, ans); err != nil || len(ans.Citations) > 0 {
			return err
		}
	}
	if len(ans.Citations) == 0 {
		who := sub.place
		if sub.isPerson {
			who = people[0].Name
		}
		h.notCovered(ans, prefix+fmt.Sprintf("The articles don't quote %s.", who), q)
		ans.People = people
		return nil
	}
	switch {
	case sub.isPerson:
		ans.Lead = prefix + fmt.Sprintf("What %s said:", people[0].Name)
	case hasBody(people):
		ans.Lead = prefix + fmt.Sprintf("What the people and bodies of %s said:", withArticle(sub.place))
	default:
		ans.Lead = prefix + fmt.Sprintf("What the people of %s said:", withArticle(sub.place))
	}
	return nil
}

// whoBoth answers /who for a name that is a place and a person: the
// person first, then the place's people.
func (h *Handlers) whoBoth(ctx context.Context, q string, sub subject, ans *parley.Answer) error {
	p := h.corpus.People()[sub.person]
	others := h.peopleOfPlace(sub.place)
	people := []parley.Person{p}
	for _, o := range others {
		if o.Name != p.Name {
			people = append(people, o)
		}
	}
	ans.People = people
	ranked, err := h.interleave(ctx, people, 3, false)
	if err != nil {
		return err
	}
	ans.Citations = h.cite(ranked, h.wanted(ans))
	lead := fmt.Sprintf("%s is a person and a place. The person: %s", quoteQuery(q), describe(p, len(h.corpus.Articles())))
	if len(others) > 0 {
		lead += " " + placeLead(sub.place, others)
	} else {
		lead += fmt.Sprintf(" The articles name no one from %s.", withArticle(sub.place))
	}
	ans.Lead = lead
	return nil
}

// placeLead lists a place's people, then the bodies that speak for it.
func placeLead(place string, people []parley.Person) string {
	var persons, bodies []parley.Person
	for _, p := range people {
		if p.IsBody() {
			bodies = append(bodies, p)
		} else {
			persons = append(persons, p)
		}
	}
	switch {
	case len(bodies) == 0:
		return fmt.Sprintf("People of %s in the articles: %s.", withArticle(place), nameList(persons, 4))
	case len(persons) == 0:
		return fmt.Sprintf("Bodies of %s that speak in the articles: %s.", withArticle(place), bodyList(bodies, 4))
	}
	return fmt.Sprintf("People of %s in the articles: %s. Bodies that speak for it: %s.", withArticle(place), nameList(persons, 4), bodyList(bodies, 3))
}

// bodyList names bodies: a body has no role, and its affiliation is the
// place the lead is about.
func bodyList(bodies []parley.Person, n int) string {
	var parts []string
	for i, b := range bodies {
		if i == n {
			parts = append(parts, fmt.Sprintf("and %d more", len(bodies)-n))
			break
		}
		parts = append(parts, b.Name)
	}
	return strings.Join(parts, ", ")
}

// namedBy reports whether q is a person's full name or surname (not a
// body's name, nor the first word of a description such as "French
// foreign ministry spokesperson").
func namedBy(p parley.Person, q string) bool {
	if p.IsBody() {
		return false
	}
	q = strings.Join(strings.Fields(q), " ")
	return strings.EqualFold(q, p.Name) || strings.EqualFold(q, lastWord(p.Name)) || strings.EqualFold(q, firstWord(p.Name))
}

// firstWord is a name's given name ("Chad" of Chad Whitmore): a country
// typed as a given name shows the person too. A description ("French
// foreign ministry spokesperson") has none.
func firstWord(s string) string {
	f := strings.Fields(s)
	if len(f) < 2 {
		return ""
	}
	for _, w := range f[1:] {
		if r, _ := utf8.DecodeRuneInString(w); !unicode.IsUpper(r) {
			return ""
		}
	}
	return f[0]
}

func hasBody(people []parley.Person) bool {
	for _, p := range people {
		if p.IsBody() {
			return true
		}
	}
	return false
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

// peopleOfPlace are the people affiliated with a place, most mentioned
// first, then its bodies: those affiliated with it and the one that is it
// (UNHCR speaks for the United Nations, and is UNHCR's body too).
func (h *Handlers) peopleOfPlace(place string) []parley.Person {
	var out []parley.Person
	for _, p := range h.corpus.People() {
		if p.Affiliation == place || (p.IsBody() && p.Name == place) {
			out = append(out, p)
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].IsBody() != out[j].IsBody() {
			return !out[i].IsBody() // people first, then the bodies that speak
		}
		if len(out[i].Articles) != len(out[j].Articles) {
			return len(out[i].Articles) > len(out[j].Articles)
		}
		return out[i].Mentions > out[j].Mentions
	})
	return out
}

// maxAbout is how many of a person's sentences an answer about them
// reads, best first.
const maxAbout = 100

// aboutPerson is what the articles say of a person, ranked when the index
// was built (parley.Corpus.About): their own words first (quotes, then
// reported speech), then sentences where they are named near the start,
// then other mentions; earlier in an article counts for more, as news puts
// the important first. speechOnly keeps their own words.
func (h *Handlers) aboutPerson(ctx context.Context, p parley.Person, speechOnly bool) ([]*parley.Sentence, error) {
	return h.corpus.About(ctx, p.Name, speechOnly, maxAbout)
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
	// The last of strings.Fields(s), without splitting all of s.
	s = strings.TrimRightFunc(s, unicode.IsSpace)
	return s[strings.LastIndexFunc(s, unicode.IsSpace)+1:]
}
