package slack

import (
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/parley-bot/parley"
)

func eventBody(t *testing.T, id string, ev map[string]any) string {
	t.Helper()
	b, err := json.Marshal(map[string]any{
		"token": "x", "team_id": "T0TEAM", "api_app_id": "A0PARLEY", "type": "event_callback",
		"event_id": id, "event_time": testNow.Unix(), "event": ev,
	})
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// withAPI points the adapter's Web API calls at a fake.
func withAPI(api *posts) func(*Options) {
	return func(o *Options) {
		o.BotToken = "xoxb-test"
		o.APIURL = api.srv.URL + "/"
	}
}

// drain waits for the adapter's work after acks to finish.
func drain(t *testing.T, a *Adapter) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := a.Shutdown(ctx); err != nil {
		t.Fatal(err)
	}
}

func TestMentionsAndDMs(t *testing.T) {
	tests := []struct {
		name       string
		ev         map[string]any
		wantLine   string
		wantChan   string
		wantThread string
	}{
		{"mention in channel answers in a thread", map[string]any{
			"type": "app_mention", "user": "U0ALICE", "text": "<@U0PARLEY> who france?", "channel": "C0NEWS", "ts": "1767780000.000100",
		}, "who france?", "C0NEWS", "1767780000.000100"},
		{"mention in a thread answers in that thread", map[string]any{
			"type": "app_mention", "user": "U0ALICE", "text": "<@U0PARLEY> /what military hubs", "channel": "C0NEWS",
			"ts": "1767780000.000300", "thread_ts": "1767780000.000100",
		}, "/what military hubs", "C0NEWS", "1767780000.000100"},
		{"DM answers in the DM", map[string]any{
			"type": "message", "channel_type": "im", "user": "U0ALICE", "text": "quote witkoff", "channel": "D0ALICE", "ts": "1767780000.000400",
		}, "quote witkoff", "D0ALICE", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			api := newPosts(t, nil)
			f := newFake(t)
			a := newAdapter(t, f, withAPI(api))
			w := httptest.NewRecorder()
			serve(a).ServeHTTP(w, signedRequest("/slack/events", eventBody(t, "Ev0001", tc.ev), testNow))
			if w.Code != http.StatusOK {
				t.Fatalf("status %d", w.Code)
			}
			p := api.next(t)
			if p.path != "/chat.postMessage" {
				t.Fatalf("called %s", p.path)
			}
			if got := p.form.Get("channel"); got != tc.wantChan {
				t.Errorf("channel %q, want %q", got, tc.wantChan)
			}
			if got := p.form.Get("thread_ts"); got != tc.wantThread {
				t.Errorf("thread_ts %q, want %q", got, tc.wantThread)
			}
			if p.form.Get("unfurl_links") != "false" || p.form.Get("unfurl_media") != "false" || p.form.Has("link_names") {
				t.Errorf("unfurl/link_names: %v", p.form)
			}
			var blocks []map[string]any
			if err := json.Unmarshal([]byte(p.form.Get("blocks")), &blocks); err != nil || len(blocks) == 0 {
				t.Errorf("blocks: %v %s", err, p.form.Get("blocks"))
			}
			if strings.Contains(p.form.Get("blocks"), actionShare) {
				t.Error("public reply offers Share")
			}
			reqs := f.requests()
			if len(reqs) != 1 || reqs[0].Line != tc.wantLine || reqs[0].User != "U0ALICE" || reqs[0].Channel != tc.wantChan {
				t.Errorf("requests %+v, want line %q", reqs, tc.wantLine)
			}
		})
	}
}

func TestEventRetryAnsweredOnce(t *testing.T) {
	api := newPosts(t, nil)
	f := newFake(t)
	a := newAdapter(t, f, withAPI(api))
	mux := serve(a)
	ev := map[string]any{"type": "app_mention", "user": "U0ALICE", "text": "<@U0PARLEY> who france?", "channel": "C0NEWS", "ts": "1.2"}
	body := eventBody(t, "Ev0RETRY", ev)
	for i := range 3 {
		// Slack's retries are signed afresh.
		r := signedRequest("/slack/events", body, testNow.Add(time.Duration(i)*time.Second))
		if i > 0 {
			r.Header.Set("X-Slack-Retry-Num", "1")
		}
		w := httptest.NewRecorder()
		mux.ServeHTTP(w, r)
		if w.Code != http.StatusOK {
			t.Fatalf("attempt %d: status %d", i, w.Code)
		}
	}
	drain(t, a)
	if n := len(f.requests()); n != 1 {
		t.Errorf("answered %d times, want 1", n)
	}
	if n := len(api.ch); n != 1 {
		t.Errorf("posted %d times, want 1", n)
	}
}

func TestBotMessagesIgnored(t *testing.T) {
	for _, ev := range []map[string]any{
		{"type": "message", "channel_type": "im", "bot_id": "B0PARLEY", "user": "U0PARLEY", "text": "People of France…", "channel": "D0ALICE", "ts": "1.1"},
		{"type": "message", "channel_type": "im", "subtype": "bot_message", "text": "hi", "channel": "D0ALICE", "ts": "1.2"},
		{"type": "app_mention", "bot_id": "B0OTHER", "user": "U0OTHER", "text": "<@U0PARLEY> who france?", "channel": "C0NEWS", "ts": "1.3"},
		{"type": "message", "channel_type": "im", "subtype": "message_changed", "channel": "D0ALICE", "ts": "1.4"},
		{"type": "message", "channel_type": "channel", "user": "U0ALICE", "text": "who france", "channel": "C0NEWS", "ts": "1.5"},
		{"type": "app_mention", "user": "U0ALICE", "text": "<@U0PARLEY> hi", "channel": "D0ALICE", "ts": "1.6"},
	} {
		api := newPosts(t, nil)
		f := newFake(t)
		a := newAdapter(t, f, withAPI(api))
		w := httptest.NewRecorder()
		serve(a).ServeHTTP(w, signedRequest("/slack/events", eventBody(t, "Ev"+ev["ts"].(string), ev), testNow))
		if w.Code != http.StatusOK {
			t.Fatalf("status %d", w.Code)
		}
		drain(t, a)
		if n := len(f.requests()); n != 0 {
			t.Errorf("%v: answered", ev)
		}
		if n := len(api.ch); n != 0 {
			t.Errorf("%v: posted", ev)
		}
	}
}

func TestMentionInDisabledChannelIgnored(t *testing.T) {
	api := newPosts(t, nil)
	f := newFake(t)
	a := newAdapter(t, f, func(o *Options) {
		withAPI(api)(o)
		o.Channels = policy{"C0QUIET": {Disabled: true}}
	})
	ev := map[string]any{"type": "app_mention", "user": "U0ALICE", "text": "<@U0PARLEY> who france?", "channel": "C0QUIET", "ts": "1.2"}
	serve(a).ServeHTTP(httptest.NewRecorder(), signedRequest("/slack/events", eventBody(t, "Ev1", ev), testNow))
	drain(t, a)
	if len(f.requests()) != 0 || len(api.ch) != 0 {
		t.Error("answered in a disabled channel")
	}
}

func TestPostMessageRetriedAfter429(t *testing.T) {
	api := newPosts(t, func(path string, n int) (int, http.Header) {
		if n == 1 {
			return http.StatusTooManyRequests, http.Header{"Retry-After": {"0"}}
		}
		return http.StatusOK, nil
	})
	a := newAdapter(t, newFake(t), withAPI(api))
	if err := a.postMessage(context.Background(), "C0NEWS", "", notice("hello")); err != nil {
		t.Fatal(err)
	}
	if p := api.next(t); p.form.Get("text") != "hello" {
		t.Errorf("posted %v", p.form)
	}
}

func TestRetryGivesUpWhenContextEnds(t *testing.T) {
	api := newPosts(t, func(string, int) (int, http.Header) {
		return http.StatusTooManyRequests, http.Header{"Retry-After": {"30"}}
	})
	a := newAdapter(t, newFake(t), withAPI(api))
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := a.postMessage(ctx, "C0NEWS", "", notice("hello")); err == nil {
		t.Fatal("no error")
	}
}

// click sends a signed block_actions payload for button b. A public message
// comes with the click (msg), as Slack sends it; a private one does not.
func click(t *testing.T, mux http.Handler, b element, responseURL string, msg *message) {
	t.Helper()
	payload := map[string]any{
		"type": "block_actions", "user": map[string]any{"id": "U0BOB"}, "channel": map[string]any{"id": "C0NEWS"},
		"container":    map[string]any{"type": "message", "message_ts": "1767780000.000500", "channel_id": "C0NEWS", "is_ephemeral": msg == nil},
		"response_url": responseURL, "trigger_id": "1.2.3",
		"actions": []map[string]any{{"action_id": b.ActionID, "value": b.Value, "type": "button", "block_id": "parley_actions"}},
	}
	if msg != nil {
		raw, err := json.Marshal(msg)
		if err != nil {
			t.Fatal(err)
		}
		var m map[string]any
		json.Unmarshal(raw, &m)
		payload["message"] = map[string]any{"type": "message", "text": m["text"], "blocks": m["blocks"], "ts": "1767780000.000500"}
	}
	raw, err := json.Marshal(payload)
	if err != nil {
		t.Fatal(err)
	}
	body := url.Values{"payload": {string(raw)}}.Encode()
	w := httptest.NewRecorder()
	mux.ServeHTTP(w, signedRequest("/slack/interactions", body, testNow))
	if w.Code != http.StatusOK {
		t.Fatalf("click status %d", w.Code)
	}
}

type feedbackLog struct {
	mu sync.Mutex
	fb []parley.Feedback
}

func (l *feedbackLog) RecordFeedback(_ context.Context, f parley.Feedback) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.fb = append(l.fb, f)
}

// webhookBody is what a response_url post carries, slack-go's webhook
// message as Parley sends it.
type webhookBody struct {
	message
	DeleteOriginal bool `json:"delete_original"`
}

func decodeWebhook(t *testing.T, body []byte) webhookBody {
	t.Helper()
	var w webhookBody
	if err := json.Unmarshal(body, &w); err != nil {
		t.Fatalf("not a webhook message: %v: %s", err, body)
	}
	return w
}

func hasButton(m message, actionID string) bool {
	for _, b := range m.Blocks {
		if b.Accessory != nil && b.Accessory.ActionID == actionID {
			return true
		}
		for _, e := range b.Elements {
			if e.Type == "button" && e.ActionID == actionID {
				return true
			}
		}
	}
	return false
}

func TestButtons(t *testing.T) {
	hook := newPosts(t, nil)
	api := newPosts(t, nil)
	f := newFake(t)
	fb := &feedbackLog{}
	var logs syncBuffer
	a := newAdapter(t, f, func(o *Options) {
		withAPI(api)(o)
		o.Feedback = fb
		o.Logger = slog.New(slog.NewJSONHandler(&logs, nil))
	})
	mux := serve(a)
	w := httptest.NewRecorder()
	mux.ServeHTTP(w, signedRequest("/slack/commands", commandBody("/what", "military hubs", hook.srv.URL+"/cmd"), testNow))
	first := decodeMessage(t, w.Body.Bytes())

	t.Run("share posts the answer shown and removes the private copy", func(t *testing.T) {
		click(t, mux, findButton(t, first, actionShare), hook.srv.URL+"/share", nil)
		p := hook.next(t)
		m := decodeWebhook(t, p.body)
		if p.path != "/share" || m.ResponseType != responseInChannel || m.ReplaceOriginal || m.DeleteOriginal {
			t.Fatalf("share posted %s %+v", p.path, m)
		}
		texts := strings.Join(blockTexts(m.message), "\n")
		if !strings.Contains(texts, "Shared by <@U0BOB>") || !strings.Contains(texts, "military hubs") {
			t.Errorf("shared message: %s", texts)
		}
		if hasButton(m.message, actionShare) {
			t.Error("shared message offers Share again")
		}
		checkLimits(t, m.message)
		if del := decodeWebhook(t, hook.next(t).body); !del.DeleteOriginal {
			t.Errorf("private copy not deleted: %+v", del)
		}
	})
	t.Run("share of an answer that changed since", func(t *testing.T) {
		b := findButton(t, first, actionShare)
		st, _ := decodeState(b.Value)
		st.Sum = "00000000"
		b.Value = st.encode()
		click(t, mux, b, hook.srv.URL+"/share", nil)
		if m := decodeWebhook(t, hook.next(t).body); m.Text != textChanged || m.ResponseType != responseEphemeral || m.DeleteOriginal {
			t.Errorf("changed answer shared: %+v", m)
		}
	})
	t.Run("more replaces the page in place", func(t *testing.T) {
		click(t, mux, findButton(t, first, actionMore), hook.srv.URL+"/more", nil)
		p := hook.next(t)
		m := decodeWebhook(t, p.body)
		if !m.ReplaceOriginal || m.ResponseType != responseEphemeral || !strings.Contains(m.Text, "More on military hubs") {
			t.Errorf("more = %+v", m)
		}
		reqs := f.requests()
		if last := reqs[len(reqs)-1]; last.Page != 2 || last.Line != "/what military hubs" || last.User != "U0BOB" {
			t.Errorf("more asked %+v", last)
		}
	})
	t.Run("context", func(t *testing.T) {
		click(t, mux, findButton(t, first, actionContext+"_2"), hook.srv.URL+"/ctx", nil)
		m := decodeWebhook(t, hook.next(t).body)
		if m.ResponseType != responseEphemeral || m.ReplaceOriginal {
			t.Fatalf("context = %+v", m)
		}
		if got := boldPart(t, m.message); !strings.HasPrefix(got, "Following high-level talks in Paris") {
			t.Errorf("context excerpt %q", got)
		}
	})
	t.Run("a vote on a private answer thanks in place", func(t *testing.T) {
		click(t, mux, findButton(t, first, actionDown), hook.srv.URL+"/fb", nil)
		m := decodeWebhook(t, hook.next(t).body)
		if !m.ReplaceOriginal || hasButton(m.message, actionUp) || hasButton(m.message, actionDown) || !hasButton(m.message, actionShare) {
			t.Errorf("vote reply: %+v", m)
		}
		if texts := strings.Join(blockTexts(m.message), "\n"); !strings.Contains(texts, textThanks) || !strings.Contains(texts, "military hubs") {
			t.Errorf("vote reply lost the answer or the thanks: %s", texts)
		}
		fb.mu.Lock()
		defer fb.mu.Unlock()
		want := parley.Feedback{Platform: "slack", User: "U0BOB", Channel: "C0NEWS", Line: "/what military hubs", Helpful: false}
		if len(fb.fb) != 1 || fb.fb[0] != want {
			t.Errorf("feedback %+v, want %+v", fb.fb, want)
		}
	})
	t.Run("a vote on a public answer thanks in the message sent", func(t *testing.T) {
		n := len(f.requests())
		pub := render(f.answer(parley.Parse("/what military hubs")), view{Public: true, Line: "/what military hubs"}, a.names, a.parleyCmd)
		click(t, mux, findButton(t, pub, actionUp), hook.srv.URL+"/fb2", &pub)
		m := decodeWebhook(t, hook.next(t).body)
		// The buttons stay, for the others who read a public answer.
		if !m.ReplaceOriginal || !hasButton(m.message, actionUp) || !hasButton(m.message, actionMore) {
			t.Errorf("vote reply: %+v", m)
		}
		if len(m.Blocks) != len(pub.Blocks)+1 || !strings.Contains(strings.Join(blockTexts(m.message), "\n"), textThanks) {
			t.Errorf("%d blocks, want the %d shown and a thank-you", len(m.Blocks), len(pub.Blocks))
		}
		// A second vote on the thanked message adds no second line.
		click(t, mux, findButton(t, pub, actionDown), hook.srv.URL+"/fb3", &m.message)
		if again := decodeWebhook(t, hook.next(t).body); len(again.Blocks) != len(m.Blocks) {
			t.Errorf("second vote: %d blocks, want %d", len(again.Blocks), len(m.Blocks))
		}
		if len(f.requests()) != n {
			t.Error("a vote on a public answer asked again")
		}
	})
	t.Run("more on a public answer replaces it", func(t *testing.T) {
		pub := render(f.answer(parley.Parse("/what military hubs")), view{Public: true, Line: "/what military hubs"}, a.names, a.parleyCmd)
		click(t, mux, findButton(t, pub, actionMore), hook.srv.URL+"/more", &pub)
		m := decodeWebhook(t, hook.next(t).body)
		if !m.ReplaceOriginal || m.ResponseType != responseInChannel || !strings.Contains(m.Text, "More on military hubs") {
			t.Errorf("more = %+v", m)
		}
		if len(api.ch) != 0 {
			t.Error("more posted a new message")
		}
	})
	t.Run("bad value ignored", func(t *testing.T) {
		n := len(f.requests())
		click(t, mux, element{ActionID: actionMore, Value: "garbage"}, hook.srv.URL+"/x", nil)
		drain(t, a)
		if len(f.requests()) != n || len(hook.ch) != 0 {
			t.Error("bad button value acted on")
		}
	})
	drain(t, a)
	if strings.Contains(logs.String(), "military") {
		t.Errorf("a log line carries the query:\n%s", logs.String())
	}
}

func TestInteractionReplayRefused(t *testing.T) {
	a := newAdapter(t, newFake(t), nil)
	mux := serve(a)
	body := url.Values{"payload": {`{"type":"block_actions","actions":[]}`}}.Encode()
	for i, want := range []int{http.StatusOK, http.StatusUnauthorized} {
		w := httptest.NewRecorder()
		mux.ServeHTTP(w, signedRequest("/slack/interactions", body, testNow))
		if w.Code != want {
			t.Errorf("request %d: %d, want %d", i, w.Code, want)
		}
	}
}

func FuzzEventText(f *testing.F) {
	for _, s := range []string{"<@U0PARLEY> who france?", "<@U0PARLEY>", "<@", "<@U0PARLEY", "&amp;&lt;", "\xff"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		got := stripMention(text, false)
		req := parley.Parse(got)
		if req.Command == "" {
			t.Fatalf("no command for %q", got)
		}
	})
}

func TestShareOfFailedAnswerStaysPrivate(t *testing.T) {
	hook := newPosts(t, nil)
	a := newAdapter(t, parley.AnswerFunc(func(context.Context, parley.Request) (*parley.Answer, error) {
		return nil, context.DeadlineExceeded
	}), nil)
	st := state{Line: "/who france", Page: 1, Public: true}
	click(t, serve(a), element{ActionID: actionShare, Value: st.encode()}, hook.srv.URL+"/share", nil)
	if m := decodeMessage(t, hook.next(t).body); m.ResponseType != responseEphemeral || m.Text != textFailed {
		t.Errorf("failed share posted %+v", m)
	}
}

// Help and notices that concern the one who mentioned Parley go to that
// person alone (chat.postEphemeral), not to the channel.
func TestMentionForHelpIsPrivate(t *testing.T) {
	api := newPosts(t, nil)
	a := newAdapter(t, newFake(t), withAPI(api))
	ev := map[string]any{"type": "app_mention", "user": "U0ALICE", "text": "<@U0PARLEY> help", "channel": "C0NEWS", "ts": "1767780000.000100"}
	serve(a).ServeHTTP(httptest.NewRecorder(), signedRequest("/slack/events", eventBody(t, "EvHelp", ev), testNow))
	p := api.next(t)
	if p.path != "/chat.postEphemeral" || p.form.Get("user") != "U0ALICE" || p.form.Get("channel") != "C0NEWS" || p.form.Get("thread_ts") != "1767780000.000100" {
		t.Errorf("help posted with %s %v", p.path, p.form)
	}
}

// A slash command renamed in the manifest but not in Parley's settings is
// logged once, naming the setting that fixes it.
func TestUnknownCommandLogged(t *testing.T) {
	var logs syncBuffer
	f := newFake(t)
	mux := serve(newAdapter(t, f, func(o *Options) { o.Logger = slog.New(slog.NewJSONHandler(&logs, nil)) }))
	for _, q := range []string{"france", "germany"} { // a replayed request would be refused
		w := httptest.NewRecorder()
		mux.ServeHTTP(w, signedRequest("/slack/commands", commandBody("/people", q, ""), testNow))
		if m := decodeMessage(t, w.Body.Bytes()); !strings.Contains(m.Text, "There is no command /people") {
			t.Errorf("reply %q", m.Text)
		}
	}
	mux.ServeHTTP(httptest.NewRecorder(), signedRequest("/slack/commands", commandBody("/whois", "france", ""), testNow))
	out := logs.String()
	if n := strings.Count(out, "PARLEY_SLACK_COMMANDS"); n != 1 || !strings.Contains(out, `"command":"/people"`) {
		t.Errorf("want one warning naming /people and PARLEY_SLACK_COMMANDS, got %d:\n%s", n, out)
	}
}
