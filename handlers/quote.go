package handlers

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/parley-bot/parley"
)

// quoters are the people a /quote subject stands for: a person, a
// country's or organisation's people, or whoever holds a role ("the nato
// chief", "us envoys"); label names them in a lead.
func (h *Handlers) quoters(q string) (people []parley.Person, label string, ok bool) {
	if sub, ok := h.resolve(q); ok {
		if sub.isPerson {
			p := h.corpus.People()[sub.person]
			return []parley.Person{p}, p.Name, true
		}
		return h.peopleOfPlace(sub.place), "the people of " + withArticle(sub.place), true
	}
	qu := h.analyse(q)
	if len(qu.people) > 0 {
		return nil, "", false
	}
	if people := h.byRole(qu.content, qu.places); len(people) > 0 {
		return people, quoteQuery(q), true
	}
	return nil, "", false
}

// splitTopic reads "/quote merz on troops" (also "about"): who is quoted
// and on what, when the words before "on" name someone.
func (h *Handlers) splitTopic(q string) (who, topic string, ok bool) {
	low := strings.ToLower(q)
	for _, sep := range []string{" on ", " about ", " re ", " regarding "} {
		i := strings.Index(low, sep)
		if i <= 0 || i+len(sep) >= len(q) {
			continue
		}
		who, topic = strings.TrimSpace(q[:i]), strings.TrimSpace(q[i+len(sep):])
		if _, _, ok := h.quoters(who); ok && topic != "" {
			return who, topic, true
		}
	}
	return "", "", false
}

// quoteOn answers "/quote PERSON on TOPIC": their words that state the
// topic (its words, or words the lexicon relates to them), best first.
// When they say nothing on it: not covered, with their other words as
// related passages.
func (h *Handlers) quoteOn(ctx context.Context, who, topic string, ans *parley.Answer) error {
	people, label, _ := h.quoters(who)
	qu := h.analyse(topic)
	var typed []string
	var expand []parley.Expansion
	want, literal := map[string]bool{}, map[string]bool{}
	for _, w := range qu.content {
		lw := strings.ToLower(w)
		typed = append(typed, w)
		for _, t := range h.analysed(lw) {
			want[t], literal[t] = true, true
		}
		for _, e := range h.corpus.Expand(lw) {
			if e.Weight >= strongExpansion {
				expand = append(expand, e)
				want[e.Term] = true
				literal[e.Term] = literal[e.Term] || e.Weight >= 0.9 // another form of the word
			}
		}
	}
	topicPeople := h.names(qu.people) // "/quote starmer on putin"
	if len(topicPeople) > 0 && len(typed) == 0 {
		typed = topicPeople
	}
	type hitAt struct {
		s     *parley.Sentence
		score float64
	}
	var found []hitAt
	for _, p := range people {
		q := parley.Query{Text: strings.Join(typed, " "), Expand: expand, Speaker: p.Name, Size: 50}
		if len(qu.places) > 0 {
			// A place may be named in the sentence before the quote
			// ("... Greenland ... Macron told French television, “...”"):
			// read all their words and look around each.
			q = parley.Query{Speaker: p.Name, Size: 200}
		}
		hits, err := h.corpus.Search(ctx, q)
		if err != nil {
			return err
		}
		for _, hit := range hits {
			// A word of the topic as typed (or another form of it) must be
			// there: related words rank, but "any country" is not "land".
			states := slices.ContainsFunc(hit.Matched, func(m string) bool { return literal[m] })
			for _, pl := range qu.places {
				states = states || h.placeAround(hit.Sentence, pl)
			}
			for _, n := range topicPeople {
				states = states || contains(hit.Sentence.People, n) && n != p.Name
			}
			if !states {
				continue
			}
			score := hit.Score
			if hit.Sentence.Kind == parley.SpeechQuote {
				score *= 1.2 // their own words before reported speech
			}
			found = append(found, hitAt{hit.Sentence, score})
		}
	}
	sort.SliceStable(found, func(i, j int) bool { return ranksBefore(found[i].s, found[i].score, found[j].s, found[j].score) })
	ranked := make([]*parley.Sentence, len(found))
	for i, f := range found {
		ranked[i] = f.s
	}
	ans.People = people
	ans.Citations = h.cite(ranked, h.wanted(ans))
	if len(ans.Citations) == 0 {
		h.notCovered(ans, fmt.Sprintf("The articles don't quote %s on %s.", label, quoteQuery(topic)), topic)
		ans.People = people
		other, err := h.interleave(ctx, people, len(people), true)
		if err != nil {
			return err
		}
		ans.Related = h.cite(other, 3)
		return nil
	}
	ans.Lead = fmt.Sprintf("What %s said on %s:", label, quoteQuery(topic))
	return nil
}

// quoteBeyondNames answers /quote for what names no one the articles know:
// a role ("the nato chief", "us envoys"), else a topic ("/quote
// ceasefire"): the quotes and reported speech that state it, whoever
// spoke.
func (h *Handlers) quoteBeyondNames(ctx context.Context, q string, ans *parley.Answer) error {
	if people, label, ok := h.quoters(q); ok {
		ranked, err := h.interleave(ctx, people, len(people), true)
		if err != nil {
			return err
		}
		ans.People = people
		ans.Citations = h.cite(ranked, h.wanted(ans))
		if len(ans.Citations) == 0 {
			h.notCovered(ans, fmt.Sprintf("The articles don't quote %s.", nameList(people, 4)), q)
			ans.People = people
			return nil
		}
		var names []string
		for _, p := range people {
			names = append(names, p.Name)
		}
		ans.Lead = fmt.Sprintf("What %s said (%s):", joinAnd(names), label)
		return nil
	}
	if people, err := h.namedBeside(ctx, q); err != nil || len(people) > 0 {
		if err != nil {
			return err
		}
		ranked, err := h.interleave(ctx, people, len(people), true)
		if err != nil {
			return err
		}
		if len(ranked) > 0 {
			ans.People = people
			ans.Citations = h.cite(ranked, h.wanted(ans))
			var names []string
			for _, p := range people {
				names = append(names, p.Name)
			}
			ans.Lead = fmt.Sprintf("What %s said (%s):", joinAnd(names), quoteQuery(q))
			return nil
		}
	}
	qu := h.analyse(q)
	qu.kind = kindAny
	ev, err := h.gather(ctx, qu, "")
	if err != nil {
		return err
	}
	var spoken []*parley.Sentence
	for _, c := range ev.pass {
		if c.s.Kind != "" {
			spoken = append(spoken, c.s)
		}
	}
	if len(spoken) == 0 {
		if len(ev.pass) == 0 {
			h.notCoveredEvidence(ans, ev)
		} else {
			h.notCovered(ans, fmt.Sprintf("The articles quote no one on %s.", quoteQuery(q)), q)
			ans.Related = h.cite(candSentences(ev.pass), 3)
		}
		if strings.HasPrefix(ans.Lead, "The articles don't cover") {
			ans.Lead = fmt.Sprintf("The articles quote no one called or on %s. Try one of the suggestions.", quoteQuery(q))
		}
		return nil
	}
	ans.Citations = h.cite(spoken, h.wanted(ans))
	ans.People = h.peopleOf(ans.Citations)
	ans.Lead = fmt.Sprintf("What was said on %s%s:", quoteQuery(q), h.corroboration(ans.Citations[0]))
	return nil
}

// placeAround says a sentence, or the one before it in its paragraph,
// names a place.
func (h *Handlers) placeAround(s *parley.Sentence, place string) bool {
	if contains(s.Places, place) {
		return true
	}
	a, ok := h.corpus.Article(s.Article)
	if !ok || s.Position == 0 {
		return false
	}
	prev := &a.Sentences[s.Position-1]
	return prev.Paragraph == s.Paragraph && contains(prev.Places, place)
}

// quotePlace answers /quote for a place no one in the articles speaks
// for: the quotes and reported speech said about it, in the sentence that
// names it or, with around, the next one in its paragraph ("... Greenland
// should become part of the United States. Macron told French television,
// “...”"). Without around (a place whose people say nothing), only what
// the sentences that name it say.
func (h *Handlers) quotePlace(ctx context.Context, place, prefix string, around bool, ans *parley.Answer) error {
	hits, err := h.corpus.Search(ctx, parley.Query{Places: []string{place}, Size: 50})
	if err != nil {
		return err
	}
	var spoken []*parley.Sentence
	seen := map[*parley.Sentence]bool{}
	add := func(s *parley.Sentence) {
		if s.Kind != "" && !seen[s] {
			seen[s] = true
			spoken = append(spoken, s)
		}
	}
	for _, hit := range hits {
		s := hit.Sentence
		add(s)
		if !around {
			continue
		}
		if a, ok := h.corpus.Article(s.Article); ok && s.Position+1 < len(a.Sentences) {
			if next := &a.Sentences[s.Position+1]; next.Paragraph == s.Paragraph && !turnsAway(a.Text[next.Start:next.End]) {
				add(next)
			}
		}
	}
	ans.Citations = h.cite(spoken, h.wanted(ans))
	if len(ans.Citations) == 0 {
		h.notCovered(ans, prefix+fmt.Sprintf("The articles quote no one of or on %s.", withArticle(place)), place)
		return nil
	}
	ans.People = h.peopleOf(ans.Citations)
	ans.Lead = prefix + fmt.Sprintf("What was said on %s:", withArticle(place))
	return nil
}

// turnsAway says a sentence opens by turning from what the one before it
// was about ("However, despite these distractions, ...").
func turnsAway(text string) bool {
	ws := words(strings.ToLower(text))
	if len(ws) == 0 {
		return false
	}
	switch ws[0] {
	case "however", "but", "meanwhile", "still", "nevertheless", "nonetheless", "despite", "yet", "separately", "elsewhere", "instead":
		return true
	}
	return false
}

// namedBeside finds who a role describes where the articles write the
// role beside the name ("NATO chief Mark Rutte", "Mark Rutte, NATO's
// chief") though the role kept for the person is another ("Secretary
// General"): every word of the typed role, places included, within a few
// words of the name in one sentence.
func (h *Handlers) namedBeside(ctx context.Context, q string) ([]parley.Person, error) {
	qu := h.analyse(q)
	if len(qu.people) > 0 {
		return nil, nil
	}
	var role []string
	for _, w := range qu.content {
		if lw := strings.ToLower(w); !fillerWord(lw) && !questionWord(lw) && !isArticle(lw) {
			role = append(role, lw)
		}
	}
	if len(role) == 0 || !h.namesARole(role) {
		return nil, nil // "/quote drought fund" is a topic, not someone
	}
	hits, err := h.corpus.Search(ctx, parley.Query{Text: strings.Join(role, " "), Places: qu.places, Size: 50})
	if err != nil {
		return nil, err
	}
	var out []parley.Person
	seen := map[string]bool{}
	for _, hit := range hits {
		s := hit.Sentence
		a, ok := h.corpus.Article(s.Article)
		if !ok {
			continue
		}
		text := a.Text[s.Start:s.End]
		for _, n := range s.People {
			p, ok := h.person(n)
			if !ok || seen[n] || p.IsBody() {
				continue
			}
			at := h.nameAt(text, n)
			if at < 0 {
				continue
			}
			end := at + len(lastWord(p.Name)) // nameAt finds the full name or the surname
			if strings.HasPrefix(text[at:], p.Name) {
				end = at + len(p.Name)
			}
			near := h.nearTerms(text, at, end, maxRoleDistance+len(role)+len(qu.places))
			all := true
			for _, w := range role {
				ts := h.termsOf(w)
				all = all && len(ts) > 0 && near[ts[0]]
			}
			for _, pl := range qu.places {
				all = all && (p.Affiliation == pl || h.placeNear(text, at, end, pl, maxRoleDistance+len(role)))
			}
			if all {
				seen[n] = true
				out = append(out, p)
			}
		}
	}
	return out, nil
}

// nearTerms are the index terms of the n words before [at, end) in text
// and the n words after it.
func (h *Handlers) nearTerms(text string, at, end, n int) map[string]bool {
	near := map[string]bool{}
	before, after := tokenize(text[:at]), tokenize(text[end:])
	for i := max(0, len(before)-n); i < len(before); i++ {
		for _, t := range h.termsOf(before[i].raw) {
			near[t] = true
		}
	}
	for i := 0; i < len(after) && i < n; i++ {
		for _, t := range h.termsOf(after[i].raw) {
			near[t] = true
		}
	}
	return near
}

// placeNear says text names a place within n words of [at, end).
func (h *Handlers) placeNear(text string, at, end int, place string, n int) bool {
	for _, m := range h.corpus.PlaceMentions(text) {
		if m.Name != place {
			continue
		}
		switch {
		case m.End <= at && len(tokenize(text[m.End:at])) <= n, m.Start >= end && len(tokenize(text[end:m.Start])) <= n:
			return true
		}
	}
	return false
}

// namesARole says typed words hold a word of a role: one of the roles the
// articles give people ("commissioner", "secretary") or a word for a
// person ("chief", "spokeswoman").
func (h *Handlers) namesARole(typed []string) bool {
	want := map[string]bool{}
	for _, w := range typed {
		if isPersonNoun(w) {
			return true
		}
		for _, t := range h.termsOf(w) {
			want[t] = true
		}
	}
	roles := h.roleTerms()
	for t := range want {
		if roles[t] {
			return true
		}
	}
	return false
}

// roleTerms are the terms of the roles the articles give people, read
// once: binding a person reads them for most candidates.
func (h *Handlers) roleTerms() map[string]bool {
	h.roles.once.Do(func() {
		h.roles.terms = map[string]bool{}
		for _, p := range h.corpus.People() {
			for _, t := range h.corpus.Terms(p.Role) {
				h.roles.terms[t] = true
			}
		}
	})
	return h.roles.terms
}
