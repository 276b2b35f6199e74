package bot

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/parley-bot/parley"
	"github.com/prometheus/client_golang/prometheus/testutil"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden files")

func readRecords(t *testing.T, path string) []QueryRecord {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var recs []QueryRecord
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		var r QueryRecord
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			t.Fatalf("line %q: %v", sc.Text(), err)
		}
		recs = append(recs, r)
	}
	return recs
}

func TestQueryLogRecords(t *testing.T) {
	path := filepath.Join(t.TempDir(), "queries.jsonl")
	clock := newFakeClock()
	q, err := OpenQueryLog(QueryLogOptions{Path: path, Salt: "pepper", Now: clock.Now})
	if err != nil {
		t.Fatal(err)
	}
	a := q.Wrap(echo)
	a.Answer(t.Context(), parley.Request{Platform: "slack", User: "U0ALICE", Channel: "C1", Command: "who", Query: "france britain", Line: "/who france britain"})
	a.Answer(t.Context(), parley.Request{Platform: "discord", User: "42", Command: "ask", Query: "fail"})
	q.RecordFeedback(t.Context(), parley.Feedback{Platform: "slack", User: "U0ALICE", Channel: "C1", Line: "/who france britain", Helpful: true})
	q.RecordFeedback(t.Context(), parley.Feedback{Platform: "slack", User: "U0BOB", Line: "who is macron?", Helpful: false})
	if err := q.Close(); err != nil {
		t.Fatal(err)
	}
	info, _ := os.Stat(path)
	if perm := info.Mode().Perm(); perm != 0o600 {
		t.Errorf("log mode %v, want 0600", perm)
	}
	raw, _ := os.ReadFile(path)
	for _, secret := range []string{"U0ALICE", "U0BOB", `"42"`, "C1", "pepper"} {
		if bytes.Contains(raw, []byte(secret)) {
			t.Errorf("log contains %q:\n%s", secret, raw)
		}
	}
	recs := readRecords(t, path)
	if len(recs) != 4 {
		t.Fatalf("%d records, want 4", len(recs))
	}
	alice := HashUser("pepper", "slack", "U0ALICE")
	want := []QueryRecord{
		{Time: clock.Now(), Platform: "slack", User: alice, Command: "who", Query: "france britain", Hits: 2, Covered: true},
		{Time: clock.Now(), Platform: "discord", User: HashUser("pepper", "discord", "42"), Command: "ask", Query: "fail", Error: true},
		{Time: clock.Now(), Platform: "slack", User: alice, Command: "who", Query: "france britain", Feedback: FeedbackUp},
		{Time: clock.Now(), Platform: "slack", User: HashUser("pepper", "slack", "U0BOB"), Command: "ask", Query: "who is macron?", Feedback: FeedbackDown},
	}
	for i := range want {
		if got := recs[i]; got != want[i] {
			t.Errorf("record %d:\n got %+v\nwant %+v", i, got, want[i])
		}
	}
}

func TestHashUser(t *testing.T) {
	h := HashUser("s", "slack", "U1")
	if len(h) != 32 {
		t.Errorf("hash %q: want 32 hex characters", h)
	}
	for _, other := range []string{HashUser("t", "slack", "U1"), HashUser("s", "discord", "U1"), HashUser("s", "slack", "U2"), HashUser("s", "slackU", "1")} {
		if other == h {
			t.Errorf("different inputs hash alike: %s", h)
		}
	}
	if HashUser("s", "slack", "U1") != h {
		t.Error("hash is not stable")
	}
	if HashUser("s", "cli", "") != "" {
		t.Error("no user should record no hash")
	}
}

func TestQueryLogClipsQuery(t *testing.T) {
	path := filepath.Join(t.TempDir(), "q.jsonl")
	q, _ := OpenQueryLog(QueryLogOptions{Path: path})
	long := strings.Repeat("é", maxLoggedQuery)
	q.Wrap(echo).Answer(t.Context(), parley.Request{Command: "ask", Query: long})
	q.Close()
	r := readRecords(t, path)[0]
	if len(r.Query) > maxLoggedQuery || !strings.HasPrefix(long, r.Query) {
		t.Errorf("query of %d bytes logged as %d bytes, not a valid prefix", len(long), len(r.Query))
	}
}

func TestQueryLogRetention(t *testing.T) {
	path := filepath.Join(t.TempDir(), "q.jsonl")
	clock := newFakeClock()
	now := clock.Now()
	var old bytes.Buffer
	for i, age := range []time.Duration{40 * 24 * time.Hour, 31 * 24 * time.Hour, 29 * 24 * time.Hour, time.Hour} {
		b, _ := json.Marshal(QueryRecord{Time: now.Add(-age), Command: "who", Query: string(rune('a' + i))})
		old.Write(append(b, '\n'))
	}
	old.WriteString("not json\n")
	old.WriteString(`{"time":"` + now.Format(time.RFC3339) + `","command":"who","query":"no newline"}`)
	os.WriteFile(path, old.Bytes(), 0o644)

	q, err := OpenQueryLog(QueryLogOptions{Path: path, Retention: 30 * 24 * time.Hour, Now: clock.Now})
	if err != nil {
		t.Fatal(err)
	}
	var queries []string
	for _, r := range readRecords(t, path) {
		queries = append(queries, r.Query)
	}
	if got, want := strings.Join(queries, ","), "c,d,no newline"; got != want {
		t.Errorf("after open: %s, want %s", got, want)
	}
	// Writes go on to the rewritten file; a later prune drops by the clock.
	q.Wrap(echo).Answer(t.Context(), parley.Request{Command: "who", Query: "e"})
	clock.Add(24*time.Hour + time.Minute)
	if err := q.Prune(); err != nil {
		t.Fatal(err)
	}
	q.Wrap(echo).Answer(t.Context(), parley.Request{Command: "who", Query: "f"})
	q.Close()
	queries = nil
	for _, r := range readRecords(t, path) {
		queries = append(queries, r.Query)
	}
	if got, want := strings.Join(queries, ","), "d,no newline,e,f"; got != want {
		t.Errorf("after prune: %s, want %s", got, want)
	}
	if entries, _ := os.ReadDir(filepath.Dir(path)); len(entries) != 1 {
		t.Errorf("temporary files left behind: %v", entries)
	}
}

func TestQueryLogNoRetentionKeepsAll(t *testing.T) {
	path := filepath.Join(t.TempDir(), "q.jsonl")
	os.WriteFile(path, []byte("garbage\n"), 0o600)
	q, err := OpenQueryLog(QueryLogOptions{Path: path})
	if err != nil {
		t.Fatal(err)
	}
	q.Close()
	if b, _ := os.ReadFile(path); string(b) != "garbage\n" {
		t.Errorf("without retention the file changed: %q", b)
	}
}

func TestQueryLogWriteFailureCounted(t *testing.T) {
	m := NewMetrics()
	q, err := OpenQueryLog(QueryLogOptions{Path: filepath.Join(t.TempDir(), "q.jsonl"), Metrics: m})
	if err != nil {
		t.Fatal(err)
	}
	q.Close()
	ans, err := q.Wrap(echo).Answer(t.Context(), parley.Request{Command: "who", Query: "x"})
	if err != nil || ans == nil {
		t.Fatalf("a log failure must not fail the answer: %v", err)
	}
	if got := testutil.ToFloat64(m.queryLogErrors); got != 1 {
		t.Errorf("query log errors = %v, want 1", got)
	}
}

func TestOpenQueryLogErrors(t *testing.T) {
	if _, err := OpenQueryLog(QueryLogOptions{}); err == nil {
		t.Error("no path: want error")
	}
	if _, err := OpenQueryLog(QueryLogOptions{Path: filepath.Join(t.TempDir(), "no", "such", "dir", "q.jsonl")}); err == nil {
		t.Error("missing folder: want error")
	}
}

// Writers keep writing while a prune rewrites the file: no new record is
// lost, every old one goes.
func TestQueryLogConcurrent(t *testing.T) {
	path := filepath.Join(t.TempDir(), "q.jsonl")
	clock := newFakeClock()
	q, _ := OpenQueryLog(QueryLogOptions{Path: path, Retention: time.Hour, Now: clock.Now})
	for range 5000 {
		q.Write(QueryRecord{Time: clock.Now(), Command: "who", Query: "old"})
	}
	clock.Add(2 * time.Hour)
	a := q.Wrap(echo)
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Go(func() {
			for range 100 {
				a.Answer(context.Background(), parley.Request{Command: "who", Query: "new", User: string(rune('A' + i))})
			}
		})
	}
	wg.Go(func() {
		for range 3 {
			if err := q.Prune(); err != nil {
				t.Error(err)
			}
		}
	})
	wg.Wait()
	q.Prune()
	q.Close()
	recs := readRecords(t, path)
	for _, r := range recs {
		if r.Query != "new" {
			t.Fatalf("an old record survived: %+v", r)
		}
	}
	if len(recs) != 800 {
		t.Errorf("%d records, want 800", len(recs))
	}
}

func TestQueryLogRunStops(t *testing.T) {
	for _, retention := range []time.Duration{0, time.Hour} {
		q, _ := OpenQueryLog(QueryLogOptions{Path: filepath.Join(t.TempDir(), "q.jsonl"), Retention: retention})
		ctx, cancel := context.WithCancel(t.Context())
		cancel()
		if err := q.Run(ctx); err != nil {
			t.Errorf("Run = %v", err)
		}
		q.Close()
	}
}

func statsFixture() string {
	t0 := time.Date(2026, 1, 6, 9, 0, 0, 0, time.UTC)
	var b strings.Builder
	add := func(min int, r QueryRecord) {
		r.Time = t0.Add(time.Duration(min) * time.Minute)
		j, _ := json.Marshal(r)
		b.Write(append(j, '\n'))
	}
	for i := range 5 {
		add(i, QueryRecord{Platform: "slack", User: HashUser("s", "slack", string(rune('A'+i))), Command: "who", Query: []string{"france", "France", " FRANCE ", "france", "france"}[i], Hits: 4, Covered: true})
	}
	for i := range 3 {
		add(10+i, QueryRecord{Platform: "discord", User: HashUser("s", "discord", "1"), Command: "what", Query: "security guarantees", Hits: 0, Covered: false})
	}
	add(20, QueryRecord{Platform: "slack", User: "x", Command: "quote", Query: "witkoff", Hits: 2, Covered: true})
	add(21, QueryRecord{Platform: "slack", Command: "ask", Query: "will norway\tsend troops?", Covered: false})
	add(22, QueryRecord{Platform: "slack", Command: "ask", Query: "<!channel> boom", Error: true})
	add(30, QueryRecord{Platform: "slack", Command: "who", Query: "france", Feedback: FeedbackUp})
	add(31, QueryRecord{Platform: "slack", Command: "who", Query: "France", Feedback: FeedbackUp})
	add(32, QueryRecord{Platform: "slack", Command: "what", Query: "security guarantees", Feedback: FeedbackDown})
	add(-600, QueryRecord{Platform: "slack", Command: "help"})
	b.WriteString("this is not json\n\n")
	b.WriteString(`{"time":"2026-01-06T10:00:00Z","command":"who","feedback":"maybe"}` + "\n")
	return b.String()
}

func TestStatsGolden(t *testing.T) {
	for _, tc := range []struct {
		golden string
		json   bool
	}{{"stats.golden.txt", false}, {"stats.golden.json", true}} {
		t.Run(tc.golden, func(t *testing.T) {
			var out bytes.Buffer
			opts := StatsOptions{Top: 3, Since: time.Date(2026, 1, 6, 8, 0, 0, 0, time.UTC), JSON: tc.json}
			if err := Stats(strings.NewReader(statsFixture()), &out, opts); err != nil {
				t.Fatal(err)
			}
			golden := filepath.Join("testdata", tc.golden)
			if *update {
				os.MkdirAll("testdata", 0o755)
				os.WriteFile(golden, out.Bytes(), 0o644)
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatal(err)
			}
			if out.String() != string(want) {
				t.Errorf("Stats output differs from %s (-update to accept):\n%s", golden, out.String())
			}
		})
	}
}

func TestStatsJSONEmpty(t *testing.T) {
	var out bytes.Buffer
	if err := Stats(strings.NewReader(""), &out, StatsOptions{JSON: true}); err != nil {
		t.Fatal(err)
	}
	var rep map[string]any
	if err := json.Unmarshal(out.Bytes(), &rep); err != nil {
		t.Fatal(err)
	}
	if _, ok := rep["first"]; ok {
		t.Error("an empty log has no first record")
	}
	if l, ok := rep["most_asked"].([]any); !ok || len(l) != 0 {
		t.Errorf("most_asked = %v, want []", rep["most_asked"])
	}
}

func TestStatsEmpty(t *testing.T) {
	var out bytes.Buffer
	if err := Stats(strings.NewReader(""), &out, StatsOptions{}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "0 answers") || strings.Count(out.String(), "(none)") != 3 {
		t.Errorf("empty log:\n%s", out.String())
	}
}

type failingWriter struct{}

func (failingWriter) Write([]byte) (int, error) { return 0, errors.New("disk full") }

type failingReader struct{}

func (failingReader) Read([]byte) (int, error) { return 0, errors.New("io error") }

func TestStatsErrors(t *testing.T) {
	if err := Stats(strings.NewReader(statsFixture()), failingWriter{}, StatsOptions{}); err == nil || !strings.Contains(err.Error(), "disk full") {
		t.Errorf("write error: %v", err)
	}
	if err := Stats(failingReader{}, &bytes.Buffer{}, StatsOptions{}); err == nil || !strings.Contains(err.Error(), "io error") {
		t.Errorf("read error: %v", err)
	}
}

func FuzzStats(f *testing.F) {
	f.Add(statsFixture())
	f.Add(`{"time":"2026-01-06T10:00:00Z","command":"","query":"\u0000\ud800"}`)
	f.Add("\xff\xfe\n{}\n")
	f.Fuzz(func(t *testing.T, in string) {
		var out bytes.Buffer
		if err := Stats(strings.NewReader(in), &out, StatsOptions{Top: 5}); err != nil {
			t.Fatal(err)
		}
	})
}

func BenchmarkQueryLogWrite(b *testing.B) {
	q, err := OpenQueryLog(QueryLogOptions{Path: filepath.Join(b.TempDir(), "q.jsonl"), Salt: "s"})
	if err != nil {
		b.Fatal(err)
	}
	defer q.Close()
	a := q.Wrap(echo)
	req := parley.Request{Platform: "slack", User: "U1", Command: "who", Query: "france"}
	b.ReportAllocs()
	for b.Loop() {
		a.Answer(context.Background(), req)
	}
}

func TestStatsFiles(t *testing.T) {
	dir := t.TempDir()
	a, b := filepath.Join(dir, "a.jsonl"), filepath.Join(dir, "b.jsonl")
	rec := func(q string) string {
		j, _ := json.Marshal(QueryRecord{Time: time.Date(2026, 1, 6, 9, 0, 0, 0, time.UTC), Command: "who", Query: q, Covered: true})
		return string(j)
	}
	// a ends without a newline: the files must not run together.
	os.WriteFile(a, []byte(rec("france")+"\n"+rec("nato")), 0o600)
	os.WriteFile(b, []byte(rec("france")+"\n"), 0o600)
	var out bytes.Buffer
	if err := StatsFiles(&out, StatsOptions{}, a, b); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "3 answers") || !strings.Contains(out.String(), "      2            0  /who france") {
		t.Errorf("output:\n%s", out.String())
	}
	if err := StatsFiles(&out, StatsOptions{}); err == nil {
		t.Error("no files: want error")
	}
	if err := StatsFiles(&out, StatsOptions{}, filepath.Join(dir, "missing")); err == nil {
		t.Error("missing file: want error")
	}
}

func BenchmarkStats(b *testing.B) {
	var log strings.Builder
	t0 := time.Date(2026, 1, 6, 9, 0, 0, 0, time.UTC)
	for i := range 100_000 {
		j, _ := json.Marshal(QueryRecord{Time: t0.Add(time.Duration(i) * time.Second), Platform: "slack",
			User: HashUser("s", "slack", strconv.Itoa(i%5000)), Command: "who", Query: "country " + strconv.Itoa(i%2000),
			Hits: i % 5, Covered: i%3 != 0, LatencyMS: 1.5})
		log.Write(append(j, '\n'))
	}
	data := log.String()
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if err := Stats(strings.NewReader(data), io.Discard, StatsOptions{}); err != nil {
			b.Fatal(err)
		}
	}
}

// openQueryLog is OpenQueryLog with a hook on every file opened.
func openQueryLog(t *testing.T, opts QueryLogOptions, wrap func(io.Writer) io.Writer) *QueryLog {
	t.Helper()
	q, err := OpenQueryLog(opts)
	if err != nil {
		t.Fatal(err)
	}
	q.mu.Lock()
	defer q.mu.Unlock()
	q.wrap = wrap
	q.w = wrap(q.f)
	return q
}

// lockedBuffer is a log destination safe for concurrent writers.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

func (l *lockedBuffer) lines(msg string) int {
	return strings.Count(l.String(), `"msg":"`+msg)
}

func record(q string) QueryRecord {
	return QueryRecord{Time: time.Now().UTC(), Platform: "slack", Command: "who", Query: q, Hits: 1, Covered: true}
}

func queries(t *testing.T, path string) []string {
	t.Helper()
	var qs []string
	for _, r := range readRecords(t, path) {
		qs = append(qs, r.Query)
	}
	return qs
}

// Log rotation by rename (logrotate's default) or by deletion: the next
// record goes to a new file at the path, none to the file moved away.
func TestQueryLogRotation(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "q.jsonl")
	var logs lockedBuffer
	q, err := OpenQueryLog(QueryLogOptions{Path: path, Logger: slog.New(slog.NewJSONHandler(&logs, nil))})
	if err != nil {
		t.Fatal(err)
	}
	defer q.Close()
	q.Write(record("france"))
	if err := os.Rename(path, path+".1"); err != nil {
		t.Fatal(err)
	}
	q.Write(record("macron"))
	if got := queries(t, path+".1"); strings.Join(got, ",") != "france" {
		t.Errorf("rotated file holds %v, want france only", got)
	}
	if got := queries(t, path); strings.Join(got, ",") != "macron" {
		t.Errorf("new file holds %v, want macron", got)
	}

	os.Remove(path)
	q.Write(record("nato"))
	if got := queries(t, path); strings.Join(got, ",") != "nato" {
		t.Errorf("after deletion the file holds %v, want nato", got)
	}
	if n := logs.lines("query log reopened"); n != 2 {
		t.Errorf("%d reopen lines, want 2:\n%s", n, logs.String())
	}
	if info, err := os.Stat(path); err != nil || info.Mode().Perm() != 0o600 {
		t.Errorf("new file: %v, %v; want mode 0600", info, err)
	}
}

// SIGHUP reopens: after a copy-and-truncate or any rotation, records go to
// the file at the path.
func TestQueryLogReopen(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "q.jsonl")
	q, err := OpenQueryLog(QueryLogOptions{Path: path})
	if err != nil {
		t.Fatal(err)
	}
	defer q.Close()
	q.Write(record("france"))
	os.Rename(path, path+".1")
	if err := q.Reopen(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(path); err != nil {
		t.Errorf("Reopen made no file at the path: %v", err)
	}
	q.Write(record("macron"))
	if got := queries(t, path); strings.Join(got, ",") != "macron" {
		t.Errorf("file holds %v", got)
	}
}

// fullDisk writes part of each buffer and then fails, as a write that hits
// ENOSPC half-way does, while full is set.
type fullDisk struct {
	w    io.Writer
	full *atomic.Bool
}

func (d fullDisk) Write(p []byte) (int, error) {
	if !d.full.Load() {
		return d.w.Write(p)
	}
	n, _ := d.w.Write(p[:len(p)/2])
	return n, syscall.ENOSPC
}

// A full disk: one warning, not one per record; /readyz warns while it
// lasts; the recovery is logged with the count lost; the next record
// starts on a fresh line instead of being glued to the torn one.
func TestQueryLogFullDisk(t *testing.T) {
	path := filepath.Join(t.TempDir(), "q.jsonl")
	var logs lockedBuffer
	m := NewMetrics()
	full := &atomic.Bool{}
	q := openQueryLog(t, QueryLogOptions{Path: path, Metrics: m, Logger: slog.New(slog.NewJSONHandler(&logs, nil))},
		func(w io.Writer) io.Writer { return fullDisk{w, full} })
	defer q.Close()
	q.Write(record("france"))
	full.Store(true)
	for _, who := range []string{"macron", "starmer", "merz"} {
		q.Write(record(who))
	}
	if n := logs.lines("query log write failed"); n != 1 {
		t.Errorf("%d failure lines for 3 failed records, want 1:\n%s", n, logs.String())
	}
	if got := testutil.ToFloat64(m.queryLogErrors); got != 3 {
		t.Errorf("errors counted %v, want 3", got)
	}
	if err := q.Check(); err == nil || !strings.Contains(err.Error(), "3 records lost") || !strings.Contains(err.Error(), "no space") {
		t.Errorf("Check = %v, want a warning with the count and the cause", err)
	}

	full.Store(false)
	q.Write(record("zelensky"))
	q.Write(record("rutte"))
	if err := q.Check(); err != nil {
		t.Errorf("Check = %v after recovery", err)
	}
	if !strings.Contains(logs.String(), `"msg":"query log writing again","component":"querylog","lost":3`) {
		t.Errorf("no recovery line with the count:\n%s", logs.String())
	}
	// Whole records parse; the torn halves are lines of their own.
	b, _ := os.ReadFile(path)
	var got []string
	for _, line := range strings.Split(strings.TrimSuffix(string(b), "\n"), "\n") {
		var r QueryRecord
		if json.Unmarshal([]byte(line), &r) == nil {
			got = append(got, r.Query)
		}
	}
	if strings.Join(got, ",") != "france,zelensky,rutte" {
		t.Errorf("records kept %v, want france,zelensky,rutte:\n%s", got, b)
	}
}

// A file left with half a record (a crash) gets the next one on a new line.
func TestQueryLogOpensATornFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "q.jsonl")
	os.WriteFile(path, []byte(`{"time":"2026-01-06T09:00:00Z","command":"who","query":"france"}`+"\n"+`{"time":"2026-01-06T09:0`), 0o600)
	q, err := OpenQueryLog(QueryLogOptions{Path: path})
	if err != nil {
		t.Fatal(err)
	}
	q.Write(record("macron"))
	q.Close()
	b, _ := os.ReadFile(path)
	lines := strings.Split(strings.TrimSuffix(string(b), "\n"), "\n")
	var r QueryRecord
	if len(lines) != 3 || json.Unmarshal([]byte(lines[2]), &r) != nil || r.Query != "macron" {
		t.Errorf("file:\n%s", b)
	}
}
