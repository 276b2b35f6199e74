package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
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
}

const usage = `usage: parley <command> [flags] [args]

commands:
  ask [--json] [--] LINE...   answer one command line, e.g. parley ask "/who france"
  chat                        answer command lines read from standard input
  eval FILE                   score answers on a question file
  serve [--check]             run the Slack and Discord front ends, health and metrics
  index build --out PATH      write an on-disk index for parley serve --index
  bench [--lines FILE]        CPU per answer of each command next to a bare bleve search
  discord register            register the slash commands with Discord
  stats LOG                   most asked and uncovered questions from a query log
  help                        this text

flags (each also read from its environment variable; a flag beats its variable):
  --seeds DIR   (PARLEY_SEEDS)  load articles from DIR instead of the embedded seeds
`

// Run runs the subcommand args[0].
func (m *Main) Run(ctx context.Context, args []string) error {
	limitMemory(m.Getenv, os.DirFS("/"))
	if len(args) == 0 {
		fmt.Fprint(m.Stderr, usage)
		return &usageError{"no command given"}
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
	return fs
}

// parse parses the command line, then gives each flag not on it the value
// of its variable; a bad value in either is a usage error naming it.
func parse(fs *flagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return &usageError{"help requested"}
		}
		return &usageError{err.Error()}
	}
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	for name, variable := range fs.env {
		if set[name] {
			continue
		}
		if v := fs.getenv(variable); v != "" {
			if err := fs.Set(name, v); err != nil {
				return &usageError{fmt.Sprintf("%s=%q: %v", variable, v, err)}
			}
		}
	}
	return nil
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
		ix, err := index.Open(c.indexPath, opts)
		if err != nil {
			return nil, nil, err
		}
		return ix, handlers.New(ix, handlers.Options{}), nil
	}
	var fsys fs.FS = seeds.FS()
	if c.seeds != "" {
		info, err := os.Stat(c.seeds)
		if err != nil {
			return nil, nil, fmt.Errorf("seeds folder: %w", err)
		}
		if !info.IsDir() {
			return nil, nil, fmt.Errorf("seeds folder %s: not a directory", c.seeds)
		}
		fsys = os.DirFS(c.seeds)
	}
	articles, err := index.Load(fsys)
	if err != nil {
		if c.seeds != "" {
			return nil, nil, fmt.Errorf("%s: %w", c.seeds, err)
		}
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

// terminalEngine parses the flags of ask and chat and builds the engine.
func (m *Main) terminalEngine(ctx context.Context, name, jsonHelp string, args []string) (*index.Index, *handlers.Handlers, *flagSet, bool, error) {
	var c common
	fs := m.flags(name, &c)
	jsonOut := fs.Bool("json", false, jsonHelp)
	if err := parse(fs, args); err != nil {
		return nil, nil, nil, false, err
	}
	ix, h, err := m.engine(ctx, c)
	return ix, h, fs, *jsonOut, err
}

func (m *Main) ask(ctx context.Context, args []string) error {
	ix, h, fs, jsonOut, err := m.terminalEngine(ctx, "ask", "print the answer as JSON", args)
	if err != nil {
		return err
	}
	defer ix.Close()
	return cli.Ask(ctx, h, strings.Join(fs.Args(), " "), m.Stdout, cli.Options{JSON: jsonOut, Width: m.width()})
}

func (m *Main) chat(ctx context.Context, args []string) error {
	ix, h, _, jsonOut, err := m.terminalEngine(ctx, "chat", "print answers as JSON, one object each", args)
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
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return &usageError{"eval takes one question file"}
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
