// Package bench measures what Parley's answers cost next to the bare bleve
// search (index.Bare): each command's CPU time per answer, in one process,
// the two run one after the other over the same lines, as a ratio. Speed is
// reported, never asserted.
package bench

import (
	"context"
	"fmt"
	"io"
	"runtime"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/parley-bot/parley"
)

// Searcher is the yardstick: one bare search for the text of a line.
type Searcher interface {
	Search(ctx context.Context, text string) (int, error)
}

// Options say how long to measure. The zero value is usable.
type Options struct {
	// Rounds is how many times each command is measured, Parley and the
	// bare search alternating which goes first; the median is reported.
	// 0 means 5.
	Rounds int
	// Window is the least CPU time one measurement runs for, repeating
	// the lines; 0 means 300ms.
	Window time.Duration
}

// Result is one command's cost per answer, medians over the rounds.
type Result struct {
	Command string
	// Lines is how many distinct lines the command had.
	Lines int
	// Parley and Bare are CPU time per answer and per bare search.
	Parley, Bare time.Duration
}

// Ratio is Parley's cost in bare searches.
func (r Result) Ratio() float64 {
	if r.Bare <= 0 {
		return 0
	}
	return float64(r.Parley) / float64(r.Bare)
}

// Measured are the commands compared with the bare search: those that
// search. /sources and /help read no index and are left out.
var Measured = []string{parley.CommandWho, parley.CommandWhat, parley.CommandAsk, parley.CommandQuote}

// Compare answers every line with a and searches its query text with bare,
// command by command, and returns each command's cost and, last, that of
// the whole mix ("all", weighted by the lines of each command).
func Compare(ctx context.Context, a parley.Answerer, bare Searcher, lines []string, opts Options) ([]Result, error) {
	if opts.Rounds <= 0 {
		opts.Rounds = 5
	}
	if opts.Window <= 0 {
		opts.Window = 300 * time.Millisecond
	}
	groups := map[string][]parley.Request{}
	for _, l := range lines {
		req := parley.Parse(l)
		if slices.Contains(Measured, req.Command) {
			groups[req.Command] = append(groups[req.Command], req)
		}
	}
	var out []Result
	var all Result
	all.Command = "all"
	for _, c := range Measured {
		reqs := groups[c]
		if len(reqs) == 0 {
			continue
		}
		answer := func() error {
			for _, r := range reqs {
				if _, err := a.Answer(ctx, r); err != nil {
					return fmt.Errorf("bench: %s: %w", r.Line, err)
				}
			}
			return nil
		}
		search := func() error {
			for _, r := range reqs {
				if _, err := bare.Search(ctx, r.Query); err != nil {
					return fmt.Errorf("bench: bare %q: %w", r.Query, err)
				}
			}
			return nil
		}
		// Warm both up (page cache, pools) and size the repetitions so that
		// each measurement lasts about a window.
		t0 := CPU()
		if err := answer(); err != nil {
			return nil, err
		}
		if err := search(); err != nil {
			return nil, err
		}
		reps := max(1, int(opts.Window/max(CPU()-t0, time.Microsecond)))
		var ps, bs []time.Duration
		for round := 0; round < opts.Rounds; round++ {
			first, second := answer, search
			if round%2 == 1 {
				first, second = search, answer
			}
			d1, err := measure(first, reps)
			if err != nil {
				return nil, err
			}
			d2, err := measure(second, reps)
			if err != nil {
				return nil, err
			}
			if round%2 == 1 {
				d1, d2 = d2, d1
			}
			n := time.Duration(reps * len(reqs))
			ps, bs = append(ps, d1/n), append(bs, d2/n)
		}
		r := Result{Command: c, Lines: len(reqs), Parley: median(ps), Bare: median(bs)}
		out = append(out, r)
		all.Lines += r.Lines
		all.Parley += r.Parley * time.Duration(r.Lines)
		all.Bare += r.Bare * time.Duration(r.Lines)
	}
	if all.Lines == 0 {
		return nil, fmt.Errorf("bench: none of the %d lines is a %s", len(lines), strings.Join(Measured, ", "))
	}
	all.Parley /= time.Duration(all.Lines)
	all.Bare /= time.Duration(all.Lines)
	return append(out, all), nil
}

// measure runs f reps times and returns the process's CPU time for it. The
// collector runs before, so that one side's garbage is not charged to the
// other; garbage made inside the window is collected inside it, as when
// serving.
func measure(f func() error, reps int) (time.Duration, error) {
	runtime.GC()
	t0 := CPU()
	for i := 0; i < reps; i++ {
		if err := f(); err != nil {
			return 0, err
		}
	}
	return CPU() - t0, nil
}

func median(d []time.Duration) time.Duration {
	s := slices.Clone(d)
	slices.Sort(s)
	return s[len(s)/2]
}

// Print writes the results as a table.
func Print(w io.Writer, results []Result) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "command\tlines\tParley CPU/answer\tbare CPU/search\tratio\t")
	for _, r := range results {
		name := r.Command
		if name != "all" {
			name = "/" + name
		}
		fmt.Fprintf(tw, "%s\t%d\t%s\t%s\t%.2fx\t\n", name, r.Lines, round(r.Parley), round(r.Bare), r.Ratio())
	}
	return tw.Flush()
}

func round(d time.Duration) time.Duration {
	if d > time.Millisecond {
		return d.Round(10 * time.Microsecond)
	}
	return d.Round(100 * time.Nanosecond)
}

// Lines makes a mixed set of command lines from a corpus itself, for
// corpora nobody wrote questions for: /who and /quote for its 40 most
// mentioned people (by surname), /what and two /ask questions for each of
// its 40 most frequent topics, and /who for a few countries.
func Lines(c parley.Corpus) []string {
	var lines []string
	people := c.People()
	for i := 0; i < len(people) && i < 40; i++ {
		last := people[i].Name[strings.LastIndexByte(people[i].Name, ' ')+1:]
		lines = append(lines, "/who "+last, "/quote "+last)
	}
	for _, t := range c.Topics(40) {
		lines = append(lines, "/what "+t, "/ask how many "+t+" were agreed", "/ask when will "+t+" resume")
	}
	for _, q := range []string{"france", "chile", "norway", "napoleon", "nato", "japan"} {
		lines = append(lines, "/who "+q)
	}
	return lines
}
