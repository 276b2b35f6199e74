package handlers

// SameThing exposes near-duplicate detection to tests.
func SameThing(a, b string) bool { return sign(a).same(sign(b)) }

// WithArticle exposes the place-name article rule to tests.
func WithArticle(place string) string { return withArticle(place) }

// KindOf exposes question reading to tests: the kind of answer a question
// wants and what it counts or measures.
func (h *Handlers) KindOf(q string) (kind, target string) {
	qu := h.analyse(q)
	return qu.kind.String(), qu.target
}

// ResolvedDates exposes date reading to tests: each date a sentence states
// as written and as resolved against ref (YYYY-MM-DD; "" for none).
func ResolvedDates(sentence, ref string) [][2]string {
	var r reference
	if t, ok := parseDate(ref); ok {
		r = reference{t: t, ok: true}
	}
	var out [][2]string
	for _, d := range dates(sentence, r) {
		out = append(out, [2]string{d.text, d.resolved})
	}
	return out
}

// Superseded exposes which amounts of a sentence it calls earlier.
func Superseded(sentence string) map[string]bool {
	vs := amounts(sentence)
	older := supersededIn(sentence, vs)
	out := map[string]bool{}
	for i, v := range vs {
		out[v.text] = older[i]
	}
	return out
}

// EventNoun exposes how an event's name is read for the noun it is named by.
func EventNoun(name string) string { return eventNoun(name) }

// LimitFacts makes the cache of sentences' facts hold at most n.
func (h *Handlers) LimitFacts(n int) { h.memo.limit = int64(n) }
