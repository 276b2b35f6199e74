package slack

import (
	"strconv"
	"strings"

	"github.com/parley-bot/parley"
)

// view says for whom and how an answer is drawn.
type view struct {
	// Public is true for messages everyone in the channel sees: they offer
	// no "Share in channel" button.
	Public bool
	// SharedBy is the Slack user id of who shared a private answer.
	SharedBy string
	// Line is the command line the answer is for; buttons carry it.
	Line string
}

// commandNames maps the command table's names to the slash commands that
// carry them in this workspace ("who" -> "/who").
type commandNames map[string]string

func (n commandNames) slash(cmd string) string {
	if s, ok := n[cmd]; ok {
		return s
	}
	return "/" + cmd
}

// render draws an answer as Block Kit. Every text from people or articles is
// escaped; every block stays within Slack's limits (see blocks.go).
func render(ans *parley.Answer, v view, names commandNames, parleyCommand string) message {
	if ans == nil {
		ans = &parley.Answer{}
	}
	msg := message{Text: fallbackText(ans)}
	var head, tail []block

	if v.SharedBy != "" && isSlackID(v.SharedBy) {
		head = append(head, contextBlock("Shared by <@"+v.SharedBy+">"))
	}
	if ans.Notice != "" {
		head = append(head, contextBlock(":information_source: "+escape(ans.Notice)))
	}
	if ans.Understood != "" && ans.Understood != ans.Query {
		head = append(head, contextBlock("Showing results for *"+escape(ans.Understood)+"*"))
	}
	lead := ans.Lead
	if lead == "" && len(ans.Citations) == 0 {
		lead = ans.Text
	}
	if lead != "" {
		head = append(head, mrkdwnSection(escape(lead)))
	}
	if len(ans.People) > 0 {
		head = append(head, mrkdwnSection(peopleText(ans.People)))
	}
	for _, c := range ans.Commands {
		head = append(head, mrkdwnSection(commandText(c, names)))
	}
	if len(ans.Commands) > 0 && parleyCommand != "" {
		head = append(head, contextBlock("If a short name is taken in this workspace, type "+escape(parleyCommand)+" before the command: `"+escape(parleyCommand)+" who france`."))
	}
	if ans.Command == parley.CommandSources && len(ans.Sources) > 0 {
		head = append(head, mrkdwnSection(sourceList(ans.Sources)))
	}

	if !ans.Covered && len(ans.Suggestions) > 0 {
		parts := make([]string, 0, len(ans.Suggestions))
		for _, s := range ans.Suggestions {
			parts = append(parts, escape(s))
		}
		tail = append(tail, contextBlock("Try: "+strings.Join(parts, " · ")))
	}
	if ans.Command != parley.CommandSources && len(ans.Sources) > 0 {
		tail = append(tail, contextBlock("Sources: "+sourceLine(ans.Sources)))
	}
	if ans.Page > 1 || ans.More {
		tail = append(tail, contextBlock("Page "+strconv.Itoa(max(ans.Page, 1))))
	}
	tail = append(tail, actions(ans, v))

	// Two blocks per citation; one more block says how many did not fit.
	room := maxBlocks - len(head) - len(tail)
	shown := len(ans.Citations)
	if 2*shown > room {
		shown = max((room-1)/2, 0)
	}
	if len(head) > maxBlocks-len(tail) {
		head = head[:maxBlocks-len(tail)]
	}
	blocks := make([]block, 0, len(head)+2*shown+1+len(tail))
	blocks = append(blocks, head...)
	for _, c := range ans.Citations[:shown] {
		blocks = append(blocks, citationBlocks(c, ans.Page, v)...)
	}
	if shown < len(ans.Citations) {
		blocks = append(blocks, contextBlock(strconv.Itoa(len(ans.Citations)-shown)+" more citations did not fit in one Slack message."))
	}
	blocks = append(blocks, tail...)
	msg.Blocks = blocks
	return msg
}

func fallbackText(ans *parley.Answer) string {
	t := ans.Lead
	if t == "" {
		t = ans.Text
	}
	if t == "" {
		t = "Parley"
	}
	return clip(escape(t), maxFallbackText)
}

func isSlackID(id string) bool {
	if id == "" || len(id) > 32 {
		return false
	}
	for i := 0; i < len(id); i++ {
		c := id[i]
		if (c < 'A' || c > 'Z') && (c < '0' || c > '9') {
			return false
		}
	}
	return true
}

// quote renders text as a mrkdwn block quote, line by line.
func quote(escaped string) string {
	return "> " + strings.ReplaceAll(escaped, "\n", "\n> ")
}

func citationBlocks(c parley.Citation, page int, v view) []block {
	mark := "*[" + strconv.Itoa(c.N) + "]* "
	sec := mrkdwnSection(quote(clip(escape(c.Text), maxSectionText-16)))
	if c.Paragraph != "" {
		st := state{Line: v.Line, Page: page, N: c.N, Public: v.Public}
		b := button("Show context", actionContext+"_"+strconv.Itoa(c.N), st.encode(), "")
		sec.Accessory = &b
	}
	var meta strings.Builder
	meta.WriteString(articleRef(c.Title, c.URL, c.Outlet, c.Date))
	if c.Speaker != "" {
		switch c.Kind {
		case parley.SpeechQuote:
			meta.WriteString(" · quoting " + escape(c.Speaker))
		case parley.SpeechParaphrase:
			meta.WriteString(" · paraphrasing " + escape(c.Speaker))
		}
	}
	if n := len(c.AlsoIn); n > 0 {
		meta.WriteString(" · also in " + strconv.Itoa(n) + " article")
		if n > 1 {
			meta.WriteString("s")
		}
	}
	// The mark goes in front of the clipped text so no cut can drop it.
	return []block{sec, contextBlock(mark + clip(meta.String(), maxContextText-utf16Len(mark)))}
}

// articleRef is "Title — Outlet, 6 Jan 2026", whatever is known, the title
// linked when the article has a URL.
func articleRef(title, url, outlet, date string) string {
	if title == "" {
		title = "Untitled article"
	}
	t := escape(title)
	if u := linkURL(url); u != "" {
		t = "<" + u + "|" + t + ">"
	}
	var extra []string
	if outlet != "" {
		extra = append(extra, escape(outlet))
	}
	if date != "" {
		extra = append(extra, escape(formatDate(date)))
	}
	if len(extra) > 0 {
		t += " — " + strings.Join(extra, ", ")
	}
	return t
}

func peopleText(people []parley.Person) string {
	var b strings.Builder
	b.WriteString("*People*")
	for i, p := range people {
		if i == 10 {
			b.WriteString("\n…and " + strconv.Itoa(len(people)-10) + " more")
			break
		}
		b.WriteString("\n• *" + escape(p.Name) + "*")
		var about []string
		if p.Role != "" {
			about = append(about, escape(p.Role))
		}
		if p.Affiliation != "" {
			about = append(about, escape(p.Affiliation))
		}
		if len(about) > 0 {
			b.WriteString(" — " + strings.Join(about, ", "))
		}
		if p.Mentions > 0 {
			b.WriteString(" · " + strconv.Itoa(p.Mentions) + " mention")
			if p.Mentions > 1 {
				b.WriteString("s")
			}
		}
	}
	return b.String()
}

func commandText(c parley.Command, names commandNames) string {
	name := names.slash(c.Name)
	usage := c.Usage
	if rest, ok := strings.CutPrefix(usage, "/"+c.Name); ok {
		usage = name + rest
	}
	var b strings.Builder
	b.WriteString("*" + escape(usage) + "*\n" + escape(c.Summary))
	if len(c.Examples) > 0 {
		ex := make([]string, 0, len(c.Examples))
		for _, e := range c.Examples {
			if rest, ok := strings.CutPrefix(e, "/"+c.Name); ok {
				e = name + rest
			}
			ex = append(ex, "`"+escape(e)+"`")
		}
		b.WriteString("\n_e.g._ " + strings.Join(ex, ", "))
	}
	return b.String()
}

func sourceList(sources []parley.Source) string {
	var b strings.Builder
	b.WriteString("*Sources*")
	for _, s := range sources {
		b.WriteString("\n• " + articleRef(s.Title, s.URL, s.Outlet, s.Date))
		if s.Sentences > 0 {
			b.WriteString(" · " + strconv.Itoa(s.Sentences) + " passages")
		}
	}
	return b.String()
}

func sourceLine(sources []parley.Source) string {
	parts := make([]string, 0, len(sources))
	for _, s := range sources {
		parts = append(parts, articleRef(s.Title, s.URL, s.Outlet, s.Date))
	}
	return strings.Join(parts, "; ")
}

func actions(ans *parley.Answer, v view) block {
	st := state{Line: v.Line, Page: max(ans.Page, 1), Public: v.Public}
	b := block{Type: "actions", BlockID: "parley_actions"}
	if !v.Public {
		shared := st
		shared.Public = true
		b.Elements = append(b.Elements, button("Share in channel", actionShare, shared.encode(), "primary"))
	}
	if ans.More {
		next := st
		next.Page++
		b.Elements = append(b.Elements, button("More", actionMore, next.encode(), ""))
	}
	b.Elements = append(b.Elements,
		button("👍 Helpful", actionUp, st.encode(), ""),
		button("👎 Not helpful", actionDown, st.encode(), ""))
	return b
}

// renderContext shows the paragraph around citation c, privately, the
// excerpt in bold.
func renderContext(c parley.Citation) message {
	before, mid, after := splitParagraph(c)
	const budget = maxSectionText - 64
	mid = clip(escape(mid), budget/2)
	left := budget - utf16Len(mid)
	before = clipLeft(escape(before), left/2)
	after = clip(escape(after), left-utf16Len(before))
	var text string
	if mid != "" {
		text = before + boldLines(mid) + after
	} else {
		text = before + after
	}
	mark := "*[" + strconv.Itoa(c.N) + "]* "
	return message{
		ResponseType: responseEphemeral,
		Text:         clip(escape(c.Text), maxFallbackText),
		Blocks: []block{
			contextBlock(mark + clip(articleRef(c.Title, c.URL, c.Outlet, c.Date), maxContextText-utf16Len(mark))),
			mrkdwnSection(quote(text)),
		},
	}
}

// splitParagraph returns the paragraph before the excerpt, the excerpt and
// the rest, from the citation's offsets when they are consistent, else by
// finding the excerpt in the paragraph.
func splitParagraph(c parley.Citation) (before, mid, after string) {
	p := c.Paragraph
	s, e := c.Start-c.ParagraphStart, c.End-c.ParagraphStart
	if s >= 0 && s <= e && e <= len(p) && (s == len(p) || isRuneStart(p, s)) && (e == len(p) || isRuneStart(p, e)) && p[s:e] == c.Text {
		return p[:s], p[s:e], p[e:]
	}
	if i := strings.Index(p, c.Text); c.Text != "" && i >= 0 {
		return p[:i], c.Text, p[i+len(c.Text):]
	}
	if p == "" {
		return "", c.Text, ""
	}
	return p, "", ""
}

func isRuneStart(s string, i int) bool { return i < len(s) && (s[i] < 0x80 || s[i] >= 0xc0) }

// boldLines bolds each line (mrkdwn bold does not span lines), keeping the
// spaces around the words outside the asterisks where Slack needs them.
func boldLines(s string) string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		t := strings.TrimSpace(l)
		if t == "" {
			continue
		}
		lead := l[:strings.Index(l, t)]
		trail := l[len(lead)+len(t):]
		lines[i] = lead + "*" + t + "*" + trail
	}
	return strings.Join(lines, "\n")
}

// clipLeft keeps the end of s within limit units, starting at a word.
func clipLeft(s string, limit int) string {
	if utf16Len(s) <= limit {
		return s
	}
	if limit < 2 {
		return ""
	}
	// Walk back from the end.
	n, i := 0, len(s)
	for i > 0 {
		j := i - 1
		for j > 0 && !isRuneStart(s, j) {
			j--
		}
		w := 1
		if i-j == 4 {
			w = 2
		}
		if n+w > limit-1 {
			break
		}
		n += w
		i = j
	}
	rest := s[i:]
	if sp := strings.IndexAny(rest, " \n"); sp >= 0 && sp < len(rest)/4 {
		rest = rest[sp:]
	}
	// Do not start inside an entity.
	if semi := strings.IndexByte(rest, ';'); semi >= 0 && semi < 5 {
		if amp := strings.IndexByte(rest[:semi], '&'); amp < 0 {
			rest = rest[semi+1:]
		}
	}
	return "…" + rest
}
