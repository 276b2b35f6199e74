package bot

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// ParseRetention reads a retention or interval setting: a number of days
// ("90d", the natural unit for a query log) or a Go duration ("36h",
// "90m"); "0" or "" means none (keep everything).
func ParseRetention(s string) (time.Duration, error) {
	s = strings.TrimSpace(s)
	if s == "" || s == "0" {
		return 0, nil
	}
	if days, ok := strings.CutSuffix(s, "d"); ok {
		n, err := strconv.Atoi(days)
		if err != nil || n < 0 || n > 100*366 {
			return 0, fmt.Errorf("retention %q: want a number of days such as 90d", clip(s, 40))
		}
		return time.Duration(n) * 24 * time.Hour, nil
	}
	d, err := time.ParseDuration(s)
	if err != nil || d < 0 {
		return 0, fmt.Errorf("retention %q: want days (90d) or a duration (36h)", clip(s, 40))
	}
	return d, nil
}
