package main

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/slack-go/slack/slacktest"
)

// With only Slack's Socket Mode tokens, serve connects out (to a local
// slacktest server), is ready once connected, answers a slash command in
// the envelope's ack, and stops cleanly.
func TestServeSocketMode(t *testing.T) {
	srv := slacktest.NewTestServer()
	srv.Start()
	defer srv.Stop()
	env := map[string]string{"SLACK_APP_TOKEN": "xapp-1-test", "SLACK_BOT_TOKEN": "xoxb-test", "PARLEY_SLACK_API_URL": srv.GetAPIURL()}
	base := startServe(t, env) // waits for /readyz, which waits for the socket
	if code, body := get(t, base+"/readyz"); code != 200 || !strings.Contains(body, "slack-socket") {
		t.Fatalf("readyz %d %q", code, body)
	}
	envl, _ := json.Marshal(map[string]any{"envelope_id": "env-1", "type": "slash_commands", "accepts_response_payload": true,
		"payload": map[string]any{"command": "/who", "text": "france", "user_id": "U1", "channel_id": "C1", "response_url": "http://127.0.0.1:1/x"}})
	srv.SendToWebsocket(string(envl))
	select {
	case raw := <-srv.SeenFeed: // unbuffered: read every write
		var ack struct {
			EnvelopeID string          `json:"envelope_id"`
			Payload    json.RawMessage `json:"payload"`
		}
		if err := json.Unmarshal([]byte(raw), &ack); err != nil || ack.EnvelopeID != "env-1" {
			t.Fatalf("ack %q: %v", raw, err)
		}
		if !strings.Contains(string(ack.Payload), "Emmanuel Macron") {
			t.Errorf("the ack does not carry the answer: %s", ack.Payload)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("no ack")
	}
}
