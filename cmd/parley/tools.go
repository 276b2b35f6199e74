package main

import (
	"context"
	"fmt"
	"time"

	"github.com/parley-bot/parley/bot"
	"github.com/parley-bot/parley/bot/discord"
	"github.com/parley-bot/parley/index"
	"github.com/parley-bot/parley/seeds"
)

// indexCmd is `parley index build --seeds DIR --out PATH`.
func (m *Main) indexCmd(ctx context.Context, args []string) error {
	if len(args) == 0 || args[0] != "build" {
		return &usageError{"usage: parley index build [--seeds DIR] [--shards N] --out PATH"}
	}
	var c common
	fs := m.flags("index build", &c)
	out := fs.String("out", "", "write the on-disk index to `PATH` (must not exist)")
	shards := fs.Int("shards", 1, "split the sentences into `N` indexes searched in parallel (see docs/scaling.md)")
	if err := parseInterspersed(fs, args[1:]); err != nil {
		return err
	}
	if *out == "" || c.indexPath != "" {
		return &usageError{"index build needs --out PATH (and no --index)"}
	}
	start := time.Now()
	articles, err := index.Load(seeds.FS())
	if c.seeds != "" {
		// The on-disk index is the way for corpora too large to build at
		// start-up: only the per-article cap applies here, and the build
		// goes in batches rather than to a memory estimate.
		articles, err = index.LoadDir(c.seeds, index.Limits{MaxFile: int64(c.maxFile)})
		if err != nil {
			err = fmt.Errorf("%s: %w", c.seeds, explain(err))
		}
	}
	if err != nil {
		return err
	}
	opts, err := annotation()
	if err != nil {
		return err
	}
	opts.Shards = *shards
	n, count := 0, len(articles)
	for _, a := range articles {
		n += len(a.Sentences)
	}
	// articles is not used after the call, so the build can let go of
	// their text and sentences once they are written.
	if err := index.BuildOnDisk(ctx, *out, articles, opts); err != nil {
		return err
	}
	fmt.Fprintf(m.Stdout, "indexed %d articles (%d sentences) into %s in %s\n", count, n, *out, time.Since(start).Round(time.Millisecond))
	return nil
}

// discordCmd is `parley discord register`: it overwrites the application's
// commands with the command table.
func (m *Main) discordCmd(ctx context.Context, args []string) error {
	if len(args) > 0 && args[0] == "invite" {
		return m.discordInvite(args[1:])
	}
	if len(args) == 0 || args[0] != "register" {
		return &usageError{"usage: parley discord register (with DISCORD_BOT_TOKEN, DISCORD_APP_ID, optional PARLEY_DISCORD_GUILD), or parley discord invite (with DISCORD_APP_ID)"}
	}
	var c common
	fs := m.flags("discord register", &c)
	guild := fs.String("guild", "", "register in one server (`ID`), where changes show at once")
	fs.Env("guild", "PARLEY_DISCORD_GUILD")
	if err := parseInterspersed(fs, args[1:]); err != nil {
		return err
	}
	token, app := m.Getenv("DISCORD_BOT_TOKEN"), m.Getenv("DISCORD_APP_ID")
	if token == "" || app == "" {
		return &usageError{"discord register needs DISCORD_BOT_TOKEN and DISCORD_APP_ID"}
	}
	if err := discord.RegisterCommands(ctx, discord.RegisterOptions{BotToken: token, AppID: app, GuildID: *guild, APIBase: m.Getenv("PARLEY_DISCORD_API")}); err != nil {
		return err
	}
	where := "globally (Discord may take up to an hour to show changes)"
	if *guild != "" {
		where = "in server " + *guild
	}
	fmt.Fprintf(m.Stdout, "registered %d commands %s\n", len(discord.ApplicationCommands()), where)
	return nil
}

// discordInvite is `parley discord invite`: the links a server admin opens
// to add Parley, for the HTTP endpoint and for the gateway.
func (m *Main) discordInvite(args []string) error {
	if len(args) > 0 {
		return &usageError{"discord invite takes no arguments"}
	}
	app := m.Getenv("DISCORD_APP_ID")
	if app == "" {
		return &usageError{"discord invite needs DISCORD_APP_ID (General Information > Application ID)"}
	}
	fmt.Fprintf(m.Stdout, "HTTP endpoint (commands only, no bot user):\n  %s\n", discord.InviteURL(app, false))
	fmt.Fprintf(m.Stdout, "Gateway (a bot user that answers mentions and DMs; permissions %d):\n  %s\n", int64(discord.InvitePermissions), discord.InviteURL(app, true))
	return nil
}

// stats is `parley stats LOG...`: several replicas' logs read as one.
func (m *Main) stats(_ context.Context, args []string) error {
	var c common
	fs := m.flags("stats", &c)
	top := fs.Int("top", 20, "how many questions each list shows")
	since := fs.String("since", "", "only records newer than this, e.g. 7d or 36h; empty: all")
	jsonOut := fs.Bool("json", false, "print the report as JSON")
	if err := parseInterspersed(fs, args); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		return &usageError{"usage: parley stats [--top N] [--since 7d] [--json] LOG..."}
	}
	opts := bot.StatsOptions{Top: *top, JSON: *jsonOut}
	if *since != "" {
		d, err := bot.ParseRetention(*since)
		if err != nil {
			return &usageError{fmt.Sprintf("--since: %v", err)}
		}
		opts.Since = time.Now().Add(-d)
	}
	return bot.StatsFiles(m.Stdout, opts, fs.Args()...)
}
