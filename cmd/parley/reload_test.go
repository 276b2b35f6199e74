package main

import (
	"context"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/parley-bot/parley/bot"
)

// slackCommand posts a slash command signed as Slack signs it and returns
// the answer, failing on any status but 200.
func slackCommand(t *testing.T, base, secret, command, text string) string {
	t.Helper()
	if secret != slackSecret {
		t.Fatalf("signedCommand signs with %q", slackSecret)
	}
	resp, err := http.DefaultClient.Do(signedCommand(t, base, command, text))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 {
		t.Fatalf("slash command: %d %s", resp.StatusCode, b)
	}
	return string(b)
}

// An article added to the watched folder is answered from without a
// restart; a broken one keeps the previous articles serving.
func TestServeReloadsArticles(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "harbour.txt"), []byte("Valdoria and Ostland agreed on Friday to reopen the harbour.\n"), 0o644)
	const secret = "test-signing-secret"
	env := map[string]string{"SLACK_SIGNING_SECRET": secret}
	m := &Main{Stdin: strings.NewReader(""), Stdout: io.Discard, Stderr: io.Discard, Getenv: func(k string) string { return env[k] }}
	var c serveConfig
	if err := parse(m.serveFlags(&c), []string{"--seeds", dir, "--rescan", "0", "--rate-burst", "100"}); err != nil {
		t.Fatal(err)
	}
	reloads := make(chan bot.ReloadResult, 10)
	c.onReload = func(r bot.ReloadResult) { reloads <- r }
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- m.runServer(ctx, &c, slog.New(slog.DiscardHandler), ln) }()
	defer func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("serve: %v", err)
		}
	}()
	if r := <-reloads; r.Err != nil || r.Trigger != "start" {
		t.Fatalf("first load: %+v", r)
	}
	base := "http://" + ln.Addr().String()
	waitReady(t, base)
	if got := slackCommand(t, base, secret, "/what", "glacier survey"); !strings.Contains(got, "don") {
		t.Fatalf("before: %s", got)
	}

	os.WriteFile(filepath.Join(dir, "glacier.txt"), []byte("Scientists began a glacier survey in the northern valleys on Monday.\n"), 0o644)
	waitReload(t, reloads, false)
	if got := slackCommand(t, base, secret, "/what", "glacier survey"); !strings.Contains(got, "northern valleys") {
		t.Fatalf("after adding an article: %s", got)
	}

	os.WriteFile(filepath.Join(dir, "broken.txt"), []byte("caf\xe9"), 0o644)
	waitReload(t, reloads, true)
	if got := slackCommand(t, base, secret, "/what", "glacier survey"); !strings.Contains(got, "northern valleys") {
		t.Fatalf("a broken file replaced the index: %s", got)
	}
	if code, body := get(t, base+"/readyz"); code != 200 || !strings.Contains(body, "broken.txt") {
		t.Errorf("readyz %d %q does not report the failed reload", code, body)
	}
}

func waitReload(t *testing.T, reloads chan bot.ReloadResult, wantErr bool) {
	t.Helper()
	select {
	case r := <-reloads:
		if (r.Err != nil) != wantErr {
			t.Fatalf("reload %+v, want error %v", r, wantErr)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("no reload")
	}
}

func waitReady(t *testing.T, base string) {
	t.Helper()
	for i := 0; i < 500; i++ {
		if resp, err := http.Get(base + "/readyz"); err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				return
			}
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatal("not ready")
}
