// Command parley-scale measures Parley on a corpus: index build time and
// peak memory, open time, serving memory, and answer latency (p50/p99) per
// command next to the bare bleve search (index.Bare) for the same text, one
// after the other in this process. docs/scaling.md shows the commands and
// the figures.
//
//	parley-synth -n 10000 -out /tmp/c10k
//	parley-scale -seeds /tmp/c10k                      # in memory
//	parley-scale -seeds /tmp/c10k -disk /tmp/c10k.idx  # build on disk, then open read-only
//	parley-scale -disk /tmp/c10k.idx                   # open only
package main

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"runtime"
	"runtime/debug"
	"runtime/pprof"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/parley-bot/parley"
	"github.com/parley-bot/parley/bench"
	"github.com/parley-bot/parley/handlers"
	"github.com/parley-bot/parley/index"
)

func main() {
	seeds := flag.String("seeds", "", "folder of articles")
	disk := flag.String("disk", "", "build an on-disk index here (if absent) and measure answers from it opened read-only")
	bare := flag.String("bare", "", "on-disk bare index for the yardstick, built from -seeds if absent; default: -disk with .bare, or in memory without -disk")
	noBare := flag.Bool("no-bare", false, "measure Parley alone")
	shards := flag.Int("shards", 0, "shards of a new on-disk index; 0 chooses by size")
	n := flag.Int("queries", 2000, "answers to time")
	profile := flag.String("cpuprofile", "", "write a CPU profile of the answers to `FILE`")
	only := flag.String("only", "", "measure only this command (what, ask, who, quote)")
	answers := flag.String("answers", "", "write each distinct line's answer to `FILE` (JSON lines), to compare versions")
	slowest := flag.Int("slowest", 0, "print the `N` lines whose slowest answer took longest, with their median")
	lines := flag.String("lines", "", "measure only these lines, separated by |: \"/what need new|/what next days\"")
	flag.Parse()
	if *seeds == "" && *disk == "" {
		fmt.Fprintln(os.Stderr, "usage: parley-scale -seeds DIR [-disk PATH] [-bare PATH] [-shards N] [-queries N]")
		os.Exit(2)
	}
	if *bare == "" && *disk != "" {
		*bare = strings.TrimSuffix(*disk, "/") + ".bare"
	}
	if *noBare {
		*bare = "-"
	}
	if err := run(*seeds, *disk, *bare, *shards, *n, *profile, *answers, *only, *lines, *slowest); err != nil {
		fmt.Fprintln(os.Stderr, "parley-scale:", err)
		os.Exit(1)
	}
}

func run(seeds, disk, barePath string, shards, n int, profile, answers, only, lines string, slowest int) error {
	ctx := context.Background()
	opts, err := index.DefaultOptions()
	if err != nil {
		return err
	}
	opts.Shards = shards
	var articles []*parley.Article
	load := func() ([]*parley.Article, error) {
		if articles == nil {
			if seeds == "" {
				return nil, errors.New("-seeds needed to build")
			}
			start := time.Now()
			a, err := index.Load(os.DirFS(seeds))
			if err != nil {
				return nil, err
			}
			fmt.Printf("load and split: %s\n", time.Since(start).Round(time.Millisecond))
			articles = a
		}
		return articles, nil
	}
	var ix *index.Index
	if disk != "" {
		if _, err := os.Stat(disk); errors.Is(err, fs.ErrNotExist) {
			arts, err := load()
			if err != nil {
				return err
			}
			start := time.Now()
			if err := index.BuildOnDisk(ctx, disk, arts, opts); err != nil {
				return err
			}
			fmt.Printf("build on disk: %s; peak RSS so far %s\n", time.Since(start).Round(time.Millisecond), status("VmHWM"))
		}
		fmt.Printf("on disk: %s\n", du(disk))
	}
	var bare *index.Bare
	if barePath != "-" {
		if barePath == "" {
			arts, err := load()
			if err != nil {
				return err
			}
			if bare, err = index.BuildBare(ctx, "", arts); err != nil {
				return err
			}
		} else {
			if _, err := os.Stat(barePath); errors.Is(err, fs.ErrNotExist) {
				arts, err := load()
				if err != nil {
					return err
				}
				start := time.Now()
				b, err := index.BuildBare(ctx, barePath, arts)
				if err != nil {
					return err
				}
				b.Close()
				fmt.Printf("bare index built on disk: %s\n", time.Since(start).Round(time.Millisecond))
			}
			if bare, err = index.OpenBare(barePath); err != nil {
				return err
			}
		}
		defer bare.Close()
	}
	if disk != "" {
		articles = nil // an on-disk index serves without them
		runtime.GC()
		debug.FreeOSMemory()
		before := status("VmRSS")
		start := time.Now()
		if ix, err = index.Open(disk, opts); err != nil {
			return err
		}
		fmt.Printf("open: %s (RSS before %s)\n", time.Since(start).Round(time.Millisecond), before)
	} else {
		arts, err := load()
		if err != nil {
			return err
		}
		start := time.Now()
		if ix, err = index.Build(ctx, arts, opts); err != nil {
			return err
		}
		fmt.Printf("build in memory: %s\n", time.Since(start).Round(time.Millisecond))
	}
	defer ix.Close()
	h := handlers.New(ix, handlers.Options{})
	runtime.GC()
	debug.FreeOSMemory()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	fmt.Printf("articles %d, sentences %d, people %d\n", ix.Len(), ix.Sentences(), len(ix.People()))
	fmt.Printf("ready: heap in use %d MB; RSS %s; peak RSS %s\n", ms.HeapInuse>>20, status("VmRSS"), status("VmHWM"))

	if profile != "" {
		f, err := os.Create(profile)
		if err != nil {
			return err
		}
		if err := pprof.StartCPUProfile(f); err != nil {
			return err
		}
		defer pprof.StopCPUProfile()
	}
	var reqs []parley.Request
	for _, l := range bench.Lines(ix) {
		if lines != "" && !slices.Contains(strings.Split(lines, "|"), l) {
			continue
		}
		if req := parley.Parse(l); only == "" || req.Command == only {
			reqs = append(reqs, req)
		}
	}
	if len(reqs) == 0 {
		return fmt.Errorf("no %s lines %s", only, lines)
	}
	if answers != "" {
		if err := writeAnswers(ctx, answers, h, reqs); err != nil {
			return err
		}
	}
	// Each request, then the bare search for its text, one after the other,
	// so that both see the same moment of a shared machine.
	lat, bareLat := map[string][]time.Duration{}, map[string][]time.Duration{}
	byLine := make([][]time.Duration, len(reqs))
	var cpu time.Duration
	for i := 0; i < n; i++ {
		req := reqs[i%len(reqs)]
		c0, t0 := bench.CPU(), time.Now()
		if _, err := h.Answer(ctx, req); err != nil {
			return err
		}
		d := time.Since(t0)
		cpu += bench.CPU() - c0
		lat[req.Command] = append(lat[req.Command], d)
		lat["all"] = append(lat["all"], d)
		byLine[i%len(reqs)] = append(byLine[i%len(reqs)], d)
		if bare != nil {
			t0 = time.Now()
			if _, err := bare.Search(ctx, req.Query); err != nil {
				return err
			}
			d = time.Since(t0)
			bareLat[req.Command] = append(bareLat[req.Command], d)
			bareLat["all"] = append(bareLat["all"], d)
		}
	}
	fmt.Printf("answers: %d over %d distinct lines, no answer cache; CPU per answer %s (all threads: shards, collector)\n",
		n, len(reqs), (cpu / time.Duration(n)).Round(time.Microsecond))
	tw := tabwriter.NewWriter(os.Stdout, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "  command\tp50\tp99\tbare p50\tbare p99\tmean ratio\t")
	for _, c := range []string{"all", parley.CommandWhat, parley.CommandAsk, parley.CommandWho, parley.CommandQuote} {
		p, b := lat[c], bareLat[c]
		ratio := "-"
		if mean(b) > 0 {
			ratio = fmt.Sprintf("%.2fx", float64(mean(p))/float64(mean(b)))
		}
		fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\t%s\t%s\t\n", c, pct(p, 50), pct(p, 99), pct(b, 50), pct(b, 99), ratio)
	}
	tw.Flush()
	if slowest > 0 {
		printSlowest(reqs, byLine, slowest)
	}
	runtime.ReadMemStats(&ms)
	fmt.Printf("after answers: heap in use %d MB; RSS %s; peak RSS %s\n", ms.HeapInuse>>20, status("VmRSS"), status("VmHWM"))
	return nil
}

// printSlowest prints the n lines whose slowest answer took longest: the
// lines that make a p99.
func printSlowest(reqs []parley.Request, byLine [][]time.Duration, n int) {
	order := make([]int, 0, len(reqs))
	for i := range reqs {
		if len(byLine[i]) > 0 {
			order = append(order, i)
		}
	}
	slices.SortFunc(order, func(a, b int) int { return cmp.Compare(slices.Max(byLine[b]), slices.Max(byLine[a])) })
	fmt.Printf("slowest lines (answers each, median, slowest):\n")
	tw := tabwriter.NewWriter(os.Stdout, 0, 0, 2, ' ', 0)
	for _, i := range order[:min(n, len(order))] {
		fmt.Fprintf(tw, "  %s\t%d\t%s\t%s\t\n", reqs[i].Line, len(byLine[i]), pct(byLine[i], 50), slices.Max(byLine[i]).Round(time.Microsecond))
	}
	tw.Flush()
}

func pct(d []time.Duration, p int) time.Duration {
	if len(d) == 0 {
		return 0
	}
	s := slices.Clone(d)
	slices.Sort(s)
	return s[min(len(s)-1, len(s)*p/100)].Round(time.Microsecond)
}

func mean(d []time.Duration) time.Duration {
	if len(d) == 0 {
		return 0
	}
	var t time.Duration
	for _, x := range d {
		t += x
	}
	return t / time.Duration(len(d))
}

// status reads a line of /proc/self/status (Linux: VmRSS, VmHWM), or says
// it is unknown.
func status(key string) string {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return "unknown"
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, key+":"); ok {
			return strings.TrimSpace(v)
		}
	}
	return "unknown"
}

// du is the size of the files under path.
func du(path string) string {
	var total int64
	fs.WalkDir(os.DirFS(path), ".", func(_ string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			if info, err := d.Info(); err == nil {
				total += info.Size()
			}
		}
		return nil
	})
	return fmt.Sprintf("%.1f MB", float64(total)/1e6)
}

// writeAnswers writes the answer to each request, one JSON object a line.
func writeAnswers(ctx context.Context, path string, h *handlers.Handlers, reqs []parley.Request) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close()
	enc := json.NewEncoder(f)
	for _, req := range reqs {
		ans, err := h.Answer(ctx, req)
		if err != nil {
			return err
		}
		if err := enc.Encode(struct {
			Line   string         `json:"line"`
			Answer *parley.Answer `json:"answer"`
		}{req.Line, ans}); err != nil {
			return err
		}
	}
	return f.Close()
}
