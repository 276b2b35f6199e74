package slack

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
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

// postResponseURL posts msg to a slash command's or a click's response_url.
// response_url answers are never set to replace the original message.
func (a *Adapter) postResponseURL(ctx context.Context, responseURL string, msg *message) error {
	if !strings.HasPrefix(responseURL, "https://") && !strings.HasPrefix(responseURL, "http://") {
		return errors.New("slack: response_url: missing or not http(s)")
	}
	body := msg.appendJSON(make([]byte, 0, 4096))
	return withRetry(ctx, func() error {
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, responseURL, bytes.NewReader(body))
		if err != nil {
			return fmt.Errorf("slack: response_url: %w", err)
		}
		req.Header.Set("Content-Type", "application/json; charset=utf-8")
		resp, err := a.httpc.Do(req)
		if err != nil {
			// The URL carries a secret token: keep it out of the error.
			var uerr *url.Error
			if errors.As(err, &uerr) {
				err = uerr.Err
			}
			return fmt.Errorf("slack: response_url: post: %w", err)
		}
		defer resp.Body.Close()
		_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
		if resp.StatusCode == http.StatusTooManyRequests {
			secs, _ := strconv.Atoi(resp.Header.Get("Retry-After"))
			return &slack.RateLimitedError{RetryAfter: time.Duration(max(secs, 0)) * time.Second}
		}
		if resp.StatusCode/100 != 2 {
			return fmt.Errorf("slack: response_url: status %d", resp.StatusCode)
		}
		return nil
	})
}

// postMessage posts msg in channel (in thread when not empty) with the bot
// token, through slack-go. Names are never linked and links never unfurled.
func (a *Adapter) postMessage(ctx context.Context, channel, thread string, msg *message) error {
	if a.api == nil {
		return errors.New("slack: chat.postMessage: no bot token")
	}
	raw, err := json.Marshal(msg.Blocks)
	if err != nil {
		return fmt.Errorf("slack: chat.postMessage: encode: %w", err)
	}
	var blocks slack.Blocks
	if err := json.Unmarshal(raw, &blocks); err != nil {
		return fmt.Errorf("slack: chat.postMessage: blocks: %w", err)
	}
	opts := []slack.MsgOption{
		slack.MsgOptionText(msg.Text, false),
		slack.MsgOptionBlocks(blocks.BlockSet...),
		slack.MsgOptionDisableLinkUnfurl(),
		slack.MsgOptionDisableMediaUnfurl(),
	}
	if thread != "" {
		opts = append(opts, slack.MsgOptionTS(thread))
	}
	return withRetry(ctx, func() error {
		if _, _, err := a.api.PostMessageContext(ctx, channel, opts...); err != nil {
			return fmt.Errorf("slack: chat.postMessage: %w", err)
		}
		return nil
	})
}
