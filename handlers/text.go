package handlers

import (
	"fmt"
	"strings"

	"github.com/parley-bot/parley"
)

// PlainText renders an answer as plain text: the lead, the numbered
// excerpts with their sources, then suggestions or commands.
func PlainText(a *parley.Answer) string {
	var b strings.Builder
	if a.Notice != "" {
		b.WriteString(a.Notice + "\n")
	}
	b.WriteString(a.Lead + "\n")
	for _, c := range a.Citations {
		fmt.Fprintf(&b, "\n[%d] %s\n    — %s", c.N, Quoted(c.Text), CitationSource(c))
		if c.Speaker != "" {
			fmt.Fprintf(&b, " (%s)", c.Speaker)
		}
		b.WriteString("\n")
	}
	if a.More {
		fmt.Fprintf(&b, "\nMore on page %d.\n", a.Page+1)
	}
	if len(a.Related) > 0 {
		b.WriteString("\nNearby passages, which don't answer it:\n")
		for _, c := range a.Related {
			fmt.Fprintf(&b, "\n(%d) %s\n    — %s\n", c.N, Quoted(c.Text), CitationSource(c))
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
	s := SourceLine(parley.Source{Title: c.Title, Outlet: c.Outlet, Date: c.Date, URL: c.URL})
	if n := len(c.AlsoIn); n > 0 {
		s += fmt.Sprintf(" (also in %d %s)", n, plural(n, "article", "articles"))
	}
	return s
}

// SourceLine is "Title — Outlet, date <url>" with whatever is known.
func SourceLine(s parley.Source) string {
	line := s.Title
	var meta []string
	if s.Outlet != "" {
		meta = append(meta, s.Outlet)
	}
	if s.Date != "" {
		meta = append(meta, s.Date)
	}
	if len(meta) > 0 {
		line += " — " + strings.Join(meta, ", ")
	}
	if s.URL != "" {
		line += " <" + s.URL + ">"
	}
	return line
}

// Quoted puts an excerpt in quotation marks, unless it opens with one.
func Quoted(text string) string {
	if strings.HasPrefix(text, "“") || strings.HasPrefix(text, `"`) {
		return text
	}
	return "“" + text + "”"
}
