package handlers

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/parley-bot/parley"
)

// PlainText renders an answer as plain text: the lead, the numbered
// excerpts with their sources, then suggestions or commands. Every answer
// carries it, so it is written piece by piece, without fmt.
func PlainText(a *parley.Answer) string {
	var b strings.Builder
	n := len(a.Notice) + len(a.Lead) + 64
	for _, c := range a.Citations {
		n += len(c.Text) + len(c.Title) + len(c.Outlet) + len(c.URL) + len(c.Speaker) + 48
	}
	for _, c := range a.Related {
		n += len(c.Text) + len(c.Title) + len(c.Outlet) + len(c.URL) + 48
	}
	b.Grow(n)
	if a.Notice != "" {
		b.WriteString(a.Notice)
		b.WriteByte('\n')
	}
	b.WriteString(a.Lead)
	b.WriteByte('\n')
	for _, c := range a.Citations {
		b.WriteString("\n[")
		b.WriteString(strconv.Itoa(c.N))
		b.WriteString("] ")
		writeQuoted(&b, c.Text)
		b.WriteString("\n    — ")
		writeCitationSource(&b, c)
		if c.Speaker != "" {
			b.WriteString(" (")
			b.WriteString(c.Speaker)
			b.WriteByte(')')
		}
		b.WriteByte('\n')
	}
	if a.More {
		b.WriteString("\nMore on page ")
		b.WriteString(strconv.Itoa(a.Page + 1))
		b.WriteString(".\n")
	}
	if len(a.Related) > 0 {
		b.WriteString("\nNearby passages, which don't answer it:\n")
		for _, c := range a.Related {
			b.WriteString("\n(")
			b.WriteString(strconv.Itoa(c.N))
			b.WriteString(") ")
			writeQuoted(&b, c.Text)
			b.WriteString("\n    — ")
			writeCitationSource(&b, c)
			b.WriteByte('\n')
		}
	}
	for _, c := range a.Commands {
		fmt.Fprintf(&b, "\n%-10s %s\n           e.g. %s", "/"+c.Name, c.Summary, strings.Join(c.Examples, ", "))
	}
	if len(a.Commands) > 0 {
		b.WriteString("\n")
	}
	if a.Command == parley.CommandSources {
		for i, s := range a.Sources {
			fmt.Fprintf(&b, "\n%d. %s (%d sentences)", i+1, SourceLine(s), s.Sentences)
		}
		b.WriteString("\n")
	}
	if len(a.Suggestions) > 0 && (!a.Covered || a.Command == parley.CommandHelp) {
		b.WriteString("\nTry: " + strings.Join(a.Suggestions, " · ") + "\n")
	}
	return b.String()
}

// CitationSource is "Title — Outlet, date (also in N articles)" with what is known.
func CitationSource(c parley.Citation) string {
	var b strings.Builder
	writeCitationSource(&b, c)
	return b.String()
}

func writeCitationSource(b *strings.Builder, c parley.Citation) {
	writeSourceLine(b, c.Title, c.Outlet, c.Date, c.URL)
	if n := len(c.AlsoIn); n > 0 {
		b.WriteString(" (also in ")
		b.WriteString(strconv.Itoa(n))
		b.WriteByte(' ')
		b.WriteString(plural(n, "article", "articles"))
		b.WriteByte(')')
	}
}

// SourceLine is "Title — Outlet, date <url>" with whatever is known.
func SourceLine(s parley.Source) string {
	var b strings.Builder
	writeSourceLine(&b, s.Title, s.Outlet, s.Date, s.URL)
	return b.String()
}

func writeSourceLine(b *strings.Builder, title, outlet, date, url string) {
	b.WriteString(title)
	if outlet != "" || date != "" {
		b.WriteString(" — ")
		b.WriteString(outlet)
		if outlet != "" && date != "" {
			b.WriteString(", ")
		}
		b.WriteString(date)
	}
	if url != "" {
		b.WriteString(" <")
		b.WriteString(url)
		b.WriteByte('>')
	}
}

func writeQuoted(b *strings.Builder, text string) {
	if strings.HasPrefix(text, "“") || strings.HasPrefix(text, `"`) {
		b.WriteString(text)
		return
	}
	b.WriteString("“")
	b.WriteString(text)
	b.WriteString("”")
}

// Quoted puts an excerpt in quotation marks, unless it opens with one.
func Quoted(text string) string {
	if strings.HasPrefix(text, "“") || strings.HasPrefix(text, `"`) {
		return text
	}
	return "“" + text + "”"
}
