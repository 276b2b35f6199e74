package bot

import (
	"context"
	"errors"
	"sync"
	"testing"

	"github.com/parley-bot/parley"
)

func TestAnswerCache(t *testing.T) {
	calls := 0
	fail := false
	next := parley.AnswerFunc(func(_ context.Context, r parley.Request) (*parley.Answer, error) {
		calls++
		if fail {
			return nil, errors.New("index down")
		}
		return &parley.Answer{Command: r.Command, Query: r.Query, Page: max(r.Page, 1)}, nil
	})
	c := NewAnswerCache(next, 2).(*AnswerCache)
	ctx := context.Background()
	ask := func(cmd, q string, page int, user string) *parley.Answer {
		a, err := c.Answer(ctx, parley.Request{Command: cmd, Query: q, Page: page, User: user})
		if err != nil {
			t.Fatal(err)
		}
		return a
	}
	a1 := ask("who", "france", 0, "U1")
	if a2 := ask("who", "france", 1, "U2"); a2 != a1 || calls != 1 {
		t.Fatalf("same question from another user: %d calls, same answer %v", calls, a2 == a1)
	}
	if a := ask("who", "france", 2, "U1"); a == a1 || a.Page != 2 || calls != 2 {
		t.Fatalf("page 2 came from the cache")
	}
	ask("what", "france", 0, "U1") // evicts who/france page 1, the least recently used
	if c.Len() != 2 {
		t.Fatalf("cache holds %d answers, bound 2", c.Len())
	}
	ask("who", "france", 0, "U1")
	if calls != 4 {
		t.Errorf("evicted answer served from cache (%d calls)", calls)
	}
	fail = true
	if _, err := c.Answer(ctx, parley.Request{Command: "ask", Query: "x"}); err == nil {
		t.Fatal("error swallowed")
	}
	fail = false
	if _, err := c.Answer(ctx, parley.Request{Command: "ask", Query: "x"}); err != nil || calls != 6 {
		t.Errorf("an error was cached (%d calls, %v)", calls, err)
	}
	if NewAnswerCache(next, 0) == nil {
		t.Error("size 0 must return next")
	}
}

func TestAnswerCacheConcurrent(t *testing.T) {
	next := parley.AnswerFunc(func(_ context.Context, r parley.Request) (*parley.Answer, error) {
		return &parley.Answer{Query: r.Query}, nil
	})
	c := NewAnswerCache(next, 8)
	var wg sync.WaitGroup
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			for i := 0; i < 500; i++ {
				q := string(rune('a' + (i+g)%16))
				if a, _ := c.Answer(context.Background(), parley.Request{Command: "what", Query: q}); a.Query != q {
					t.Errorf("answer for %q given to %q", a.Query, q)
					return
				}
			}
		}(g)
	}
	wg.Wait()
}
