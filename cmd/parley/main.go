// Command parley answers questions about a news story from the articles that
// reported it, in a terminal, in Slack and in Discord.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr, os.Getenv)
	stop()
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

func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer, getenv func(string) string) int {
	m := &Main{Stdin: stdin, Stdout: stdout, Stderr: stderr, Getenv: getenv}
	err := m.Run(ctx, args)
	var ue *usageError
	switch {
	case err == nil:
		return exitOK
	case errors.As(err, &ue):
		fmt.Fprintf(stderr, "parley: %v\n", err)
		return exitUsage
	default:
		fmt.Fprintf(stderr, "parley: %v\n", err)
		return exitFail
	}
}
