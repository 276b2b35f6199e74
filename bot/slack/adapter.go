// Package slack is Parley's Slack front end: slash commands, mentions and
// direct messages, over HTTP (signed requests) and over Socket Mode. It
// checks what Slack sends, turns it into a parley.Request, hands that to the
// Answerer it is given, and draws the parley.Answer as Block Kit. It never
// sees the index; slack-go types never leave it.
package slack

import (
	"context"
	"errors"
	"fmt"
	"log"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/parley-bot/parley"
	"github.com/parley-bot/parley/bot/workers"
	"github.com/slack-go/slack"
)

// Platform is the name requests and feedback from Slack carry.
const Platform = "slack"

// Defaults of Options' zero values.
const (
	DefaultAckDeadline   = 2500 * time.Millisecond
	DefaultAnswerTimeout = 30 * time.Second
	DefaultMaxBody       = 1 << 20
	// DefaultReplayMemory is how many signed requests are remembered within
	// the replay window: the whole 5 minutes at 10,000 a second, above the
	// 8,400 one replica serves at most (docs/scaling.md), in about 95 MB
	// when full (32 bytes a signature, BenchmarkReplayGuardMemory). Past
	// it, requests are refused, not replays forgotten.
	DefaultReplayMemory = 3_000_000
	// eventMemory bounds the event ids remembered to drop Slack's retries;
	// a retry forgotten is answered twice, which is harmless.
	eventMemory          = 100_000
	DefaultParleyCommand = "/parley"
	// ReplayWindow is how far a request's timestamp may be from now (Slack's
	// rule); a replay is remembered for twice that, as long as a timestamp
	// can stay acceptable.
	ReplayWindow = 5 * time.Minute
)

// ErrNotConfigured is New's answer when neither a signing secret nor an app
// token is set: Slack stays off (New has logged so once).
var ErrNotConfigured = errors.New("slack: off: neither SLACK_SIGNING_SECRET nor SLACK_APP_TOKEN is set")

// Options configure an Adapter. Every zero value is usable except Answerer.
type Options struct {
	// SigningSecret (SLACK_SIGNING_SECRET) verifies HTTP requests; empty
	// means no HTTP endpoints (Register does nothing).
	SigningSecret string
	// BotToken (SLACK_BOT_TOKEN, xoxb-) posts replies to mentions and DMs and
	// pages of public answers; empty means mentions and DMs get no reply.
	BotToken string
	// AppToken (SLACK_APP_TOKEN, xapp-) enables Socket Mode; empty means
	// RunSocketMode returns at once with an error.
	AppToken string
	// Answerer answers requests. Required.
	Answerer parley.Answerer
	// Feedback records 👍/👎; nil means feedback is only logged.
	Feedback parley.FeedbackSink
	// Channels says how Parley behaves per channel; nil means defaults.
	Channels parley.ChannelPolicy
	// PublicReplies makes slash command replies visible to the channel; false
	// (the default) keeps them private (ephemeral) with a Share button.
	PublicReplies bool
	// Commands maps command table names to this workspace's slash commands
	// ({"quote": "/q"}); a missing name keeps its DefaultCommandNames entry,
	// which the shipped manifests register ("/" + the name, or "/whois" for
	// who, since Slack owns "/who").
	Commands map[string]string
	// ParleyCommand is the umbrella command ("/parley who france"); "" means
	// DefaultParleyCommand.
	ParleyCommand string
	// APIURL is Slack's Web API base URL ending in "/"; "" means slack-go's
	// (https://slack.com/api/). Tests point it at a fake.
	APIURL string
	// HTTPClient makes every outgoing call; nil means a client with a 15 s
	// timeout.
	HTTPClient *http.Client
	// Logger receives the adapter's logs; nil discards them.
	Logger *slog.Logger
	// Rejections hears requests refused before an answer (bad signature,
	// replay, too large); nil means they are logged at debug level only.
	Rejections parley.Rejections
	// Now is the clock of the replay memory; nil means time.Now. Request
	// timestamps are checked by slack-go's SecretsVerifier against the real
	// clock.
	Now func() time.Time
	// AckDeadline is how long a slash command waits for its answer before
	// acknowledging with nothing and delivering the answer through
	// response_url; 0 means DefaultAckDeadline (Slack allows 3 s).
	AckDeadline time.Duration
	// AnswerTimeout bounds one answer, delivered late or not; 0 means
	// DefaultAnswerTimeout.
	AnswerTimeout time.Duration
	// MaxBody caps an HTTP request body in bytes; 0 means DefaultMaxBody.
	MaxBody int64
	// ReplayMemory bounds how many request signatures are remembered, each
	// for as long as its timestamp is within ReplayWindow; when it is full,
	// new requests are refused (503) rather than a replay let through. 0
	// means DefaultReplayMemory.
	ReplayMemory int
	// PingInterval is how long Socket Mode waits for Slack's ping before
	// reconnecting; 0 means slack-go's default (30 s).
	PingInterval time.Duration
}

// Adapter serves one Slack app.
type Adapter struct {
	o         Options
	log       *slog.Logger
	now       func() time.Time
	bySlash   map[string]string // "/whois" -> "who"
	names     commandNames      // "who" -> "/whois"
	parleyCmd string
	api       *slack.Client // nil without a bot token
	httpc     *http.Client
	replays   *replayGuard // signatures of commands and interactions
	events    *memory      // event ids
	connected atomic.Bool
	// warned holds the unknown slash commands already logged, so a renamed
	// command Parley was not told about is logged once, not per use.
	warned sync.Map
	// answering runs answers on goroutines kept from one to the next.
	answering *workers.Workers
	// bodies keeps response buffers (*[]byte) from one answer to the next:
	// a fresh 4 KB buffer per answer was a sixth of the bytes a slash
	// command allocated.
	bodies sync.Pool

	// ctx outlives the requests that start work after their ack; Shutdown
	// cancels it.
	ctx    context.Context
	cancel context.CancelFunc
	mu     sync.Mutex // guards closed and wg.Go against Shutdown's wg.Wait
	closed bool
	wg     sync.WaitGroup
}

// CheckOptions reports what New would refuse in opts, other than a missing
// Answerer: `parley serve --check` shows the same errors serve stops on.
func CheckOptions(opts Options) error {
	_, err := commandTable(opts)
	return err
}

// table is how this workspace names the commands.
type table struct {
	bySlash   map[string]string // "/whois" -> "who"
	names     commandNames      // "who" -> "/whois"
	parleyCmd string
}

func commandTable(opts Options) (table, error) {
	t := table{bySlash: map[string]string{}, names: commandNames{}, parleyCmd: strings.ToLower(opts.ParleyCommand)}
	if opts.AppToken != "" && !strings.HasPrefix(opts.AppToken, "xapp-") {
		return t, errors.New("slack: new: SLACK_APP_TOKEN must be an app-level token (xapp-...)")
	}
	if opts.BotToken != "" && !strings.HasPrefix(opts.BotToken, "xoxb-") {
		return t, errors.New("slack: new: SLACK_BOT_TOKEN must be a bot token (xoxb-...)")
	}
	if t.parleyCmd == "" {
		t.parleyCmd = DefaultParleyCommand
	}
	if !strings.HasPrefix(t.parleyCmd, "/") {
		return t, fmt.Errorf("slack: new: command %q must start with /", opts.ParleyCommand)
	}
	for name := range opts.Commands {
		if _, ok := parley.LookupCommand(name); !ok {
			return t, fmt.Errorf("slack: new: no command %q in the command table", name)
		}
	}
	defaults := DefaultCommandNames()
	for _, c := range parley.Commands() {
		name := defaults[c.Name]
		if n, ok := opts.Commands[c.Name]; ok && n != "" {
			name = strings.ToLower(n)
		}
		if !strings.HasPrefix(name, "/") {
			return t, fmt.Errorf("slack: new: command %q must start with /", name)
		}
		if IsBuiltin(name) {
			return t, fmt.Errorf("slack: new: %s is one of Slack's built-in commands, which apps cannot register: choose another name for %s", name, c.Name)
		}
		if _, dup := t.bySlash[name]; dup || name == t.parleyCmd {
			return t, fmt.Errorf("slack: new: command %q used twice", name)
		}
		t.bySlash[name] = c.Name
		t.names[c.Name] = name
	}
	return t, nil
}

// New checks opts and returns an Adapter, or ErrNotConfigured when Slack is
// off.
func New(opts Options) (*Adapter, error) {
	log := opts.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	log = log.With("component", "slack")
	if opts.SigningSecret == "" && opts.AppToken == "" {
		log.Info("slack is off: set SLACK_SIGNING_SECRET (HTTP) or SLACK_APP_TOKEN (Socket Mode) to turn it on")
		return nil, ErrNotConfigured
	}
	if opts.Answerer == nil {
		return nil, errors.New("slack: new: no Answerer")
	}
	t, err := commandTable(opts)
	if err != nil {
		return nil, err
	}
	if opts.BotToken == "" {
		log.Warn("no SLACK_BOT_TOKEN: slash commands work, mentions and DMs get no reply")
	}
	a := &Adapter{
		o:         opts,
		log:       log,
		now:       opts.Now,
		bySlash:   t.bySlash,
		names:     t.names,
		parleyCmd: t.parleyCmd,
		httpc:     opts.HTTPClient,
		answering: workers.New(workers.DefaultIdle),
	}
	if a.now == nil {
		a.now = time.Now
	}
	if a.o.AckDeadline <= 0 {
		a.o.AckDeadline = DefaultAckDeadline
	}
	if a.o.AnswerTimeout <= 0 {
		a.o.AnswerTimeout = DefaultAnswerTimeout
	}
	if a.o.MaxBody <= 0 {
		a.o.MaxBody = DefaultMaxBody
	}
	if a.o.ReplayMemory <= 0 {
		a.o.ReplayMemory = DefaultReplayMemory
	}
	if a.httpc == nil {
		a.httpc = &http.Client{Timeout: 15 * time.Second}
	}
	a.replays = newReplayGuard(a.o.ReplayMemory, ReplayWindow)
	a.events = newMemory(eventMemory, 2*ReplayWindow)
	if opts.BotToken != "" {
		a.api = slack.New(opts.BotToken, a.apiOptions()...)
	}
	a.ctx, a.cancel = context.WithCancel(context.Background())
	return a, nil
}

func (a *Adapter) apiOptions() []slack.Option {
	// slack-go's own log lines (debug only) go to our logger, not stderr.
	o := []slack.Option{slack.OptionHTTPClient(a.httpc), slack.OptionLog(a.libLog())}
	if a.o.APIURL != "" {
		o = append(o, slack.OptionAPIURL(a.o.APIURL))
	}
	return o
}

func (a *Adapter) libLog() *log.Logger {
	return slog.NewLogLogger(a.log.Handler(), slog.LevelDebug)
}

// Connected reports whether Socket Mode is connected, for /readyz and
// metrics. It is false when Socket Mode is not running.
func (a *Adapter) Connected() bool { return a.connected.Load() }

// Shutdown waits for answers still being delivered after their ack, until
// ctx is done, then cancels those left. Work that would start after it is
// dropped: call it once the HTTP server and Socket Mode have stopped.
func (a *Adapter) Shutdown(ctx context.Context) error {
	a.mu.Lock()
	a.closed = true
	a.mu.Unlock()
	done := make(chan struct{})
	go func() { a.wg.Wait(); close(done) }()
	defer a.cancel()
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		return fmt.Errorf("slack: shutdown: %w", ctx.Err())
	}
}

// later runs f after the ack, tracked for Shutdown, within AnswerTimeout.
// Once Shutdown has begun, new work can come only from work already in
// flight (a Socket Mode answer that outlived its ack) or the last events
// read: f then runs at once in the caller, still within the timeout and
// before Shutdown cancels what is left, rather than being dropped.
func (a *Adapter) later(f func(ctx context.Context)) {
	run := func() {
		ctx, cancel := context.WithTimeout(a.ctx, a.o.AnswerTimeout)
		defer cancel()
		f(ctx)
	}
	if !a.track(run) {
		run()
	}
}

// track runs f in a goroutine Shutdown waits for; it returns false, and
// runs nothing, once Shutdown has begun.
func (a *Adapter) track(f func()) bool {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.closed {
		return false
	}
	a.wg.Go(f)
	return true
}

func (a *Adapter) channel(id string) parley.ChannelSettings {
	if a.o.Channels == nil {
		return parley.ChannelSettings{}
	}
	return a.o.Channels.Channel(Platform, id)
}
