package slack

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"runtime"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/parley-bot/parley"
)

// BenchmarkSlashCommandHTTP measures the whole HTTP path: a request signed
// afresh (its own body, so replay refusal does not apply) in, verified,
// parsed, answered by a fast fake, rendered and written out as JSON.
func BenchmarkSlashCommandHTTP(b *testing.B) {
	fake := newFake(b)
	ans := fake.answer(parley.Parse("/who france"))
	fast := parley.AnswerFunc(func(context.Context, parley.Request) (*parley.Answer, error) { return ans, nil })
	a := newAdapter(b, fast, nil)
	mux := serve(a)
	i := 0
	b.ReportAllocs()
	for b.Loop() {
		i++
		body := commandBody("/who", "france", "https://hooks.slack.com/commands/T0/"+strconv.Itoa(i)+"/x")
		w := httptest.NewRecorder()
		mux.ServeHTTP(w, signedRequest("/slack/commands", body, testNow))
		if w.Code != 200 {
			b.Fatalf("status %d", w.Code)
		}
	}
}

func BenchmarkRender(b *testing.B) {
	fake := newFake(b)
	ans := fake.answer(parley.Parse("/what military hubs"))
	v := view{Line: "/what military hubs"}
	b.ReportAllocs()
	for b.Loop() {
		m := render(ans, v, commandNames{}, DefaultParleyCommand)
		if len(m.Blocks) == 0 {
			b.Fatal("no blocks")
		}
	}
}

func BenchmarkRenderJSON(b *testing.B) {
	fake := newFake(b)
	ans := fake.answer(parley.Parse("/what military hubs"))
	v := view{Line: "/what military hubs"}
	b.ReportAllocs()
	for b.Loop() {
		m := render(ans, v, commandNames{}, DefaultParleyCommand)
		if out := m.appendJSON(nil); len(out) == 0 {
			b.Fatal("no JSON")
		}
	}
}

// The loopback benchmarks run a real server and 64 client goroutines
// (2 × GOMAXPROCS × 32 on this machine's two cores) over TCP: 1e9/ns_per_op
// is requests per second. Hello world, measured the same way, is the
// yardstick.
func benchLoopback(b *testing.B, h http.Handler, mk func(n int64) *http.Request) {
	srv := httptest.NewServer(h)
	b.Cleanup(srv.Close)
	tr := &http.Transport{MaxIdleConns: 128, MaxIdleConnsPerHost: 128}
	b.Cleanup(tr.CloseIdleConnections)
	client := &http.Client{Transport: tr}
	base, _ := url.Parse(srv.URL)
	var seq atomic.Int64
	b.SetParallelism(max(1, 64/runtime.GOMAXPROCS(0)))
	b.ReportAllocs()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			r := mk(seq.Add(1))
			r.URL.Scheme, r.URL.Host = base.Scheme, base.Host
			resp, err := client.Do(r)
			if err != nil {
				b.Error(err)
				return
			}
			_, _ = io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode != http.StatusOK {
				b.Errorf("status %d", resp.StatusCode)
				return
			}
		}
	})
}

func BenchmarkLoopbackHelloWorld(b *testing.B) {
	benchLoopback(b, http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { _, _ = io.WriteString(w, "hello world") }),
		func(int64) *http.Request {
			r, _ := http.NewRequest(http.MethodGet, "http://x/", nil)
			return r
		})
}

func BenchmarkLoopbackSlashCommand(b *testing.B) {
	fake := newFake(b)
	ans := fake.answer(parley.Parse("/who france"))
	a := newAdapter(b, parley.AnswerFunc(func(context.Context, parley.Request) (*parley.Answer, error) { return ans, nil }),
		func(o *Options) { o.Now = nil })
	benchLoopback(b, serve(a), func(n int64) *http.Request {
		body := commandBody("/who", "france", "https://hooks.slack.com/commands/T0/"+strconv.FormatInt(n, 10)+"/x")
		r, _ := http.NewRequest(http.MethodPost, "http://x/slack/commands", strings.NewReader(body))
		for k, v := range sign(testSecret, time.Now(), body) {
			r.Header[k] = v
		}
		return r
	})
}
