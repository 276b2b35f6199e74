package main

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/parley-bot/parley"
)

func TestServeCheck(t *testing.T) {
	tests := []struct {
		name string
		env  map[string]string
		args []string
		code int
		want string
	}{
		{"nothing configured", nil, nil, 0, "slack http:       false"},
		{"slack http", map[string]string{"SLACK_SIGNING_SECRET": "s3cr3t-signing-secret"}, nil, 0, "slack http:       true"},
		{"slack socket", map[string]string{"SLACK_APP_TOKEN": "xapp-1-abcdefghijkl", "SLACK_BOT_TOKEN": "xoxb-abcdefghijkl"}, nil, 0, "slack socket:     true"},
		{"slack token without a way in", map[string]string{"SLACK_BOT_TOKEN": "xoxb-abcdefghijkl"}, nil, 2, "no way in"},
		{"discord both ways", map[string]string{"DISCORD_PUBLIC_KEY": "ab", "DISCORD_APP_ID": "1", "DISCORD_BOT_TOKEN": "t"}, []string{"--discord-gateway"}, 2, "use one way in"},
		{"discord gateway without token", nil, []string{"--discord-gateway"}, 2, "DISCORD_BOT_TOKEN"},
		{"shard out of range", map[string]string{"DISCORD_BOT_TOKEN": "t"}, []string{"--discord-gateway", "--discord-shard-id", "parley-discord-4", "--discord-shard-count", "4"}, 2, "shard"},
		{"shard from a pod name", map[string]string{"DISCORD_BOT_TOKEN": "t", "PARLEY_DISCORD_SHARD_ID": "parley-discord-3", "PARLEY_DISCORD_SHARD_COUNT": "4"}, []string{"--discord-gateway"}, 0, "shard parley-discord-3 of 4"},
		{"index and seeds", nil, []string{"--index", "x", "--seeds", "y"}, 2, "choose one"},
		{"bad variable", map[string]string{"PARLEY_RATE_BURST": "many"}, nil, 2, "PARLEY_RATE_BURST"},
		{"flag beats variable", map[string]string{"PARLEY_ADDR": ":9999"}, []string{"--addr", ":7777"}, 0, ":7777"},
		{"PORT", map[string]string{"PORT": "5555"}, nil, 0, ":5555"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			code, out, errs := runParley(t, tc.env, "", append([]string{"serve", "--check"}, tc.args...)...)
			if code != tc.code || !strings.Contains(out+errs, tc.want) {
				t.Errorf("exit %d, want %d; output %q %q lacks %q", code, tc.code, out, errs, tc.want)
			}
			for _, secret := range []string{"s3cr3t-signing-secret", "xapp-1-abcdefghijkl", "xoxb-abcdefghijkl"} {
				if strings.Contains(out+errs, secret) {
					t.Errorf("secret %q printed", secret)
				}
			}
		})
	}
}

// startServe runs the service as `parley serve` would, on a loopback port,
// and returns its base URL; it stops when the test ends, and must stop
// cleanly.
func startServe(t *testing.T, env map[string]string, args ...string) string {
	t.Helper()
	m := &Main{Stdin: strings.NewReader(""), Stdout: io.Discard, Stderr: io.Discard, Getenv: func(k string) string { return env[k] }}
	var c serveConfig
	fs := m.serveFlags(&c)
	if err := parse(fs, args); err != nil {
		t.Fatal(err)
	}
	if err := c.validate(); err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	log := slog.New(slog.DiscardHandler)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- m.runServer(ctx, &c, log, ln) }()
	base := "http://" + ln.Addr().String()
	t.Cleanup(func() {
		cancel()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("serve stopped with %v", err)
			}
		case <-time.After(15 * time.Second):
			t.Error("serve did not stop")
		}
	})
	// Wait for readiness by polling the server itself, not by sleeping.
	deadline := time.Now().Add(10 * time.Second)
	for {
		resp, err := http.Get(base + "/readyz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				break
			}
		}
		select {
		case err := <-done:
			t.Fatalf("serve stopped early: %v", err)
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("not ready: %v", err)
		}
		time.Sleep(10 * time.Millisecond)
	}
	return base
}

func get(t *testing.T, url string) (int, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func TestServeCombinations(t *testing.T) {
	tests := []struct {
		name   string
		env    map[string]string
		routes map[string]int // POST path -> status without a signature
	}{
		{"no platforms", nil, map[string]int{"/slack/commands": 404, "/discord/interactions": 404}},
		{"slack http", map[string]string{"SLACK_SIGNING_SECRET": "secret"}, map[string]int{"/slack/commands": 401, "/slack/events": 401, "/discord/interactions": 404}},
		{"discord http", map[string]string{"DISCORD_PUBLIC_KEY": strings.Repeat("ab", 32), "DISCORD_APP_ID": "123"}, map[string]int{"/discord/interactions": 401, "/slack/commands": 404}},
		{"both", map[string]string{"SLACK_SIGNING_SECRET": "secret", "DISCORD_PUBLIC_KEY": strings.Repeat("ab", 32), "DISCORD_APP_ID": "123"}, map[string]int{"/discord/interactions": 401, "/slack/interactions": 401}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			base := startServe(t, tc.env)
			if code, body := get(t, base+"/healthz"); code != 200 {
				t.Errorf("healthz %d %s", code, body)
			}
			if code, body := get(t, base+"/metrics"); code != 200 || !strings.Contains(body, "parley_sentences_indexed 140") {
				t.Errorf("metrics %d", code)
			}
			for path, want := range tc.routes {
				resp, err := http.Post(base+path, "application/x-www-form-urlencoded", strings.NewReader("x=1"))
				if err != nil {
					t.Fatal(err)
				}
				resp.Body.Close()
				if resp.StatusCode != want {
					t.Errorf("POST %s: %d, want %d", path, resp.StatusCode, want)
				}
			}
		})
	}
}

// An on-disk index built from a made-up folder answers /sources and /who
// after the folder is gone.
func TestIndexBuildThenServeFromIt(t *testing.T) {
	dir := t.TempDir()
	src := filepath.Join(dir, "articles")
	os.Mkdir(src, 0o755)
	os.WriteFile(filepath.Join(src, "lisbon.txt"), []byte("Portuguese Fisheries Commissioner Ilona Varga met Chilean Foreign Minister Pedro Almirante in Lisbon on Friday.\n“We will reopen the harbour by spring,” Varga said.\n"), 0o644)
	os.WriteFile(filepath.Join(src, "articles.json"), []byte(`{"articles":[{"id":"lisbon","headline":"Harbour talks in Lisbon","outlet":"The Lantern"}]}`), 0o644)
	out := filepath.Join(dir, "parley.index")
	if code, _, errs := runParley(t, nil, "", "index", "build", "--seeds", src, "--out", out); code != 0 {
		t.Fatalf("index build: %d %s", code, errs)
	}
	os.RemoveAll(src)
	for _, q := range []struct{ line, want string }{{"/sources", "Harbour talks in Lisbon"}, {"/who chile", "Pedro Almirante"}, {"/quote varga", "reopen the harbour"}} {
		code, body, errs := runParley(t, map[string]string{"PARLEY_INDEX": out}, "", "ask", "--json", q.line)
		var ans parley.Answer
		if err := json.Unmarshal([]byte(body), &ans); code != 0 || err != nil {
			t.Fatalf("%s: exit %d %v %s", q.line, code, err, errs)
		}
		if !ans.Covered || !strings.Contains(ans.Text, q.want) {
			t.Errorf("%s from the index alone: %q lacks %q", q.line, ans.Text, q.want)
		}
	}
	base := startServe(t, nil, "--index", out)
	if code, body := get(t, base+"/metrics"); code != 200 || !strings.Contains(body, "parley_articles_indexed 1") {
		t.Errorf("metrics: %d", code)
	}
}
