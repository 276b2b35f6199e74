// Command parley answers questions about a news story from the articles that
// reported it, in a terminal, in Slack and in Discord.
package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"github.com/KimMachineGun/automemlimit/memlimit"
)

func main() {
	// Signal handlers come first: until they are installed a signal takes
	// its default action, and SIGHUP's is to kill the process (a SIGHUP
	// during start-up used to end it with status 129 and no word). A
	// SIGHUP ignored from the start (nohup) stays ignored.
	sigs := make(chan os.Signal, 4)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
	if !signal.Ignored(syscall.SIGHUP) {
		signal.Notify(sigs, syscall.SIGHUP)
	}
	ctx, cancel := context.WithCancel(context.Background())
	// One SIGHUP waits here while nobody handles it yet (start-up); more
	// before then are the same request.
	hup := make(chan struct{}, 1)
	go func() {
		for s := range sigs {
			if s == syscall.SIGHUP {
				select {
				case hup <- struct{}{}:
				default:
				}
				continue
			}
			cancel()
		}
	}()
	// Work to the container's memory limit (90% of it, GOMEMLIMIT when set
	// wins): the collector then runs harder near the limit instead of the
	// process being killed, and the memory estimate of a build has a limit
	// to compare with.
	limit, _ := memlimit.Set(memlimit.WithProvider(memlimit.ApplyFallback(memlimit.FromCgroup, memlimit.FromSystem)))
	m := &Main{Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr, Getenv: os.Getenv, Hangups: hup, MemoryLimit: limit}
	code := run(ctx, m, os.Args[1:])
	cancel()
	os.Exit(code)
}

// Exit statuses.
const (
	exitOK    = 0
	exitFail  = 1
	exitUsage = 2
)

// usageError is a mistake in how parley itself was called (exit status 2).
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

func run(ctx context.Context, m *Main, args []string) int {
	err := m.Run(ctx, args)
	var ue *usageError
	switch {
	case err == nil:
		return exitOK
	case errors.As(err, &ue):
		fmt.Fprintf(m.Stderr, "parley: %v\n", err)
		return exitUsage
	default:
		fmt.Fprintf(m.Stderr, "parley: %v\n", err)
		return exitFail
	}
}
