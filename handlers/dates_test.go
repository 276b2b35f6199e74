package handlers

import (
	"testing"
	"time"
)

// A month stated without a year is read against the article's date: ahead
// or behind as the clause's tense says, else the nearer one.
func TestYearOf(t *testing.T) {
	april := time.Date(2026, time.April, 15, 0, 0, 0, 0, time.UTC)
	january := time.Date(2026, time.January, 10, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		name  string
		ref   time.Time
		m     time.Month
		day   int
		tense int
		want  int
	}{
		{"next month, no tense", april, time.May, 12, 0, 2026},
		{"next month, past tense", april, time.May, 12, -1, 2025},
		{"last month, no tense", april, time.March, 3, 0, 2026},
		{"last month, future tense", april, time.March, 3, 1, 2027},
		{"December in January, no tense", january, time.December, 0, 0, 2025},
		{"December in January, future", january, time.December, 0, 1, 2026},
		{"this month", april, time.April, 0, 0, 2026},
		{"earlier this month, future", april, time.April, 2, 1, 2027},
		{"later this month, past", april, time.April, 28, -1, 2025},
		{"November in April, no tense: last November is nearer", april, time.November, 0, 0, 2025},
		{"October in April, no tense: next October is nearer", april, time.October, 0, 0, 2026},
		{"September in April, no tense", april, time.September, 0, 0, 2026},
	}
	for _, tc := range tests {
		if got := yearOf(tc.ref, tc.m, tc.day, tc.tense); got != tc.want {
			t.Errorf("%s: yearOf(%s, %s %d, tense %d) = %d, want %d", tc.name, tc.ref.Format(time.DateOnly), tc.m, tc.day, tc.tense, got, tc.want)
		}
	}
}
