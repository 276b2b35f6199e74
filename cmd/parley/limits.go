package main

import (
	"errors"
	"fmt"
	"math"
	"runtime/debug"
	"runtime/metrics"
	"strconv"
	"strings"

	"github.com/parley-bot/parley/index"
)

// byteSize is a flag holding a size in bytes: "2097152", "2MiB", "512Ki",
// "1GB" (KiB, MiB, GiB and Ki, Mi, Gi are powers of 1024, as Kubernetes
// writes them; kB, MB, GB and k, K, M, G powers of 1000).
type byteSize int64

func (b *byteSize) String() string { return index.Bytes(int64(*b)) }

func (b *byteSize) Set(s string) error {
	n, err := parseBytes(s)
	if err != nil {
		return err
	}
	*b = byteSize(n)
	return nil
}

func parseBytes(s string) (int64, error) {
	t := strings.TrimSpace(s)
	i := strings.IndexFunc(t, func(r rune) bool { return (r < '0' || r > '9') && r != '.' })
	num, unit := t, ""
	if i >= 0 {
		num, unit = t[:i], strings.TrimSpace(t[i:])
	}
	mult, ok := map[string]float64{
		"": 1, "B": 1,
		"k": 1e3, "K": 1e3, "kB": 1e3, "KB": 1e3, "M": 1e6, "MB": 1e6, "G": 1e9, "GB": 1e9,
		"Ki": 1 << 10, "KiB": 1 << 10, "Mi": 1 << 20, "MiB": 1 << 20, "Gi": 1 << 30, "GiB": 1 << 30,
	}[unit]
	f, err := strconv.ParseFloat(num, 64)
	if !ok || err != nil || f < 0 || f*mult > math.MaxInt64/2 {
		return 0, fmt.Errorf("want a size such as 2MiB, 512Ki or 1048576, got %q", s)
	}
	return int64(f * mult), nil
}

// memorySetting is --max-index-memory: "auto" (the process's memory limit),
// "0" (no check) or a size.
type memorySetting struct {
	auto bool
	n    int64
}

func (m *memorySetting) String() string {
	if m.auto {
		return "auto"
	}
	return index.Bytes(m.n)
}

func (m *memorySetting) Set(s string) error {
	if strings.TrimSpace(s) == "auto" {
		*m = memorySetting{auto: true}
		return nil
	}
	n, err := parseBytes(s)
	if err != nil {
		return errors.New("want auto, 0 (no check) or a size such as 400MiB")
	}
	*m = memorySetting{n: n}
	return nil
}

// limits are the index.Limits of a load now: the caps, and the memory
// limit with what this process holds already (the index serving, which
// stays until the new one replaces it).
func (c *common) limits(memoryLimit int64) index.Limits {
	lim := index.Limits{MaxFile: int64(c.maxFile), MaxTotal: int64(c.maxTotal), Memory: c.maxMemory.n}
	if c.maxMemory.auto {
		lim.Memory = memoryLimit
	}
	if lim.Memory > 0 {
		lim.InUse = liveHeap()
	}
	return lim
}

// liveHeap is the heap the last collection found live, or before the
// first collection the heap allocated so far.
func liveHeap() int64 {
	s := []metrics.Sample{{Name: "/gc/heap/live:bytes"}, {Name: "/memory/classes/heap/objects:bytes"}}
	metrics.Read(s)
	for _, v := range s {
		if v.Value.Kind() == metrics.KindUint64 && v.Value.Uint64() > 0 {
			return int64(v.Value.Uint64())
		}
	}
	return 0
}

// goMemLimit is the soft memory limit the runtime works to (GOMEMLIMIT, or
// what main set from the container's limit); 0 when there is none.
func goMemLimit() int64 {
	if n := debug.SetMemoryLimit(-1); n != math.MaxInt64 {
		return n
	}
	return 0
}

// explain adds the setting to change to an error about a limit.
func explain(err error) error {
	var le *index.LimitError
	if !errors.As(err, &le) {
		return err
	}
	switch le.Kind {
	case "file":
		return fmt.Errorf("%w (setting: --max-article-size, PARLEY_MAX_ARTICLE_SIZE)", err)
	case "total":
		return fmt.Errorf("%w (setting: --max-articles-size, PARLEY_MAX_ARTICLES_SIZE)", err)
	}
	return fmt.Errorf("%w (the limit: --max-index-memory, PARLEY_MAX_INDEX_MEMORY; default: the container's memory limit)", err)
}
