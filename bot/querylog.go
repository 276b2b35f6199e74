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

	// pruneMu serialises prunes; mu guards f and the writes.
	pruneMu sync.Mutex
	mu      sync.Mutex
	f       *os.File
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
	if err := q.Prune(); err != nil {
		return nil, err
	}
	f, err := os.OpenFile(opts.Path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("query log: %w", err)
	}
	q.f = f
	return q, nil
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

// Write appends one record. A failure is logged and counted, never returned:
// the person still gets the answer.
func (q *QueryLog) Write(rec QueryRecord) {
	line, err := json.Marshal(rec)
	if err != nil {
		q.fail(err)
		return
	}
	line = append(line, '\n')
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.f == nil {
		q.fail(errors.New("closed"))
		return
	}
	if _, err := q.f.Write(line); err != nil {
		q.fail(err)
	}
}

func (q *QueryLog) fail(err error) {
	q.log.Warn("query log write failed", "err", err)
	if q.opts.Metrics != nil {
		q.opts.Metrics.queryLogError()
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
	if q.f != nil {
		f, err := os.OpenFile(q.opts.Path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o600)
		if err != nil {
			q.f.Close()
			q.f = nil
			return fmt.Errorf("query log: reopen: %w", err)
		}
		q.f.Close()
		q.f = f
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
