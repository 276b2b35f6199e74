package bot

import (
	"context"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/parley-bot/parley"
	"golang.org/x/time/rate"
)

// outcomeNote lets an inner decorator (the rate limiter) tell the
// instrumenting one why it answered as it did, without a field in
// parley.Answer that no front end should see.
type outcomeNote struct{ rateLimited bool }

type outcomeKey struct{}

func noteRateLimited(ctx context.Context) {
	if n, ok := ctx.Value(outcomeKey{}).(*outcomeNote); ok {
		n.rateLimited = true
	}
}

// Instrument wraps next with metrics and one log line per answer: platform,
// command, hit count, covered and duration. It never logs the user, the
// channel or the query: those belong to the query log, which hashes the
// user. A nil m or log skips that part. Put it outermost, so rate-limited
// answers are counted as such.
func Instrument(next parley.Answerer, m *Metrics, log *slog.Logger) parley.Answerer {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	log = log.With("component", "answers")
	return parley.AnswerFunc(func(ctx context.Context, req parley.Request) (*parley.Answer, error) {
		note := &outcomeNote{}
		start := time.Now()
		ans, err := next.Answer(context.WithValue(ctx, outcomeKey{}, note), req)
		d := time.Since(start)
		outcome := OutcomeNotCovered
		hits := 0
		switch {
		case err != nil || ans == nil:
			outcome = OutcomeError
		case note.rateLimited:
			outcome = OutcomeRateLimited
		case ans.Covered:
			outcome = OutcomeCovered
		}
		if ans != nil {
			hits = len(ans.Citations)
		}
		if m != nil {
			m.ObserveAnswer(req.Platform, req.Command, outcome, d)
		}
		attrs := []slog.Attr{
			slog.String("platform", req.Platform),
			slog.String("command", req.Command),
			slog.Int("hits", hits),
			slog.Bool("covered", outcome == OutcomeCovered),
			slog.String("outcome", outcome),
			slog.Duration("duration", d),
		}
		level := slog.LevelInfo
		if outcome == OutcomeError {
			level = slog.LevelWarn
			if err != nil {
				attrs = append(attrs, slog.String("err", err.Error()))
			}
		}
		log.LogAttrs(ctx, level, "answer", attrs...)
		if err == nil && ans == nil {
			err = fmt.Errorf("bot: answerer returned no answer for %s", req.Command)
		}
		return ans, err
	})
}

// RateLimitOptions configure RateLimit. Every zero value is usable.
type RateLimitOptions struct {
	// Every is the sustained interval between answers per user; 0 means
	// 3 seconds (20 a minute).
	Every time.Duration
	// Burst is how many answers a user gets at once; 0 means 6.
	Burst int
	// MaxUsers bounds the limiters kept; 0 means 100,000. Limiters idle long
	// enough to have refilled are dropped first (forgetting them changes
	// nothing); past the bound, arbitrary ones are, which at worst gives
	// their users a fresh burst.
	MaxUsers int
	// Now is the clock; nil means time.Now. Tests inject one.
	Now func() time.Time
}

// RateLimiter limits answers per platform and user. Requests without a user
// (the terminal) are never limited.
type RateLimiter struct {
	next parley.Answerer
	opts RateLimitOptions
	// idle is how long a limiter takes to refill from empty: after that it
	// is the same as a new one.
	idle time.Duration

	mu        sync.Mutex
	users     map[string]*userLimiter
	lastSweep time.Time
}

type userLimiter struct {
	lim  *rate.Limiter
	seen time.Time
}

// RateLimit wraps next with a per-user rate limit. Over the limit, the answer
// is a friendly "slow down" (Covered false, Lead saying when to try again),
// never silence and never an error.
func RateLimit(next parley.Answerer, opts RateLimitOptions) *RateLimiter {
	if opts.Every <= 0 {
		opts.Every = 3 * time.Second
	}
	if opts.Burst <= 0 {
		opts.Burst = 6
	}
	if opts.MaxUsers <= 0 {
		opts.MaxUsers = 100_000
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	return &RateLimiter{
		next:  next,
		opts:  opts,
		idle:  opts.Every * time.Duration(opts.Burst),
		users: make(map[string]*userLimiter),
	}
}

// Answer answers through next when the user is within the limit.
func (r *RateLimiter) Answer(ctx context.Context, req parley.Request) (*parley.Answer, error) {
	if req.User == "" {
		return r.next.Answer(ctx, req)
	}
	if wait := r.reserve(req.Platform + "\x00" + req.User); wait > 0 {
		noteRateLimited(ctx)
		return slowDown(req, wait), nil
	}
	return r.next.Answer(ctx, req)
}

// Users returns how many limiters are held (for tests and debugging).
func (r *RateLimiter) Users() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.users)
}

// reserve takes a token for key, or returns how long until one is free.
func (r *RateLimiter) reserve(key string) time.Duration {
	now := r.opts.Now()
	r.mu.Lock()
	defer r.mu.Unlock()
	u, ok := r.users[key]
	if !ok {
		r.makeRoom(now)
		u = &userLimiter{lim: rate.NewLimiter(rate.Every(r.opts.Every), r.opts.Burst)}
		r.users[key] = u
	}
	u.seen = now
	res := u.lim.ReserveN(now, 1)
	if d := res.DelayFrom(now); d > 0 {
		res.CancelAt(now)
		return d
	}
	return 0
}

// makeRoom sweeps refilled limiters at most once per idle period, or at
// once when the map is full; amortised, a request costs O(1).
func (r *RateLimiter) makeRoom(now time.Time) {
	full := len(r.users) >= r.opts.MaxUsers
	if !full && now.Sub(r.lastSweep) < r.idle {
		return
	}
	r.lastSweep = now
	for k, u := range r.users {
		if now.Sub(u.seen) >= r.idle {
			delete(r.users, k)
		}
	}
	// Still full: drop an eighth, arbitrarily, so the next sweeps are rare.
	if excess := len(r.users) - r.opts.MaxUsers + 1; excess > 0 {
		excess = max(excess, r.opts.MaxUsers/8)
		for k := range r.users {
			if excess == 0 {
				break
			}
			delete(r.users, k)
			excess--
		}
	}
}

func slowDown(req parley.Request, wait time.Duration) *parley.Answer {
	secs := int((wait + time.Second - 1) / time.Second)
	when := "in a second"
	if secs > 1 {
		when = fmt.Sprintf("in %d seconds", secs)
	}
	lead := fmt.Sprintf("Slow down a little: you have asked a lot in a short time. Please try again %s.", when)
	return &parley.Answer{
		Command:     req.Command,
		Query:       req.Query,
		Covered:     false,
		Lead:        lead,
		Text:        lead,
		Suggestions: []string{},
		People:      []parley.Person{},
		Citations:   []parley.Citation{},
		Private:     true,
	}
}
