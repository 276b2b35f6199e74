package slack

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/slack-go/slack"
)

// Outgoing calls that Slack refuses with 429 are tried again after
// Retry-After, this many times at most, never waiting longer than
// maxRetryWait at once.
const (
	maxAttempts  = 4
	maxRetryWait = time.Minute
)

// withRetry runs f until it succeeds, fails otherwise than by a rate limit,
// or has been tried maxAttempts times.
func withRetry(ctx context.Context, f func() error) error {
	for attempt := 1; ; attempt++ {
		err := f()
		var rl *slack.RateLimitedError
		if err == nil || !errors.As(err, &rl) || attempt == maxAttempts {
			return err
		}
		wait := min(max(rl.RetryAfter, 0), maxRetryWait)
		if wait == 0 {
			continue
		}
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return fmt.Errorf("%w (waiting after: %w)", ctx.Err(), err)
		case <-t.C:
		}
	}
}

// encodeJSON marshals without HTML escaping: mrkdwn links need their < and >.
func encodeJSON(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// postResponseURL posts msg to a slash command's or a click's response_url
// with slack-go's webhook client (msg.ReplaceOriginal says whether it
// replaces the message clicked).
func (a *Adapter) postResponseURL(ctx context.Context, responseURL string, msg *message) error {
	blocks, err := slackBlocks(msg.Blocks)
	if err != nil {
		return fmt.Errorf("slack: response_url: %w", err)
	}
	off := false
	return a.webhook(ctx, responseURL, &slack.WebhookMessage{
		Text: msg.Text, Blocks: blocks, ResponseType: msg.ResponseType, ReplaceOriginal: msg.ReplaceOriginal,
		UnfurlLinks: &off, UnfurlMedia: &off,
	})
}

// deleteOriginal removes the message a click came from (a private answer
// once shared).
func (a *Adapter) deleteOriginal(ctx context.Context, responseURL string) error {
	return a.webhook(ctx, responseURL, &slack.WebhookMessage{DeleteOriginal: true})
}

func (a *Adapter) webhook(ctx context.Context, responseURL string, wm *slack.WebhookMessage) error {
	if !strings.HasPrefix(responseURL, "https://") && !strings.HasPrefix(responseURL, "http://") {
		return errors.New("slack: response_url: missing or not http(s)")
	}
	return withRetry(ctx, func() error {
		err := slack.PostWebhookCustomHTTPContext(ctx, responseURL, a.httpc, wm)
		// The URL carries a secret token: keep it out of the error, which
		// net/http's url.Error would quote.
		var uerr *url.Error
		if errors.As(err, &uerr) {
			return fmt.Errorf("slack: response_url: post: %w", uerr.Err)
		}
		var rl *slack.RateLimitedError
		if err != nil && !errors.As(err, &rl) {
			return fmt.Errorf("slack: response_url: %w", err)
		}
		return err
	})
}

// slackBlocks converts Parley's blocks to slack-go's, through their JSON.
func slackBlocks(bs []block) (*slack.Blocks, error) {
	if len(bs) == 0 {
		return nil, nil
	}
	raw, err := json.Marshal(bs)
	if err != nil {
		return nil, fmt.Errorf("encode blocks: %w", err)
	}
	var blocks slack.Blocks
	if err := json.Unmarshal(raw, &blocks); err != nil {
		return nil, fmt.Errorf("blocks: %w", err)
	}
	return &blocks, nil
}

// postMessage posts msg in channel (in thread when not empty) with the bot
// token, through slack-go. Names are never linked and links never unfurled.
func (a *Adapter) postMessage(ctx context.Context, channel, thread string, msg *message) error {
	opts, err := a.msgOptions("chat.postMessage", thread, msg)
	if err != nil {
		return err
	}
	return withRetry(ctx, func() error {
		if _, _, err := a.api.PostMessageContext(ctx, channel, opts...); err != nil {
			return fmt.Errorf("slack: chat.postMessage: %w", err)
		}
		return nil
	})
}

// postEphemeral shows msg to user alone in channel (in thread when not
// empty): a notice that concerns only the person who mentioned Parley.
func (a *Adapter) postEphemeral(ctx context.Context, channel, user, thread string, msg *message) error {
	opts, err := a.msgOptions("chat.postEphemeral", thread, msg)
	if err != nil {
		return err
	}
	return withRetry(ctx, func() error {
		if _, err := a.api.PostEphemeralContext(ctx, channel, user, opts...); err != nil {
			return fmt.Errorf("slack: chat.postEphemeral: %w", err)
		}
		return nil
	})
}

func (a *Adapter) msgOptions(method, thread string, msg *message) ([]slack.MsgOption, error) {
	if a.api == nil {
		return nil, fmt.Errorf("slack: %s: no bot token", method)
	}
	blocks, err := slackBlocks(msg.Blocks)
	if err != nil {
		return nil, fmt.Errorf("slack: %s: %w", method, err)
	}
	opts := []slack.MsgOption{
		slack.MsgOptionText(msg.Text, false),
		slack.MsgOptionDisableLinkUnfurl(),
		slack.MsgOptionDisableMediaUnfurl(),
	}
	if blocks != nil {
		opts = append(opts, slack.MsgOptionBlocks(blocks.BlockSet...))
	}
	if thread != "" {
		opts = append(opts, slack.MsgOptionTS(thread))
	}
	return opts, nil
}
