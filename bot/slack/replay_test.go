package slack

import (
	"crypto/sha256"
	"encoding/binary"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strconv"
	"testing"
	"time"
)

func sigOf(i int) [32]byte {
	var b [8]byte
	binary.LittleEndian.PutUint64(b[:], uint64(i))
	return sha256.Sum256(b[:])
}

// A replay inside the window is refused however many requests came between
// (the flood used to push it out of a memory of 100,000); when full, the
// memory refuses new requests rather than forget.
func TestReplayGuardNeverForgetsInsideTheWindow(t *testing.T) {
	now := time.Unix(1_767_700_000, 0)
	g := newReplayGuard(1000, ReplayWindow)
	first, firstTS := sigOf(0), now.Unix()
	if got := g.add(first, firstTS, now); got != replayNew {
		t.Fatalf("first request: %d", got)
	}
	for i := 1; i < 1000; i++ {
		now = now.Add(100 * time.Millisecond) // 100 s in all: inside the window
		if got := g.add(sigOf(i), now.Unix(), now); got != replayNew {
			t.Fatalf("request %d: %d", i, got)
		}
	}
	if got := g.add(first, firstTS, now); got != replaySeen {
		t.Errorf("replay after 999 others: %d, want seen", got)
	}
	if got := g.add(sigOf(5000), now.Unix(), now); got != replayFull {
		t.Errorf("new request with the memory full: %d, want full", got)
	}

	// Once the first requests' timestamps are out of the window, Slack's
	// own check refuses their replays, and their room is free again.
	now = now.Add(ReplayWindow - 90*time.Second)
	if got := g.add(sigOf(5000), now.Unix(), now); got != replayNew {
		t.Errorf("new request after the oldest expired: %d, want new", got)
	}
	if n := g.len(); n >= 1000 || n < 800 {
		t.Errorf("%d remembered, want the ones still inside the window", n)
	}
	// A clock jump forward empties it.
	now = now.Add(24 * time.Hour)
	g.add(sigOf(6000), now.Unix(), now)
	if n := g.len(); n != 1 {
		t.Errorf("%d remembered after a day, want 1", n)
	}
}

// Through the adapter: a full replay memory answers 503 and says why.
func TestReplayMemoryFullRefuses(t *testing.T) {
	rec := &rejections{}
	f := newFake(t)
	mux := serve(newAdapter(t, f, func(o *Options) { o.ReplayMemory = 2; o.Rejections = rec }))
	for i, want := range []int{http.StatusOK, http.StatusOK, http.StatusServiceUnavailable} {
		body := commandBody("/who", "france "+strconv.Itoa(i), "https://hooks.slack.com/commands/T0/1/x")
		w := httptest.NewRecorder()
		mux.ServeHTTP(w, signedRequest("/slack/commands", body, testNow))
		if w.Code != want {
			t.Errorf("request %d: %d, want %d", i, w.Code, want)
		}
	}
	if len(rec.got) != 1 || rec.got[0] != "slack/replay_memory_full" {
		t.Errorf("rejections %v", rec.got)
	}
	if n := len(f.requests()); n != 2 {
		t.Errorf("answered %d, want 2", n)
	}
}

// BenchmarkReplayGuardMemory reports the memory per remembered signature at
// a steady 10,000 requests a second (docs: the default's size when full).
func BenchmarkReplayGuardMemory(b *testing.B) {
	const perSecond, seconds = 10_000, 60
	for b.Loop() {
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		g := newReplayGuard(perSecond*seconds, ReplayWindow)
		now := time.Unix(1_767_700_000, 0)
		for i := range perSecond * seconds {
			if i%perSecond == 0 {
				now = now.Add(time.Second)
			}
			g.add(sigOf(i), now.Unix(), now)
		}
		runtime.GC()
		runtime.ReadMemStats(&after)
		b.ReportMetric(float64(after.HeapInuse-before.HeapInuse)/float64(g.len()), "bytes/signature")
		runtime.KeepAlive(g)
	}
}
