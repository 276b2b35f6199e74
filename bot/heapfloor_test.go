package bot

import (
	"context"
	"runtime/debug"
	"testing"
	"time"
)

func TestFloorPercent(t *testing.T) {
	const mb = 1 << 20
	for _, c := range []struct {
		live, floor int64
		want        int
	}{
		{16 * mb, 64 * mb, 300},  // goal 16 + 48 = 64
		{20 * mb, 64 * mb, 200},  // 220 rounded down: goal 60 MB
		{32 * mb, 64 * mb, 100},  // the default already reaches the floor
		{300 * mb, 64 * mb, 100}, // a large corpus: Go's default
		{1 * mb, 64 * mb, 800},   // bounded
		{0, 64 * mb, 800},
	} {
		if got := floorPercent(c.live, c.floor); got != c.want {
			t.Errorf("floorPercent(%d MB, %d MB) = %d, want %d", c.live/mb, c.floor/mb, got, c.want)
		}
	}
}

// HeapFloor raises GOGC for a small live heap while it runs and puts it
// back when its context ends; a GOGC the operator set, or a floor of 0,
// leaves the collector alone.
func TestHeapFloorSetsAndRestoresGOGC(t *testing.T) {
	defer debug.SetGCPercent(debug.SetGCPercent(100))
	noEnv := func(string) string { return "" }
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		HeapFloor(ctx, 1<<40, time.Millisecond, noEnv) // a floor no test heap reaches
	}()
	deadline := time.Now().Add(5 * time.Second)
	for gcPercent() != maxGCPercent && time.Now().Before(deadline) {
		time.Sleep(time.Millisecond)
	}
	if p := gcPercent(); p != maxGCPercent {
		t.Errorf("GOGC %d under the floor, want %d", p, maxGCPercent)
	}
	cancel()
	<-done
	if p := gcPercent(); p != 100 {
		t.Errorf("GOGC %d after the floor stopped, want 100", p)
	}

	for _, c := range []struct {
		name  string
		floor int64
		env   func(string) string
	}{
		{"GOGC set", 1 << 40, func(k string) string {
			if k == "GOGC" {
				return "50"
			}
			return ""
		}},
		{"no floor", 0, noEnv},
	} {
		ret := make(chan struct{})
		go func() {
			HeapFloor(context.Background(), c.floor, time.Millisecond, c.env) // returns at once
			close(ret)
		}()
		select {
		case <-ret:
		case <-time.After(5 * time.Second):
			t.Fatalf("%s: HeapFloor did not return", c.name)
		}
		if p := gcPercent(); p != 100 {
			t.Errorf("%s: GOGC %d, want it left at 100", c.name, p)
		}
	}
}

// gcPercent reads GOGC without changing it.
func gcPercent() int {
	p := debug.SetGCPercent(100)
	debug.SetGCPercent(p)
	return p
}
