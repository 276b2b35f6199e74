// Package workers runs functions on goroutines that stay for the next one.
//
// Why: an answer runs on a goroutine of its own, so that the platform's
// acknowledgement deadline can pass while it works (Slack's 3 seconds,
// Discord's interaction deadline). A new goroutine starts with a small
// stack, and an answer's calls (handlers, bleve) grow it several times:
// the copying was 4% of a signed Slack /what request's CPU on loopback. A
// goroutine kept for the next answer keeps its grown stack.
//
// Unlike a pool with a size (github.com/panjf2000/ants and the like), a
// function never waits for a goroutine: with none idle, it gets a new one.
// An idle goroutine ends after the idle time, so a burst leaves nothing
// behind for long.
package workers

import "time"

// DefaultIdle is how long the front ends keep an idle answering goroutine:
// long enough to serve a steady flow of requests, short enough that a
// burst's goroutines (a few tens of kilobytes of stack each) are soon gone.
const DefaultIdle = 30 * time.Second

// Workers runs functions on kept goroutines. The zero value runs each on a
// new goroutine, as the go statement does.
type Workers struct {
	idle time.Duration
	jobs chan func()
}

// New returns Workers whose goroutines wait idle for up to idle for the
// next function.
func New(idle time.Duration) *Workers {
	return &Workers{idle: idle, jobs: make(chan func())}
}

// Go runs f on an idle goroutine, or on a new one when none is idle.
func (w *Workers) Go(f func()) {
	select {
	case w.jobs <- f: // an idle goroutine takes it
	default:
		go w.work(f)
	}
}

func (w *Workers) work(f func()) {
	var t *time.Timer
	for {
		f()
		if w.jobs == nil {
			return
		}
		if t == nil {
			t = time.NewTimer(w.idle)
		} else {
			t.Reset(w.idle)
		}
		select {
		case f = <-w.jobs:
		case <-t.C:
			return
		}
	}
}
