package bot

import (
	"bufio"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math"
	"os"
	"path/filepath"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/parley-bot/parley"
)

// QueryRecord is one line of the query log.
type QueryRecord struct {
	Time     time.Time `json:"time"`
	Platform string    `json:"platform"`
	// User is a salted SHA-256 of the platform and user id (hex, 128 bits):
	// enough to count distinct people, not to name them.
	User    string `json:"user,omitempty"`
	Command string `json:"command"`
	Query   string `json:"query"`
	// Hits is the number of citations in the answer.
	Hits    int  `json:"hits"`
	Covered bool `json:"covered"`
	// LatencyMS is the time to answer, in milliseconds.
	LatencyMS float64 `json:"latency_ms"`
	// Error is true when the answer failed.
	Error bool `json:"error,omitempty"`
	// Feedback is "up" or "down" on a feedback record (the answer's command
	// and query, no hits or latency); empty on an answer record.
	Feedback string `json:"feedback,omitempty"`
}

// Feedback values.
const (
	FeedbackUp   = "up"
	FeedbackDown = "down"
)

// maxLoggedQuery bounds a logged query; parley.MaxQuery characters reach the
// index, a little more shows what was cut.
const maxLoggedQuery = 4 * parley.MaxQuery

// QueryLogOptions configure OpenQueryLog. Path is required.
type QueryLogOptions struct {
	// Path is the JSON-lines file, created if missing (mode 0600).
	Path string
	// Salt is mixed into the user hash. Keep it secret and stable: changing
	// it makes the same person look new. "" still hashes, but a user id is
	// then recoverable by anyone who can guess it.
	Salt string
	// Retention drops records older than this, on open and every
	// PruneEvery; 0 keeps everything.
	Retention time.Duration
	// PruneEvery is how often Run prunes; 0 means one hour.
	PruneEvery time.Duration
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// Logger and Metrics: nil means none.
	Logger  *slog.Logger
	Metrics *Metrics
}

// QueryLog appends a record per answer and per feedback. It is safe for
// concurrent use. Each replica writes its own file; `parley stats` reads
// several concatenated.
type QueryLog struct {
	opts QueryLogOptions
	log  *slog.Logger

	// pruneMu serialises prunes; mu guards the rest and the writes.
	pruneMu sync.Mutex
	mu      sync.Mutex
	f       *os.File
	// info is f's, to notice when the path names another file (rotated by
	// rename, or deleted); w writes to f.
	info   os.FileInfo
	w      io.Writer
	closed bool
	// torn is set when the file does not end with a newline: a write that
	// failed half-way (a full disk). The next record starts a fresh line.
	torn bool
	// While writes fail: since when, how many records were lost, the last
	// error. The first failure and the recovery are logged, nothing between.
	failing  bool
	failedAt time.Time
	lost     int
	lastErr  error

	// wrap, when set (tests), wraps every file opened: a full disk.
	wrap func(io.Writer) io.Writer
}

var _ parley.FeedbackSink = (*QueryLog)(nil)

// OpenQueryLog opens (or creates) the log and applies the retention.
func OpenQueryLog(opts QueryLogOptions) (*QueryLog, error) {
	if opts.Path == "" {
		return nil, errors.New("query log: no path")
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.PruneEvery <= 0 {
		opts.PruneEvery = time.Hour
	}
	log := opts.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	q := &QueryLog{opts: opts, log: log.With("component", "querylog")}
	return q, q.open()
}

// open applies the retention and opens the file.
func (q *QueryLog) open() error {
	if err := q.Prune(); err != nil {
		return err
	}
	q.mu.Lock()
	defer q.mu.Unlock()
	return q.reopenLocked()
}

// reopenLocked (re)opens the file at the path for appending, creating it if
// missing, and closes the one open before. q.mu is held.
func (q *QueryLog) reopenLocked() error {
	f, err := os.OpenFile(q.opts.Path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o600)
	if err != nil {
		return fmt.Errorf("query log: %w", err)
	}
	info, err := f.Stat()
	if err != nil {
		f.Close()
		return fmt.Errorf("query log: %w", err)
	}
	if q.f != nil {
		q.f.Close()
	}
	q.f, q.info, q.w = f, info, io.Writer(f)
	if q.wrap != nil {
		q.w = q.wrap(f)
	}
	// A crash or a full disk may have left half a record at the end.
	q.torn = !endsWithNewline(q.opts.Path, info.Size())
	return nil
}

func endsWithNewline(path string, size int64) bool {
	if size == 0 {
		return true
	}
	f, err := os.Open(path)
	if err != nil {
		return true
	}
	defer f.Close()
	b := make([]byte, 1)
	if _, err := f.ReadAt(b, size-1); err != nil {
		return true
	}
	return b[0] == '\n'
}

// Reopen closes the file and opens the one at the path now: after a
// rotation, on SIGHUP. Writes notice a rotation on their own too.
func (q *QueryLog) Reopen() error {
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.closed {
		return nil
	}
	if err := q.reopenLocked(); err != nil {
		return err
	}
	q.log.Info("query log reopened", "path", q.opts.Path)
	return nil
}

// rotatedLocked reports whether the path no longer names the open file:
// renamed away (logrotate's default) or deleted. A stat per record costs a
// microsecond; records written to a file nobody will read are lost.
func (q *QueryLog) rotatedLocked() bool {
	if q.f == nil {
		return true
	}
	info, err := os.Stat(q.opts.Path)
	return err != nil || !os.SameFile(info, q.info)
}

// Check is /readyz detail (Server.AddWarning): an error while records
// cannot be written.
func (q *QueryLog) Check() error {
	q.mu.Lock()
	defer q.mu.Unlock()
	if !q.failing {
		return nil
	}
	return fmt.Errorf("writing has failed since %s, %d records lost: %w", q.failedAt.UTC().Format(time.RFC3339), q.lost, q.lastErr)
}

// HashUser returns the salted hash recorded for a user ("" for no user).
func HashUser(salt, platform, user string) string {
	if user == "" {
		return ""
	}
	h := sha256.New()
	// Lengths first, so no two (salt, platform, user) triples collide by
	// shifting bytes between fields.
	fmt.Fprintf(h, "%d:%s%d:%s%d:%s", len(salt), salt, len(platform), platform, len(user), user)
	return hex.EncodeToString(h.Sum(nil)[:16])
}

// Wrap returns an Answerer that records every answer of next.
func (q *QueryLog) Wrap(next parley.Answerer) parley.Answerer {
	return parley.AnswerFunc(func(ctx context.Context, req parley.Request) (*parley.Answer, error) {
		start := q.opts.Now()
		ans, err := next.Answer(ctx, req)
		rec := QueryRecord{
			Time:      start.UTC(),
			Platform:  req.Platform,
			User:      HashUser(q.opts.Salt, req.Platform, req.User),
			Command:   req.Command,
			Query:     clip(req.Query, maxLoggedQuery),
			LatencyMS: float64(q.opts.Now().Sub(start).Microseconds()) / 1000,
			Error:     err != nil || ans == nil,
		}
		if ans != nil {
			rec.Hits, rec.Covered = len(ans.Citations), ans.Covered
		}
		q.Write(rec)
		return ans, err
	})
}

// RecordFeedback implements parley.FeedbackSink: the question (command and
// query parsed from the line) and the choice, nothing else.
func (q *QueryLog) RecordFeedback(_ context.Context, f parley.Feedback) {
	req := parley.Parse(f.Line)
	fb := FeedbackDown
	if f.Helpful {
		fb = FeedbackUp
	}
	q.Write(QueryRecord{
		Time:     q.opts.Now().UTC(),
		Platform: f.Platform,
		User:     HashUser(q.opts.Salt, f.Platform, f.User),
		Command:  req.Command,
		Query:    clip(req.Query, maxLoggedQuery),
		Feedback: fb,
	})
}

// Write appends one record. A failure is counted and /readyz warns, but it
// is never returned: the person still gets the answer. The first failure is
// logged, then nothing until writing works again, which is logged with the
// number of records lost meanwhile.
func (q *QueryLog) Write(rec QueryRecord) {
	line, err := json.Marshal(rec)
	if err != nil {
		q.mu.Lock()
		q.failLocked(err)
		q.mu.Unlock()
		return
	}
	line = append(line, '\n')
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.closed {
		q.failLocked(errors.New("closed"))
		return
	}
	if q.rotatedLocked() {
		if err := q.reopenLocked(); err != nil {
			q.failLocked(err)
			return
		}
		q.log.Info("query log reopened: the file at its path was renamed or deleted", "path", q.opts.Path)
	}
	if q.torn {
		line = append([]byte{'\n'}, line...)
	}
	n, err := q.w.Write(line)
	if n > 0 {
		q.torn = line[n-1] != '\n'
	}
	if err != nil {
		q.failLocked(err)
		return
	}
	if q.failing {
		q.log.Info("query log writing again", "lost", q.lost, "failed_for", q.opts.Now().Sub(q.failedAt).Round(time.Millisecond))
		q.failing, q.lost, q.lastErr = false, 0, nil
	}
}

func (q *QueryLog) failLocked(err error) {
	if q.opts.Metrics != nil {
		q.opts.Metrics.queryLogError()
	}
	q.lost++
	q.lastErr = err
	if !q.failing {
		q.failing, q.failedAt = true, q.opts.Now()
		q.log.Warn("query log write failed; records are lost until it recovers (logged then, with the count)", "err", err)
	}
}

// Run prunes every PruneEvery until ctx is cancelled (a Server runner).
func (q *QueryLog) Run(ctx context.Context) error {
	if q.opts.Retention <= 0 {
		<-ctx.Done()
		return nil
	}
	t := time.NewTicker(q.opts.PruneEvery)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
			if err := q.Prune(); err != nil {
				q.log.Warn("pruning query log", "err", err)
			}
		}
	}
}

// Prune drops the records older than the retention by writing the kept ones
// to a temporary file and renaming it over the log, so a crash leaves either
// the old file or the new one. Lines that do not parse are dropped too: they
// cannot be aged, and keeping what cannot be aged defeats retention.
// Answers are not held up meanwhile: the file is filtered without the write
// lock, which is taken only to copy what was appended during the filtering
// and to swap the files.
func (q *QueryLog) Prune() error {
	if q.opts.Retention <= 0 {
		return nil
	}
	q.pruneMu.Lock()
	defer q.pruneMu.Unlock()
	cutoff := q.opts.Now().Add(-q.opts.Retention)
	in, err := os.Open(q.opts.Path)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("query log: prune: %w", err)
	}
	defer in.Close()
	// Records are appended in time order: when the first is recent enough
	// there is nothing to drop, and no need to read further.
	if firstIsFresh(in, cutoff) {
		return nil
	}
	q.mu.Lock()
	info, err := in.Stat()
	q.mu.Unlock()
	if err != nil {
		return fmt.Errorf("query log: prune: %w", err)
	}
	end := info.Size()
	tmp, err := os.CreateTemp(filepath.Dir(q.opts.Path), ".querylog-*")
	if err != nil {
		return fmt.Errorf("query log: prune: %w", err)
	}
	defer os.Remove(tmp.Name())
	defer tmp.Close()
	kept, dropped, err := filterRecords(io.NewSectionReader(in, 0, end), tmp, cutoff)
	if err != nil {
		return fmt.Errorf("query log: prune: %w", err)
	}
	if dropped == 0 {
		return nil
	}

	q.mu.Lock()
	defer q.mu.Unlock()
	if _, err := io.Copy(tmp, io.NewSectionReader(in, end, math.MaxInt64-end)); err != nil {
		return fmt.Errorf("query log: prune: %w", err)
	}
	if err := tmp.Chmod(0o600); err != nil {
		return fmt.Errorf("query log: prune: %w", err)
	}
	if err := tmp.Sync(); err != nil {
		return fmt.Errorf("query log: prune: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("query log: prune: %w", err)
	}
	if err := os.Rename(tmp.Name(), q.opts.Path); err != nil {
		return fmt.Errorf("query log: prune: %w", err)
	}
	// The append handle still points at the replaced file: reopen.
	if q.f != nil && !q.closed {
		if err := q.reopenLocked(); err != nil {
			return fmt.Errorf("query log: reopen: %w", err)
		}
	}
	q.log.Info("query log pruned", "kept", kept, "dropped", dropped)
	return nil
}

// firstIsFresh reports whether the file's first line is a record no older
// than cutoff.
func firstIsFresh(f *os.File, cutoff time.Time) bool {
	line, err := bufio.NewReaderSize(io.NewSectionReader(f, 0, 1<<20), 4096).ReadSlice('\n')
	if err != nil && len(line) == 0 {
		// An empty file has nothing to drop.
		return errors.Is(err, io.EOF)
	}
	var rec struct {
		Time time.Time `json:"time"`
	}
	return json.Unmarshal(line, &rec) == nil && !rec.Time.IsZero() && !rec.Time.Before(cutoff)
}

func filterRecords(r io.Reader, w io.Writer, cutoff time.Time) (kept, dropped int, err error) {
	br := bufio.NewReaderSize(r, 64<<10)
	bw := bufio.NewWriterSize(w, 64<<10)
	for {
		line, rerr := br.ReadBytes('\n')
		if len(line) > 0 {
			var rec struct {
				Time time.Time `json:"time"`
			}
			if json.Unmarshal(line, &rec) == nil && !rec.Time.IsZero() && !rec.Time.Before(cutoff) {
				if line[len(line)-1] != '\n' {
					line = append(line, '\n')
				}
				if _, err := bw.Write(line); err != nil {
					return kept, dropped, err
				}
				kept++
			} else {
				dropped++
			}
		}
		if rerr == io.EOF {
			break
		}
		if rerr != nil {
			return kept, dropped, rerr
		}
	}
	return kept, dropped, bw.Flush()
}

// Close closes the file; later writes are counted as failures.
func (q *QueryLog) Close() error {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.closed = true
	if q.f == nil {
		return nil
	}
	err := q.f.Close()
	q.f = nil
	return err
}

// clip cuts s to at most n bytes at a rune boundary.
func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}
