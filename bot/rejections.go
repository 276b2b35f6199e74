package bot

import (
	"context"
	"log/slog"
	"sort"
	"sync"
	"time"

	"github.com/parley-bot/parley"
)

// RejectLog counts the requests front ends refuse (parley.Rejections) in
// parley_rejected_requests_total and logs them at most once per interval,
// with the counts since the last line: 1,000 unsigned requests make one
// line a second, not 1,000. The first refusal after a quiet interval is
// logged at once, so a misconfigured signing secret shows immediately.
type RejectLog struct {
	log   *slog.Logger
	m     *Metrics
	every time.Duration
	now   func() time.Time

	mu     sync.Mutex
	counts map[rejectKey]int
	last   time.Time
	timer  *time.Timer
	// afterFunc schedules the next summary; tests replace it.
	afterFunc func(time.Duration, func()) *time.Timer
}

type rejectKey struct{ platform, reason string }

var _ parley.Rejections = (*RejectLog)(nil)

// NewRejectLog returns a RejectLog logging at most once a second; m and log
// may be nil.
func NewRejectLog(m *Metrics, log *slog.Logger) *RejectLog {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &RejectLog{log: log.With("component", "rejections"), m: m, every: time.Second, now: time.Now,
		counts: map[rejectKey]int{}, afterFunc: time.AfterFunc}
}

// Reject implements parley.Rejections.
func (r *RejectLog) Reject(platform, reason string) {
	if r.m != nil {
		r.m.ObserveRejected(platform, reason)
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.counts[rejectKey{platform, reason}]++
	if r.timer != nil {
		return // a summary is due already
	}
	if wait := r.every - r.now().Sub(r.last); wait > 0 {
		r.timer = r.afterFunc(wait, r.flush)
		return
	}
	r.flushLocked()
}

// Flush logs what has not been logged yet; as an OnStop function it has the
// last refusals logged before the process exits.
func (r *RejectLog) Flush(context.Context) error {
	r.flush()
	return nil
}

func (r *RejectLog) flush() {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.timer != nil {
		r.timer.Stop()
		r.timer = nil
	}
	r.flushLocked()
}

func (r *RejectLog) flushLocked() {
	if len(r.counts) == 0 {
		return
	}
	keys := make([]rejectKey, 0, len(r.counts))
	total := 0
	for k, n := range r.counts {
		keys = append(keys, k)
		total += n
	}
	sort.Slice(keys, func(i, j int) bool {
		if keys[i].platform != keys[j].platform {
			return keys[i].platform < keys[j].platform
		}
		return keys[i].reason < keys[j].reason
	})
	attrs := []any{"count", total}
	for _, k := range keys {
		attrs = append(attrs, k.platform+"_"+k.reason, r.counts[k])
	}
	now := r.now()
	if !r.last.IsZero() {
		attrs = append(attrs, "since", r.last.UTC().Format(time.RFC3339))
	}
	r.log.Warn("requests refused", attrs...)
	clear(r.counts)
	r.last = now
}
