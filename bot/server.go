// Package bot is Parley's running service: one HTTP server hosting the front
// ends (bot/slack, bot/discord), health and readiness, Prometheus metrics,
// hot reloading of the articles and channel settings, per-user rate limits
// and the query log. Front ends register their handlers on the server's mux
// and their long-lived loops (Socket Mode, the Discord gateway) with Go.
package bot

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Options configure a Server. Every zero value is usable.
type Options struct {
	// Addr is the listen address for Run; "" means ":8080".
	Addr string
	// Logger receives the server's logs; nil discards them.
	Logger *slog.Logger
	// ShutdownTimeout bounds a graceful shutdown: requests in flight and
	// background runners get this long to finish. 0 means 10 seconds.
	ShutdownTimeout time.Duration
	// DrainDelay is how long, after ctx is cancelled, the server keeps
	// serving with /readyz failing before it stops accepting: time for load
	// balancers to stop sending. 0 means none (stop at once). The whole
	// shutdown can take DrainDelay + ShutdownTimeout.
	DrainDelay time.Duration
	// ReadHeaderTimeout guards against slow clients; 0 means 5 seconds.
	ReadHeaderTimeout time.Duration
	// Metrics is served on /metrics; nil means a fresh NewMetrics().
	Metrics *Metrics
}

// Server is Parley's one HTTP server. Register handlers on Mux (or with
// Handle), add readiness checks and background runners, then Run.
type Server struct {
	opts    Options
	log     *slog.Logger
	mux     *http.ServeMux
	metrics *Metrics

	mu       sync.Mutex
	checks   []check
	runners  []runner
	stops    []runner
	started  bool
	stopping atomic.Bool
	// onShutdown, when set (tests), is called as shutdown begins.
	onShutdown func()
	// drained, when set (tests), ends the drain instead of DrainDelay.
	drained <-chan time.Time
}

type check struct {
	name    string
	fn      func() error
	warning bool
}

type runner struct {
	name string
	fn   func(ctx context.Context) error
}

// NewServer returns a server with /healthz, /readyz and /metrics registered.
func NewServer(opts Options) *Server {
	if opts.Addr == "" {
		opts.Addr = ":8080"
	}
	if opts.ShutdownTimeout <= 0 {
		opts.ShutdownTimeout = 10 * time.Second
	}
	if opts.ReadHeaderTimeout <= 0 {
		opts.ReadHeaderTimeout = 5 * time.Second
	}
	if opts.Metrics == nil {
		opts.Metrics = NewMetrics()
	}
	log := opts.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	s := &Server{opts: opts, log: log.With("component", "server"), mux: http.NewServeMux(), metrics: opts.Metrics}
	s.mux.HandleFunc("GET /healthz", s.healthz)
	s.mux.HandleFunc("GET /readyz", s.readyz)
	s.mux.Handle("GET /metrics", s.metrics.Handler())
	return s
}

// Mux is where front ends register (slack.Register(srv.Mux())).
func (s *Server) Mux() *http.ServeMux { return s.mux }

// Handler serves everything registered; tests use it with httptest.
func (s *Server) Handler() http.Handler { return s.mux }

// Metrics returns the metrics served on /metrics.
func (s *Server) Metrics() *Metrics { return s.metrics }

// AddCheck adds a readiness check: /readyz answers 503 while fn returns an
// error (index not loaded, socket not connected).
func (s *Server) AddCheck(name string, fn func() error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.checks = append(s.checks, check{name: name, fn: fn})
}

// AddWarning adds a line of /readyz detail that never fails readiness: a
// failed reload keeps the previous index serving, and taking every replica
// out of the load balancer because they all saw the same bad file would turn
// a broken article into an outage.
func (s *Server) AddWarning(name string, fn func() error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.checks = append(s.checks, check{name: name, fn: fn, warning: true})
}

// Go registers a background runner (Socket Mode, gateway, reloaders) started
// by Run. Its context is cancelled when shutdown begins; it should then
// finish what it has in flight and return. A runner that returns an error
// while the server runs (anything but the context's own error) stops the
// server, and Run returns that error: a process whose gateway is gone for
// good is better restarted than left half alive.
func (s *Server) Go(name string, fn func(ctx context.Context) error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.runners = append(s.runners, runner{name: name, fn: fn})
}

// OnStop registers fn to run during shutdown once the HTTP server has
// finished the requests in flight and every runner has returned, with what
// is left of ShutdownTimeout. Front ends drain here: deliver what they have
// acknowledged, then cancel their answers' contexts. Doing that earlier
// turned answers still being worked on into "Sorry, Parley could not
// answer".
func (s *Server) OnStop(name string, fn func(ctx context.Context) error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.stops = append(s.stops, runner{name: name, fn: fn})
}

// ConnectedCheck adapts a front end's Connected() to AddCheck.
func ConnectedCheck(connected func() bool) func() error {
	return func() error {
		if !connected() {
			return errors.New("not connected")
		}
		return nil
	}
}

// healthz says the process is alive, always with 200, then the state of
// each check as detail (a Socket Mode or gateway connection that is down
// shows here and in the metrics even where it does not fail readiness).
func (s *Server) healthz(w http.ResponseWriter, _ *http.Request) {
	s.mu.Lock()
	checks := append([]check(nil), s.checks...)
	s.mu.Unlock()
	var b strings.Builder
	b.WriteString("ok\n")
	for _, c := range checks {
		if err := c.fn(); err != nil {
			fmt.Fprintf(&b, "%s: %s\n", c.name, oneLine(err.Error()))
		} else {
			fmt.Fprintf(&b, "%s: ok\n", c.name)
		}
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	io.WriteString(w, b.String())
}

func (s *Server) readyz(w http.ResponseWriter, _ *http.Request) {
	s.mu.Lock()
	checks := append([]check(nil), s.checks...)
	s.mu.Unlock()
	var b strings.Builder
	ready := true
	if s.stopping.Load() {
		ready = false
		b.WriteString("server: shutting down\n")
	}
	for _, c := range checks {
		err := c.fn()
		switch {
		case err == nil:
			fmt.Fprintf(&b, "%s: ok\n", c.name)
		case c.warning:
			fmt.Fprintf(&b, "%s: warning: %s\n", c.name, oneLine(err.Error()))
		default:
			ready = false
			fmt.Fprintf(&b, "%s: %s\n", c.name, oneLine(err.Error()))
		}
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	if !ready {
		w.WriteHeader(http.StatusServiceUnavailable)
	}
	if ready {
		b.WriteString("ready\n")
	} else {
		b.WriteString("not ready\n")
	}
	w.Write([]byte(b.String()))
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

// Run listens on Options.Addr and serves until ctx is cancelled or a runner
// fails; see Serve.
func (s *Server) Run(ctx context.Context) error {
	ln, err := net.Listen("tcp", s.opts.Addr)
	if err != nil {
		return fmt.Errorf("server: listen %s: %w", s.opts.Addr, err)
	}
	return s.Serve(ctx, ln)
}

// Serve serves on ln and starts the runners. When ctx is cancelled, /readyz
// fails at once; after DrainDelay it stops accepting (closing the listener
// and cancelling the runners), lets requests in flight finish, waits for the
// runners, then runs the OnStop functions, all within ShutdownTimeout; it
// returns nil after a clean shutdown. Serve may be called once.
func (s *Server) Serve(ctx context.Context, ln net.Listener) error {
	s.mu.Lock()
	if s.started {
		s.mu.Unlock()
		ln.Close()
		return errors.New("server: already started")
	}
	s.started = true
	runners := append([]runner(nil), s.runners...)
	stops := append([]runner(nil), s.stops...)
	s.mu.Unlock()

	hs := &http.Server{
		Handler:           s.mux,
		ReadHeaderTimeout: s.opts.ReadHeaderTimeout,
		// Bodies are small (front ends cap them) and answers due within
		// Slack's and Discord's 3 seconds: these only stop a client that
		// trickles bytes from holding a connection for ever.
		ReadTimeout:  30 * time.Second,
		WriteTimeout: time.Minute,
		IdleTimeout:  2 * time.Minute,
		ErrorLog:     slog.NewLogLogger(s.log.Handler(), slog.LevelWarn),
	}
	runCtx, cancelRunners := context.WithCancel(context.WithoutCancel(ctx))
	defer cancelRunners()

	failed := make(chan error, len(runners)+1)
	var wg sync.WaitGroup
	var running sync.Map
	for _, r := range runners {
		running.Store(r.name, true)
		wg.Go(func() {
			defer running.Delete(r.name)
			err := r.fn(runCtx)
			if err != nil && runCtx.Err() == nil {
				s.log.Error("runner failed", "runner", r.name, "err", err)
				failed <- fmt.Errorf("server: %s: %w", r.name, err)
				return
			}
			s.log.Debug("runner stopped", "runner", r.name)
		})
	}
	serveErr := make(chan error, 1)
	go func() { serveErr <- hs.Serve(ln) }()
	s.log.Info("serving", "addr", ln.Addr().String(), "runners", len(runners))

	var cause error
	select {
	case <-ctx.Done():
	case cause = <-failed:
	case err := <-serveErr:
		cause = fmt.Errorf("server: serve: %w", err)
	}
	s.stopping.Store(true)
	if s.onShutdown != nil {
		s.onShutdown()
	}
	if cause == nil && s.opts.DrainDelay > 0 {
		// Keep serving while load balancers notice /readyz failing (Kubernetes
		// removes a terminating pod's endpoints asynchronously), but close
		// each connection after its response so clients reconnect elsewhere.
		s.log.Info("draining", "delay", s.opts.DrainDelay)
		hs.SetKeepAlivesEnabled(false)
		t := time.NewTimer(s.opts.DrainDelay)
		drained := t.C
		if s.drained != nil {
			drained = s.drained
		}
		select {
		case <-drained:
		case cause = <-failed:
		case err := <-serveErr:
			cause = fmt.Errorf("server: serve: %w", err)
		}
		t.Stop()
	}
	// Stop accepting everywhere at once: the listener closes and runners
	// (Socket Mode, the gateway, reloaders) are told to stop; then requests
	// in flight finish, with their contexts alive; only then do front ends
	// drain (OnStop).
	s.log.Info("shutting down", "timeout", s.opts.ShutdownTimeout)
	deadline, cancel := context.WithTimeout(context.Background(), s.opts.ShutdownTimeout)
	defer cancel()
	cancelRunners()
	var errs []error
	if cause != nil {
		errs = append(errs, cause)
	}
	if err := hs.Shutdown(deadline); err != nil {
		hs.Close()
		errs = append(errs, fmt.Errorf("server: shutdown: %w", err))
	}
	done := make(chan struct{})
	go func() { wg.Wait(); close(done) }()
	select {
	case <-done:
	case <-deadline.Done():
		var names []string
		running.Range(func(k, _ any) bool { names = append(names, k.(string)); return true })
		sort.Strings(names)
		errs = append(errs, fmt.Errorf("server: still running after %s: %s", s.opts.ShutdownTimeout, strings.Join(names, ", ")))
	}
	errs = append(errs, runStops(deadline, stops)...)
	// Runners that failed at the same moment as the first are reported too.
	for len(failed) > 0 {
		errs = append(errs, <-failed)
	}
	err := errors.Join(errs...)
	if err == nil {
		s.log.Info("stopped")
	}
	return err
}

// runStops runs the OnStop functions side by side and returns their errors.
func runStops(ctx context.Context, stops []runner) []error {
	errs := make([]error, len(stops))
	var wg sync.WaitGroup
	for i, st := range stops {
		wg.Go(func() {
			if err := st.fn(ctx); err != nil {
				errs[i] = fmt.Errorf("server: %s: %w", st.name, err)
			}
		})
	}
	wg.Wait()
	var out []error
	for _, err := range errs {
		if err != nil {
			out = append(out, err)
		}
	}
	return out
}
