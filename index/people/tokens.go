package people

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/parley-bot/parley/index/places"
)

// tok is one word of a sentence.
type tok struct {
	start, end int // byte offsets in the article text
	raw, fold  string
	cap        bool   // starts with an upper-case letter
	caps       bool   // two or more letters, all upper case ("NATO", "TRUMP")
	sep        string // what stands between the previous word and this one, normalised
	quoted     bool   // inside quotation marks
	poss       bool   // followed by a possessive 's or ’
	place      int    // index of the place match covering it, or -1
}

// span is a quotation: text[start:end] between its marks.
type span struct {
	start, end int
	words      int
	title      bool // every word capitalised: a name in quotes, not speech
}

// tokenize splits text[start:end] into words; text is the whole article so
// that offsets stay absolute. open says whether a quotation is open when
// the sentence starts; the quotations and whether one is still open at the
// end are returned.
func tokenize(text string, start, end int, open bool) (toks []tok, quotes []span, openEnd bool) {
	s := text[start:end]
	qStart := -1
	if open {
		qStart = start
	}
	single := false // the open quotation began with ‘
	wordStart := -1
	prevEnd := start
	flush := func(i int) {
		if wordStart < 0 {
			return
		}
		a, b := start+wordStart, start+i
		raw := text[a:b]
		t := tok{start: a, end: b, raw: raw, fold: places.Fold(raw), sep: normSep(text[prevEnd:a]), quoted: qStart >= 0, place: -1}
		r, _ := utf8.DecodeRuneInString(raw)
		t.cap = unicode.IsUpper(r)
		t.caps = t.cap && len(raw) > 1 && strings.ToUpper(raw) == raw && hasLetters(raw, 2)
		// A possessive ’s becomes a flag on the word it belongs to.
		if (t.fold == "s") && len(toks) > 0 && (t.sep == "'") && toks[len(toks)-1].end == a-len(text[prevEnd:a]) {
			toks[len(toks)-1].poss = true
		} else {
			toks = append(toks, t)
		}
		prevEnd = b
		wordStart = -1
	}
	for i, r := range s {
		word := unicode.IsLetter(r) || unicode.IsDigit(r) || (wordStart >= 0 && unicode.Is(unicode.Mn, r))
		if word {
			if wordStart < 0 {
				wordStart = i
			}
			continue
		}
		flush(i)
		switch r {
		case '“':
			if qStart < 0 {
				qStart, single = start+i, false
			}
		case '”':
			if qStart >= 0 && !single {
				quotes = append(quotes, closeSpan(text, toks, qStart, start+i))
				qStart = -1
			}
		case '"':
			if qStart < 0 {
				qStart, single = start+i, false
			} else if !single {
				quotes = append(quotes, closeSpan(text, toks, qStart, start+i))
				qStart = -1
			}
		case '‘':
			if qStart < 0 && (i == 0 || !isWordByte(s, i-1)) {
				qStart, single = start+i, true
			}
		case '’':
			// An apostrophe stands between letters ("don’t") or after an s
			// ("allies’"); a closing single quote is followed by no letter.
			if qStart >= 0 && single {
				next, _ := utf8.DecodeRuneInString(s[i+len("’"):])
				if !unicode.IsLetter(next) {
					quotes = append(quotes, closeSpan(text, toks, qStart, start+i))
					qStart = -1
				}
			} else if len(toks) > 0 && toks[len(toks)-1].end == start+i {
				// "US’ toppling": a possessive without s.
				next, _ := utf8.DecodeRuneInString(s[i+len("’"):])
				if next == ' ' && strings.HasSuffix(toks[len(toks)-1].fold, "s") {
					toks[len(toks)-1].poss = true
				}
			}
		}
	}
	flush(len(s))
	if qStart >= 0 {
		quotes = append(quotes, closeSpan(text, toks, qStart, end))
		openEnd = true
	}
	return toks, quotes, openEnd
}

func isWordByte(s string, i int) bool {
	r, _ := utf8.DecodeLastRuneInString(s[:i+1])
	return unicode.IsLetter(r) || unicode.IsDigit(r)
}

func hasLetters(s string, n int) bool {
	c := 0
	for _, r := range s {
		if unicode.IsLetter(r) {
			c++
		}
	}
	return c >= n
}

func closeSpan(text string, toks []tok, a, b int) span {
	sp := span{start: a, end: b, title: true}
	for _, t := range toks {
		if t.start >= a && t.end <= b {
			sp.words++
			if !t.cap && len(t.raw) > 3 {
				sp.title = false
			}
		}
	}
	if sp.words == 0 {
		sp.title = false
	}
	return sp
}

// normSep makes the text between two words comparable: white space runs are
// one space, curly apostrophes straight, quotation marks kept.
func normSep(s string) string {
	if s == " " || s == "" {
		return s
	}
	var b strings.Builder
	space := false
	for _, r := range s {
		if unicode.IsSpace(r) {
			if !space {
				b.WriteByte(' ')
			}
			space = true
			continue
		}
		space = false
		switch r {
		case '’', '‘', 'ʼ':
			r = '\''
		case '‐', '‑':
			r = '-'
		}
		b.WriteRune(r)
	}
	return b.String()
}
