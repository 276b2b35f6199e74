package bot_test

import (
	"context"
	"log/slog"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/parley-bot/parley"
	"github.com/parley-bot/parley/bot"
)

// How cmd/parley wires the service. build stands for the index and handlers
// (index.Load + handlers.New); the front ends are shown as comments.
func Example_wiring() {
	log := slog.New(slog.NewJSONHandler(os.Stderr, nil))
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, os.Interrupt)
	defer stop()

	seeds := "/srv/parley/seeds" // --seeds / PARLEY_SEEDS
	build := func(ctx context.Context) (bot.Engine, error) {
		// idx, err := index.Load(seeds); h := handlers.New(idx)
		// return bot.Engine{Answerer: h, Completer: h, Articles: n, Sentences: m}, nil
		return bot.Engine{Answerer: parley.AnswerFunc(nil)}, nil
	}

	metrics := bot.NewMetrics()
	lib := bot.NewLibrary(metrics, log)
	articles, _ := bot.NewReloader(bot.ReloaderOptions{
		Name:    "articles",
		Dir:     seeds,
		Match:   func(name string) bool { return strings.HasSuffix(name, ".txt") || name == "articles.json" },
		Load:    lib.Loader(build),
		Rescan:  bot.DefaultRescan,
		Logger:  log,
		Metrics: metrics,
	})
	if err := articles.LoadNow(ctx); err != nil {
		log.Error("loading articles", "err", err) // fatal at start-up
		return
	}

	channels := bot.NewChannels(nil) // defaults when --config is not given
	configPath := "/etc/parley/channels.json"
	copts := channels.ConfigReloaderOptions(configPath)
	copts.Logger, copts.Metrics, copts.Rescan = log, metrics, bot.DefaultRescan
	config, _ := bot.NewReloader(copts)
	if err := config.LoadNow(ctx); err != nil {
		log.Error("loading channel settings", "err", err)
		return
	}

	retention, _ := bot.ParseRetention("90d")
	qlog, err := bot.OpenQueryLog(bot.QueryLogOptions{
		Path:      filepath.Join("/var/lib/parley", "queries.jsonl"),
		Salt:      os.Getenv("PARLEY_QUERY_LOG_SALT"),
		Retention: retention,
		Logger:    log,
		Metrics:   metrics,
	})
	if err != nil {
		log.Error("opening query log", "err", err)
		return
	}
	defer qlog.Close()

	// Outermost first: metrics and the log line see rate-limited answers;
	// the query log records only answers actually given.
	var answerer parley.Answerer = bot.Instrument(
		bot.RateLimit(qlog.Wrap(lib), bot.RateLimitOptions{Every: 3 * time.Second, Burst: 6}),
		metrics, log)
	_ = answerer // handed to the front ends, with lib as Completer, channels as ChannelPolicy, qlog as FeedbackSink

	srv := bot.NewServer(bot.Options{Addr: ":8080", Logger: log, Metrics: metrics})
	// slackFE := slack.New(..., answerer, channels, qlog); slackFE.Register(srv.Mux())
	// srv.Go("slack-socket", slackFE.RunSocketMode)
	// srv.AddCheck("slack-socket", bot.ConnectedCheck(slackFE.Connected))
	// metrics.TrackConnection("slack", slackFE.Connected)
	srv.AddCheck("index", lib.Check)
	srv.AddWarning("articles-reload", articles.Check)
	srv.AddWarning("config-reload", config.Check)
	srv.Go("articles-reload", articles.Run)
	srv.Go("config-reload", config.Run)
	srv.Go("query-log-retention", qlog.Run)

	// SIGHUP: rescan now.
	hup := make(chan os.Signal, 1)
	signal.Notify(hup, syscall.SIGHUP)
	go func() {
		for range hup {
			articles.Trigger()
			config.Trigger()
		}
	}()

	if err := srv.Run(ctx); err != nil {
		log.Error("serve", "err", err)
		os.Exit(1)
	}
}
