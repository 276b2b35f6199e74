package main

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"
)

// With --discord-gateway, serve connects out to (a local fake of) Discord's
// gateway, is ready once the shard is up, answers an interaction that
// arrives on the websocket with a callback over REST, and stops cleanly.
func TestServeDiscordGateway(t *testing.T) {
	callbacks := make(chan string, 4)
	var wsURL string
	rest := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		w.Header().Set("Content-Type", "application/json")
		switch {
		case strings.HasPrefix(r.URL.Path, "/gateway"):
			json.NewEncoder(w).Encode(map[string]any{"url": wsURL, "shards": 1,
				"session_start_limit": map[string]any{"total": 1000, "remaining": 999, "reset_after": 0, "max_concurrency": 1}})
		case strings.HasPrefix(r.URL.Path, "/interactions/"):
			callbacks <- r.URL.Path + " " + string(body)
			w.WriteHeader(http.StatusNoContent)
		default:
			w.WriteHeader(http.StatusNoContent)
		}
	}))
	defer rest.Close()
	identified := make(chan json.RawMessage, 1)
	up := websocket.Upgrader{}
	gw := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c, err := up.Upgrade(w, r, nil)
		if err != nil {
			return
		}
		defer c.Close()
		c.WriteJSON(map[string]any{"op": 10, "d": map[string]any{"heartbeat_interval": 45000}})
		for {
			var p struct {
				Op int             `json:"op"`
				D  json.RawMessage `json:"d"`
			}
			if err := c.ReadJSON(&p); err != nil {
				return
			}
			if p.Op != 2 {
				continue // heartbeats
			}
			identified <- p.D
			c.WriteJSON(map[string]any{"op": 0, "t": "READY", "s": 1, "d": map[string]any{
				"v": 10, "session_id": "s1", "user": map[string]any{"id": "bot1", "username": "Parley", "bot": true},
				"guilds": []any{}, "application": map[string]any{"id": "app1", "flags": 0}}})
			c.WriteJSON(map[string]any{"op": 0, "t": "INTERACTION_CREATE", "s": 2, "d": map[string]any{
				"id": "i1", "application_id": "app1", "type": 2, "token": "tok1", "version": 1, "channel_id": "c1",
				"member": map[string]any{"user": map[string]any{"id": "u1", "username": "ann"}},
				"data": map[string]any{"id": "cmd1", "name": "who", "type": 1,
					"options": []any{map[string]any{"name": "subject", "type": 3, "value": "france"}}}}})
		}
	}))
	defer gw.Close()
	wsURL = "ws" + strings.TrimPrefix(gw.URL, "http")

	env := map[string]string{"DISCORD_BOT_TOKEN": "test-bot-token", "DISCORD_APP_ID": "app1", "PARLEY_DISCORD_API": rest.URL}
	base := startServe(t, env, "--discord-gateway") // waits for /readyz: the shard is up
	if code, body := get(t, base+"/readyz"); code != 200 || !strings.Contains(body, "discord-gateway") {
		t.Fatalf("readyz %d %q", code, body)
	}
	select {
	case d := <-identified:
		if strings.Contains(string(d), `"intents":32768`) {
			t.Errorf("asked for the message content intent without --discord-message-content: %s", d)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("no Identify")
	}
	select {
	case cb := <-callbacks:
		if !strings.HasPrefix(cb, "/interactions/i1/tok1/callback") || !strings.Contains(cb, "Emmanuel Macron") || !strings.Contains(cb, `"allowed_mentions":{"parse":[]`) {
			t.Errorf("callback %s", cb)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("no callback")
	}
}
