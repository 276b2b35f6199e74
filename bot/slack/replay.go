package slack

import (
	"encoding/binary"
	"sync"
	"time"
)

// replayGuard remembers the signatures of signed requests for as long as
// their timestamp passes the ReplayWindow check, so that a replay inside
// the window is always refused. Signatures are kept in buckets by the
// request's own timestamp (a replay carries the same one: it is signed),
// 8 bytes each, and a bucket is dropped whole once its second is out of the
// window. Only requests with a valid signature get here, so only Slack's
// own traffic fills it; when full it refuses new requests rather than
// forget one that could then be replayed.
type replayGuard struct {
	mu      sync.Mutex
	window  int64 // seconds
	max     int
	n       int
	buckets map[int64]map[uint64]struct{}
	// oldest is the earliest second that may still hold signatures.
	oldest int64
}

func newReplayGuard(max int, window time.Duration) *replayGuard {
	return &replayGuard{window: int64(window / time.Second), max: max, buckets: map[int64]map[uint64]struct{}{}}
}

// Outcomes of replayGuard.add.
const (
	replayNew = iota
	replaySeen
	replayFull
)

// add remembers sig, signed at ts (unix seconds), and says whether it is
// new, seen before, or refused for want of room.
func (g *replayGuard) add(sig [32]byte, ts int64, now time.Time) int {
	// The HMAC is uniform to anyone without the secret: 64 of its bits
	// tell signatures apart (a chance collision among a few million is
	// about 1 in 10^12, and would refuse one request, never accept one).
	key := binary.LittleEndian.Uint64(sig[:8])
	g.mu.Lock()
	defer g.mu.Unlock()
	g.expire(now.Unix())
	b := g.buckets[ts]
	if _, ok := b[key]; ok {
		return replaySeen
	}
	if g.n >= g.max {
		return replayFull
	}
	if b == nil {
		b = map[uint64]struct{}{}
		g.buckets[ts] = b
	}
	b[key] = struct{}{}
	g.n++
	return replayNew
}

// expire drops the buckets of seconds that fail the timestamp check now.
func (g *replayGuard) expire(now int64) {
	limit := now - g.window // a timestamp before this is refused as stale
	if g.oldest == 0 || limit-g.oldest > 4*g.window {
		// First use, or the clock jumped: look at every bucket once.
		for s, b := range g.buckets {
			if s < limit {
				g.n -= len(b)
				delete(g.buckets, s)
			}
		}
		g.oldest = limit
		return
	}
	for ; g.oldest < limit; g.oldest++ {
		if b, ok := g.buckets[g.oldest]; ok {
			g.n -= len(b)
			delete(g.buckets, g.oldest)
		}
	}
}

// len reports how many signatures are remembered.
func (g *replayGuard) len() int {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.n
}
