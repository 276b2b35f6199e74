package main

import (
	"context"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/parley-bot/parley/bench"
	"github.com/parley-bot/parley/index"
)

// benchCmd is `parley bench`: each command's CPU time per answer next to the
// bare bleve search over the same sentences, in this process, one after the
// other, with no answer cache.
func (m *Main) benchCmd(ctx context.Context, args []string) error {
	var c common
	fs := m.flags("bench", &c)
	linesFile := fs.String("lines", "", "command lines to answer, one a line (`FILE`); default: lines made from the articles' people and topics")
	barePath := fs.String("bare", "", "an on-disk bare index (`PATH`, from parley-scale -bare) to compare an --index with")
	rounds := fs.Int("rounds", 5, "measurements per command; the median is reported")
	window := fs.Duration("window", 300*time.Millisecond, "least CPU time of one measurement")
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return &usageError{"usage: parley bench [--seeds DIR | --index PATH --bare PATH] [--lines FILE] [--rounds N] [--window D]"}
	}
	if (c.indexPath == "") != (*barePath == "") {
		return &usageError{"bench: --index and --bare go together (an on-disk index has no sentences to build a bare index from quickly)"}
	}
	ix, h, err := m.engine(ctx, c)
	if err != nil {
		return err
	}
	defer ix.Close()
	var bare *index.Bare
	if *barePath != "" {
		bare, err = index.OpenBare(*barePath)
	} else {
		bare, err = index.BuildBare(ctx, "", ix.Articles())
	}
	if err != nil {
		return err
	}
	defer bare.Close()
	lines := bench.Lines(ix)
	if *linesFile != "" {
		b, err := os.ReadFile(*linesFile)
		if err != nil {
			return fmt.Errorf("bench: %w", err)
		}
		lines = nil
		for _, l := range strings.Split(string(b), "\n") {
			if l = strings.TrimSpace(l); l != "" {
				lines = append(lines, l)
			}
		}
	}
	fmt.Fprintf(m.Stdout, "%d articles, %d sentences; %d lines; median of %d rounds; CPU time of this process\n",
		ix.Len(), ix.Sentences(), len(lines), *rounds)
	results, err := bench.Compare(ctx, h, bare, lines, bench.Options{Rounds: *rounds, Window: *window})
	if err != nil {
		return err
	}
	return bench.Print(m.Stdout, results)
}
