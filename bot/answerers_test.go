package bot

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/parley-bot/parley"
	"github.com/prometheus/client_golang/prometheus/testutil"
)

// fakeClock is a clock tests move by hand.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func newFakeClock() *fakeClock {
	return &fakeClock{t: time.Date(2026, 1, 6, 12, 0, 0, 0, time.UTC)}
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// echo answers with as many citations as the query has words; "fail" fails.
var echo = parley.AnswerFunc(func(ctx context.Context, req parley.Request) (*parley.Answer, error) {
	if req.Query == "fail" {
		return nil, errors.New("index: exploded")
	}
	words := strings.Fields(req.Query)
	ans := &parley.Answer{Command: req.Command, Query: req.Query, Covered: len(words) > 0, Lead: "about " + req.Query}
	for i := range words {
		ans.Citations = append(ans.Citations, parley.Citation{N: i + 1, Text: words[i]})
	}
	return ans, nil
})

func TestInstrument(t *testing.T) {
	var logs bytes.Buffer
	m := NewMetrics()
	a := Instrument(echo, m, slog.New(slog.NewJSONHandler(&logs, nil)))
	const secretUser, secretQuery = "U0SECRETUSER", "xoxb-looks-like-a-token"
	reqs := []parley.Request{
		{Platform: "slack", Command: "who", Query: "france " + secretQuery, User: secretUser, Channel: "C1"},
		{Platform: "slack", Command: "who", Query: ""},
		{Platform: "discord", Command: "ask", Query: "fail"},
	}
	for _, r := range reqs {
		a.Answer(t.Context(), r)
	}
	if got := testutil.ToFloat64(m.answers.WithLabelValues("slack", "who", OutcomeCovered)); got != 1 {
		t.Errorf("covered = %v, want 1", got)
	}
	if got := testutil.ToFloat64(m.answers.WithLabelValues("slack", "who", OutcomeNotCovered)); got != 1 {
		t.Errorf("not covered = %v, want 1", got)
	}
	if got := testutil.ToFloat64(m.answers.WithLabelValues("discord", "ask", OutcomeError)); got != 1 {
		t.Errorf("error = %v, want 1", got)
	}
	if got := testutil.CollectAndCount(m.latency); got != 2 {
		t.Errorf("latency series = %d, want 2 (slack/who, discord/ask)", got)
	}
	lines := strings.Split(strings.TrimSpace(logs.String()), "\n")
	if len(lines) != len(reqs) {
		t.Fatalf("%d log lines, want one per answer:\n%s", len(lines), logs.String())
	}
	var first map[string]any
	if err := json.Unmarshal([]byte(lines[0]), &first); err != nil {
		t.Fatal(err)
	}
	for k, want := range map[string]any{"platform": "slack", "command": "who", "hits": 2.0, "covered": true} {
		if first[k] != want {
			t.Errorf("log %s = %v, want %v", k, first[k], want)
		}
	}
	if _, ok := first["duration"]; !ok {
		t.Error("log line without duration")
	}
	if s := logs.String(); strings.Contains(s, secretUser) || strings.Contains(s, secretQuery) || strings.Contains(s, "C1") {
		t.Errorf("log carries the user, channel or query:\n%s", s)
	}
}

func TestInstrumentNilAnswer(t *testing.T) {
	a := Instrument(parley.AnswerFunc(func(context.Context, parley.Request) (*parley.Answer, error) { return nil, nil }), nil, nil)
	if _, err := a.Answer(t.Context(), parley.Request{Command: "who"}); err == nil {
		t.Error("a nil answer without error should become an error")
	}
}

func TestRateLimit(t *testing.T) {
	clock := newFakeClock()
	m := NewMetrics()
	rl := RateLimit(echo, RateLimitOptions{Every: time.Second, Burst: 2, Now: clock.Now})
	a := Instrument(rl, m, nil)
	ask := func(platform, user string) *parley.Answer {
		t.Helper()
		ans, err := a.Answer(t.Context(), parley.Request{Platform: platform, User: user, Command: "who", Query: "france"})
		if err != nil || ans == nil {
			t.Fatalf("Answer = %v, %v; a rate limit must answer, never fail", ans, err)
		}
		return ans
	}
	limited := func(ans *parley.Answer) bool { return strings.HasPrefix(ans.Lead, "Slow down") }

	for i := range 2 {
		if limited(ask("slack", "U1")) {
			t.Fatalf("request %d within the burst was limited", i+1)
		}
	}
	ans := ask("slack", "U1")
	if !limited(ans) || ans.Covered || len(ans.Citations) != 0 || !strings.Contains(ans.Lead, "in a second") {
		t.Errorf("third request: %+v, want a slow-down answer saying when", ans)
	}
	if ans.Command != "who" || ans.Query != "france" || ans.Text == "" {
		t.Errorf("slow-down answer lost the request: %+v", ans)
	}
	if limited(ask("slack", "U2")) || limited(ask("discord", "U1")) {
		t.Error("another user (or the same id on another platform) was limited")
	}
	for range 5 {
		if limited(ask("", "")) {
			t.Error("the terminal (no user) was limited")
		}
	}
	clock.Add(time.Second)
	if limited(ask("slack", "U1")) {
		t.Error("still limited after the interval")
	}
	if got := testutil.ToFloat64(m.answers.WithLabelValues("slack", "who", OutcomeRateLimited)); got != 1 {
		t.Errorf("rate_limited = %v, want 1", got)
	}
}

func TestSlowDownWording(t *testing.T) {
	tests := []struct {
		wait time.Duration
		want string
	}{
		{time.Millisecond, "in a second"},
		{time.Second, "in a second"},
		{1500 * time.Millisecond, "in 2 seconds"},
		{42 * time.Second, "in 42 seconds"},
	}
	for _, tc := range tests {
		if got := slowDown(parley.Request{}, tc.wait).Lead; !strings.Contains(got, tc.want) {
			t.Errorf("slowDown(%v) = %q, want %q", tc.wait, got, tc.want)
		}
	}
}

func TestRateLimitBoundedMemory(t *testing.T) {
	clock := newFakeClock()
	rl := RateLimit(echo, RateLimitOptions{Every: time.Second, Burst: 3, MaxUsers: 64, Now: clock.Now})
	for i := range 10_000 {
		rl.Answer(t.Context(), parley.Request{Platform: "slack", User: fmt.Sprint("U", i)})
		if n := rl.Users(); n > 64 {
			t.Fatalf("after %d users: %d limiters held, bound is 64", i+1, n)
		}
	}
	// Idle limiters go once they would have refilled (3 × 1s).
	clock.Add(3 * time.Second)
	rl.Answer(t.Context(), parley.Request{Platform: "slack", User: "fresh"})
	if n := rl.Users(); n != 1 {
		t.Errorf("after the idle period: %d limiters, want 1", n)
	}
}

func TestRateLimitEvictionKeepsActiveUsers(t *testing.T) {
	clock := newFakeClock()
	rl := RateLimit(echo, RateLimitOptions{Every: time.Second, Burst: 1, Now: clock.Now})
	rl.Answer(t.Context(), parley.Request{Platform: "slack", User: "busy"})
	// A sweep before the limiter refilled must keep it: otherwise evicting
	// would hand the user a fresh burst.
	clock.Add(500 * time.Millisecond)
	rl.lastSweep = time.Time{}
	rl.Answer(t.Context(), parley.Request{Platform: "slack", User: "other"})
	ans, _ := rl.Answer(t.Context(), parley.Request{Platform: "slack", User: "busy"})
	if !strings.HasPrefix(ans.Lead, "Slow down") {
		t.Errorf("busy user's limiter was evicted: %q", ans.Lead)
	}
}

func BenchmarkRateLimitedAnswer(b *testing.B) {
	rl := RateLimit(echo, RateLimitOptions{Every: time.Nanosecond, Burst: 1 << 20})
	a := Instrument(rl, NewMetrics(), nil)
	req := parley.Request{Platform: "slack", User: "U1", Command: "who", Query: "france"}
	b.ReportAllocs()
	for b.Loop() {
		a.Answer(context.Background(), req)
	}
}
