package handlers

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/parley-bot/parley"
)

// A presence cue is what news writing says of someone at an event: they
// attended, met, joined, gathered, signed, hosted, represented a country
// at it, spoke at its press conference, were flanked by someone there.
// Each belongs to a family, so that "who signed" asks for signers only.
type cue struct {
	phrase string
	family string
	// absentOnly cues say nothing of presence but when negated ("did
	// not attend", "did not travel to London").
	absentOnly bool
}

var presenceCues = []cue{
	{"attended", "attend", false}, {"attends", "attend", false}, {"attending", "attend", false}, {"in attendance", "attend", false},
	{"participated", "attend", false}, {"took part", "attend", false}, {"taking part", "attend", false}, {"showed up", "attend", false},
	{"turned up", "attend", false}, {"was present", "attend", false}, {"were present", "attend", false}, {"was there", "attend", false},
	{"were there", "attend", false}, {"arrived in", "attend", false}, {"gathered", "attend", false}, {"joined", "attend", false},
	{"brought together", "attend", false}, {"flanked by", "attend", false}, {"press conference", "attend", false},
	{"speaking at", "attend", false}, {"spoke at", "attend", false}, {"told reporters", "attend", false}, {"at the talks", "attend", false},
	{"at the meeting", "attend", false}, {"at the summit", "attend", false}, {"travelled to", "attend", false}, {"traveled to", "attend", false},
	{"flew to", "attend", false}, {"went to", "attend", false},
	{"addressed", "attend", false},
	{"attend", "attend", true}, {"travel to", "attend", true}, {"join", "attend", true}, {"take part", "attend", true},
	{"spoke", "attend", true}, {"speak", "attend", true},
	{"sign", "sign", true},
	{"signed", "sign", false}, {"signing", "sign", false}, {"co-signed", "sign", false},
	{"hosted", "host", false}, {"hosting", "host", false},
	{"represented", "represent", false}, {"representing", "represent", false},
	{"met with", "meet", false}, {"met ", "meet", false},
}

// Cues that undo a presence cue, with why: words just before it ("did
// not attend", "will be attending"), or anywhere in its clause (taking
// part from afar, or at another time).
var (
	notCues   = []string{"not", "n't", "never", "no"}
	laterCues = []string{"will", "would", "plans", "planned", "expected", "hopes", "hoped", "might", "may"}
	afarCues  = []string{" by phone", " by telephone", " by video", " via video", " video link", " videoconference",
		" video call", " remotely", " virtually", " phone call", " by call", " online"}
	otherTimeCues = []string{" last month", " last week", " last year", " earlier this year", " previously", " ago"}
	comingCues    = []string{" next week", " next month", " next year", " later this "}
)

// Why someone named with a presence cue was not there, as a lead says it.
const (
	awayNot       = "did not take part in person"
	awayLater     = "is only to take part later"
	awayAfar      = "took part only from afar"
	awayOtherTime = "is placed there only at another time"
)

// asksFamily is the cue family a question's own verb asks for ("who
// signed the declaration"), "attend" (any presence) otherwise.
func asksFamily(q string) string {
	for w := range eachWord(strings.ToLower(q)) {
		switch w {
		case "signed", "sign", "signing", "signatories":
			return "sign"
		case "hosted", "host", "hosting":
			return "host"
		case "represented", "represent", "representing":
			return "represent"
		}
	}
	return "attend"
}

// placedIn returns the people a sentence places at the event: each person
// it names in the clause of a presence cue (a pronoun that stands for them
// counts), unless the clause says they were not there, will only come, or
// took part from afar; a name only as a possessive ("Trump's son-in-law")
// is not the person present.
func (h *Handlers) placedIn(a *parley.Article, s *parley.Sentence, family string) (placed []string, notThere map[string]string) {
	notThere = map[string]string{}
	text := a.Text[s.Start:s.End]
	names := s.People
	if s.Speaker != "" && !contains(names, s.Speaker) {
		names = append([]string{s.Speaker}, names...)
	}
	for _, site := range h.facts(text).Cues() {
		c, cl := site.cue, site.clause
		if family != "attend" && c.family != family {
			continue
		}
		for _, n := range names {
			if _, away := notThere[n]; slices.Contains(placed, n) || away {
				continue
			}
			pos := h.nameAt(cl, n)
			bound := pos < 0 && h.nameAt(text, n) < 0 || // a pronoun stands for them: the sentence is theirs
				pos >= 0 && !possessiveAt(cl, n, pos, h) && !reported(cl, pos, site.cueAt)
			switch {
			case !bound:
			case site.away != "":
				notThere[n] = site.away
			case !c.absentOnly:
				placed = append(placed, n)
			}
		}
	}
	return placed, notThere
}

// cueSite is a presence cue where a sentence says it, with its clause
// and why the clause undoes it, if it does.
type cueSite struct {
	cue    cue
	clause string
	// cueAt is where the cue starts in clause.
	cueAt int
	// away is why someone the clause names was not there (awayNot ...),
	// "" when it does not say.
	away string
}

// cueSites are the presence cues a sentence's text says, in the order of
// presenceCues and then of the text: read once per sentence, where
// placedIn reads who they place for every question about who took part.
func cueSites(text, low string) []cueSite {
	if len(low) != len(text) {
		low = text // offsets must match the text's
	}
	var out []cueSite
	for _, c := range presenceCues {
		for from := 0; ; {
			i := strings.Index(low[from:], c.phrase)
			if i < 0 {
				break
			}
			at := from + i
			from = at + len(c.phrase)
			if at > 0 && isWordByte(low, at-1) && !strings.HasSuffix(low[:at], "-") {
				continue // inside a word
			}
			before := words(low[:at])
			if len(before) > 3 {
				before = before[len(before)-3:]
			}
			cl := clauseAround(text, at, min(at+len(c.phrase), len(text)))
			lowCl := " " + strings.ToLower(cl) + " "
			away := ""
			switch {
			case hasAny(lowCl, afarCues):
				away = awayAfar // the more telling reason, when both hold
			case slices.ContainsFunc(before, func(w string) bool {
				w = strings.ReplaceAll(w, "’", "'")
				return slices.Contains(notCues, w) || strings.HasSuffix(w, "n't")
			}):
				away = awayNot
			case slices.ContainsFunc(before, func(w string) bool { return slices.Contains(laterCues, w) }) || hasAny(lowCl, comingCues):
				away = awayLater
			case hasAny(lowCl, otherTimeCues):
				away = awayOtherTime
			}
			clStart := strings.Index(text, cl)
			out = append(out, cueSite{cue: c, clause: cl, cueAt: at - max(clStart, 0), away: away})
		}
	}
	return out
}

// reported says a reporting or subordinating word lies between a name and
// a cue ("attended the meeting ..., stating that ... Putin will never"):
// the name is in what was said, not at the event.
func reported(clause string, a, b int) bool {
	if a > b {
		a, b = b, a
	}
	for w := range eachWord(strings.ToLower(clause[a:b])) {
		switch w {
		case "that", "stating", "saying", "said", "says", "if", "when", "because", "while", "although", "whether",
			"told", "warned", "claimed", "believes", "unless", "after", "before":
			return true
		}
	}
	return false
}

func hasAny(s string, subs []string) bool {
	for _, x := range subs {
		if strings.Contains(s, x) {
			return true
		}
	}
	return false
}

// possessiveAt: the name at pos is only a possessive ("Trump's
// son-in-law"), not someone present.
func possessiveAt(text, name string, pos int, h *Handlers) bool {
	p, ok := h.person(name)
	spellings := []string{name}
	if ok {
		spellings = append(append(spellings, lastWord(p.Name)), p.Aliases...)
	}
	for _, sp := range spellings {
		if sp == "" || !strings.HasPrefix(text[pos:], sp) {
			continue
		}
		rest := text[pos+len(sp):]
		return strings.HasPrefix(rest, "'s") || strings.HasPrefix(rest, "’s")
	}
	return false
}

// tally is what the sentences that place someone at the event say of
// one person.
type tally struct {
	articles map[string]bool
	best     *parley.Sentence
	first    int
}

// presence is who the sentences of a search place at the event, in the
// order first found, and who they say was not there, with why.
type presence struct {
	byName   map[string]*tally
	notThere map[string]absence
	order    []string
	// people are the names searched for a question that names people,
	// and hits what that search found: wasThere cites from the same
	// search instead of running it again.
	people []string
	hits   []parley.Hit
}

// presenceText is what a question about who took part searches for: the
// words that place people at an event.
const presenceText = "attended participated joined gathered signed signing met hosted represented representing press conference talks meeting brought together flanked"

// attendance is who the articles place at the event by any presence cue:
// the same for every question that asks it ("who attended", "who was
// there", "which leaders took part"), so it is read once and kept.
// Handlers and their corpus do not change.
func (h *Handlers) attendance(ctx context.Context) (*presence, error) {
	h.present.mu.Lock()
	defer h.present.mu.Unlock()
	if h.present.p != nil {
		return h.present.p, nil
	}
	p, err := h.presenceIn(ctx, question{}, "attend")
	if err != nil {
		return nil, err
	}
	h.present.p = p
	return p, nil
}

// presenceIn reads who the sentences found for a question about who took
// part (family: its cue family) place at the event.
func (h *Handlers) presenceIn(ctx context.Context, qu question, family string) (*presence, error) {
	text := presenceText
	if family != "attend" {
		text = family + "ed " + family + "ing " + strings.Join(qu.content, " ")
	}
	q := parley.Query{Text: text, Size: 100}
	if len(qu.people) > 0 {
		// "did holden go to london": everything said of them.
		q = parley.Query{People: h.names(qu.people), Size: 100}
	}
	hits, err := h.corpus.Search(ctx, q)
	if err != nil {
		return nil, err
	}
	p := &presence{byName: map[string]*tally{}, notThere: map[string]absence{}}
	if len(q.People) > 0 {
		p.people, p.hits = q.People, hits
	}
	for i, hit := range hits {
		s := hit.Sentence
		if len(s.People) == 0 && s.Speaker == "" {
			continue
		}
		a, ok := h.corpus.Article(s.Article)
		if !ok {
			continue
		}
		placed, away := h.placedIn(a, s, family)
		for n, why := range away {
			if _, ok := p.notThere[n]; !ok {
				p.notThere[n] = absence{s, why}
			}
		}
		for _, n := range placed {
			t := p.byName[n]
			if t == nil {
				t = &tally{articles: map[string]bool{}, best: s, first: i}
				p.byName[n] = t
				p.order = append(p.order, n)
			}
			t.articles[s.Article] = true
		}
	}
	return p, nil
}

// participants answers "who attended", "who was there", "who took part",
// "who signed": the people the articles place at the event, ranked by how
// many articles say so, each with a citation that does.
func (h *Handlers) participants(ctx context.Context, qu question, ans *parley.Answer) error {
	family := asksFamily(qu.text)

	var t *presence
	var err error
	if family == "attend" && len(qu.people) == 0 {
		t, err = h.attendance(ctx)
	} else {
		t, err = h.presenceIn(ctx, qu, family)
	}
	if err != nil {
		return err
	}
	// The order is sorted here: the presence read may be kept for others.
	byName, order := t.byName, slices.Clone(t.order)
	// "did rutte attend", "was brenner there": the people the question
	// names, yes or no.
	if len(qu.people) > 0 {
		return h.wasThere(ctx, qu, t, family, ans)
	}
	if len(order) == 0 {
		qu.kind = kindPerson
		ev, err := h.gather(ctx, qu, "")
		if err != nil {
			return err
		}
		h.notCovered(ans, map[string]string{"attend": "The articles don't say who was there.", "sign": "The articles don't say who signed it.",
			"host": "The articles don't say who hosted it.", "represent": "The articles don't say who represented whom."}[family], contentWords(qu.text))
		var near []*parley.Sentence
		for _, c := range ev.cands {
			near = append(near, c.s)
		}
		ans.Related = h.cite(near, 3)
		return nil
	}
	sort.SliceStable(order, func(i, j int) bool {
		a, b := byName[order[i]], byName[order[j]]
		if len(a.articles) != len(b.articles) {
			return len(a.articles) > len(b.articles)
		}
		return a.first < b.first
	})
	var parts []string
	var best []*parley.Sentence
	for _, n := range order {
		if p, ok := h.person(n); ok {
			ans.People = append(ans.People, p)
		}
		k := len(byName[n].articles)
		parts = append(parts, fmt.Sprintf("%s (%d %s)", n, k, plural(k, "article", "articles")))
		best = append(best, byName[n].best)
	}
	ans.Citations = h.citeEach(best)
	what := map[string]string{"attend": "at the event", "sign": "as signing", "host": "as hosting", "represent": "as representing a country or body"}[family]
	if len(parts) > 6 {
		parts = append(parts[:6], fmt.Sprintf("and %d more", len(parts)-6))
	}
	ans.Lead = fmt.Sprintf("The articles place %d %s %s: %s.", len(order), plural(len(order), "person", "people"), what, strings.Join(parts, ", "))
	return nil
}

// citeEach cites each sentence in turn, one citation per sentence even
// where two say much the same (each backs a different person).
func (h *Handlers) citeEach(ss []*parley.Sentence) []parley.Citation {
	var out []parley.Citation
	seen := map[*parley.Sentence]bool{}
	for _, s := range ss {
		if seen[s] {
			continue
		}
		seen[s] = true
		a, ok := h.corpus.Article(s.Article)
		if !ok {
			continue
		}
		first, last := h.quoteSpan(a, s)
		out = append(out, citation(a, first, last))
	}
	return out
}

// roleHolder answers "who is the nato chief", "who are the us envoys": the
// people whose role (and affiliation, when the question names a place)
// matches the words asked. ok is false when no one matches, and the
// question is answered as any other.
func (h *Handlers) roleHolder(ctx context.Context, qu question, ans *parley.Answer) (bool, error) {
	if len(qu.people) == 1 && len(qu.content) == 0 && len(qu.places) == 0 {
		return true, h.who(ctx, h.corpus.People()[qu.people[0]].Name, ans)
	}
	people := h.byRole(qu.content, qu.places)
	if len(people) == 0 {
		return false, nil
	}
	ranked, err := h.interleave(ctx, people, len(people), false)
	if err != nil {
		return true, err
	}
	ans.People = people
	ans.Citations = h.cite(h.identifyFirst(people[:min(len(people), 3)], ranked), h.wanted(ans))
	asked := strings.ToLower(strings.Join(qu.content, " "))
	if len(qu.places) > 0 {
		asked = strings.TrimPrefix(asked, "the ") + " of " + withArticle(qu.places[0]) // "the chancellor of Germany"
	}
	if len(people) == 1 {
		ans.Lead = fmt.Sprintf("The %s in the articles: %s", strings.TrimPrefix(asked, "the "), describe(people[0], len(h.corpus.Articles())))
	} else {
		ans.Lead = fmt.Sprintf("The articles name %d people as %s: %s.", len(people), quoteQuery(asked), nameList(people, 4))
	}
	return true, nil
}

// byRole finds the people whose role matches a typed role ("chief",
// "envoys", "foreign minister"; a word related through the lexicon counts,
// "head" for "chief") and whose affiliation is one of places, when places
// are given.
func (h *Handlers) byRole(typed []string, places []string) []parley.Person {
	want := map[string]bool{}
	var words []string
	for _, w := range typed {
		lw := strings.ToLower(w)
		if r := roleAbbreviation(lw); r != "" {
			words = append(words, strings.Fields(r)...) // "pm": prime minister
			continue
		}
		words = append(words, lw)
	}
	// each typed word's terms, so that a role is scored by how many of
	// the typed words it holds
	var each []map[string]bool
	for _, lw := range words {
		if genericVerb(lw) {
			continue
		}
		one := map[string]bool{}
		for _, t := range h.analysed(lw) {
			want[t], one[t] = true, true
		}
		for _, e := range h.corpus.Expand(lw) {
			if e.Weight >= 0.5 {
				want[e.Term], one[e.Term] = true, true
			}
		}
		each = append(each, one)
	}
	if len(want) == 0 {
		return nil
	}
	// The roles that hold the most of the typed words: "the zambian
	// deputy finance minister" is the deputy finance minister, not every
	// minister of Zambia.
	var out []parley.Person
	best := 0
	for _, p := range h.corpus.People() {
		if p.Role == "" || len(places) > 0 && !slices.Contains(places, p.Affiliation) {
			continue
		}
		role := h.analysed(p.Role)
		n := 0
		for _, one := range each {
			if slices.ContainsFunc(role, func(t string) bool { return one[t] }) {
				n++
			}
		}
		switch {
		case n == 0 || n < best:
		case n > best:
			best, out = n, []parley.Person{p}
		default:
			out = append(out, p)
		}
	}
	return out
}

// roleAbbreviation spells out the short forms people type for a role
// ("estonian pm", "the un sg"), which articles write in full.
func roleAbbreviation(w string) string {
	switch strings.ReplaceAll(w, ".", "") {
	case "pm":
		return "prime minister"
	case "fm":
		return "foreign minister"
	case "sg", "secgen":
		return "secretary general"
	case "dg":
		return "director general"
	case "ceo":
		return "chief executive"
	case "mp":
		return "member of parliament"
	case "vp":
		return "vice president"
	}
	return ""
}

func byNameSentences[T any](m map[string]*T) map[string]bool {
	out := make(map[string]bool, len(m))
	for n := range m {
		out[n] = true
	}
	return out
}

// wasThere answers "did X attend": yes with the sentences that place them
// at the event, no with those that say they were not there in person, and
// not covered when the articles say neither.
// absence is a sentence that names someone as not there, and why.
type absence struct {
	s   *parley.Sentence
	why string
}

func (h *Handlers) wasThere(ctx context.Context, qu question, t *presence, family string, ans *parley.Answer) error {
	placed, notThere := byNameSentences(t.byName), t.notThere
	verb := map[string]string{"attend": "at the event", "sign": "as signing", "host": "as hosting", "represent": "as representing a country or body"}[family]
	var yes, no, why []string
	var cites []*parley.Sentence
	for _, i := range qu.people {
		p := h.corpus.People()[i]
		ans.People = append(ans.People, p)
		switch {
		case placed[p.Name]:
			yes = append(yes, p.Name)
		case notThere[p.Name].s != nil:
			no = append(no, p.Name)
			why = append(why, p.Name+" "+notThere[p.Name].why)
			cites = append(cites, notThere[p.Name].s)
		}
	}
	if len(yes) > 0 {
		// Cite what places them: the participants' own evidence, from
		// the search that placed them when it was for them alone.
		hits := t.hits
		if !slices.Equal(yes, t.people) {
			var err error
			if hits, err = h.corpus.Search(ctx, parley.Query{People: yes, Size: 100}); err != nil {
				return err
			}
		}
		var own []*parley.Sentence
		for _, hit := range hits {
			a, ok := h.corpus.Article(hit.Sentence.Article)
			if !ok {
				continue
			}
			if p, _ := h.placedIn(a, hit.Sentence, family); slices.ContainsFunc(p, func(n string) bool { return slices.Contains(yes, n) }) {
				own = append(own, hit.Sentence)
			}
		}
		cites = append(own, cites...)
	}
	switch {
	case len(yes) > 0 && len(no) == 0:
		ans.Lead = fmt.Sprintf("Yes: the articles place %s %s.", joinAnd(yes), verb)
	case len(no) > 0 && len(yes) == 0:
		ans.Lead = fmt.Sprintf("No: the articles say %s.", joinAnd(why))
	case len(yes) > 0:
		ans.Lead = fmt.Sprintf("The articles place %s %s, but say %s.", joinAnd(yes), verb, joinAnd(why))
	default:
		var names []string
		for _, p := range ans.People {
			names = append(names, p.Name)
		}
		people := ans.People
		h.notCovered(ans, fmt.Sprintf("The articles don't say whether %s took part.", joinAnd(names)), "")
		ans.People = people
		return nil
	}
	ans.Citations = h.citeEach(cites)
	return nil
}

// names are the canonical names of people by their index in People().
func (h *Handlers) names(people []int) []string {
	out := make([]string, len(people))
	for i, p := range people {
		out[i] = h.corpus.People()[p].Name
	}
	return out
}
