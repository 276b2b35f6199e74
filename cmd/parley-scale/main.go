// Command parley-scale measures Parley on a corpus: index build time,
// memory, and answer latency (p50/p99) over a mix of commands, in memory or
// on disk. docs/scaling.md shows the commands and the figures.
//
//	parley-synth -n 10000 -out /tmp/c10k
//	parley-scale -seeds /tmp/c10k                      # in memory
//	parley-scale -seeds /tmp/c10k -disk /tmp/c10k.idx  # build on disk, then open read-only
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"runtime"
	"runtime/debug"
	"runtime/pprof"
	"slices"
	"strings"
	"time"

	"github.com/parley-bot/parley"
	"github.com/parley-bot/parley/handlers"
	"github.com/parley-bot/parley/index"
)

func main() {
	seeds := flag.String("seeds", "", "folder of articles")
	disk := flag.String("disk", "", "build an on-disk index here (if absent) and measure answers from it opened read-only")
	n := flag.Int("queries", 2000, "answers to time")
	profile := flag.String("cpuprofile", "", "write a CPU profile to `FILE`")
	flag.Parse()
	if *profile != "" {
		f, err := os.Create(*profile)
		if err == nil {
			pprof.StartCPUProfile(f)
			defer pprof.StopCPUProfile()
		}
	}
	if *seeds == "" && *disk == "" {
		fmt.Fprintln(os.Stderr, "usage: parley-scale -seeds DIR [-disk PATH] [-queries N]")
		os.Exit(2)
	}
	if err := run(*seeds, *disk, *n); err != nil {
		fmt.Fprintln(os.Stderr, "parley-scale:", err)
		pprof.StopCPUProfile()
		os.Exit(1)
	}
}

func run(seeds, disk string, n int) error {
	ctx := context.Background()
	opts, err := index.DefaultOptions()
	if err != nil {
		return err
	}
	var ix *index.Index
	start := time.Now()
	if disk != "" {
		if _, err := os.Stat(disk); err != nil {
			arts, err := index.Load(os.DirFS(seeds))
			if err != nil {
				return err
			}
			loaded := time.Since(start)
			if err := index.BuildOnDisk(ctx, disk, arts, opts); err != nil {
				return err
			}
			fmt.Printf("build on disk: %s (load and split %s)\n", time.Since(start).Round(time.Millisecond), loaded.Round(time.Millisecond))
			arts = nil
		}
		runtime.GC()
		start = time.Now()
		if ix, err = index.Open(disk, opts); err != nil {
			return err
		}
		fmt.Printf("open: %s\n", time.Since(start).Round(time.Millisecond))
	} else {
		arts, err := index.Load(os.DirFS(seeds))
		if err != nil {
			return err
		}
		loaded := time.Since(start)
		if ix, err = index.Build(ctx, arts, opts); err != nil {
			return err
		}
		fmt.Printf("build in memory: %s (load and split %s)\n", time.Since(start).Round(time.Millisecond), loaded.Round(time.Millisecond))
	}
	defer ix.Close()
	runtime.GC()
	debug.FreeOSMemory()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	fmt.Printf("articles %d, sentences %d, people %d\n", len(ix.Articles()), ix.Sentences(), len(ix.People()))
	fmt.Printf("heap in use after GC: %d MB; RSS %s\n", ms.HeapInuse>>20, rss())

	h := handlers.New(ix, handlers.Options{})
	reqs := mix(ix)
	lat := make([]time.Duration, 0, n)
	perCmd := map[string][]time.Duration{}
	for i := 0; i < n; i++ {
		req := reqs[i%len(reqs)]
		t0 := time.Now()
		if _, err := h.Answer(ctx, req); err != nil {
			return err
		}
		d := time.Since(t0)
		lat = append(lat, d)
		perCmd[req.Command] = append(perCmd[req.Command], d)
	}
	fmt.Printf("answers: %d over %d distinct requests: p50 %s p99 %s\n", n, len(reqs), pct(lat, 50), pct(lat, 99))
	for _, c := range []string{parley.CommandWhat, parley.CommandAsk, parley.CommandWho, parley.CommandQuote} {
		fmt.Printf("  %-6s p50 %s p99 %s\n", c, pct(perCmd[c], 50), pct(perCmd[c], 99))
	}
	fmt.Printf("RSS after answers: %s\n", rss())
	return nil
}

// mix builds varied requests from the corpus itself: its people, its
// topics, and questions around them.
func mix(ix *index.Index) []parley.Request {
	var reqs []parley.Request
	people := ix.People()
	for i := 0; i < len(people) && i < 40; i++ {
		last := people[i].Name[strings.LastIndexByte(people[i].Name, ' ')+1:]
		reqs = append(reqs, parley.Request{Command: parley.CommandWho, Query: last}, parley.Request{Command: parley.CommandQuote, Query: last})
	}
	for _, t := range ix.Topics(40) {
		reqs = append(reqs, parley.Request{Command: parley.CommandWhat, Query: t},
			parley.Request{Command: parley.CommandAsk, Query: "how many " + t + " were agreed"},
			parley.Request{Command: parley.CommandAsk, Query: "when will " + t + " resume"})
	}
	for _, q := range []string{"france", "chile", "norway", "napoleon", "nato", "japan"} {
		reqs = append(reqs, parley.Request{Command: parley.CommandWho, Query: q})
	}
	return reqs
}

func pct(d []time.Duration, p int) time.Duration {
	if len(d) == 0 {
		return 0
	}
	s := slices.Clone(d)
	slices.Sort(s)
	return s[min(len(s)-1, len(s)*p/100)].Round(time.Microsecond)
}

// rss reads the resident set size from /proc (Linux), or says it is unknown.
func rss() string {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return "unknown"
	}
	for _, line := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(line, "VmRSS:") {
			return strings.TrimSpace(strings.TrimPrefix(line, "VmRSS:"))
		}
	}
	return "unknown"
}
