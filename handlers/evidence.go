package handlers

import (
	"context"
	"math"
	"slices"
	"sort"
	"strings"

	"github.com/parley-bot/parley"
)

// keyTerm is an analysed content word of a question with its weight (rarer
// among the hits is heavier) and the index terms standing in for it.
type keyTerm struct {
	term   string
	typed  string
	weight float64
	expand []parley.Expansion
}

// featureBonus puts first, for reading, the sentences in which indexing
// found the kind of value a question wants.
func featureBonus(k kind, s *parley.Sentence) float64 {
	var want parley.Features
	switch k {
	case kindCount, kindAmount:
		want = parley.HasDigits | parley.HasNumberWord
	case kindDuration:
		want = parley.HasDuration | parley.HasDigits | parley.HasNumberWord
	case kindDate:
		want = parley.HasDate
	}
	if s.Features&want != 0 {
		return 0.5
	}
	return 0
}

// candChunk is how many candidates gatherN allocates at once.
const candChunk = 16

// maxRead is how many candidates, best first, the gate reads for values.
const maxRead = 20

// searchSize is how many sentences a question's search brings back before
// Parley ranks and gates them: enough that the sentence with the value
// asked for is among them when many share the question's words.
const searchSize = 25

// wideSearchSize is how many a second search brings back when none of the
// first passed the gate.
const wideSearchSize = 60

// durationVerb: "how long will it last / take".
func durationVerb(w string) bool {
	switch w {
	case "last", "lasted", "lasts", "take", "took", "takes", "run", "ran", "go", "went", "continue", "stay", "remain", "long":
		return true
	}
	return false
}

// strongExpansion is the least weight at which a related word may stand in
// for a typed one in the evidence gate ("led" for "lead", "largest" for
// "biggest"); weaker ones only help ranking.
const strongExpansion = 0.35

// cand is a sentence found for a question, with what the evidence gate
// learnt about it.
type cand struct {
	s     *parley.Sentence
	a     *parley.Article
	text  string
	f     *facts // what is read of text, worked out once
	score float64
	// matched is what each of the question's key terms (evidence.keys,
	// in order) is worth in the sentence: 1 typed, an expansion's weight
	// through it, 0 not stated. A slice by key, not a map by term: one
	// allocation for all candidates instead of a map each.
	matched []float64
	keyCov  float64
	// names: every name of the question is in the sentence (or, for all
	// but one, in the sentence before it in its paragraph); ownNames: all
	// in the sentence itself, none by the article's lede.
	names, ownNames bool
	// subject: names and key words hold: the sentence is about what was
	// asked, whether or not it states the value asked for.
	subject bool
	// bound is the value the sentence states for the question, when its
	// kind wants one; pass says the sentence clears the whole gate.
	bound []*found
	pass  bool
}

// found is a value bound to a question in a sentence.
type found struct {
	kind       kind
	text       string
	key        string // compares values: amount range, date key, name
	amount     value
	date       date
	superseded bool
	future     bool
	// modifier: a place named as an adjective of a noun ("the French
	// capital"); the same place named alone says it better.
	modifier bool
	// owner is the name of the question the sentence gives the value to
	// ("France could send ..."), "" when it names none before it.
	owner string
}

// evidence is what a question found: candidates best first, which of them
// pass the gate, and why nothing passed when nothing did.
type evidence struct {
	qu     question
	cands  []*cand
	pass   []*cand
	keys   []keyTerm
	absent []string // names no article mentions
	// absentWords are content words no passage found for the question
	// uses, nor any related word; elsewhere are those of them the articles
	// do use, only not there (a large corpus: "agreed" is in thousands of
	// sentences, none of them among the best for the rest of the question).
	absentWords, elsewhere []string
	// missing says what the best candidates lacked: "names" (never
	// together), "value" (no value of the kind asked for), "key" (not
	// about it), "" when something passed.
	missing string
	// mention are the articles that mention the subject of the question.
	mention map[string]bool
	// truncated: the search had more sentences than it brought back.
	truncated bool
}

// genericVerb: words that say what kind of statement is wanted, not what
// it is about.
func genericVerb(w string) bool {
	switch w {
	case "giving", "gives", "gave", "given", "getting", "gets", "having", "making", "makes", "taking", "takes",
		"doing", "going", "coming", "comes", "saying", "telling", "wanting", "wants", "meaning":
		return true // the forms of the verbs below
	}
	switch w {
	case "say", "said", "says", "saying", "tell", "told", "think", "thinks", "do", "does", "did", "done", "happen",
		"happens", "happened", "make", "made", "get", "go", "goes", "come", "take", "give", "have", "has", "had",
		"be", "mean", "means", "want", "know", "there", "thing", "things", "stuff", "news", "latest", "exactly",
		"detail", "details", "info", "information", "anything", "something", "really", "about", "like", "whats",
		"s", "t", "cause", "caused", "reason", "result", "if":
		return true
	}
	return false
}

// gather finds and ranks the sentences for a question or topic, and runs
// the evidence gate on them: first among the best searchSize sentences,
// then, when none passes and there were more, among wideSearchSize.
func (h *Handlers) gather(ctx context.Context, qu question, phrase string) (*evidence, error) {
	ws := wideSearches{wide: wantsAmount(qu.kind)}
	ev, err := h.gatherN(ctx, qu, phrase, searchSize, &ws)
	if err != nil || len(ev.pass) > 0 || !ev.truncated || len(ev.absent)+len(ev.absentWords) > 0 {
		return ev, err
	}
	return h.gatherN(ctx, qu, phrase, wideSearchSize, &ws)
}

// wantsAmount says a question asks for a number, an amount, a duration or
// a date: the best searchSize sentences often share its words without
// stating one (a quarter to half of such lines of testdata/lines/mixed.txt
// need the wider pass, against 1 in 50 of other questions).
func wantsAmount(k kind) bool {
	return k == kindCount || k == kindAmount || k == kindDuration || k == kindDate
}

// wideSearches are the searches of one gather. The best searchSize hits
// of a search are the first of a wider one (the index ranks by score, then
// document order), so when wide is set, the first pass reads them from a
// search of wideSearchSize and a second pass, when nothing passed, needs
// no search of its own: one search per question instead of two, for the
// questions that often need both. For the others, the wider search would
// cost every answer more than the rare second one does.
type wideSearches struct {
	wide bool
	done []wideSearch
}

type wideSearch struct {
	q    parley.Query // q.Size is the size searched
	hits []parley.Hit
}

// search returns the best size hits for q.
func (ws *wideSearches) search(ctx context.Context, c parley.Corpus, q parley.Query, size int) ([]parley.Hit, error) {
	for _, w := range ws.done {
		if w.q.Size >= size && sameSearch(w.q, q) {
			return w.hits[:min(size, len(w.hits))], nil
		}
	}
	q.Size = size
	if ws.wide {
		q.Size = max(size, wideSearchSize)
	}
	hits, err := c.Search(ctx, q)
	if err != nil {
		return nil, err
	}
	ws.done = append(ws.done, wideSearch{q, hits})
	return hits[:min(size, len(hits))], nil
}

// sameSearch says two queries find the same sentences, whatever their size.
func sameSearch(a, b parley.Query) bool {
	return a.Text == b.Text && a.Phrase == b.Phrase && a.Speaker == b.Speaker && a.Fuzzy == b.Fuzzy &&
		slices.Equal(a.Places, b.Places) && slices.Equal(a.People, b.People) && slices.Equal(a.Expand, b.Expand)
}

func (h *Handlers) gatherN(ctx context.Context, qu question, phrase string, size int, ws *wideSearches) (*evidence, error) {
	ev := &evidence{qu: qu, mention: map[string]bool{}}
	for _, p := range qu.places {
		if !h.mentioned[p] {
			ev.absent = append(ev.absent, p)
		}
	}
	names := make([]string, len(qu.people))
	for i, p := range qu.people {
		names[i] = h.corpus.People()[p].Name
	}
	var typed []string
	var expand []parley.Expansion
	for _, w := range qu.content {
		lw := strings.ToLower(w)
		if genericVerb(lw) {
			continue
		}
		if qu.kind == kindDuration && durationVerb(lw) {
			continue // "how long would the guarantees last": the kind of answer
		}
		if ts := h.analysed(lw); len(ts) == 1 && len(h.analysed(ts[0])) == 0 {
			// "owns" stems to "own", a stop word the index never holds:
			// no sentence could match it, and it would read as a word the
			// articles don't use ("will each own a third").
			continue
		}
		typed = append(typed, w)
		for _, e := range h.expandWord(lw) {
			if e.Weight >= strongExpansion {
				expand = append(expand, e)
			}
		}
	}
	content := strings.Join(typed, " ")
	hits, err := ws.search(ctx, h.corpus, parley.Query{Text: content, Phrase: phrase, Places: qu.places, People: names, Expand: expand}, size)
	if err != nil {
		return nil, err
	}
	ev.truncated = len(hits) == size
	if len(hits) == 0 {
		// Nothing matches: each word is a typo of a word the articles use,
		// or one they never use.
		ev.missing = "key"
		corrected := false
		for i, w := range typed {
			if t, ok := h.articlesWord(ctx, w); ok && !qu.corrected {
				typed[i], corrected = t, true
			} else if nNames := len(qu.places) + len(qu.people); nNames == 0 || !ok {
				ev.absentWords = append(ev.absentWords, w)
			}
		}
		if corrected && len(ev.absentWords) == 0 {
			qu.content, qu.corrected = typed, true
			return h.gatherN(ctx, qu, phrase, size, ws)
		}
		if len(ev.absentWords) > 0 {
			ev.missing = "absent"
		}
		return ev, nil
	}
	// Key terms: the question's content words, each with its expansions.
	// A word neither it nor its expansions match in any hit is a word the
	// articles do not use: it cannot tell sentences apart.
	present := map[string]int{}
	for _, hit := range hits {
		for _, m := range hit.Matched {
			present[m]++
		}
	}
	targets := map[string]bool{}
	target := ""
	for _, t := range h.analysed(qu.target) {
		targets[t] = true
		target = t // the head of "water trucks" is its last word
	}
	seen := map[string]bool{}
	var unused []string
	for _, w := range typed {
		lw := strings.ToLower(w)
		if isDateNoun(lw) && (qu.kind == kindDate || qu.kind == kindDuration) || isPlaceNoun(lw) && qu.kind == kindPlace ||
			eventVerb(lw) && (qu.kind == kindPlace || qu.kind == kindDate) {
			continue // "what date", "which city", "hosted": the kind of answer, not its subject
		}
		ts := h.analysed(w)
		if len(ts) == 0 || seen[ts[0]] || targets[ts[0]] {
			continue
		}
		seen[ts[0]] = true
		k := keyTerm{term: ts[0], typed: w}
		df := present[k.term]
		for _, e := range h.expandWord(lw) {
			if e.Weight >= strongExpansion && present[e.Term] > 0 {
				k.expand = append(k.expand, e)
				df = max(df, present[e.Term])
			}
		}
		if df == 0 {
			unused = append(unused, w)
			continue
		}
		k.weight = math.Log(1 + float64(len(hits))/float64(df))
		ev.keys = append(ev.keys, k)
	}
	nNames := len(qu.places) + len(names)
	// A word the articles never use, nor any word related to it, is the
	// most specific part of what was asked: they don't cover it. A typo of
	// a word they use is not held against the question.
	corrected := false
	for _, w := range unused {
		t, ok := h.articlesWord(ctx, w)
		if !ok {
			ev.absentWords = append(ev.absentWords, w)
			if h.used(ctx, w) {
				ev.elsewhere = append(ev.elsewhere, w)
			}
			continue
		}
		if !qu.corrected {
			if !corrected {
				qu.content = slices.Clone(qu.content)
			}
			for i, c := range qu.content {
				if c == w {
					qu.content[i] = t
					corrected = true
				}
			}
		}
	}
	if corrected && len(ev.absentWords) == 0 {
		qu.corrected = true // search again with the words the articles use
		return h.gatherN(ctx, qu, phrase, size, ws)
	}

	keyTotal, termWeight := 0.0, map[string]float64{}
	for _, k := range ev.keys {
		keyTotal += k.weight
		termWeight[k.term] = max(termWeight[k.term], k.weight)
		for _, e := range k.expand {
			termWeight[e.Term] = max(termWeight[e.Term], k.weight*e.Weight)
		}
	}
	// What a count is of weighs in ranking like a key word, though the
	// gate binds it to the count instead.
	rankTotal := keyTotal
	if target != "" && present[target] > 0 {
		w := math.Log(1 + float64(len(hits))/float64(present[target]))
		termWeight[target] = max(termWeight[target], w)
		rankTotal += w
	}
	entWeight := 1.0
	if len(ev.keys) > 0 {
		entWeight = keyTotal / float64(len(ev.keys))
	}
	top := hits[0].Score
	lowPhrase := strings.ToLower(phrase)
	// The candidates' weights live in one array, the candidates in arrays
	// of candChunk (most hits are dropped, and a candidate is large), a
	// slot reused when its candidate is dropped: a few allocations per
	// search instead of two per hit.
	nk := len(ev.keys)
	weights := make([]float64, len(hits)*nk)
	var store []cand
	kept := 0
	for _, hit := range hits {
		s := hit.Sentence
		a, ok := h.corpus.Article(s.Article)
		if !ok {
			continue
		}
		text := a.Text[s.Start:s.End]
		if len(store) == cap(store) {
			store = make([]cand, 0, min(candChunk, len(hits)-kept))
		}
		store = store[:len(store)+1]
		c := &store[len(store)-1]
		*c = cand{s: s, a: a, text: text, matched: weights[kept*nk : (kept+1)*nk : (kept+1)*nk]}
		clear(c.matched) // a candidate dropped below left its weights there
		cov := 0.0
		for _, m := range hit.Matched {
			cov += termWeight[m]
		}
		// The terms of the sentence a definite opener refers back to, read
		// once a key needs them.
		var before []parley.Token
		beforeRead := false
		for i, k := range ev.keys {
			w := 0.0
			if slices.Contains(hit.Matched, k.term) {
				w = 1
			}
			for _, e := range k.expand {
				if slices.Contains(hit.Matched, e.Term) {
					w = max(w, e.Weight)
				}
			}
			if w == 0 {
				// "The canal is planned to run 285 kilometres" after a
				// sentence about the Qosh Tepa canal: what the sentence
				// before it in its paragraph names, "the canal" and "its"
				// go on about.
				if !beforeRead {
					before, beforeRead = h.referredTerms(a, s), true
				}
				if slices.ContainsFunc(before, func(t parley.Token) bool { return t.Term == k.term }) {
					w = referredWeight
					cov += termWeight[k.term] * w
				}
			}
			if w > 0 {
				c.matched[i] = w
				c.keyCov += k.weight * w
			}
		}
		if keyTotal > 0 {
			c.keyCov /= keyTotal
		} else {
			c.keyCov = 1
		}
		ent, inSentence, inContext := h.nameScore(qu, names, s, a)
		c.names = inContext == nNames && (inSentence > 0 || nNames == 0)
		c.ownNames = nNames > 0 && inSentence-h.ledeNames(qu, s, a) == nNames
		if qu.speech && nNames > 0 && !h.spokenBy(qu, names, s) {
			c.names = false // "what did the world bank say": named is not quoted
		}
		if nNames > 0 {
			cov += ent * entWeight
			ent /= float64(nNames)
		}
		if all := rankTotal + float64(nNames)*entWeight; all > 0 {
			cov /= all
		}
		if rankTotal > 0 && cov < 0.3 && ent == 0 || rankTotal == 0 && ent == 0 {
			store = store[:len(store)-1] // the slot is the next hit's
			continue
		}
		// Facts are looked up for the candidates kept only: most hits
		// are dropped above.
		c.f = h.facts(text)
		c.score = 0.35*hit.Score/top + 0.45*cov + 0.2*ent
		if lowPhrase != "" && strings.Contains(c.f.Lower(), lowPhrase) {
			c.score += 0.3
		}
		kept++
		ev.cands = append(ev.cands, c)
	}
	h.gate(ev)
	if len(ev.absentWords) > 0 {
		ev.missing = "absent"
		for _, c := range ev.cands {
			c.pass = false
		}
	}
	// The same stable sort as sort.SliceStable, without its reflection.
	slices.SortStableFunc(ev.cands, func(a, b *cand) int {
		switch {
		case ranksBefore(a.s, a.score, b.s, b.score):
			return -1
		case ranksBefore(b.s, b.score, a.s, a.score):
			return 1
		}
		return 0
	})
	for _, c := range ev.cands {
		if c.pass {
			ev.pass = append(ev.pass, c)
		}
	}
	if len(ev.pass) > 0 {
		bar := ev.pass[0].score * 0.5
		k := 0
		for k < len(ev.pass) && ev.pass[k].score >= bar {
			k++
		}
		ev.pass = ev.pass[:min(k, maxRanked)]
		ev.missing = ""
	}
	return ev, nil
}

// requiredIn says a sentence states the words of a question that no
// other word can stand for: a number typed in it ("the 20 point plan" is
// not the 28-point one) and, in a when or where question, the verb of
// what is asked about ("when was the 20 point plan leaked" is not when it
// was submitted; "where would german troops be based" is not where they
// may deploy).
func requiredIn(qu question, keys []keyTerm, c *cand) bool {
	for i, k := range keys {
		lw := strings.ToLower(k.typed)
		number := lw != "" && lw[0] >= '0' && lw[0] <= '9'
		verb := (qu.kind == kindDate || qu.kind == kindPlace) && pastForm(lw) && !eventVerb(lw) && !genericVerb(lw) ||
			qu.verb != "" && strings.EqualFold(k.typed, qu.verb)
		if (number || verb) && c.matched[i] < strongExpansion {
			return false
		}
	}
	return true
}

// rankingWords rank what they qualify as a superlative does: "the key
// obstacles", "the main issue".
func rankingWord(w string) bool {
	switch w {
	case "most", "least", "key", "main", "chief", "principal", "primary", "top", "leading", "foremost":
		return true
	}
	return false
}

// maxRankDistance is how many words may lie between a superlative and the
// noun it ranks ("the meeting in Paris was the largest").
const maxRankDistance = 4

// ranks says a sentence ranks the noun a question's superlative ranks: a
// superlative or ranking word within a few words of the noun (or a word
// that stands for it, want: rankedTerms). "The meeting was the largest
// since the coalition was founded" ranks no country.
func (h *Handlers) ranks(want map[string]bool, c *cand) bool {
	l, ok := h.corpus.(parley.Lexical)
	if !ok {
		return true
	}
	ts := c.f.Words()
	// Most sentences rank nothing: only the words near a superlative are
	// read.
	for _, r := range c.f.Ranking(h, l) {
		for _, t := range ts[max(0, r-maxRankDistance):min(len(ts), r+maxRankDistance+1)] {
			for _, x := range h.termsOf(t.raw) {
				if want[x] {
					return true
				}
			}
		}
	}
	return false
}

// rankedTerms are the terms that stand for the noun a question's
// superlative ranks, for ranks.
func (h *Handlers) rankedTerms(noun string) map[string]bool {
	want := map[string]bool{}
	for _, t := range h.analysed(noun) {
		want[t] = true
	}
	for _, e := range h.expandWord(strings.ToLower(noun)) {
		if e.Weight >= strongExpansion {
			want[e.Term] = true
		}
	}
	return want
}

// quoteMarks become spaces where words are looked for between them
// ("“in case of a new attack”").
var quoteMarks = strings.NewReplacer("“", " ", "”", " ", `"`, " ", "‘", " ", "’", "'")

// conditionals open the clause an outcome depends on; consequences
// follow the words of a condition ("rejecting a ceasefire could lead to").
var (
	conditionals = []string{" if ", " unless ", " in the event of ", " in the event that ", " in case of ", " in case ",
		" once ", " should ", " provided ", " as long as ", " whenever ", " otherwise "}
	consequences = []string{" lead to ", " leads to ", " led to ", " result in ", " results in ", " would mean ",
		" could mean ", " will mean ", " would trigger ", " could trigger "}
)

// statesCondition says a passage states an outcome of what the question
// makes it conditional on: a condition word (or a word standing for it)
// in the clause after if, unless, in the event of ..., or before a
// consequence ("lead to"). "Would have to put the decision up for a vote
// if the monitoring force comes to fruition" says nothing of what happens
// if parliament votes no.
func (h *Handlers) statesCondition(condition []string, c *cand) bool {
	want := map[string]bool{}
	for _, w := range condition {
		for _, t := range h.analysed(w) {
			want[t] = true
		}
		for _, e := range h.expandWord(w) {
			if e.Weight >= strongExpansion {
				want[e.Term] = true
			}
		}
	}
	low := " " + strings.ToLower(quoteMarks.Replace(c.text)) + " "
	holds := func(clause string) bool {
		for w := range eachWord(clause) {
			for _, t := range h.termsOf(w) {
				if want[t] {
					return true
				}
			}
		}
		return false
	}
	for _, m := range conditionals {
		for from := 0; ; {
			i := strings.Index(low[from:], m)
			if i < 0 {
				break
			}
			at := from + i + len(m)
			from = at
			end := len(low)
			if j := strings.IndexAny(low[at:], ",;:—"); j >= 0 {
				end = at + j
			}
			if holds(low[at:end]) {
				return true
			}
		}
	}
	for _, m := range consequences {
		if i := strings.Index(low, m); i >= 0 {
			start := max(strings.LastIndexAny(low[:i], ",;:—"), 0)
			if holds(low[start:i]) {
				return true
			}
		}
	}
	return false
}

// causals state a reason plainly.
var causals = []string{" because ", " since ", " due to ", " owing to ", " citing ", " the reason ", " as a result ",
	" in order to ", " so as to ", " so that ", " given that "}

// statesWhyNot says a passage gives the reason something was not done:
// a negation just before a key word ("did not attend") and a reason
// stated plainly. Naming the person and the place is not the reason they
// stayed away.
func (h *Handlers) statesWhyNot(qu question, keys []keyTerm, c *cand) bool {
	want := keySet(keys)
	ts := c.f.Words()
	negated := false
	for i, t := range ts {
		hit := qu.absence && (presenceVerb(t.w) || travelWord(t.w))
		for _, x := range h.termsOf(t.raw) {
			hit = hit || want[x] && !qu.absence
		}
		if !hit {
			continue
		}
		for k := max(0, i-3); k < i; k++ {
			w := strings.ReplaceAll(ts[k].w, "’", "'")
			if w == "not" || w == "never" || w == "no" || strings.HasSuffix(w, "n't") || w == "without" {
				negated = true
			}
		}
	}
	return negated && hasAny(" "+strings.ToLower(quoteMarks.Replace(c.text))+" ", causals)
}

// eventPlaces says the question names its article's event's place as
// articles.json writes it ("the paris meeting", not "kenya" for Nairobi)
// and no other place: then the lede that names it frames the count as the
// event's.
func (h *Handlers) eventPlaces(qu question, a *parley.Article) bool {
	if a.Event == nil || a.Event.Place == "" || len(qu.people) > 0 || len(qu.places) != 1 {
		return false
	}
	return h.samePlace(qu.places[0], a.Event.Place) && slices.Contains(words(strings.ToLower(qu.text)), strings.ToLower(a.Event.Place))
}

// owned says a name of the question owns one of the values bound.
func owned(fs []*found) bool {
	for _, f := range fs {
		if f.owner != "" {
			return true
		}
	}
	return false
}

// saidOfValue says the clause of a value a sentence binds holds a word the
// lexicon relates to a key word of the question, in either direction.
// Without a lexicon it cannot tell, and says so.
func (h *Handlers) saidOfValue(c *cand, keys []keyTerm) bool {
	l, ok := h.corpus.(parley.Lexical)
	if !ok {
		return true
	}
	for _, f := range c.bound {
		if f.kind != kindCount && f.kind != kindAmount && f.kind != kindDuration {
			return true
		}
		for w := range eachWord(clauseAround(c.text, f.amount.start, f.amount.end)) {
			lw := strings.ToLower(w)
			if len(lw) < 3 || questionWord(lw) || fillerWord(lw) || unitStop(lw) {
				continue
			}
			for _, k := range keys {
				if h.lexical(l, lexQuestion{op: 'r', a: strings.ToLower(k.typed), b: lw}) {
					return true
				}
			}
		}
	}
	return false
}

// literal says a sentence states a key word of the question as typed (or
// in another form of it): related words help rank, but cannot carry a
// question alone ("channel" is not answered by "carries").
func literal(c *cand) bool {
	for _, w := range c.matched {
		if w >= 0.9 {
			return true
		}
	}
	return false
}

// eventWeight is what the articles' own noun for their event is worth
// standing in for a word of the same kind ("gathering", "conference" for
// "meeting"): as much as another form of the word, since both name the
// one event the articles report.
const eventWeight = 0.9

// expandWord is the lexicon's expansion of a typed word, with the noun
// the articles name their event by when the word names the same kind of
// thing: "when did the gathering happen" asks when the meeting was.
func (h *Handlers) expandWord(lw string) []parley.Expansion {
	exp := h.corpus.Expand(lw)
	if !h.eventKin(lw) {
		return exp
	}
	// The event's noun and its other forms ("met" for "meeting").
	event := []parley.Expansion{}
	for _, t := range h.analysed(h.event) {
		event = append(event, parley.Expansion{Term: t, Weight: eventWeight})
	}
	for _, e := range h.corpus.Expand(h.event) {
		if e.Weight >= 0.9 {
			event = append(event, parley.Expansion{Term: e.Term, Weight: eventWeight})
		}
	}
	own := h.analysed(lw)
	for _, e := range event {
		if !slices.ContainsFunc(exp, func(x parley.Expansion) bool { return x.Term == e.Term }) && !slices.Contains(own, e.Term) {
			exp = append(slices.Clone(exp), e)
		}
	}
	return exp
}

// eventKin says a typed word names the same kind of thing as the noun the
// articles name their event by (cached: reading the lexicon costs more
// than a question's search).
func (h *Handlers) eventKin(lw string) bool {
	if h.event == "" || lw == h.event {
		return false
	}
	return h.eventKinOf(lw, h.event)
}

// eventKinOf says a typed word names the same kind of thing as an event's
// noun, through the lexicon, cached by word for the articles' own event.
func (h *Handlers) eventKinOf(lw, event string) bool {
	if lw == event {
		return true
	}
	k, ok := h.corpus.(parley.Lexical)
	if !ok {
		return false
	}
	if event != h.event {
		return k.Kin(lw, event) // another event's noun: rare, not cached
	}
	return h.kin.get(lw, func() bool { return k.Kin(lw, h.event) })
}

// articlesWord is the word the articles use for one they never do: the
// noun they name their event by, for a word of the same kind ("summit",
// "conference" for the meeting), else the word it is a typo of.
func (h *Handlers) articlesWord(ctx context.Context, w string) (string, bool) {
	if h.eventKin(strings.ToLower(w)) {
		return h.event, true
	}
	return h.typo(ctx, w)
}

// used says some sentence holds the word as typed, so that a lead never
// says the articles don't mention a word they use.
func (h *Handlers) used(ctx context.Context, w string) bool {
	hits, err := h.corpus.Search(ctx, parley.Query{Text: w, Size: 1})
	return err == nil && len(hits) > 0
}

// typo finds the word of the articles a word they never use is a typo of
// ("tlaks" → talk), as the index's term for it.
func (h *Handlers) typo(ctx context.Context, w string) (string, bool) {
	if len([]rune(w)) < 4 {
		return "", false
	}
	if l, ok := h.corpus.(parley.Lexical); ok && l.Known(strings.ToLower(w)) {
		return "", false // "pope" is a word of its own, not a typo of "hope"
	}
	hits, err := h.corpus.Search(ctx, parley.Query{Text: w, Fuzzy: true, Size: 1})
	if err != nil || len(hits) == 0 || len(hits[0].Matched) == 0 {
		return "", false
	}
	return hits[0].Matched[0], true
}

// nameScore says how well a sentence holds the names of a question: ent
// scores them (a person's own words count for more when the question is
// about speech), inSentence counts those in the sentence, inContext those
// in it or the sentence before it in its paragraph.
func (h *Handlers) nameScore(qu question, names []string, s *parley.Sentence, a *parley.Article) (ent float64, inSentence, inContext int) {
	var prev *parley.Sentence
	if s.Position > 0 && a.Sentences[s.Position-1].Paragraph == s.Paragraph {
		prev = &a.Sentences[s.Position-1]
	}
	for _, p := range qu.places {
		in := contains(s.Places, p)
		switch {
		case qu.speech && s.Speaker != "" && h.affiliationOf(s.Speaker) == p:
			ent += 1
			in = true
		case qu.speech && in:
			ent += 0.6
		case in:
			ent += 1
		case h.affiliatedMention(s, p):
			ent += 0.5
			in = true
		}
		if !in && len(s.Places) == 0 && s.Position > 0 && contains(a.Sentences[0].Places, p) {
			// The place an article's lede names is where its story
			// happens, for a sentence that names no place of its own
			// ("Ministers gathered in London ... The talks continue on
			// Friday").
			ent += 0.5
			in = true
		}
		if in {
			inSentence++
			inContext++
		} else if prev != nil && contains(prev.Places, p) {
			inContext++
		}
	}
	for _, n := range names {
		in := true
		switch {
		case s.Speaker == n:
			ent += 1
		case contains(s.People, n) && qu.speech:
			ent += 0.5
		case contains(s.People, n):
			ent += 1
		case prev != nil && contains(prev.People, n) && h.opensWithHeadOf(a, s, n):
			// "The International Seabed Authority ... The authority's
			// council meets again in Kingston": named again by its noun.
			ent += referredWeight
		default:
			in = false
		}
		if in {
			inSentence++
			inContext++
		} else if prev != nil && (contains(prev.People, n) || prev.Speaker == n) {
			inContext++
		}
	}
	return ent, inSentence, inContext
}

// ledeNames counts the question's places a sentence holds only through
// its article's lede.
func (h *Handlers) ledeNames(qu question, s *parley.Sentence, a *parley.Article) int {
	n := 0
	for _, p := range qu.places {
		if !contains(s.Places, p) && !h.affiliatedMention(s, p) && len(s.Places) == 0 && s.Position > 0 && contains(a.Sentences[0].Places, p) {
			n++
		}
	}
	return n
}

// spokenBy says a sentence carries the words of a question's names: it is
// speech, and its speaker is one of them (or of a place the question
// names), or unknown while the sentence names them ("Russia has
// repeatedly warned that ...").
func (h *Handlers) spokenBy(qu question, names []string, s *parley.Sentence) bool {
	if s.Kind == "" {
		return false
	}
	if s.Speaker == "" {
		return true
	}
	if slices.Contains(names, s.Speaker) || slices.Contains(qu.places, h.affiliationOf(s.Speaker)) {
		return true
	}
	// Words reported of them by another speaker: "a spokesperson said G7
	// foreign ministers “welcomed progress”".
	a, ok := h.corpus.Article(s.Article)
	if !ok {
		return false
	}
	text := a.Text[s.Start:s.End]
	for _, m := range h.facts(text).Mentions(h) {
		if slices.Contains(qu.places, m.Name) && speaksNext(text[m.End:]) {
			return true
		}
	}
	for _, n := range names {
		if at := h.nameAt(text, n); at >= 0 && speaksNext(text[at+len(n):]) {
			return true
		}
	}
	return false
}

// speaksNext says the words after a name are theirs: a quotation or a
// speech verb within three words.
func speaksNext(rest string) bool {
	i := 0
	for w := range strings.FieldsSeq(rest) {
		if i == 4 {
			break
		}
		i++
		if strings.ContainsAny(w, "“\"") {
			return true
		}
		switch strings.Trim(strings.ToLower(w), ",.") {
		case "said", "says", "welcomed", "warned", "called", "stressed", "told", "announced", "described", "urged",
			"insisted", "stated", "added", "argued", "claimed", "rejected", "denied":
			return true
		}
	}
	return false
}

// affiliatedMention: the sentence names someone of the place ("German
// Chancellor Friedrich Merz" is Germany even where Germany is not named).
func (h *Handlers) affiliatedMention(s *parley.Sentence, place string) bool {
	for _, n := range s.People {
		if h.affiliationOf(n) == place {
			return true
		}
	}
	return s.Speaker != "" && h.affiliationOf(s.Speaker) == place
}

// gate decides which candidates state what the question asks: its names,
// its key words and, for a question that wants a value (a count, a date, a
// place ...), a value of that kind bound to it. Key words count only where
// a sentence with the names and the value has them ("army" in "how many
// troops will ukraine's army have" is in no sentence with a count, so it
// does not hold back the sentence that has one).
func (h *Handlers) gate(ev *evidence) {
	qu := ev.qu
	wantsValue := qu.kind == kindCount || qu.kind == kindAmount || qu.kind == kindDuration || qu.kind == kindDate ||
		qu.kind == kindPlace || qu.kind == kindPerson || qu.kind == kindName
	if len(ev.absent) > 0 {
		ev.missing = "names"
		return
	}
	anyNames := false
	// Values are read only in the best candidates: reading a sentence for
	// them is most of what the gate costs.
	order := slices.Clone(ev.cands)
	sort.SliceStable(order, func(i, j int) bool {
		return order[i].score+featureBonus(qu.kind, order[i].s) > order[j].score+featureBonus(qu.kind, order[j].s)
	})
	read := 0
	for _, c := range order {
		if !c.names {
			continue
		}
		anyNames = true
		if wantsValue && read < maxRead {
			read++
			c.bound = h.bind(qu, c, ev.keys)
		}
	}
	if !anyNames {
		ev.missing = "names"
		return
	}
	h.revisions(ev)
	// The key terms any sentence with the names (and the value) holds.
	reach := make([]bool, len(ev.keys))
	for _, c := range ev.cands {
		if c.names && (!wantsValue || len(c.bound) > 0) && (literal(c) || c.ownNames) {
			for i, w := range c.matched {
				if w >= strongExpansion {
					reach[i] = true
				}
			}
		}
	}
	reachTotal := 0.0
	for i, k := range ev.keys {
		if reach[i] {
			reachTotal += k.weight
		}
	}
	bar := 0.5
	switch {
	case qu.kind == kindCount && qu.target != "" && len(qu.places)+len(qu.people) > 0:
		bar = 0 // names and what is counted, bound to a count, are the focus
	case qu.kind == kindCount && qu.target != "":
		bar = 0.34 // the count is bound to what it counts already
	}
	var ranked map[string]bool // read once the first candidate needs it
	anySubject, anyValue := false, false
	for _, c := range ev.cands {
		if !c.names {
			continue
		}
		cov := 1.0
		if reachTotal == 0 && len(ev.keys) > 0 && len(qu.places)+len(qu.people) == 0 && !h.saidOfValue(c, ev.keys) {
			// No sentence with a value holds a key word, and no name says
			// whose the value is: "how many people died in the drought"
			// is not answered by how many need food aid, unless the
			// value's clause says what was asked in words the lexicon
			// relates ("killing 2.1 million livestock" for "died").
			cov = 0
		}
		if reachTotal > 0 {
			cov = 0
			for i, k := range ev.keys {
				if reach[i] {
					cov += k.weight * c.matched[i]
				}
			}
			cov /= reachTotal
		}
		// Sentences about the subject, with or without the value.
		full := 0.0
		for i, k := range ev.keys {
			full += k.weight * c.matched[i]
		}
		keyTotal := 0.0
		for _, k := range ev.keys {
			keyTotal += k.weight
		}
		c.subject = keyTotal == 0 || full/keyTotal >= 0.5 || cov >= bar
		if c.subject {
			anySubject = true
			ev.mention[c.s.Article] = true
		}
		if wantsValue && len(c.bound) == 0 {
			continue
		}
		anyValue = true
		if qu.ranked != "" && ranked == nil {
			ranked = h.rankedTerms(qu.ranked)
		}
		if !requiredIn(qu, ev.keys, c) || qu.ranked != "" && !h.ranks(ranked, c) ||
			len(qu.condition) > 0 && !h.statesCondition(qu.condition, c) || qu.negated && !h.statesWhyNot(qu, ev.keys, c) {
			continue
		}
		countsTarget := qu.kind == kindCount && qu.target != "" && len(c.bound) > 0
		need := bar
		if (qu.kind == kindCount || qu.kind == kindAmount) && len(qu.places)+len(qu.people) > 0 && !c.ownNames && !owned(c.bound) && !h.eventPlaces(qu, c.a) {
			// The names come only from the article's lede or the sentence
			// before, and no name owns the value: the story's place is
			// not whose the count is ("how many trucks will kenya
			// receive" is not "the fund will pay for 4,000 water trucks"
			// in an article from Nairobi), unless the question's words
			// say it is.
			countsTarget, need = false, max(bar, 0.5)
		}
		if cov >= need && (literal(c) || countsTarget || c.ownNames || len(ev.keys) == 0) {
			c.pass = true
			ev.mention[c.s.Article] = true
			c.score += 0.15 * cov
			if len(c.bound) > 0 {
				c.score += 0.3
			}
		}
	}
	switch {
	case !anySubject && !anyValue:
		ev.missing = "key"
	case !anyValue:
		ev.missing = "value"
	default:
		ev.missing = "key"
	}
}

// referredWeight is what a key word counts for when it is in the sentence
// before, which the sentence refers back to: less than stating it.
const referredWeight = 0.8

// referredTerms are the index terms of the sentence before s in its
// paragraph when s opens by referring back to it ("The canal is planned
// to run ..." after a sentence naming the canal, "Its cost ...", "It
// ..."); nil otherwise.
func (h *Handlers) referredTerms(a *parley.Article, s *parley.Sentence) []parley.Token {
	if s.Position == 0 || s.Position >= len(a.Sentences) {
		return nil
	}
	prev := &a.Sentences[s.Position-1]
	if prev.Paragraph != s.Paragraph {
		return nil
	}
	text := strings.TrimLeft(a.Text[s.Start:s.End], "\"“ ")
	first, rest, _ := strings.Cut(text, " ")
	var head string
	switch {
	case strings.EqualFold(first, "its"), strings.EqualFold(first, "it"):
	case strings.EqualFold(first, "the"):
		// "The canal ..." after a sentence that names the canal: the
		// same thing, not just any "the".
		second, _, _ := strings.Cut(rest, " ")
		ts := h.termsOf(strings.TrimSuffix(strings.TrimSuffix(strings.Trim(second, ",.;:"), "'s"), "’s"))
		if len(ts) == 0 {
			return nil
		}
		head = ts[0]
	default:
		return nil
	}
	// The sentence before is read once, with what answers read of it.
	toks := h.facts(a.Text[prev.Start:prev.End]).Tokens(h)
	if head != "" && !slices.ContainsFunc(toks, func(t parley.Token) bool { return t.Term == head }) {
		return nil
	}
	return toks
}

// opensWithHeadOf says a sentence opens with "The" and the last word of a
// body's name ("The authority's council", "The court said"), naming the
// body again by its noun.
func (h *Handlers) opensWithHeadOf(a *parley.Article, s *parley.Sentence, name string) bool {
	p, ok := h.person(name)
	if !ok || !p.IsBody() {
		return false
	}
	// Only the first two words are read, not all the sentence split.
	var ws []string
	for w := range strings.FieldsSeq(strings.TrimLeft(a.Text[s.Start:s.End], "\"“ ")) {
		if ws = append(ws, w); len(ws) == 2 {
			break
		}
	}
	if len(ws) < 2 || !strings.EqualFold(ws[0], "the") {
		return false
	}
	head := strings.TrimSuffix(strings.TrimSuffix(strings.Trim(ws[1], ",.;:"), "'s"), "’s")
	return strings.EqualFold(head, lastWord(p.Name))
}

// travelWord: words of going somewhere, which say someone was not there
// when negated ("did not travel to London").
func travelWord(w string) bool {
	switch w {
	case "travel", "travelled", "traveled", "travelling", "traveling", "fly", "flew", "make", "made", "arrive", "arrived":
		return true
	}
	return false
}
