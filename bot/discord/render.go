package discord

import (
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/bwmarrin/discordgo"

	"github.com/parley-bot/parley"
)

// Discord's limits on what a message may carry, counted in characters.
// https://discord.com/developers/docs/resources/message#embed-object-embed-limits
const (
	maxContent       = 2000
	maxEmbeds        = 10
	maxTitle         = 256
	maxDescription   = 4096
	maxFields        = 25
	maxFieldName     = 256
	maxFieldValue    = 1024
	maxFooter        = 2048
	maxEmbedTotal    = 6000
	maxLabel         = 80
	maxCustomID      = 100
	maxSelectOptions = 25
	maxOptionLabel   = 100
	maxOptionValue   = 100
	maxOptionDesc    = 100
	maxPlaceholder   = 150
	maxChoices       = 25
	maxChoiceName    = 100
	maxChoiceValue   = 100
	maxActionRows    = 5
)

// Embed colours: Discord's blurple for answers, grey when the articles do
// not cover the query.
const (
	colorAnswer    = 0x5865F2
	colorUncovered = 0x99AAB5
)

// noMentions is set on every message: nothing a query or an article says
// (@everyone, <@&role>, <@user>) may ping anyone.
func noMentions() *discordgo.MessageAllowedMentions {
	return &discordgo.MessageAllowedMentions{Parse: []discordgo.AllowedMentionType{}}
}

// view is what rendering needs beyond the answer.
type view struct {
	// Line is the command line the answer is for, as Parley understood it;
	// it goes in the footer so clicks can recover a query too long for a
	// custom_id.
	Line string
	// Asker is the user id that may remove a public answer.
	Asker string
	// Ephemeral answers have no remove button.
	Ephemeral bool
}

// renderAnswer renders one answer as one embed with its buttons and menu.
func renderAnswer(ans *parley.Answer, v view) *messageData {
	if ans == nil {
		ans = &parley.Answer{}
	}
	page := max(ans.Page, 1)
	line := oneLine(v.Line, parley.MaxQuery+20)
	e := &discordgo.MessageEmbed{
		Title: truncate(escapeMarkdown(line), maxTitle),
		Color: colorAnswer,
	}
	if !ans.Covered && len(ans.Commands) == 0 && len(ans.Sources) == 0 {
		e.Color = colorUncovered
	}

	var fields []*discordgo.MessageEmbedField
	if len(ans.People) > 0 {
		fields = append(fields, peopleField(ans.People))
	}
	for _, c := range ans.Commands {
		if len(fields) == maxFields {
			break
		}
		fields = append(fields, commandField(c))
	}
	e.Fields = fields
	e.Footer = &discordgo.MessageEmbedFooter{Text: footer(ans, page, line)}

	used := runes(e.Title) + runes(e.Footer.Text)
	for _, f := range e.Fields {
		used += runes(f.Name) + runes(f.Value)
	}
	budget := min(maxDescription, maxEmbedTotal-used)
	desc, shown := description(ans, budget)
	e.Description = desc

	data := &messageData{
		Embeds:          []*discordgo.MessageEmbed{e},
		AllowedMentions: noMentions(),
		Components:      components(ans, v, page, shown),
	}
	if v.Ephemeral {
		data.Flags = discordgo.MessageFlagsEphemeral
	}
	return data
}

// description is the lead, notices and as many citations as fit in budget
// characters; shown are the citations it holds.
func description(ans *parley.Answer, budget int) (string, []parley.Citation) {
	var b strings.Builder
	add := func(s string) { b.WriteString(s) }
	lead := ans.Lead
	if lead == "" && ans.Text != "" && len(ans.Citations) == 0 && len(ans.Sources) == 0 && len(ans.Commands) == 0 {
		lead = ans.Text
	}
	add(truncate(escapeMarkdown(lead), min(budget, 1000)))
	if ans.Understood != "" && !strings.EqualFold(ans.Understood, ans.Query) {
		add("\n*Showing results for " + truncate(escapeMarkdown(oneLine(ans.Understood, 200)), 200) + "*")
	}
	if ans.Notice != "" {
		add("\n*" + truncate(escapeMarkdown(oneLine(ans.Notice, 300)), 300) + "*")
	}
	if !ans.Covered && len(ans.Suggestions) > 0 {
		var s []string
		for _, sug := range ans.Suggestions[:min(len(ans.Suggestions), 5)] {
			s = append(s, escapeMarkdown(oneLine(sug, 100)))
		}
		add("\nTry: " + strings.Join(s, ", "))
	}
	out := truncate(b.String(), budget)

	var shown []parley.Citation
	for i, c := range ans.Citations {
		meta := "\n" + citeLine(c)
		// Keep room for the "more" note the next citations may need.
		left := budget - runes(out) - runes(meta) - 40
		if left < 60 {
			if rest := len(ans.Citations) - i; rest > 0 {
				out += truncateNote(fmt.Sprintf("\n\n*%d more %s not shown.*", rest, plural(rest, "citation", "citations")), budget-runes(out))
			}
			break
		}
		ex := quoteBlock(escapeMarkdown(excerpt(c)), min(left, 1200))
		out += "\n\n" + ex + meta
		shown = append(shown, c)
	}
	// Answers with citations name their sources in the footer; /sources
	// lists them here.
	srcs := ans.Sources
	if len(ans.Citations) > 0 {
		srcs = nil
	}
	for i, s := range srcs {
		line := "\n" + sourceLine(i+1, s)
		if runes(out)+runes(line) > budget-40 {
			rest := len(srcs) - i
			out += truncateNote(fmt.Sprintf("\n*%d more %s.*", rest, plural(rest, "source", "sources")), budget-runes(out))
			break
		}
		if i == 0 && runes(out) > 0 {
			out += "\n"
		}
		out += line
	}
	out += related(ans.Related, budget-runes(out))
	if out == "" {
		out = "\u200b" // an embed needs some content
	}
	return out, shown
}

// relatedHeading sets nearby passages apart from citations, as the
// terminal does.
const relatedHeading = "Nearby passages, which don't answer it:"

// related renders the passages near a question the articles don't answer,
// after everything that answers, numbered (1), (2) rather than [1], as
// many as fit in room characters; "" when none does.
func related(rel []parley.Citation, room int) string {
	if len(rel) == 0 {
		return ""
	}
	head := "\n\n*" + relatedHeading + "*"
	out := ""
	for i, c := range rel {
		meta := "\n" + truncate(fmt.Sprintf("(%d) %s", i+1, articleRef(c.Title, c.URL, c.Outlet, c.Date)), 600)
		left := room - runes(head) - runes(out) - runes(meta) - 4
		if left < 60 {
			break
		}
		out += "\n" + quoteBlock(escapeMarkdown(excerpt(c)), min(left, 600)) + meta
	}
	if out == "" {
		return ""
	}
	return head + out
}

func truncateNote(s string, room int) string {
	if runes(s) > room {
		return ""
	}
	return s
}

// excerpt is the citation's verbatim text: the Paragraph slice when the
// offsets are sound, else Text.
func excerpt(c parley.Citation) string {
	if c.Text != "" {
		return c.Text
	}
	s, e := c.Start-c.ParagraphStart, c.End-c.ParagraphStart
	if s >= 0 && e <= len(c.Paragraph) && s <= e && utf8.ValidString(c.Paragraph[s:e]) {
		return c.Paragraph[s:e]
	}
	return ""
}

// quoteBlock prefixes every line of s with "> ", within n characters.
func quoteBlock(s string, n int) string {
	s = truncate(strings.TrimSpace(s), max(n-8, 1))
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = "> " + strings.TrimSpace(l)
	}
	return truncate(strings.Join(lines, "\n"), n)
}

// citeLine is "[n] [Title](url) — Outlet, 6 Jan 2026 · Speaker · also in 2 articles".
func citeLine(c parley.Citation) string {
	var parts []string
	if s := oneLine(c.Speaker, 100); s != "" {
		parts = append(parts, "*"+escapeMarkdown(s)+"*")
	}
	if n := len(c.AlsoIn); n > 0 {
		parts = append(parts, fmt.Sprintf("also in %d %s", n, plural(n, "article", "articles")))
	}
	head := fmt.Sprintf("**\\[%d\\]** %s", c.N, articleRef(c.Title, c.URL, c.Outlet, c.Date))
	if len(parts) > 0 {
		head += " · " + strings.Join(parts, " · ")
	}
	return truncate(head, 600)
}

// articleRef is "[Title](url) — Outlet, 6 Jan 2026" with whatever is known.
func articleRef(title, link, outlet, date string) string {
	t := truncate(escapeMarkdown(oneLine(title, 200)), 200)
	if t == "" {
		t = "Untitled article"
	}
	if u := safeURL(link); u != "" {
		t = "[" + t + "](" + u + ")"
	}
	var meta []string
	if o := oneLine(outlet, 100); o != "" {
		meta = append(meta, escapeMarkdown(o))
	}
	if d := formatDate(date); d != "" {
		meta = append(meta, d)
	}
	if len(meta) > 0 {
		t += " — " + strings.Join(meta, ", ")
	}
	return t
}

func sourceLine(n int, s parley.Source) string {
	l := fmt.Sprintf("**\\[%d\\]** %s", n, articleRef(s.Title, s.URL, s.Outlet, s.Date))
	if s.Sentences > 0 {
		l += fmt.Sprintf(" · %d %s", s.Sentences, plural(s.Sentences, "sentence", "sentences"))
	}
	return truncate(l, 700)
}

func peopleField(people []parley.Person) *discordgo.MessageEmbedField {
	var b strings.Builder
	for i, p := range people {
		l := "**" + escapeMarkdown(oneLine(p.Name, 100)) + "**"
		var about []string
		if r := oneLine(p.Role, 120); r != "" {
			about = append(about, escapeMarkdown(r))
		}
		if a := oneLine(p.Affiliation, 100); a != "" {
			about = append(about, escapeMarkdown(a))
		}
		if len(about) > 0 {
			l += ", " + strings.Join(about, ", ")
		}
		if b.Len() > 0 {
			l = "\n" + l
		}
		if runes(b.String())+runes(l) > maxFieldValue-30 {
			rest := len(people) - i
			b.WriteString(fmt.Sprintf("\n*and %d more*", rest))
			break
		}
		b.WriteString(l)
	}
	return &discordgo.MessageEmbedField{Name: "People", Value: truncate(b.String(), maxFieldValue)}
}

func commandField(c parley.Command) *discordgo.MessageEmbedField {
	name := "/" + c.Name
	if c.Option != nil {
		name += " " + c.Option.Name
	}
	v := escapeMarkdown(c.Summary)
	if len(c.Examples) > 0 {
		var ex []string
		for _, e := range c.Examples {
			ex = append(ex, escapeMarkdown(e))
		}
		v += "\n" + strings.Join(ex, " · ")
	}
	return &discordgo.MessageEmbedField{Name: truncate(oneLine(name, maxFieldName), maxFieldName), Value: truncate(v, maxFieldValue)}
}

// footer names the sources and ends with the command line on a line of its
// own: footers are not markdown, so the line is kept verbatim and a click
// can read it back (recoverLine).
func footer(ans *parley.Answer, page int, line string) string {
	var head []string
	if page > 1 || ans.More {
		head = append(head, "Page "+strconv.Itoa(page))
	}
	if len(ans.Citations) > 0 {
		seen := map[string]bool{}
		var names []string
		refs := make([][2]string, 0, len(ans.Sources)+len(ans.Citations))
		for _, s := range ans.Sources {
			refs = append(refs, [2]string{s.Outlet, s.Title})
		}
		if len(refs) == 0 {
			for _, c := range ans.Citations {
				refs = append(refs, [2]string{c.Outlet, c.Title})
			}
		}
		for _, r := range refs {
			n := oneLine(r[0], 60)
			if n == "" {
				n = oneLine(r[1], 60)
			}
			if n != "" && !seen[n] {
				seen[n] = true
				names = append(names, n)
			}
		}
		if len(names) > 0 {
			head = append(head, "Sources: "+strings.Join(names, "; "))
		}
	}
	h := truncate(strings.Join(head, " · "), 300)
	if line == "" {
		return truncate(h, maxFooter)
	}
	if h == "" {
		return line
	}
	return h + "\n" + line
}

// recoverLine reads back the command line footer put in an answer.
func recoverLine(m *discordgo.Message) string {
	if m == nil || len(m.Embeds) == 0 || m.Embeds[0] == nil || m.Embeds[0].Footer == nil {
		return ""
	}
	t := m.Embeds[0].Footer.Text
	if i := strings.LastIndexByte(t, '\n'); i >= 0 {
		t = t[i+1:]
	}
	if !strings.HasPrefix(t, "/") {
		return ""
	}
	return t
}

// components are the answer's buttons and its "Show context" menu.
func components(ans *parley.Answer, v view, page int, shown []parley.Citation) []discordgo.MessageComponent {
	req := parley.Parse(v.Line)
	cmd := ans.Command
	if cmd == "" {
		cmd = req.Command
	}
	answerable := cmd == parley.CommandWho || cmd == parley.CommandWhat || cmd == parley.CommandQuote || cmd == parley.CommandAsk
	var buttons []discordgo.MessageComponent
	if ans.More {
		buttons = append(buttons, discordgo.Button{Label: "More", Style: discordgo.PrimaryButton, CustomID: encodeState(actMore, cmd, page, req.Query)})
	}
	if answerable && ans.Covered {
		buttons = append(buttons,
			discordgo.Button{Label: "Helpful", Style: discordgo.SecondaryButton, Emoji: &discordgo.ComponentEmoji{Name: "👍"}, CustomID: encodeState(actUp, cmd, page, req.Query)},
			discordgo.Button{Label: "Not helpful", Style: discordgo.SecondaryButton, Emoji: &discordgo.ComponentEmoji{Name: "👎"}, CustomID: encodeState(actDown, cmd, page, req.Query)},
		)
	}
	if !v.Ephemeral && v.Asker != "" {
		buttons = append(buttons, discordgo.Button{Label: "Remove", Style: discordgo.DangerButton, CustomID: encodeRemove(v.Asker)})
	}
	var rows []discordgo.MessageComponent
	if len(buttons) > 0 {
		rows = append(rows, discordgo.ActionsRow{Components: buttons})
	}
	var opts []discordgo.SelectMenuOption
	for _, c := range shown {
		if c.Paragraph == "" || len(opts) == maxSelectOptions {
			continue
		}
		label := fmt.Sprintf("[%d] %s", c.N, oneLine(c.Title, maxOptionLabel))
		desc := oneLine(excerpt(c), maxOptionDesc)
		if desc == "" {
			desc = "Show the paragraph"
		}
		opts = append(opts, discordgo.SelectMenuOption{
			Label:       truncate(label, maxOptionLabel),
			Value:       strconv.Itoa(c.N),
			Description: truncate(desc, maxOptionDesc),
		})
	}
	if len(opts) > 0 {
		rows = append(rows, discordgo.ActionsRow{Components: []discordgo.MessageComponent{
			discordgo.SelectMenu{
				MenuType:    discordgo.StringSelectMenu,
				CustomID:    encodeState(actContext, cmd, page, req.Query),
				Placeholder: "Show context…",
				Options:     opts,
			},
		}})
	}
	if rows == nil {
		return []discordgo.MessageComponent{}
	}
	return rows
}

// renderContext shows the paragraph around a citation, the excerpt in bold.
func renderContext(c parley.Citation) *messageData {
	var desc string
	s, e := c.Start-c.ParagraphStart, c.End-c.ParagraphStart
	p := c.Paragraph
	if s >= 0 && s <= e && e <= len(p) && utf8.ValidString(p[:s]) && utf8.ValidString(p[s:e]) && strings.TrimSpace(p[s:e]) != "" {
		before, mid, after := escapeMarkdown(p[:s]), escapeMarkdown(strings.TrimSpace(p[s:e])), escapeMarkdown(p[e:])
		// Keep the excerpt whole when it fits: trim the surroundings first.
		room := maxDescription - runes(mid) - 8
		if room < 0 {
			desc = "**" + truncate(mid, maxDescription-4) + "**"
		} else {
			half := room / 2
			if runes(before) > half {
				before = "…" + lastRunes(before, max(half-1, 0))
			}
			after = truncate(after, room-runes(before))
			desc = before + "**" + mid + "**" + after
		}
	} else {
		desc = escapeMarkdown(p)
		if desc == "" {
			desc = escapeMarkdown(excerpt(c))
		}
	}
	desc = truncate(strings.TrimSpace(desc), maxDescription)
	if desc == "" {
		desc = "\u200b"
	}
	e2 := &discordgo.MessageEmbed{
		Title:       truncate(fmt.Sprintf("[%d] %s", c.N, oneLine(c.Title, maxTitle)), maxTitle),
		Description: desc,
		Color:       colorAnswer,
	}
	if u := safeURL(c.URL); u != "" {
		e2.URL = u
	}
	if meta := footerMeta(c); meta != "" {
		e2.Footer = &discordgo.MessageEmbedFooter{Text: meta}
	}
	return &messageData{
		Embeds:          []*discordgo.MessageEmbed{e2},
		AllowedMentions: noMentions(),
		Flags:           discordgo.MessageFlagsEphemeral,
		Components:      []discordgo.MessageComponent{},
	}
}

func footerMeta(c parley.Citation) string {
	var m []string
	if o := oneLine(c.Outlet, 100); o != "" {
		m = append(m, o)
	}
	if d := formatDate(c.Date); d != "" {
		m = append(m, d)
	}
	return strings.Join(m, ", ")
}

// renderText is a plain message: errors, refusals, thanks.
func renderText(text string, ephemeral bool) *messageData {
	d := &messageData{
		Content:         truncate(escapeMarkdown(text), maxContent),
		AllowedMentions: noMentions(),
		Components:      []discordgo.MessageComponent{},
		Embeds:          []*discordgo.MessageEmbed{},
	}
	if ephemeral {
		d.Flags = discordgo.MessageFlagsEphemeral
	}
	return d
}

// escapeMarkdown makes text from people or articles show as typed: markdown
// and mention syntax are backslash-escaped (Discord drops a backslash before
// any punctuation), control characters dropped, invalid UTF-8 replaced.
func escapeMarkdown(s string) string {
	s = clean(s)
	var b strings.Builder
	b.Grow(len(s) + 8)
	lineStart := true
	for _, r := range s {
		switch r {
		case '\\', '*', '_', '~', '`', '|', '[', ']', '<', '>', '@', '#':
			b.WriteByte('\\')
		case '-', '+', '=':
			if lineStart {
				b.WriteByte('\\')
			}
		}
		b.WriteRune(r)
		lineStart = r == '\n' || (lineStart && r == ' ')
	}
	return b.String()
}

// clean replaces invalid UTF-8 and drops control characters other than
// newlines (tabs and carriage returns become spaces).
func clean(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	return strings.Map(func(r rune) rune {
		switch {
		case r == '\n':
			return r
		case r == '\t' || r == '\r':
			return ' '
		case unicode.IsControl(r), r == '\u2028', r == '\u2029':
			return -1
		}
		return r
	}, s)
}

// oneLine is s cleaned, on one line with runs of spaces collapsed, cut to n
// characters.
func oneLine(s string, n int) string {
	s = strings.Join(strings.Fields(strings.ReplaceAll(clean(s), "\n", " ")), " ")
	return truncate(s, n)
}

// truncate cuts s to at most n characters (runes), at a word boundary when
// one is near, ending with "…". It never splits a rune or leaves a dangling
// escape backslash.
func truncate(s string, n int) string {
	if n <= 0 {
		return ""
	}
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	if n == 1 {
		return "…"
	}
	cut := s[:byteOffset(s, n-1)]
	if i := strings.LastIndexAny(cut, " \n"); i > 0 && utf8.RuneCountInString(cut[:i]) >= (n-1)*2/3 {
		cut = cut[:i]
	}
	cut = strings.TrimRight(cut, " \n")
	if trailing := len(cut) - len(strings.TrimRight(cut, `\`)); trailing%2 == 1 {
		cut = cut[:len(cut)-1]
	}
	return cut + "…"
}

// lastRunes is the last n runes of s, starting after a space when one is near.
func lastRunes(s string, n int) string {
	c := utf8.RuneCountInString(s)
	if c <= n {
		return s
	}
	t := s[byteOffset(s, c-n):]
	if i := strings.IndexAny(t, " \n"); i >= 0 && i < len(t)/3 {
		t = t[i+1:]
	}
	return t
}

// byteOffset is the byte index of the n-th rune of s.
func byteOffset(s string, n int) int {
	i := 0
	for k := range s {
		if i == n {
			return k
		}
		i++
	}
	return len(s)
}

func runes(s string) int { return utf8.RuneCountInString(s) }

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// safeURL returns an http(s) URL fit for a markdown link, or "".
func safeURL(s string) string {
	s = strings.TrimSpace(s)
	if s == "" || len(s) > 2048 {
		return ""
	}
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.User != nil {
		return ""
	}
	out := u.String()
	// Parentheses and spaces would end a markdown link early.
	out = strings.NewReplacer("(", "%28", ")", "%29", " ", "%20", "<", "%3C", ">", "%3E").Replace(out)
	return out
}

// formatDate shows an ISO date as "6 Jan 2026"; anything else as given.
func formatDate(d string) string {
	d = oneLine(d, 40)
	if t, err := time.Parse("2006-01-02", d); err == nil {
		return t.Format("2 Jan 2006")
	}
	return escapeMarkdown(d)
}
