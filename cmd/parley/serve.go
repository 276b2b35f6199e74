package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net"
	"os"
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
	answerCache     int
	logFormat       string
	logLevel        string
	check           bool

	slackPublic        bool
	slackCommands      commandNames
	slackParleyCommand string

	discordGateway        bool
	discordShardID        string
	discordShardCount     int
	discordEphemeral      bool
	discordMessageContent bool

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
	fs.BoolVar(&c.discordMessageContent, "discord-message-content", false, "answer @mentions over the gateway; needs the privileged message content intent")
	fs.Env("discord-message-content", "PARLEY_DISCORD_MESSAGE_CONTENT")
	env := m.Getenv
	c.slackSigningSecret, c.slackBotToken, c.slackAppToken = env("SLACK_SIGNING_SECRET"), env("SLACK_BOT_TOKEN"), env("SLACK_APP_TOKEN")
	c.discordPublicKey, c.discordBotToken, c.discordAppID = env("DISCORD_PUBLIC_KEY"), env("DISCORD_BOT_TOKEN"), env("DISCORD_APP_ID")
	c.queryLogSalt = env("PARLEY_QUERY_LOG_SALT")
	c.slackAPIURL, c.discordAPI = env("PARLEY_SLACK_API_URL"), env("PARLEY_DISCORD_API")
	return fs
}

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

// validate refuses combinations of settings that cannot work.
func (c *serveConfig) validate() error {
	var errs []error
	if c.indexPath != "" && c.seeds != "" {
		errs = append(errs, errors.New("--index and --seeds both given: choose one"))
	}
	if c.slackBotToken != "" && c.slackSigningSecret == "" && c.slackAppToken == "" {
		errs = append(errs, errors.New("SLACK_BOT_TOKEN is set but Slack has no way in: set SLACK_SIGNING_SECRET (HTTP) or SLACK_APP_TOKEN (Socket Mode)"))
	}
	if c.slackAppToken != "" && !strings.HasPrefix(c.slackAppToken, "xapp-") {
		errs = append(errs, errors.New("SLACK_APP_TOKEN must be an app-level token (xapp-...)"))
	}
	if c.slackBotToken != "" && !strings.HasPrefix(c.slackBotToken, "xoxb-") {
		errs = append(errs, errors.New("SLACK_BOT_TOKEN must be a bot token (xoxb-...)"))
	}
	if c.discordGateway && c.discordPublicKey != "" {
		errs = append(errs, errors.New("--discord-gateway and DISCORD_PUBLIC_KEY both expect Discord interactions: Discord sends them to the endpoint URL when one is set, so use one way in"))
	}
	if c.discordGateway && c.discordBotToken == "" {
		errs = append(errs, errors.New("--discord-gateway needs DISCORD_BOT_TOKEN"))
	}
	if c.discordMessageContent && !c.discordGateway {
		errs = append(errs, errors.New("--discord-message-content needs --discord-gateway"))
	}
	if c.discordPublicKey != "" && c.discordAppID == "" {
		errs = append(errs, errors.New("DISCORD_PUBLIC_KEY needs DISCORD_APP_ID to edit deferred answers"))
	}
	if id, err := c.shardID(); err != nil {
		errs = append(errs, err)
	} else if c.discordShardCount != 0 {
		if err := bot.CheckShard(id, c.discordShardCount); err != nil {
			errs = append(errs, err)
		}
	}
	if c.rateBurst < 1 || c.rateEvery < 0 {
		errs = append(errs, errors.New("--rate-burst must be at least 1 and --rate-every not negative"))
	}
	if _, err := bot.ParseRetention(c.retention); err != nil {
		errs = append(errs, fmt.Errorf("--query-log-retention: %w", err))
	}
	return errors.Join(errs...)
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

// mask shows that a secret is set without showing it.
func mask(s string) string {
	switch {
	case s == "":
		return "(not set)"
	case len(s) <= 8:
		return "****"
	}
	return s[:4] + "…(" + strconv.Itoa(len(s)) + " chars)"
}

// printCheck says what serve would enable.
func (c *serveConfig) printCheck(w io.Writer) {
	src := "embedded seeds"
	switch {
	case c.indexPath != "":
		src = "on-disk index " + c.indexPath + " (read-only)"
	case c.seeds != "":
		src = "folder " + c.seeds + " (watched, reloaded)"
	}
	fmt.Fprintf(w, "listen:           %s\narticles:         %s\n", c.addr, src)
	fmt.Fprintf(w, "channel settings: %s\n", orNone(c.configPath))
	fmt.Fprintf(w, "query log:        %s (retention %s)\n", orNone(c.queryLog), c.retention)
	fmt.Fprintf(w, "rate limit:       1 answer per %s per user, burst %d\n", c.rateEvery, c.rateBurst)
	fmt.Fprintf(w, "slack http:       %v (SLACK_SIGNING_SECRET %s)\n", c.slackSigningSecret != "", mask(c.slackSigningSecret))
	fmt.Fprintf(w, "slack socket:     %v (SLACK_APP_TOKEN %s)\n", c.slackAppToken != "", mask(c.slackAppToken))
	fmt.Fprintf(w, "slack bot token:  %s\n", mask(c.slackBotToken))
	fmt.Fprintf(w, "discord http:     %v (DISCORD_PUBLIC_KEY %s)\n", c.discordPublicKey != "", mask(c.discordPublicKey))
	fmt.Fprintf(w, "discord gateway:  %v (shard %s of %d)\n", c.discordGateway, c.discordShardID, c.discordShardCount)
	fmt.Fprintf(w, "discord bot:      DISCORD_BOT_TOKEN %s, DISCORD_APP_ID %s\n", mask(c.discordBotToken), orNone(c.discordAppID))
}

func orNone(s string) string {
	if s == "" {
		return "(none)"
	}
	return s
}

func (m *Main) logger(c *serveConfig) (*slog.Logger, error) {
	var level slog.Level
	if err := level.UnmarshalText([]byte(c.logLevel)); err != nil {
		return nil, &usageError{fmt.Sprintf("--log-level %q: %v", c.logLevel, err)}
	}
	opts := &slog.HandlerOptions{Level: level}
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

// serve runs `parley serve` until ctx is done.
func (m *Main) serve(ctx context.Context, args []string) error {
	var c serveConfig
	fs := m.serveFlags(&c)
	if err := parse(fs, args); err != nil {
		return err
	}
	if c.addr == "" {
		c.addr = ":8080"
		if port := m.Getenv("PORT"); port != "" {
			c.addr = ":" + port
		}
	}
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
		sl, err := slack.New(slack.Options{
			SigningSecret: c.slackSigningSecret, BotToken: c.slackBotToken, AppToken: c.slackAppToken,
			Answerer: answerer, Feedback: feedback, Channels: channels, PublicReplies: c.slackPublic,
			Commands: c.slackCommands, ParleyCommand: c.slackParleyCommand,
			APIURL: c.slackAPIURL,
			Logger: log, Rejections: rejections,
		})
		if err != nil {
			return fmt.Errorf("slack: %w", err)
		}
		if c.slackSigningSecret != "" {
			sl.Register(srv.Mux())
		}
		if c.slackAppToken != "" {
			srv.Go("slack-socket", sl.RunSocketMode)
			srv.AddCheck("slack-socket", bot.ConnectedCheck(sl.Connected))
			metrics.TrackConnection("slack", sl.Connected)
		}
		srv.OnStop("slack-drain", sl.Shutdown)
		log.Info("slack on", "http", c.slackSigningSecret != "", "socket_mode", c.slackAppToken != "")
	} else {
		log.Info("slack off: no SLACK_SIGNING_SECRET or SLACK_APP_TOKEN")
	}

	if c.discordOn() {
		shard, _ := c.shardID()
		dc, err := discord.New(discord.Options{
			PublicKey: c.discordPublicKey, BotToken: c.discordBotToken, AppID: c.discordAppID,
			Gateway: c.discordGateway, ShardID: shard, ShardCount: c.discordShardCount,
			MessageContent: c.discordMessageContent, Ephemeral: c.discordEphemeral,
			Answerer: answerer, Completer: lib, Feedback: feedback, Channels: channels,
			APIBase: c.discordAPI, Logger: log, Rejections: rejections,
		})
		if err != nil {
			return fmt.Errorf("discord: %w", err)
		}
		if c.discordPublicKey != "" {
			dc.Register(srv.Mux())
		}
		if c.discordGateway {
			srv.Go("discord-gateway", dc.RunGateway)
			srv.AddCheck("discord-gateway", bot.ConnectedCheck(dc.Connected))
			metrics.TrackConnection("discord", dc.Connected)
		}
		srv.OnStop("discord-drain", dc.Drain)
		log.Info("discord on", "http", c.discordPublicKey != "", "gateway", c.discordGateway)
	} else {
		log.Info("discord off: no DISCORD_PUBLIC_KEY and no --discord-gateway")
	}

	// SIGHUP rescans and reopens the query log; one that came during
	// start-up has waited in m.Hangups and is handled now.
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
