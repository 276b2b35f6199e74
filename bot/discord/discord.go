// Package discord is Parley's Discord front end: application commands with
// autocomplete, answers as embeds with buttons and a "Show context" menu,
// received over the HTTP interactions endpoint or over the gateway.
//
// It turns Discord interactions into parley.Requests, hands them to the
// Answerer it is given and renders the parley.Answer back; it never sees the
// index. Buttons and menus carry their state in custom_id (or, when the query
// is too long, in the footer of the message they sit under), so any replica
// can answer a click.
package discord

import (
	"context"
	"crypto/ed25519"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/parley-bot/parley"
	"github.com/parley-bot/parley/bot/workers"
)

// Platform is the name requests and channel policies use for Discord.
const Platform = "discord"

// ErrDisabled is returned by New when neither a public key (HTTP endpoint)
// nor the gateway is configured: Discord is off.
var ErrDisabled = errors.New("discord: off (no DISCORD_PUBLIC_KEY and no gateway)")

// Defaults for zero Options.
const (
	// Discord wants the first response within 3 seconds; deferring at 2.5s
	// leaves room for the network.
	defaultDeferAfter = 2500 * time.Millisecond
	// answerTimeout bounds an answer after a deferral; the interaction token
	// lives 15 minutes, nobody waits that long.
	answerTimeout = 30 * time.Second
	// completeTimeout keeps autocomplete inside Discord's 3 seconds.
	completeTimeout = 2 * time.Second
)

// Options configure an Adapter. The zero value of every field is documented;
// Answerer is the only required field, and one of PublicKey or Gateway
// (with BotToken) turns Discord on.
type Options struct {
	// PublicKey is the application's public key in hex (DISCORD_PUBLIC_KEY).
	// When set, Register serves POST /discord/interactions. Empty: no HTTP
	// endpoint.
	PublicKey string
	// BotToken is the bot token (DISCORD_BOT_TOKEN), needed for the gateway
	// and for mentions; without "Bot " prefix (added when missing). Empty: no
	// gateway.
	BotToken string
	// AppID is the application id (DISCORD_APP_ID). Every interaction
	// carries its application id, which is used; when AppID is set too, an
	// interaction for another application is refused and logged (the key
	// and the id of two different applications). Empty: taken from each
	// interaction.
	AppID string
	// Gateway receives interactions over the websocket (PARLEY_DISCORD_GATEWAY).
	// Requires BotToken. False: RunGateway returns at once.
	Gateway bool
	// ShardID and ShardCount select the shard this process serves: shard
	// ShardID of ShardCount. ShardCount 0 asks Discord for its recommended
	// count (GET /gateway/bot) and this process runs all of those shards;
	// ShardID must then be 0.
	ShardID, ShardCount int
	// Ephemeral makes replies visible only to the asker. False: public (a
	// channel's ChannelSettings.Public overrides either way).
	Ephemeral bool
	// Answerer answers requests. Required.
	Answerer parley.Answerer
	// Completer suggests option values while a person types. Nil: empty
	// choices.
	Completer parley.Completer
	// Feedback records 👍/👎. Nil: the buttons still thank the person and
	// nothing is recorded.
	Feedback parley.FeedbackSink
	// Channels gives per-channel settings. Nil: defaults everywhere.
	Channels parley.ChannelPolicy
	// APIBase replaces https://discord.com/api/v10 for REST calls (tests,
	// proxies). Empty: Discord.
	APIBase string
	// HTTPClient makes REST calls. Nil: a client with a 20 second timeout.
	HTTPClient *http.Client
	// Logger receives logs. Nil: discarded.
	Logger *slog.Logger
	// Rejections hears requests refused before an answer (bad signature,
	// too large). Nil: logged at debug level only.
	Rejections parley.Rejections
	// Now is the clock for signature timestamps. Nil: time.Now.
	Now func() time.Time
	// DeferAfter is how long an answer may take before Parley sends a
	// deferred response (type 5) and edits it when the answer is ready.
	// Zero: 2.5 seconds.
	DeferAfter time.Duration

	// identifyWait spaces shard identifies (Discord allows one per 5
	// seconds per bucket); tests shorten it. Zero: 5 seconds.
	identifyWait time.Duration
	// onState, when set, hears every shard going up or down (tests).
	onState func(shard int, up bool)
}

// Adapter serves Discord interactions. Create it with New.
type Adapter struct {
	opts   Options
	log    *slog.Logger
	key    ed25519.PublicKey
	client *http.Client
	// rest makes webhook calls (deferred edits, deletes) for interactions
	// that came over HTTP; interaction tokens suffice, the bot token (when
	// set) only serves to remove replies to mentions.
	rest *discordgo.Session

	mu     sync.Mutex
	shards []*shard

	// pending counts follow-ups (deferred edits, deletes) still running.
	pending sync.WaitGroup
	// answering runs answers on goroutines kept from one to the next.
	answering *workers.Workers
	// otherApp logs the first interaction for another application; the
	// rest are counted as refusals, so a misconfiguration does not write a
	// line per request.
	otherApp sync.Once
}

// New checks opts and returns an Adapter. It returns ErrDisabled when
// neither PublicKey nor Gateway is set.
func New(opts Options) (*Adapter, error) {
	if opts.Answerer == nil {
		return nil, errors.New("discord: new: Answerer is required")
	}
	if opts.PublicKey == "" && !opts.Gateway {
		return nil, ErrDisabled
	}
	if err := CheckOptions(opts); err != nil {
		return nil, err
	}
	a := &Adapter{opts: opts, answering: workers.New(workers.DefaultIdle)}
	if a.opts.Logger == nil {
		a.opts.Logger = slog.New(slog.DiscardHandler)
	}
	a.log = a.opts.Logger.With("component", Platform)
	if a.opts.Now == nil {
		a.opts.Now = time.Now
	}
	if a.opts.DeferAfter <= 0 {
		a.opts.DeferAfter = defaultDeferAfter
	}
	if a.opts.identifyWait <= 0 {
		a.opts.identifyWait = 5 * time.Second
	}
	if opts.PublicKey != "" {
		a.key, _ = ParsePublicKey(opts.PublicKey) // checked above
	}
	client, err := restClient(opts.APIBase, opts.HTTPClient)
	if err != nil {
		return nil, fmt.Errorf("discord: new: %w", err)
	}
	a.client = client
	// With a bot token the HTTP path can also remove replies to mentions.
	a.rest = newSession(botToken(opts.BotToken), client)
	return a, nil
}

// CheckOptions reports what New would refuse in opts, other than a missing
// Answerer: `parley serve --check` shows the same errors serve stops on.
func CheckOptions(opts Options) error {
	if opts.Gateway && opts.BotToken == "" {
		return errors.New("discord: new: the gateway needs DISCORD_BOT_TOKEN")
	}
	if opts.ShardCount < 0 || opts.ShardID < 0 || (opts.ShardCount > 0 && opts.ShardID >= opts.ShardCount) || (opts.ShardCount == 0 && opts.ShardID != 0) {
		return fmt.Errorf("discord: new: shard %d of %d: want 0 <= id < count, or id 0 with count 0 (recommended)", opts.ShardID, opts.ShardCount)
	}
	if opts.PublicKey != "" {
		if _, err := ParsePublicKey(opts.PublicKey); err != nil {
			return err
		}
	}
	if _, err := restClient(opts.APIBase, nil); err != nil {
		return fmt.Errorf("discord: new: %w", err)
	}
	return nil
}

// ParsePublicKey reads the application's public key as the portal shows it
// (64 hex digits). The error never echoes the value.
func ParsePublicKey(s string) (ed25519.PublicKey, error) {
	k, err := hex.DecodeString(strings.TrimSpace(s))
	if err != nil || len(k) != ed25519.PublicKeySize {
		return nil, fmt.Errorf("discord: new: DISCORD_PUBLIC_KEY is not a hex ed25519 public key (want %d hex digits, from General Information > Public Key)", 2*ed25519.PublicKeySize)
	}
	return ed25519.PublicKey(k), nil
}

// InvitePermissions are the permissions a bot invited for the gateway asks
// for: it replies to mentions and DMs with an embed, in channels and in
// threads. Each bit from https://discord.com/developers/docs/topics/permissions:
//
//	VIEW_CHANNEL             1 << 10 =         1024  see the channel and its messages
//	SEND_MESSAGES            1 << 11 =         2048  reply
//	EMBED_LINKS              1 << 14 =        16384  a reply is an embed
//	READ_MESSAGE_HISTORY     1 << 16 =        65536  a reply references the message
//	                                                 ("When creating a message as a reply to
//	                                                 another message, the current user must have
//	                                                 the READ_MESSAGE_HISTORY permission",
//	                                                 Create Message, Limitations)
//	SEND_MESSAGES_IN_THREADS 1 << 38 = 274877906944  reply inside threads
//	                                   ------------
//	                                   274877991936
//
// Interactions (slash commands, buttons) need none: their responses go
// through the interaction's webhook.
const InvitePermissions = discordgo.PermissionViewChannel | discordgo.PermissionSendMessages |
	discordgo.PermissionEmbedLinks | discordgo.PermissionReadMessageHistory | discordgo.PermissionSendMessagesInThreads

// InviteURL is the link a server admin opens to add the application: with
// the gateway, as a bot with InvitePermissions; for the HTTP endpoint alone,
// commands only (no bot user, no permissions).
func InviteURL(appID string, gateway bool) string {
	q := url.Values{"client_id": {appID}}
	if gateway {
		q.Set("scope", "bot applications.commands")
		q.Set("permissions", strconv.FormatInt(InvitePermissions, 10))
	} else {
		q.Set("scope", "applications.commands")
	}
	return "https://discord.com/oauth2/authorize?" + q.Encode()
}

// newSession is a discordgo session that logs nothing of its own and sends
// REST calls through client.
func newSession(token string, client *http.Client) *discordgo.Session {
	s, _ := discordgo.New(token) // New never fails.
	s.Client = client
	s.LogLevel = -1 // discordgo logs through the log package; keep it quiet.
	s.StateEnabled = false
	return s
}

// botToken adds the "Bot " prefix Discord wants when the variable lacks it.
func botToken(t string) string {
	t = strings.TrimSpace(t)
	if t == "" || strings.HasPrefix(t, "Bot ") {
		return t
	}
	return "Bot " + t
}

// restClient returns client (or a default), rewriting discordgo's fixed
// https://discord.com/api/v10 URLs to base when base is set.
func restClient(base string, client *http.Client) (*http.Client, error) {
	if client == nil {
		client = &http.Client{Timeout: 20 * time.Second}
	}
	if base == "" {
		return client, nil
	}
	u, err := url.Parse(strings.TrimRight(base, "/"))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("APIBase %q is not an http(s) URL", base)
	}
	c := *client
	next := c.Transport
	if next == nil {
		next = http.DefaultTransport
	}
	c.Transport = &rewrite{base: u, next: next}
	return &c, nil
}

// rewrite sends requests for https://discord.com/api/vN/... to base/...
type rewrite struct {
	base *url.URL
	next http.RoundTripper
}

func (rw *rewrite) RoundTrip(r *http.Request) (*http.Response, error) {
	if r.URL.Host != "discord.com" {
		return rw.next.RoundTrip(r)
	}
	rest := strings.TrimPrefix(r.URL.Path, "/api/v"+discordgo.APIVersion)
	r2 := r.Clone(r.Context())
	r2.URL.Scheme = rw.base.Scheme
	r2.URL.Host = rw.base.Host
	r2.URL.Path = rw.base.Path + rest
	r2.URL.RawPath = ""
	if r.URL.RawPath != "" {
		r2.URL.RawPath = rw.base.EscapedPath() + strings.TrimPrefix(r.URL.RawPath, "/api/v"+discordgo.APIVersion)
	}
	r2.Host = ""
	return rw.next.RoundTrip(r2)
}

// Drain waits until the follow-ups already started (edits of deferred
// answers, removals) are done or ctx ends; call it on shutdown after the
// HTTP server stopped taking requests.
func (a *Adapter) Drain(ctx context.Context) error {
	done := make(chan struct{})
	go func() { a.pending.Wait(); close(done) }()
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		return fmt.Errorf("discord: drain: %w", ctx.Err())
	}
}
