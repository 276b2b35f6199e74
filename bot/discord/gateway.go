package discord

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/bwmarrin/discordgo"
	"github.com/gorilla/websocket"

	"github.com/parley-bot/parley"
)

// shutdownGrace bounds how long RunGateway waits for shards on shutdown.
const shutdownGrace = 10 * time.Second

// gatewayIntents are what the gateway asks for: message events in servers
// (GUILD_MESSAGES, 1 << 9) and in DMs (DIRECT_MESSAGES, 1 << 12), neither
// privileged. Interactions need no intent. The privileged Message Content
// intent is not needed either: "The Message Content intent is not needed
// for your app to access message content in these situations: ... Direct
// Messages sent to your app; Messages that @mention your app"
// (https://discord.com/developers/docs/gateway/you-might-not-need-a-privileged-intent),
// and asking for it while the portal's toggle is off closes the gateway with
// 4014, "Disallowed intent(s)"
// (https://discord.com/developers/docs/topics/opcodes-and-status-codes#gateway-gateway-close-event-codes).
const gatewayIntents = discordgo.IntentsGuildMessages | discordgo.IntentsDirectMessages

// shard is one gateway connection.
type shard struct {
	id, count int
	s         *discordgo.Session
	up        atomic.Bool
	botID     atomic.Value // string, from READY
	// ready is closed once READY has given botID. discordgo runs each
	// handler in its own goroutine, so a message that follows READY on
	// the wire can be handled before READY's handler has run: without
	// the id its mention would not be recognised and it would go
	// unanswered.
	ready     chan struct{}
	readyOnce sync.Once
	// dropped hears discordgo's Disconnect events; the shard's supervisor
	// reconnects (discordgo's own reconnect loop is off: it cannot be
	// stopped on shutdown and ignores resume_gateway_url anyway).
	dropped chan struct{}
}

// Connected reports whether every gateway shard is connected. Without the
// gateway it is false.
func (a *Adapter) Connected() bool {
	a.mu.Lock()
	defer a.mu.Unlock()
	if len(a.shards) == 0 {
		return false
	}
	for _, sh := range a.shards {
		if !sh.up.Load() {
			return false
		}
	}
	return true
}

// RunGateway connects to the gateway and serves interactions (and, with
// MessageContent, mentions) until ctx is done. A dropped connection is
// resumed, or re-identified when Discord refuses the resume, without
// returning. It returns nil when ctx ends or the gateway is off, and an
// error when Discord refuses the bot for good (bad token, disallowed
// intents, bad shard).
func (a *Adapter) RunGateway(ctx context.Context) error {
	if !a.opts.Gateway {
		return nil
	}
	token := botToken(a.opts.BotToken)
	ids, count, concurrency := []int{a.opts.ShardID}, a.opts.ShardCount, 1
	if count == 0 {
		gb, err := newSession(token, a.client).GatewayBot(discordgo.WithContext(ctx))
		if err != nil {
			return fmt.Errorf("discord: gateway: recommended shard count: %w", err)
		}
		count, ids = max(gb.Shards, 1), nil
		for id := range count {
			ids = append(ids, id)
		}
		concurrency = max(gb.SessionStartLimit.MaxConcurrency, 1)
	}
	shards := make([]*shard, len(ids))
	for k, id := range ids {
		shards[k] = a.newShard(ctx, token, id, count)
	}
	a.mu.Lock()
	a.shards = shards
	a.mu.Unlock()

	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	var wg sync.WaitGroup
	for k, sh := range shards {
		// Discord allows max_concurrency identifies per 5 seconds.
		if k > 0 && k%concurrency == 0 {
			if !wait(ctx, a.opts.identifyWait) {
				break
			}
		}
		if err := a.open(ctx, sh); err != nil {
			cancel(err)
			break
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := a.supervise(ctx, sh); err != nil {
				cancel(err)
			}
		}()
	}
	<-ctx.Done()
	// discordgo reads Hello and READY without a deadline while holding the
	// session lock, so a supervisor stuck in Open cannot be interrupted:
	// give them a grace period, then return anyway.
	stopped := make(chan struct{})
	go func() { wg.Wait(); close(stopped) }()
	select {
	case <-stopped:
	case <-time.After(shutdownGrace):
		a.log.Warn("discord: gateway shutdown: a shard is still connecting; leaving it")
		return nil
	}
	for _, sh := range shards {
		sh.s.Close()
		// The Disconnect handler runs later, on its own goroutine.
		sh.up.Store(false)
	}
	if err := context.Cause(ctx); err != nil && !errors.Is(err, context.Canceled) && !errors.Is(err, context.DeadlineExceeded) {
		return err
	}
	return nil
}

func (a *Adapter) newShard(ctx context.Context, token string, id, count int) *shard {
	sh := &shard{id: id, count: count, s: newSession(token, a.client), dropped: make(chan struct{}, 1), ready: make(chan struct{})}
	s := sh.s
	s.ShouldReconnectOnError = false
	s.ShardID, s.ShardCount = id, count
	s.Identify.Intents = gatewayIntents
	log := a.log.With("shard", id, "shards", count)
	s.AddHandler(func(_ *discordgo.Session, r *discordgo.Ready) {
		if r.User != nil {
			sh.botID.Store(r.User.ID)
			sh.readyOnce.Do(func() { close(sh.ready) })
		}
	})
	s.AddHandler(func(_ *discordgo.Session, _ *discordgo.Connect) {
		sh.up.Store(true)
		log.Info("discord: gateway connected")
		if a.opts.onState != nil {
			a.opts.onState(id, true)
		}
	})
	s.AddHandler(func(_ *discordgo.Session, _ *discordgo.Disconnect) {
		sh.up.Store(false)
		if a.opts.onState != nil {
			a.opts.onState(id, false)
		}
		select {
		case sh.dropped <- struct{}{}:
		default:
		}
	})
	s.AddHandler(func(s *discordgo.Session, ic *discordgo.InteractionCreate) {
		a.gatewayInteraction(ctx, s, ic.Interaction)
	})
	s.AddHandler(func(s *discordgo.Session, m *discordgo.MessageCreate) {
		a.mention(ctx, s, sh, m)
	})
	return sh
}

// fatalClose are the gateway close codes after which reconnecting cannot
// help: https://discord.com/developers/docs/topics/opcodes-and-status-codes
func fatalClose(err error) bool {
	var ce *websocket.CloseError
	if !errors.As(err, &ce) {
		return false
	}
	switch ce.Code {
	case 4004, 4010, 4011, 4012, 4013, 4014:
		return true
	}
	return false
}

// open connects a shard, retrying with backoff until ctx ends or Discord
// refuses the bot for good.
func (a *Adapter) open(ctx context.Context, sh *shard) error {
	backoff := time.Second
	for {
		err := sh.s.Open()
		if err == nil || errors.Is(err, discordgo.ErrWSAlreadyOpen) {
			return nil
		}
		if fatalClose(err) {
			return fmt.Errorf("discord: gateway: shard %d: %w", sh.id, err)
		}
		a.log.Warn("discord: gateway connect failed; retrying", "shard", sh.id, "in", backoff, "err", err)
		if !wait(ctx, backoff) {
			return nil
		}
		backoff = min(2*backoff, time.Minute)
	}
}

// supervise reopens the shard each time its connection drops: discordgo
// sends a Resume with the session id and sequence it kept, and identifies
// afresh when Discord answers Invalid Session.
func (a *Adapter) supervise(ctx context.Context, sh *shard) error {
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-sh.dropped:
		}
		if ctx.Err() != nil {
			return nil
		}
		a.log.Warn("discord: gateway connection dropped; reconnecting", "shard", sh.id)
		if err := a.open(ctx, sh); err != nil {
			return err
		}
	}
}

func wait(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return false
	case <-t.C:
		return true
	}
}

// gatewayInteraction answers an interaction that came over the websocket by
// POSTing the callback, then runs the follow-up.
func (a *Adapter) gatewayInteraction(ctx context.Context, s *discordgo.Session, i *discordgo.Interaction) {
	if i == nil || !a.ownInteraction(i) {
		return
	}
	out := a.handle(ctx, i)
	_, err := s.RequestWithBucketID("POST", discordgo.EndpointInteractionResponse(i.ID, i.Token), out.resp,
		discordgo.EndpointInteractionResponse(i.ID, ""), discordgo.WithContext(ctx))
	if err != nil {
		a.log.Error("discord: interaction callback", "err", scrub(err, i.Token))
		return
	}
	if out.after != nil {
		a.followUp(ctx, s, i, out.after)
	}
}

// readyWait is how long a message waits for READY's handler, which runs
// concurrently with it: a scheduling delay, not a network one.
const readyWait = 5 * time.Second

// mention answers "@Parley who france?" in a server, and any message in a
// DM ("who france?"), with a reply.
func (a *Adapter) mention(ctx context.Context, s *discordgo.Session, sh *shard, m *discordgo.MessageCreate) {
	if m == nil || m.Message == nil || m.Author == nil || m.Author.Bot {
		return
	}
	// Discord sends READY before any message; wait for its handler.
	select {
	case <-sh.ready:
	case <-ctx.Done():
		return
	case <-time.After(readyWait):
		a.log.Warn("discord: a message arrived and READY gave no bot id; ignored", "shard", sh.id)
		return
	}
	id, _ := sh.botID.Load().(string)
	text, ok := stripMention(m.Content, id)
	if m.GuildID == "" && id != "" {
		// A DM is addressed to Parley without a mention.
		ok = true
	}
	if !ok {
		return
	}
	if a.settings(m.ChannelID).Disabled {
		return
	}
	req := parley.Parse(oneLine(text, 4*parley.MaxQuery))
	req.Platform, req.User, req.Channel, req.Page = Platform, m.Author.ID, m.ChannelID, 1
	actx, cancel := context.WithTimeout(ctx, answerTimeout)
	defer cancel()
	ans := a.ask(actx, req)
	var d *messageData
	if ans == nil {
		d = renderText(msgFailed, false)
	} else {
		d = renderAnswer(ans, view{Line: canonicalLine(req), Asker: m.Author.ID})
	}
	ref := m.Reference()
	ref.FailIfNotExists = new(bool)
	_, err := s.ChannelMessageSendComplex(m.ChannelID, &discordgo.MessageSend{
		Content: d.Content, Embeds: d.Embeds, Components: d.Components,
		AllowedMentions: d.AllowedMentions, Reference: ref,
	}, discordgo.WithContext(actx))
	if err != nil {
		a.log.Error("discord: reply to mention", "err", err)
	}
}

// stripMention removes the bot's mention from a message; ok is false when
// the message does not mention the bot.
func stripMention(content, botID string) (string, bool) {
	if botID == "" {
		return "", false
	}
	found := false
	for _, m := range []string{"<@" + botID + ">", "<@!" + botID + ">"} {
		if strings.Contains(content, m) {
			found = true
			content = strings.ReplaceAll(content, m, " ")
		}
	}
	return strings.TrimSpace(content), found
}
