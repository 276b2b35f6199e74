package slack

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/parley-bot/parley"
	"github.com/slack-go/slack"
	"github.com/slack-go/slack/slacktest"
	"github.com/slack-go/slack/socketmode"
)

func envelope(t *testing.T, id, typ string, payload any) string {
	t.Helper()
	b, err := json.Marshal(map[string]any{"envelope_id": id, "type": typ, "payload": payload, "accepts_response_payload": typ == "slash_commands"})
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

type socketAck struct {
	EnvelopeID string          `json:"envelope_id"`
	Payload    json.RawMessage `json:"payload"`
}

// nextAck reads what the adapter wrote back on the socket. slacktest's
// SeenFeed is unbuffered: every write must be read here.
func nextAck(t *testing.T, srv *slacktest.Server) socketAck {
	t.Helper()
	select {
	case raw := <-srv.SeenFeed:
		var ack socketAck
		if err := json.Unmarshal([]byte(raw), &ack); err != nil {
			t.Fatalf("ack %q: %v", raw, err)
		}
		return ack
	case <-time.After(10 * time.Second):
		t.Fatal("no ack")
		return socketAck{}
	}
}

func TestSocketMode(t *testing.T) {
	posted := make(chan url.Values, 8)
	srv := slacktest.NewTestServer(func(c slacktest.Customize) {
		c.Handle("/chat.postMessage", func(w http.ResponseWriter, r *http.Request) {
			if err := r.ParseForm(); err != nil {
				http.Error(w, err.Error(), http.StatusBadRequest)
				return
			}
			posted <- r.PostForm
			_, _ = w.Write([]byte(`{"ok":true,"channel":"C0NEWS","ts":"1767780000.000900"}`))
		})
	})
	srv.Start()
	t.Cleanup(srv.Stop)

	f := newFake(t)
	fb := &feedbackLog{}
	a := newAdapter(t, f, func(o *Options) {
		o.Feedback = fb
		o.SigningSecret = ""
		o.AppToken, o.BotToken = "xapp-1-test", "xoxb-test"
		o.APIURL = srv.GetAPIURL()
		// slacktest sends no pings: a short interval would reconnect.
		o.PingInterval = time.Hour
	})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- a.RunSocketMode(ctx) }()

	// SendToWebsocket blocks until the adapter is connected.
	srv.SendToWebsocket(envelope(t, "env-slash", "slash_commands", map[string]any{
		"command": "/who", "text": "france", "user_id": "U0ALICE", "channel_id": "C0NEWS",
		"response_url": "https://hooks.slack.com/commands/T0/1/x",
	}))
	ack := nextAck(t, srv)
	if ack.EnvelopeID != "env-slash" {
		t.Fatalf("acked %q", ack.EnvelopeID)
	}
	m := decodeMessage(t, ack.Payload)
	if m.ResponseType != responseEphemeral || !strings.Contains(m.Text, "People of France") {
		t.Errorf("slash ack payload = %+v", m)
	}
	checkLimits(t, m)
	if !a.Connected() {
		t.Error("not Connected() while serving")
	}

	srv.SendToWebsocket(envelope(t, "env-mention", "events_api", map[string]any{
		"type": "event_callback", "event_id": "Ev0SOCK", "team_id": "T0TEAM",
		"event": map[string]any{"type": "app_mention", "user": "U0ALICE", "text": "<@U0PARLEY> who france?", "channel": "C0NEWS", "ts": "1767780000.000100"},
	}))
	if ack := nextAck(t, srv); ack.EnvelopeID != "env-mention" || len(ack.Payload) != 0 {
		t.Errorf("mention ack = %+v", ack)
	}
	select {
	case form := <-posted:
		if form.Get("channel") != "C0NEWS" || form.Get("thread_ts") != "1767780000.000100" {
			t.Errorf("reply posted to %v", form)
		}
		if !strings.Contains(form.Get("blocks"), "People of France") {
			t.Errorf("reply blocks %s", form.Get("blocks"))
		}
	case <-time.After(10 * time.Second):
		t.Fatal("mention not answered")
	}

	// A click on the answer's 👍 arrives as an interactive envelope.
	hook := newPosts(t, nil)
	up := findButton(t, m, actionUp)
	srv.SendToWebsocket(envelope(t, "env-click", "interactive", map[string]any{
		"type": "block_actions", "user": map[string]any{"id": "U0BOB"}, "channel": map[string]any{"id": "C0NEWS"},
		"response_url": hook.srv.URL + "/click",
		"actions":      []map[string]any{{"action_id": up.ActionID, "value": up.Value, "type": "button"}},
	}))
	if ack := nextAck(t, srv); ack.EnvelopeID != "env-click" {
		t.Errorf("click ack = %+v", ack)
	}
	// The answer was private: Slack sends no copy with the click, so it is
	// drawn again, the votes replaced by a thank-you.
	if m := decodeMessage(t, hook.next(t).body); !m.ReplaceOriginal || hasButton(m, actionUp) || !strings.Contains(strings.Join(blockTexts(m), "\n"), textThanks) {
		t.Errorf("click reply %+v", m)
	}
	fb.mu.Lock()
	if len(fb.fb) != 1 || !fb.fb[0].Helpful || fb.fb[0].Line != "/who france" || fb.fb[0].User != "U0BOB" {
		t.Errorf("feedback %+v", fb.fb)
	}
	fb.mu.Unlock()

	reqs := f.requests()
	if len(reqs) != 3 || reqs[0].Line != "/who france" || reqs[1].Line != "who france?" || reqs[2].Line != "/who france" || reqs[2].User != "U0BOB" {
		t.Errorf("requests %+v", reqs)
	}
	cancel()
	if err := <-done; err != nil {
		t.Errorf("RunSocketMode: %v", err)
	}
	if a.Connected() {
		t.Error("Connected() after the end")
	}
}

// A slow answer in Socket Mode: the envelope is acked empty in time, the
// answer goes to response_url, and events keep being read meanwhile.
func TestSocketModeSlowAnswer(t *testing.T) {
	srv := slacktest.NewTestServer()
	srv.Start()
	t.Cleanup(srv.Stop)
	hook := newPosts(t, nil)
	release := make(chan struct{})
	fake := newFake(t)
	slow := parley.AnswerFunc(func(ctx context.Context, req parley.Request) (*parley.Answer, error) {
		if req.Command == parley.CommandWho {
			<-release
		}
		return fake.answer(req), nil
	})
	a := newAdapter(t, slow, func(o *Options) {
		o.SigningSecret, o.AppToken = "", "xapp-1-test"
		o.APIURL = srv.GetAPIURL()
		o.PingInterval = time.Hour
		o.AckDeadline = 50 * time.Millisecond
	})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- a.RunSocketMode(ctx) }()

	srv.SendToWebsocket(envelope(t, "env-slow", "slash_commands", map[string]any{
		"command": "/who", "text": "france", "user_id": "U0ALICE", "channel_id": "C0NEWS", "response_url": hook.srv.URL + "/late",
	}))
	if ack := nextAck(t, srv); ack.EnvelopeID != "env-slow" || len(ack.Payload) != 0 {
		t.Fatalf("slow ack = %+v", ack)
	}
	// While the first answer is still blocked, another command is answered.
	srv.SendToWebsocket(envelope(t, "env-fast", "slash_commands", map[string]any{
		"command": "/sources", "user_id": "U0ALICE", "channel_id": "C0NEWS", "response_url": hook.srv.URL + "/fast",
	}))
	fast := nextAck(t, srv)
	if fast.EnvelopeID != "env-fast" {
		t.Fatalf("fast ack = %+v", fast)
	}
	// On a loaded machine even /sources may miss the short deadline; then
	// it too arrives at its response_url.
	fastLate := len(fast.Payload) == 0
	if !fastLate && !strings.Contains(string(fast.Payload), "Parley answers from") {
		t.Errorf("fast ack payload %s", fast.Payload)
	}
	close(release)
	for {
		p := hook.next(t)
		if p.path == "/fast" && fastLate {
			continue
		}
		if m := decodeMessage(t, p.body); p.path != "/late" || !strings.Contains(m.Text, "People of France") {
			t.Errorf("late answer %s %+v", p.path, m)
		}
		break
	}
	cancel()
	<-done
}

func TestRunSocketModeNeedsAppToken(t *testing.T) {
	a := newAdapter(t, newFake(t), nil)
	if err := a.RunSocketMode(context.Background()); err == nil {
		t.Error("ran without an app token")
	}
}

type fakeAcker struct {
	acks chan []any
	// refuse payloads, as slack-go does for responses over 20 KB
	refuse bool
}

func (f *fakeAcker) Ack(req socketmode.Request, payload ...any) error {
	if f.refuse && len(payload) > 0 {
		return errors.New("payload too large")
	}
	f.acks <- payload
	return nil
}

func TestSocketModeTooLargeForAckGoesToResponseURL(t *testing.T) {
	hook := newPosts(t, nil)
	a := newAdapter(t, newFake(t), func(o *Options) { o.AppToken = "xapp-1-test" })
	ack := &fakeAcker{acks: make(chan []any, 4), refuse: true}
	payload, _ := json.Marshal(map[string]any{"command": "/who", "text": "france", "user_id": "U0ALICE", "channel_id": "C0NEWS", "response_url": hook.srv.URL + "/big"})
	a.onSocketEvent(ack, socketmode.Event{Type: socketmode.EventTypeSlashCommand, Request: &socketmode.Request{EnvelopeID: "env", Type: "slash_commands", Payload: payload}})
	select {
	case p := <-ack.acks:
		if len(p) != 0 {
			t.Errorf("ack payload %v", p)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("not acked")
	}
	if m := decodeMessage(t, hook.next(t).body); !strings.Contains(m.Text, "People of France") {
		t.Errorf("response_url got %+v", m)
	}
}

func TestSocketModeRefusedToken(t *testing.T) {
	api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = w.Write([]byte(`{"ok":false,"error":"invalid_auth"}`))
	}))
	t.Cleanup(api.Close)
	a := newAdapter(t, newFake(t), func(o *Options) { o.AppToken = "xapp-1-refused"; o.APIURL = api.URL + "/" })
	err := a.RunSocketMode(context.Background())
	if err == nil || !strings.Contains(err.Error(), "invalid_auth") || strings.Contains(err.Error(), "xapp-1-refused") {
		t.Errorf("err = %v, want invalid_auth without the token", err)
	}
	if a.Connected() {
		t.Error("Connected() with a refused token")
	}
}

// A Socket Mode connection error is logged with its cause, without the
// websocket URL's ticket or any token.
func TestSocketModeConnectionErrorLoggedWithCause(t *testing.T) {
	var logs syncBuffer
	a := newAdapter(t, newFake(t), func(o *Options) {
		o.AppToken = "xapp-1-A0-secretapp"
		o.Logger = slog.New(slog.NewJSONHandler(&logs, nil))
	})
	cause := &url.Error{Op: "Get", URL: "wss://wss-primary.slack.com/link/?ticket=t0p-s3cret&app_id=A0", Err: errors.New("dial tcp 10.0.0.1:443: connect: connection refused")}
	a.onSocketEvent(nil, socketmode.Event{Type: socketmode.EventTypeConnectionError, Data: &slack.ConnectionErrorEvent{Attempt: 2, Backoff: 3 * time.Second, ErrorObj: cause}})
	a.onSocketEvent(nil, socketmode.Event{Type: socketmode.EventTypeConnectionError, Data: &slack.ConnectionErrorEvent{ErrorObj: errors.New("invalid token xapp-1-A0-secretapp")}})
	out := logs.String()
	for _, want := range []string{"connection refused", "wss-primary.slack.com", `"attempt":2`, `"retry_in":"3s"`} {
		if !strings.Contains(out, want) {
			t.Errorf("log lacks %q:\n%s", want, out)
		}
	}
	for _, secret := range []string{"t0p-s3cret", "xapp-1-A0-secretapp"} {
		if strings.Contains(out, secret) {
			t.Errorf("log holds %q:\n%s", secret, out)
		}
	}
}

// SIGTERM while a Socket Mode slash command is being answered: Shutdown
// waits for the answer, which still reaches Slack (over the socket, or
// through response_url once the socket has closed).
func TestSocketModeShutdownWaitsForAnswerInFlight(t *testing.T) {
	hook := newPosts(t, nil)
	started, release := make(chan struct{}), make(chan struct{})
	slow := parley.AnswerFunc(func(ctx context.Context, req parley.Request) (*parley.Answer, error) {
		close(started)
		<-release
		return &parley.Answer{Command: req.Command, Query: req.Query, Covered: true, Lead: "Slow but sure."}, nil
	})
	a := newAdapter(t, slow, func(o *Options) { o.AppToken = "xapp-1-test"; o.AckDeadline = time.Hour })
	ack := &fakeAcker{acks: make(chan []any, 4), refuse: true} // the socket is gone
	payload, _ := json.Marshal(map[string]any{"command": "/who", "text": "france", "user_id": "U0ALICE", "channel_id": "C0NEWS", "response_url": hook.srv.URL + "/late"})
	a.onSocketEvent(ack, socketmode.Event{Type: socketmode.EventTypeSlashCommand, Request: &socketmode.Request{EnvelopeID: "env", Type: "slash_commands", Payload: payload}})
	<-started
	stopped := make(chan error, 1)
	go func() { stopped <- a.Shutdown(context.Background()) }()
	select {
	case err := <-stopped:
		t.Fatalf("Shutdown returned (%v) with an answer in flight", err)
	case <-time.After(50 * time.Millisecond):
	}
	close(release)
	if err := <-stopped; err != nil {
		t.Fatalf("Shutdown: %v", err)
	}
	if m := decodeMessage(t, hook.next(t).body); !strings.Contains(m.Text, "Slow but sure") {
		t.Errorf("response_url got %+v", m)
	}
}
