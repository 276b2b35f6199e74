//go:build linux || darwin || freebsd

package bench

import (
	"time"

	"golang.org/x/sys/unix"
)

// CPU is the CPU time the process has used, all threads (the collector's
// included).
func CPU() time.Duration {
	var ts unix.Timespec
	if err := unix.ClockGettime(unix.CLOCK_PROCESS_CPUTIME_ID, &ts); err != nil {
		return 0
	}
	return time.Duration(ts.Nano())
}
