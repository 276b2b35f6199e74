package slack

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/parley-bot/parley"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

func TestVerification(t *testing.T) {
	body := commandBody("/who", "france", "https://hooks.slack.com/commands/T0/1/x")
	tests := []struct {
		name string
		req  func() *http.Request
		want int
	}{
		{"valid", func() *http.Request { return signedRequest("/slack/commands", body, testNow) }, http.StatusOK},
		{"timestamp 4 minutes old", func() *http.Request { return signedRequest("/slack/commands", body, testNow.Add(-4*time.Minute)) }, http.StatusOK},
		{"tampered body", func() *http.Request {
			r := signedRequest("/slack/commands", body, testNow)
			r.Body = httptestBody(strings.Replace(body, "france", "russia", 1))
			return r
		}, http.StatusUnauthorized},
		{"stale timestamp", func() *http.Request { return signedRequest("/slack/commands", body, testNow.Add(-6*time.Minute)) }, http.StatusUnauthorized},
		{"future timestamp", func() *http.Request { return signedRequest("/slack/commands", body, testNow.Add(6*time.Minute)) }, http.StatusUnauthorized},
		{"missing signature", func() *http.Request {
			r := signedRequest("/slack/commands", body, testNow)
			r.Header.Del("X-Slack-Signature")
			return r
		}, http.StatusUnauthorized},
		{"missing timestamp", func() *http.Request {
			r := signedRequest("/slack/commands", body, testNow)
			r.Header.Del("X-Slack-Request-Timestamp")
			return r
		}, http.StatusUnauthorized},
		{"timestamp not a number", func() *http.Request {
			r := signedRequest("/slack/commands", body, testNow)
			r.Header.Set("X-Slack-Request-Timestamp", "soon")
			return r
		}, http.StatusUnauthorized},
		{"other secret", func() *http.Request {
			r := httptest.NewRequest(http.MethodPost, "/slack/commands", strings.NewReader(body))
			for k, v := range sign("another-secret", testNow, body) {
				r.Header[k] = v
			}
			return r
		}, http.StatusUnauthorized},
		{"malformed signature", func() *http.Request {
			r := signedRequest("/slack/commands", body, testNow)
			r.Header.Set("X-Slack-Signature", "v0=zz")
			return r
		}, http.StatusUnauthorized},
		{"oversized body", func() *http.Request {
			big := body + "&pad=" + strings.Repeat("x", 2<<20)
			return signedRequest("/slack/commands", big, testNow)
		}, http.StatusRequestEntityTooLarge},
		{"ssl check", func() *http.Request {
			return signedRequest("/slack/commands", "ssl_check=1&token=x", testNow)
		}, http.StatusOK},
		{"no command", func() *http.Request {
			return signedRequest("/slack/commands", "text=france&user_id=U1", testNow)
		}, http.StatusBadRequest},
		{"unsigned interaction", func() *http.Request {
			return httptest.NewRequest(http.MethodPost, "/slack/interactions", strings.NewReader("payload={}"))
		}, http.StatusUnauthorized},
		{"unsigned event", func() *http.Request {
			return httptest.NewRequest(http.MethodPost, "/slack/events", strings.NewReader(`{"type":"url_verification","challenge":"x"}`))
		}, http.StatusUnauthorized},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := newFake(t)
			mux := serve(newAdapter(t, f, nil))
			w := httptest.NewRecorder()
			mux.ServeHTTP(w, tc.req())
			if got := w.Code; got != tc.want {
				t.Fatalf("status = %d, want %d (%s)", got, tc.want, w.Body)
			}
			if tc.want != http.StatusOK || tc.name == "ssl check" {
				if n := len(f.requests()); n != 0 {
					t.Errorf("answerer called %d times for a refused request", n)
				}
				if strings.TrimSpace(w.Body.String()) != "" {
					t.Errorf("refusal has a body: %q", w.Body)
				}
			}
		})
	}
}

func httptestBody(s string) *readCloser { return &readCloser{strings.NewReader(s)} }

type readCloser struct{ *strings.Reader }

func (readCloser) Close() error { return nil }

func TestReplayRefused(t *testing.T) {
	f := newFake(t)
	mux := serve(newAdapter(t, f, nil))
	body := commandBody("/who", "france", "https://hooks.slack.com/commands/T0/1/x")
	for i, want := range []int{http.StatusOK, http.StatusUnauthorized} {
		w := httptest.NewRecorder()
		mux.ServeHTTP(w, signedRequest("/slack/commands", body, testNow))
		if w.Code != want {
			t.Fatalf("request %d: status %d, want %d", i, w.Code, want)
		}
	}
	// The same command signed afresh (a new timestamp) is a new request.
	w := httptest.NewRecorder()
	mux.ServeHTTP(w, signedRequest("/slack/commands", body, testNow.Add(-time.Second)))
	if w.Code != http.StatusOK {
		t.Fatalf("fresh signature: status %d", w.Code)
	}
	if n := len(f.requests()); n != 2 {
		t.Errorf("answered %d times, want 2", n)
	}
}

func TestURLVerification(t *testing.T) {
	mux := serve(newAdapter(t, newFake(t), nil))
	body := `{"token":"x","challenge":"3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P","type":"url_verification"}`
	w := httptest.NewRecorder()
	mux.ServeHTTP(w, signedRequest("/slack/events", body, testNow))
	if w.Code != http.StatusOK {
		t.Fatalf("status %d", w.Code)
	}
	var got struct{ Challenge string }
	if err := json.Unmarshal(w.Body.Bytes(), &got); err != nil {
		t.Fatal(err)
	}
	if want := "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P"; got.Challenge != want {
		t.Errorf("challenge = %q, want %q", got.Challenge, want)
	}
}

func TestNoSigningSecretNoEndpoints(t *testing.T) {
	a := newAdapter(t, newFake(t), func(o *Options) { o.SigningSecret, o.AppToken = "", "xapp-1-test" })
	mux := serve(a)
	w := httptest.NewRecorder()
	mux.ServeHTTP(w, signedRequest("/slack/commands", commandBody("/who", "x", ""), testNow))
	if w.Code != http.StatusNotFound {
		t.Errorf("status %d, want 404", w.Code)
	}
}

// golden compares got with testdata/name.golden.json (rewritten with -update).
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	var v any
	if err := json.Unmarshal(got, &v); err != nil {
		t.Fatalf("%s: not JSON: %v", name, err)
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join("testdata", name+".golden.json")
	if *update {
		if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if !bytes.Equal(buf.Bytes(), want) {
		t.Errorf("%s differs from %s; run go test -run %s -update and review the diff.\ngot:\n%s", name, path, t.Name(), buf.Bytes())
	}
}

func TestSlashCommandsGolden(t *testing.T) {
	tests := []struct {
		name, command, text string
		wantLine            string
		public              bool
	}{
		{"who", "/whois", "france", "/who france", false},
		{"what", "/what", "military hubs", "/what military hubs", false},
		{"quote", "/quote", "witkoff", "/quote witkoff", false},
		{"ask", "/ask", "how many troops will Ukraine's army have", "/ask how many troops will Ukraine's army have", false},
		{"sources", "/sources", "", "/sources", false},
		{"help", "/help", "", "/help", false},
		{"parley_who", "/parley", "who france", "/who france", false},
		{"parley_unknown", "/parley", "nonsense here", "/nonsense here", false},
		{"not_covered", "/ask", "the price of tea", "/ask the price of tea", false},
		{"not_covered_related", "/ask", "how many troops will germany send", "/ask how many troops will germany send", false},
		{"who_public", "/whois", "france", "/who france", true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := newFake(t)
			mux := serve(newAdapter(t, f, func(o *Options) { o.PublicReplies = tc.public }))
			w := httptest.NewRecorder()
			mux.ServeHTTP(w, signedRequest("/slack/commands", commandBody(tc.command, tc.text, "https://hooks.slack.com/commands/T0/1/x"), testNow))
			if w.Code != http.StatusOK {
				t.Fatalf("status %d", w.Code)
			}
			if ct := w.Header().Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
				t.Errorf("content type %q", ct)
			}
			reqs := f.requests()
			if len(reqs) != 1 {
				t.Fatalf("%d requests", len(reqs))
			}
			r := reqs[0]
			if r.Line != tc.wantLine || r.Platform != "slack" || r.User != "U0ALICE" || r.Channel != "C0NEWS" {
				t.Errorf("request = %+v, want line %q from slack U0ALICE in C0NEWS", r, tc.wantLine)
			}
			m := decodeMessage(t, w.Body.Bytes())
			wantType := responseEphemeral
			if tc.public {
				wantType = responseInChannel
			}
			if m.ResponseType != wantType {
				t.Errorf("response_type %q, want %q", m.ResponseType, wantType)
			}
			checkLimits(t, m)
			golden(t, "slash_"+tc.name, w.Body.Bytes())
		})
	}
}

func TestEscapedQueries(t *testing.T) {
	for _, q := range []string{"<!channel> who", "@here please", "<@U123> and <!here>", "a & b <script>"} {
		t.Run(q, func(t *testing.T) {
			f := newFake(t)
			mux := serve(newAdapter(t, f, nil))
			// Slack sends &, < and > as entities; the query must reach the
			// answerer as typed and come back escaped.
			sent := strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;").Replace(q)
			w := httptest.NewRecorder()
			mux.ServeHTTP(w, signedRequest("/slack/commands", commandBody("/ask", sent, ""), testNow))
			if got := f.requests()[0].Query; got != q {
				t.Errorf("query = %q, want %q", got, q)
			}
			m := decodeMessage(t, w.Body.Bytes())
			// Slack reads mentions and markup in mrkdwn (and the fallback
			// text) only; plain_text shows the query as typed.
			visible := strings.Join(mrkdwnTexts(m), "\n") + m.Text
			for _, bad := range []string{"<!channel>", "<!here>", "<@U123>", "<script>", "link_names"} {
				if strings.Contains(visible, bad) || (bad == "link_names" && strings.Contains(w.Body.String(), bad)) {
					t.Errorf("response shows %q: %s", bad, visible)
				}
			}
			// Button values carry the line as typed: Slack never shows them.
			if v := findButton(t, m, actionShare).Value; !strings.HasSuffix(v, "/ask "+q) {
				t.Errorf("button value %q lost the query", v)
			}
			if !strings.Contains(strings.Join(plainTexts(m), "\n"), q) {
				t.Errorf("query %q not shown as typed in %v", q, plainTexts(m))
			}
			if m.UnfurlLinks || m.UnfurlMedia {
				t.Error("unfurling on")
			}
		})
	}
}

type policy map[string]parley.ChannelSettings

func (p policy) Channel(platform, ch string) parley.ChannelSettings {
	if platform != "slack" {
		panic("platform " + platform)
	}
	return p[ch]
}

func TestChannelPolicy(t *testing.T) {
	yes := true
	tests := []struct {
		name     string
		set      parley.ChannelSettings
		wantType string
		wantText string
		asked    int
	}{
		{"default private", parley.ChannelSettings{}, responseEphemeral, "People of France", 1},
		{"public here", parley.ChannelSettings{Public: &yes}, responseInChannel, "People of France", 1},
		{"disabled", parley.ChannelSettings{Disabled: true}, responseEphemeral, textNotEnabled, 0},
		{"mention only", parley.ChannelSettings{MentionOnly: true}, responseEphemeral, textMentionOnly, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := newFake(t)
			mux := serve(newAdapter(t, f, func(o *Options) { o.Channels = policy{"C0NEWS": tc.set} }))
			w := httptest.NewRecorder()
			mux.ServeHTTP(w, signedRequest("/slack/commands", commandBody("/who", "france", ""), testNow))
			m := decodeMessage(t, w.Body.Bytes())
			if m.ResponseType != tc.wantType || !strings.Contains(m.Text, tc.wantText) {
				t.Errorf("got %s %q, want %s %q", m.ResponseType, m.Text, tc.wantType, tc.wantText)
			}
			if n := len(f.requests()); n != tc.asked {
				t.Errorf("asked %d times, want %d", n, tc.asked)
			}
		})
	}
}

func TestSlowAnswerArrivesAtResponseURL(t *testing.T) {
	hook := newPosts(t, nil)
	release := make(chan struct{})
	var started atomic.Bool
	fake := newFake(t)
	slow := parley.AnswerFunc(func(ctx context.Context, req parley.Request) (*parley.Answer, error) {
		started.Store(true)
		select {
		case <-release:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
		return fake.answer(req), nil
	})
	a := newAdapter(t, slow, func(o *Options) { o.AckDeadline = 20 * time.Millisecond })
	mux := serve(a)
	w := httptest.NewRecorder()
	begin := time.Now()
	mux.ServeHTTP(w, signedRequest("/slack/commands", commandBody("/who", "france", hook.srv.URL+"/commands/T0/1/x"), testNow))
	took := time.Since(begin)
	// The handler returned while the answer was still blocked: the ack did
	// not wait for it.
	if w.Code != http.StatusOK || w.Body.Len() != 0 {
		t.Fatalf("ack = %d %q, want 200 and no body", w.Code, w.Body)
	}
	if !started.Load() {
		t.Fatal("answer never started")
	}
	if took >= 3*time.Second {
		t.Errorf("ack took %v", took)
	}
	close(release)
	p := hook.next(t)
	if p.path != "/commands/T0/1/x" {
		t.Errorf("posted to %s", p.path)
	}
	m := decodeMessage(t, p.body)
	if m.ResponseType != responseEphemeral || m.ReplaceOriginal || !strings.Contains(m.Text, "People of France") {
		t.Errorf("late answer = %+v", m)
	}
	checkLimits(t, m)
}

func TestFailingAnswererSaysSorry(t *testing.T) {
	a := newAdapter(t, parley.AnswerFunc(func(context.Context, parley.Request) (*parley.Answer, error) {
		return nil, context.DeadlineExceeded
	}), nil)
	w := httptest.NewRecorder()
	serve(a).ServeHTTP(w, signedRequest("/slack/commands", commandBody("/who", "france", ""), testNow))
	m := decodeMessage(t, w.Body.Bytes())
	if m.Text != textFailed || m.ResponseType != responseEphemeral {
		t.Errorf("got %+v", m)
	}
}

func TestResponseURLRetriedAfter429(t *testing.T) {
	hook := newPosts(t, func(_ string, n int) (int, http.Header) {
		if n == 1 {
			return http.StatusTooManyRequests, http.Header{"Retry-After": {"0"}}
		}
		return http.StatusOK, nil
	})
	a := newAdapter(t, newFake(t), nil)
	ctx := context.Background()
	if err := a.postResponseURL(ctx, hook.srv.URL+"/r", notice("hello")); err != nil {
		t.Fatal(err)
	}
	if m := decodeMessage(t, hook.next(t).body); m.Text != "hello" {
		t.Errorf("text %q", m.Text)
	}
}

func TestResponseURLGivesUpOnOtherErrors(t *testing.T) {
	hook := newPosts(t, func(_ string, n int) (int, http.Header) { return http.StatusNotFound, nil })
	a := newAdapter(t, newFake(t), nil)
	err := a.postResponseURL(context.Background(), hook.srv.URL+"/r/secret-token", notice("hello"))
	if err == nil || strings.Contains(err.Error(), "secret-token") {
		t.Errorf("err = %v, want an error without the URL", err)
	}
	if err := a.postResponseURL(context.Background(), "file:///etc/passwd", notice("x")); err == nil {
		t.Error("non-http response_url accepted")
	}
}

func TestNew(t *testing.T) {
	ans := newFake(t)
	tests := []struct {
		name    string
		o       Options
		wantErr bool
		off     bool
	}{
		{"nothing set", Options{Answerer: ans}, true, true},
		{"http", Options{SigningSecret: "s", Answerer: ans}, false, false},
		{"socket", Options{AppToken: "xapp-1", BotToken: "xoxb-1", Answerer: ans}, false, false},
		{"no answerer", Options{SigningSecret: "s"}, true, false},
		{"bot token in app token", Options{AppToken: "xoxb-1", Answerer: ans}, true, false},
		{"user token as bot token", Options{SigningSecret: "s", BotToken: "xoxp-1", Answerer: ans}, true, false},
		{"command not in table", Options{SigningSecret: "s", Answerer: ans, Commands: map[string]string{"nope": "/nope"}}, true, false},
		{"command without slash", Options{SigningSecret: "s", Answerer: ans, Commands: map[string]string{"who": "whois"}}, true, false},
		{"same name twice", Options{SigningSecret: "s", Answerer: ans, Commands: map[string]string{"who": "/what"}}, true, false},
		{"renamed", Options{SigningSecret: "s", Answerer: ans, Commands: map[string]string{"who": "/whois"}, ParleyCommand: "/news"}, false, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			a, err := New(tc.o)
			if (err != nil) != tc.wantErr {
				t.Fatalf("err = %v, want error %v", err, tc.wantErr)
			}
			if tc.off != (err == ErrNotConfigured) {
				t.Errorf("err = %v, off = %v", err, tc.off)
			}
			if err != nil && (strings.Contains(err.Error(), "xoxb-1") || strings.Contains(err.Error(), "xoxp-1")) {
				t.Errorf("error shows a token: %v", err)
			}
			if a != nil {
				_ = a.Shutdown(context.Background())
			}
		})
	}
}

func TestLineOf(t *testing.T) {
	a := newAdapter(t, newFake(t), func(o *Options) { o.Commands = map[string]string{"who": "/whois"}; o.ParleyCommand = "/news" })
	tests := []struct{ command, text, want string }{
		{"/whois", "france", "/who france"},
		{"/WHOIS", "  france  ", "/who france"},
		{"/what", "", "/what"},
		{"/news", "who france", "/who france"},
		{"/news", "/quote witkoff", "/quote witkoff"},
		{"/news", "", "/help"},
		{"/news", "did Russia respond?", "/did Russia respond?"},
		{"/ask", "a &amp; b &lt;x&gt;", "/ask a & b <x>"},
		{"/unknown", "x", "/unknown x"},
	}
	for _, tc := range tests {
		if got := a.lineOf(tc.command, tc.text); got != tc.want {
			t.Errorf("lineOf(%q, %q) = %q, want %q", tc.command, tc.text, got, tc.want)
		}
	}
}

// FuzzSlashCommand sends any text through the signed HTTP path: it must
// answer 200 with a message within Slack's limits, whatever was typed.
func FuzzSlashCommand(f *testing.F) {
	for _, s := range []string{"france", "", "<!channel>", "@everyone 🇺🇦", "\x00\x1b[31m", strings.Repeat("ä", 5000), "who france?", "/ask x", "&lt;@U1&gt;"} {
		f.Add("/parley", s)
		f.Add("/ask", s)
	}
	fake := newFake(f)
	a := newAdapter(f, fake, nil)
	mux := serve(a)
	var n atomic.Int64
	f.Fuzz(func(t *testing.T, command, text string) {
		body := commandBody(command, text, "") + "&n=" + strings.Repeat("x", int(n.Add(1)%7)) + time.Now().String()
		w := httptest.NewRecorder()
		mux.ServeHTTP(w, signedRequest("/slack/commands", body, testNow))
		if command == "" && w.Code == http.StatusBadRequest {
			return
		}
		if w.Code != http.StatusOK {
			t.Fatalf("status %d for %q %q", w.Code, command, text)
		}
		m := decodeMessage(t, w.Body.Bytes())
		checkLimits(t, m)
		for _, s := range append(mrkdwnTexts(m), m.Text) {
			if strings.Contains(s, "<!") || strings.Contains(s, "<@") {
				t.Fatalf("unescaped mention in %q", s)
			}
		}
	})
}

// Secrets, tokens and signatures never reach the log, whatever goes wrong.
func TestLogsHoldNoSecrets(t *testing.T) {
	var buf syncBuffer
	logger := slog.New(slog.NewJSONHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug}))
	api := newPosts(t, func(string, int) (int, http.Header) { return http.StatusInternalServerError, nil })
	a := newAdapter(t, newFake(t), func(o *Options) { withAPI(api)(o); o.Logger = logger; o.AppToken = "xapp-1-secretapp" })
	mux := serve(a)
	body := commandBody("/who", "france", api.srv.URL+"/hook/secret-hook-token")
	good := signedRequest("/slack/commands", body, testNow)
	sig := good.Header.Get("X-Slack-Signature")
	for _, r := range []*http.Request{
		good,
		signedRequest("/slack/commands", body, testNow), // replay
		signedRequest("/slack/commands", body+"x", testNow.Add(-time.Hour)),
		func() *http.Request {
			r := signedRequest("/slack/commands", body, testNow)
			r.Header.Set("X-Slack-Signature", "v0="+strings.Repeat("ab", 32))
			return r
		}(),
		signedRequest("/slack/events", eventBody(t, "Ev9", map[string]any{"type": "app_mention", "user": "U1", "text": "<@U0> hi", "channel": "C1", "ts": "1.1"}), testNow),
	} {
		mux.ServeHTTP(httptest.NewRecorder(), r)
	}
	a.reply(context.Background(), api.srv.URL+"/hook/secret-hook-token", notice("x"))
	drain(t, a)
	out := buf.String()
	if !strings.Contains(out, "request refused") || !strings.Contains(out, "reply not delivered") {
		t.Fatalf("expected refusals and a delivery failure in the log:\n%s", out)
	}
	for _, secret := range []string{testSecret, "xoxb-test", "xapp-1-secretapp", sig[3:], strings.Repeat("ab", 32), "secret-hook-token"} {
		if strings.Contains(out, secret) {
			t.Errorf("log holds %q:\n%s", secret, out)
		}
	}
}

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// formValues reads a body as url.ParseQuery does: the same first value of
// each key asked for, and an error for the same bodies.
func FuzzFormValues(f *testing.F) {
	for _, s := range []string{
		"command=%2Fask&text=how+many+troops%3F&user_id=U1",
		"text=a&text=b&command=", "te%78t=escaped+key", "text=%zz&command=x", "a;b=c&text=x",
		"&&text=&", "text", "=v&text=%E2%82%AC", "command=x&command=%",
	} {
		f.Add(s)
	}
	keys := []string{"command", "text", "user_id", "absent"}
	f.Fuzz(func(t *testing.T, body string) {
		got, err := formValues(body, keys)
		want, werr := url.ParseQuery(body)
		if (err == nil) != (werr == nil) {
			t.Fatalf("%q: error %v, ParseQuery's %v", body, err, werr)
		}
		for i, k := range keys {
			if got[i] != want.Get(k) {
				t.Fatalf("%q: %s = %q, ParseQuery's %q", body, k, got[i], want.Get(k))
			}
		}
	})
}

// A body is read whole whatever its length says, and one shorter than its
// length or longer than the most allowed is an error.
func TestReadBody(t *testing.T) {
	long := strings.Repeat("x", smallBody+10)
	for _, tc := range []struct {
		body    string
		n, max  int64
		want    string
		wantErr bool
	}{
		{"command=%2Fask", 14, 1 << 20, "command=%2Fask", false},
		{"command=%2Fask", -1, 1 << 20, "command=%2Fask", false}, // unknown length
		{long, int64(len(long)), 1 << 20, long, false},
		{"short", 10, 1 << 20, "", true},
		{"0123456789", 10, 5, "", true},
		{"0123456789", -1, 5, "", true},
	} {
		rd := http.MaxBytesReader(httptest.NewRecorder(), io.NopCloser(strings.NewReader(tc.body)), tc.max)
		got, err := readBody(rd, tc.n, tc.max)
		if (err != nil) != tc.wantErr || err == nil && string(got) != tc.want {
			t.Errorf("readBody(%d bytes, n %d, max %d) = %d bytes, %v", len(tc.body), tc.n, tc.max, len(got), err)
		}
	}
}
