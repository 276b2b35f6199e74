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
	// Page is the page of citations Ask shows (`parley ask --page 2`); 0
	// means 1.
	Page int
}

// Ask answers one command line and writes the answer to w. An answer with
// more pages ends with the command that shows the next one.
func Ask(ctx context.Context, a parley.Answerer, line string, w io.Writer, opts Options) error {
	ans, err := answer(ctx, a, line, opts.Page)
	if err != nil {
		return err
	}
	return write(w, ans, opts, fmt.Sprintf("(more: parley ask --page %d %s)", max(ans.Page, 1)+1, shellQuote(line)))
}

func answer(ctx context.Context, a parley.Answerer, line string, page int) (*parley.Answer, error) {
	req := parley.Parse(line)
	req.Platform = "cli"
	if page > 1 {
		req.Page = page
	}
	return a.Answer(ctx, req)
}

func write(w io.Writer, ans *parley.Answer, opts Options, moreHint string) error {
	if opts.JSON {
		enc := json.NewEncoder(w)
		enc.SetEscapeHTML(false)
		enc.SetIndent("", "  ")
		return enc.Encode(ans)
	}
	_, err := io.WriteString(w, render(ans, opts.Width, moreHint))
	return err
}

// shellQuote quotes s for a POSIX shell when it needs it, so the hint can be
// pasted as it is.
func shellQuote(s string) string {
	if s != "" && strings.IndexFunc(s, func(r rune) bool {
		return !(r == '/' || r == '-' || r == '_' || r == '.' || (r >= '0' && r <= '9') || (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z'))
	}) < 0 {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// moreWord is what a person types in chat for the next page of the last
// answer.
const moreWord = "more"

// conversation remembers the last line answered, for "more".
type conversation struct {
	line string
	page int
	more bool
}

// turn answers one line of a chat: "more" shows the next page of the last
// answer, anything else is a new command line.
func (c *conversation) turn(ctx context.Context, a parley.Answerer, line string, w io.Writer, opts Options) error {
	page := 1
	if t := strings.ToLower(strings.TrimSpace(line)); t == moreWord || t == "/"+moreWord {
		if !c.more {
			const nothing = "There is nothing more to show: ask something first."
			if opts.JSON {
				// The stream stays one JSON object per line typed.
				return write(w, &parley.Answer{Command: parley.CommandHelp, Lead: nothing, Text: nothing, Suggestions: []string{}, People: []parley.Person{}, Citations: []parley.Citation{}}, opts, "")
			}
			_, err := io.WriteString(w, nothing+"\n")
			return err
		}
		line, page = c.line, c.page+1
	}
	ans, err := answer(ctx, a, line, page)
	if err != nil {
		return err
	}
	c.line, c.page, c.more = line, max(ans.Page, 1), ans.More
	return write(w, ans, opts, `(more: type "more")`)
}

// Chat answers one command line per line of in until in ends; "more" shows
// the next page of the last answer. On a terminal (term non-nil) it shows a
// prompt with line editing and history.
func Chat(ctx context.Context, a parley.Answerer, in io.Reader, out io.Writer, terminal io.ReadWriter, opts Options) error {
	var c conversation
	if terminal != nil {
		t := term.NewTerminal(terminal, "parley> ")
		fmt.Fprintln(t, `Ask about the story; /help lists the commands, "more" shows the next page, Ctrl-D quits.`)
		for {
			line, err := t.ReadLine()
			if err == io.EOF {
				return nil
			}
			if err != nil {
				return fmt.Errorf("cli: read: %w", err)
			}
			if err := c.turn(ctx, a, line, t, opts); err != nil {
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
		if err := c.turn(ctx, a, sc.Text(), out, opts); err != nil {
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
	return render(a, width, fmt.Sprintf("(more: page %d)", max(a.Page, 1)+1))
}

func render(a *parley.Answer, width int, moreHint string) string {
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
	if a.More && moreHint != "" {
		b.WriteString("\n" + moreHint + "\n")
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
