// Command parley-load measures how many signed requests per second a Parley
// server answers on loopback: Slack slash commands (v0 HMAC-SHA256), Discord
// application-command interactions (Ed25519), or, for comparison in the same
// run, a bare net/http hello-world it starts itself. Every request is signed
// afresh over a body of its own, so replay protection never turns the
// measurement into 401s; only 200s count.
//
//	parley-load -mode slack   -url http://127.0.0.1:8080 -c 64 -d 10s   (SLACK_SIGNING_SECRET)
//	parley-load -mode discord -url http://127.0.0.1:8080 -c 64 -d 10s   (PARLEY_LOAD_DISCORD_KEY)
//	parley-load -mode hello -c 64 -d 10s
//	parley-load -serve-bare 127.0.0.1:18090 &      (bleve over HTTP: the yardstick)
//	parley-load -mode bare  -url http://127.0.0.1:18090 -pairs 6000 -c 64 -d 10s
//	parley-load -print-public-key   (the DISCORD_PUBLIC_KEY for the server)
//
// -pairs N sends N distinct two-word queries made from the seeds' words
// ("/what w1 w2"), so that no cache of answers helps.
package main

import (
	"context"
	"crypto/ed25519"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"hash"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/signal"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/parley-bot/parley/bench"
	"github.com/parley-bot/parley/bot/slack"
)

// maxRequests bounds -n: the latencies are kept in memory (8 bytes each).
const maxRequests = 50_000_000

type config struct {
	mode        string
	url         string
	conns       int
	duration    time.Duration
	max         int
	command     string
	queries     []string
	users       int
	slackSecret string
	discordKey  ed25519.PrivateKey
	jsonOut     bool
	printPublic bool
	serveBare   string
	serverPID   int
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	os.Exit(run(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr))
}

func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) int {
	cfg, err := parseFlags(args, getenv, stderr)
	if errors.Is(err, flag.ErrHelp) {
		return 0
	}
	if err != nil {
		fmt.Fprintln(stderr, "parley-load:", err)
		return 2
	}
	if cfg.printPublic {
		fmt.Fprintln(stdout, hex.EncodeToString(cfg.discordKey.Public().(ed25519.PublicKey)))
		return 0
	}
	if cfg.serveBare != "" {
		ln, err := net.Listen("tcp", cfg.serveBare)
		if err == nil {
			err = serveBare(ctx, ln)
		}
		if err != nil {
			fmt.Fprintln(stderr, "parley-load:", err)
			return 1
		}
		return 0
	}
	res, err := measure(ctx, cfg)
	if err != nil {
		fmt.Fprintln(stderr, "parley-load:", err)
		return 1
	}
	if cfg.jsonOut {
		json.NewEncoder(stdout).Encode(res)
	} else {
		res.print(stdout)
	}
	if res.OK == 0 {
		return 1
	}
	return 0
}

func parseFlags(args []string, getenv func(string) string, stderr io.Writer) (*config, error) {
	fs := flag.NewFlagSet("parley-load", flag.ContinueOnError)
	fs.SetOutput(stderr)
	cfg := &config{}
	var queries, key string
	var pairs int
	fs.StringVar(&cfg.mode, "mode", "slack", "slack, discord, bare (bleve over HTTP, -serve-bare) or hello")
	fs.StringVar(&cfg.url, "url", "http://127.0.0.1:8080", "the server's base URL (loopback only); /slack/commands or /discord/interactions is added")
	fs.IntVar(&cfg.conns, "c", 64, "concurrent connections")
	fs.DurationVar(&cfg.duration, "d", 10*time.Second, "how long to send")
	fs.IntVar(&cfg.max, "n", 1_000_000, fmt.Sprintf("stop after this many requests (at most %d)", maxRequests))
	fs.StringVar(&cfg.command, "command", "who", "the command (slash command name without /, Discord command name)")
	fs.StringVar(&queries, "query", "france,macron,nato,britain,ukraine", "queries, comma-separated, used in turn")
	fs.IntVar(&cfg.users, "users", 0, "distinct user ids to cycle through; 0 means a new one per request (no per-user rate limit applies)")
	fs.StringVar(&cfg.slackSecret, "slack-secret", getenv("SLACK_SIGNING_SECRET"), "Slack signing secret (default $SLACK_SIGNING_SECRET)")
	fs.StringVar(&key, "discord-key", getenv("PARLEY_LOAD_DISCORD_KEY"), "Ed25519 private key as a 64-hex-digit seed (default $PARLEY_LOAD_DISCORD_KEY)")
	fs.BoolVar(&cfg.jsonOut, "json", false, "print the result as JSON")
	fs.BoolVar(&cfg.printPublic, "print-public-key", false, "print the public key of -discord-key (the server's DISCORD_PUBLIC_KEY) and exit")
	fs.IntVar(&pairs, "pairs", 0, "send this many distinct two-word queries made from the seeds' words instead of -query")
	fs.IntVar(&cfg.serverPID, "server-pid", 0, "the server's process `ID`: report its CPU time per request (Linux)")
	fs.StringVar(&cfg.serveBare, "serve-bare", "", "serve bleve over HTTP on this loopback `ADDR` (a bare search of the seeds, as JSON) until interrupted")
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	if fs.NArg() > 0 {
		return nil, fmt.Errorf("unexpected arguments %q", fs.Args())
	}
	for _, q := range strings.Split(queries, ",") {
		if q = strings.TrimSpace(q); q != "" {
			cfg.queries = append(cfg.queries, q)
		}
	}
	if pairs > 0 {
		ps, err := wordPairs(pairs)
		if err != nil {
			return nil, err
		}
		cfg.queries = ps
	}
	if len(cfg.queries) == 0 {
		cfg.queries = []string{"france"}
	}
	switch {
	case cfg.conns < 1 || cfg.conns > 4096:
		return nil, fmt.Errorf("-c %d: want 1 to 4096", cfg.conns)
	case cfg.duration <= 0:
		return nil, fmt.Errorf("-d %s: want a positive duration", cfg.duration)
	case cfg.max < 1 || cfg.max > maxRequests:
		return nil, fmt.Errorf("-n %d: want 1 to %d", cfg.max, maxRequests)
	case cfg.users < 0:
		return nil, fmt.Errorf("-users %d: want 0 or more", cfg.users)
	}
	if key != "" || cfg.printPublic || cfg.mode == "discord" {
		seed, err := hex.DecodeString(strings.TrimSpace(key))
		if err != nil || len(seed) != ed25519.SeedSize {
			// Never echo the key.
			return nil, fmt.Errorf("-discord-key: want %d hex digits (an Ed25519 seed)", 2*ed25519.SeedSize)
		}
		cfg.discordKey = ed25519.NewKeyFromSeed(seed)
	}
	if cfg.printPublic {
		return cfg, nil
	}
	if cfg.serveBare != "" {
		return cfg, checkLoopback("http://" + cfg.serveBare)
	}
	switch cfg.mode {
	case "slack":
		if cfg.slackSecret == "" {
			return nil, errors.New("slack mode needs -slack-secret or SLACK_SIGNING_SECRET")
		}
	case "discord", "hello", "bare":
	default:
		return nil, fmt.Errorf("-mode %q: want slack, discord, bare or hello", cfg.mode)
	}
	if cfg.mode != "hello" {
		if err := checkLoopback(cfg.url); err != nil {
			return nil, err
		}
	}
	return cfg, nil
}

// checkLoopback refuses any URL whose host is not a loopback address: this
// tool is for measuring on one machine, not for loading someone's server.
func checkLoopback(raw string) error {
	u, err := url.Parse(raw)
	if err != nil {
		return fmt.Errorf("-url: %w", err)
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return fmt.Errorf("-url %q: want http or https", raw)
	}
	host := u.Hostname()
	if host == "localhost" {
		return nil
	}
	ip := net.ParseIP(host)
	if ip == nil || !ip.IsLoopback() {
		return fmt.Errorf("-url %q: only loopback addresses (127.0.0.1, ::1, localhost)", raw)
	}
	return nil
}

// loopbackDial resolves and refuses anything but loopback, so "localhost"
// cannot be made to point elsewhere.
func loopbackDial(ctx context.Context, network, addr string) (net.Conn, error) {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return nil, err
	}
	ips, err := net.DefaultResolver.LookupIPAddr(ctx, host)
	if err != nil {
		return nil, err
	}
	var d net.Dialer
	for _, ip := range ips {
		if ip.IP.IsLoopback() {
			return d.DialContext(ctx, network, net.JoinHostPort(ip.IP.String(), port))
		}
	}
	return nil, fmt.Errorf("%s is not a loopback address", host)
}

// requestFunc makes request number seq (from 0), unique and freshly signed.
type requestFunc func(ctx context.Context, seq uint64) (*http.Request, error)

func (c *config) user(seq uint64) uint64 {
	if c.users > 0 {
		return seq % uint64(c.users)
	}
	return seq
}

func slackRequests(c *config) requestFunc {
	endpoint := strings.TrimRight(c.url, "/") + "/slack/commands"
	// The fields every request shares, encoded once: the load stands in for
	// Slack, which runs elsewhere, so its own work per request is kept small
	// (building a url.Values and the command table per request was a sixth
	// of this tool's CPU, counted against Slack in measure-loopback.sh).
	fixed := url.Values{
		"token":        {"unused"},
		"team_id":      {"T0LOAD"},
		"team_domain":  {"load"},
		"channel_id":   {"C0LOAD"},
		"channel_name": {"load"},
		"user_name":    {"load"},
		"command":      {slackCommand(c.command)},
		"api_app_id":   {"A0LOAD"},
	}.Encode()
	macs := sync.Pool{New: func() any { return hmac.New(sha256.New, []byte(c.slackSecret)) }}
	return func(ctx context.Context, seq uint64) (*http.Request, error) {
		s := strconv.FormatUint(seq, 10)
		var b strings.Builder
		b.Grow(len(fixed) + 160)
		b.WriteString(fixed)
		b.WriteString("&user_id=U")
		b.WriteString(strconv.FormatUint(c.user(seq), 10))
		b.WriteString("&text=")
		b.WriteString(url.QueryEscape(c.queries[seq%uint64(len(c.queries))]))
		// A dead loopback port: a slow answer's follow-up goes nowhere.
		b.WriteString("&response_url=" + url.QueryEscape("http://127.0.0.1:9/response/") + s)
		b.WriteString("&trigger_id=load." + s + "." + strconv.FormatInt(time.Now().UnixNano(), 36))
		body := b.String()
		ts := strconv.FormatInt(time.Now().Unix(), 10)
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, endpoint, strings.NewReader(body))
		if err != nil {
			return nil, err
		}
		m := macs.Get().(hash.Hash)
		sig := signWith(m, ts, body)
		macs.Put(m)
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("X-Slack-Request-Timestamp", ts)
		req.Header.Set("X-Slack-Signature", sig)
		return req, nil
	}
}

// signWith is Slack's v0 signature of a request: HMAC-SHA256 with the
// signing secret (m, keyed with it) over "v0:" + timestamp + ":" + body
// (https://api.slack.com/authentication/verifying-requests-from-slack).
func signWith(m hash.Hash, ts, body string) string {
	m.Reset()
	io.WriteString(m, "v0:")
	io.WriteString(m, ts)
	io.WriteString(m, ":")
	io.WriteString(m, body)
	var sum [sha256.Size]byte
	return "v0=" + hex.EncodeToString(m.Sum(sum[:0]))
}

// Option names of the commands, as in the command table.
var discordOption = map[string]string{"who": "subject", "what": "topic", "quote": "person", "ask": "question"}

func discordRequests(c *config) requestFunc {
	endpoint := strings.TrimRight(c.url, "/") + "/discord/interactions"
	return func(ctx context.Context, seq uint64) (*http.Request, error) {
		s := strconv.FormatUint(seq, 10)
		user := strconv.FormatUint(1_000_000_000_000+c.user(seq), 10)
		data := map[string]any{"id": "100000000000000001", "name": c.command, "type": 1}
		if opt, ok := discordOption[c.command]; ok {
			data["options"] = []map[string]any{{"type": 3, "name": opt, "value": c.queries[seq%uint64(len(c.queries))]}}
		}
		body, err := json.Marshal(map[string]any{
			"type":           2,
			"id":             strconv.FormatUint(2_000_000_000_000+seq, 10),
			"application_id": "100000000000000000",
			"token":          "load-token-" + s,
			"version":        1,
			"guild_id":       "300000000000000000",
			"channel_id":     "400000000000000000",
			"member":         map[string]any{"user": map[string]any{"id": user, "username": "load"}},
			"data":           data,
			"locale":         "en-US",
		})
		if err != nil {
			return nil, err
		}
		ts := strconv.FormatInt(time.Now().Unix(), 10)
		sig := ed25519.Sign(c.discordKey, append([]byte(ts), body...))
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, endpoint, strings.NewReader(string(body)))
		if err != nil {
			return nil, err
		}
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("X-Signature-Timestamp", ts)
		req.Header.Set("X-Signature-Ed25519", hex.EncodeToString(sig))
		return req, nil
	}
}

func helloRequests(base string) requestFunc {
	return func(ctx context.Context, seq uint64) (*http.Request, error) {
		return http.NewRequestWithContext(ctx, http.MethodGet, base+"/hello", nil)
	}
}

// bareRequests ask a bleve-over-HTTP server (-serve-bare) for the queries
// in turn.
func bareRequests(c *config) requestFunc {
	endpoint := strings.TrimRight(c.url, "/") + "/search?q="
	return func(ctx context.Context, seq uint64) (*http.Request, error) {
		return http.NewRequestWithContext(ctx, http.MethodGet, endpoint+url.QueryEscape(c.queries[seq%uint64(len(c.queries))]), nil)
	}
}

// startHello serves a bare hello-world on a loopback port.
func startHello() (base string, stop func(), err error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", nil, err
	}
	srv := &http.Server{
		Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/plain")
			io.WriteString(w, "hello\n")
		}),
		ReadHeaderTimeout: 5 * time.Second,
	}
	go srv.Serve(ln)
	return "http://" + ln.Addr().String(), func() { srv.Close() }, nil
}

// result is what a run measured; latencies are of the 200s.
type result struct {
	Mode        string         `json:"mode"`
	URL         string         `json:"url"`
	Conns       int            `json:"connections"`
	Sent        int            `json:"sent"`
	OK          int            `json:"ok"`
	Other       map[string]int `json:"other_status,omitempty"`
	Errors      int            `json:"errors"`
	Seconds     float64        `json:"seconds"`
	PerSecond   float64        `json:"ok_per_second"`
	P50ms       float64        `json:"p50_ms"`
	P99ms       float64        `json:"p99_ms"`
	MaxMs       float64        `json:"max_ms"`
	ServerCPUus float64        `json:"server_cpu_us_per_ok,omitempty"`
	LoadCPUus   float64        `json:"load_cpu_us_per_ok"`
	FirstError  string         `json:"first_error,omitempty"`
	firstErrSet bool
}

func (r *result) print(w io.Writer) {
	fmt.Fprintf(w, "mode=%s url=%s c=%d\n", r.Mode, r.URL, r.Conns)
	fmt.Fprintf(w, "  %d sent, %d ok (200), %d errors in %.2fs\n", r.Sent, r.OK, r.Errors, r.Seconds)
	if len(r.Other) > 0 {
		codes := make([]string, 0, len(r.Other))
		for c := range r.Other {
			codes = append(codes, c)
		}
		sort.Strings(codes)
		for _, c := range codes {
			fmt.Fprintf(w, "  status %s: %d\n", c, r.Other[c])
		}
	}
	if r.FirstError != "" {
		fmt.Fprintf(w, "  first error: %s\n", r.FirstError)
	}
	fmt.Fprintf(w, "  %.0f ok/s, latency p50 %.3fms p99 %.3fms max %.3fms\n", r.PerSecond, r.P50ms, r.P99ms, r.MaxMs)
	if r.ServerCPUus > 0 {
		fmt.Fprintf(w, "  CPU per ok request: server %.0fµs, load %.0fµs\n", r.ServerCPUus, r.LoadCPUus)
	}
}

func measure(ctx context.Context, cfg *config) (*result, error) {
	var mk requestFunc
	target := cfg.url
	switch cfg.mode {
	case "slack":
		mk = slackRequests(cfg)
		target = strings.TrimRight(cfg.url, "/") + "/slack/commands"
	case "discord":
		mk = discordRequests(cfg)
		target = strings.TrimRight(cfg.url, "/") + "/discord/interactions"
	case "bare":
		mk = bareRequests(cfg)
		target = strings.TrimRight(cfg.url, "/") + "/search"
	case "hello":
		base, stop, err := startHello()
		if err != nil {
			return nil, fmt.Errorf("hello server: %w", err)
		}
		defer stop()
		mk = helloRequests(base)
		target = base + "/hello"
	}
	client := &http.Client{
		Transport: &http.Transport{
			DialContext:         loopbackDial,
			MaxIdleConns:        cfg.conns,
			MaxIdleConnsPerHost: cfg.conns,
			MaxConnsPerHost:     cfg.conns,
			DisableCompression:  true,
			IdleConnTimeout:     30 * time.Second,
		},
		// Parley never redirects; a redirect would leave loopback.
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
	defer client.CloseIdleConnections()
	// CPU per request, the server's and this load's: how many requests a
	// machine serves depends on both, and unlike requests per second it
	// does not move with what else the machine runs.
	var server0 time.Duration
	if cfg.serverPID > 0 {
		var err error
		if server0, err = procCPU(cfg.serverPID); err != nil {
			return nil, err
		}
	}
	load0 := bench.CPU()
	res := drive(ctx, client, mk, cfg.conns, cfg.duration, cfg.max)
	res.Mode, res.URL, res.Conns = cfg.mode, target, cfg.conns
	if res.OK > 0 {
		res.LoadCPUus = float64((bench.CPU() - load0).Microseconds()) / float64(res.OK)
		if cfg.serverPID > 0 {
			server1, err := procCPU(cfg.serverPID)
			if err != nil {
				return nil, err
			}
			res.ServerCPUus = float64((server1 - server0).Microseconds()) / float64(res.OK)
		}
	}
	return res, nil
}

// drive sends with conns workers until d passes, max requests were sent or
// ctx is cancelled.
func drive(ctx context.Context, client *http.Client, mk requestFunc, conns int, d time.Duration, max int) *result {
	ctx, cancel := context.WithTimeout(ctx, d)
	defer cancel()
	var seq atomic.Uint64
	var mu sync.Mutex
	res := &result{Other: map[string]int{}}
	var lat []time.Duration
	start := time.Now()
	var wg sync.WaitGroup
	for range conns {
		wg.Go(func() {
			var mine []time.Duration
			var sent, errs int
			other := map[string]int{}
			var firstErr string
			for ctx.Err() == nil {
				n := seq.Add(1) - 1
				if n >= uint64(max) {
					break
				}
				req, err := mk(ctx, n)
				if err != nil {
					errs++
					firstErr = cmpOr(firstErr, err.Error())
					continue
				}
				t0 := time.Now()
				resp, err := client.Do(req)
				if err != nil {
					if ctx.Err() == nil {
						sent++
						errs++
						firstErr = cmpOr(firstErr, err.Error())
					}
					continue
				}
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				el := time.Since(t0)
				sent++
				if resp.StatusCode == http.StatusOK {
					mine = append(mine, el)
				} else {
					other[strconv.Itoa(resp.StatusCode)]++
				}
			}
			mu.Lock()
			defer mu.Unlock()
			lat = append(lat, mine...)
			res.Sent += sent
			res.Errors += errs
			for k, v := range other {
				res.Other[k] += v
			}
			if firstErr != "" && !res.firstErrSet {
				res.FirstError, res.firstErrSet = firstErr, true
			}
		})
	}
	wg.Wait()
	res.Seconds = time.Since(start).Seconds()
	res.OK = len(lat)
	if res.Seconds > 0 {
		res.PerSecond = float64(res.OK) / res.Seconds
	}
	slices.Sort(lat)
	res.P50ms = ms(percentile(lat, 50))
	res.P99ms = ms(percentile(lat, 99))
	if len(lat) > 0 {
		res.MaxMs = ms(lat[len(lat)-1])
	}
	return res
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// percentile returns the p-th percentile (nearest rank) of sorted values.
func percentile(sorted []time.Duration, p float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	rank := int(float64(len(sorted))*p/100+0.999999999) - 1
	return sorted[min(max(rank, 0), len(sorted)-1)]
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// slackCommand is the slash command that carries a command in Slack, as
// the shipped manifests name it: "/whois" for who, since Slack owns "/who".
func slackCommand(name string) string {
	if s, ok := slack.DefaultCommandNames()[name]; ok {
		return s
	}
	return "/" + name
}
