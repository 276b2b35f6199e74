package people

import "strings"

// Bounds that keep the work per sentence linear on pathological input (a
// sentence of ten thousand "he said"); real sentences stay far below them.
const (
	maxPronouns = 8  // pronouns resolved per sentence
	maxVerbs    = 8  // speech verbs examined per sentence
	maxLookback = 12 // sentences a pronoun looks back over
)

// speechAt reports whether a reporting verb stands at toks[k], after any
// adverbs ("also said", "has previously stated").
func (e *Extractor) speechAt(toks []tok, k int) bool {
	for k < len(toks) && adverbs[toks[k].fold] && !toks[k].quoted {
		k++
	}
	return k < len(toks) && !toks[k].quoted && !toks[k].cap && e.lx.speech[toks[k].fold]
}

// speech finds who speaks in sentence i and what kind of speech it is.
func (r *run) speech(i int) {
	st := &r.sents[i]
	e := r.e
	toks := st.toks
	anyQuote := false
	for _, q := range st.quotes {
		if q.title && q.words <= 4 {
			continue // a name in quotes: the “Multinational Force for Ukraine”
		}
		anyQuote = true
		if q.words >= 3 {
			st.hasSpeech = true
		}
	}
	verbs := 0
	for k, t := range toks {
		if t.quoted {
			continue
		}
		if t.fold == "according" && k+1 < len(toks) && toks[k+1].fold == "to" {
			st.speechVerb = true
			// "according to X", "according to a statement from X"
			found := false
			for x := k + 2; x < len(toks) && x <= k+7 && !found; x++ {
				if m, ok := mentionAt(st, x); ok {
					st.speaker, found = int32(m.person), true
				} else if toks[x].cap || strings.ContainsAny(toks[x].sep, ",;") {
					break
				}
			}
			if found {
				break
			}
			continue
		}
		if t.cap {
			continue
		}
		speech := e.lx.speech[t.fold]
		if !speech && !(anyQuote && e.lx.quoteVerbs[t.fold]) {
			continue
		}
		if verbs++; verbs > maxVerbs {
			break
		}
		if speech {
			st.speechVerb = true
		}
		if p := r.subjectOf(st, k); p >= 0 {
			st.speaker = int32(p)
			break
		}
	}
	if st.speaker < 0 {
		// "Starmer: “...”"
		for _, m := range st.ments {
			if m.end < len(toks) && strings.HasPrefix(toks[m.end].sep, ":") && strings.ContainsAny(toks[m.end].sep, "“\"") {
				st.speaker = int32(m.person)
			}
		}
	}
	switch {
	case st.speaker >= 0 && (anyQuote || st.openStart):
		st.kind = quote
	case st.speaker >= 0:
		st.kind = paraphrase
	case st.hasSpeech || (st.openStart && len(toks) >= 3):
		st.kind = quote
		st.hasSpeech = true
	case st.speechVerb:
		st.kind = paraphrase
	}
}

func mentionAt(st *sent, k int) (mention, bool) {
	for _, m := range st.ments {
		if m.first == k {
			return m, true
		}
	}
	return mention{}, false
}

func mentionEndingAt(st *sent, j int) (mention, bool) {
	for _, m := range st.ments {
		if m.end-1 == j {
			return m, true
		}
	}
	return mention{}, false
}

// subjectOf finds who does the speaking of the verb at toks[k]: "X said",
// "X, the envoy, said", "X's office said", "he added", "the envoy said",
// "“...,” said X".
func (r *run) subjectOf(st *sent, k int) int {
	toks := st.toks
	j := k - 1
	for j >= 0 && adverbs[toks[j].fold] && toks[j+1].sep == " " && !toks[j].quoted {
		j--
	}
	if j >= 0 && !toks[j].quoted {
		sep := toks[j+1].sep
		if sep == " " {
			if m, ok := mentionEndingAt(st, j); ok && !toks[j].poss {
				return m.person
			}
			if (toks[j].fold == "office" || toks[j].fold == "government") && j > 0 && toks[j-1].poss {
				// "Mr Macron's office said": an office has no voice of its own.
				if m, ok := mentionEndingAt(st, j-1); ok {
					return m.person
				}
			}
			if n, ph := r.e.matchRole(toks, j); n == 1 && j > 0 && toks[j-1].poss && strings.HasPrefix(ph.key, "spokes") {
				// "Saarinen's spokeswoman said": the spokeswoman speaks, for him.
				if m, ok := mentionEndingAt(st, j-1); ok && !r.persons[m.person].body {
					return r.spokesperson(st, m, j)
				}
			}
		}
		if strings.Contains(sep, ",") && !strings.ContainsAny(sep, "”\"’") {
			// "Brazil's leader, Joaquim Alves, said": the name is the apposition.
			if m, ok := mentionEndingAt(st, j); ok && m.first > 0 && strings.TrimSpace(toks[m.first].sep) == "," {
				return m.person
			}
			// Apposition: "Jared Kushner, Trump's envoy, said".
			for x := j; x >= 0 && j-x < 16; x-- {
				if strings.Contains(toks[x].sep, ",") {
					if x > 0 {
						if m, ok := mentionEndingAt(st, x-1); ok && m.subject {
							return m.person
						}
					}
					break
				}
			}
		}
	}
	if k+1 < len(toks) && (j < 0 || strings.ContainsAny(toks[k].sep, ",”\"’")) {
		// "“...,” said Middle East envoy Tomas Berg": the mention that
		// follows, titles and all.
		for _, m := range st.ments {
			if m.first <= k || m.first-k > 6 {
				continue
			}
			ok := true
			for x := k + 1; x <= m.first; x++ {
				ok = ok && toks[x].sep == " " && !toks[x].quoted
			}
			if ok && m.subject {
				return m.person
			}
			break
		}
	}
	if j > 0 && toks[j].fold == "who" && strings.Contains(toks[j].sep, ",") {
		// "Keir Starmer, who stated that ..."
		if m, ok := mentionEndingAt(st, j-1); ok {
			return m.person
		}
	}
	if (strings.HasSuffix(toks[k].fold, "ing") && strings.Contains(toks[k].sep, ",")) || (j >= 0 && j == k-1 && (toks[j].fold == "and" || toks[j].fold == "but") && !toks[j].quoted) {
		// "X attended the meeting and ..., stating that ...", "X welcomed
		// the offer, but said ...": the one subject named before the verb.
		who := -1
		for _, m := range st.ments {
			if m.end > k || !m.subject {
				continue
			}
			if who >= 0 && who != m.person {
				return -1
			}
			who = m.person
		}
		return who
	}
	return -1
}

// continues reports whether sentence j+1 goes on with a quotation still
// open at the end of sentence j: in the same paragraph, or in the next
// one when that opens with a quotation mark (the style for a quotation
// over several paragraphs).
func (r *run) continues(j int) bool {
	a, b := &r.sents[j], &r.sents[j+1]
	if !a.openEnd || a.art != b.art {
		return false
	}
	if b.openStart {
		return true
	}
	return b.para == a.para+1 && b.quoteFirst
}

// propagateQuotes gives a quotation's speaker to the sentences it runs
// over, and to quotations that follow it in the same paragraph with no
// attribution of their own.
func (r *run) propagateQuotes() {
	for i := 0; i < len(r.sents); {
		j := i
		for j+1 < len(r.sents) && r.continues(j) {
			j++
		}
		sp := int32(-1)
		for x := i; x <= j; x++ {
			if r.sents[x].speaker >= 0 {
				sp = r.sents[x].speaker
				break
			}
		}
		if sp >= 0 && j > i {
			for x := i; x <= j; x++ {
				if r.sents[x].speaker < 0 {
					r.sents[x].speaker, r.sents[x].kind = sp, quote
				}
			}
		}
		i = j + 1
	}
	for i := 1; i < len(r.sents); i++ {
		st, prev := &r.sents[i], &r.sents[i-1]
		if st.speaker < 0 && st.hasSpeech && !st.speechVerb && prev.art == st.art && prev.para == st.para && prev.speaker >= 0 && prev.kind == quote {
			st.speaker, st.kind = prev.speaker, quote
		}
	}
}

// spokesperson is the unnamed spokesperson of the person mentioned at m
// whose title is toks[j] ("Saarinen's spokeswoman"): a person of their
// own, of the principal's country, mentioned in the sentence.
func (r *run) spokesperson(st *sent, m mention, j int) int {
	principal := r.persons[m.person]
	t := st.toks[j]
	name := principal.canonical() + "’s " + strings.ToLower(t.raw)
	ev := evidence{role: t.raw, roleKey: t.fold, gender: r.e.lx.gendered[t.fold], affil: principal.affiliation()}
	p := r.unnamed(name, ev, st)
	st.ments = append(st.ments, mention{person: p, first: m.first, name: -1, end: j + 1, subject: true})
	return p
}
