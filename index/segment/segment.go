// Package segment splits an article into citable sentences with exact byte
// offsets, and keeps the lines that are not reporting (headings, adverts,
// promos, disclaimers, bylines, sign-offs) out of them.
//
// Sentence boundaries come from Unicode's sentence segmentation (UAX #29, as
// implemented by github.com/clipperhouse/uax29), which already handles quotes
// that close after a full stop and lower-case words after abbreviations. Two
// rules of English news writing are added on top: an initialism or title
// ("U.K.", "Mr.") followed by a name does not end a sentence, and a full stop
// with no space before a capital ("production.U.S. envoys") does.
package segment

import (
	"regexp"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/clipperhouse/uax29/v2/sentences"

	"github.com/parley-bot/parley"
)

// Options tune the rules for one article.
type Options struct {
	// Outlet is the article's outlet when known: a short last line naming it
	// is a sign-off, not reporting.
	Outlet string
}

// LineKind says what a line of an article is.
type LineKind int

// Kinds of lines.
const (
	Blank LineKind = iota
	Reporting
	ListItem
	Heading
	Advert
	Promo
	Disclaimer
	Byline
	SignOff
)

var lineKindNames = [...]string{"blank", "reporting", "list item", "heading", "advert", "promo", "disclaimer", "byline", "sign-off"}

func (k LineKind) String() string {
	if int(k) < len(lineKindNames) {
		return lineKindNames[k]
	}
	return "unknown"
}

// Citable reports whether sentences of such a line may be cited.
func (k LineKind) Citable() bool { return k == Reporting || k == ListItem }

// Line is one line of an article: Text[Start:End] with surrounding white
// space trimmed.
type Line struct {
	Kind       LineKind
	Start, End int
}

var (
	// A dateline opens a story: "PARIS —", "KYIV, Ukraine (AP) —".
	datelineRE = regexp.MustCompile(`^\p{Lu}[\p{Lu}\s.'’-]*(,\s*[\p{L}. ]+)?(\s*\([^)]{1,40}\))?\s*[—–-]{1,2}\s+`)
	// Outlets' disclaimers say that they do not share the views expressed.
	disclaimerRE = regexp.MustCompile(`(?i)(views|opinions)( and (views|opinions))? expressed|do(es)? not (necessarily |always )?(share|reflect|endorse|represent)|not responsible for the content|for informational purposes only|all rights reserved|©|\(c\) \d{4}`)
	advertRE     = regexp.MustCompile(`(?i)\b(advertisement|advertising|advert|sponsored( content)?|promoted|story continues below|continue reading|read more|related:?|also read)\b`)
	bylineRE     = regexp.MustCompile(`^(?i:by|written by|reporting by|words by)\s+\p{Lu}[\p{L}.'’-]*(\s+\p{Lu}[\p{L}.'’-]*){0,4}(\s*(,|and|in)\s+[\p{L} ]+)?\.?$`)
	listMarkRE   = regexp.MustCompile(`^([-–•*▪●]|\d{1,2}[.)])\s+`)
)

// title reports whether w (without its full stop) is a title that is
// written with one before a name ("Mr.", "Dr.").
func title(w string) bool {
	switch w {
	case "Mr", "Mrs", "Ms", "Dr", "St", "Sen", "Rep", "Gov", "Gen", "Lt", "Col", "Capt", "Prof", "Rev", "Sgt", "Maj", "Adm", "Cmdr", "Pres", "Amb",
		"Brig", "Cdr", "Hon", "Smt", "Shri", "Md", "Mohd":
		return true
	}
	return false
}

// initialism reports whether w is letters each followed by a full stop,
// two or more of them ("U.S.", "E.U.").
func initialism(w string) bool {
	if len(w) < 4 {
		return false
	}
	for i := 0; i < len(w); {
		r, n := utf8.DecodeRuneInString(w[i:])
		if !unicode.IsUpper(r) || i+n >= len(w) || w[i+n] != '.' {
			return false
		}
		i += n + 1
	}
	return true
}

// gluedStop finds a full stop glued to a capital after a lower-case word
// ("production.U.S. envoys"); it returns the index just after the stop, or -1.
func gluedStop(s string) int {
	for i := 2; i+1 < len(s); i++ {
		if s[i] != '.' {
			continue
		}
		next, _ := utf8.DecodeRuneInString(s[i+1:])
		p1, n1 := utf8.DecodeLastRuneInString(s[:i])
		p2, _ := utf8.DecodeLastRuneInString(s[:i-n1])
		if unicode.IsUpper(next) && unicode.IsLower(p1) && unicode.IsLower(p2) {
			return i + 1
		}
	}
	return -1
}

// lowerStart finds a sentence that starts in lower case by mistake
// ("approval. key obstacles"): a full stop after a lower-case word of four
// letters or more that is no abbreviation, then space and a lower-case
// letter. It returns the index just after the stop, or -1.
func lowerStart(s string) int {
	for i := 4; i+2 < len(s); i++ {
		if s[i] != '.' || s[i+1] != ' ' {
			continue
		}
		next, _ := utf8.DecodeRuneInString(strings.TrimLeft(s[i+1:], " "))
		if !unicode.IsLower(next) {
			continue
		}
		j := strings.LastIndexFunc(s[:i], func(r rune) bool { return !unicode.IsLower(r) }) + 1
		if utf8.RuneCountInString(s[j:i]) >= 4 && (j == 0 || s[j-1] == ' ') && !lowerAbbreviation(s[j:i]) {
			return i + 1
		}
	}
	return -1
}

// sentenceStarters are words that begin a new sentence after an initialism
// ends one ("...talks with the U.S. The meeting...").
func sentenceStarter(w string) bool {
	switch w {
	case "The", "This", "That", "These", "Those", "It", "He", "She", "They", "We", "I", "But", "And",
		"However", "In", "On", "At", "A", "An", "As", "After", "Before", "Meanwhile", "Still", "Yet",
		"Officials", "There", "Its", "His", "Her", "Their", "Our", "When", "While", "If", "Despite":
		return true
	}
	return false
}

// Lines classifies every line of text.
func Lines(text string, opts Options) []Line {
	var lines []Line
	for off := 0; off < len(text); {
		nl := strings.IndexByte(text[off:], '\n')
		end := len(text)
		if nl >= 0 {
			end = off + nl
		}
		s, e := trimSpan(text, off, end)
		lines = append(lines, Line{Start: s, End: e})
		off = end + 1
	}
	bylineSeen := false
	lastContent := -1
	for i := range lines {
		if lines[i].Start < lines[i].End {
			lastContent = i
		}
	}
	for i := range lines {
		l := &lines[i]
		t := text[l.Start:l.End]
		switch {
		case t == "":
			l.Kind = Blank
		case bylineSeen && wordCount(t) <= 8:
			l.Kind = SignOff
		default:
			l.Kind = classify(t, i == lastContent, opts)
		}
		if l.Kind == Byline {
			bylineSeen = true
		}
	}
	return lines
}

func classify(t string, last bool, opts Options) LineKind {
	words := wordCount(t)
	letters, upper := 0, 0
	for _, r := range t {
		if unicode.IsLetter(r) {
			letters++
			if unicode.IsUpper(r) {
				upper++
			}
		}
	}
	switch {
	case letters == 0:
		return Advert // a rule of dashes or stars: nothing to cite
	case words <= 6 && advertRE.MatchString(t):
		return Advert
	case maybeDisclaimer(t) && disclaimerRE.MatchString(t):
		return Disclaimer
	case words <= 10 && maybeByline(t) && bylineRE.MatchString(t):
		return Byline
	case words >= 3 && letters >= 12 && upper*10 >= letters*8:
		return Promo
	case last && words <= 8 && opts.Outlet != "" && strings.Contains(strings.ToLower(t), strings.ToLower(opts.Outlet)):
		return SignOff
	case listMarkRE.MatchString(t):
		return ListItem
	case strings.HasSuffix(t, ":") && words <= 4:
		return Heading
	case !endsSentence(t) && words <= 20:
		return Heading
	}
	return Reporting
}

// maybeDisclaimer and maybeByline are cheap tests that spare most lines
// the regular expressions.
func maybeDisclaimer(t string) bool {
	l := strings.ToLower(t)
	for _, k := range []string{"express", "not ", "reserved", "©", "(c)", "informational", "responsible"} {
		if strings.Contains(l, k) {
			return true
		}
	}
	return false
}

func maybeByline(t string) bool {
	l := strings.ToLower(t)
	for _, k := range []string{"by ", "written by", "reporting by", "words by"} {
		if strings.HasPrefix(l, k) {
			return true
		}
	}
	return false
}

func endsSentence(t string) bool {
	t = strings.TrimRight(t, `"'”’)»]`)
	r, _ := utf8.DecodeLastRuneInString(t)
	switch r {
	case '.', '!', '?', '…', ':', ';':
		return true
	}
	return false
}

func wordCount(t string) int { return len(strings.Fields(t)) }

func trimSpan(text string, s, e int) (int, int) {
	for s < e {
		r, n := utf8.DecodeRuneInString(text[s:e])
		if !unicode.IsSpace(r) && r != '\uFEFF' {
			break
		}
		s += n
	}
	for e > s {
		r, n := utf8.DecodeLastRuneInString(text[s:e])
		if !unicode.IsSpace(r) {
			break
		}
		e -= n
	}
	return s, e
}

// Split returns the citable sentences of an article in reading order, each
// with its byte range, its paragraph's byte range and its position.
func Split(id, text string, opts Options) []parley.Sentence {
	var out []parley.Sentence
	para := 0
	for _, l := range Lines(text, opts) {
		if !l.Kind.Citable() {
			continue
		}
		start := l.Start
		if m := listMarkRE.FindStringIndex(text[start:l.End]); m != nil && l.Kind == ListItem {
			start += m[1]
		}
		if m := datelineRE.FindStringIndex(text[start:l.End]); m != nil && m[1] < l.End-start {
			start += m[1]
		}
		n := 0
		for _, sp := range spans(text, start, l.End) {
			out = append(out, parley.Sentence{
				Article: id, Position: len(out), Paragraph: para,
				Start: sp[0], End: sp[1], ParagraphStart: l.Start, ParagraphEnd: l.End,
			})
			n++
		}
		if n > 0 {
			para++
		}
	}
	// Appending leaves up to half the array unused; a corpus keeps its
	// sentences as long as it serves (152 bytes each), so they are kept
	// in an array of their number.
	return slices.Clone(out)
}

// spans segments text[start:end] (one paragraph) into trimmed sentence ranges.
func spans(text string, start, end int) [][2]int {
	var raw [][2]int
	it := sentences.FromString(text[start:end])
	for it.Next() {
		s, e := start+it.Start(), start+it.End()
		// A full stop glued to a capital ends a sentence UAX #29 keeps going.
		for {
			cut := gluedStop(text[s:e])
			if cut < 0 || !gluedInitialism(text, s+cut) {
				break
			}
			raw = append(raw, [2]int{s, s + cut})
			s += cut
		}
		for {
			cut := lowerStart(text[s:e])
			if cut < 0 {
				break
			}
			raw = append(raw, [2]int{s, s + cut})
			s += cut
		}
		raw = append(raw, [2]int{s, e})
	}
	// Merge a sentence that ends with an initialism or title into the next
	// when the next goes on with a name.
	var merged [][2]int
	for _, r := range raw {
		if k := len(merged); k > 0 && continuesAfter(text[merged[k-1][0]:merged[k-1][1]], text[r[0]:r[1]]) {
			merged[k-1][1] = r[1]
			continue
		}
		merged = append(merged, r)
	}
	var out [][2]int
	for _, r := range merged {
		s, e := trimSpan(text, r[0], r[1])
		if hasWord(text[s:e]) {
			out = append(out, [2]int{s, e})
		}
	}
	return out
}

// gluedInitialism reports whether the capital at text[i:] starts a word (a
// name or an initialism such as "U.S."), so that the glued full stop before it
// really ends a sentence rather than sitting inside a domain name.
func gluedInitialism(text string, i int) bool {
	j := i
	for j < len(text) {
		r, n := utf8.DecodeRuneInString(text[j:])
		if !(unicode.IsLetter(r) || r == '.') {
			break
		}
		j += n
	}
	word := text[i:j]
	return strings.Contains(word, ".") && strings.ToUpper(word) == word || unicode.IsUpper(firstRune(word)) && j < len(text) && text[j] == ' '
}

// lowerAbbreviation lists the lower-case abbreviations long enough to look
// like the last word of a sentence.
func lowerAbbreviation(w string) bool {
	switch w {
	case "approx", "incl", "excl", "dept", "govt", "corp", "assn", "univ", "natl", "intl", "mins", "secs", "vols", "figs":
		return true
	}
	return false
}

func continuesAfter(prev, next string) bool {
	prev = strings.TrimRightFunc(prev, unicode.IsSpace)
	last := prev
	if i := strings.LastIndexFunc(prev, func(r rune) bool { return unicode.IsSpace(r) || strings.ContainsRune("(“\"‘'", r) }); i >= 0 {
		_, n := utf8.DecodeRuneInString(prev[i:])
		last = prev[i+n:]
	}
	if strings.HasSuffix(last, ".") && title(strings.TrimSuffix(last, ".")) {
		return true
	}
	w, _, _ := strings.Cut(strings.TrimSpace(next), " ")
	w = strings.TrimLeft(w, `"“‘'(`)
	if w == "" {
		return false
	}
	if initial(last) {
		// "Donald J. Trump", "S. Raghunathan", "K. R. Venkataraman": an
		// initial after a capitalised word (or at the start) and before a
		// name. "vitamin C. Prices rose" ends a sentence.
		before := strings.TrimRightFunc(strings.TrimSuffix(prev, last), unicode.IsSpace)
		if i := strings.LastIndexFunc(before, unicode.IsSpace); i >= 0 {
			before = before[i+1:]
		}
		return (before == "" || unicode.IsUpper(firstRune(before))) && unicode.IsUpper(firstRune(w)) && !sentenceStarter(w)
	}
	if !initialism(last) {
		return false
	}
	return unicode.IsUpper(firstRune(w)) && !sentenceStarter(w) || unicode.IsDigit(firstRune(w))
}

// initial reports whether w is one capital letter and a full stop ("J.").
func initial(w string) bool {
	r, n := utf8.DecodeRuneInString(w)
	return unicode.IsUpper(r) && w[n:] == "."
}

func firstRune(s string) rune {
	r, _ := utf8.DecodeRuneInString(s)
	return r
}

func hasWord(s string) bool {
	for _, r := range s {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			return true
		}
	}
	return false
}

// Title derives an article's title from its first sentence when there is no
// headline: at most max bytes, cut at a word boundary with "…".
func Title(first string, max int) string {
	first = strings.Join(strings.Fields(first), " ")
	if len(first) <= max {
		return first
	}
	cut := strings.LastIndexByte(first[:max], ' ')
	if cut <= 0 {
		cut = max
		for cut > 0 && !utf8.RuneStart(first[cut]) {
			cut--
		}
	}
	return strings.TrimRight(first[:cut], " ,;:—–-") + "…"
}
