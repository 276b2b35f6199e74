package discord

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/parley-bot/parley"
)

type feedbackLog struct {
	mu  sync.Mutex
	got []parley.Feedback
}

func (f *feedbackLog) RecordFeedback(_ context.Context, fb parley.Feedback) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.got = append(f.got, fb)
}

func dataOf(resp map[string]any) map[string]any {
	d, _ := resp["data"].(map[string]any)
	return d
}

func isEphemeral(resp map[string]any) bool {
	f, _ := dataOf(resp)["flags"].(float64)
	return int(f)&64 != 0
}

func contentOf(resp map[string]any) string {
	s, _ := dataOf(resp)["content"].(string)
	return s
}

func embedText(resp map[string]any) string {
	es, _ := dataOf(resp)["embeds"].([]any)
	if len(es) == 0 {
		return ""
	}
	e := es[0].(map[string]any)
	return str(e, "title") + "\n" + str(e, "description")
}

// ask posts a command and returns the decoded, validated response.
func (h *harness) ask(tb testing.TB, command, option, value string) map[string]any {
	tb.Helper()
	code, body := h.post(tb, commandInteraction(command, option, value))
	if code != http.StatusOK {
		tb.Fatalf("status %d: %s", code, body)
	}
	return checkResponse(tb, body)
}

// click posts a component interaction and returns the decoded, validated
// response.
func (h *harness) click(tb testing.TB, user, id string, values []string, msg map[string]any) map[string]any {
	tb.Helper()
	code, body := h.post(tb, componentInteraction(user, id, values, msg))
	if code != http.StatusOK {
		tb.Fatalf("status %d: %s", code, body)
	}
	resp := checkResponse(tb, body)
	if resp["type"] == float64(4) {
		checkLimits(tb, body)
	}
	return resp
}

func TestMoreButton(t *testing.T) {
	h := newHarness(t, nil)
	first := h.ask(t, "who", "subject", "france")
	resp := h.click(t, "u2", findID(t, first, "p1|m|"), nil, messageOf(t, first))
	if req := h.answerer.last(); req.Command != "who" || req.Query != "france" || req.Page != 2 || req.User != "u2" {
		t.Errorf("More asked %+v, want who france page 2 from u2", req)
	}
	// UPDATE_MESSAGE (7): the next page replaces the one shown.
	if resp["type"] != float64(7) || !strings.Contains(embedText(resp), "page 2") {
		t.Errorf("More answered %v, want page 2 in place", resp)
	}
	// The answer is still the asker's to remove, whoever clicked More.
	if id := findID(t, resp, "p1|x|"); id != "p1|x|u1" {
		t.Errorf("remove id %q, want p1|x|u1", id)
	}
}

func TestMoreStaysEphemeral(t *testing.T) {
	h := newHarness(t, func(o *Options) { o.Ephemeral = true })
	first := h.ask(t, "who", "subject", "france")
	if !isEphemeral(first) {
		t.Fatal("answer not ephemeral with Options.Ephemeral")
	}
	for _, id := range customIDs(first) {
		if strings.HasPrefix(id, "p1|x|") {
			t.Errorf("ephemeral answer has a remove button")
		}
	}
	resp := h.click(t, "u1", findID(t, first, "p1|m|"), nil, messageOf(t, first))
	if resp["type"] != float64(7) {
		t.Errorf("page 2 of an ephemeral answer: %v, want it in place", resp)
	}
	for _, id := range customIDs(resp) {
		if strings.HasPrefix(id, "p1|x|") {
			t.Errorf("page 2 of an ephemeral answer has a remove button")
		}
	}
}

// Replies that are not answers (help, a rate-limit notice) are for the
// asker alone, whatever the channel's visibility; a notice in reply to
// More leaves the answer as it was.
func TestNonAnswersArePrivate(t *testing.T) {
	var limited atomic.Bool
	h := newHarness(t, nil)
	next := h.a.opts.Answerer
	h.a.opts.Answerer = parley.AnswerFunc(func(ctx context.Context, req parley.Request) (*parley.Answer, error) {
		if limited.Load() {
			return &parley.Answer{Command: req.Command, Query: req.Query, Lead: "Slow down a little.", Private: true}, nil
		}
		return next.Answer(ctx, req)
	})
	if resp := h.ask(t, "help", "", ""); !isEphemeral(resp) {
		t.Errorf("help is public: %v", resp)
	}
	first := h.ask(t, "who", "subject", "france")
	if isEphemeral(first) {
		t.Fatal("an answer is private by default")
	}
	limited.Store(true)
	if resp := h.ask(t, "who", "subject", "germany"); !isEphemeral(resp) || !strings.Contains(embedText(resp), "Slow down") {
		t.Errorf("rate-limit notice %v, want it private", resp)
	}
	resp := h.click(t, "u2", findID(t, first, "p1|m|"), nil, messageOf(t, first))
	if resp["type"] != float64(4) || !isEphemeral(resp) {
		t.Errorf("a notice on More: %v, want a new private message, the answer left alone", resp)
	}
}

func TestShowContext(t *testing.T) {
	h := newHarness(t, nil)
	first := h.ask(t, "who", "subject", "france")
	resp := h.click(t, "u3", findID(t, first, "p1|c|"), []string{"2"}, messageOf(t, first))
	if !isEphemeral(resp) {
		t.Errorf("context is public")
	}
	c := fixtures(t)["/who france"].Citations[1]
	text := embedText(resp)
	if !strings.Contains(text, "**"+escapeMarkdown(c.Text)+"**") {
		t.Errorf("context does not bold the excerpt:\n%s", text)
	}
	if !strings.Contains(text, escapeMarkdown("Ukraine's partners have long sought")) {
		t.Errorf("context lacks the rest of the paragraph:\n%s", text)
	}
	if req := h.answerer.last(); req.Page != 1 || req.Query != "france" {
		t.Errorf("context asked %+v", req)
	}
	// A citation that is gone gets a refusal, not a panic.
	resp = h.click(t, "u3", findID(t, first, "p1|c|"), []string{"99"}, messageOf(t, first))
	if contentOf(resp) != escapeMarkdown(msgNoContext) || !isEphemeral(resp) {
		t.Errorf("missing citation answered %v", resp)
	}
}

func TestFeedbackButtons(t *testing.T) {
	fb := &feedbackLog{}
	h := newHarness(t, func(o *Options) { o.Feedback = fb })
	first := h.ask(t, "quote", "person", "witkoff")
	for _, prefix := range []string{"p1|u|", "p1|d|"} {
		resp := h.click(t, "u4", findID(t, first, prefix), nil, messageOf(t, first))
		// In place (UPDATE_MESSAGE): on a public answer the buttons stay
		// for the others who read it (components left out: unchanged).
		if resp["type"] != float64(7) || contentOf(resp) != escapeMarkdown(msgThanks) || dataOf(resp)["components"] != nil {
			t.Errorf("feedback reply %v, want a thank-you in place", resp)
		}
	}
	want := []parley.Feedback{
		{Platform: "discord", User: "u4", Channel: "c1", Line: "/quote witkoff", Helpful: true},
		{Platform: "discord", User: "u4", Channel: "c1", Line: "/quote witkoff", Helpful: false},
	}
	if len(fb.got) != 2 || fb.got[0] != want[0] || fb.got[1] != want[1] {
		t.Errorf("feedback %+v, want %+v", fb.got, want)
	}
	// On a private answer, which only the voter sees, the votes go.
	h = newHarness(t, func(o *Options) { o.Ephemeral = true })
	first = h.ask(t, "quote", "person", "witkoff")
	resp := h.click(t, "u4", findID(t, first, "p1|u|"), nil, messageOf(t, first))
	ids := customIDs(resp)
	if resp["type"] != float64(7) || len(ids) == 0 {
		t.Fatalf("vote on a private answer: %v", resp)
	}
	for _, id := range ids {
		if strings.HasPrefix(id, "p1|u|") || strings.HasPrefix(id, "p1|d|") {
			t.Errorf("vote buttons left: %v", ids)
		}
	}
}

func TestRemoveButton(t *testing.T) {
	h := newHarness(t, nil)
	first := h.ask(t, "who", "subject", "france")
	id := findID(t, first, "p1|x|")

	resp := h.click(t, "someone-else", id, nil, messageOf(t, first))
	if !isEphemeral(resp) || contentOf(resp) != escapeMarkdown(msgNotAsker) {
		t.Errorf("others may remove: %v", resp)
	}
	select {
	case c := <-h.rest.calls:
		t.Fatalf("refusal called REST: %+v", c)
	default:
	}

	resp = h.click(t, "u1", id, nil, messageOf(t, first))
	if resp["type"] != float64(6) {
		t.Errorf("remove answered type %v, want 6", resp["type"])
	}
	c := h.rest.next(t)
	if c.Method != http.MethodDelete || c.Path != "/webhooks/app1/tok2/messages/@original" {
		t.Errorf("remove called %s %s", c.Method, c.Path)
	}
}

// TestLongQueryRecovered: a query too long for custom_id is read back from
// the message the button sits under.
func TestLongQueryRecovered(t *testing.T) {
	q := "how many troops could france send " + strings.Repeat("and under which command structure ", 4)
	q = strings.TrimSpace(q)
	h := newHarness(t, nil)
	h.answerer.answers["/ask "+q] = fixtures(t)["/who france"]
	first := h.ask(t, "ask", "question", q)
	id := findID(t, first, "p1|m|")
	if strings.Contains(id, "troops") || len(id) > 100 {
		t.Fatalf("custom_id %q should leave the long query out", id)
	}
	h.click(t, "u1", id, nil, messageOf(t, first))
	if req := h.answerer.last(); req.Query != q || req.Page != 2 || req.Command != "ask" {
		t.Errorf("recovered %+v, want ask %q page 2", req, q)
	}
	// Without the message there is nothing to recover from.
	resp := h.click(t, "u1", id, nil, nil)
	if contentOf(resp) != escapeMarkdown(msgStale) {
		t.Errorf("unrecoverable click answered %v", resp)
	}
}

func TestUnknownComponent(t *testing.T) {
	h := newHarness(t, nil)
	for _, id := range []string{"", "x", "p1|m|nonsense|1|q", "p1|m|who|0|q", "p1|m|who|NaN|q", "p1|zz|who|1|q", "p1|x|", "p2|m|who|1|q"} {
		resp := h.click(t, "u1", id, nil, nil)
		if contentOf(resp) != escapeMarkdown(msgStale) || !isEphemeral(resp) {
			t.Errorf("custom_id %q answered %v", id, resp)
		}
	}
}

func TestStateRoundTrip(t *testing.T) {
	tests := []struct {
		action, command string
		page            int
		query           string
		fits            bool
	}{
		{actMore, "who", 1, "france", true},
		{actContext, "ask", 3, "what | about pipes?", true},
		{actUp, "sources", 1, "", true},
		{actDown, "quote", 12, strings.Repeat("é", 84), true},
		{actMore, "ask", 2, strings.Repeat("é", 89), true},
		{actMore, "ask", 2, strings.Repeat("é", 90), false},
	}
	for _, tc := range tests {
		id := encodeState(tc.action, tc.command, tc.page, tc.query)
		if runes(id) > maxCustomID {
			t.Errorf("%q is %d characters", id, runes(id))
		}
		st, ok := decodeState(id)
		if !ok || st.Action != tc.action || st.Command != tc.command || st.Page != tc.page || st.HasQuery != tc.fits || (tc.fits && st.Query != tc.query) {
			t.Errorf("decode(encode(%+v)) = %+v, %v", tc, st, ok)
		}
	}
}

func TestChannelPolicy(t *testing.T) {
	yes, no := true, false
	policy := channelPolicy{
		"c-off":     {Disabled: true},
		"c-mention": {MentionOnly: true},
		"c-public":  {Public: &yes},
		"c-private": {Public: &no},
	}
	tests := []struct {
		channel   string
		ephemeral bool // the adapter default
		want      string
		wantEph   bool
	}{
		{"c-off", false, msgDisabled, true},
		{"c-mention", false, msgMentionOnly, true},
		{"c-public", true, "", false},
		{"c-private", false, "", true},
		{"c-other", true, "", true},
		{"c-other", false, "", false},
	}
	for _, tc := range tests {
		h := newHarness(t, func(o *Options) { o.Channels = policy; o.Ephemeral = tc.ephemeral })
		i := commandInteraction("who", "subject", "france")
		i["channel_id"] = tc.channel
		_, body := h.post(t, i)
		resp := checkResponse(t, body)
		if tc.want != "" && contentOf(resp) != escapeMarkdown(tc.want) {
			t.Errorf("%s: content %q, want %q", tc.channel, contentOf(resp), tc.want)
		}
		if isEphemeral(resp) != tc.wantEph {
			t.Errorf("%s (default ephemeral %v): ephemeral %v, want %v", tc.channel, tc.ephemeral, isEphemeral(resp), tc.wantEph)
		}
	}
}

type channelPolicy map[string]parley.ChannelSettings

func (p channelPolicy) Channel(platform, channel string) parley.ChannelSettings {
	if platform != "discord" {
		return parley.ChannelSettings{Disabled: true}
	}
	return p[channel]
}

// TestSlowAnswerDeferred: an answer slower than DeferAfter gets a deferred
// response while the answerer is still working, then the original message
// is edited with the answer.
func TestSlowAnswerDeferred(t *testing.T) {
	for _, eph := range []bool{false, true} {
		started, release := make(chan struct{}), make(chan struct{})
		fast := newFakeAnswerer(t)
		slow := parley.AnswerFunc(func(ctx context.Context, req parley.Request) (*parley.Answer, error) {
			close(started)
			select {
			case <-release:
			case <-ctx.Done():
				return nil, ctx.Err()
			}
			return fast.Answer(ctx, req)
		})
		h := newHarness(t, func(o *Options) {
			o.Answerer = slow
			o.Ephemeral = eph
			o.DeferAfter = 1 // the smallest deferral: the answer is always late
		})
		resp := h.ask(t, "who", "subject", "france")
		// release is closed only below: the response came back while the
		// answerer was still blocked.
		<-started
		if resp["type"] != float64(5) || isEphemeral(resp) != eph {
			t.Fatalf("got %v, want a deferred response (type 5), ephemeral %v", resp, eph)
		}
		select {
		case c := <-h.rest.calls:
			t.Fatalf("edited before the answer was ready: %+v", c)
		default:
		}
		close(release)
		c := h.rest.next(t)
		if c.Method != http.MethodPatch || c.Path != "/webhooks/app1/tok1/messages/@original" || c.Auth != "" {
			t.Fatalf("edit was %s %s (auth %q)", c.Method, c.Path, c.Auth)
		}
		if err := loadSchemas(t).edit.Validate(decodeInstance(t, c.Body)); err != nil {
			t.Errorf("edit does not match the spec: %v\n%s", err, c.Body)
		}
		checkNoMentions(t, c.Body)
		var edit map[string]any
		_ = json.Unmarshal(c.Body, &edit)
		if err := limitsOK(edit); err != nil {
			t.Error(err)
		}
		if !strings.Contains(string(c.Body), "several thousand") {
			t.Errorf("edit lacks the answer: %s", c.Body)
		}
		if err := h.a.Drain(context.Background()); err != nil {
			t.Error(err)
		}
	}
}

func TestAnswererError(t *testing.T) {
	h := newHarness(t, func(o *Options) {
		o.Answerer = parley.AnswerFunc(func(context.Context, parley.Request) (*parley.Answer, error) {
			return nil, context.DeadlineExceeded
		})
	})
	resp := h.ask(t, "who", "subject", "france")
	if contentOf(resp) != escapeMarkdown(msgFailed) || !isEphemeral(resp) {
		t.Errorf("error answered %v", resp)
	}
}

// A slow answer that turns out to be for the asker alone (a failure)
// replaces the public "thinking…" with a private follow-up.
func TestSlowPrivateResultFollowsUpPrivately(t *testing.T) {
	release := make(chan struct{})
	failing := parley.AnswerFunc(func(ctx context.Context, req parley.Request) (*parley.Answer, error) {
		<-release
		return nil, context.DeadlineExceeded
	})
	h := newHarness(t, func(o *Options) { o.Answerer = failing; o.DeferAfter = 1 })
	resp := h.ask(t, "who", "subject", "france")
	if resp["type"] != float64(5) || isEphemeral(resp) {
		t.Fatalf("got %v, want a public deferral", resp)
	}
	close(release)
	if c := h.rest.next(t); c.Method != http.MethodDelete || c.Path != "/webhooks/app1/tok1/messages/@original" {
		t.Fatalf("first call %s %s, want the deferral removed", c.Method, c.Path)
	}
	c := h.rest.next(t)
	var body struct {
		Content string `json:"content"`
		Flags   int    `json:"flags"`
	}
	json.Unmarshal(c.Body, &body)
	if c.Method != http.MethodPost || c.Path != "/webhooks/app1/tok1" || body.Flags&64 == 0 || body.Content != escapeMarkdown(msgFailed) {
		t.Errorf("follow-up %s %s %s, want a private apology", c.Method, c.Path, c.Body)
	}
}
