package bot

import (
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/parley-bot/parley"
	"github.com/prometheus/client_golang/prometheus/testutil"
)

// Log flooding: 1,000 unsigned requests in a second make one line at once
// and one summary with the count, never a line each; every one is counted.
func TestRejectLogFlood(t *testing.T) {
	var logs lockedBuffer
	m := NewMetrics()
	r := NewRejectLog(m, slog.New(slog.NewJSONHandler(&logs, nil)))
	clk := &clock{now: time.Now()}
	r.now = clk.Now
	var due func()
	r.afterFunc = func(d time.Duration, f func()) *time.Timer {
		if d <= 0 || d > time.Second {
			t.Errorf("summary scheduled in %s, want within a second", d)
		}
		due = f
		return time.NewTimer(time.Hour)
	}
	for i := range 1000 {
		reason := parley.RejectBadSignature
		if i%10 == 0 {
			reason = parley.RejectTooLarge
		}
		r.Reject("slack", reason)
		clk.Add(time.Millisecond / 2)
	}
	if n := logs.lines("requests refused"); n != 1 {
		t.Fatalf("%d lines during the flood, want 1 (the first refusal)", n)
	}
	if due == nil {
		t.Fatal("no summary scheduled")
	}
	due() // a second after the first line
	if n := logs.lines("requests refused"); n != 2 {
		t.Fatalf("%d lines after the summary, want 2", n)
	}
	if !strings.Contains(logs.String(), `"count":999,"slack_bad_signature":900,"slack_too_large":99`) {
		t.Errorf("summary lacks the counts:\n%s", logs.String())
	}
	if got := testutil.ToFloat64(m.rejected.WithLabelValues("slack", parley.RejectBadSignature)); got != 900 {
		t.Errorf("bad_signature counted %v, want 900", got)
	}
	if got := testutil.ToFloat64(m.rejected.WithLabelValues("slack", parley.RejectTooLarge)); got != 100 {
		t.Errorf("too_large counted %v, want 100", got)
	}

	// After a quiet second, the next refusal is logged at once again.
	clk.Add(2 * time.Second)
	due = nil
	r.Reject("discord", parley.RejectStale)
	if n := logs.lines("requests refused"); n != 3 || due != nil {
		t.Errorf("%d lines, summary scheduled %v: want the refusal logged at once", n, due != nil)
	}
	// Refusals left at shutdown are logged by Flush.
	r.Reject("discord", parley.RejectStale)
	r.Flush(t.Context())
	if n := logs.lines("requests refused"); n != 4 {
		t.Errorf("%d lines after Flush, want 4", n)
	}
	r.Flush(t.Context())
	if n := logs.lines("requests refused"); n != 4 {
		t.Errorf("an empty Flush logged a line")
	}
}

func TestRejectedReasonLabel(t *testing.T) {
	m := NewMetrics()
	m.ObserveRejected("slack", "made up "+strings.Repeat("x", 100))
	if got := testutil.ToFloat64(m.rejected.WithLabelValues("slack", "other")); got != 1 {
		t.Errorf("unknown reason counted as %v under other", got)
	}
}
