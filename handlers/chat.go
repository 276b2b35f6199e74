package handlers

import (
	"strings"
	"unicode/utf8"

	"github.com/parley-bot/parley"
)

// chatSpellings are the ways people type a question word with its verb in
// chat, without the apostrophe or with it: "whats the plan", "wheres the
// next meeting", "hows the monitoring going to work".
var chatSpellings = map[string]string{
	"whats": "what is", "what's": "what is", "wats": "what is", "wat": "what", "wut": "what",
	"whos": "who is", "who's": "who is",
	"wheres": "where is", "where's": "where is",
	"whens": "when is", "when's": "when is",
	"hows": "how is", "how's": "how is",
	"whys": "why is", "why's": "why is",
}

// openers are the words that open a question; howWords those that follow
// "how" and say what is measured.
var (
	openers  = []string{"what", "which", "where", "when", "how", "who", "why"}
	howWords = []string{"many", "much", "long", "big", "far", "often", "large"}
)

// chatForms reads the question words of a line as people type them fast:
// chat spellings ("whats", "wheres"), and a typo of one edit in the word
// that opens the question ("wich", "hw", "whta") or follows "how"
// ("meny"), when the typo is near exactly one such word and is no word of
// its own (an auxiliary, a filler such as "that", "then", "here").
// Everything else of the line is left as typed.
func chatForms(q string) string {
	fields := strings.Fields(q)
	changed := false
	for i, f := range fields {
		core := strings.TrimRight(f, "?!.,")
		low := strings.ToLower(strings.ReplaceAll(core, "’", "'"))
		fix, ok := chatSpellings[low]
		switch {
		case ok:
		case i == 0:
			fix = nearestOf(low, openers)
		case strings.EqualFold(fields[i-1], "how"):
			fix = nearestOf(low, howWords)
		}
		if fix != "" && fix != low {
			fields[i] = fix + f[len(core):]
			changed = true
		}
	}
	if !changed {
		return q
	}
	return strings.Join(fields, " ")
}

// nearestOf is the one word of list that w is a typo of (one edit, or two
// neighbouring letters swapped), "" when none or several are, or when w is
// a word of its own.
func nearestOf(w string, list []string) string {
	if len(w) < 2 || auxiliary(w) || questionWord(w) || fillerWord(w) || commonNear(w) {
		return ""
	}
	found, n := "", utf8.RuneCountInString(w)
	for _, x := range list {
		if x == w {
			return ""
		}
		if d := n - utf8.RuneCountInString(x); d < -1 || d > 1 {
			continue // one edit or swap changes the length by a letter at most
		}
		if parley.EditDistance(w, x) == 1 || swapped(w, x) {
			if found != "" {
				return "" // "whay": what or why
			}
			found = x
		}
	}
	return found
}

// commonNear are the English words one edit from a question word ("then",
// "here", "now", "hot") or from a word that follows "how" ("bag", "log"):
// a line may open with them as they are, so they are never read as typos.
func commonNear(w string) bool {
	switch w {
	case "then", "here", "hew", "hoe", "hot", "hop", "ho", "now", "hen", "hog", "wow", "vow", "whom", "hat", "chat",
		"wheat", "whet", "whit", "whey", "wh",
		"mans", "bag", "beg", "bog", "bug", "log", "lone", "song", "fat":
		return true
	}
	return false
}

// swapped says a and b differ by two neighbouring letters swapped ("whta").
func swapped(a, b string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := 0; i+1 < len(a); i++ {
		if a[i] != b[i] {
			return a[i] == b[i+1] && a[i+1] == b[i] && a[i+2:] == b[i+2:]
		}
	}
	return false
}
