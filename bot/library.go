package bot

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"

	"github.com/parley-bot/parley"
)

// Engine is one loaded generation of the articles: what answers, what
// autocompletes, and how big it is.
type Engine struct {
	Answerer parley.Answerer
	// Completer may be nil: no suggestions.
	Completer parley.Completer
	Articles  int
	Sentences int
	// Close, when set, releases the engine (an on-disk index) once it has
	// been replaced and the last answer using it has finished.
	Close func() error
}

// ErrNotLoaded is returned by a Library before its first engine is set.
var ErrNotLoaded = errors.New("bot: articles not loaded yet")

// Library holds the engine now serving and swaps it atomically: an answer
// that started on the old engine finishes on it, the next one uses the new.
// It implements parley.Answerer and parley.Completer, so front ends are
// handed the Library once and never see a reload.
type Library struct {
	cur     atomic.Pointer[generation]
	metrics *Metrics
	log     *slog.Logger
	gen     atomic.Int64
}

type generation struct {
	eng     Engine
	n       int64
	refs    atomic.Int64
	retired atomic.Bool
	once    sync.Once
	log     *slog.Logger
}

// NewLibrary returns an empty library; m (may be nil) gets the articles and
// sentences gauges, log (may be nil) the swaps.
func NewLibrary(m *Metrics, log *slog.Logger) *Library {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Library{metrics: m, log: log.With("component", "library")}
}

// Set makes eng the engine serving from now on. The previous engine is
// closed (if it has a Close) when its last answer in flight is done.
func (l *Library) Set(eng Engine) {
	g := &generation{eng: eng, n: l.gen.Add(1), log: l.log}
	old := l.cur.Swap(g)
	if l.metrics != nil {
		l.metrics.SetIndexed(eng.Articles, eng.Sentences)
	}
	l.log.Info("engine swapped in", "generation", g.n, "articles", eng.Articles, "sentences", eng.Sentences)
	if old != nil {
		old.retired.Store(true)
		if old.refs.Load() == 0 {
			old.close()
		}
	}
}

// Loaded reports whether an engine is serving; for readiness use Check.
func (l *Library) Loaded() bool { return l.cur.Load() != nil }

// Check is a readiness check: an error until the first engine is set.
func (l *Library) Check() error {
	if !l.Loaded() {
		return ErrNotLoaded
	}
	return nil
}

// Stats returns the size of the engine serving (zeros before the first).
func (l *Library) Stats() (articles, sentences int) {
	g := l.cur.Load()
	if g == nil {
		return 0, 0
	}
	return g.eng.Articles, g.eng.Sentences
}

// Generation counts the engines set so far (1 after the first Set).
func (l *Library) Generation() int64 { return l.gen.Load() }

// acquire pins the current generation so it is not closed while in use.
func (l *Library) acquire() *generation {
	for {
		g := l.cur.Load()
		if g == nil {
			return nil
		}
		g.refs.Add(1)
		if l.cur.Load() == g {
			return g
		}
		// Swapped between the load and the pin: unpin and take the new one.
		g.release()
	}
}

func (g *generation) release() {
	if g.refs.Add(-1) == 0 && g.retired.Load() {
		g.close()
	}
}

func (g *generation) close() {
	g.once.Do(func() {
		if g.eng.Close == nil {
			return
		}
		if err := g.eng.Close(); err != nil {
			g.log.Warn("closing replaced engine", "generation", g.n, "err", err)
		}
	})
}

// Answer answers with the engine serving now.
func (l *Library) Answer(ctx context.Context, req parley.Request) (*parley.Answer, error) {
	g := l.acquire()
	if g == nil {
		return nil, ErrNotLoaded
	}
	defer g.release()
	if g.eng.Answerer == nil {
		return nil, fmt.Errorf("bot: engine %d has no answerer", g.n)
	}
	return g.eng.Answerer.Answer(ctx, req)
}

// Complete suggests with the engine serving now; nothing before the first.
func (l *Library) Complete(ctx context.Context, command, typed string, limit int) []parley.Choice {
	g := l.acquire()
	if g == nil {
		return nil
	}
	defer g.release()
	if g.eng.Completer == nil {
		return nil
	}
	return g.eng.Completer.Complete(ctx, command, typed, limit)
}

// CheckShrink refuses a reload that would make answers worse without
// anyone noticing: a new generation of no articles, or of fewer than half
// the articles serving now unless allow (an operator's setting) says the
// drop is meant. A folder recreated empty, or a sync tool that has copied
// a tenth of the files, must not replace the index serving.
func (l *Library) CheckShrink(articles int, allow bool) error {
	if articles == 0 {
		return errors.New("no articles: keeping the articles serving")
	}
	cur, _ := l.Stats()
	if !allow && l.Loaded() && articles*2 < cur {
		return fmt.Errorf("%d articles, down from %d: a drop of more than half is refused (a folder half copied or half deleted?); "+
			"to drop them on purpose set --allow-shrink (PARLEY_ALLOW_SHRINK=true), or restart", articles, cur)
	}
	return nil
}

// Loader returns a reload function for a Reloader: it builds a new engine
// with build and swaps it in; on error the engine serving stays.
func (l *Library) Loader(build func(ctx context.Context) (Engine, error)) func(ctx context.Context) error {
	return func(ctx context.Context) error {
		eng, err := build(ctx)
		if err != nil {
			return err
		}
		if eng.Answerer == nil {
			return errors.New("bot: build returned an engine without an answerer")
		}
		l.Set(eng)
		return nil
	}
}
