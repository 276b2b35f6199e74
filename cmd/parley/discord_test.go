package main

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/parley-bot/parley"
)

// `parley discord register` overwrites the commands with the command table
// (the same one /help shows), in one server when a guild is given.
func TestDiscordRegister(t *testing.T) {
	var mu sync.Mutex
	var gotPath, gotAuth string
	var sent []map[string]any
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		defer mu.Unlock()
		gotPath, gotAuth = r.Method+" "+r.URL.Path, r.Header.Get("Authorization")
		b, _ := io.ReadAll(r.Body)
		json.Unmarshal(b, &sent)
		w.Header().Set("Content-Type", "application/json")
		w.Write(b)
	}))
	defer srv.Close()
	env := map[string]string{"DISCORD_BOT_TOKEN": "test-token", "DISCORD_APP_ID": "111", "PARLEY_DISCORD_GUILD": "222", "PARLEY_DISCORD_API": srv.URL}
	code, out, errs := runParley(t, env, "", "discord", "register")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	if gotPath != "PUT /applications/111/guilds/222/commands" || gotAuth != "Bot test-token" {
		t.Errorf("sent %s with %q", gotPath, gotAuth)
	}
	var names []string
	for _, c := range sent {
		names = append(names, c["name"].(string))
	}
	var want []string
	for _, c := range parley.Commands() {
		want = append(want, c.Name)
	}
	if strings.Join(names, ",") != strings.Join(want, ",") || !strings.Contains(out, "222") {
		t.Errorf("registered %v, want %v; output %q", names, want, out)
	}
	if strings.Contains(out+errs, "test-token") {
		t.Error("token printed")
	}
	if code, _, _ := runParley(t, nil, "", "discord", "register"); code != 2 {
		t.Errorf("without a token: exit %d, want 2", code)
	}
}
