package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"maps"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"golang.org/x/term"

	"github.com/parley-bot/parley"
	"github.com/parley-bot/parley/bot"
	"github.com/parley-bot/parley/bot/discord"
	"github.com/parley-bot/parley/bot/slack"
	"github.com/parley-bot/parley/handlers"
	"github.com/parley-bot/parley/index"
	"github.com/parley-bot/parley/seeds"
)

// serveConfig is every setting of `parley serve`.
type serveConfig struct {
	common
	addr            string
	configPath      string
	rescan          time.Duration
	rateEvery       time.Duration
	rateBurst       int
	queryLog        string
	retention       string
	shutdownTimeout time.Duration
	drainDelay      time.Duration
	loadTimeout     time.Duration
	allowShrink     bool
	heapFloor       byteSize
	answerCache     int
	logFormat       string
	logLevel        string
	check           bool

	slackPublic        bool
	slackCommands      commandNames
	slackParleyCommand string

	discordGateway    bool
	discordShardID    string
	discordShardCount int
	discordEphemeral  bool

	// require lists the ways in that must be configured (--require).
	require wayList

	// onReload, when set, hears every reload attempt (tests wait on it);
	// wrapAnswerer, when set, wraps the index's answers (tests slow them).
	onReload     func(bot.ReloadResult)
	wrapAnswerer func(parley.Answerer) parley.Answerer

	// Secrets come from the environment only: flags show in ps.
	slackSigningSecret, slackBotToken, slackAppToken string
	discordPublicKey, discordBotToken, discordAppID  string
	queryLogSalt                                     string
	// slackAPIURL and discordAPI replace the platforms' API addresses (a
	// proxy, or local fakes in tests).
	slackAPIURL, discordAPI string
}

func (m *Main) serveFlags(c *serveConfig) *flagSet {
	fs := m.flags("serve", &c.common)
	fs.StringVar(&c.addr, "addr", "", "HTTP listen `address`; default :$PORT, else :8080")
	fs.Env("addr", "PARLEY_ADDR")
	fs.StringVar(&c.configPath, "config", "", "per-channel settings `FILE`, reloaded on change")
	fs.Env("config", "PARLEY_CONFIG")
	fs.DurationVar(&c.rescan, "rescan", 30*time.Second, "safety-net rescan of watched folders; 0 disables")
	fs.Env("rescan", "PARLEY_RESCAN")
	fs.DurationVar(&c.rateEvery, "rate-every", 3*time.Second, "one answer per user per this interval, sustained")
	fs.Env("rate-every", "PARLEY_RATE_EVERY")
	fs.IntVar(&c.rateBurst, "rate-burst", 6, "answers a user may get at once")
	fs.Env("rate-burst", "PARLEY_RATE_BURST")
	fs.StringVar(&c.queryLog, "query-log", "", "JSON-lines query log `FILE`; empty: off")
	fs.Env("query-log", "PARLEY_QUERY_LOG")
	fs.StringVar(&c.retention, "query-log-retention", "0", "drop query log records older than this, e.g. 90d; 0 keeps all")
	fs.Env("query-log-retention", "PARLEY_QUERY_LOG_RETENTION")
	fs.DurationVar(&c.shutdownTimeout, "shutdown-timeout", 10*time.Second, "time answers in flight get on SIGTERM")
	fs.Env("shutdown-timeout", "PARLEY_SHUTDOWN_TIMEOUT")
	fs.DurationVar(&c.drainDelay, "drain-delay", 0, "on SIGTERM, keep serving (unready) this long before shutting down, for load balancers to notice")
	fs.Env("drain-delay", "PARLEY_DRAIN_DELAY")
	fs.DurationVar(&c.loadTimeout, "load-timeout", bot.DefaultLoadTimeout, "a load of --seeds or --config taking longer fails, and /readyz says it is stuck; 0: no deadline")
	fs.Env("load-timeout", "PARLEY_LOAD_TIMEOUT")
	fs.BoolVar(&c.allowShrink, "allow-shrink", false, "let a reload drop more than half the articles (refused otherwise, as a folder half copied or deleted)")
	fs.Env("allow-shrink", "PARLEY_ALLOW_SHRINK")
	fs.IntVar(&c.answerCache, "answer-cache", 1024, "answers kept per index for repeated questions; 0 turns the cache off")
	fs.Env("answer-cache", "PARLEY_ANSWER_CACHE")
	c.heapFloor = defaultHeapFloor
	fs.Var(&c.heapFloor, "heap-floor", "while the live heap is smaller, collect garbage only once the heap reaches this `SIZE` (fewer collections for a small corpus); 0, or GOGC set, leaves Go's collector as it is")
	fs.Env("heap-floor", "PARLEY_HEAP_FLOOR")
	fs.StringVar(&c.logFormat, "log-format", "", "json or text; default json unless stderr is a terminal")
	fs.Env("log-format", "PARLEY_LOG_FORMAT")
	fs.StringVar(&c.logLevel, "log-level", "info", "debug, info, warn or error")
	fs.Env("log-level", "PARLEY_LOG_LEVEL")
	fs.BoolVar(&c.check, "check", false, "print what would be enabled (secrets masked) and exit; non-zero on a bad combination")
	fs.BoolVar(&c.slackPublic, "slack-public", false, "Slack slash command replies public by default")
	fs.Env("slack-public", "PARLEY_SLACK_PUBLIC")
	fs.Var(&c.slackCommands, "slack-command", "rename a Slack slash command, `name=/slash` (repeatable or comma-separated), e.g. who=/whois")
	fs.Env("slack-command", "PARLEY_SLACK_COMMANDS")
	fs.StringVar(&c.slackParleyCommand, "slack-parley-command", "/parley", "the Slack command that takes any command as its first word")
	fs.Env("slack-parley-command", "PARLEY_SLACK_PARLEY_COMMAND")
	fs.BoolVar(&c.discordGateway, "discord-gateway", false, "receive Discord interactions over the gateway")
	fs.Env("discord-gateway", "PARLEY_DISCORD_GATEWAY")
	fs.StringVar(&c.discordShardID, "discord-shard-id", "0", "gateway shard: a number or a pod name like parley-discord-3")
	fs.Env("discord-shard-id", "PARLEY_DISCORD_SHARD_ID")
	fs.IntVar(&c.discordShardCount, "discord-shard-count", 1, "gateway shards in all; 0: Discord's recommended count")
	fs.Env("discord-shard-count", "PARLEY_DISCORD_SHARD_COUNT")
	fs.BoolVar(&c.discordEphemeral, "discord-ephemeral", false, "Discord replies private by default")
	fs.Env("discord-ephemeral", "PARLEY_DISCORD_EPHEMERAL")
	fs.Var(&c.require, "require", "refuse to start unless these ways in are configured: `WAYS`, comma-separated, of http (Slack HTTP or the Discord endpoint), slack-http, slack-socket, discord-http, discord-gateway")
	fs.Env("require", "PARLEY_REQUIRE")
	env := m.Getenv
	c.slackSigningSecret, c.slackBotToken, c.slackAppToken = env("SLACK_SIGNING_SECRET"), env("SLACK_BOT_TOKEN"), env("SLACK_APP_TOKEN")
	c.discordPublicKey, c.discordBotToken, c.discordAppID = env("DISCORD_PUBLIC_KEY"), env("DISCORD_BOT_TOKEN"), env("DISCORD_APP_ID")
	c.queryLogSalt = env("PARLEY_QUERY_LOG_SALT")
	c.slackAPIURL, c.discordAPI = env("PARLEY_SLACK_API_URL"), env("PARLEY_DISCORD_API")
	return fs
}

// defaultHeapFloor is --heap-floor's default: a few times the seeds' live
// heap, and under half the live heap of 10,000 articles, which the floor
// then leaves alone.
const defaultHeapFloor = 64 << 20

// commandNames maps command names to the slash commands a workspace uses.
type commandNames map[string]string

func (c *commandNames) String() string {
	var parts []string
	for k, v := range *c {
		parts = append(parts, k+"="+v)
	}
	return strings.Join(parts, ",")
}

func (c *commandNames) Set(s string) error {
	if *c == nil {
		*c = commandNames{}
	}
	for _, pair := range strings.Split(s, ",") {
		name, slash, ok := strings.Cut(strings.TrimSpace(pair), "=")
		if _, known := parley.LookupCommand(name); !ok || !known || !strings.HasPrefix(slash, "/") || len(slash) < 2 {
			return fmt.Errorf("want name=/slash with a command name, got %q", pair)
		}
		(*c)[name] = slash
	}
	return nil
}

// Ways in that --require can name.
const (
	wayHTTP           = "http"
	waySlackHTTP      = "slack-http"
	waySlackSocket    = "slack-socket"
	wayDiscordHTTP    = "discord-http"
	wayDiscordGateway = "discord-gateway"
)

// wayList is --require's value: ways in that must be configured, so that a
// deployment made for one (a Kubernetes folder per mode) fails at once,
// naming what is missing, instead of serving nothing.
type wayList []string

func (w *wayList) String() string { return strings.Join(*w, ",") }

func (w *wayList) Set(s string) error {
	*w = nil
	for _, part := range strings.Split(s, ",") {
		part = strings.TrimSpace(part)
		switch part {
		case "":
			continue
		case wayHTTP, waySlackHTTP, waySlackSocket, wayDiscordHTTP, wayDiscordGateway:
			*w = append(*w, part)
		default:
			return fmt.Errorf("want http, slack-http, slack-socket, discord-http or discord-gateway, got %q", part)
		}
	}
	return nil
}

// validate runs every check serve makes before it starts (settings,
// secrets' forms, the channel settings file, the front ends' own options),
// so that `serve --check` refuses what serve would, with the same
// messages. It reads no articles.
func (c *serveConfig) validate() error {
	var errs []error
	if c.indexPath != "" && c.seeds != "" {
		errs = append(errs, errors.New("--index and --seeds both given: choose one"))
	}
	if c.seeds != "" {
		if info, err := os.Stat(c.seeds); err != nil {
			errs = append(errs, fmt.Errorf("seeds folder: %w", err))
		} else if !info.IsDir() {
			errs = append(errs, fmt.Errorf("seeds folder %s: not a directory", c.seeds))
		}
	}
	if c.indexPath != "" {
		if _, err := os.Stat(c.indexPath); err != nil {
			errs = append(errs, fmt.Errorf("index: %w", err))
		}
	}
	if c.slackBotToken != "" && c.slackSigningSecret == "" && c.slackAppToken == "" {
		errs = append(errs, errors.New("SLACK_BOT_TOKEN is set but Slack has no way in: set SLACK_SIGNING_SECRET (HTTP) or SLACK_APP_TOKEN (Socket Mode)"))
	}
	if c.slackOn() {
		if err := slack.CheckOptions(c.slackOptions(nil, nil, nil, nil)); err != nil {
			errs = append(errs, fmt.Errorf("slack: %w", err))
		}
	}
	if c.discordGateway && c.discordPublicKey != "" {
		errs = append(errs, errors.New("--discord-gateway and DISCORD_PUBLIC_KEY both expect Discord interactions: Discord sends them to the endpoint URL when one is set, so use one way in"))
	}
	shard, err := c.shardID()
	if err != nil {
		errs = append(errs, err)
	} else if c.discordShardCount != 0 {
		if err := bot.CheckShard(shard, c.discordShardCount); err != nil {
			errs = append(errs, err)
		}
	}
	if c.discordOn() && err == nil {
		if err := discord.CheckOptions(c.discordOptions(shard, nil, nil, nil, nil, nil)); err != nil {
			errs = append(errs, fmt.Errorf("discord: %w", err))
		}
	}
	if c.rateBurst < 1 || c.rateEvery < 0 {
		errs = append(errs, errors.New("--rate-burst must be at least 1 and --rate-every not negative"))
	}
	if _, err := bot.ParseRetention(c.retention); err != nil {
		errs = append(errs, fmt.Errorf("--query-log-retention: %w", err))
	}
	if c.queryLog != "" && c.queryLogSalt == "" {
		// Unsalted, a user id's hash is found by hashing a member list.
		errs = append(errs, errors.New("--query-log needs PARLEY_QUERY_LOG_SALT, a secret that keeps user ids in the log from being matched against a member list (e.g. openssl rand -hex 32)"))
	}
	if c.queryLog != "" {
		if info, err := os.Stat(filepath.Dir(c.queryLog)); err != nil || !info.IsDir() {
			errs = append(errs, fmt.Errorf("--query-log %s: its folder does not exist", c.queryLog))
		}
	}
	if c.configPath != "" {
		if _, err := bot.LoadChannelConfig(c.configPath); err != nil {
			errs = append(errs, err)
		}
	}
	if _, err := c.logLevelValue(); err != nil {
		errs = append(errs, err)
	}
	if c.logFormat != "" && c.logFormat != "json" && c.logFormat != "text" {
		errs = append(errs, fmt.Errorf("--log-format %q: want json or text", c.logFormat))
	}
	for _, way := range c.require {
		if err := c.requireWay(way); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

func (c *serveConfig) requireWay(way string) error {
	var ok bool
	var missing string
	switch way {
	case wayHTTP:
		ok, missing = c.slackSigningSecret != "" || c.discordPublicKey != "", "SLACK_SIGNING_SECRET or DISCORD_PUBLIC_KEY"
	case waySlackHTTP:
		ok, missing = c.slackSigningSecret != "", "SLACK_SIGNING_SECRET"
	case waySlackSocket:
		ok, missing = c.slackAppToken != "", "SLACK_APP_TOKEN"
	case wayDiscordHTTP:
		ok, missing = c.discordPublicKey != "", "DISCORD_PUBLIC_KEY"
	case wayDiscordGateway:
		ok, missing = c.discordGateway && c.discordBotToken != "", "--discord-gateway (PARLEY_DISCORD_GATEWAY) and DISCORD_BOT_TOKEN"
	}
	if ok {
		return nil
	}
	return fmt.Errorf("--require %s: not configured: set %s", way, missing)
}

func (c *serveConfig) logLevelValue() (slog.Level, error) {
	var level slog.Level
	if err := level.UnmarshalText([]byte(c.logLevel)); err != nil {
		return level, fmt.Errorf("--log-level %q: want debug, info, warn or error", c.logLevel)
	}
	return level, nil
}

// slackOptions are the Slack front end's options from the settings.
func (c *serveConfig) slackOptions(answerer parley.Answerer, feedback parley.FeedbackSink, channels parley.ChannelPolicy, log *slog.Logger) slack.Options {
	return slack.Options{
		SigningSecret: c.slackSigningSecret, BotToken: c.slackBotToken, AppToken: c.slackAppToken,
		Answerer: answerer, Feedback: feedback, Channels: channels, PublicReplies: c.slackPublic,
		Commands: c.slackCommands, ParleyCommand: c.slackParleyCommand,
		APIURL: c.slackAPIURL, Logger: log,
	}
}

// discordOptions are the Discord front end's options from the settings.
func (c *serveConfig) discordOptions(shard int, answerer parley.Answerer, completer parley.Completer, feedback parley.FeedbackSink, channels parley.ChannelPolicy, log *slog.Logger) discord.Options {
	return discord.Options{
		PublicKey: c.discordPublicKey, BotToken: c.discordBotToken, AppID: c.discordAppID,
		Gateway: c.discordGateway, ShardID: shard, ShardCount: c.discordShardCount,
		Ephemeral: c.discordEphemeral,
		Answerer:  answerer, Completer: completer, Feedback: feedback, Channels: channels,
		APIBase: c.discordAPI, Logger: log,
	}
}

func (c *serveConfig) shardID() (int, error) {
	if n, err := strconv.Atoi(c.discordShardID); err == nil {
		return n, nil
	}
	return bot.ShardFromPodName(c.discordShardID)
}

func (c *serveConfig) slackOn() bool {
	return c.slackSigningSecret != "" || c.slackAppToken != ""
}

func (c *serveConfig) discordOn() bool {
	return c.discordPublicKey != "" || c.discordGateway
}

// mask shows that a secret is set, and its length, and nothing of it: even
// a prefix narrows a guess.
func mask(s string) string {
	if s == "" {
		return "(not set)"
	}
	return "set (" + strconv.Itoa(len(s)) + " characters)"
}

// printCheck says what serve would enable; secrets show only whether they
// are set and their length.
func (c *serveConfig) printCheck(w io.Writer) {
	src := "embedded seeds"
	switch {
	case c.indexPath != "":
		src = "on-disk index " + c.indexPath + " (read-only)"
	case c.seeds != "":
		src = "folder " + c.seeds + " (watched, reloaded)"
	}
	fmt.Fprintf(w, "listen:           %s\narticles:         %s\n", c.addr, src)
	if c.seeds != "" {
		fmt.Fprintf(w, "folder limits:    %s per article, %s in all, build memory %s, load timeout %s, allow shrink %v\n",
			c.maxFile.String(), c.maxTotal.String(), c.maxMemory.String(), c.loadTimeout, c.allowShrink)
	}
	fmt.Fprintf(w, "channel settings: %s\n", orNone(c.configPath))
	fmt.Fprintf(w, "query log:        %s (retention %s, PARLEY_QUERY_LOG_SALT %s)\n", orNone(c.queryLog), c.retention, mask(c.queryLogSalt))
	fmt.Fprintf(w, "rate limit:       1 answer per %s per user, burst %d\n", c.rateEvery, c.rateBurst)
	fmt.Fprintf(w, "logs:             %s, level %s\n", orDefault(c.logFormat, "json (text on a terminal)"), c.logLevel)
	fmt.Fprintf(w, "slack http:       %v (SLACK_SIGNING_SECRET %s)\n", c.slackSigningSecret != "", mask(c.slackSigningSecret))
	fmt.Fprintf(w, "slack socket:     %v (SLACK_APP_TOKEN %s)\n", c.slackAppToken != "", mask(c.slackAppToken))
	fmt.Fprintf(w, "slack bot token:  %s\n", mask(c.slackBotToken))
	if c.slackOn() {
		names := slack.DefaultCommandNames()
		maps.Copy(names, c.slackCommands)
		var list []string
		for _, cmd := range parley.Commands() {
			list = append(list, cmd.Name+"="+names[cmd.Name])
		}
		fmt.Fprintf(w, "slack commands:   %s, %s\n", strings.Join(list, " "), orDefault(c.slackParleyCommand, slack.DefaultParleyCommand))
	}
	fmt.Fprintf(w, "discord http:     %v (DISCORD_PUBLIC_KEY %s)\n", c.discordPublicKey != "", mask(c.discordPublicKey))
	fmt.Fprintf(w, "discord gateway:  %v (shard %s of %d)\n", c.discordGateway, c.discordShardID, c.discordShardCount)
	fmt.Fprintf(w, "discord bot:      DISCORD_BOT_TOKEN %s, DISCORD_APP_ID %s\n", mask(c.discordBotToken), orNone(c.discordAppID))
	if len(c.require) > 0 {
		fmt.Fprintf(w, "required:         %s\n", c.require.String())
	}
}

func orNone(s string) string { return orDefault(s, "(none)") }

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// logger is the service's logger. Durations are written as text ("516µs"),
// not as nanoseconds, in both formats.
func (m *Main) logger(c *serveConfig) (*slog.Logger, error) {
	level, err := c.logLevelValue()
	if err != nil {
		return nil, &usageError{err.Error()}
	}
	opts := &slog.HandlerOptions{Level: level, ReplaceAttr: durationText}
	format := c.logFormat
	if format == "" {
		format = "json"
		if f, ok := m.Stderr.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
			format = "text"
		}
	}
	switch format {
	case "json":
		return slog.New(slog.NewJSONHandler(m.Stderr, opts)), nil
	case "text":
		return slog.New(slog.NewTextHandler(m.Stderr, opts)), nil
	}
	return nil, &usageError{fmt.Sprintf("--log-format %q: want json or text", format)}
}

// durationText writes a duration attribute as Go writes durations, rounded
// to what a person reads: "516µs", "12.35ms", "1.2s".
func durationText(_ []string, a slog.Attr) slog.Attr {
	if a.Value.Kind() != slog.KindDuration {
		return a
	}
	d := a.Value.Duration()
	switch {
	case d < time.Millisecond:
		d = d.Round(time.Microsecond)
	case d < time.Second:
		d = d.Round(10 * time.Microsecond)
	default:
		d = d.Round(time.Millisecond)
	}
	return slog.String(a.Key, d.String())
}

// serve runs `parley serve` until ctx is done.
func (m *Main) serve(ctx context.Context, args []string) error {
	var c serveConfig
	fs := m.serveFlags(&c)
	if err := parse(fs, args); err != nil {
		return err
	}
	c.addr = serveAddr(c.addr, m.Getenv)
	if fs.NArg() > 0 {
		return &usageError{fmt.Sprintf("serve takes no arguments, got %q", fs.Args())}
	}
	if err := c.validate(); err != nil {
		if c.check {
			c.printCheck(m.Stdout)
		}
		return &usageError{err.Error()}
	}
	if c.check {
		c.printCheck(m.Stdout)
		return nil
	}
	log, err := m.logger(&c)
	if err != nil {
		return err
	}
	if m.Getenv("PARLEY_DISCORD_MESSAGE_CONTENT") != "" {
		log.Warn("PARLEY_DISCORD_MESSAGE_CONTENT is no longer read: the gateway answers mentions and DMs without the privileged Message Content intent")
	}
	return m.runServer(ctx, &c, log, nil)
}

// runServer wires the service and serves on ln, or on c.addr when ln is nil.
func (m *Main) runServer(ctx context.Context, c *serveConfig, log *slog.Logger, ln net.Listener) error {
	metrics := bot.NewMetrics()
	lib := bot.NewLibrary(metrics, log)
	srv := bot.NewServer(bot.Options{Addr: c.addr, Logger: log, ShutdownTimeout: c.shutdownTimeout, DrainDelay: c.drainDelay, Metrics: metrics})

	opts, err := annotation()
	if err != nil {
		return err
	}
	var articles *bot.Reloader
	switch {
	case c.indexPath != "":
		ix, err := index.OpenWait(ctx, c.indexPath, opts, func() {
			log.Warn("waiting for the index's lock: is parley index build still writing it?", "index", c.indexPath)
		})
		if err != nil {
			return stopping(ctx, err)
		}
		lib.Set(engine(ix, c.answerCache, c.wrapAnswerer))
	case c.seeds != "":
		dir := c.seeds
		build := func(ctx context.Context) (bot.Engine, error) {
			arts, err := m.loadFolder(c.common)
			if err == nil {
				err = lib.CheckShrink(len(arts), c.allowShrink)
			}
			if err != nil {
				return bot.Engine{}, err
			}
			ix, err := index.Build(ctx, arts, opts)
			if err != nil {
				return bot.Engine{}, fmt.Errorf("%s: %w", dir, err)
			}
			return engine(ix, c.answerCache, c.wrapAnswerer), nil
		}
		articles, err = bot.NewReloader(bot.ReloaderOptions{
			Name: "articles", Dir: dir, Rescan: c.rescan, Logger: log, Metrics: metrics,
			Settle: bot.DefaultSettle, LoadTimeout: c.loadTimeout,
			Match: func(name string) bool {
				return !strings.HasPrefix(name, ".") && (strings.HasSuffix(name, ".txt") || name == index.MetadataFile)
			},
			Load: lib.Loader(build), OnResult: c.onReload,
		})
		if err != nil {
			return err
		}
		if err := articles.LoadNow(ctx); err != nil {
			return stopping(ctx, err)
		}
	default:
		ix, err := buildIndex(ctx, seeds.FS(), opts)
		if err != nil {
			return err
		}
		lib.Set(engine(ix, c.answerCache, c.wrapAnswerer))
	}
	srv.AddCheck("index", lib.Check)
	if articles != nil {
		srv.AddWarning("articles-reload", articles.Check)
		srv.Go("articles-reload", articles.Run)
	}

	channels := bot.NewChannels(nil)
	var config *bot.Reloader
	if c.configPath != "" {
		copts := channels.ConfigReloaderOptions(c.configPath)
		copts.Logger, copts.Metrics, copts.Rescan = log, metrics, c.rescan
		copts.Settle, copts.LoadTimeout = bot.DefaultSettle, c.loadTimeout
		if config, err = bot.NewReloader(copts); err != nil {
			return err
		}
		if err := config.LoadNow(ctx); err != nil {
			return stopping(ctx, err)
		}
		srv.AddWarning("config-reload", config.Check)
		srv.Go("config-reload", config.Run)
	}

	var answerer parley.Answerer = lib
	var feedback parley.FeedbackSink
	var qlog *bot.QueryLog
	if c.queryLog != "" {
		retention, _ := bot.ParseRetention(c.retention)
		qlog, err = bot.OpenQueryLog(bot.QueryLogOptions{Path: c.queryLog, Salt: c.queryLogSalt, Retention: retention, Logger: log, Metrics: metrics})
		if err != nil {
			return err
		}
		defer qlog.Close()
		answerer, feedback = qlog.Wrap(lib), qlog
		srv.Go("query-log-retention", qlog.Run)
		srv.AddWarning("query-log", qlog.Check)
	}
	answerer = bot.Instrument(bot.RateLimit(answerer, bot.RateLimitOptions{Every: c.rateEvery, Burst: c.rateBurst}), metrics, log)
	rejections := bot.NewRejectLog(metrics, log)
	srv.OnStop("rejections", rejections.Flush)

	if c.slackOn() {
		opts := c.slackOptions(answerer, feedback, channels, log)
		opts.Rejections = rejections
		sl, err := slack.New(opts)
		if err != nil {
			return fmt.Errorf("slack: %w", err)
		}
		if c.slackSigningSecret != "" {
			sl.Register(srv.Mux())
		}
		if c.slackAppToken != "" {
			srv.Go("slack-socket", sl.RunSocketMode)
			c.connectionCheck(srv, "slack-socket", sl.Connected)
			metrics.TrackConnection("slack", sl.Connected)
		}
		srv.OnStop("slack-drain", sl.Shutdown)
		log.Info("slack on", "http", c.slackSigningSecret != "", "socket_mode", c.slackAppToken != "")
	} else {
		log.Info("slack off: no SLACK_SIGNING_SECRET or SLACK_APP_TOKEN")
	}

	if c.discordOn() {
		shard, _ := c.shardID()
		opts := c.discordOptions(shard, answerer, lib, feedback, channels, log)
		opts.Rejections = rejections
		dc, err := discord.New(opts)
		if err != nil {
			return fmt.Errorf("discord: %w", err)
		}
		if c.discordPublicKey != "" {
			dc.Register(srv.Mux())
		}
		if c.discordGateway {
			srv.Go("discord-gateway", dc.RunGateway)
			c.connectionCheck(srv, "discord-gateway", dc.Connected)
			metrics.TrackConnection("discord", dc.Connected)
		}
		srv.OnStop("discord-drain", dc.Drain)
		log.Info("discord on", "http", c.discordPublicKey != "", "gateway", c.discordGateway)
	} else {
		log.Info("discord off: no DISCORD_PUBLIC_KEY and no --discord-gateway")
	}

	// SIGHUP rescans and reopens the query log; one that came during
	// start-up has waited in m.Hangups and is handled now.
	srv.Go("heap-floor", func(ctx context.Context) error {
		bot.HeapFloor(ctx, int64(c.heapFloor), time.Second, m.Getenv)
		return nil
	})
	srv.Go("sighup", func(ctx context.Context) error {
		for {
			select {
			case <-ctx.Done():
				return nil
			case <-m.Hangups:
			}
			log.Info("SIGHUP: rescanning, reopening the query log")
			if articles != nil {
				articles.Trigger()
			}
			if config != nil {
				config.Trigger()
			}
			if qlog != nil {
				if err := qlog.Reopen(); err != nil {
					log.Error("reopening the query log", "err", err)
				}
			}
		}
	})
	if ln != nil {
		return srv.Serve(ctx, ln)
	}
	return srv.Run(ctx)
}

// serveHTTP says whether this process answers platforms over HTTP (Slack's
// request URLs or Discord's interactions endpoint).
func (c *serveConfig) serveHTTP() bool {
	return c.slackSigningSecret != "" || c.discordPublicKey != ""
}

// connectionCheck reports a long-lived connection (Socket Mode, the
// gateway) in /readyz and /healthz. A process that answers over HTTP stays
// ready without it, for an outage of Slack's sockets or Discord's gateway
// must not take every HTTP replica out of the load balancer; a process
// whose only way in is the connection is ready when it is up.
func (c *serveConfig) connectionCheck(srv *bot.Server, name string, connected func() bool) {
	if c.serveHTTP() {
		srv.AddWarning(name, bot.ConnectedCheck(connected))
		return
	}
	srv.AddCheck(name, bot.ConnectedCheck(connected))
}

// stopping is err, or nil when it came of a shutdown asked for during
// start-up (SIGTERM while the articles load is a clean stop).
func stopping(ctx context.Context, err error) error {
	if ctx.Err() != nil {
		return nil
	}
	return err
}

// buildIndex loads articles from fsys and builds the in-memory index.
func buildIndex(ctx context.Context, fsys fs.FS, opts index.Options) (*index.Index, error) {
	articles, err := index.Load(fsys)
	if err != nil {
		return nil, err
	}
	return index.Build(ctx, articles, opts)
}

func engine(ix *index.Index, cache int, wrap func(parley.Answerer) parley.Answerer) bot.Engine {
	h := handlers.New(ix, handlers.Options{})
	var a parley.Answerer = bot.NewAnswerCache(h, cache)
	if wrap != nil {
		a = wrap(a)
	}
	return bot.Engine{Answerer: a, Completer: h, Articles: len(ix.Articles()), Sentences: ix.Sentences(), Close: ix.Close}
}
