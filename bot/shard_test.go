package bot

import (
	"strconv"
	"strings"
	"testing"
)

func TestShardFromPodName(t *testing.T) {
	tests := []struct {
		in      string
		want    int
		wantErr string
	}{
		{"parley-discord-3", 3, ""},
		{"parley-discord-0", 0, ""},
		{"parley-12", 12, ""},
		{"3", 3, ""},
		{" parley-discord-7\n", 7, ""},
		{"web-7f9c-65536", 0, "out of range"},
		{"parley-discord-65535", 65535, ""},
		{"parley-discord-007", 7, ""},
		{"parley-discord-", 0, "does not end in an ordinal"},
		{"parley-discord", 0, "does not end in an ordinal"},
		{"parley-discord-x3", 0, "does not end in an ordinal"},
		{"parley-discord--3", 3, ""},
		{"parley-discord-+3", 0, "does not end in an ordinal"},
		{"parley-discord-٣", 0, "does not end in an ordinal"},
		{"", 0, "empty"},
		{"parley-discord-99999999999999999999999", 0, "out of range"},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			got, err := ShardFromPodName(tc.in)
			if tc.wantErr == "" {
				if err != nil || got != tc.want {
					t.Errorf("ShardFromPodName(%q) = %d, %v; want %d", tc.in, got, err, tc.want)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Errorf("ShardFromPodName(%q) = %d, %v; want error %q", tc.in, got, err, tc.wantErr)
			}
		})
	}
}

func TestCheckShard(t *testing.T) {
	tests := []struct {
		id, count int
		ok        bool
	}{
		{0, 1, true}, {3, 4, true}, {4, 4, false}, {-1, 4, false}, {0, 0, false}, {0, MaxShards + 1, false},
	}
	for _, tc := range tests {
		if err := CheckShard(tc.id, tc.count); (err == nil) != tc.ok {
			t.Errorf("CheckShard(%d, %d) = %v, want ok %v", tc.id, tc.count, err, tc.ok)
		}
	}
}

func FuzzShardFromPodName(f *testing.F) {
	for _, s := range []string{"parley-discord-3", "3", "", "-", "a-b-c-007", "\xff-1"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, name string) {
		n, err := ShardFromPodName(name)
		if err != nil {
			if len(err.Error()) > 200 {
				t.Errorf("error too long (%d bytes) for a pod name of %d", len(err.Error()), len(name))
			}
			return
		}
		if n < 0 || n >= MaxShards {
			t.Fatalf("ShardFromPodName(%q) = %d, out of range", name, n)
		}
		// The ordinal really is the end of the name.
		if !strings.HasSuffix(strings.TrimSpace(name), strconv.Itoa(n)) {
			t.Errorf("ShardFromPodName(%q) = %d, not its suffix", name, n)
		}
	})
}
