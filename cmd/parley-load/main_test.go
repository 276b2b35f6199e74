package main

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"encoding/hex"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	slackgo "github.com/slack-go/slack"
)

const testSeed = "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60"

func env(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

// fakeParley checks signatures as Parley does, refuses replays, and answers
// 200 to good requests.
type fakeParley struct {
	t       *testing.T
	secret  string
	pub     ed25519.PublicKey
	mu      sync.Mutex
	seen    map[string]bool
	queries map[string]int
	users   map[string]bool
}

func newFake(t *testing.T) *fakeParley {
	seed, _ := hex.DecodeString(testSeed)
	return &fakeParley{t: t, secret: "s3cret", pub: ed25519.NewKeyFromSeed(seed).Public().(ed25519.PublicKey),
		seen: map[string]bool{}, queries: map[string]int{}, users: map[string]bool{}}
}

func (f *fakeParley) replay(sig string) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.seen[sig] {
		return true
	}
	f.seen[sig] = true
	return false
}

func (f *fakeParley) note(query, user string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.queries[query]++
	f.users[user] = true
}

func (f *fakeParley) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	switch r.URL.Path {
	case "/slack/commands":
		// Checked as the server checks it, by slack-go, not by this tool's
		// own signing code.
		sv, err := slackgo.NewSecretsVerifier(r.Header, f.secret)
		if err != nil {
			http.Error(w, "", http.StatusUnauthorized)
			return
		}
		sv.Write(body)
		if sv.Ensure() != nil || f.replay(r.Header.Get("X-Slack-Signature")) {
			http.Error(w, "", http.StatusUnauthorized)
			return
		}
		form, _ := url.ParseQuery(string(body))
		if form.Get("command") != "/whois" || r.Header.Get("Content-Type") != "application/x-www-form-urlencoded" {
			http.Error(w, "", 400)
			return
		}
		f.note(form.Get("text"), form.Get("user_id"))
		w.Write([]byte(`{"response_type":"ephemeral"}`))
	case "/discord/interactions":
		sig, err := hex.DecodeString(r.Header.Get("X-Signature-Ed25519"))
		ts := r.Header.Get("X-Signature-Timestamp")
		if err != nil || !ed25519.Verify(f.pub, append([]byte(ts), body...), sig) || f.replay(string(sig)) {
			http.Error(w, "", http.StatusUnauthorized)
			return
		}
		var in struct {
			Type int `json:"type"`
			Data struct {
				Name    string `json:"name"`
				Options []struct {
					Type  int    `json:"type"`
					Name  string `json:"name"`
					Value string `json:"value"`
				} `json:"options"`
			} `json:"data"`
			Member struct {
				User struct {
					ID string `json:"id"`
				} `json:"user"`
			} `json:"member"`
		}
		if json.Unmarshal(body, &in) != nil || in.Type != 2 || in.Data.Name != "who" || len(in.Data.Options) != 1 ||
			in.Data.Options[0].Name != "subject" || in.Data.Options[0].Type != 3 {
			http.Error(w, "", 400)
			return
		}
		f.note(in.Data.Options[0].Value, in.Member.User.ID)
		w.Write([]byte(`{"type":4}`))
	default:
		http.NotFound(w, r)
	}
}

func TestLoadModes(t *testing.T) {
	tests := []struct {
		name  string
		args  []string
		users int
	}{
		{"slack", []string{"-mode", "slack"}, 150},
		{"discord", []string{"-mode", "discord"}, 150},
		{"slack cycling users", []string{"-mode", "slack", "-users", "3"}, 3},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			fake := newFake(t)
			srv := httptest.NewServer(fake)
			defer srv.Close()
			var out, errOut bytes.Buffer
			args := append(tc.args, "-url", srv.URL, "-c", "8", "-n", "150", "-d", "1m", "-json", "-query", "france,nato")
			code := run(t.Context(), args, env(map[string]string{"SLACK_SIGNING_SECRET": "s3cret", "PARLEY_LOAD_DISCORD_KEY": testSeed}), &out, &errOut)
			if code != 0 {
				t.Fatalf("exit %d: %s", code, errOut.String())
			}
			var res result
			if err := json.Unmarshal(out.Bytes(), &res); err != nil {
				t.Fatal(err)
			}
			if res.Sent != 150 || res.OK != 150 || res.Errors != 0 || len(res.Other) != 0 {
				t.Errorf("result %+v: want 150 sent, all 200", res)
			}
			if res.P50ms <= 0 || res.P99ms < res.P50ms || res.MaxMs < res.P99ms || res.PerSecond <= 0 {
				t.Errorf("implausible figures: %+v", res)
			}
			if fake.queries["france"] != 75 || fake.queries["nato"] != 75 {
				t.Errorf("queries %v: want them in turn", fake.queries)
			}
			if len(fake.users) != tc.users {
				t.Errorf("%d distinct users, want %d", len(fake.users), tc.users)
			}
		})
	}
}

func TestLoadCountsOnly200s(t *testing.T) {
	fake := newFake(t)
	srv := httptest.NewServer(fake)
	defer srv.Close()
	var out, errOut bytes.Buffer
	// The wrong secret: every request is refused.
	code := run(t.Context(), []string{"-mode", "slack", "-url", srv.URL, "-c", "4", "-n", "20", "-json"},
		env(map[string]string{"SLACK_SIGNING_SECRET": "wrong"}), &out, &errOut)
	var res result
	json.Unmarshal(out.Bytes(), &res)
	if code == 0 || res.OK != 0 || res.Other["401"] != 20 {
		t.Errorf("exit %d, result %+v: want 20 × 401 and no ok", code, res)
	}
}

func TestHelloMode(t *testing.T) {
	var out, errOut bytes.Buffer
	if code := run(t.Context(), []string{"-mode", "hello", "-c", "4", "-n", "50"}, env(nil), &out, &errOut); code != 0 {
		t.Fatalf("exit %d: %s", code, errOut.String())
	}
	if !strings.Contains(out.String(), "50 sent, 50 ok") {
		t.Errorf("output:\n%s", out.String())
	}
}

func TestDurationBound(t *testing.T) {
	block := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-block:
		case <-r.Context().Done():
		}
	}))
	defer srv.Close()
	defer close(block)
	var out, errOut bytes.Buffer
	// Nothing answers: the run must still end at -d.
	code := run(t.Context(), []string{"-mode", "slack", "-url", srv.URL, "-c", "2", "-d", "50ms"},
		env(map[string]string{"SLACK_SIGNING_SECRET": "x"}), &out, &errOut)
	if code == 0 || !strings.Contains(out.String(), "0 ok") {
		t.Errorf("exit %d:\n%s%s", code, out.String(), errOut.String())
	}
}

func TestPrintPublicKey(t *testing.T) {
	var out bytes.Buffer
	if code := run(context.Background(), []string{"-print-public-key", "-discord-key", testSeed}, env(nil), &out, io.Discard); code != 0 {
		t.Fatal("exit", code)
	}
	// RFC 8032 test 1.
	if got, want := strings.TrimSpace(out.String()), "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a"; got != want {
		t.Errorf("public key %s, want %s", got, want)
	}
}

func TestFlagErrors(t *testing.T) {
	tests := []struct {
		name string
		args []string
		env  map[string]string
		want string
	}{
		{"remote url", []string{"-url", "http://example.com"}, map[string]string{"SLACK_SIGNING_SECRET": "x"}, "loopback"},
		{"private address", []string{"-url", "http://10.0.0.1:8080"}, map[string]string{"SLACK_SIGNING_SECRET": "x"}, "loopback"},
		{"bad scheme", []string{"-url", "ftp://127.0.0.1"}, map[string]string{"SLACK_SIGNING_SECRET": "x"}, "http"},
		{"no secret", []string{"-mode", "slack"}, nil, "SLACK_SIGNING_SECRET"},
		{"no key", []string{"-mode", "discord"}, nil, "discord-key"},
		{"short key", []string{"-mode", "discord", "-discord-key", "abcd"}, nil, "64 hex digits"},
		{"bad mode", []string{"-mode", "irc"}, nil, "want slack, discord, bare or hello"},
		{"too many", []string{"-mode", "hello", "-n", "100000000"}, nil, "-n"},
		{"no conns", []string{"-mode", "hello", "-c", "0"}, nil, "-c"},
		{"extra args", []string{"-mode", "hello", "x"}, nil, "unexpected"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var errOut bytes.Buffer
			code := run(t.Context(), tc.args, env(tc.env), io.Discard, &errOut)
			if code != 2 || !strings.Contains(errOut.String(), tc.want) {
				t.Errorf("exit %d, stderr %q; want 2 and %q", code, errOut.String(), tc.want)
			}
			if strings.Contains(errOut.String(), "abcd") {
				t.Error("the key was echoed")
			}
		})
	}
}

func TestCheckLoopback(t *testing.T) {
	for u, ok := range map[string]bool{
		"http://127.0.0.1:8080": true, "http://localhost:8080": true, "http://[::1]:8080": true,
		"https://127.0.0.2": true, "http://0.0.0.0:8080": false, "http://192.168.1.1": false,
		"http://localhost.example.com": false, "http://[::ffff:8.8.8.8]": false,
	} {
		if err := checkLoopback(u); (err == nil) != ok {
			t.Errorf("checkLoopback(%s) = %v, want ok %v", u, err, ok)
		}
	}
}

func TestLoopbackDialRefusesRemote(t *testing.T) {
	if _, err := loopbackDial(t.Context(), "tcp", "192.0.2.1:80"); err == nil || !strings.Contains(err.Error(), "loopback") {
		t.Errorf("dial to a remote address: %v", err)
	}
}

func TestPercentile(t *testing.T) {
	var d []time.Duration
	for i := 1; i <= 100; i++ {
		d = append(d, time.Duration(i)*time.Millisecond)
	}
	tests := []struct {
		p    float64
		want time.Duration
	}{{50, 50 * time.Millisecond}, {99, 99 * time.Millisecond}, {100, 100 * time.Millisecond}, {0, time.Millisecond}}
	for _, tc := range tests {
		if got := percentile(d, tc.p); got != tc.want {
			t.Errorf("p%v = %v, want %v", tc.p, got, tc.want)
		}
	}
	if percentile(nil, 50) != 0 {
		t.Error("empty: want 0")
	}
	if got := percentile(d[:1], 99); got != time.Millisecond {
		t.Errorf("one value: %v", got)
	}
}

// The yardstick over HTTP: a bleve search of the seeds per request, each
// query one of distinct word pairs, all answered.
func TestBareMode(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error, 1)
	go func() { done <- serveBare(ctx, ln) }()
	defer func() {
		cancel()
		if err := <-done; err != nil {
			t.Error(err)
		}
	}()
	base := "http://" + ln.Addr().String()
	for range 100 {
		if resp, err := http.Get(base + "/readyz"); err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				break
			}
		}
		time.Sleep(20 * time.Millisecond)
	}
	resp, err := http.Get(base + "/search?q=military+hubs")
	if err != nil {
		t.Fatal(err)
	}
	var res struct {
		Hits []struct {
			Fields    map[string]any      `json:"fields"`
			Fragments map[string][]string `json:"fragments"`
		} `json:"hits"`
	}
	err = json.NewDecoder(resp.Body).Decode(&res)
	resp.Body.Close()
	if err != nil || len(res.Hits) == 0 || res.Hits[0].Fields["text"] == nil || len(res.Hits[0].Fragments["text"]) == 0 {
		t.Fatalf("bare search: %v, %+v", err, res)
	}
	var out, errOut bytes.Buffer
	code := run(t.Context(), []string{"-mode", "bare", "-url", base, "-pairs", "50", "-c", "4", "-n", "100", "-d", "1m", "-json"}, env(nil), &out, &errOut)
	var got result
	json.Unmarshal(out.Bytes(), &got)
	if code != 0 || got.OK != 100 {
		t.Errorf("exit %d, %+v: %s", code, got, errOut.String())
	}
}

// Word pairs are distinct, always the same, and as many as asked.
func TestWordPairs(t *testing.T) {
	a, err := wordPairs(6000)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := wordPairs(6000)
	seen := map[string]bool{}
	for i, p := range a {
		if seen[p] || len(strings.Fields(p)) != 2 || p != b[i] {
			t.Fatalf("pair %d %q: repeated, not two words, or not reproducible", i, p)
		}
		seen[p] = true
	}
	if len(a) != 6000 {
		t.Errorf("%d pairs", len(a))
	}
}

// procCPU reads a process's CPU time from /proc: this one's grows as it
// works, and a process that is not there is an error.
func TestProcCPU(t *testing.T) {
	if _, err := os.Stat("/proc/self/stat"); err != nil {
		t.Skip("no /proc here")
	}
	before, err := procCPU(os.Getpid())
	if err != nil {
		t.Fatal(err)
	}
	for x := 0; ; x++ {
		after, err := procCPU(os.Getpid())
		if err != nil {
			t.Fatal(err)
		}
		if after > before {
			break
		}
		if x > 1e9 {
			t.Fatalf("CPU time stayed at %s", before)
		}
	}
	if _, err := procCPU(1 << 30); err == nil {
		t.Error("no error for a process that is not there")
	}
	var out, errOut bytes.Buffer
	if code := run(t.Context(), []string{"-mode", "hello", "-c", "2", "-n", "20", "-server-pid", strconv.Itoa(1 << 30)}, env(nil), &out, &errOut); code == 0 {
		t.Errorf("exit 0 with a server that is not there:\n%s", out.String())
	}
}
