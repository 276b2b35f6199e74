package slack

import (
	"sync"
	"time"
)

// memory remembers keys (event ids, to drop Slack's retries) for ttl, at most max
// of them: hours of load cannot grow it. Keys are remembered in arrival
// order, so the oldest is both the first to expire and the one dropped when
// full. It lives in one process: replicas do not share it.
type memory struct {
	mu   sync.Mutex
	ttl  time.Duration
	seen map[[32]byte]int64 // key -> expiry, unix nanoseconds
	ring []memEntry         // FIFO of keys, oldest at head
	head int
	n    int
	max  int
}

type memEntry struct {
	key [32]byte
	exp int64
}

func newMemory(max int, ttl time.Duration) *memory {
	return &memory{
		ttl:  ttl,
		seen: make(map[[32]byte]int64, min(max, 4096)),
		ring: make([]memEntry, min(max, 1024)),
		max:  max,
	}
}

// add remembers key and reports whether it was new (not seen within ttl).
func (m *memory) add(key [32]byte, now time.Time) bool {
	t := now.UnixNano()
	m.mu.Lock()
	defer m.mu.Unlock()
	// Forget what has expired, oldest first.
	for m.n > 0 && m.ring[m.head].exp <= t {
		m.drop()
	}
	if exp, ok := m.seen[key]; ok && exp > t {
		return false
	}
	if m.n == len(m.ring) {
		if len(m.ring) < m.max {
			m.grow()
		} else {
			m.drop()
		}
	}
	exp := t + int64(m.ttl)
	m.ring[(m.head+m.n)%len(m.ring)] = memEntry{key: key, exp: exp}
	m.n++
	m.seen[key] = exp
	return true
}

// grow doubles the ring (up to max), oldest entry first.
func (m *memory) grow() {
	ring := make([]memEntry, min(2*len(m.ring), m.max))
	for i := range m.n {
		ring[i] = m.ring[(m.head+i)%len(m.ring)]
	}
	m.ring, m.head = ring, 0
}

// drop forgets the oldest entry; the map keeps a key re-added since.
func (m *memory) drop() {
	e := m.ring[m.head]
	if exp, ok := m.seen[e.key]; ok && exp == e.exp {
		delete(m.seen, e.key)
	}
	m.head = (m.head + 1) % len(m.ring)
	m.n--
}

// len reports how many keys are remembered.
func (m *memory) len() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return len(m.seen)
}
