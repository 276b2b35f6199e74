package bot

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/parley-bot/parley"
)

// fakeFrontEnd stands in for bot/slack and bot/discord: it registers a
// handler on the mux, runs a "socket" loop, and honours the channel policy.
type fakeFrontEnd struct {
	answerer  parley.Answerer
	policy    parley.ChannelPolicy
	connected atomic.Bool
	up        chan struct{}
}

func (f *fakeFrontEnd) Register(mux *http.ServeMux) {
	mux.HandleFunc("POST /fake/ask", func(w http.ResponseWriter, r *http.Request) {
		r.ParseForm()
		req := parley.Parse(r.Form.Get("line"))
		req.Platform, req.User, req.Channel = "slack", r.Form.Get("user"), r.Form.Get("channel")
		if f.policy.Channel(req.Platform, req.Channel).Disabled {
			io.WriteString(w, `{"lead":"Parley is not enabled in this channel."}`)
			return
		}
		ans, err := f.answerer.Answer(r.Context(), req)
		if err != nil {
			http.Error(w, "internal error", 500)
			return
		}
		json.NewEncoder(w).Encode(ans)
	})
}

func (f *fakeFrontEnd) RunSocketMode(ctx context.Context) error {
	f.connected.Store(true)
	close(f.up)
	<-ctx.Done()
	f.connected.Store(false)
	return nil
}

func (f *fakeFrontEnd) Connected() bool { return f.connected.Load() }

// TestService wires the package as cmd/parley should and drives it over
// HTTP: readiness, answers, an article added and a broken one while
// serving, channel settings, metrics, the query log and shutdown.
func TestService(t *testing.T) {
	dir := t.TempDir()
	seeds := filepath.Join(dir, "seeds")
	os.Mkdir(seeds, 0o755)
	writeFile(t, filepath.Join(seeds, "000_paris.txt"), "Leaders met in Paris.")
	cfgPath := filepath.Join(dir, "channels.json")
	writeFile(t, cfgPath, `{"channels": [{"platform": "slack", "channel": "COFF", "disabled": true}]}`)
	logPath := filepath.Join(dir, "queries.jsonl")

	metrics := NewMetrics()
	lib := NewLibrary(metrics, nil)
	results := make(chan ReloadResult, 64)
	articles, err := NewReloader(ReloaderOptions{
		Name: "articles", Dir: seeds, Match: func(n string) bool { return strings.HasSuffix(n, ".txt") },
		Load: lib.Loader(buildFolder(seeds)), Debounce: time.Millisecond, Rescan: time.Hour,
		Metrics: metrics, OnResult: func(r ReloadResult) { results <- r },
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := articles.LoadNow(t.Context()); err != nil {
		t.Fatal(err)
	}
	<-results
	channels := &Channels{}
	copts := channels.ConfigReloaderOptions(cfgPath)
	copts.Metrics = metrics
	config, err := NewReloader(copts)
	if err != nil {
		t.Fatal(err)
	}
	if err := config.LoadNow(t.Context()); err != nil {
		t.Fatal(err)
	}
	qlog, err := OpenQueryLog(QueryLogOptions{Path: logPath, Salt: "salt", Retention: 90 * 24 * time.Hour, Metrics: metrics})
	if err != nil {
		t.Fatal(err)
	}
	defer qlog.Close()
	answerer := Instrument(RateLimit(qlog.Wrap(lib), RateLimitOptions{Burst: 1000}), metrics, nil)

	srv := NewServer(Options{Metrics: metrics})
	fe := &fakeFrontEnd{answerer: answerer, policy: channels, up: make(chan struct{})}
	fe.Register(srv.Mux())
	srv.AddCheck("index", lib.Check)
	srv.AddCheck("slack-socket", ConnectedCheck(fe.Connected))
	srv.AddWarning("articles-reload", articles.Check)
	srv.AddWarning("config-reload", config.Check)
	if err := metrics.TrackConnection("slack", fe.Connected); err != nil {
		t.Fatal(err)
	}
	if code, body := get(t, srv.Handler(), "/readyz"); code != 503 || !strings.Contains(body, "slack-socket: not connected") {
		t.Errorf("before the socket is up: %d\n%s", code, body)
	}
	srv.Go("slack-socket", fe.RunSocketMode)
	srv.Go("articles-reload", articles.Run)
	srv.Go("config-reload", config.Run)
	srv.Go("query-log", qlog.Run)

	watching := make(chan struct{})
	articles.watching = func() { close(watching) }
	ctx, cancel := context.WithCancel(t.Context())
	base, done := serve(t, ctx, srv)
	<-fe.up
	<-watching

	ask := func(line, channel string) parley.Answer {
		t.Helper()
		resp, err := http.PostForm(base+"/fake/ask", url.Values{"line": {line}, "user": {"U1"}, "channel": {channel}})
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var ans parley.Answer
		if err := json.NewDecoder(resp.Body).Decode(&ans); err != nil {
			t.Fatal(err)
		}
		return ans
	}
	readyz := func() (int, string) {
		resp, err := http.Get(base + "/readyz")
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	if code, body := readyz(); code != 200 {
		t.Fatalf("readyz %d:\n%s", code, body)
	}
	if ans := ask("/what norway", "C1"); ans.Covered {
		t.Fatal("Norway covered before its article")
	}
	writeFile(t, filepath.Join(seeds, "001_oslo.txt"), "Norway pledged support.")
	waitFor(t, results, "article added", func(ReloadResult) bool { return ask("/what norway", "C1").Covered })

	writeFile(t, filepath.Join(seeds, "002_bad.txt"), "BROKEN")
	waitFor(t, results, "broken article", func(r ReloadResult) bool { return r.Err != nil })
	if !ask("/what norway", "C1").Covered {
		t.Error("a broken article took the index down")
	}
	code, body := readyz()
	if code != 200 || !strings.Contains(body, "articles-reload: warning:") || !strings.Contains(body, "002_bad.txt") {
		t.Errorf("readyz after a failed reload: %d\n%s", code, body)
	}
	if ans := ask("/what paris", "COFF"); !strings.Contains(ans.Lead, "not enabled") {
		t.Errorf("disabled channel answered: %+v", ans)
	}

	resp, err := http.Get(base + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	mb, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	for _, want := range []string{
		`parley_answers_total{command="what",outcome="covered",platform="slack"}`,
		`parley_articles_indexed 2`,
		`parley_reload_failures_total{what="articles"} 1`,
		`parley_connected{platform="slack"} 1`,
	} {
		if !strings.Contains(string(mb), want) {
			t.Errorf("/metrics lacks %q", want)
		}
	}

	cancel()
	if err := <-done; err != nil {
		t.Errorf("Serve = %v", err)
	}
	if fe.Connected() {
		t.Error("socket loop not stopped")
	}
	qlog.Close()
	recs := readRecords(t, logPath)
	if len(recs) < 3 {
		t.Fatalf("%d query log records, want at least 3", len(recs))
	}
	if recs[0].Command != "what" || recs[0].Query != "norway" || recs[0].User != HashUser("salt", "slack", "U1") {
		t.Errorf("first record %+v", recs[0])
	}
}
