// Package cli is Parley's terminal front end: it answers one command line
// (`parley ask`) or a conversation on standard input (`parley chat`), for a
// person or, with JSON, for programs and tests.
package cli

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"golang.org/x/term"

	"github.com/parley-bot/parley"
)

// Options configure the terminal front end. The zero value renders for a
// person at 80 columns.
type Options struct {
	// JSON prints the answer as the JSON contract instead of for a person.
	JSON bool
	// Width wraps excerpts for a person; 0 means 80.
	Width int
}

// Ask answers one command line and writes the answer to w.
func Ask(ctx context.Context, a parley.Answerer, line string, w io.Writer, opts Options) error {
	req := parley.Parse(line)
	req.Platform = "cli"
	ans, err := a.Answer(ctx, req)
	if err != nil {
		return err
	}
	if opts.JSON {
		enc := json.NewEncoder(w)
		enc.SetEscapeHTML(false)
		enc.SetIndent("", "  ")
		return enc.Encode(ans)
	}
	_, err = io.WriteString(w, Render(ans, opts.Width))
	return err
}

// Chat answers one command line per line of in until in ends. On a terminal
// (term non-nil) it shows a prompt with line editing and history.
func Chat(ctx context.Context, a parley.Answerer, in io.Reader, out io.Writer, terminal io.ReadWriter, opts Options) error {
	if terminal != nil {
		t := term.NewTerminal(terminal, "parley> ")
		fmt.Fprintln(t, "Ask about the story; /help lists the commands, Ctrl-D quits.")
		for {
			line, err := t.ReadLine()
			if err == io.EOF {
				return nil
			}
			if err != nil {
				return fmt.Errorf("cli: read: %w", err)
			}
			if err := Ask(ctx, a, line, t, opts); err != nil {
				fmt.Fprintf(t, "error: %v\n", err)
			}
		}
	}
	sc := bufio.NewScanner(in)
	sc.Buffer(make([]byte, 64*1024), 1<<20)
	for sc.Scan() {
		if err := ctx.Err(); err != nil {
			return err
		}
		if err := Ask(ctx, a, sc.Text(), out, opts); err != nil {
			return err
		}
		if !opts.JSON {
			fmt.Fprintln(out)
		}
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("cli: read: %w", err)
	}
	return nil
}

// Render formats an answer for a person: lead, numbered excerpts wrapped to
// width, then the sources.
func Render(a *parley.Answer, width int) string {
	if width <= 20 {
		width = 80
	}
	var b strings.Builder
	if a.Notice != "" {
		b.WriteString(wrap(a.Notice, width, "") + "\n")
	}
	b.WriteString(wrap(a.Lead, width, "") + "\n")
	for _, c := range a.Citations {
		b.WriteString("\n")
		label := fmt.Sprintf("[%d] ", c.N)
		b.WriteString(label + strings.TrimLeft(wrap(quoted(c.Text), width, strings.Repeat(" ", len(label))), " ") + "\n")
		src := "— " + c.Title
		if c.Speaker != "" {
			src = "— " + c.Speaker + ", in " + c.Title
		}
		if n := len(c.AlsoIn); n > 0 {
			src += fmt.Sprintf(" (also in %d more)", n)
		}
		b.WriteString(wrap(src, width, strings.Repeat(" ", len(label))) + "\n")
	}
	if len(a.Related) > 0 {
		// Passages near a question the articles don't answer: shown apart,
		// never numbered like citations that answer it.
		b.WriteString("\nNearby passages, which don't answer it:\n")
		for _, c := range a.Related {
			label := fmt.Sprintf("(%d) ", c.N)
			b.WriteString("\n" + label + strings.TrimLeft(wrap(quoted(c.Text), width, strings.Repeat(" ", len(label))), " ") + "\n")
			b.WriteString(wrap("— "+c.Title, width, strings.Repeat(" ", len(label))) + "\n")
		}
	}
	if a.More {
		fmt.Fprintf(&b, "\n(more: add page %d)\n", a.Page+1)
	}
	for _, c := range a.Commands {
		fmt.Fprintf(&b, "\n  %-9s %s\n            e.g. %s\n", "/"+c.Name, c.Summary, strings.Join(c.Examples, ", "))
	}
	if len(a.Suggestions) > 0 && (!a.Covered || a.Command == parley.CommandHelp) && len(a.Commands) == 0 {
		b.WriteString("\nTry:\n")
		for _, s := range a.Suggestions {
			b.WriteString("  " + s + "\n")
		}
	}
	if len(a.Sources) > 0 {
		b.WriteString("\nSources:\n")
		for i, s := range a.Sources {
			line := fmt.Sprintf("%d. %s", i+1, s.Title)
			var meta []string
			for _, m := range []string{s.Outlet, s.Date, s.URL} {
				if m != "" {
					meta = append(meta, m)
				}
			}
			if len(meta) > 0 {
				line += " — " + strings.Join(meta, ", ")
			}
			if a.Command == parley.CommandSources {
				line += fmt.Sprintf(" (%d sentences)", s.Sentences)
			}
			b.WriteString(strings.TrimPrefix(wrap(line, width, "   "), "   ") + "\n")
		}
	}
	return b.String()
}

// wrap breaks text into lines of at most width columns at spaces, indenting
// every line with indent.
func wrap(text string, width int, indent string) string {
	var b strings.Builder
	col := 0
	for i, w := range strings.Fields(text) {
		n := utf8.RuneCountInString(w)
		switch {
		case i == 0:
			b.WriteString(indent)
			col = len(indent)
		case col+1+n > width:
			b.WriteString("\n" + indent)
			col = len(indent)
		default:
			b.WriteByte(' ')
			col++
		}
		b.WriteString(w)
		col += n
	}
	return b.String()
}

// quoted puts an excerpt in quotation marks, unless it opens with one.
func quoted(text string) string {
	if strings.HasPrefix(text, "“") || strings.HasPrefix(text, `"`) {
		return text
	}
	return "“" + text + "”"
}
