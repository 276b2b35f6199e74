package main

import (
	"runtime/debug"
	"testing"
	"testing/fstest"
)

func TestContainerMemoryLimit(t *testing.T) {
	file := func(s string) *fstest.MapFile { return &fstest.MapFile{Data: []byte(s)} }
	tests := []struct {
		name string
		fs   fstest.MapFS
		want int64
		ok   bool
	}{
		{"cgroup v2 namespace root", fstest.MapFS{"proc/self/cgroup": file("0::/\n"), "sys/fs/cgroup/memory.max": file("536870912\n")}, 536870912, true},
		{"cgroup v2 nested", fstest.MapFS{"proc/self/cgroup": file("0::/kubepods/pod1/c1\n"),
			"sys/fs/cgroup/kubepods/pod1/c1/memory.max": file("1073741824\n"), "sys/fs/cgroup/memory.max": file("max\n")}, 1 << 30, true},
		{"cgroup v2 unlimited", fstest.MapFS{"proc/self/cgroup": file("0::/\n"), "sys/fs/cgroup/memory.max": file("max\n")}, 0, false},
		{"cgroup v1", fstest.MapFS{"proc/self/cgroup": file("4:memory:/docker/abc\n"), "sys/fs/cgroup/memory/memory.limit_in_bytes": file("268435456\n")}, 268435456, true},
		{"cgroup v1 nested", fstest.MapFS{"proc/self/cgroup": file("9:pids:/\n4:memory:/process_api/c1\n0::/\n"),
			"sys/fs/cgroup/memory/process_api/c1/memory.limit_in_bytes": file("536870912\n"),
			"sys/fs/cgroup/memory/memory.limit_in_bytes":                file("9223372036854771712\n")}, 536870912, true},
		{"cgroup v1 unlimited", fstest.MapFS{"sys/fs/cgroup/memory/memory.limit_in_bytes": file("9223372036854771712\n")}, 0, false},
		{"garbage", fstest.MapFS{"sys/fs/cgroup/memory.max": file("lots\n")}, 0, false},
		{"no cgroup files", fstest.MapFS{}, 0, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, ok := containerMemoryLimit(tc.fs)
			if got != tc.want || ok != tc.ok {
				t.Errorf("containerMemoryLimit = %d, %v; want %d, %v", got, ok, tc.want, tc.ok)
			}
		})
	}
}

func TestGoMemoryLimit(t *testing.T) {
	tests := []struct{ limit, want int64 }{
		{500 << 20, 500<<20 - 64<<20}, // at least 64 MiB of room
		{4 << 30, 4<<30 - (4<<30)/10}, // a tenth of a large limit
		{100 << 20, 50 << 20},         // never below half
	}
	for _, tc := range tests {
		if got := goMemoryLimit(tc.limit); got != tc.want {
			t.Errorf("goMemoryLimit(%d) = %d, want %d", tc.limit, got, tc.want)
		}
	}
}

func TestLimitMemoryLeavesGOMEMLIMIT(t *testing.T) {
	fs := fstest.MapFS{"sys/fs/cgroup/memory.max": &fstest.MapFile{Data: []byte("536870912")}}
	if got := limitMemory(func(k string) string {
		if k == "GOMEMLIMIT" {
			return "300MiB"
		}
		return ""
	}, fs); got != 0 {
		t.Errorf("set a limit of %d over GOMEMLIMIT", got)
	}
}

func TestLimitMemorySetsTheRuntimeLimit(t *testing.T) {
	prev := debug.SetMemoryLimit(-1)
	t.Cleanup(func() { debug.SetMemoryLimit(prev) })
	fs := fstest.MapFS{"sys/fs/cgroup/memory.max": &fstest.MapFile{Data: []byte("1073741824")}}
	got := limitMemory(func(string) string { return "" }, fs)
	if want := goMemoryLimit(1 << 30); got != want || debug.SetMemoryLimit(-1) != want {
		t.Errorf("limit %d, runtime %d; want %d", got, debug.SetMemoryLimit(-1), want)
	}
}
