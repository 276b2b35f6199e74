package slack

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"strings"

	"github.com/slack-go/slack"
	"github.com/slack-go/slack/socketmode"
)

// RunSocketMode connects to Slack over Socket Mode and serves until ctx is
// done, then returns nil; it needs an app token. slack-go reconnects, with
// backoff, when Slack asks or the network fails; RunSocketMode returns an
// error only when Slack refuses the token (invalid_auth, token_revoked,
// ...), which no retry mends. Every envelope is acknowledged within
// AckDeadline, a slash command's answer in its acknowledgement when ready,
// and events keep being read while answers are worked on.
func (a *Adapter) RunSocketMode(ctx context.Context) error {
	if a.o.AppToken == "" {
		return errors.New("slack: socket mode: no SLACK_APP_TOKEN")
	}
	defer a.connected.Store(false)
	err := a.runSocket(ctx)
	if ctx.Err() != nil {
		return nil
	}
	a.log.Error("socket mode stopped", "err", scrubError(err))
	return errors.New(scrubError(err))
}

func (a *Adapter) runSocket(ctx context.Context) error {
	opts := append(a.apiOptions(), slack.OptionAppLevelToken(a.o.AppToken))
	api := slack.New(a.o.BotToken, opts...)
	sopts := []socketmode.Option{socketmode.OptionLog(a.libLog())}
	if a.o.PingInterval > 0 {
		sopts = append(sopts, socketmode.OptionPingInterval(a.o.PingInterval))
	}
	client := socketmode.New(api, sopts...)
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	runErr := make(chan error, 1)
	go func() { runErr <- client.RunContext(ctx) }()
	for {
		select {
		case err := <-runErr:
			if err == nil {
				err = errors.New("connection ended")
			}
			return fmt.Errorf("slack: socket mode: %w", err)
		case evt := <-client.Events:
			a.onSocketEvent(client, evt)
		}
	}
}

// acker is what Socket Mode handling needs of slack-go's client.
type acker interface {
	Ack(req socketmode.Request, payload ...any) error
}

func (a *Adapter) onSocketEvent(client acker, evt socketmode.Event) {
	switch evt.Type {
	case socketmode.EventTypeConnected:
		a.connected.Store(true)
		a.log.Info("socket mode connected")
		return
	case socketmode.EventTypeConnecting, socketmode.EventTypeDisconnect:
		a.connected.Store(false)
		return
	case socketmode.EventTypeConnectionError:
		a.connected.Store(false)
		attrs := []any{"err", "unknown"}
		if ce, ok := evt.Data.(*slack.ConnectionErrorEvent); ok && ce != nil {
			attrs = []any{"err", scrubError(ce.ErrorObj), "attempt", ce.Attempt, "retry_in", ce.Backoff.String()}
		}
		a.log.Error("socket mode connection error", attrs...)
		return
	case socketmode.EventTypeInvalidAuth:
		a.connected.Store(false)
		a.log.Error("socket mode connection error", "err", "Slack refused SLACK_APP_TOKEN (invalid_auth): check the app-level token and its connections:write scope")
		return
	}
	if evt.Request == nil {
		return
	}
	req := *evt.Request
	switch evt.Type {
	case socketmode.EventTypeSlashCommand:
		var sc slashCommand
		if err := json.Unmarshal(req.Payload, &sc); err != nil {
			a.ack(client, req)
			return
		}
		// Answer beside the event loop, which keeps reading; tracked, so
		// that on SIGTERM Shutdown waits for answers in flight.
		answer := func() {
			msg := a.slash(sc)
			if msg == nil {
				a.ack(client, req)
				return
			}
			if err := client.Ack(req, msg); err != nil {
				// Too large for a Socket Mode response, or the socket closed
				// while shutting down: response_url needs no socket.
				a.ack(client, req)
				ctx, cancel := context.WithTimeout(a.ctx, a.o.AnswerTimeout)
				defer cancel()
				a.deliverError(a.postResponseURL(ctx, sc.ResponseURL, msg))
			}
		}
		if !a.track(answer) {
			answer()
		}
	case socketmode.EventTypeEventsAPI:
		a.ack(client, req)
		var cb eventCallback
		if err := json.Unmarshal(req.Payload, &cb); err != nil {
			a.log.Warn("bad event", "err", err)
			return
		}
		a.event(cb)
	case socketmode.EventTypeInteractive:
		a.ack(client, req)
		var in interaction
		if err := json.Unmarshal(req.Payload, &in); err != nil {
			a.log.Warn("bad interaction", "err", err)
			return
		}
		a.later(func(ctx context.Context) { a.interact(ctx, in) })
	default:
		a.ack(client, req)
	}
}

// scrubError is err's message with what could be a secret taken out: a
// URL (the websocket URL carries a connection ticket) is reduced to its
// host, and anything shaped like a Slack token is masked.
func scrubError(err error) string {
	if err == nil {
		return ""
	}
	msg := err.Error()
	var uerr *url.Error
	if errors.As(err, &uerr) {
		host := uerr.URL
		if u, perr := url.Parse(uerr.URL); perr == nil {
			host = u.Host
		}
		msg = strings.ReplaceAll(msg, uerr.URL, host)
	}
	fields := strings.FieldsFunc(msg, func(r rune) bool { return r == ' ' || r == '"' || r == '\'' || r == ',' || r == ':' })
	for _, f := range fields {
		if strings.HasPrefix(f, "xapp-") || strings.HasPrefix(f, "xoxb-") || strings.HasPrefix(f, "xoxp-") || strings.HasPrefix(f, "xoxe") || strings.Contains(f, "ticket=") {
			msg = strings.ReplaceAll(msg, f, "[redacted]")
		}
	}
	return msg
}

func (a *Adapter) ack(client acker, req socketmode.Request) {
	if req.EnvelopeID == "" {
		return
	}
	if err := client.Ack(req); err != nil {
		a.log.Error("socket mode ack failed", "err", err)
	}
}
