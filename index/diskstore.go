package index

import (
	"encoding/binary"
	"fmt"
	"os"
	"sync"
	"unsafe"
	"weak"

	"github.com/parley-bot/parley"
)

// diskStore reads articles from parley.corpus when an answer needs them.
//
// An article read is kept two ways. The most recently used stay in memory
// up to a budget of bytes (lru). Beyond it, weak pointers remember every
// article still held by someone, so that while an answer holds an article
// or one of its sentences, it gets the very same one again: handlers may
// compare sentences by pointer, and a sentence read twice would be two.
type diskStore struct {
	f    *os.File
	recs []diskArticle
	// shells are the articles as listed, without text and sentences; a
	// read article copies one and adds them.
	shells []*parley.Article
	names  []string
	kinds  []string
	lists  [][]string

	mu    sync.Mutex
	weak  []weakArticle
	cache *lru
}

type weakArticle struct {
	article weak.Pointer[parley.Article]
	// sentences points at the first sentence, which keeps the whole array:
	// a sentence can outlive its article's struct.
	sentences weak.Pointer[parley.Sentence]
}

func (d *diskStore) close() error { return d.f.Close() }

func (d *diskStore) article(i int) (*parley.Article, error) {
	d.mu.Lock()
	if d.weak == nil {
		d.weak = make([]weakArticle, len(d.recs))
	}
	if a := d.weak[i].article.Value(); a != nil {
		d.cache.use(i, a)
		d.mu.Unlock()
		return a, nil
	}
	d.mu.Unlock()

	// Read without the lock: another answer may read the same article
	// meanwhile, and the first to finish wins (below).
	a, err := d.read(i)
	if err != nil {
		return nil, err
	}

	d.mu.Lock()
	defer d.mu.Unlock()
	w := &d.weak[i]
	if won := w.article.Value(); won != nil {
		d.cache.use(i, won)
		return won, nil
	}
	if first := w.sentences.Value(); first != nil && len(a.Sentences) > 0 {
		// The article's struct is gone but some of its sentences are held:
		// keep those, with the text read again.
		a.Sentences = unsafe.Slice(first, len(a.Sentences))
	}
	w.article = weak.Make(a)
	if len(a.Sentences) > 0 {
		w.sentences = weak.Make(&a.Sentences[0])
	}
	d.cache.use(i, a)
	return a, nil
}

// read reads article i's rows and text in one call and builds the article.
func (d *diskStore) read(i int) (*parley.Article, error) {
	rec := d.recs[i]
	buf := make([]byte, rec.size())
	if _, err := d.f.ReadAt(buf, rec.Off); err != nil {
		return nil, fmt.Errorf("index: read article %s: %w", rec.ID, err)
	}
	n := int(rec.Sentences)
	text := string(buf[n*rowSize:])
	a := new(parley.Article)
	*a = *d.shells[i]
	a.Text = text
	a.Sentences = make([]parley.Sentence, n)
	for j := range a.Sentences {
		row := buf[j*rowSize : (j+1)*rowSize]
		var v [8]int
		for k := range v {
			v[k] = int(binary.LittleEndian.Uint32(row[4*k:]))
		}
		start, end, para, ps, pe, speaker, people, places := v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7]
		kind := int(row[32])
		if start > end || end > len(text) || ps > pe || pe > len(text) || speaker >= len(d.names) ||
			people >= len(d.lists) || places >= len(d.lists) || kind >= len(d.kinds) {
			return nil, fmt.Errorf("index: article %s: sentence %d is corrupt", rec.ID, j)
		}
		a.Sentences[j] = parley.Sentence{Article: a.ID, Position: j, Paragraph: para, Start: start, End: end,
			ParagraphStart: ps, ParagraphEnd: pe, Speaker: d.names[speaker], Kind: d.kinds[kind],
			People: d.lists[people], Places: d.lists[places], Features: parley.Features(row[33])}
	}
	return a, nil
}

// lru keeps the most recently used articles in memory up to a budget of
// bytes, in a list threaded through arrays indexed by article.
type lru struct {
	held       []*parley.Article
	cost       []int
	prev, next []int32
	head, tail int32 // most and least recently used; -1 when empty
	used, max  int
}

func newLRU(n, budget int) *lru {
	l := &lru{held: make([]*parley.Article, n), cost: make([]int, n), prev: make([]int32, n), next: make([]int32, n),
		head: -1, tail: -1, max: budget}
	return l
}

// sentenceSize is what one parley.Sentence costs in memory.
const sentenceSize = int(unsafe.Sizeof(parley.Sentence{}))

// use makes article i, read as a, the most recently used, and lets go of
// the least recently used beyond the budget.
func (l *lru) use(i int, a *parley.Article) {
	if l.held[i] != nil {
		if l.head == int32(i) {
			l.held[i] = a
			return
		}
		l.unlink(i)
	} else {
		l.cost[i] = len(a.Text) + len(a.Sentences)*sentenceSize + 256
		l.used += l.cost[i]
	}
	l.held[i] = a
	l.prev[i], l.next[i] = -1, l.head
	if l.head >= 0 {
		l.prev[l.head] = int32(i)
	}
	l.head = int32(i)
	if l.tail < 0 {
		l.tail = int32(i)
	}
	for l.used > l.max && l.tail >= 0 && l.tail != int32(i) {
		t := int(l.tail)
		l.unlink(t)
		l.held[t] = nil
		l.used -= l.cost[t]
	}
}

func (l *lru) unlink(i int) {
	p, n := l.prev[i], l.next[i]
	if p >= 0 {
		l.next[p] = n
	} else {
		l.head = n
	}
	if n >= 0 {
		l.prev[n] = p
	} else {
		l.tail = p
	}
}
