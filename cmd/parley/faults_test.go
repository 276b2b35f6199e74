package main

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/blevesearch/bleve/v2"

	"github.com/parley-bot/parley"
	"github.com/parley-bot/parley/bot"
)

const slackSecret = "test-signing-secret"

// syncBuffer is a log destination safe for the server's goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// server is `parley serve` run in the test, as the binary would run it.
type server struct {
	base    string
	logs    *syncBuffer
	reloads chan bot.ReloadResult
	hup     chan struct{}
	cancel  context.CancelFunc
	done    chan error
}

// startServer starts serve with Slack over HTTP and args, after edit (test
// hooks) has seen its settings; it does not wait for readiness.
func startServer(t *testing.T, edit func(*serveConfig), args ...string) *server {
	t.Helper()
	env := map[string]string{"SLACK_SIGNING_SECRET": slackSecret}
	s := &server{logs: &syncBuffer{}, reloads: make(chan bot.ReloadResult, 64), hup: make(chan struct{}, 1), done: make(chan error, 1)}
	m := &Main{Stdin: strings.NewReader(""), Stdout: io.Discard, Stderr: io.Discard, Getenv: func(k string) string { return env[k] }, Hangups: s.hup}
	var c serveConfig
	if err := parse(m.serveFlags(&c), append([]string{"--rescan", "0", "--rate-burst", "1000"}, args...)); err != nil {
		t.Fatal(err)
	}
	c.onReload = func(r bot.ReloadResult) { s.reloads <- r }
	if edit != nil {
		edit(&c)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s.base = "http://" + ln.Addr().String()
	var ctx context.Context
	ctx, s.cancel = context.WithCancel(context.Background())
	log := slog.New(slog.NewJSONHandler(s.logs, nil))
	go func() { s.done <- m.runServer(ctx, &c, log, ln) }()
	t.Cleanup(func() {
		s.cancel()
		select {
		case <-s.done:
		case <-time.After(20 * time.Second):
			t.Error("serve did not stop")
		}
	})
	return s
}

// ready waits until /readyz answers 200.
func (s *server) ready(t *testing.T) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		select {
		case err := <-s.done:
			t.Fatalf("serve stopped: %v\n%s", err, s.logs)
		default:
		}
		if resp, err := http.Get(s.base + "/readyz"); err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				return
			}
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatalf("not ready:\n%s", s.logs)
}

// reload waits for the next reload attempt.
func (s *server) reload(t *testing.T) bot.ReloadResult {
	t.Helper()
	select {
	case r := <-s.reloads:
		return r
	case <-time.After(30 * time.Second):
		t.Fatalf("no reload\n%s", s.logs)
		return bot.ReloadResult{}
	}
}

// reloadUntil waits for a reload that failed (wantErr) or succeeded; a
// fault made of several file events may take more than one reload.
func (s *server) reloadUntil(t *testing.T, wantErr bool) bot.ReloadResult {
	t.Helper()
	for {
		if r := s.reload(t); (r.Err != nil) == wantErr {
			return r
		}
	}
}

// ask sends a signed slash command and returns the status and the answer.
func (s *server) ask(t *testing.T, command, text string) (int, string) {
	t.Helper()
	resp, err := http.DefaultClient.Do(signedCommand(t, s.base, command, text))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func signedCommand(t *testing.T, base, command, text string) *http.Request {
	t.Helper()
	form := url.Values{"command": {command}, "text": {text}, "user_id": {"U" + strconv.FormatInt(time.Now().UnixNano(), 36)},
		"channel_id": {"C1"}, "team_id": {"T1"}, "response_url": {"http://127.0.0.1:1/unused"}, "trigger_id": {"x"}}
	body := form.Encode()
	ts := strconv.FormatInt(time.Now().Unix(), 10)
	mac := hmac.New(sha256.New, []byte(slackSecret))
	io.WriteString(mac, "v0:"+ts+":"+body)
	req, err := http.NewRequest("POST", base+"/slack/commands", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("X-Slack-Request-Timestamp", ts)
	req.Header.Set("X-Slack-Signature", "v0="+hex.EncodeToString(mac.Sum(nil)))
	return req
}

func (s *server) readyz(t *testing.T) (int, string) {
	t.Helper()
	return get(t, s.base+"/readyz")
}

// old writes an article as settled (written a minute ago), so reloads need
// not wait for it.
func old(t *testing.T, path, text string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	at := time.Now().Add(-time.Minute)
	os.Chtimes(path, at, at)
}

const (
	valdoria = "Valdoria and Ostland agreed on Friday to reopen the harbour at Port Lerin.\n"
	glacier  = "Scientists began a glacier survey in the northern valleys on Monday.\n"
	ferry    = "The ferry service between the islands resumed after the winter storms.\n"
)

// Files dropped into the articles folder while serving: a link out of the
// folder, a named pipe, a device, an oversized article, the folder emptied
// and half deleted. Each fails the reload, naming the file; answers keep
// coming from the articles serving, /readyz stays ready and says why; and
// the next good change loads (nothing is left blocked).
func TestServeArticlesFolderFaults(t *testing.T) {
	dir := t.TempDir()
	outside := t.TempDir()
	os.WriteFile(filepath.Join(outside, "secret.txt"), []byte("The deploy token is hunter2 for the harbour.\n"), 0o600)
	old(t, filepath.Join(dir, "valdoria.txt"), valdoria)
	old(t, filepath.Join(dir, "glacier.txt"), glacier)
	old(t, filepath.Join(dir, "ferry.txt"), ferry)
	s := startServer(t, nil, "--seeds", dir, "--max-article-size", "4KiB")
	if r := s.reload(t); r.Err != nil {
		t.Fatal(r.Err)
	}
	s.ready(t)

	steps := []struct {
		name  string
		fault func(t *testing.T)
		undo  func()
		want  []string // in the reload error and /readyz
	}{
		{"link out of the folder", func(t *testing.T) {
			os.Symlink(filepath.Join(outside, "secret.txt"), filepath.Join(dir, "notes.txt"))
		}, func() { os.Remove(filepath.Join(dir, "notes.txt")) }, []string{"notes.txt", "outside the articles folder"}},
		{"named pipe", func(t *testing.T) {
			if err := syscall.Mkfifo(filepath.Join(dir, "pipe.txt"), 0o644); err != nil {
				t.Skip(err)
			}
		}, func() { os.Remove(filepath.Join(dir, "pipe.txt")) }, []string{"pipe.txt", "named pipe"}},
		{"device", func(t *testing.T) {
			if err := syscall.Mknod(filepath.Join(dir, "zero.txt"), syscall.S_IFCHR|0o644, 1<<8|5); err != nil {
				t.Skip(err)
			}
		}, func() { os.Remove(filepath.Join(dir, "zero.txt")) }, []string{"zero.txt", "character device"}},
		{"oversized article", func(t *testing.T) {
			old(t, filepath.Join(dir, "huge.txt"), strings.Repeat("The harbour of Port Lerin reopened on Friday. ", 200))
		}, func() { os.Remove(filepath.Join(dir, "huge.txt")) }, []string{"huge.txt", "9.0 KiB", "4.0 KiB per article", "--max-article-size"}},
		{"folder emptied", func(t *testing.T) {
			for _, n := range []string{"valdoria.txt", "glacier.txt", "ferry.txt"} {
				os.Rename(filepath.Join(dir, n), filepath.Join(outside, n))
			}
		}, func() {
			for _, n := range []string{"valdoria.txt", "glacier.txt", "ferry.txt"} {
				os.Rename(filepath.Join(outside, n), filepath.Join(dir, n))
			}
		}, []string{"no articles"}},
		{"more than half deleted", func(t *testing.T) {
			for _, n := range []string{"glacier.txt", "ferry.txt"} {
				os.Rename(filepath.Join(dir, n), filepath.Join(outside, n))
			}
		}, func() {
			for _, n := range []string{"glacier.txt", "ferry.txt"} {
				os.Rename(filepath.Join(outside, n), filepath.Join(dir, n))
			}
		}, []string{"1 articles, down from 3", "--allow-shrink"}},
	}
	for _, st := range steps {
		t.Run(st.name, func(t *testing.T) {
			st.fault(t)
			defer func() {
				st.undo()
				// The folder mended, a reload succeeds.
				s.reloadUntil(t, false)
			}()
			r := s.reloadUntil(t, true)
			code, body := s.readyz(t)
			for _, w := range st.want {
				if !strings.Contains(r.Err.Error(), w) || !strings.Contains(body, w) {
					t.Errorf("reload error %q / readyz %q lack %q", r.Err, body, w)
				}
			}
			if code != 200 || !strings.Contains(body, "articles-reload: warning") {
				t.Errorf("readyz %d %q: want ready with a warning", code, body)
			}
			_, ans := s.ask(t, "/what", "harbour")
			if !strings.Contains(ans, "Port Lerin") || strings.Contains(ans, "hunter2") {
				t.Errorf("answer after %s: %s", st.name, ans)
			}
			if _, ans := s.ask(t, "/what", "glacier survey"); !strings.Contains(ans, "northern valleys") {
				t.Errorf("articles serving were dropped: %s", ans)
			}
		})
	}
}

// A half-written article (a slow copy) is not served until the copy is
// done.
func TestServeWaitsForArticleBeingWritten(t *testing.T) {
	dir := t.TempDir()
	old(t, filepath.Join(dir, "valdoria.txt"), valdoria)
	s := startServer(t, nil, "--seeds", dir)
	s.reload(t)
	s.ready(t)
	path := filepath.Join(dir, "survey.txt")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	io.WriteString(f, "Scientists began a glacier")
	// Keep writing for longer than the settle time, a little at a time,
	// as a slow copy does; no reload may serve the half.
	for i := range 8 {
		time.Sleep(200 * time.Millisecond)
		select {
		case r := <-s.reloads:
			t.Fatalf("reloaded while the file was being written (step %d): %+v", i, r)
		default:
		}
		io.WriteString(f, " survey")
	}
	io.WriteString(f, " in the northern valleys on Monday.\n")
	f.Close()
	if r := s.reload(t); r.Err != nil {
		t.Fatal(r.Err)
	}
	if _, ans := s.ask(t, "/what", "glacier survey"); !strings.Contains(ans, "northern valleys on Monday") {
		t.Errorf("after the copy: %s", ans)
	}
}

// An empty folder is an error at start-up, for serve and for ask, chat and
// eval; so is a folder whose build would not fit in memory, which names the
// file and the way out.
func TestStartupRefusesEmptyOrOversizedFolders(t *testing.T) {
	empty := t.TempDir()
	os.WriteFile(filepath.Join(empty, "README.md"), []byte("articles go here"), 0o644)
	evalFile := filepath.Join(t.TempDir(), "q.json")
	os.WriteFile(evalFile, []byte(`{"cases":[{"q":"/who france","want":["Macron"]}]}`), 0o644)
	for _, args := range [][]string{
		{"ask", "--seeds", empty, "/sources"},
		{"chat", "--seeds", empty},
		{"eval", "--seeds", empty, evalFile},
	} {
		code, _, errs := runParley(t, nil, "/sources\n", args...)
		if code != 1 || !strings.Contains(errs, "no articles") || !strings.Contains(errs, empty) {
			t.Errorf("%v: exit %d %q", args[0], code, errs)
		}
	}
	m := &Main{Stdin: strings.NewReader(""), Stdout: io.Discard, Stderr: io.Discard, Getenv: func(string) string { return "" }}
	var c serveConfig
	parse(m.serveFlags(&c), []string{"--seeds", empty})
	if err := m.runServer(t.Context(), &c, slog.New(slog.DiscardHandler), nil); err == nil || !strings.Contains(err.Error(), "no articles") {
		t.Errorf("serve with an empty folder: %v", err)
	}

	big := t.TempDir()
	os.WriteFile(filepath.Join(big, "harbour.txt"), []byte(valdoria), 0o644)
	// 1.5 MB: its estimate (16 bytes a byte and 16 MiB) is over 32 MiB
	// by itself, whatever the test process holds; at 1 MB it was over
	// only by what the process happened to hold live.
	os.WriteFile(filepath.Join(big, "report.txt"), bytes.Repeat([]byte("The harbour reopened after long talks on Friday. "), 30000), 0o644)
	code, _, errs := runParley(t, nil, "", "ask", "--seeds", big, "--max-index-memory", "32MiB", "/sources")
	for _, w := range []string{"report.txt", "memory limit of 32.0 MiB", "parley index build", "--index"} {
		if code != 1 || !strings.Contains(errs, w) {
			t.Errorf("over the memory limit: exit %d, %q lacks %q", code, errs, w)
		}
	}
}

// SIGTERM with an answer in flight: the HTTP server stops accepting and
// lets the answer finish before the front ends' answer contexts are
// cancelled, so the person gets the answer, not "Sorry, Parley could not
// answer", and serve exits cleanly.
func TestSIGTERMWithAnswersInFlight(t *testing.T) {
	entered, release := make(chan struct{}, 1), make(chan struct{})
	slow := func(next parley.Answerer) parley.Answerer {
		return parley.AnswerFunc(func(ctx context.Context, req parley.Request) (*parley.Answer, error) {
			entered <- struct{}{}
			select {
			case <-release:
			case <-ctx.Done():
				return nil, ctx.Err() // what an index search does when cancelled
			}
			return next.Answer(ctx, req)
		})
	}
	s := startServer(t, func(c *serveConfig) { c.wrapAnswerer = slow })
	s.ready(t)
	got := make(chan string, 1)
	go func() {
		resp, err := http.DefaultClient.Do(signedCommand(t, s.base, "/who", "france"))
		if err != nil {
			got <- err.Error()
			return
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		got <- strconv.Itoa(resp.StatusCode) + " " + string(b)
	}()
	<-entered
	s.cancel() // what SIGTERM does
	// Wait until new connections are refused: the server has begun to stop.
	for i := 0; ; i++ {
		c, err := net.Dial("tcp", strings.TrimPrefix(s.base, "http://"))
		if err != nil {
			break
		}
		c.Close()
		if i > 2000 {
			t.Fatal("still accepting after SIGTERM")
		}
		time.Sleep(5 * time.Millisecond)
	}
	close(release)
	if ans := <-got; !strings.HasPrefix(ans, "200 ") || !strings.Contains(ans, "Emmanuel Macron") || strings.Contains(ans, "could not answer") {
		t.Errorf("answer in flight at SIGTERM: %s", ans)
	}
	if err := <-s.done; err != nil {
		t.Errorf("serve = %v", err)
	}
	s.done <- nil // for the cleanup
}

// The query log under rotation and SIGHUP: records go on to the file at
// the path after it is moved away; SIGHUP reopens it.
func TestServeQueryLogRotation(t *testing.T) {
	path := filepath.Join(t.TempDir(), "queries.jsonl")
	s := startServer(t, nil, "--query-log", path)
	s.ready(t)
	s.ask(t, "/who", "france")
	os.Rename(path, path+".1")
	s.ask(t, "/who", "macron")
	s.hup <- struct{}{}
	os.Rename(path, path+".2")
	s.hup <- struct{}{} // the first is handled once the second is taken
	deadline := time.Now().Add(10 * time.Second)
	for {
		if _, err := os.Stat(path); err == nil {
			break // reopened: the file exists again, before any record
		}
		if time.Now().After(deadline) {
			t.Fatal("SIGHUP did not reopen the query log")
		}
		time.Sleep(10 * time.Millisecond)
	}
	s.ask(t, "/who", "nato")
	for file, want := range map[string]string{path + ".1": "france", path + ".2": "macron", path: "nato"} {
		b, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		var rec bot.QueryRecord
		if lines := strings.Split(strings.TrimSpace(string(b)), "\n"); len(lines) != 1 || json.Unmarshal([]byte(lines[0]), &rec) != nil || rec.Query != want {
			t.Errorf("%s holds %q, want one record for %s", filepath.Base(file), b, want)
		}
	}
}

// Log flooding: unsigned and oversized requests are refused, every one
// counted in /metrics, and logged in a summary at most once a second.
func TestServeRefusedRequestsDoNotFloodTheLog(t *testing.T) {
	s := startServer(t, nil)
	s.ready(t)
	start := time.Now()
	const unsigned, oversized = 300, 20
	client := &http.Client{}
	for i := range unsigned + oversized {
		body := io.Reader(strings.NewReader("command=%2Fwho&text=france"))
		if i >= unsigned {
			body = bytes.NewReader(bytes.Repeat([]byte("a"), 1<<20+1))
		}
		resp, err := client.Post(s.base+"/slack/commands", "application/x-www-form-urlencoded", body)
		if err != nil {
			t.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if want := map[bool]int{true: 401, false: 413}[i < unsigned]; resp.StatusCode != want {
			t.Fatalf("request %d: %d, want %d", i, resp.StatusCode, want)
		}
	}
	elapsed := time.Since(start)
	_, metrics := get(t, s.base+"/metrics")
	for _, w := range []string{`parley_rejected_requests_total{platform="slack",reason="bad_signature"} 300`,
		`parley_rejected_requests_total{platform="slack",reason="too_large"} 20`} {
		if !strings.Contains(metrics, w) {
			t.Errorf("metrics lack %s", w)
		}
	}
	s.cancel()
	<-s.done
	s.done <- nil
	lines := strings.Count(s.logs.String(), `"msg":"requests refused"`)
	if max := 2 + int(elapsed/time.Second); lines < 1 || lines > max {
		t.Errorf("%d log lines for %d refused requests in %s, want 1 to %d", lines, unsigned+oversized, elapsed, max)
	}
	if strings.Count(s.logs.String(), "\n") > 50 {
		t.Errorf("the log grew with the refused requests:\n%s", s.logs)
	}
}

// serve --index on an index still being written says it waits for the
// lock, then serves once the writer is done.
func TestServeIndexWaitsForLockAndSaysSo(t *testing.T) {
	dir := t.TempDir()
	src := filepath.Join(dir, "articles")
	os.Mkdir(src, 0o755)
	os.WriteFile(filepath.Join(src, "valdoria.txt"), []byte(valdoria), 0o644)
	out := filepath.Join(dir, "parley.index")
	if code, _, errs := runParley(t, nil, "", "index", "build", "--seeds", src, "--out", out); code != 0 {
		t.Fatalf("index build: %s", errs)
	}
	writer, err := openForWriting(out)
	if err != nil {
		t.Fatal(err)
	}
	s := startServer(t, nil, "--index", out)
	deadline := time.Now().Add(20 * time.Second)
	for !strings.Contains(s.logs.String(), "waiting for the index's lock") {
		if time.Now().After(deadline) {
			t.Fatalf("no word of the lock:\n%s", s.logs)
		}
		time.Sleep(10 * time.Millisecond)
	}
	writer.Close()
	s.ready(t)
	if _, ans := s.ask(t, "/what", "harbour"); !strings.Contains(ans, "Port Lerin") {
		t.Errorf("answer from the index: %s", ans)
	}
}

// openForWriting holds the lock of an index's shard, as a writer does.
func openForWriting(path string) (bleve.Index, error) {
	return bleve.Open(filepath.Join(path, "shard-0"))
}
