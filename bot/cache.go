package bot

import (
	"container/list"
	"context"
	"sync"

	"github.com/parley-bot/parley"
)

// AnswerCache remembers the most recent answers of one engine, so that a
// question a community asks again and again costs one search. It belongs
// to an Engine: a reload brings a new, empty cache with the new articles.
// Cached answers are shared, so callers must treat answers as read-only
// (the front ends only render them).
type AnswerCache struct {
	next parley.Answerer
	size int

	mu    sync.Mutex
	order *list.List // front: most recently used
	items map[cacheKey]*list.Element
}

type cacheKey struct {
	command, query, unknown string
	page                    int
}

type cacheEntry struct {
	key cacheKey
	ans *parley.Answer
}

// NewAnswerCache caches up to size answers of next; size <= 0 returns next
// unchanged.
func NewAnswerCache(next parley.Answerer, size int) parley.Answerer {
	if size <= 0 {
		return next
	}
	return &AnswerCache{next: next, size: size, order: list.New(), items: make(map[cacheKey]*list.Element, size)}
}

// Answer implements parley.Answerer. Who asks does not change an answer,
// so the key is the command, the query and the page only. Errors are not
// cached.
func (c *AnswerCache) Answer(ctx context.Context, req parley.Request) (*parley.Answer, error) {
	key := cacheKey{command: req.Command, query: req.Query, unknown: req.Unknown, page: max(req.Page, 1)}
	c.mu.Lock()
	if el, ok := c.items[key]; ok {
		c.order.MoveToFront(el)
		ans := el.Value.(*cacheEntry).ans
		c.mu.Unlock()
		return ans, nil
	}
	c.mu.Unlock()
	ans, err := c.next.Answer(ctx, req)
	if err != nil || ans == nil {
		return ans, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if el, ok := c.items[key]; ok { // another request filled it meanwhile
		return el.Value.(*cacheEntry).ans, nil
	}
	c.items[key] = c.order.PushFront(&cacheEntry{key: key, ans: ans})
	for c.order.Len() > c.size {
		old := c.order.Back()
		c.order.Remove(old)
		delete(c.items, old.Value.(*cacheEntry).key)
	}
	return ans, nil
}

// Len is how many answers are cached.
func (c *AnswerCache) Len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.order.Len()
}
