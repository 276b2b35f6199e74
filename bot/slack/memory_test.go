package slack

import (
	"encoding/binary"
	"testing"
	"time"
)

func key(i int) [32]byte {
	var k [32]byte
	binary.LittleEndian.PutUint64(k[:], uint64(i))
	return k
}

func TestMemoryRefusesRepeatsWithinTTL(t *testing.T) {
	m := newMemory(10, time.Minute)
	if !m.add(key(1), testNow) {
		t.Fatal("first add refused")
	}
	if m.add(key(1), testNow.Add(59*time.Second)) {
		t.Error("repeat within ttl accepted")
	}
	if !m.add(key(1), testNow.Add(61*time.Second)) {
		t.Error("repeat after ttl refused")
	}
}

func TestMemoryBounded(t *testing.T) {
	const max = 100
	m := newMemory(max, time.Hour)
	now := testNow
	for i := range 10 * max {
		if !m.add(key(i), now) {
			t.Fatalf("new key %d refused", i)
		}
		if n := m.len(); n > max {
			t.Fatalf("%d keys remembered, max %d", n, max)
		}
	}
	// The newest are still remembered, the oldest were dropped.
	if m.add(key(10*max-1), now) {
		t.Error("recent key forgotten")
	}
	if !m.add(key(0), now) {
		t.Error("oldest key still remembered past the bound")
	}
}

func TestMemoryForgetsExpired(t *testing.T) {
	m := newMemory(1000, time.Minute)
	for i := range 500 {
		m.add(key(i), testNow.Add(time.Duration(i)*time.Millisecond))
	}
	// One add an hour later sweeps everything older than the ttl.
	m.add(key(-1), testNow.Add(time.Hour))
	if n := m.len(); n != 1 {
		t.Errorf("%d keys after expiry, want 1", n)
	}
}

func TestMemoryClockBackwards(t *testing.T) {
	m := newMemory(4, time.Minute)
	m.add(key(1), testNow)
	m.add(key(2), testNow.Add(-time.Hour))
	if m.add(key(1), testNow) {
		t.Error("key 1 forgotten")
	}
	for i := range 20 {
		m.add(key(100+i), testNow)
	}
	if n := m.len(); n > 4 {
		t.Errorf("%d keys, max 4", n)
	}
}
