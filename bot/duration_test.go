package bot

import (
	"testing"
	"time"
)

func TestParseRetention(t *testing.T) {
	tests := []struct {
		in   string
		want time.Duration
		ok   bool
	}{
		{"", 0, true}, {"0", 0, true}, {"90d", 90 * 24 * time.Hour, true}, {" 7d ", 7 * 24 * time.Hour, true},
		{"36h", 36 * time.Hour, true}, {"1h30m", 90 * time.Minute, true},
		{"d", 0, false}, {"-1d", 0, false}, {"-1h", 0, false}, {"1.5d", 0, false}, {"90 days", 0, false},
		{"99999999999d", 0, false}, {"90", 0, false},
	}
	for _, tc := range tests {
		got, err := ParseRetention(tc.in)
		if (err == nil) != tc.ok || got != tc.want {
			t.Errorf("ParseRetention(%q) = %v, %v; want %v, ok %v", tc.in, got, err, tc.want, tc.ok)
		}
	}
}
