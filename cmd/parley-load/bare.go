package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"slices"
	"strings"
	"time"
	"unicode"

	"github.com/parley-bot/parley/index"
	"github.com/parley-bot/parley/seeds"
)

// serveBare serves bleve over HTTP on ln until ctx ends: GET /search?q=
// answers a bare search of the seeds' sentences (index.Bare: a 5-hit
// highlighted match query, stored text loaded) with bleve's search result
// as JSON. It is what a bot serving bleve's best sentences over HTTP would
// do, the yardstick of Parley's requests per second.
func serveBare(ctx context.Context, ln net.Listener) error {
	defer ln.Close()
	arts, err := index.Load(seeds.FS())
	if err != nil {
		return err
	}
	bare, err := index.BuildBare(ctx, "", arts)
	if err != nil {
		return err
	}
	defer bare.Close()
	mux := http.NewServeMux()
	mux.HandleFunc("GET /search", func(w http.ResponseWriter, r *http.Request) {
		out, err := bare.SearchJSON(r.Context(), r.URL.Query().Get("q"))
		if err != nil {
			http.Error(w, "search failed", http.StatusInternalServerError)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.Write(out)
	})
	mux.HandleFunc("GET /readyz", func(w http.ResponseWriter, r *http.Request) { w.Write([]byte("ok\n")) })
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 5 * time.Second}
	go func() {
		<-ctx.Done()
		srv.Close()
	}()
	if err := srv.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("serve bare: %w", err)
	}
	return nil
}

// wordPairs makes n distinct two-word queries from the words of the
// seeds (four letters or more, each once), always the same n: "w1 w2"
// with w1 before w2 in the words' order, stepping through the pairs with a
// stride prime to their number so that they spread over the vocabulary.
func wordPairs(n int) ([]string, error) {
	arts, err := index.Load(seeds.FS())
	if err != nil {
		return nil, err
	}
	seen := map[string]bool{}
	var words []string
	for _, a := range arts {
		for _, w := range strings.FieldsFunc(strings.ToLower(a.Text), func(r rune) bool { return !unicode.IsLetter(r) }) {
			if len(w) >= 4 && !seen[w] {
				seen[w] = true
				words = append(words, w)
			}
		}
	}
	slices.Sort(words)
	total := len(words) * (len(words) - 1) / 2
	if n > total {
		return nil, fmt.Errorf("-pairs %d: the seeds make only %d", n, total)
	}
	stride := 7919
	for gcd(stride, total) != 1 {
		stride++
	}
	out := make([]string, 0, n)
	for k := 0; len(out) < n; k++ {
		p := (k * stride) % total
		// The p-th pair (i, j), i < j, in row order.
		i := 0
		for row := len(words) - 1; p >= row; row-- {
			p -= row
			i++
		}
		out = append(out, words[i]+" "+words[i+1+p])
	}
	return out, nil
}

func gcd(a, b int) int {
	for b != 0 {
		a, b = b, a%b
	}
	return a
}
