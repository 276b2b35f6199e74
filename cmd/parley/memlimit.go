package main

import (
	"io/fs"
	"math"
	"runtime/debug"
	"strconv"
	"strings"
)

// containerMemoryLimit reads the memory limit of the container (the cgroup)
// the process runs in: cgroup v2's memory.max, else v1's
// memory.limit_in_bytes, for the process's own cgroup (as /proc/self/cgroup
// names it) and then at the root of the hierarchy, which is the container's
// own in a cgroup namespace. ok is false when there is none or it cannot be
// read. root is the file system at "/".
func containerMemoryLimit(root fs.FS) (limit int64, ok bool) {
	var paths []string
	if b, err := fs.ReadFile(root, "proc/self/cgroup"); err == nil {
		for _, line := range strings.Split(string(b), "\n") {
			// v2: "0::/path"; v1: "4:memory:/path"
			parts := strings.SplitN(line, ":", 3)
			if len(parts) != 3 {
				continue
			}
			p := strings.Trim(parts[2], "/")
			switch {
			case p == "":
			case parts[0] == "0" && parts[1] == "":
				paths = append(paths, "sys/fs/cgroup/"+p+"/memory.max")
			case parts[1] == "memory":
				paths = append(paths, "sys/fs/cgroup/memory/"+p+"/memory.limit_in_bytes")
			}
		}
	}
	paths = append(paths, "sys/fs/cgroup/memory.max", "sys/fs/cgroup/memory/memory.limit_in_bytes")
	for _, p := range paths {
		b, err := fs.ReadFile(root, p)
		if err != nil {
			continue
		}
		v := strings.TrimSpace(string(b))
		if v == "max" {
			return 0, false
		}
		n, err := strconv.ParseInt(v, 10, 64)
		// cgroup v1 says "no limit" with a number near the largest int64.
		if err != nil || n <= 0 || n > math.MaxInt64/2 {
			return 0, false
		}
		return n, true
	}
	return 0, false
}

// goMemoryLimit is the soft limit for the Go runtime inside a container
// limited to limit bytes: less the room needed for what the collector does
// not manage (the bleve index's files mapped into memory, goroutine
// stacks), a tenth of the limit and at least 64 MiB.
func goMemoryLimit(limit int64) int64 {
	room := max(limit/10, 64<<20)
	return max(limit-room, limit/2)
}

// limitMemory sets the Go runtime's soft memory limit from the container's
// when GOMEMLIMIT does not set one: near the limit the collector works
// harder instead of the kernel killing the process. It returns the limit
// set, 0 for none.
func limitMemory(getenv func(string) string, root fs.FS) int64 {
	if getenv("GOMEMLIMIT") != "" {
		return 0 // the runtime read it at start
	}
	limit, ok := containerMemoryLimit(root)
	if !ok {
		return 0
	}
	n := goMemoryLimit(limit)
	debug.SetMemoryLimit(n)
	return n
}
