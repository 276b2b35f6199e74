package bot

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

func get(t *testing.T, h http.Handler, path string) (int, string) {
	t.Helper()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
	return rec.Code, rec.Body.String()
}

func TestHealthz(t *testing.T) {
	s := NewServer(Options{})
	s.AddCheck("index", func() error { return errors.New("not loaded") })
	s.AddWarning("discord-gateway", func() error { return errors.New("not connected") })
	code, body := get(t, s.Handler(), "/healthz")
	if code != http.StatusOK || !strings.HasPrefix(body, "ok\n") {
		t.Errorf("GET /healthz = %d %q, want 200 ok even when not ready", code, body)
	}
	// The detail says what is down.
	for _, want := range []string{"index: not loaded", "discord-gateway: not connected"} {
		if !strings.Contains(body, want) {
			t.Errorf("healthz %q lacks %q", body, want)
		}
	}
}

func TestReadyz(t *testing.T) {
	ok := func() error { return nil }
	bad := func(msg string) func() error { return func() error { return errors.New(msg) } }
	tests := []struct {
		name     string
		checks   map[string]func() error
		warnings map[string]func() error
		want     int
		contains []string
	}{
		{name: "no checks", want: 200, contains: []string{"ready"}},
		{name: "all pass", checks: map[string]func() error{"index": ok, "slack-socket": ok}, want: 200,
			contains: []string{"index: ok", "slack-socket: ok"}},
		{name: "one fails", checks: map[string]func() error{"index": ok, "discord-gateway": bad("not connected")}, want: 503,
			contains: []string{"discord-gateway: not connected", "index: ok", "not ready"}},
		{name: "warning keeps ready", checks: map[string]func() error{"index": ok},
			warnings: map[string]func() error{"articles-reload": bad("reload articles: 003.txt: bad\nline")}, want: 200,
			contains: []string{"articles-reload: warning: reload articles: 003.txt: bad line"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := NewServer(Options{})
			for n, f := range tc.checks {
				s.AddCheck(n, f)
			}
			for n, f := range tc.warnings {
				s.AddWarning(n, f)
			}
			code, body := get(t, s.Handler(), "/readyz")
			if code != tc.want {
				t.Errorf("code = %d, want %d; body:\n%s", code, tc.want, body)
			}
			for _, c := range tc.contains {
				if !strings.Contains(body, c) {
					t.Errorf("body lacks %q:\n%s", c, body)
				}
			}
		})
	}
}

func TestReadyzConnectedCheck(t *testing.T) {
	s := NewServer(Options{})
	up := false
	s.AddCheck("slack-socket", ConnectedCheck(func() bool { return up }))
	if code, _ := get(t, s.Handler(), "/readyz"); code != 503 {
		t.Errorf("disconnected: code %d, want 503", code)
	}
	up = true
	if code, _ := get(t, s.Handler(), "/readyz"); code != 200 {
		t.Errorf("connected: code %d, want 200", code)
	}
}

func TestMetricsEndpoint(t *testing.T) {
	m := NewMetrics()
	s := NewServer(Options{Metrics: m})
	m.ObserveAnswer("slack", "who", OutcomeCovered, 3*time.Millisecond)
	m.ObserveAnswer("discord", "nonsense-typo", OutcomeError, time.Millisecond)
	m.SetIndexed(5, 412)
	m.ObserveReload("articles", errors.New("x"))
	if err := m.TrackConnection("slack", func() bool { return true }); err != nil {
		t.Fatal(err)
	}
	if err := m.TrackConnection("slack", func() bool { return true }); err == nil {
		t.Error("tracking the same platform twice: want an error")
	}
	code, body := get(t, s.Handler(), "/metrics")
	if code != 200 {
		t.Fatalf("GET /metrics = %d", code)
	}
	for _, want := range []string{
		`parley_answers_total{command="who",outcome="covered",platform="slack"} 1`,
		`parley_answers_total{command="other",outcome="error",platform="discord"} 1`,
		`parley_answer_duration_seconds_bucket{command="who",platform="slack",le="0.005"} 1`,
		`parley_articles_indexed 5`,
		`parley_sentences_indexed 412`,
		`parley_reloads_total{what="articles"} 1`,
		`parley_reload_failures_total{what="articles"} 1`,
		`parley_connected{platform="slack"} 1`,
		`go_goroutines`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("/metrics lacks %q", want)
		}
	}
}

// serve starts s on a loopback listener and returns its URL and a channel
// with Serve's result.
func serve(t *testing.T, ctx context.Context, s *Server) (string, <-chan error) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- s.Serve(ctx, ln) }()
	return "http://" + ln.Addr().String(), done
}

func TestShutdownFinishesInFlight(t *testing.T) {
	s := NewServer(Options{ShutdownTimeout: 30 * time.Second})
	began := make(chan struct{})
	s.onShutdown = func() { close(began) }
	started, release := make(chan struct{}), make(chan struct{})
	s.Mux().HandleFunc("GET /slow", func(w http.ResponseWriter, r *http.Request) {
		close(started)
		<-release
		io.WriteString(w, "finished")
	})
	runnerStopped := make(chan struct{})
	s.Go("socket", func(ctx context.Context) error {
		<-ctx.Done()
		close(runnerStopped)
		return ctx.Err()
	})
	ctx, cancel := context.WithCancel(t.Context())
	url, done := serve(t, ctx, s)

	type result struct {
		body string
		err  error
	}
	got := make(chan result, 1)
	go func() {
		resp, err := http.Get(url + "/slow")
		if err != nil {
			got <- result{err: err}
			return
		}
		defer resp.Body.Close()
		b, err := io.ReadAll(resp.Body)
		got <- result{string(b), err}
	}()
	<-started
	cancel()
	<-began
	<-runnerStopped
	select {
	case err := <-done:
		t.Fatalf("Serve returned (%v) while a request was in flight", err)
	default:
	}
	close(release)
	r := <-got
	if r.err != nil || r.body != "finished" {
		t.Errorf("in-flight request: %q, %v; want finished", r.body, r.err)
	}
	if err := <-done; err != nil {
		t.Errorf("Serve = %v, want nil after a clean shutdown", err)
	}
	if _, err := http.Get(url + "/healthz"); err == nil {
		t.Error("server still accepting after Serve returned")
	}
}

func TestRunnerFailureStopsServer(t *testing.T) {
	s := NewServer(Options{})
	boom := errors.New("gateway: invalid token")
	s.Go("gateway", func(ctx context.Context) error { return boom })
	other := make(chan struct{})
	s.Go("socket", func(ctx context.Context) error { <-ctx.Done(); close(other); return nil })
	_, done := serve(t, t.Context(), s)
	err := <-done
	if !errors.Is(err, boom) || !strings.Contains(err.Error(), "gateway") {
		t.Errorf("Serve = %v, want the runner's error naming it", err)
	}
	<-other
}

func TestShutdownDeadline(t *testing.T) {
	s := NewServer(Options{ShutdownTimeout: 20 * time.Millisecond})
	unstick := make(chan struct{})
	defer close(unstick)
	s.Go("stuck", func(ctx context.Context) error { <-unstick; return nil })
	ctx, cancel := context.WithCancel(t.Context())
	_, done := serve(t, ctx, s)
	cancel()
	err := <-done
	if err == nil || !strings.Contains(err.Error(), "stuck") {
		t.Errorf("Serve = %v, want an error naming the stuck runner", err)
	}
}

func TestRunBadAddr(t *testing.T) {
	s := NewServer(Options{Addr: "127.0.0.1:-1"})
	if err := s.Run(t.Context()); err == nil || !strings.Contains(err.Error(), "listen") {
		t.Errorf("Run = %v, want a listen error", err)
	}
}

func TestDrainDelay(t *testing.T) {
	s := NewServer(Options{DrainDelay: time.Hour})
	drained := make(chan time.Time)
	s.drained = drained
	s.AddCheck("index", func() error { return nil })
	began := make(chan struct{})
	s.onShutdown = func() { close(began) }
	ctx, cancel := context.WithCancel(t.Context())
	url, done := serve(t, ctx, s)
	cancel()
	<-began
	// Draining: still serving, but not ready, and closing connections.
	resp, err := http.Get(url + "/readyz")
	if err != nil {
		t.Fatalf("not serving while draining: %v", err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 503 || !strings.Contains(string(body), "shutting down") {
		t.Errorf("readyz while draining: %d %s", resp.StatusCode, body)
	}
	if !resp.Close && resp.Header.Get("Connection") != "close" {
		t.Error("keep-alive still on while draining")
	}
	select {
	case err := <-done:
		t.Fatalf("Serve returned (%v) before the drain ended", err)
	default:
	}
	close(drained)
	if err := <-done; err != nil {
		t.Errorf("Serve = %v", err)
	}
}

// SIGTERM with answers in flight: the HTTP server drains before the front
// ends' answer contexts are cancelled (OnStop), so an answer being worked
// on is delivered, not turned into "Sorry, Parley could not answer".
func TestShutdownDrainsRequestsBeforeFrontEnds(t *testing.T) {
	s := NewServer(Options{ShutdownTimeout: 30 * time.Second})
	began := make(chan struct{})
	s.onShutdown = func() { close(began) }
	// A front end's context for its answers, cancelled by its drain, as
	// bot/slack's Shutdown does.
	feCtx, feCancel := context.WithCancel(context.Background())
	defer feCancel()
	var order []string
	var mu sync.Mutex
	note := func(s string) { mu.Lock(); order = append(order, s); mu.Unlock() }
	started, release := make(chan struct{}), make(chan struct{})
	s.Mux().HandleFunc("POST /answer", func(w http.ResponseWriter, r *http.Request) {
		close(started)
		select {
		case <-release:
			io.WriteString(w, "Macron said France could send troops.")
		case <-feCtx.Done():
			io.WriteString(w, "Sorry, Parley could not answer.")
		}
		note("answered")
	})
	s.OnStop("front-end", func(ctx context.Context) error {
		note("drained")
		feCancel()
		return nil
	})
	ctx, cancel := context.WithCancel(t.Context())
	url, done := serve(t, ctx, s)
	got := make(chan string, 1)
	go func() {
		resp, err := http.Post(url+"/answer", "text/plain", nil)
		if err != nil {
			got <- err.Error()
			return
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		got <- string(b)
	}()
	<-started
	cancel() // SIGTERM
	<-began
	// Nothing new is accepted...
	if _, err := http.Post(url+"/answer", "text/plain", nil); err == nil {
		t.Error("a new request was accepted after SIGTERM")
	}
	// ...while the answer in flight finishes with its context alive.
	close(release)
	if body := <-got; body != "Macron said France could send troops." {
		t.Errorf("answer in flight at SIGTERM: %q", body)
	}
	if err := <-done; err != nil {
		t.Errorf("Serve = %v", err)
	}
	if strings.Join(order, ",") != "answered,drained" {
		t.Errorf("order %v: front ends drained before the HTTP server", order)
	}
}

func TestOnStopErrorsAndDeadline(t *testing.T) {
	s := NewServer(Options{ShutdownTimeout: 50 * time.Millisecond})
	s.OnStop("slow-drain", func(ctx context.Context) error { <-ctx.Done(); return ctx.Err() })
	ctx, cancel := context.WithCancel(t.Context())
	_, done := serve(t, ctx, s)
	cancel()
	if err := <-done; err == nil || !strings.Contains(err.Error(), "slow-drain") {
		t.Errorf("Serve = %v, want the drain's error naming it", err)
	}
}
