package bot

import (
	"bufio"
	"cmp"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strings"
	"text/tabwriter"
	"time"
	"unicode"
	"unicode/utf8"
)

// StatsOptions configure Stats. Every zero value is usable.
type StatsOptions struct {
	// Top is how many questions each list shows; 0 means 20.
	Top int
	// Since skips older records; zero means all.
	Since time.Time
}

type questionStats struct {
	key        string
	asked      int
	notCovered int
	failed     int
	up, down   int
}

// Stats summarises a query log (`parley stats LOG`) for editors: the most
// asked questions, the ones the articles did not cover (which articles to
// add) and the 👍/👎 counts per question. Questions are grouped by command
// and query, ignoring case and spacing. Lines that are not records are
// counted and skipped; only reading r can fail.
func Stats(r io.Reader, w io.Writer, opts StatsOptions) error {
	if opts.Top <= 0 {
		opts.Top = 20
	}
	byKey := make(map[string]*questionStats)
	users := make(map[string]struct{})
	var answers, notCovered, failed, feedback, skipped int
	var first, last time.Time
	br := bufio.NewReaderSize(r, 64<<10)
	for {
		line, rerr := br.ReadBytes('\n')
		if len(strings.TrimSpace(string(line))) > 0 {
			var rec QueryRecord
			if err := json.Unmarshal(line, &rec); err != nil || rec.Time.IsZero() {
				skipped++
			} else if rec.Time.Before(opts.Since) {
				// Older than asked for.
			} else {
				if first.IsZero() || rec.Time.Before(first) {
					first = rec.Time
				}
				if rec.Time.After(last) {
					last = rec.Time
				}
				if rec.User != "" {
					users[rec.User] = struct{}{}
				}
				k := questionKey(rec.Command, rec.Query)
				q := byKey[k]
				if q == nil {
					q = &questionStats{key: k}
					byKey[k] = q
				}
				switch {
				case rec.Feedback == FeedbackUp:
					feedback++
					q.up++
				case rec.Feedback == FeedbackDown:
					feedback++
					q.down++
				case rec.Feedback != "":
					skipped++
				default:
					answers++
					q.asked++
					switch {
					case rec.Error:
						failed++
						q.failed++
					case !rec.Covered:
						notCovered++
						q.notCovered++
					}
				}
			}
		}
		if rerr == io.EOF {
			break
		}
		if rerr != nil {
			return fmt.Errorf("stats: read: %w", rerr)
		}
	}

	all := make([]*questionStats, 0, len(byKey))
	for _, q := range byKey {
		all = append(all, q)
	}
	ew := &errWriter{w: w}
	fmt.Fprintf(ew, "Query log: %d answers (%d not covered, %d failed), %d feedback, %d people",
		answers, notCovered, failed, feedback, len(users))
	if !first.IsZero() {
		fmt.Fprintf(ew, ", %s to %s", first.UTC().Format("2006-01-02 15:04"), last.UTC().Format("2006-01-02 15:04 MST"))
	}
	fmt.Fprintln(ew)
	if skipped > 0 {
		fmt.Fprintf(ew, "Skipped %d lines that are not records.\n", skipped)
	}

	asked := top(all, opts.Top, func(q *questionStats) int { return q.asked })
	section(ew, "Most asked", "asked\tnot covered\tquestion", asked, func(q *questionStats) string {
		return fmt.Sprintf("%d\t%d\t%s", q.asked, q.notCovered, q.key)
	})
	uncovered := top(all, opts.Top, func(q *questionStats) int { return q.notCovered })
	section(ew, "Not covered by the articles", "asked\tquestion", uncovered, func(q *questionStats) string {
		return fmt.Sprintf("%d\t%s", q.notCovered, q.key)
	})
	rated := top(all, opts.Top, func(q *questionStats) int { return q.up + q.down })
	section(ew, "Feedback", "👍\t👎\tquestion", rated, func(q *questionStats) string {
		return fmt.Sprintf("%d\t%d\t%s", q.up, q.down, q.key)
	})
	return ew.err
}

// top returns the n questions with the highest non-zero count, ties by name.
func top(all []*questionStats, n int, count func(*questionStats) int) []*questionStats {
	var out []*questionStats
	for _, q := range all {
		if count(q) > 0 {
			out = append(out, q)
		}
	}
	slices.SortFunc(out, func(a, b *questionStats) int {
		return cmp.Or(cmp.Compare(count(b), count(a)), strings.Compare(a.key, b.key))
	})
	if len(out) > n {
		out = out[:n]
	}
	return out
}

func section(w io.Writer, title, header string, qs []*questionStats, row func(*questionStats) string) {
	fmt.Fprintf(w, "\n%s\n", title)
	if len(qs) == 0 {
		fmt.Fprintln(w, "  (none)")
		return
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(tw, "%s\t\n", header)
	for _, q := range qs {
		fmt.Fprintf(tw, "%s\t\n", row(q))
	}
	tw.Flush()
}

// questionKey groups "/who France" and "/who  france": the command, then the
// query lowercased with spacing and control characters collapsed, cut to 80
// characters for display.
func questionKey(command, query string) string {
	if command == "" {
		command = "?"
	}
	f := strings.FieldsFunc(strings.ToLower(query), func(r rune) bool {
		return unicode.IsSpace(r) || unicode.IsControl(r) || r == utf8.RuneError
	})
	q := strings.Join(f, " ")
	if utf8.RuneCountInString(q) > 80 {
		q = string([]rune(q)[:79]) + "…"
	}
	if q == "" {
		return "/" + command
	}
	return "/" + command + " " + q
}

type errWriter struct {
	w   io.Writer
	err error
}

func (e *errWriter) Write(p []byte) (int, error) {
	if e.err != nil {
		return 0, e.err
	}
	n, err := e.w.Write(p)
	if err != nil {
		e.err = fmt.Errorf("stats: write: %w", err)
	}
	return n, err
}
