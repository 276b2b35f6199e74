package handlers

import (
	"strings"

	"github.com/parley-bot/parley"
)

// reviseWord says a word tells of a figure being changed: "It later
// corrected the figure to 14", "the text cut the pause to 10 years", "an
// official revised that figure ... closer to 350".
func reviseWord(w string) bool {
	switch w {
	case "revised", "revise", "revises", "corrected", "correct", "corrects", "cut", "cuts", "raised", "raise",
		"raises", "lowered", "lower", "lowers", "reduced", "reduce", "reduces", "increased", "increase", "increases",
		"updated", "amended", "adjusted", "trimmed", "lifted", "changed", "shortened", "extended":
		return true
	}
	return false
}

// hedgeWord may stand between "to" and a figure: "to about 10 years".
func hedgeWord(w string) bool {
	switch w {
	case "about", "around", "some", "nearly", "almost", "roughly", "just", "approximately":
		return true
	}
	return false
}

// revisedTo finds, in a sentence, the figure that another is changed to:
// a value right after "to" ("to 14", "closer to 350", "to about 10
// years"), with a word of revising before it. ok is false when the
// sentence revises nothing.
func revisedTo(f *facts) (v value, ok bool) {
	ts := f.Words()
	all, _ := f.Amounts()
	for _, x := range all {
		if x.year {
			continue
		}
		seen, to := false, false
		for i, t := range ts {
			if t.start >= x.start {
				k := i - 1
				for k >= 0 && k >= i-3 && hedgeWord(ts[k].w) {
					k--
				}
				to = k >= 0 && ts[k].w == "to" && !ts[k].brk
				break
			}
			if reviseWord(t.w) {
				seen = true
			}
		}
		if seen && to {
			return x, true
		}
	}
	return value{}, false
}

// sameMeasure says a revised figure is a new value of what f measured:
// the same kind (a count, a duration, a sum of money, a share) and, when
// the new figure names what it counts, the same word for it.
func (h *Handlers) sameMeasure(f *found, v value) bool {
	old := f.amount
	if old.money != v.money || old.percent != v.percent {
		return false
	}
	if f.kind == kindDuration {
		return v.kind == kindDuration
	}
	if v.kind != kindCount {
		return false
	}
	if len(v.unit) == 0 || len(old.unit) == 0 || v.unit[0] == "of" || unitStop(v.unit[0]) {
		return true // "corrected the figure to 14": a bare number is the figure's
	}
	want := h.termsOf(old.unit[0])
	for _, t := range h.termsOf(v.unit[0]) {
		for _, w := range want {
			if t == w {
				return true
			}
		}
	}
	return false
}

// revisions reads, after the sentences that bind a figure, the sentence
// that follows each in its paragraph: when it changes that figure ("It
// later corrected the figure to 14", "The text put to leaders cut the
// pause to 10 years"), the figure it gives is the answer and the first is
// an earlier one. The revising sentence rarely repeats the question's
// words ("the figure", "the pause"), so it is taken in with what the
// sentence it revises matched.
func (h *Handlers) revisions(ev *evidence) {
	bySentence := make(map[*parley.Sentence]*cand, len(ev.cands))
	for _, c := range ev.cands {
		bySentence[c.s] = c
	}
	n := len(ev.cands)
	for _, c := range ev.cands[:n] {
		if len(c.bound) == 0 || c.s.Position+1 >= len(c.a.Sentences) {
			continue
		}
		next := &c.a.Sentences[c.s.Position+1]
		if next.Paragraph != c.s.Paragraph {
			continue
		}
		nf := h.facts(c.a.Text[next.Start:next.End])
		v, ok := revisedTo(nf)
		if !ok {
			continue
		}
		var old *found
		for _, f := range c.bound {
			if (f.kind == kindCount || f.kind == kindAmount || f.kind == kindDuration) && h.sameMeasure(f, v) {
				old = f
				break
			}
		}
		if old == nil {
			continue
		}
		old.superseded = true
		nc := bySentence[next]
		if nc == nil {
			nc = &cand{s: next, a: c.a, text: nf.text, f: nf, matched: c.matched, keyCov: c.keyCov,
				names: c.names, ownNames: c.ownNames, score: c.score}
			ev.cands = append(ev.cands, nc)
			bySentence[next] = nc
		}
		nc.score = max(nc.score, c.score+0.01) // the revision answers before what it revises
		nv := v
		if len(nv.unit) == 0 {
			nv.unit = old.amount.unit // what the figure counts, for comparing it with other reports
		}
		key := amountKey(nv)
		if old.kind == kindDuration && len(nv.unit) > 0 {
			key += " " + strings.TrimSuffix(nv.unit[0], "s")
		}
		for _, f := range nc.bound {
			if f.key == key {
				f.superseded = false
				key = ""
			}
		}
		if key != "" {
			nc.bound = append(nc.bound, &found{kind: old.kind, text: v.text, amount: nv, key: key, owner: old.owner})
		}
	}
}
