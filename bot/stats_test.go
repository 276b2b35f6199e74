package bot

import (
	"strings"
	"testing"
)

// One vote per person per answer: pressing 👍 three times, or changing
// one's mind, counts once, with the last vote.
func TestStatsOneVotePerPerson(t *testing.T) {
	log := strings.Join([]string{
		`{"time":"2026-01-06T09:00:00Z","platform":"slack","user":"a","command":"who","query":"france","hits":4,"covered":true}`,
		`{"time":"2026-01-06T09:01:00Z","platform":"slack","user":"a","command":"who","query":"france","feedback":"up"}`,
		`{"time":"2026-01-06T09:02:00Z","platform":"slack","user":"a","command":"who","query":"France","feedback":"up"}`,
		`{"time":"2026-01-06T09:03:00Z","platform":"slack","user":"a","command":"who","query":"france","feedback":"down"}`,
		`{"time":"2026-01-06T09:04:00Z","platform":"slack","user":"b","command":"who","query":"france","feedback":"up"}`,
		`{"time":"2026-01-06T09:05:00Z","platform":"slack","user":"b","command":"what","query":"hubs","feedback":"up"}`,
		// Without a user id votes cannot be told apart: each counts.
		`{"time":"2026-01-06T09:06:00Z","platform":"cli","command":"who","query":"france","feedback":"up"}`,
		`{"time":"2026-01-06T09:07:00Z","platform":"cli","command":"who","query":"france","feedback":"up"}`,
	}, "\n")
	rep, err := ReadStats(strings.NewReader(log), StatsOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Feedback != 5 {
		t.Errorf("feedback %d, want 5 (a's last, b's two, two anonymous)", rep.Feedback)
	}
	for _, q := range rep.Rated {
		switch q.Question {
		case "/who france":
			if q.Up != 3 || q.Down != 1 {
				t.Errorf("/who france: %d up, %d down; want 3 up (b and two anonymous) and 1 down (a's last)", q.Up, q.Down)
			}
		case "/what hubs":
			if q.Up != 1 || q.Down != 0 {
				t.Errorf("/what hubs: %+v", q)
			}
		}
	}
}
