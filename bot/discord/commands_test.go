package discord

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/parley-bot/parley"
)

func TestApplicationCommandsFollowTheTable(t *testing.T) {
	cmds := ApplicationCommands()
	table := parley.Commands()
	if len(cmds) != len(table) {
		t.Fatalf("%d commands, table has %d", len(cmds), len(table))
	}
	wantOption := map[string]string{"who": "subject", "what": "topic", "quote": "person", "ask": "question", "sources": "", "help": ""}
	wantAuto := map[string]bool{"who": true, "what": true, "quote": true}
	for i, c := range cmds {
		if c.Name != table[i].Name || c.Description == "" || runes(c.Description) > 100 {
			t.Errorf("command %d = %q %q", i, c.Name, c.Description)
		}
		name := wantOption[c.Name]
		if name == "" {
			if len(c.Options) != 0 {
				t.Errorf("/%s has options", c.Name)
			}
			continue
		}
		if want := 1 + len(table[i].Extra); len(c.Options) != want {
			t.Fatalf("/%s has %d options, want %d", c.Name, len(c.Options), want)
		}
		o := c.Options[0]
		if o.Name != name || !o.Required || o.Type != 3 || o.Autocomplete != wantAuto[c.Name] {
			t.Errorf("/%s option = %+v, want required string %q, autocomplete %v", c.Name, o, name, wantAuto[c.Name])
		}
		for k, x := range c.Options[1:] {
			if x.Name != table[i].Extra[k].Name || x.Required || x.Type != 3 {
				t.Errorf("/%s extra option = %+v, want optional string %q", c.Name, x, table[i].Extra[k].Name)
			}
		}
	}
}

// TestRegisterCommands checks the exact commands sent to a fake REST
// server, globally and in one guild, against the table and the spec.
func TestRegisterCommands(t *testing.T) {
	want, err := json.Marshal(ApplicationCommands())
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ guild, path string }{
		{"", "/applications/app1/commands"},
		{"g1", "/applications/app1/guilds/g1/commands"},
	} {
		rest := newFakeREST(t)
		rest.handle = func(w http.ResponseWriter, r *http.Request, body []byte) bool {
			w.Header().Set("Content-Type", "application/json")
			_, _ = w.Write(body) // Discord echoes the commands with ids
			return true
		}
		err := RegisterCommands(context.Background(), RegisterOptions{BotToken: "tok", AppID: "app1", GuildID: tc.guild, APIBase: rest.URL})
		if err != nil {
			t.Fatal(err)
		}
		c := rest.next(t)
		if c.Method != http.MethodPut || c.Path != tc.path || c.Auth != "Bot tok" {
			t.Errorf("sent %s %s (auth %q), want PUT %s with the bot token", c.Method, c.Path, c.Auth, tc.path)
		}
		if string(c.Body) != string(want) {
			t.Errorf("sent\n%s\nwant\n%s", c.Body, want)
		}
		if err := loadSchemas(t).commands.Validate(decodeInstance(t, c.Body)); err != nil {
			t.Errorf("commands do not match the spec: %v\n%s", err, c.Body)
		}
		var sent []struct{ Name string }
		_ = json.Unmarshal(c.Body, &sent)
		for i, cmd := range parley.Commands() {
			if i >= len(sent) || sent[i].Name != cmd.Name {
				t.Errorf("command %d: sent %v, want %s", i, sent, cmd.Name)
			}
		}
	}
}

func TestRegisterCommandsErrors(t *testing.T) {
	if err := RegisterCommands(context.Background(), RegisterOptions{AppID: "app1"}); err == nil {
		t.Error("registered without a token")
	}
	rest := newFakeREST(t)
	rest.handle = func(w http.ResponseWriter, r *http.Request, body []byte) bool {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusUnauthorized)
		_, _ = w.Write([]byte(`{"message":"401: Unauthorized","code":0}`))
		return true
	}
	err := RegisterCommands(context.Background(), RegisterOptions{BotToken: "secret-token", AppID: "app1", APIBase: rest.URL})
	if err == nil {
		t.Fatal("a 401 was not an error")
	}
	if strings.Contains(err.Error(), "secret-token") {
		t.Errorf("error leaks the token: %v", err)
	}
}

func TestNewOptions(t *testing.T) {
	ans := parley.AnswerFunc(func(context.Context, parley.Request) (*parley.Answer, error) { return nil, nil })
	tests := []struct {
		name string
		opts Options
		ok   bool
	}{
		{"off", Options{Answerer: ans}, false},
		{"no answerer", Options{PublicKey: "00"}, false},
		{"bad key", Options{Answerer: ans, PublicKey: "zz"}, false},
		{"short key", Options{Answerer: ans, PublicKey: "abcd"}, false},
		{"gateway without token", Options{Answerer: ans, Gateway: true}, false},
		{"shard out of range", Options{Answerer: ans, Gateway: true, BotToken: "t", ShardID: 2, ShardCount: 2}, false},
		{"shard id without count", Options{Answerer: ans, Gateway: true, BotToken: "t", ShardID: 1}, false},
		{"bad api base", Options{Answerer: ans, Gateway: true, BotToken: "t", APIBase: "ftp://x"}, false},
		{"gateway", Options{Answerer: ans, Gateway: true, BotToken: "t", ShardID: 1, ShardCount: 2}, true},
		{"http", Options{Answerer: ans, PublicKey: "d04ab232742bb4ab3a1368bd4615e4e6d0224ab71a016baf8520a332c9778737"}, true},
	}
	for _, tc := range tests {
		a, err := New(tc.opts)
		if (err == nil) != tc.ok {
			t.Errorf("%s: New = %v, want ok %v", tc.name, err, tc.ok)
		}
		if err == nil && a.opts.DeferAfter != defaultDeferAfter {
			t.Errorf("%s: DeferAfter defaults to %v", tc.name, a.opts.DeferAfter)
		}
	}
	if _, err := New(Options{Answerer: ans}); !errors.Is(err, ErrDisabled) {
		t.Errorf("no settings: %v, want ErrDisabled", err)
	}
	// Without the gateway RunGateway returns at once and nothing is connected.
	a, _ := New(Options{Answerer: ans, PublicKey: "d04ab232742bb4ab3a1368bd4615e4e6d0224ab71a016baf8520a332c9778737"})
	if err := a.RunGateway(context.Background()); err != nil || a.Connected() {
		t.Errorf("RunGateway without gateway = %v, connected %v", err, a.Connected())
	}
}

// /quote's optional topic reaches Parley as people type it elsewhere:
// "/quote merz on troops"; without it, the person alone.
func TestQuoteTopicOption(t *testing.T) {
	for _, tc := range []struct {
		options   []any
		wantQuery string
	}{
		{[]any{map[string]any{"name": "person", "type": 3, "value": "merz"}, map[string]any{"name": "topic", "type": 3, "value": " troops "}}, "merz on troops"},
		{[]any{map[string]any{"name": "topic", "type": 3, "value": "troops"}, map[string]any{"name": "person", "type": 3, "value": "merz"}}, "merz on troops"},
		{[]any{map[string]any{"name": "person", "type": 3, "value": "the nato chief"}}, "the nato chief"},
		{[]any{map[string]any{"name": "person", "type": 3, "value": "merz"}, map[string]any{"name": "topic", "type": 3, "value": "  "}}, "merz"},
	} {
		h := newHarness(t, nil)
		i := commandInteraction("quote", "", "")
		i["data"].(map[string]any)["options"] = tc.options
		if code, body := h.post(t, i); code != http.StatusOK {
			t.Fatalf("status %d: %s", code, body)
		}
		if req := h.answerer.last(); req.Command != parley.CommandQuote || req.Query != tc.wantQuery {
			t.Errorf("request = %q %q, want quote %q", req.Command, req.Query, tc.wantQuery)
		}
	}
}
