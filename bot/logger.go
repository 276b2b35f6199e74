package bot

import (
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"
)

// LogOptions configure NewLogger. Every zero value is usable.
type LogOptions struct {
	// Format is "json", "text" or "" (text on a terminal, JSON otherwise,
	// so log collectors get JSON without being asked).
	Format string
	// Level is "debug", "info", "warn" or "error"; "" means info.
	Level string
}

// NewLogger returns the process's logger writing to w; main calls it once
// and passes the logger down.
func NewLogger(w io.Writer, opts LogOptions) (*slog.Logger, error) {
	var level slog.Level
	if opts.Level != "" {
		if err := level.UnmarshalText([]byte(opts.Level)); err != nil {
			return nil, fmt.Errorf("log level %q: want debug, info, warn or error", clip(opts.Level, 20))
		}
	}
	ho := &slog.HandlerOptions{Level: level}
	switch strings.ToLower(opts.Format) {
	case "json":
		return slog.New(slog.NewJSONHandler(w, ho)), nil
	case "text":
		return slog.New(slog.NewTextHandler(w, ho)), nil
	case "":
		if isTerminal(w) {
			return slog.New(slog.NewTextHandler(w, ho)), nil
		}
		return slog.New(slog.NewJSONHandler(w, ho)), nil
	}
	return nil, fmt.Errorf("log format %q: want json or text", clip(opts.Format, 20))
}

func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	info, err := f.Stat()
	return err == nil && info.Mode()&os.ModeCharDevice != 0
}
