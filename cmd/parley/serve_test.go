package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"maps"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime"
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
		{"discord both ways", map[string]string{"DISCORD_PUBLIC_KEY": testPublicKey, "DISCORD_APP_ID": "1", "DISCORD_BOT_TOKEN": "t"}, []string{"--discord-gateway"}, 2, "use one way in"},
		{"discord http needs no app id", map[string]string{"DISCORD_PUBLIC_KEY": testPublicKey}, nil, 0, "discord http:     true"},
		{"malformed public key", map[string]string{"DISCORD_PUBLIC_KEY": "ab"}, nil, 2, "DISCORD_PUBLIC_KEY is not a hex ed25519 public key"},
		{"bad log level", nil, []string{"--log-level", "loud"}, 2, `--log-level "loud": want debug, info, warn or error`},
		{"bad log format", map[string]string{"PARLEY_LOG_FORMAT": "xml"}, nil, 2, "want json or text"},
		{"missing config file", nil, []string{"--config", "/nonexistent/channels.json"}, 2, "/nonexistent/channels.json"},
		{"query log without salt", nil, []string{"--query-log", os.DevNull}, 2, "PARLEY_QUERY_LOG_SALT"},
		{"query log with salt", map[string]string{"PARLEY_QUERY_LOG_SALT": "pepper-pepper"}, []string{"--query-log", os.DevNull}, 0, "PARLEY_QUERY_LOG_SALT set (13 characters)"},
		{"slack command onto a built-in", map[string]string{"SLACK_SIGNING_SECRET": "s3cr3t-signing-secret"}, []string{"--slack-command", "quote=/remind"}, 2, "built-in"},
		{"slack names shown", map[string]string{"SLACK_SIGNING_SECRET": "s3cr3t-signing-secret"}, []string{"--slack-command", "quote=/q"}, 0, "who=/whois what=/what quote=/q"},
		{"require what is there", map[string]string{"SLACK_APP_TOKEN": "xapp-1-abcdefghijkl"}, []string{"--require", "slack-socket"}, 0, "required:         slack-socket"},
		{"require what is not", map[string]string{"SLACK_APP_TOKEN": "xapp-1-abcdefghijkl"}, []string{"--require", "http,discord-gateway"}, 2, "--require discord-gateway: not configured"},
		{"require something unknown", nil, []string{"--require", "pigeon"}, 2, "want http, slack-http"},
		{"bad duration names the form", map[string]string{"PARLEY_RATE_EVERY": "3"}, nil, 2, `PARLEY_RATE_EVERY="3": want a duration such as "3s"`},
		{"bad bool names the form", nil, []string{"--slack-public=maybe"}, 2, "want true or false"},
		{"discord gateway without token", nil, []string{"--discord-gateway"}, 2, "DISCORD_BOT_TOKEN"},
		{"shard out of range", map[string]string{"DISCORD_BOT_TOKEN": "t"}, []string{"--discord-gateway", "--discord-shard-id", "parley-discord-4", "--discord-shard-count", "4"}, 2, "shard"},
		{"shard from a pod name", map[string]string{"DISCORD_BOT_TOKEN": "t", "PARLEY_DISCORD_SHARD_ID": "parley-discord-3", "PARLEY_DISCORD_SHARD_COUNT": "4"}, []string{"--discord-gateway"}, 0, "shard parley-discord-3 of 4"},
		{"folder limits shown", nil, []string{"--seeds", "../../seeds", "--max-article-size", "1MiB"}, 0, "folder limits:    1.0 MiB per article"},
		{"bad size names the form", map[string]string{"PARLEY_MAX_ARTICLES_SIZE": "lots"}, nil, 2, "want a size such as 2MiB"},
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
			for _, secret := range []string{"s3cr3t-signing-secret", "xapp-1-abcdefghijkl", "xoxb-abcdefghijkl", "s3cr", "xapp-1", "xoxb-a", "pepper"} {
				if strings.Contains(out+errs, secret) {
					t.Errorf("secret %q printed", secret)
				}
			}
		})
	}
}

// testPublicKey is a well-formed Discord application public key.
const testPublicKey = "d04ab232742bb4ab3a1368bd4615e4e6d0224ab71a016baf8520a332c9778737"

// startServe runs the service as `parley serve` would, on a loopback port,
// and returns its base URL once it is ready; it stops when the test ends,
// and must stop cleanly.
func startServe(t *testing.T, env map[string]string, args ...string) string {
	t.Helper()
	return startServeWait(t, true, env, args...)
}

// startServeWait is startServe, waiting for readiness or only for the
// server to answer.
func startServeWait(t *testing.T, ready bool, env map[string]string, args ...string) string {
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
			if resp.StatusCode == 200 || !ready {
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
		{"discord http", map[string]string{"DISCORD_PUBLIC_KEY": strings.Repeat("ab", 32)}, map[string]int{"/discord/interactions": 401, "/slack/commands": 404}},
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

// Readiness of a process that answers over HTTP does not depend on Socket
// Mode or the gateway: an outage of either must not take every replica out
// of the load balancer. It shows in /healthz and /readyz detail instead. A
// process whose only way in is the gateway is ready when the shard is up.
func TestReadinessAndConnections(t *testing.T) {
	// A REST fake whose gateway URL refuses connections: the shard never
	// comes up.
	rest := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(map[string]any{"url": "ws://127.0.0.1:1", "shards": 1,
			"session_start_limit": map[string]any{"total": 1000, "remaining": 999, "reset_after": 0, "max_concurrency": 1}})
	}))
	defer rest.Close()
	gateway := map[string]string{"DISCORD_BOT_TOKEN": "test-bot-token", "PARLEY_DISCORD_API": rest.URL}

	withHTTP := map[string]string{"SLACK_SIGNING_SECRET": "secret"}
	maps.Copy(withHTTP, gateway)
	base := startServeWait(t, true, withHTTP, "--discord-gateway")
	code, body := get(t, base+"/readyz")
	if code != 200 || !strings.Contains(body, "discord-gateway: warning: not connected") {
		t.Errorf("HTTP replica with the gateway down: readyz %d %q, want ready with a warning", code, body)
	}
	if code, body := get(t, base+"/healthz"); code != 200 || !strings.Contains(body, "discord-gateway: not connected") {
		t.Errorf("healthz %d %q", code, body)
	}
	if _, body := get(t, base+"/metrics"); !strings.Contains(body, `parley_connected{platform="discord"} 0`) {
		t.Errorf("metrics lack the connection state")
	}

	base = startServeWait(t, false, gateway, "--discord-gateway")
	if code, body := get(t, base+"/readyz"); code != 503 || !strings.Contains(body, "discord-gateway: not connected") {
		t.Errorf("gateway-only process with the shard down: readyz %d %q, want 503", code, body)
	}
}

// Log lines give durations as text, not nanoseconds.
func TestLogDurationsAsText(t *testing.T) {
	var buf bytes.Buffer
	m := &Main{Stderr: &buf}
	for _, format := range []string{"json", "text"} {
		buf.Reset()
		log, err := m.logger(&serveConfig{logLevel: "info", logFormat: format})
		if err != nil {
			t.Fatal(err)
		}
		log.Info("answer", "duration", 516*time.Microsecond+123*time.Nanosecond, "slow", 1234567*time.Microsecond)
		out := buf.String()
		if !strings.Contains(out, "516µs") || !strings.Contains(out, "1.235s") || strings.Contains(out, "516123") {
			t.Errorf("%s: %s", format, out)
		}
	}
}

// `parley healthcheck` asks the local server, as the Dockerfile's
// HEALTHCHECK does, and fails when nothing answers or it is not ready.
func TestHealthcheck(t *testing.T) {
	base := startServe(t, nil)
	addr := strings.TrimPrefix(base, "http://")
	if code, out, errs := runParley(t, nil, "", "healthcheck", "--addr", addr); code != 0 || !strings.HasPrefix(out, "ok") {
		t.Errorf("healthcheck: exit %d %q %q", code, out, errs)
	}
	if code, out, _ := runParley(t, map[string]string{"PARLEY_ADDR": addr}, "", "healthcheck", "--ready"); code != 0 || !strings.Contains(out, "ready") {
		t.Errorf("healthcheck --ready: exit %d %q", code, out)
	}
	_, port, _ := net.SplitHostPort(addr)
	if code, _, _ := runParley(t, map[string]string{"PORT": port}, "", "healthcheck"); code != 0 {
		t.Errorf("healthcheck with PORT: exit %d", code)
	}
	ln, _ := net.Listen("tcp", "127.0.0.1:0")
	free := ln.Addr().String()
	ln.Close()
	if code, _, errs := runParley(t, nil, "", "healthcheck", "--addr", free, "--timeout", "2s"); code != 1 || !strings.Contains(errs, "healthcheck") {
		t.Errorf("healthcheck with nothing listening: exit %d %q", code, errs)
	}
}

func TestVersion(t *testing.T) {
	code, out, _ := runParley(t, nil, "", "version")
	if code != 0 || !strings.HasPrefix(out, "parley ") || !strings.Contains(out, runtime.Version()) {
		t.Errorf("version: exit %d %q", code, out)
	}
}

// What --check refuses, serve refuses with the same message, and the
// reverse: both run the same checks.
func TestServeAndCheckAgree(t *testing.T) {
	for _, tc := range []struct {
		env  map[string]string
		args []string
	}{
		{nil, []string{"--log-level", "loud"}},
		{map[string]string{"DISCORD_PUBLIC_KEY": "ab"}, nil},
		{nil, []string{"--config", "/nonexistent/channels.json"}},
		{nil, []string{"--query-log", os.DevNull}},
		{map[string]string{"SLACK_SIGNING_SECRET": "x"}, []string{"--slack-command", "who=/who"}},
		{map[string]string{"PARLEY_REQUIRE": "slack-socket"}, nil},
	} {
		code1, _, check := runParley(t, tc.env, "", append([]string{"serve", "--check"}, tc.args...)...)
		code2, _, serve := runParley(t, tc.env, "", append([]string{"serve"}, tc.args...)...)
		if code1 != 2 || code2 != 2 || check != serve {
			t.Errorf("%v %v: --check exit %d %q; serve exit %d %q", tc.env, tc.args, code1, check, code2, serve)
		}
	}
}
