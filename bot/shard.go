package bot

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// MaxShards bounds a shard id; Discord's largest bots run a few thousand.
const MaxShards = 1 << 16

// ShardFromPodName returns the Discord gateway shard id for a StatefulSet
// pod: the ordinal after the last "-" of its name ("parley-discord-3" is
// shard 3). A bare number ("3", as the apps.kubernetes.io/pod-index label
// gives) is accepted too, so PARLEY_DISCORD_SHARD_ID can hold either.
func ShardFromPodName(name string) (int, error) {
	name = strings.TrimSpace(name)
	if name == "" {
		return 0, errors.New("shard: empty pod name")
	}
	ord := name[strings.LastIndexByte(name, '-')+1:]
	if ord == "" {
		return 0, fmt.Errorf("shard: pod name %s does not end in an ordinal", quoteShort(name))
	}
	for _, c := range ord {
		if c < '0' || c > '9' {
			return 0, fmt.Errorf("shard: pod name %s does not end in an ordinal", quoteShort(name))
		}
	}
	n, err := strconv.Atoi(ord)
	if err != nil || n >= MaxShards {
		return 0, fmt.Errorf("shard: ordinal %s out of range (0 to %d)", quoteShort(ord), MaxShards-1)
	}
	return n, nil
}

// CheckShard checks a shard id against the shard count.
func CheckShard(id, count int) error {
	if count < 1 || count > MaxShards {
		return fmt.Errorf("shard: count %d out of range (1 to %d)", count, MaxShards)
	}
	if id < 0 || id >= count {
		return fmt.Errorf("shard: id %d out of range for %d shards (0 to %d)", id, count, count-1)
	}
	return nil
}

// quoteShort quotes s for an error message, cut so that a hostile value
// cannot flood the log.
func quoteShort(s string) string {
	q := strconv.Quote(s)
	if len(q) > 80 {
		q = clip(q, 76) + `"…`
	}
	return q
}
