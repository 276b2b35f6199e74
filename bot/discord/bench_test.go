package discord

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
)

func BenchmarkRender(b *testing.B) {
	for _, bc := range []struct {
		name string
		line string
		key  string
	}{
		{"who", "/who france", "/who france"},
		{"sources", "/sources", "/sources"},
		{"long", "/who france", ""},
	} {
		b.Run(bc.name, func(b *testing.B) {
			ans := fixtures(b)[bc.key]
			if bc.key == "" {
				ans = longAnswer(b)
			}
			v := view{Line: bc.line, Asker: "u1"}
			b.ReportAllocs()
			for b.Loop() {
				d := renderAnswer(ans, v)
				if _, err := json.Marshal(response{Type: 4, Data: d}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkHTTPInteraction is the HTTP path in process: a signed /who
// request in, verified, answered by a fast fake, rendered, written out.
func BenchmarkHTTPInteraction(b *testing.B) {
	h := newHarness(b, nil)
	body, _ := json.Marshal(commandInteraction("who", "subject", "france"))
	req := h.signed(body, testNow)
	hdr := req.Header.Clone()
	b.ReportAllocs()
	for b.Loop() {
		r := httptest.NewRequest(http.MethodPost, Path, bytes.NewReader(body))
		r.Header = hdr
		w := httptest.NewRecorder()
		h.mux.ServeHTTP(w, r)
		if w.Code != http.StatusOK {
			b.Fatalf("status %d", w.Code)
		}
	}
}

// BenchmarkLoopback measures requests per second over loopback with
// parallel clients, for the interactions endpoint and, in the same run, a
// hello-world handler as the yardstick.
func BenchmarkLoopback(b *testing.B) {
	h := newHarness(b, nil)
	body, _ := json.Marshal(commandInteraction("who", "subject", "france"))
	hdr := h.signed(body, testNow).Header.Clone()
	hello := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		_, _ = w.Write([]byte(`{"type":1}`))
	})
	for _, bc := range []struct {
		name    string
		handler http.Handler
	}{{"hello", hello}, {"interaction", h.mux}} {
		b.Run(bc.name, func(b *testing.B) {
			srv := httptest.NewServer(bc.handler)
			defer srv.Close()
			client := srv.Client()
			client.Transport.(*http.Transport).MaxIdleConnsPerHost = 64
			b.ReportAllocs()
			b.ResetTimer()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					r, _ := http.NewRequest(http.MethodPost, srv.URL+Path, bytes.NewReader(body))
					r.Header = hdr.Clone()
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
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "req/s")
		})
	}
}
