package slack

import (
	"bytes"
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
	// Voted replaces the 👍/👎 buttons with a thank-you.
	Voted bool
}

// commandNames maps the command table's names to the slash commands that
// carry them in this workspace ("who" -> "/whois").
type commandNames map[string]string

func (n commandNames) slash(cmd string) string {
	if s, ok := n[cmd]; ok {
		return s
	}
	return "/" + cmd
}

// render draws an answer as Block Kit. Text from articles and people goes in
// plain_text, where Slack formats nothing (`*`, `_`, `~`, <!channel>);
// Parley's own words and links go in mrkdwn, escaped. Every block stays
// within Slack's limits (see blocks.go).
func render(ans *parley.Answer, v view, names commandNames, parleyCommand string) message {
	if ans == nil {
		ans = &parley.Answer{}
	}
	msg := message{Text: fallbackText(ans)}
	// Room for what an answer usually has, on the stack: growing the two
	// from nil took a few allocations per answer.
	head, tail := make([]block, 0, 8), make([]block, 0, 8)
	sum := fingerprint(ans)

	if v.SharedBy != "" && isSlackID(v.SharedBy) {
		head = append(head, contextBlock("Shared by <@"+v.SharedBy+">"))
	}
	if ans.Notice != "" {
		head = append(head, block{Type: "context", Elements: []element{plainElement("ℹ️ " + ans.Notice)}})
	}
	if ans.Understood != "" && ans.Understood != ans.Query {
		head = append(head, block{Type: "context", Elements: []element{plainElement("Showing results for “" + ans.Understood + "”")}})
	}
	lead := ans.Lead
	if lead == "" && len(ans.Citations) == 0 {
		lead = ans.Text
	}
	if lead != "" {
		head = append(head, plainSection(lead))
	}
	if len(ans.People) > 0 {
		head = append(head, plainSection(peopleText(ans.People)))
	}
	for _, c := range ans.Commands {
		head = append(head, mrkdwnSection(commandText(c, names)))
	}
	if len(ans.Commands) > 0 && parleyCommand != "" {
		head = append(head, contextBlock("If a command's name is taken in this workspace, type "+escape(parleyCommand)+" before the command: `"+escape(parleyCommand)+" who france`."))
	}
	var sourceBlocks []block
	if ans.Command == parley.CommandSources {
		for i, src := range ans.Sources {
			sourceBlocks = append(sourceBlocks, sourceBlock(i+1, src))
		}
	}

	if !ans.Covered && len(ans.Suggestions) > 0 {
		tail = append(tail, block{Type: "context", Elements: []element{plainElement("Try: " + strings.Join(ans.Suggestions, " · "))}})
	}
	if ans.Command != parley.CommandSources && len(ans.Sources) > 0 {
		tail = append(tail, block{Type: "context", Elements: []element{plainElement(sourceNames(ans.Sources))}})
	}
	if ans.Page > 1 || ans.More {
		tail = append(tail, contextBlock("Page "+strconv.Itoa(max(ans.Page, 1))))
	}
	if v.Voted {
		thanks := contextBlock(textThanks)
		thanks.BlockID = thanksBlockID
		tail = append(tail, thanks)
	}
	if b, ok := actions(ans, v, sum); ok {
		tail = append(tail, b)
	}

	// Two blocks per citation or one per source; one more block says how
	// many did not fit.
	room := maxBlocks - len(head) - len(tail)
	if len(head) > maxBlocks-len(tail) {
		head = head[:maxBlocks-len(tail)]
		room = 0
	}
	// As many blocks as there can be: a 50-block array was most of what
	// drawing an answer allocated.
	blocks := make([]block, 0, min(maxBlocks, len(head)+2*len(ans.Citations)+len(sourceBlocks)+2*len(ans.Related)+len(tail)+2))
	blocks = append(blocks, head...)
	shown := len(ans.Citations)
	if 2*shown > room {
		shown = max((room-1)/2, 0)
	}
	for _, c := range ans.Citations[:shown] {
		blocks = appendCitation(blocks, c, ans.Page, v, sum)
	}
	if shown < len(ans.Citations) {
		blocks = append(blocks, contextBlock(strconv.Itoa(len(ans.Citations)-shown)+" more citations did not fit in one Slack message."))
	}
	if n := len(sourceBlocks); n > 0 {
		if n > room {
			keep := max(room-1, 0)
			sourceBlocks = append(sourceBlocks[:keep], contextBlock(strconv.Itoa(n-keep)+" more articles did not fit in one Slack message."))
		}
		blocks = append(blocks, sourceBlocks...)
	}
	// Nearby passages come after what answers, apart from it, as many as
	// fit: a heading and two blocks each.
	if left := maxBlocks - len(blocks) - len(tail); len(ans.Related) > 0 && left >= 3 {
		blocks = append(blocks, relatedBlocks(ans.Related, (left-1)/2)...)
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

// quoted puts an excerpt in quotation marks, unless it opens with one, as
// the terminal does.
func quoted(text string) string {
	if strings.HasPrefix(text, "“") || strings.HasPrefix(text, `"`) {
		return text
	}
	return "“" + text + "”"
}

// appendCitation appends citation c's two blocks: the excerpt, with a
// "Show context" button when there is a paragraph to show, and what it
// cites.
func appendCitation(blocks []block, c parley.Citation, page int, v view, sum string) []block {
	sec := plainSection(quoted(c.Text))
	if c.Paragraph != "" {
		st := state{Line: v.Line, Page: page, N: c.N, Public: v.Public, Sum: sum}
		b := button("Show context", actionContext+"_"+strconv.Itoa(c.N), st.encode(), "")
		sec.Accessory = &b
	}
	return append(blocks, sec, citationContext(c))
}

// relatedHeading sets nearby passages apart from citations, as the
// terminal does.
const relatedHeading = "Nearby passages, which don't answer it:"

// relatedBlocks are the passages near a question the articles don't
// answer: a heading, then each passage numbered "(n)" rather than "[n]",
// with no buttons, at most max of them.
func relatedBlocks(related []parley.Citation, max int) []block {
	if max <= 0 {
		return nil
	}
	out := []block{{Type: "context", Elements: []element{plainElement(relatedHeading)}}}
	for i, c := range related {
		if i == max {
			break
		}
		ref := block{Type: "context", Elements: []element{plainElement("(" + strconv.Itoa(i+1) + ") " + articleRef(c.Title, c.Outlet, c.Date))}}
		if u := linkURL(c.URL); u != "" {
			ref.Elements = append(ref.Elements, mrkdwnElement("<"+u+"|Read the article>"))
		}
		out = append(out, plainSection(quoted(c.Text)), ref)
	}
	return out
}

// citationContext is "[n]", then "Title — Outlet, 6 Jan 2026 · quoting
// Speaker · also in 2 articles" as plain text, then a link to the article
// when it has a URL.
func citationContext(c parley.Citation) block {
	// One builder: the meta line was up to six strings concatenated in turn.
	var meta strings.Builder
	meta.Grow(len(c.Title) + len(c.Outlet) + len(c.Speaker) + 64)
	writeArticleRef(&meta, c.Title, c.Outlet, c.Date)
	if c.Speaker != "" {
		switch c.Kind {
		case parley.SpeechQuote:
			meta.WriteString(" · quoting ")
			meta.WriteString(c.Speaker)
		case parley.SpeechParaphrase:
			meta.WriteString(" · paraphrasing ")
			meta.WriteString(c.Speaker)
		}
	}
	if n := len(c.AlsoIn); n > 0 {
		meta.WriteString(" · also in ")
		meta.WriteString(strconv.Itoa(n))
		meta.WriteString(" article")
		if n > 1 {
			meta.WriteByte('s')
		}
	}
	u := linkURL(c.URL)
	b := block{Type: "context", Elements: make([]element, 2, 3)}
	b.Elements[0] = mrkdwnElement("*[" + strconv.Itoa(c.N) + "]*")
	b.Elements[1] = plainElement(meta.String())
	if u != "" {
		b.Elements = append(b.Elements, mrkdwnElement("<"+u+"|Read the article>"))
	}
	return b
}

// articleRef is "Title — Outlet, 6 Jan 2026", whatever is known, as plain
// text.
func articleRef(title, outlet, date string) string {
	var b strings.Builder
	writeArticleRef(&b, title, outlet, date)
	return b.String()
}

func writeArticleRef(b *strings.Builder, title, outlet, date string) {
	if title == "" {
		title = "Untitled article"
	}
	b.WriteString(title)
	if outlet == "" && date == "" {
		return
	}
	b.WriteString(" — ")
	b.WriteString(outlet)
	if date != "" {
		if outlet != "" {
			b.WriteString(", ")
		}
		writeDate(b, date)
	}
}

func peopleText(people []parley.Person) string {
	var b strings.Builder
	b.WriteString("People")
	for i, p := range people {
		if i == 10 {
			b.WriteString("\n…and " + strconv.Itoa(len(people)-10) + " more")
			break
		}
		b.WriteString("\n• ")
		b.WriteString(p.Name)
		if p.Role != "" || p.Affiliation != "" {
			b.WriteString(" — ")
			b.WriteString(p.Role)
			if p.Role != "" && p.Affiliation != "" {
				b.WriteString(", ")
			}
			b.WriteString(p.Affiliation)
		}
		if p.Mentions > 0 {
			b.WriteString(" · ")
			b.WriteString(strconv.Itoa(p.Mentions))
			b.WriteString(" mention")
			if p.Mentions > 1 {
				b.WriteByte('s')
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

// sourceBlock is one article of /sources: its number, what is known of it,
// and a link.
func sourceBlock(n int, s parley.Source) block {
	meta := articleRef(s.Title, s.Outlet, s.Date)
	if s.Sentences > 0 {
		meta += " · " + strconv.Itoa(s.Sentences) + " passages"
	}
	b := block{Type: "context", Elements: []element{mrkdwnElement("*" + strconv.Itoa(n) + ".*"), plainElement(meta)}}
	if u := linkURL(s.URL); u != "" {
		b.Elements = append(b.Elements, mrkdwnElement("<"+u+"|Read the article>"))
	}
	return b
}

// sourceNames is "Sources: " and the articles cited.
func sourceNames(sources []parley.Source) string {
	var b strings.Builder
	b.WriteString("Sources: ")
	for i, s := range sources {
		if i > 0 {
			b.WriteString("; ")
		}
		writeArticleRef(&b, s.Title, s.Outlet, s.Date)
	}
	return b.String()
}

// actions are the answer's buttons: Share on a private answer, More when
// there is a next page, and 👍/👎 on an answer that cites something (until
// the person votes). ok is false when there is none.
func actions(ans *parley.Answer, v view, sum string) (block, bool) {
	st := state{Line: v.Line, Page: max(ans.Page, 1), Public: v.Public, Sum: sum}
	b := block{Type: "actions", BlockID: "parley_actions", Elements: make([]element, 0, 4)}
	if !v.Public && !ans.IsPrivate() {
		shared := st
		shared.Public = true
		b.Elements = append(b.Elements, button("Share in channel", actionShare, shared.encode(), "primary"))
	}
	if ans.More {
		next := st
		next.Page++
		next.Sum = ""
		b.Elements = append(b.Elements, button("More", actionMore, next.encode(), ""))
	}
	if ans.Covered && len(ans.Citations) > 0 && !v.Voted {
		value := st.encode()
		b.Elements = append(b.Elements,
			button("👍 Helpful", actionUp, value, ""),
			button("👎 Not helpful", actionDown, value, ""))
	}
	return b, len(b.Elements) > 0
}

// renderContext shows the paragraph around citation c, privately, the
// excerpt in bold: a rich_text block, whose text elements Slack shows as
// they are, with a style of Parley's choosing
// (https://docs.slack.dev/reference/block-kit/blocks/rich-text-block).
func renderContext(c parley.Citation) message {
	before, mid, after := splitParagraph(c)
	const budget = maxSectionText - 64
	mid = clipPlain(plain(mid), budget/2)
	left := budget - utf16Len(mid)
	before = clipLeft(plain(before), left/2)
	after = clipPlain(plain(after), left-utf16Len(before))
	type style struct {
		Bold bool `json:"bold"`
	}
	type text struct {
		Type  string `json:"type"`
		Text  string `json:"text"`
		Style *style `json:"style,omitempty"`
	}
	var parts []text
	for _, p := range []text{{Type: "text", Text: before}, {Type: "text", Text: mid, Style: &style{Bold: true}}, {Type: "text", Text: after}} {
		if p.Text != "" {
			parts = append(parts, p)
		}
	}
	if len(parts) == 0 {
		parts = append(parts, text{Type: "text", Text: "(empty paragraph)"})
	}
	rich := map[string]any{"type": "rich_text", "elements": []any{map[string]any{"type": "rich_text_quote", "elements": parts}}}
	raw, err := encodeJSON(rich)
	if err != nil {
		raw = nil
	}
	return message{
		ResponseType: responseEphemeral,
		Text:         clip(escape(c.Text), maxFallbackText),
		Blocks:       []block{citationContext(c), {Type: "rich_text", Raw: bytes.TrimSpace(raw)}},
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
