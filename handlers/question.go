package handlers

import (
	"iter"
	"slices"
	"strings"
	"unicode"

	"github.com/parley-bot/parley"
)

// kind is the kind of answer a question wants.
type kind int

const (
	kindAny          kind = iota
	kindCount             // how many troops: a number of something
	kindAmount            // how much: a sum of money, a share, an amount
	kindDuration          // how long
	kindDate              // when, what date, which day
	kindPlace             // where
	kindPerson            // who, which leader
	kindReason            // why
	kindOutcome           // what happens if
	kindYesNo             // did, will, is ...
	kindParticipants      // who attended, was there, took part, signed
	kindRole              // who is the NATO chief
	kindName              // what is the force called
)

func (k kind) String() string {
	return [...]string{"any", "count", "amount", "duration", "date", "place", "person", "reason", "outcome", "yes-no", "participants", "role", "name"}[k]
}

// question is what a typed question asks, read once: its kind, the names
// it holds, the thing it counts or measures, and its other content words.
type question struct {
	text string
	kind kind
	// money: "how much ... cost / spend / pay"; share: "how much of",
	// "what percentage of".
	money, share bool
	// target is the typed word a count is of ("troops" in "how many troops
	// will germany send"), "" when none.
	target string
	places []string
	people []int
	// content are the content words left once names and question words
	// are gone, as typed.
	content []string
	// speech: the question is about what someone said.
	speech bool
	// corrected: typos in content were replaced by the articles' words.
	corrected bool
	// dimension is what a measure is in ("length" for "how far", "how
	// tall"; "frequency" for "how often"), "" for a count or a sum.
	dimension, dimensionWord string
	// ranked is the noun a superlative of the question ranks ("hub" in
	// "the biggest military hub"), "" when it has none.
	ranked string
	// condition are the words of what an outcome question is conditional
	// on ("parliament", "votes" in "what happens if germanys parliament
	// votes no").
	condition []string
	// negated: a why question about something not done ("why didnt X
	// attend").
	negated bool
	// absence: a negated why question about not being there ("why didnt
	// X come"), which any word of presence answers ("did not travel").
	absence bool
	// verb is the verb of a who question ("pays" in "who pays for the
	// truce monitors"), which the answer must state.
	verb string
	// asksName: the question asks for a name ("what is the name of ..."),
	// which a description ("a French foreign ministry spokesperson") is not.
	asksName bool
	// role: the question asks who holds a role ("who are the gulf
	// donors"), answered by a name said beside the role's words.
	role bool
	// object, tense and precision are read of text once for every
	// passage: shareObject, tense, datePrecision.
	object    string
	tense     int
	precision string
}

// rankedNoun is the noun a superlative ranks in a question: "hub" in
// "whats the biggest military hub", "country" in "the largest country in
// the coalition"; "" when the question ranks nothing.
func (h *Handlers) rankedNoun(ws []string) string {
	l, ok := h.corpus.(parley.Lexical)
	if !ok {
		return ""
	}
	for i, w := range ws {
		if !l.Superlative(w) {
			continue
		}
		from := i + 1
		if w == "most" || w == "least" {
			from++ // "the most important issue"
		}
		noun := ""
		for _, x := range ws[min(from, len(ws)):] {
			if unitStop(x) || questionWord(x) || fillerWord(x) || auxiliary(x) || x == "of" {
				break
			}
			noun = x
		}
		return noun
	}
	return ""
}

// atTheEvent says the words after "at" or "in" in a question name the
// event: its noun or a word of its kind ("at the meeting", "at the
// vilnius talks"), or its place ("in paris").
func (h *Handlers) atTheEvent(ws []string, places []string) bool {
	event := h.event
	if event == "" {
		event = "meeting" // what news of a story's event is most often about
	}
	for i, w := range ws {
		if w != "at" && w != "in" {
			continue
		}
		for _, x := range ws[i+1:] {
			if x == event || x == "talks" || h.eventKinOf(x, event) {
				return true
			}
		}
		for _, a := range h.corpus.Articles() {
			if a.Event == nil {
				continue
			}
			for _, p := range places {
				if h.samePlace(p, a.Event.Place) {
					return true
				}
			}
			break
		}
	}
	return false
}

// namingVerb: the last word of "what is X called / named / known as".
func namingVerb(w, before string) bool {
	switch w {
	case "called", "named", "dubbed", "titled", "nicknamed":
		return true
	case "as":
		return before == "known"
	}
	return false
}

// dimensionOf is what "how WORD" measures, "" when it is no measure of
// its own ("how many", "how much", "how big" are counts and amounts).
func dimensionOf(w string) string {
	switch w {
	case "far", "tall", "high", "deep", "wide", "distant", "close", "near":
		return "length"
	case "heavy":
		return "weight"
	case "often", "frequently":
		return "frequency"
	case "old":
		return "age"
	}
	return ""
}

// measureNoun: nouns that ask how much when followed by "of" ("the size
// of", "the price of").
func measureNoun(w string) bool {
	switch w {
	case "size", "amount", "total", "value", "cost", "price", "budget", "bill", "sum", "scale", "strength":
		return true
	}
	return false
}

// words splits typed text into words, keeping inner apostrophes, hyphens
// and percent signs, and the point or comma inside a number ("2.4",
// "6,000").
func words(q string) []string { return slices.Collect(eachWord(q)) }

// eachWord yields the words of q as words splits them, for a caller that
// reads each in turn or only counts them: no slice is built (the gate
// reads the words between a value and a key word for every candidate).
func eachWord(q string) iter.Seq[string] {
	return func(yield func(string) bool) {
		start := -1
		prevDigit := false
		for i, r := range q {
			in := unicode.IsLetter(r) || unicode.IsDigit(r) || r == '\'' || r == '’' || r == '-' || r == '%'
			if !in && (r == '.' || r == ',') && prevDigit && i+1 < len(q) && q[i+1] >= '0' && q[i+1] <= '9' {
				in = true
			}
			switch {
			case in && start < 0:
				start = i
			case !in && start >= 0:
				if !yield(q[start:i]) {
					return
				}
				start = -1
			}
			prevDigit = unicode.IsDigit(r)
		}
		if start >= 0 {
			yield(q[start:])
		}
	}
}

// wordCount is len(words(q)).
func wordCount(q string) int {
	n := 0
	for range eachWord(q) {
		n++
	}
	return n
}

// auxiliary: the words that open a yes-no question.
func auxiliary(w string) bool {
	switch w {
	case "is", "are", "was", "were", "do", "does", "did", "will", "would", "can", "could", "should", "has", "have",
		"had", "may", "might", "must", "shall", "isn't", "aren't", "wasn't", "weren't", "didn't", "doesn't", "don't",
		"won't", "wouldn't", "can't", "hasn't", "haven't":
		return true
	}
	return false
}

// presenceVerb: verbs that ask who was at an event.
func presenceVerb(w string) bool {
	switch w {
	case "attend", "attended", "attends", "attending", "attendees", "participate", "participated", "participants",
		"participating", "took", "take", "taking", "showed", "show", "turned", "came", "come", "went", "go", "joined",
		"join", "gathered", "present", "there", "signed", "sign", "signing", "met", "meet", "spoke", "hosted", "host",
		"represented", "attendance", "signatories", "here":
		return true
	}
	return false
}

// costWord: words that make "how much" ask for a sum of money.
func costWord(w string) bool {
	switch w {
	case "cost", "costs", "costing", "spend", "spent", "spending", "pay", "paid", "paying", "worth", "price",
		"budget", "funded", "funding", "money", "finance", "financed", "dollars", "euros", "pounds":
		return true
	}
	return false
}

// analyse reads a question typed as people type in chat: lower case, no
// question mark, "whats", "did the us ...".
func (h *Handlers) analyse(q string) question {
	q = chatForms(q)
	qu := question{text: q, speech: asksForSpeech(q), object: shareObject(q), tense: tense(q), precision: datePrecision(q)}
	ws := words(strings.ToLower(strings.ReplaceAll(q, "’", "'")))
	for i, w := range ws {
		if n, ok := contraction(w); ok {
			ws[i] = n
		}
		switch w {
		case "whats", "what's", "wats", "wat":
			ws[i] = "what"
		case "whos", "who's":
			ws[i] = "who"
		case "wheres", "where's":
			ws[i] = "where"
		case "whens", "when's":
			ws[i] = "when"
		case "hows", "how's":
			ws[i] = "how"
		}
	}
	at := func(i int) string {
		if i < len(ws) {
			return ws[i]
		}
		return ""
	}
	has := func(w ...string) bool {
		for _, x := range ws {
			for _, y := range w {
				if x == y {
					return true
				}
			}
		}
		return false
	}
	first := at(0)
	kindWords := map[string]bool{}
	for i, w := range ws {
		switch {
		case w == "how" && (at(i+1) == "many" || at(i+1) == "much") && qu.kind == kindAny:
			if at(i+1) == "many" {
				qu.kind, qu.target = kindCount, nounPhrase(ws[min(i+2, len(ws)):])
			} else {
				qu.kind = kindAmount
				switch next := at(i + 2); {
				case next == "of":
					qu.share = true
				case costWord(next):
					qu.money = true
				case next != "" && !auxiliary(next) && !questionWord(next):
					qu.target = next // "how much ammunition"
				}
			}
		case w == "number" && at(i+1) == "of" && qu.kind == kindAny && i <= 3:
			qu.kind, qu.target = kindCount, nounPhrase(ws[min(i+2, len(ws)):])
		case (w == "percentage" || w == "percent" || w == "share" || w == "proportion" || w == "fraction") && qu.kind == kindAny && i <= 3:
			qu.kind, qu.share = kindAmount, true
		case w == "how" && (at(i+1) == "long" || at(i+1) == "soon" || at(i+1) == "quickly" || at(i+1) == "fast") && qu.kind == kindAny:
			// "how soon", "how quickly can the reserve deploy": within how
			// long ("within 72 hours").
			qu.kind = kindDuration
		case w == "how" && (at(i+1) == "big" || at(i+1) == "large") && qu.kind == kindAny:
			qu.kind = kindAmount
		case w == "how" && dimensionOf(at(i+1)) != "" && qu.kind == kindAny:
			// "how far inland", "how tall is the dam", "how often will
			// the board meet": a measure in units of its own.
			qu.kind, qu.dimension, qu.dimensionWord = kindAmount, dimensionOf(at(i+1)), at(i+1)
		case w == "name" && (at(i+1) == "of" || at(i+1) == "for") && qu.kind == kindAny && i <= 3 && first == "what":
			// "whats the name of the french foreign ministry spokesperson":
			// who, by name.
			qu.kind, qu.asksName = kindRole, true
			kindWords[w] = true
		case measureNoun(w) && at(i+1) == "of" && qu.kind == kindAny && i <= 3 && (first == "what" || first == "which"):
			// "what is the size of ukraine's army", "whats the price of
			// the military hubs": how much, asked with a noun.
			qu.kind, qu.money = kindAmount, costWord(w)
			kindWords[w] = true
		case (w == "maximum" || w == "minimum" || w == "max" || w == "min") && qu.kind == kindAny && i <= 3 && (first == "what" || first == "whats" || first == "which") &&
			at(i+1) != "" && !fillerWord(at(i+1)) && !auxiliary(at(i+1)):
			// "whats the maximum fine": the amount of the fine, which the
			// articles give as "a fine of up to 1 million pa'anga".
			qu.kind, qu.target, qu.money = kindAmount, at(i+1), costWord(at(i+1))
			kindWords[w] = true
		case measureNoun(w) && i == len(ws)-1 && i > 0 && !fillerWord(ws[i-1]) && !questionWord(ws[i-1]) && qu.kind == kindAny && (first == "what" || first == "which"):
			// "what was the earlier plan for the force size": the size
			// of the noun before it.
			qu.kind, qu.money, qu.target = kindAmount, costWord(w), ws[i-1]
			kindWords[w] = true
		}
	}
	if qu.kind == kindAmount && !qu.share && has("cost", "costs", "spend", "spent", "pay", "paid", "worth", "price", "budget", "funding", "money", "euros", "dollars") {
		qu.money = true
	}
	if qu.kind == kindAny && first == "how" && len(ws) > 2 {
		switch last := ws[len(ws)-1]; last {
		case "work", "works", "function", "operate", "run":
			// "how is the ceasefire monitoring going to work": how it is
			// meant to be, not the word "work".
			kindWords[last] = true
		}
	}
	if qu.kind == kindAny && first == "what" && len(ws) > 2 && namingVerb(ws[len(ws)-1], at(len(ws)-2)) {
		// "whats the multinational force called": a name.
		qu.kind = kindName
		kindWords[ws[len(ws)-1]] = true
	}
	if qu.kind == kindAny {
		switch {
		case first == "when" || (first == "what" || first == "which") && isDateNoun(at(1)) || has("when") && !has("what", "who") || first == "on" && isDateNoun(at(2)):
			qu.kind = kindDate
		case first == "where" || (first == "what" || first == "which") && isPlaceNoun(at(1)) || first == "in" && (at(1) == "what" || at(1) == "which") && isPlaceNoun(at(2)):
			qu.kind = kindPlace
		case first == "why" || first == "how" && at(1) == "come":
			qu.kind = kindReason
		case (first == "what" || first == "whats") && (at(1) == "happens" || at(1) == "happen" || at(1) == "would" || at(1) == "will") && has("if", "unless", "once", "after") ||
			has("if") && (has("happen", "happens", "happened") || first == "what"):
			qu.kind = kindOutcome
		case first == "who" || first == "whom" || first == "whose" || (first == "which" || first == "what") && isPersonNoun(at(1)):
			qu.kind = kindPerson
		case auxiliary(first):
			qu.kind = kindYesNo
		}
	}
	if qu.kind == kindPerson && (at(1) == "was" || at(1) == "were") && (at(2) == "at" || at(2) == "in" || at(2) == "present") {
		qu.kind = kindParticipants // "who was at the talks"
	}
	if qu.kind == kindPerson || qu.kind == kindAny && first == "which" {
		// "who attended", "which leaders were there", "who showed up in
		// paris": the people present, not anyone the passages name.
		for _, w := range ws[1:] {
			if presenceVerb(w) {
				qu.kind = kindParticipants
				break
			}
		}
	}
	if qu.kind == kindPerson && len(ws) >= 3 && (at(1) == "is" || at(1) == "was" || at(1) == "are" || at(1) == "s") {
		qu.kind = kindRole // "who is the nato chief": someone by their role
	}
	qu.ranked = h.rankedNoun(ws)
	if qu.kind == kindOutcome {
		// "what happens if germany's parliament votes no": what the
		// outcome is conditional on.
		for i, w := range ws {
			if w == "if" || w == "unless" || w == "once" {
				for _, x := range ws[i+1:] {
					if !questionWord(x) && !fillerWord(x) && !auxiliary(x) && !genericVerb(x) && len(x) > 2 {
						qu.condition = append(qu.condition, x)
					}
				}
				break
			}
		}
	}
	if qu.kind == kindReason {
		// "why didnt trump go to paris": the reason something was not done.
		for _, w := range ws[1:min(len(ws), 3)] {
			if strings.HasSuffix(w, "n't") || w == "not" {
				qu.negated = true
			}
		}
		if qu.negated {
			// "why didnt the italian foreign minister come": not being
			// there, however the articles say it ("did not travel to
			// London", "did not attend").
			for _, w := range ws[2:] {
				if w == "come" || w == "go" || w == "attend" || w == "show" || w == "travel" || w == "turn" {
					qu.absence = true
					kindWords[w] = true
				}
			}
		}
	}
	places, people, rest := h.entities(q)
	qu.places, qu.people = places, people
	if qu.kind == kindYesNo && len(people) > 0 && (first == "was" || first == "were") && h.atTheEvent(ws, places) {
		qu.kind = kindParticipants // "was zelensky at the meeting", "was kushner in paris"
	}
	if qu.kind == kindYesNo && len(people) > 0 {
		// "did rutte attend", "was starmer there": yes or no, from who the
		// articles place at the event.
		for _, w := range ws[1:] {
			if presenceVerb(w) && w != "there" && w != "meet" && w != "met" || w == "there" && (first == "was" || first == "were") {
				qu.kind = kindParticipants
				break
			}
		}
	}
	lowQ := " " + strings.Join(ws, " ") + " "
	for w := range eachWord(rest) {
		lw := strings.ToLower(w)
		if _, ok := contraction(lw); ok {
			continue // "isnt", "wont": negations and auxiliaries typed without an apostrophe
		}
		if particleOf(lowQ, lw) {
			continue // "took part", "take place": part of the verb
		}
		if questionWord(lw) || fillerWord(lw) || strings.Contains(lowQ, " how "+lw+" ") || qu.money && costWord(lw) || kindWords[lw] {
			continue // "how big", "how often": the kind of answer
		}
		qu.content = append(qu.content, w)
	}
	if qu.kind == kindPerson && len(ws) > 2 {
		// "who pays for the truce monitors", "who will lead the force":
		// the verb who is asked about.
		v := ws[1]
		if auxiliary(v) {
			v = ws[2]
		}
		if !questionWord(v) && !fillerWord(v) && !genericVerb(v) && !auxiliary(v) && slices.Contains(qu.content, v) {
			qu.verb = v
		}
	}
	if qu.kind == kindYesNo && len(people) == 0 && len(places) > 0 {
		// "did somalias president attend": whoever holds the role, when
		// the articles name them.
		for _, w := range ws[1:] {
			if presenceVerb(w) && w != "there" && w != "meet" && w != "met" {
				for _, p := range h.byRole(qu.content, places) {
					if i, ok := h.byName[p.Name]; ok && !p.IsBody() {
						qu.people = append(qu.people, i)
						qu.kind = kindParticipants
					}
				}
				break
			}
		}
	}
	if qu.kind == kindAmount && !qu.share && qu.target == "" && qu.dimension == "" {
		// "how big is the drought fund", "how much will the hubs cost":
		// the amount is the size of the last thing named.
		for i := len(qu.content) - 1; i >= 0; i-- {
			if w := strings.ToLower(qu.content[i]); !costWord(w) && !genericVerb(w) {
				qu.target = qu.content[i]
				break
			}
		}
	}
	return qu
}

// nounPhrase is what "how many" counts: the words after it up to a verb,
// an auxiliary or "of", at most two ("water trucks", "heads", "troops").
func nounPhrase(ws []string) string {
	var np []string
	for _, w := range ws {
		if len(np) == 2 || auxiliary(w) || questionWord(w) && w != "us" || w == "of" || pastForm(w) || strings.HasSuffix(w, "ing") ||
			presenceVerb(w) || w == "in" || w == "at" || w == "for" || w == "to" || w == "from" {
			break
		}
		np = append(np, w)
	}
	return strings.Join(np, " ")
}

// particleOf: a word that is part of a phrasal verb in the question ("part"
// in "took part", "place" in "took place").
func particleOf(q, w string) bool {
	if w != "part" && w != "place" {
		return false
	}
	for _, v := range []string{"take", "took", "taking", "takes", "taken"} {
		if strings.Contains(q, " "+v+" "+w+" ") {
			return true
		}
	}
	return false
}

// contraction reads a negated auxiliary typed without its apostrophe
// ("isnt", "wont", "didnt") as the word it is.
func contraction(w string) (string, bool) {
	switch w {
	case "isnt", "arent", "wasnt", "werent", "dont", "doesnt", "didnt", "wont", "wouldnt", "cant", "couldnt",
		"shouldnt", "hasnt", "havent", "hadnt", "mustnt":
		return strings.TrimSuffix(w, "nt") + "n't", true
	}
	return "", false
}

// isDateNoun: "what date", "which day", "what year".
func isDateNoun(w string) bool {
	switch w {
	case "date", "day", "days", "year", "month", "time", "week", "weekday":
		return true
	}
	return false
}

// eventVerb: verbs that only say an event took place somewhere or at some
// time ("which city hosted the talks", "when was the summit held"): in a
// where or when question they are the kind of answer, not its subject.
func eventVerb(w string) bool {
	switch w {
	case "host", "hosts", "hosted", "hosting", "hold", "holds", "held", "holding", "happen", "happens", "happened",
		"take", "takes", "took", "taken", "located", "occur", "occurs", "occurred", "staged", "convened":
		return true
	}
	return false
}

// isPlaceNoun: "which city", "what country".
func isPlaceNoun(w string) bool {
	switch w {
	case "city", "place", "capital", "venue", "location", "town":
		return true
	}
	return false
}

// isPersonNoun: "which leader", "what officials".
func isPersonNoun(w string) bool {
	switch w {
	case "leader", "leaders", "official", "officials", "person", "people", "minister", "ministers", "president",
		"presidents", "envoy", "envoys", "diplomat", "diplomats", "representative", "representatives", "chief",
		"head", "heads", "general", "generals", "negotiator", "negotiators", "spokesperson", "spokesman",
		"spokeswoman", "country", "countries", "nation", "nations":
		return true
	}
	return false
}

// fillerWord: chat words that carry no content ("whats", "pls", "exactly").
func fillerWord(w string) bool {
	switch w {
	case "whats", "what's", "wats", "wat", "who's", "whos", "pls", "plz", "exactly", "actually", "really",
		"ok", "okay", "hey", "hi", "so", "um", "uh", "like", "just", "any", "anyone", "anybody", "know", "does",
		"on", "in", "at", "for", "with", "by", "from", "and", "or", "this", "that", "these", "those", "their",
		"them", "its", "his", "her", "he", "she", "we", "get", "got", "going", "gonna", "if", "not", "no", "yes",
		"guys", "lol", "btw", "pls?", "thx", "thanks", "please", "quick", "question", "q", "tl", "dr", "tldr",
		"again", "now", "still", "ever", "yet", "else", "other", "there", "here", "some", "all", "more", "most":
		return true
	}
	return false
}
