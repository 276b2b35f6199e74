package slack

import (
	"encoding/binary"
	"strings"
	"time"
	"unicode/utf8"
)

// escape makes text from people or articles inert in mrkdwn: Slack reads
// <...> as links and mentions (<!channel>, <@U123>) and & as the start of
// an entity, so those three characters become entities. Invalid UTF-8 and
// control characters (other than new lines and tabs) become spaces or
// U+FFFD, so that nothing a person types reaches Slack raw.
func escape(s string) string {
	i := 0
	for i < len(s) {
		c := s[i]
		if c < utf8.RuneSelf {
			if c == '&' || c == '<' || c == '>' || (c < 0x20 && c != '\n' && c != '\t') || c == 0x7f {
				break
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if (r == utf8.RuneError && size == 1) || r < 0xa0 || r == '\u2028' || r == '\u2029' {
			break
		}
		i += size
	}
	if i == len(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 16)
	b.WriteString(s[:i])
	for _, r := range s[i:] {
		switch {
		case r == '&':
			b.WriteString("&amp;")
		case r == '<':
			b.WriteString("&lt;")
		case r == '>':
			b.WriteString("&gt;")
		case r == utf8.RuneError:
			b.WriteRune(utf8.RuneError)
		case (r < 0x20 && r != '\n' && r != '\t') || r == 0x7f || (r >= 0x80 && r < 0xa0) || r == '\u2028' || r == '\u2029':
			b.WriteByte(' ')
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// plain makes text from people or articles fit for a plain_text object:
// Slack shows it as it is, so only invalid UTF-8 and control characters
// (other than new lines and tabs) need replacing, as escape does.
func plain(s string) string {
	if isPlain(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		switch {
		case r == utf8.RuneError:
			b.WriteRune(utf8.RuneError)
		case (r < 0x20 && r != '\n' && r != '\t') || (r >= 0x7f && r < 0xa0) || r == '\u2028' || r == '\u2029':
			b.WriteByte(' ')
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// isPlain reports whether plain leaves s as it is. Text from articles is
// mostly printable ASCII, skipped a word at a time.
func isPlain(s string) bool {
	for i := 0; i < len(s); {
		i += printableWords(s[i:])
		if i == len(s) {
			break
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError || (r < 0x20 && r != '\n' && r != '\t') || (r >= 0x7f && r < 0xa0) || r == '\u2028' || r == '\u2029' {
			return false
		}
		i += size
	}
	return true
}

// unescape undoes Slack's own escaping of &, < and > in the text it sends
// (messages and slash command text), so that queries read as typed; escape
// is applied again to whatever is echoed.
func unescape(s string) string {
	if !strings.Contains(s, "&") {
		return s
	}
	s = strings.ReplaceAll(s, "&lt;", "<")
	s = strings.ReplaceAll(s, "&gt;", ">")
	return strings.ReplaceAll(s, "&amp;", "&")
}

// linkURL makes a URL safe inside <url|label>.
func linkURL(u string) string {
	if !strings.HasPrefix(u, "https://") && !strings.HasPrefix(u, "http://") {
		return ""
	}
	if !strings.ContainsAny(u, "&<>| \n\r") {
		return u
	}
	r := strings.NewReplacer("&", "&amp;", "<", "%3C", ">", "%3E", "|", "%7C", " ", "%20", "\n", "", "\r", "")
	return r.Replace(u)
}

// utf16Len counts UTF-16 code units, the unit Slack's limits are safest in.
func utf16Len(s string) int {
	n := 0
	for _, r := range s {
		if r >= 0x10000 {
			n += 2
		} else {
			n++
		}
	}
	return n
}

// prefixWithin returns the largest byte index i at a rune boundary such that
// utf16Len(s[:i]) <= limit.
func prefixWithin(s string, limit int) int {
	n := 0
	for i, r := range s {
		w := 1
		if r >= 0x10000 {
			w = 2
		}
		if n+w > limit {
			return i
		}
		n += w
	}
	return len(s)
}

// citationMarks returns the "[n]" marks in s, concatenated.
func citationMarks(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] != '[' {
			continue
		}
		j := i + 1
		for j < len(s) && j-i <= 4 && s[j] >= '0' && s[j] <= '9' {
			j++
		}
		if j > i+1 && j < len(s) && s[j] == ']' {
			b.WriteString(s[i : j+1])
			i = j
		}
	}
	return b.String()
}

// clip shortens mrkdwn text to at most limit UTF-16 units: at a word
// boundary when there is one near, never inside an entity (&amp;) or a link
// (<url|title>), ending with "…" and the citation marks ([n]) that the cut
// removed, so a shortened text still says what it cites.
func clip(s string, limit int) string { return clipText(s, limit, true) }

// clipPlain is clip for plain_text, where & and < are only characters.
func clipPlain(s string, limit int) string { return clipText(s, limit, false) }

func clipText(s string, limit int, markup bool) string {
	if len(s) <= limit || utf16Len(s) <= limit {
		return s
	}
	if limit < 2 {
		return ""
	}
	suffix := "…"
	cut := 0
	for range 4 {
		cut = prefixWithin(s, limit-utf16Len(suffix))
		cut = safeCut(s, cut, markup)
		marks := citationMarks(s[cut:])
		if utf16Len(marks) > limit/2 {
			marks = marks[:prefixWithin(marks, limit/2)]
			if k := strings.LastIndexByte(marks, ']'); k >= 0 {
				marks = marks[:k+1]
			} else {
				marks = ""
			}
		}
		next := "…"
		if marks != "" {
			next = "… " + marks
		}
		if next == suffix {
			break
		}
		suffix = next
	}
	cut = prefixWithin(s, limit-utf16Len(suffix))
	cut = safeCut(s, cut, markup)
	return strings.TrimRight(s[:cut], " \n\t") + suffix
}

// safeCut moves a cut back to a word boundary close before it, and (in
// markup) out of any entity or link it would split.
func safeCut(s string, cut int, markup bool) int {
	head := s[:cut]
	if markup {
		if amp := strings.LastIndexByte(head, '&'); amp >= 0 && !strings.Contains(head[amp:], ";") {
			cut = amp
			head = s[:cut]
		}
		if lt := strings.LastIndexByte(head, '<'); lt >= 0 && !strings.Contains(head[lt:], ">") {
			cut = lt
			head = s[:cut]
		}
	}
	if cut < len(s) && s[cut] != ' ' && s[cut] != '\n' {
		if sp := strings.LastIndexAny(head, " \n"); sp >= 0 && sp >= cut/2 {
			cut = sp
		}
	}
	return cut
}

// cutRunes returns the longest prefix of s of at most n bytes that ends on a
// rune boundary.
func cutRunes(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

// writeDate shows an ISO date as "6 Jan 2026"; anything else as given.
func writeDate(b *strings.Builder, d string) {
	t, err := time.Parse(time.DateOnly, d)
	if err != nil {
		b.WriteString(d)
		return
	}
	var buf [len("02 Jan 2006")]byte
	b.Write(t.AppendFormat(buf[:0], "2 Jan 2006"))
}

// printableWords returns the length of s's longest prefix of whole 8-byte
// words of printable ASCII (0x20 to 0x7e) other than '"' and '\\': text
// that neither plain nor a JSON string changes, which is most of an answer.
// Each word is tested at once: x-0x20 borrows into a byte's top bit only
// when the byte is below 0x20, x+1 carries into it only from 0x7f, and x^q
// is zero in a byte only when the byte is q ("Determine if a word has a
// byte less than n",
// https://graphics.stanford.edu/~seander/bithacks.html#HasLessInWord).
func printableWords(s string) int {
	const ones, highs = 0x0101010101010101, 0x8080808080808080
	i := 0
	for ; i+8 <= len(s); i += 8 {
		x := binary.LittleEndian.Uint64([]byte(s[i : i+8]))
		q, bs := x^(ones*'"'), x^(ones*'\\')
		if (x|(x-ones*0x20)&^x|(x+ones)|(q-ones)&^q|(bs-ones)&^bs)&highs != 0 {
			break
		}
	}
	return i
}
