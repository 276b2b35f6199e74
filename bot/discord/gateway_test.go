package discord

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"
	"github.com/gorilla/websocket"

	"github.com/parley-bot/parley"
)

// fakeGateway is Discord's gateway and REST API on loopback: discordgo
// finds the websocket through GET /gateway on the fake REST server, which
// it reaches through the adapter's HTTP client (Options.APIBase), not
// through discordgo's package variables.
type fakeGateway struct {
	rest  *fakeREST
	ws    *httptest.Server
	conns chan *gwConn
}

// gwConn is one client connection, with the first packet it sent after
// Hello (Identify or Resume).
type gwConn struct {
	tb    testing.TB
	c     *websocket.Conn
	first gwPacket
	in    chan gwPacket
}

type gwPacket struct {
	Op int             `json:"op"`
	D  json.RawMessage `json:"d"`
	S  int64           `json:"s,omitempty"`
	T  string          `json:"t,omitempty"`
}

func newFakeGateway(tb testing.TB, shards int) *fakeGateway {
	tb.Helper()
	g := &fakeGateway{rest: newFakeREST(tb), conns: make(chan *gwConn, 8)}
	up := websocket.Upgrader{}
	g.ws = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Query().Get("v") != discordgo.APIVersion || r.URL.Query().Get("encoding") != "json" {
			tb.Errorf("gateway dialled with %s", r.URL.RawQuery)
		}
		c, err := up.Upgrade(w, r, nil)
		if err != nil {
			tb.Errorf("upgrade: %v", err)
			return
		}
		gc := &gwConn{tb: tb, c: c, in: make(chan gwPacket, 16)}
		if err := c.WriteJSON(map[string]any{"op": 10, "d": map[string]any{"heartbeat_interval": 45000}}); err != nil {
			return
		}
		// Read everything the client sends; heartbeats (op 1) are acked.
		first := make(chan gwPacket, 1)
		go func() {
			got := false
			for {
				var p gwPacket
				if err := c.ReadJSON(&p); err != nil {
					close(gc.in)
					return
				}
				if p.Op == 1 {
					continue
				}
				if !got {
					got = true
					first <- p
					continue
				}
				gc.in <- p
			}
		}()
		select {
		case gc.first = <-first:
			g.conns <- gc
		case <-time.After(10 * time.Second):
			tb.Errorf("client sent no Identify or Resume")
		}
	}))
	tb.Cleanup(g.ws.Close)
	wsURL := "ws" + strings.TrimPrefix(g.ws.URL, "http")
	g.rest.handle = func(w http.ResponseWriter, r *http.Request, body []byte) bool {
		w.Header().Set("Content-Type", "application/json")
		switch {
		case r.Method == http.MethodGet && r.URL.Path == "/gateway":
			_ = json.NewEncoder(w).Encode(map[string]any{"url": wsURL})
		case r.Method == http.MethodGet && r.URL.Path == "/gateway/bot":
			_ = json.NewEncoder(w).Encode(map[string]any{"url": wsURL, "shards": shards,
				"session_start_limit": map[string]any{"total": 1000, "remaining": 999, "reset_after": 0, "max_concurrency": 1}})
		case r.Method == http.MethodPost && strings.HasPrefix(r.URL.Path, "/channels/"):
			_, _ = w.Write([]byte(`{"id":"m9","channel_id":"c1","content":""}`))
		default:
			return false
		}
		return true
	}
	return g
}

func (g *fakeGateway) accept(tb testing.TB) *gwConn {
	tb.Helper()
	select {
	case c := <-g.conns:
		tb.Cleanup(func() { c.c.Close() })
		return c
	case <-time.After(10 * time.Second):
		tb.Fatal("the client did not connect")
		return nil
	}
}

// call waits for the next REST call other than GET /gateway(/bot).
func (g *fakeGateway) call(tb testing.TB) restCall {
	tb.Helper()
	for {
		c := g.rest.next(tb)
		if !strings.HasPrefix(c.Path, "/gateway") {
			return c
		}
	}
}

func (c *gwConn) send(op int, t string, seq int64, d any) {
	c.tb.Helper()
	p := map[string]any{"op": op, "d": d}
	if op == 0 {
		p["t"], p["s"] = t, seq
	}
	if err := c.c.WriteJSON(p); err != nil {
		c.tb.Fatalf("send %s: %v", t, err)
	}
}

func (c *gwConn) ready(seq int64, session string) {
	c.send(0, "READY", seq, map[string]any{
		"v": 10, "session_id": session, "resume_gateway_url": "ws://127.0.0.1:1/unused",
		"user":   map[string]any{"id": "bot1", "username": "Parley", "bot": true},
		"guilds": []any{}, "application": map[string]any{"id": "app1", "flags": 0},
	})
}

func (c *gwConn) next() gwPacket {
	c.tb.Helper()
	select {
	case p, ok := <-c.in:
		if !ok {
			c.tb.Fatal("connection closed")
		}
		return p
	case <-time.After(10 * time.Second):
		c.tb.Fatal("no packet from the client")
		return gwPacket{}
	}
}

type identify struct {
	Token   string `json:"token"`
	Intents int    `json:"intents"`
	Shard   *[2]int
}

func (p gwPacket) identify(tb testing.TB) identify {
	tb.Helper()
	if p.Op != 2 {
		tb.Fatalf("got op %d, want Identify (2): %s", p.Op, p.D)
	}
	var id identify
	if err := json.Unmarshal(p.D, &id); err != nil {
		tb.Fatal(err)
	}
	return id
}

type states chan [2]int

func (s states) wait(tb testing.TB, shard int, up bool) {
	tb.Helper()
	want := [2]int{shard, 0}
	if up {
		want[1] = 1
	}
	for {
		select {
		case got := <-s:
			if got == want {
				return
			}
		case <-time.After(10 * time.Second):
			tb.Fatalf("shard %d never went up=%v", shard, up)
		}
	}
}

func startGateway(tb testing.TB, g *fakeGateway, edit func(*Options)) (*Adapter, states, func()) {
	tb.Helper()
	st := make(states, 64)
	opts := Options{
		Gateway: true, BotToken: "tok", ShardCount: 1,
		Answerer: newFakeAnswerer(tb), APIBase: g.rest.URL, DeferAfter: 5 * time.Second,
		identifyWait: time.Millisecond,
		onState: func(shard int, up bool) {
			v := 0
			if up {
				v = 1
			}
			st <- [2]int{shard, v}
		},
	}
	if edit != nil {
		edit(&opts)
	}
	a, err := New(opts)
	if err != nil {
		tb.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- a.RunGateway(ctx) }()
	stop := func() {
		cancel()
		select {
		case err := <-done:
			if err != nil {
				tb.Errorf("RunGateway: %v", err)
			}
		case <-time.After(15 * time.Second):
			tb.Error("RunGateway did not return after cancel")
		}
		if a.Connected() {
			tb.Error("still connected after RunGateway returned")
		}
	}
	return a, st, stop
}

func interactionCreate(id, token string) map[string]any {
	i := commandInteraction("who", "subject", "france")
	i["id"], i["token"] = id, token
	return i
}

// expectCallback waits for the interaction callback and validates it.
func expectCallback(tb testing.TB, g *fakeGateway, id, token string) {
	tb.Helper()
	c := g.call(tb)
	if c.Method != http.MethodPost || c.Path != "/interactions/"+id+"/"+token+"/callback" {
		tb.Fatalf("got %s %s, want the callback of %s", c.Method, c.Path, id)
	}
	if c.Auth != "Bot tok" {
		tb.Errorf("callback authorization %q", c.Auth)
	}
	resp := checkResponse(tb, c.Body)
	if resp["type"] != float64(4) || !strings.Contains(string(c.Body), "several thousand") {
		tb.Errorf("callback is not the answer: %s", c.Body)
	}
}

// TestGatewayInteraction: Hello, Identify, Ready, INTERACTION_CREATE, and
// the callback over REST; then the connection drops and comes back, by
// resume or (when Discord refuses the resume) by a fresh identify, without
// RunGateway returning.
func TestGatewayInteraction(t *testing.T) {
	t.Parallel()
	for _, mode := range []string{"resume", "reidentify"} {
		t.Run(mode, func(t *testing.T) {
			t.Parallel()
			g := newFakeGateway(t, 1)
			a, st, stop := startGateway(t, g, nil)
			defer stop()

			c := g.accept(t)
			id := c.first.identify(t)
			// GUILD_MESSAGES | DIRECT_MESSAGES, and no privileged intent
			// (Message Content is 1 << 15).
			if id.Token != "Bot tok" || id.Intents != 512|4096 || id.Shard != nil {
				t.Errorf("identify %+v: want token \"Bot tok\", intents 4608, no shard", id)
			}
			c.ready(1, "sess1")
			st.wait(t, 0, true)
			if !a.Connected() {
				t.Error("not Connected after READY")
			}
			c.send(0, "INTERACTION_CREATE", 2, interactionCreate("i1", "tok1"))
			expectCallback(t, g, "i1", "tok1")

			// Drop the TCP connection without a close frame.
			c.c.UnderlyingConn().Close()
			st.wait(t, 0, false)

			c2 := g.accept(t)
			if c2.first.Op != 6 {
				t.Fatalf("after a drop the client sent op %d, want Resume (6)", c2.first.Op)
			}
			var resume struct {
				Token     string `json:"token"`
				SessionID string `json:"session_id"`
				Seq       int64  `json:"seq"`
			}
			_ = json.Unmarshal(c2.first.D, &resume)
			if resume.SessionID != "sess1" || resume.Seq != 2 || resume.Token != "Bot tok" {
				t.Errorf("resume %+v, want session sess1 at seq 2", resume)
			}
			seq := int64(3)
			switch mode {
			case "resume":
				c2.send(0, "RESUMED", 3, map[string]any{})
			case "reidentify":
				c2.send(9, "", 0, false) // Invalid Session, not resumable
				c2.next().identify(t)
				c2.ready(1, "sess2")
				seq = 1
			}
			st.wait(t, 0, true)
			c2.send(0, "INTERACTION_CREATE", seq+1, interactionCreate("i3", "tok3"))
			expectCallback(t, g, "i3", "tok3")
		})
	}
}

// TestGatewayRecommendedShards: ShardCount 0 asks GET /gateway/bot and
// runs every recommended shard, each identifying with its shard pair.
func TestGatewayRecommendedShards(t *testing.T) {
	t.Parallel()
	g := newFakeGateway(t, 2)
	a, st, stop := startGateway(t, g, func(o *Options) { o.ShardCount = 0 })
	defer stop()
	for shard := range 2 {
		c := g.accept(t)
		id := c.first.identify(t)
		if id.Shard == nil || *id.Shard != [2]int{shard, 2} {
			t.Fatalf("identify shard %v, want [%d 2]", id.Shard, shard)
		}
		if shard == 0 && a.Connected() {
			t.Error("Connected with one of two shards up")
		}
		c.ready(1, "s"+itoa(shard))
		st.wait(t, shard, true)
	}
	if !a.Connected() {
		t.Error("not Connected with both shards up")
	}
}

// TestGatewayMention: with MessageContent, "@Parley who france" gets a
// reply that pings nobody.
func TestGatewayMention(t *testing.T) {
	t.Parallel()
	g := newFakeGateway(t, 1)
	_, st, stop := startGateway(t, g, nil)
	defer stop()
	c := g.accept(t)
	if id := c.first.identify(t); id.Intents != 512|4096 {
		t.Errorf("intents %d, want guild messages and direct messages, nothing privileged", id.Intents)
	}
	c.ready(1, "sess1")
	st.wait(t, 0, true)
	msg := func(id, author, content string, bot bool) map[string]any {
		return map[string]any{"id": id, "channel_id": "200", "guild_id": "300", "content": content, "type": 0,
			"author": map[string]any{"id": author, "username": "x", "bot": bot}, "timestamp": "2026-01-07T09:30:00Z"}
	}
	// Not mentioned, or from a bot: ignored.
	c.send(0, "MESSAGE_CREATE", 2, msg("401", "u9", "who france", false))
	c.send(0, "MESSAGE_CREATE", 3, msg("402", "b2", "<@bot1> who france", true))
	c.send(0, "MESSAGE_CREATE", 4, msg("403", "u9", "<@bot1> who france", false))
	call := g.call(t)
	if call.Method != http.MethodPost || call.Path != "/channels/200/messages" {
		t.Fatalf("got %s %s, want a reply in c1", call.Method, call.Path)
	}
	if err := loadSchemas(t).message.Validate(decodeInstance(t, call.Body)); err != nil {
		t.Errorf("reply does not match the spec: %v\n%s", err, call.Body)
	}
	checkNoMentions(t, call.Body)
	var sent struct {
		Ref struct {
			MessageID string `json:"message_id"`
		} `json:"message_reference"`
	}
	_ = json.Unmarshal(call.Body, &sent)
	if sent.Ref.MessageID != "403" || !strings.Contains(string(call.Body), "several thousand") {
		t.Errorf("reply %s, want the answer in reply to 403", call.Body)
	}

	// A DM is answered without a mention.
	dm := msg("404", "u9", "who france?", false)
	dm["channel_id"] = "500"
	delete(dm, "guild_id")
	c.send(0, "MESSAGE_CREATE", 5, dm)
	call = g.call(t)
	if call.Method != http.MethodPost || call.Path != "/channels/500/messages" {
		t.Fatalf("got %s %s, want a reply in the DM", call.Method, call.Path)
	}
}

func TestStripMention(t *testing.T) {
	tests := []struct {
		in, want string
		ok       bool
	}{
		{"<@bot1> who france?", "who france?", true},
		{"hey <@!bot1> quote witkoff", "hey   quote witkoff", true},
		{"<@bot2> who france", "", false},
		{"who france", "", false},
	}
	for _, tc := range tests {
		got, ok := stripMention(tc.in, "bot1")
		if ok != tc.ok || (ok && got != tc.want) {
			t.Errorf("stripMention(%q) = %q, %v; want %q, %v", tc.in, got, ok, tc.want, tc.ok)
		}
	}
	if _, ok := stripMention("<@> x", ""); ok {
		t.Error("matched with no bot id")
	}
}

var _ = parley.CommandWho

// TestGatewayDeferred: over the gateway too, a slow answer is deferred
// (type 5 callback) and the original response edited when ready.
func TestGatewayDeferred(t *testing.T) {
	t.Parallel()
	g := newFakeGateway(t, 1)
	release := make(chan struct{})
	fast := newFakeAnswerer(t)
	_, st, stop := startGateway(t, g, func(o *Options) {
		o.DeferAfter = 1
		o.Answerer = parley.AnswerFunc(func(ctx context.Context, req parley.Request) (*parley.Answer, error) {
			<-release
			return fast.Answer(ctx, req)
		})
	})
	defer stop()
	c := g.accept(t)
	c.first.identify(t)
	c.ready(1, "sess1")
	st.wait(t, 0, true)
	c.send(0, "INTERACTION_CREATE", 2, interactionCreate("i5", "tok5"))
	cb := g.call(t)
	if cb.Path != "/interactions/i5/tok5/callback" {
		t.Fatalf("got %s %s", cb.Method, cb.Path)
	}
	if resp := checkResponse(t, cb.Body); resp["type"] != float64(5) {
		t.Fatalf("callback %s, want a deferral", cb.Body)
	}
	close(release)
	edit := g.call(t)
	if edit.Method != http.MethodPatch || edit.Path != "/webhooks/app1/tok5/messages/@original" {
		t.Fatalf("got %s %s, want the edit", edit.Method, edit.Path)
	}
	if err := loadSchemas(t).edit.Validate(decodeInstance(t, edit.Body)); err != nil {
		t.Errorf("edit does not match the spec: %v", err)
	}
	checkNoMentions(t, edit.Body)
}

// TestGatewayFatalClose: when Discord closes with a code reconnecting
// cannot fix (4004, authentication failed), RunGateway returns an error
// instead of retrying forever.
func TestGatewayFatalClose(t *testing.T) {
	t.Parallel()
	g := newFakeGateway(t, 1)
	a, err := New(Options{Gateway: true, BotToken: "bad", ShardCount: 1, Answerer: newFakeAnswerer(t), APIBase: g.rest.URL})
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- a.RunGateway(context.Background()) }()
	c := g.accept(t)
	c.first.identify(t)
	_ = c.c.WriteMessage(websocket.CloseMessage, websocket.FormatCloseMessage(4004, "Authentication failed."))
	select {
	case err := <-done:
		if err == nil || !strings.Contains(err.Error(), "4004") {
			t.Errorf("RunGateway = %v, want the 4004 close", err)
		}
		if strings.Contains(err.Error(), "Bot bad") {
			t.Errorf("error leaks the token: %v", err)
		}
	case <-time.After(15 * time.Second):
		t.Fatal("RunGateway kept retrying after 4004")
	}
}
