package bot

import (
	"context"
	"runtime/debug"
	"runtime/metrics"
	"time"
)

// HeapFloor keeps the collector from running before the heap reaches
// floor bytes while the live heap is smaller, until ctx ends: every
// period it sets GOGC so that the collector's goal (the live heap plus
// GOGC percent of it) is floor, between 100 (Go's default) and
// maxGCPercent. The memory limit (GOMEMLIMIT, the container's) still
// bounds the heap.
//
// Why: a small corpus leaves a live heap of 10-30 MB, and Go collects
// whenever the heap doubles: at a few thousand answers a second that is
// dozens of collections a second, a tenth of the CPU. Measured on the
// seeds over loopback, signed Slack /what: GOGC 200 served 8-15 % more a
// second than 100 for 25 MB more RSS. A large corpus (a live heap over
// half the floor) is collected as Go's default does, so the floor costs it
// nothing.
//
// It returns at once, doing nothing, when floor is 0 or the operator set
// GOGC (their setting wins).
func HeapFloor(ctx context.Context, floor int64, period time.Duration, getenv func(string) string) {
	if floor <= 0 || getenv("GOGC") != "" {
		return
	}
	sample := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
	t := time.NewTicker(period)
	defer t.Stop()
	set := 100
	for {
		metrics.Read(sample)
		if sample[0].Value.Kind() == metrics.KindUint64 {
			if p := floorPercent(int64(sample[0].Value.Uint64()), floor); p != set {
				debug.SetGCPercent(p)
				set = p
			}
		}
		select {
		case <-ctx.Done():
			if set != 100 {
				debug.SetGCPercent(100)
			}
			return
		case <-t.C:
		}
	}
}

// maxGCPercent bounds GOGC under the floor: with a live heap a tenth of
// the floor, the collector still runs before the heap is nine times it.
const maxGCPercent = 800

// floorPercent is the GOGC that puts the collector's goal at floor for a
// live heap of live bytes, rounded down to a multiple of 50 so that small
// changes of the live heap do not change it, and kept in [100,
// maxGCPercent].
func floorPercent(live, floor int64) int {
	if live <= 0 {
		return maxGCPercent
	}
	p := int((floor - live) * 100 / live)
	p -= p % 50
	return min(max(p, 100), maxGCPercent)
}
