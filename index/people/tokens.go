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
//
// A full stop after a word in dotted ("Mr", "Sen") is read as a space, so
// "Mr. Macron" is "Mr Macron".
//
// The words are appended to buf[:0]: the passes read one sentence at a
// time and reuse one buffer (see reading).
func tokenize(buf []tok, text string, start, end int, open bool, dotted map[string]bool) (toks []tok, quotes []span, openEnd bool) {
	s := text[start:end]
	if n := len(s)/6 + 1; cap(buf) < n {
		buf = make([]tok, 0, n)
	}
	toks = buf[:0]
	qStart, qTok := -1, 0 // where the open quotation starts, and its first word
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
		r, size := utf8.DecodeRuneInString(raw)
		if (r == 'ʻ' || r == 'ʼ') && size < len(raw) {
			r, _ = utf8.DecodeRuneInString(raw[size:]) // "ʻAisake": the ʻokina opens the name
		}
		if sep := t.sep; strings.HasSuffix(sep, " '") || sep == "'" && len(toks) == 0 {
			if unicode.IsUpper(r) {
				// "Tonga's prime minister, 'Aisake Fusimalohi": an
				// apostrophe for the ʻokina opens the name; it is no
				// separator between the title and the name.
				t.sep = strings.TrimSuffix(sep, "'")
			}
		}
		t.cap = unicode.IsUpper(r)
		t.caps = t.cap && len(raw) > 1 && strings.ToUpper(raw) == raw && hasLetters(raw, 2)
		if t.sep == ". " && len(toks) > 0 && toks[len(toks)-1].cap && (dotted[toks[len(toks)-1].fold] || (initial(toks[len(toks)-1].raw) && t.cap)) {
			t.sep = " " // "Mr. Macron", "Donald J. Trump", "K. R. Venkataraman"
		}
		if t.sep == "' " && len(toks) > 0 && toks[len(toks)-1].poss {
			t.sep = " " // "Laos’ energy ministry": the apostrophe is the possessive
		}
		switch {
		case t.fold == "s" && len(toks) > 0 && t.sep == "'":
			// A possessive ’s becomes a flag on the word it belongs to.
			toks[len(toks)-1].poss = true
		case t.sep == "-" && len(toks) > 0 && toks[len(toks)-1].cap && !t.cap && syllable(toks, raw, t.fold):
			// "Min-ho" is one word of "Lee Min-ho", "Soo-yeon" of "Kim
			// Soo-yeon"; "US-led" and "Paris-based" are two.
			last := &toks[len(toks)-1]
			last.end = b
			last.raw = text[last.start:b]
			last.fold = places.Fold(last.raw)
		default:
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
				qStart, qTok, single = start+i, len(toks), false
			}
		case '”':
			if qStart >= 0 && !single {
				quotes = append(quotes, closeSpan(toks[qTok:], qStart, start+i))
				qStart = -1
			}
		case '"':
			if qStart < 0 {
				qStart, qTok, single = start+i, len(toks), false
			} else if !single {
				quotes = append(quotes, closeSpan(toks[qTok:], qStart, start+i))
				qStart = -1
			}
		case '‘':
			if qStart < 0 && (i == 0 || !isWordByte(s, i-1)) {
				qStart, qTok, single = start+i, len(toks), true
			}
		case '’':
			// An apostrophe stands between letters ("don’t") or after an s
			// ("allies’"); a closing single quote is followed by no letter.
			if qStart >= 0 && single {
				next, _ := utf8.DecodeRuneInString(s[i+len("’"):])
				if !unicode.IsLetter(next) {
					quotes = append(quotes, closeSpan(toks[qTok:], qStart, start+i))
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
		quotes = append(quotes, closeSpan(toks[qTok:], qStart, end))
		openEnd = true
	}
	return toks, quotes, openEnd
}

// syllable reports whether raw, a lower-case word after a hyphen, is the
// second syllable of a hyphenated given name ("Min-ho", "Soo-yeon",
// "Song-chol"): up to three letters after any capitalised word, or four or
// five after a short capitalised word that follows another (a family name
// and the first syllable), never an English word that follows names with a
// hyphen ("led", "backed", "style").
func syllable(toks []tok, raw, fold string) bool {
	if hyphenWords[fold] || strings.HasSuffix(fold, "ed") || strings.HasSuffix(fold, "ing") {
		return false
	}
	n := utf8.RuneCountInString(raw)
	if n <= 3 {
		return true
	}
	k := len(toks) - 1
	return n <= 5 && k > 0 && toks[k].place < 0 && utf8.RuneCountInString(toks[k].raw) <= 4 && toks[k].sep == " " &&
		toks[k-1].cap && !toks[k-1].caps && toks[k-1].place < 0
}

// initial reports whether raw is one capital letter ("J" of "Donald J.
// Trump").
func initial(raw string) bool {
	r, n := utf8.DecodeRuneInString(raw)
	return n == len(raw) && unicode.IsUpper(r)
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

// closeSpan measures a quotation whose words are toks. It is a title when
// every word is capitalised but for short joining words (“Multinational
// Force for Ukraine”).
func closeSpan(toks []tok, a, b int) span {
	sp := span{start: a, end: b, title: len(toks) > 0, words: len(toks)}
	for _, t := range toks {
		if !t.cap && !titleJoiners[t.fold] {
			sp.title = false
		}
	}
	return sp
}

var titleJoiners = map[string]bool{"of": true, "the": true, "and": true, "for": true, "in": true, "on": true, "to": true, "a": true, "an": true, "at": true, "de": true}

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

// sepOK reports whether toks[x] and toks[x+1] are one phrase: a space, a
// hyphen ("far-right leader"), or the dot and space after an abbreviation
// ("U.K. Prime Minister").
func sepOK(toks []tok, x int) bool {
	s := toks[x+1].sep
	return s == " " || s == "-" || (s == ". " && toks[x].place >= 0)
}

// span is the text of toks[a:b] as written ("Jean-Marc Ayrault"), with
// the full stop of a suffix ("Walter Hargrove Jr.").
func (r *run) span(st *sent, a, b int) string {
	text := r.arts[st.art].Text
	end := st.toks[b-1].end
	if b-a > 1 && r.e.lx.suffixes[st.toks[b-1].fold] && end < len(text) && text[end] == '.' {
		end++
	}
	return text[st.toks[a].start:end]
}

func raws(toks []tok) []string {
	out := make([]string, len(toks))
	for i, t := range toks {
		out[i] = t.raw
	}
	return out
}

func isDigit(s string) bool { return s != "" && s[0] >= '0' && s[0] <= '9' }

// markPlaces notes on each word the place match covering it; matches and
// words are both in text order, so one sweep does it. start is the
// sentence's offset in its article.
func markPlaces(st *sent, start int) {
	ti := 0
	for pi, m := range st.places {
		for ti < len(st.toks) && st.toks[ti].start < start+m.Start {
			ti++
		}
		for ti < len(st.toks) && st.toks[ti].end <= start+m.End {
			st.toks[ti].place = pi
			ti++
		}
	}
}
