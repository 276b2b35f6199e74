package main

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"github.com/parley-bot/parley"
	"github.com/parley-bot/parley/bot/cli"
	"github.com/parley-bot/parley/bot/discord"
	"github.com/parley-bot/parley/bot/slack"
)

// recorder is an Answerer over the real engine that keeps what each front
// end asked and got.
type recorder struct {
	next parley.Answerer
	got  chan recorded
}

type recorded struct {
	req parley.Request
	ans *parley.Answer
}

func (r *recorder) Answer(ctx context.Context, req parley.Request) (*parley.Answer, error) {
	ans, err := r.next.Answer(ctx, req)
	if err == nil {
		r.got <- recorded{req, ans}
	}
	return ans, err
}

func (r *recorder) wait(t *testing.T) recorded {
	t.Helper()
	select {
	case rec := <-r.got:
		return rec
	case <-time.After(10 * time.Second):
		t.Fatal("the front end asked nothing")
		return recorded{}
	}
}

// terminal is what `parley ask --json LINE` prints for line.
func terminal(t *testing.T, a parley.Answerer, line string) string {
	t.Helper()
	var out bytes.Buffer
	if err := cli.Ask(context.Background(), a, line, &out, cli.Options{JSON: true}); err != nil {
		t.Fatal(err)
	}
	var ans parley.Answer
	if err := json.Unmarshal(out.Bytes(), &ans); err != nil {
		t.Fatal(err)
	}
	return answerJSON(t, &ans)
}

func answerJSON(t *testing.T, ans *parley.Answer) string {
	t.Helper()
	b, err := json.Marshal(ans)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// The README's forms of a question (`@Parley who france?`, a DM "who
// france?", `/parley who france`, the command itself) reach the answerer
// from every front end as they do from the terminal, so each front end's
// answer is the terminal's for the same line, whatever the parsing rule of
// the day makes of it.
func TestFrontEndsAnswerAsTheTerminal(t *testing.T) {
	ix, h, err := (&Main{Getenv: func(string) string { return "" }}).engine(context.Background(), common{})
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	rec := &recorder{next: h, got: make(chan recorded, 16)}

	// What the platforms' APIs receive; nothing is checked there.
	sink := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Type", "application/json")
		w.Write([]byte(`{"ok":true,"channel":"C1","ts":"1.1","id":"m1","channel_id":"c1"}`))
	}))
	defer sink.Close()

	type form struct {
		front, typed, line string
		send               func(t *testing.T)
	}
	var forms []form

	// Slack, over HTTP with real signatures.
	const secret = "parity-signing-secret"
	sl, err := slack.New(slack.Options{SigningSecret: secret, BotToken: "xoxb-parity", Answerer: rec, APIURL: sink.URL + "/"})
	if err != nil {
		t.Fatal(err)
	}
	defer sl.Shutdown(context.Background())
	slackMux := http.NewServeMux()
	sl.Register(slackMux)
	slackPost := func(t *testing.T, path, contentType, body string) {
		t.Helper()
		ts := strconv.FormatInt(time.Now().Unix(), 10)
		mac := hmac.New(sha256.New, []byte(secret))
		fmt.Fprintf(mac, "v0:%s:%s", ts, body)
		r := httptest.NewRequest(http.MethodPost, path, strings.NewReader(body))
		r.Header.Set("Content-Type", contentType)
		r.Header.Set("X-Slack-Request-Timestamp", ts)
		r.Header.Set("X-Slack-Signature", "v0="+hex.EncodeToString(mac.Sum(nil)))
		w := httptest.NewRecorder()
		slackMux.ServeHTTP(w, r)
		if w.Code != http.StatusOK {
			t.Fatalf("Slack %s: %d", path, w.Code)
		}
	}
	slashCommand := func(command, text string) func(*testing.T) {
		return func(t *testing.T) {
			slackPost(t, "/slack/commands", "application/x-www-form-urlencoded", url.Values{
				"command": {command}, "text": {text}, "user_id": {"U1"}, "channel_id": {"C1"}, "response_url": {sink.URL + "/hook"},
			}.Encode())
		}
	}
	n := 0
	slackEvent := func(ev map[string]any) func(*testing.T) {
		return func(t *testing.T) {
			n++
			b, _ := json.Marshal(map[string]any{"type": "event_callback", "event_id": "Ev" + strconv.Itoa(n), "event": ev})
			slackPost(t, "/slack/events", "application/json", string(b))
		}
	}
	forms = append(forms,
		form{"slack", "@Parley who france?", "who france?", slackEvent(map[string]any{"type": "app_mention", "user": "U1", "text": "<@U0PARLEY> who france?", "channel": "C1", "ts": "1.1"})},
		form{"slack", "DM who france?", "who france?", slackEvent(map[string]any{"type": "message", "channel_type": "im", "user": "U1", "text": "who france?", "channel": "D1", "ts": "1.2"})},
		form{"slack", "/parley who france", "/who france", slashCommand("/parley", "who france")},
		form{"slack", "/whois france", "/who france", slashCommand("/whois", "france")},
		form{"slack", "/ask who is the NATO chief?", "/ask who is the NATO chief?", slashCommand("/ask", "who is the NATO chief?")},
	)

	// Discord, over the HTTP endpoint with a real Ed25519 signature.
	pub, priv, err := ed25519.GenerateKey(nil)
	if err != nil {
		t.Fatal(err)
	}
	dh, err := discord.New(discord.Options{PublicKey: hex.EncodeToString(pub), Answerer: rec, APIBase: sink.URL})
	if err != nil {
		t.Fatal(err)
	}
	discordMux := http.NewServeMux()
	dh.Register(discordMux)
	slashInteraction := func(name, option, value string) func(*testing.T) {
		return func(t *testing.T) {
			body, _ := json.Marshal(map[string]any{
				"id": "i1", "application_id": "app1", "type": 2, "token": "tok", "version": 1, "channel_id": "c1",
				"member": map[string]any{"user": map[string]any{"id": "u1", "username": "ann"}},
				"data":   map[string]any{"id": "cmd", "name": name, "type": 1, "options": []any{map[string]any{"name": option, "type": 3, "value": value}}},
			})
			ts := strconv.FormatInt(time.Now().Unix(), 10)
			r := httptest.NewRequest(http.MethodPost, discord.Path, bytes.NewReader(body))
			r.Header.Set("X-Signature-Timestamp", ts)
			r.Header.Set("X-Signature-Ed25519", hex.EncodeToString(ed25519.Sign(priv, append([]byte(ts), body...))))
			w := httptest.NewRecorder()
			discordMux.ServeHTTP(w, r)
			if w.Code != http.StatusOK {
				t.Fatalf("Discord interaction: %d", w.Code)
			}
		}
	}
	forms = append(forms,
		form{"discord", "/who subject:france", "/who france", slashInteraction("who", "subject", "france")},
		form{"discord", "/ask question:who is the NATO chief?", "/ask who is the NATO chief?", slashInteraction("ask", "question", "who is the NATO chief?")},
	)

	// Discord over the gateway (a local fake): a mention and a DM.
	gw := newGatewayFake(t)
	dg, err := discord.New(discord.Options{Gateway: true, BotToken: "parity", ShardCount: 1, Answerer: rec, APIBase: gw.rest.URL})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- dg.RunGateway(ctx) }()
	defer func() { cancel(); <-done }()
	message := func(content string, guild bool) func(*testing.T) {
		return func(t *testing.T) {
			d := map[string]any{"id": "m" + strconv.Itoa(n), "channel_id": "c1", "content": content, "type": 0,
				"author": map[string]any{"id": "u1", "username": "ann"}, "timestamp": "2026-01-07T09:30:00Z"}
			if guild {
				d["guild_id"] = "g1"
			}
			n++
			gw.send(t, "MESSAGE_CREATE", d)
		}
	}
	forms = append(forms,
		form{"discord", "@Parley who france?", "who france?", message("<@bot1> who france?", true)},
		form{"discord", "DM who france?", "who france?", message("who france?", false)},
	)

	for _, f := range forms {
		t.Run(f.front+" "+f.typed, func(t *testing.T) {
			f.send(t)
			got := rec.wait(t)
			want := terminal(t, h, f.line)
			if got.req.Line != f.line {
				t.Errorf("%s handed the answerer %q, the terminal %q", f.front, got.req.Line, f.line)
			}
			if g := answerJSON(t, got.ans); g != want {
				t.Errorf("%s %q answered\n%s\nthe terminal answered %q with\n%s", f.front, f.typed, g, f.line, want)
			}
		})
	}
}

// gatewayFake is Discord's gateway and REST API as far as a shard needs
// them: Hello, READY for bot user bot1, and dispatches the test sends.
type gatewayFake struct {
	rest  *httptest.Server
	mu    sync.Mutex
	conn  *websocket.Conn
	ready chan struct{}
	seq   int
}

func newGatewayFake(t *testing.T) *gatewayFake {
	g := &gatewayFake{ready: make(chan struct{})}
	up := websocket.Upgrader{}
	ws := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c, err := up.Upgrade(w, r, nil)
		if err != nil {
			return
		}
		c.WriteJSON(map[string]any{"op": 10, "d": map[string]any{"heartbeat_interval": 45000}})
		for {
			var p struct {
				Op int `json:"op"`
			}
			if err := c.ReadJSON(&p); err != nil {
				return
			}
			if p.Op != 2 {
				continue
			}
			g.mu.Lock()
			g.conn = c
			g.seq++
			c.WriteJSON(map[string]any{"op": 0, "t": "READY", "s": g.seq, "d": map[string]any{
				"v": 10, "session_id": "s1", "user": map[string]any{"id": "bot1", "username": "Parley", "bot": true},
				"guilds": []any{}, "application": map[string]any{"id": "app1", "flags": 0}}})
			g.mu.Unlock()
			close(g.ready)
		}
	}))
	t.Cleanup(ws.Close)
	wsURL := "ws" + strings.TrimPrefix(ws.URL, "http")
	g.rest = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Type", "application/json")
		switch {
		case strings.HasPrefix(r.URL.Path, "/gateway"):
			json.NewEncoder(w).Encode(map[string]any{"url": wsURL, "shards": 1,
				"session_start_limit": map[string]any{"total": 1000, "remaining": 999, "reset_after": 0, "max_concurrency": 1}})
		default:
			w.Write([]byte(`{"id":"m9","channel_id":"c1","content":""}`))
		}
	}))
	t.Cleanup(g.rest.Close)
	return g
}

func (g *gatewayFake) send(t *testing.T, event string, d any) {
	t.Helper()
	select {
	case <-g.ready:
	case <-time.After(10 * time.Second):
		t.Fatal("the shard never identified")
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	g.seq++
	if err := g.conn.WriteJSON(map[string]any{"op": 0, "t": event, "s": g.seq, "d": d}); err != nil {
		t.Fatal(err)
	}
}
