package discord

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/parley-bot/parley"
)

func TestPing(t *testing.T) {
	h := newHarness(t, nil)
	code, body := h.post(t, map[string]any{"id": "p", "application_id": "app1", "type": 1, "token": "t", "version": 1})
	if code != http.StatusOK {
		t.Fatalf("status %d, want 200: %s", code, body)
	}
	checkResponse(t, body)
	if got, want := string(body), `{"type":1}`; got != want {
		t.Errorf("PING answer %s, want %s", got, want)
	}
}

// TestCommands renders each command's answer and compares it with its
// golden file; every response is validated against Discord's spec.
func TestCommands(t *testing.T) {
	tests := []struct {
		name, command, option, value string
		wantCommand, wantQuery       string
	}{
		{"who", "who", "subject", "france", "who", "france"},
		{"what", "what", "topic", "military hubs", "what", "military hubs"},
		{"quote", "quote", "person", "witkoff", "quote", "witkoff"},
		{"ask", "ask", "question", "how many troops could france send", "ask", "how many troops could france send"},
		{"sources", "sources", "", "", "sources", ""},
		{"help", "help", "", "", "help", ""},
		{"uncovered", "who", "subject", "  atlantis\n", "who", "atlantis"},
		{"uncovered_related", "ask", "question", "how many troops will germany send", "ask", "how many troops will germany send"},
		{"mentions", "ask", "question", "@everyone <@&123> **ping** <@456> @here", "ask", "@everyone <@&123> **ping** <@456> @here"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t, nil)
			code, body := h.post(t, commandInteraction(tc.command, tc.option, tc.value))
			if code != http.StatusOK {
				t.Fatalf("status %d: %s", code, body)
			}
			resp := checkResponse(t, body)
			if got := resp["type"]; got != float64(4) {
				t.Fatalf("type %v, want 4", got)
			}
			req := h.answerer.last()
			if req.Command != tc.wantCommand || req.Query != tc.wantQuery || req.Platform != "discord" || req.User != "u1" || req.Channel != "c1" || req.Page != 1 {
				t.Errorf("request = %+v, want command %q query %q from discord/u1/c1 page 1", req, tc.wantCommand, tc.wantQuery)
			}
			checkLimits(t, body)
			golden(t, "command_"+tc.name, body)
		})
	}
}

func TestMentionsAreEscaped(t *testing.T) {
	h := newHarness(t, nil)
	_, body := h.post(t, commandInteraction("ask", "question", "@everyone <@&123> **ping** <@456> @here"))
	var resp struct {
		Data struct {
			Embeds []struct{ Title, Description string }
		}
	}
	if err := json.Unmarshal(body, &resp); err != nil {
		t.Fatal(err)
	}
	e := resp.Data.Embeds[0]
	for _, s := range []string{e.Title, e.Description} {
		for _, raw := range []string{"@everyone", "@here", "<@&123>", "<@456>", "**ping**"} {
			if regexp.MustCompile(`(^|[^\\])` + regexp.QuoteMeta(raw)).MatchString(s) {
				t.Errorf("%q left unescaped in %q", raw, s)
			}
		}
	}
}

func TestVerification(t *testing.T) {
	h := newHarness(t, nil)
	ping := []byte(`{"id":"p","application_id":"app1","type":1,"token":"t","version":1}`)
	tests := []struct {
		name string
		req  func() *http.Request
		want int
	}{
		{"good", func() *http.Request { return h.signed(ping, testNow) }, http.StatusOK},
		{"bad signature", func() *http.Request {
			r := h.signed(ping, testNow)
			r.Header.Set("X-Signature-Ed25519", strings.Repeat("ab", 64))
			return r
		}, http.StatusUnauthorized},
		{"signature not hex", func() *http.Request {
			r := h.signed(ping, testNow)
			r.Header.Set("X-Signature-Ed25519", "zz")
			return r
		}, http.StatusUnauthorized},
		{"tampered body", func() *http.Request {
			r := h.signed(ping, testNow)
			r.Body = http.NoBody
			r.Body = ioNop(bytes.Replace(ping, []byte(`"type":1`), []byte(`"type":2`), 1))
			return r
		}, http.StatusUnauthorized},
		{"other timestamp", func() *http.Request {
			r := h.signed(ping, testNow)
			r.Header.Set("X-Signature-Timestamp", strconv.FormatInt(testNow.Unix()+1, 10))
			return r
		}, http.StatusUnauthorized},
		{"stale timestamp", func() *http.Request { return h.signed(ping, testNow.Add(-6*time.Minute)) }, http.StatusUnauthorized},
		{"future timestamp", func() *http.Request { return h.signed(ping, testNow.Add(6*time.Minute)) }, http.StatusUnauthorized},
		{"four minutes old", func() *http.Request { return h.signed(ping, testNow.Add(-4*time.Minute)) }, http.StatusOK},
		{"missing signature", func() *http.Request {
			r := h.signed(ping, testNow)
			r.Header.Del("X-Signature-Ed25519")
			return r
		}, http.StatusUnauthorized},
		{"missing timestamp", func() *http.Request {
			r := h.signed(ping, testNow)
			r.Header.Del("X-Signature-Timestamp")
			return r
		}, http.StatusUnauthorized},
		{"oversized body", func() *http.Request {
			big := append([]byte(`{"type":1,"x":"`), bytes.Repeat([]byte("a"), maxBody)...)
			return h.signed(append(big, `"}`...), testNow)
		}, http.StatusRequestEntityTooLarge},
		{"signed garbage", func() *http.Request { return h.signed([]byte("{not json"), testNow) }, http.StatusBadRequest},
		{"GET", func() *http.Request { return httptest.NewRequest(http.MethodGet, Path, nil) }, http.StatusMethodNotAllowed},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			w := httptest.NewRecorder()
			h.mux.ServeHTTP(w, tc.req())
			if w.Code != tc.want {
				t.Errorf("status %d, want %d (%s)", w.Code, tc.want, w.Body)
			}
			if w.Code == http.StatusOK {
				checkResponse(t, w.Body.Bytes())
			}
		})
	}
}

type nopCloser struct{ *bytes.Reader }

func (nopCloser) Close() error { return nil }

func ioNop(b []byte) nopCloser { return nopCloser{bytes.NewReader(b)} }

// completer is a fake Completer with typo-tolerant prefix matching over a
// fixed list, recording what it was asked.
type completer struct {
	mu             sync.Mutex
	command, typed string
	limit          int
	names          []parley.Choice
}

func (c *completer) Complete(_ context.Context, command, typed string, limit int) []parley.Choice {
	c.mu.Lock()
	c.command, c.typed, c.limit = command, typed, limit
	c.mu.Unlock()
	var out []parley.Choice
	for _, n := range c.names {
		p := strings.ToLower(n.Value)
		if len(p) > len(typed) {
			p = p[:len(typed)]
		}
		// Fillers always match, so that the adapter must enforce the limit.
		if parley.EditDistance(p, strings.ToLower(typed)) <= 2 || strings.HasPrefix(n.Value, "Fr filler") {
			out = append(out, n)
		}
	}
	return out
}

func TestAutocomplete(t *testing.T) {
	long := strings.Repeat("Ukrainian Armed Forces long name ", 6)
	names := []parley.Choice{
		{Name: "France", Value: "France"}, {Name: "Frnace typo target", Value: "Frankfurt"},
		{Name: long, Value: "France (country)"}, {Name: "Too long value", Value: strings.Repeat("v", 101)},
		{Name: "dup", Value: "France"}, {Name: "<@&1> @everyone", Value: "Fr role"},
	}
	for i := range 40 {
		names = append(names, parley.Choice{Name: "Fr filler " + itoa(i), Value: "Fr filler " + itoa(i)})
	}
	c := &completer{names: names}
	h := newHarness(t, func(o *Options) { o.Completer = c })

	_, body := h.post(t, autocompleteInteraction("who", "subject", "frnace"))
	resp := checkResponse(t, body)
	if resp["type"] != float64(8) {
		t.Fatalf("type %v, want 8", resp["type"])
	}
	if c.command != "who" || c.typed != "frnace" || c.limit != 25 {
		t.Errorf("completer asked (%q, %q, %d), want (who, frnace, 25)", c.command, c.typed, c.limit)
	}
	var got struct {
		Data struct{ Choices []choice } `json:"data"`
	}
	_ = json.Unmarshal(body, &got)
	if n := len(got.Data.Choices); n != 25 {
		t.Errorf("%d choices, want 25", n)
	}
	seen := map[string]bool{}
	for _, ch := range got.Data.Choices {
		if runes(ch.Name) > 100 || runes(ch.Value) > 100 || ch.Name == "" || ch.Value == "" {
			t.Errorf("choice out of limits: %+v", ch)
		}
		if seen[ch.Value] {
			t.Errorf("duplicate value %q", ch.Value)
		}
		seen[ch.Value] = true
	}
	if !seen["France"] || !seen["France (country)"] {
		t.Errorf("typo-tolerant matches missing: %v", got.Data.Choices)
	}

	// Without a Completer Discord still gets an (empty) list.
	h2 := newHarness(t, nil)
	_, body = h2.post(t, autocompleteInteraction("quote", "person", "wit"))
	checkResponse(t, body)
	if got, want := string(body), `{"type":8,"data":{"choices":[]}}`; got != want {
		t.Errorf("got %s, want %s", got, want)
	}
}

// Every interaction carries its application id: DISCORD_APP_ID is not
// needed, and when it is set, an interaction for another application (the
// key and the id of two different ones) is refused.
func TestApplicationID(t *testing.T) {
	h := newHarness(t, func(o *Options) { o.AppID = "" })
	if code, body := h.post(t, commandInteraction("who", "subject", "france")); code != http.StatusOK {
		t.Fatalf("without DISCORD_APP_ID: status %d %s", code, body)
	}
	var logs bytes.Buffer
	h = newHarness(t, func(o *Options) { o.Logger = slog.New(slog.NewTextHandler(&logs, nil)) }) // AppID "app1"
	for range 3 {
		i := commandInteraction("who", "subject", "france")
		i["application_id"] = "app2"
		if code, _ := h.post(t, i); code != http.StatusBadRequest {
			t.Errorf("interaction for app2 answered %d, want 400", code)
		}
	}
	// Said once, with what to check; not a line per request.
	if n := strings.Count(logs.String(), "another application than DISCORD_APP_ID"); n != 1 {
		t.Errorf("%d log lines for 3 interactions of another application, want 1:\n%s", n, logs.String())
	}
	ping := map[string]any{"id": "p1", "application_id": "app1", "type": 1, "token": "t", "version": 1}
	if code, _ := h.post(t, ping); code != http.StatusOK {
		t.Errorf("ping for app1: %d", code)
	}
}

// The invite's permission integer is the sum of the bits Discord's docs
// give for what replies to mentions need.
func TestInvitePermissions(t *testing.T) {
	bits := map[string]int64{
		"VIEW_CHANNEL": 1 << 10, "SEND_MESSAGES": 1 << 11, "EMBED_LINKS": 1 << 14,
		"READ_MESSAGE_HISTORY": 1 << 16, "SEND_MESSAGES_IN_THREADS": 1 << 38,
	}
	var sum int64
	for _, b := range bits {
		sum |= b
	}
	if InvitePermissions != sum {
		t.Errorf("InvitePermissions = %d, want %d", int64(InvitePermissions), sum)
	}
	if got := InviteURL("123", true); got != "https://discord.com/oauth2/authorize?client_id=123&permissions=274877991936&scope=bot+applications.commands" {
		t.Errorf("gateway invite %s", got)
	}
	if got := InviteURL("123", false); got != "https://discord.com/oauth2/authorize?client_id=123&scope=applications.commands" {
		t.Errorf("HTTP invite %s", got)
	}
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Skip("no README beside the package")
	}
	for _, gateway := range []bool{false, true} {
		if u := InviteURL("APP_ID", gateway); !bytes.Contains(readme, []byte(u)) {
			t.Errorf("README lacks the invite %s", u)
		}
	}
}
