package bot

import (
	"bufio"
	"bytes"
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
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
	// JSON writes the StatsReport as JSON instead of text tables.
	JSON bool
}

type questionStats struct {
	key        string
	asked      int
	notCovered int
	failed     int
	up, down   int
}

// StatsReport is what Stats finds in a query log.
type StatsReport struct {
	Answers    int `json:"answers"`
	NotCovered int `json:"not_covered"`
	Failed     int `json:"failed"`
	Feedback   int `json:"feedback"`
	// People counts distinct user hashes.
	People int `json:"people"`
	// First and Last are the times of the oldest and newest records counted.
	First time.Time `json:"first,omitzero"`
	Last  time.Time `json:"last,omitzero"`
	// Skipped counts lines that are not records.
	Skipped int `json:"skipped"`
	// MostAsked, NotCoveredQuestions and Rated are the top questions by
	// answers, by answers not covered and by feedback.
	MostAsked           []QuestionStats `json:"most_asked"`
	NotCoveredQuestions []QuestionStats `json:"not_covered_questions"`
	Rated               []QuestionStats `json:"rated"`
}

// QuestionStats are the counts of one question ("/who france").
type QuestionStats struct {
	Question   string `json:"question"`
	Asked      int    `json:"asked"`
	NotCovered int    `json:"not_covered"`
	Failed     int    `json:"failed"`
	Up         int    `json:"up"`
	Down       int    `json:"down"`
}

// ReadStats reads a query log into a report. Lines that are not records are
// counted and skipped; only reading r can fail.
func ReadStats(r io.Reader, opts StatsOptions) (*StatsReport, error) {
	if opts.Top <= 0 {
		opts.Top = 20
	}
	a := &statsAgg{byKey: make(map[string]*questionStats), users: make(map[string]struct{}), votes: make(map[voter]string)}
	br := bufio.NewReaderSize(r, 64<<10)
	for {
		line, rerr := br.ReadBytes('\n')
		if len(bytes.TrimSpace(line)) > 0 {
			var rec QueryRecord
			if err := json.Unmarshal(line, &rec); err != nil || !a.add(rec, opts.Since) {
				a.skipped++
			}
		}
		if rerr == io.EOF {
			break
		}
		if rerr != nil {
			return nil, fmt.Errorf("stats: read: %w", rerr)
		}
	}
	a.countVotes()
	all := make([]*questionStats, 0, len(a.byKey))
	for _, q := range a.byKey {
		all = append(all, q)
	}
	return &StatsReport{
		Answers: a.answers, NotCovered: a.notCovered, Failed: a.failed, Feedback: a.feedback,
		People: len(a.users), First: a.first.UTC(), Last: a.last.UTC(), Skipped: a.skipped,
		MostAsked:           top(all, opts.Top, func(q *questionStats) int { return q.asked }),
		NotCoveredQuestions: top(all, opts.Top, func(q *questionStats) int { return q.notCovered }),
		Rated:               top(all, opts.Top, func(q *questionStats) int { return q.up + q.down }),
	}, nil
}

// Stats summarises a query log (`parley stats LOG`) for editors: the most
// asked questions, the ones the articles did not cover (which articles to
// add) and the 👍/👎 counts per question, as text tables or JSON. Questions
// are grouped by command and query, ignoring case and spacing; a person
// counts once per question, with their last vote.
func Stats(r io.Reader, w io.Writer, opts StatsOptions) error {
	rep, err := ReadStats(r, opts)
	if err != nil {
		return err
	}
	ew := &errWriter{w: w}
	if opts.JSON {
		enc := json.NewEncoder(ew)
		enc.SetIndent("", "  ")
		enc.Encode(rep)
		return ew.err
	}
	fmt.Fprintf(ew, "Query log: %d answers (%d not covered, %d failed), %d feedback, %d people",
		rep.Answers, rep.NotCovered, rep.Failed, rep.Feedback, rep.People)
	if rep.Answers+rep.Feedback > 0 {
		fmt.Fprintf(ew, ", %s to %s", rep.First.Format("2006-01-02 15:04"), rep.Last.Format("2006-01-02 15:04 MST"))
	}
	fmt.Fprintln(ew)
	if rep.Skipped > 0 {
		fmt.Fprintf(ew, "Skipped %d lines that are not records.\n", rep.Skipped)
	}
	section(ew, "Most asked", "asked\tnot covered\t  question", rep.MostAsked, func(q QuestionStats) string {
		return fmt.Sprintf("%d\t%d\t  %s", q.Asked, q.NotCovered, q.Question)
	})
	section(ew, "Not covered by the articles", "asked\t  question", rep.NotCoveredQuestions, func(q QuestionStats) string {
		return fmt.Sprintf("%d\t  %s", q.NotCovered, q.Question)
	})
	section(ew, "Feedback", "👍\t👎\t  question", rep.Rated, func(q QuestionStats) string {
		return fmt.Sprintf("%d\t%d\t  %s", q.Up, q.Down, q.Question)
	})
	return ew.err
}

type statsAgg struct {
	byKey                                          map[string]*questionStats
	users                                          map[string]struct{}
	answers, notCovered, failed, feedback, skipped int
	first, last                                    time.Time
	// votes holds each person's last vote on each question: one vote per
	// person per answer, however often the buttons were pressed.
	votes map[voter]string
}

type voter struct{ user, question string }

// countVotes adds each person's last vote to the questions' counts.
func (a *statsAgg) countVotes() {
	for v, fb := range a.votes {
		q := a.byKey[v.question]
		a.feedback++
		if fb == FeedbackUp {
			q.up++
		} else {
			q.down++
		}
	}
}

// add counts rec, and reports false for a line that is no record.
func (a *statsAgg) add(rec QueryRecord, since time.Time) bool {
	switch {
	case rec.Time.IsZero():
		return false
	case rec.Feedback != "" && rec.Feedback != FeedbackUp && rec.Feedback != FeedbackDown:
		return false
	case rec.Time.Before(since):
		return true
	}
	if a.first.IsZero() || rec.Time.Before(a.first) {
		a.first = rec.Time
	}
	if rec.Time.After(a.last) {
		a.last = rec.Time
	}
	if rec.User != "" {
		a.users[rec.User] = struct{}{}
	}
	k := questionKey(rec.Command, rec.Query)
	q := a.byKey[k]
	if q == nil {
		q = &questionStats{key: k}
		a.byKey[k] = q
	}
	switch {
	case rec.Feedback != "" && rec.User != "":
		a.votes[voter{rec.User, k}] = rec.Feedback
	case rec.Feedback == FeedbackUp:
		// No user to tell votes apart: each counts.
		a.feedback++
		q.up++
	case rec.Feedback == FeedbackDown:
		a.feedback++
		q.down++
	default:
		a.answers++
		q.asked++
		switch {
		case rec.Error:
			a.failed++
			q.failed++
		case !rec.Covered:
			a.notCovered++
			q.notCovered++
		}
	}
	return true
}

// top returns the n questions with the highest non-zero count, ties by name;
// never nil, so JSON shows [] rather than null.
func top(all []*questionStats, n int, count func(*questionStats) int) []QuestionStats {
	var sel []*questionStats
	for _, q := range all {
		if count(q) > 0 {
			sel = append(sel, q)
		}
	}
	slices.SortFunc(sel, func(a, b *questionStats) int {
		return cmp.Or(cmp.Compare(count(b), count(a)), strings.Compare(a.key, b.key))
	})
	if len(sel) > n {
		sel = sel[:n]
	}
	out := make([]QuestionStats, len(sel))
	for i, q := range sel {
		out[i] = QuestionStats{Question: q.key, Asked: q.asked, NotCovered: q.notCovered, Failed: q.failed, Up: q.up, Down: q.down}
	}
	return out
}

func section(w io.Writer, title, header string, qs []QuestionStats, row func(QuestionStats) string) {
	fmt.Fprintf(w, "\n%s\n", title)
	if len(qs) == 0 {
		fmt.Fprintln(w, "  (none)")
		return
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	// The question, the last cell, ends without a tab: tabwriter leaves it
	// out of the right-aligned columns.
	fmt.Fprintf(tw, "%s\n", header)
	for _, q := range qs {
		fmt.Fprintf(tw, "%s\n", row(q))
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

// StatsFiles runs Stats over several query logs (one per replica) as one.
func StatsFiles(w io.Writer, opts StatsOptions, paths ...string) error {
	if len(paths) == 0 {
		return errors.New("stats: no query log given")
	}
	var readers []io.Reader
	for _, p := range paths {
		f, err := os.Open(p)
		if err != nil {
			return fmt.Errorf("stats: %w", err)
		}
		defer f.Close()
		// A newline between files, in case one ends without.
		readers = append(readers, f, strings.NewReader("\n"))
	}
	return Stats(io.MultiReader(readers...), w, opts)
}
