package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"strings"

	"golang.org/x/term"

	"github.com/parley-bot/parley"
	"github.com/parley-bot/parley/bot/cli"
	"github.com/parley-bot/parley/eval"
	"github.com/parley-bot/parley/handlers"
	"github.com/parley-bot/parley/index"
	"github.com/parley-bot/parley/seeds"
)

// Main is the parley program: it parses settings, builds the answer engine
// and runs one subcommand. Tests drive it as the binary would be.
type Main struct {
	Stdin          io.Reader
	Stdout, Stderr io.Writer
	Getenv         func(string) string
	// Hangups receives a value per SIGHUP (nil: none). serve rescans and
	// reopens its logs; other commands stop, as a hung-up terminal asks.
	Hangups <-chan struct{}
	// MemoryLimit is the memory the process may use, for the estimate of a
	// build (--max-index-memory auto); 0 means GOMEMLIMIT if set, else no
	// check.
	MemoryLimit int64
}

const usage = `usage: parley <command> [flags] [args]

commands:
  ask [--json] [--page N] [--] LINE...  answer one command line, e.g. parley ask "/who france"
  chat [--json]               answer command lines read from standard input ("more": next page)
  eval FILE [--min 1.0]       score answers on a question file
  serve [--check]             run the Slack and Discord front ends, health and metrics
  healthcheck [--ready]       ask the local parley serve whether it is alive (or ready)
  index build --out PATH      write an on-disk index for parley serve --index
  bench [--lines FILE]        CPU per answer of each command next to a bare bleve search
  discord register            register the slash commands with Discord
  discord invite              print the links that add Parley to a Discord server
  stats LOG... [--top N]      most asked and uncovered questions from query logs
  version                     the version of this binary
  help                        this text

Flags may follow the arguments (not for ask, whose line is free text); -- ends them.
Each flag is also read from its environment variable; a flag beats its variable:
  --seeds DIR   (PARLEY_SEEDS)  load articles from DIR instead of the embedded seeds
  --index PATH  (PARLEY_INDEX)  open an on-disk index instead of building one
parley COMMAND --help lists a command's flags.
`

// Run runs the subcommand args[0].
func (m *Main) Run(ctx context.Context, args []string) error {
	if len(args) == 0 {
		fmt.Fprint(m.Stderr, usage)
		return &usageError{"no command given"}
	}
	if args[0] != "serve" && m.Hangups != nil {
		var cancel context.CancelFunc
		ctx, cancel = context.WithCancel(ctx)
		defer cancel()
		go func() {
			select {
			case <-m.Hangups:
				cancel()
			case <-ctx.Done():
			}
		}()
	}
	switch args[0] {
	case "ask":
		return m.ask(ctx, args[1:])
	case "chat":
		return m.chat(ctx, args[1:])
	case "eval":
		return m.eval(ctx, args[1:])
	case "serve":
		return m.serve(ctx, args[1:])
	case "index":
		return m.indexCmd(ctx, args[1:])
	case "discord":
		return m.discordCmd(ctx, args[1:])
	case "stats":
		return m.stats(ctx, args[1:])
	case "healthcheck":
		return m.healthcheck(ctx, args[1:])
	case "version", "--version":
		return m.versionCmd(args[1:])
	case "bench":
		return m.benchCmd(ctx, args[1:])
	case "help", "-h", "--help":
		fmt.Fprint(m.Stdout, usage)
		return nil
	}
	fmt.Fprint(m.Stderr, usage)
	return &usageError{fmt.Sprintf("unknown command %q", args[0])}
}

// common are the settings every subcommand that answers needs.
type common struct {
	seeds     string
	indexPath string
	// Limits on a folder of articles (index.Limits).
	maxFile, maxTotal byteSize
	maxMemory         memorySetting
}

// flagSet is a flag set whose flags may each be given by an environment
// variable; a flag on the command line beats its variable.
type flagSet struct {
	*flag.FlagSet
	env    map[string]string // flag name -> variable
	getenv func(string) string
}

// Env makes variable set the flag name when the command line does not.
func (f *flagSet) Env(name, variable string) {
	f.env[name] = variable
	fl := f.Lookup(name)
	fl.Usage += " (" + variable + ")"
}

func (m *Main) flags(name string, c *common) *flagSet {
	fs := &flagSet{FlagSet: flag.NewFlagSet("parley "+name, flag.ContinueOnError), env: map[string]string{}, getenv: m.Getenv}
	fs.SetOutput(m.Stderr)
	fs.StringVar(&c.seeds, "seeds", "", "load articles from `DIR` instead of the embedded seeds")
	fs.Env("seeds", "PARLEY_SEEDS")
	fs.StringVar(&c.indexPath, "index", "", "open an on-disk index at `PATH` (from parley index build) read-only instead of building one")
	fs.Env("index", "PARLEY_INDEX")
	c.maxFile, c.maxTotal, c.maxMemory = index.DefaultMaxFile, index.DefaultMaxTotal, memorySetting{auto: true}
	fs.Var(&c.maxFile, "max-article-size", "largest article file read from --seeds; a larger one fails the load, naming it")
	fs.Env("max-article-size", "PARLEY_MAX_ARTICLE_SIZE")
	fs.Var(&c.maxTotal, "max-articles-size", "most article text read from --seeds in all")
	fs.Env("max-articles-size", "PARLEY_MAX_ARTICLES_SIZE")
	fs.Var(&c.maxMemory, "max-index-memory", "memory a build from --seeds may count on, next to what the process holds: auto (the container's limit), 0 (no check) or a size")
	fs.Env("max-index-memory", "PARLEY_MAX_INDEX_MEMORY")
	return fs
}

// memoryLimit is the limit --max-index-memory auto means.
func (m *Main) memoryLimit() int64 {
	if m.MemoryLimit > 0 && m.MemoryLimit < math.MaxInt64 {
		return m.MemoryLimit
	}
	return goMemLimit()
}

// loadFolder loads the articles of --seeds within the limits.
func (m *Main) loadFolder(c common) ([]*parley.Article, error) {
	articles, err := index.LoadDir(c.seeds, c.limits(m.memoryLimit()))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", c.seeds, explain(err))
	}
	return articles, nil
}

// parse parses flags that come before the arguments (`parley ask`, whose
// line is free text that may start with "-"), then gives each flag not on
// the command line its variable's value; a bad value in either is a usage
// error naming it.
func parse(fs *flagSet, args []string) error {
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	return applyEnv(fs)
}

// engine loads the articles and builds the index and the handlers.
func (m *Main) engine(ctx context.Context, c common) (*index.Index, *handlers.Handlers, error) {
	if c.indexPath != "" {
		if c.seeds != "" {
			return nil, nil, &usageError{"--index and --seeds both given: choose one"}
		}
		opts, err := annotation()
		if err != nil {
			return nil, nil, err
		}
		ix, err := index.OpenWait(ctx, c.indexPath, opts, func() {
			fmt.Fprintf(m.Stderr, "parley: waiting for the lock on %s (parley index build still writing it?)\n", c.indexPath)
		})
		if err != nil {
			return nil, nil, err
		}
		return ix, handlers.New(ix, handlers.Options{}), nil
	}
	articles, err := index.Load(seeds.FS())
	if c.seeds != "" {
		articles, err = m.loadFolder(c)
	}
	if err != nil {
		return nil, nil, err
	}
	opts, err := annotation()
	if err != nil {
		return nil, nil, err
	}
	ix, err := index.Build(ctx, articles, opts)
	if err != nil {
		return nil, nil, err
	}
	return ix, handlers.New(ix, handlers.Options{}), nil
}

func (m *Main) ask(ctx context.Context, args []string) error {
	var c common
	fs := m.flags("ask", &c)
	jsonOut := fs.Bool("json", false, "print the answer as JSON")
	page := fs.Int("page", 1, "show this page of citations (an answer says when there is a next one)")
	// Flags first: the line is free text, and may itself start with "-".
	if err := parse(fs, args); err != nil {
		return err
	}
	if *page < 1 {
		return &usageError{fmt.Sprintf("--page %d: want a page number from 1", *page)}
	}
	ix, h, err := m.engine(ctx, c)
	if err != nil {
		return err
	}
	defer ix.Close()
	return cli.Ask(ctx, h, strings.Join(fs.Args(), " "), m.Stdout, cli.Options{JSON: *jsonOut, Width: m.width(), Page: *page})
}

func (m *Main) chat(ctx context.Context, args []string) error {
	var c common
	fs := m.flags("chat", &c)
	json := fs.Bool("json", false, "print answers as JSON, one object each")
	if err := parseInterspersed(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return &usageError{fmt.Sprintf("chat reads its lines from standard input and takes no arguments, got %q", fs.Args())}
	}
	jsonOut := *json
	ix, h, err := m.engine(ctx, c)
	if err != nil {
		return err
	}
	defer ix.Close()
	var terminal io.ReadWriter
	if f, ok := m.Stdin.(*os.File); ok && term.IsTerminal(int(f.Fd())) && !jsonOut {
		old, err := term.MakeRaw(int(f.Fd()))
		if err == nil {
			defer term.Restore(int(f.Fd()), old)
			terminal = struct {
				io.Reader
				io.Writer
			}{f, m.Stdout}
		}
	}
	return cli.Chat(ctx, h, m.Stdin, m.Stdout, terminal, cli.Options{JSON: jsonOut, Width: m.width()})
}

func (m *Main) eval(ctx context.Context, args []string) error {
	var c common
	fs := m.flags("eval", &c)
	min := fs.Float64("min", 0, "exit with status 1 when the hit rate is below this fraction")
	if err := parseInterspersed(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return &usageError{"usage: parley eval [--min 1.0] FILE: one question file"}
	}
	f, err := eval.Load(fs.Arg(0))
	if err != nil {
		return err
	}
	if c.seeds == "" && c.indexPath == "" {
		c.seeds = f.Seeds
	}
	ix, h, err := m.engine(ctx, c)
	if err != nil {
		return err
	}
	defer ix.Close()
	results, err := eval.Run(ctx, h, f)
	if err != nil {
		return err
	}
	if rate := eval.Report(m.Stdout, results); rate < *min {
		return fmt.Errorf("hit rate %.0f%% is below %.0f%%", rate*100, *min*100)
	}
	return nil
}

// width is the terminal's width for wrapping, 80 when not a terminal.
func (m *Main) width() int {
	if f, ok := m.Stdout.(*os.File); ok {
		if w, _, err := term.GetSize(int(f.Fd())); err == nil && w > 20 {
			return w
		}
	}
	return 80
}

var _ parley.Answerer = (*handlers.Handlers)(nil)
