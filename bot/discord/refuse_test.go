package discord

import (
	"bytes"
	"log/slog"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

type rejections struct {
	mu  sync.Mutex
	got []string
}

func (r *rejections) Reject(platform, reason string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.got = append(r.got, platform+"/"+reason)
}

// Every refused interaction is handed to Rejections with its reason (Discord
// probes endpoints with bad signatures), none logged a line each.
func TestRefusalsGoToRejections(t *testing.T) {
	rec := &rejections{}
	var logs bytes.Buffer
	h := newHarness(t, func(o *Options) {
		o.Rejections = rec
		o.Logger = slog.New(slog.NewJSONHandler(&logs, nil))
	})
	ping := []byte(`{"id":"p","application_id":"app1","type":1,"token":"t","version":1}`)
	bad := h.signed(ping, testNow)
	bad.Header.Set("X-Signature-Ed25519", strings.Repeat("ab", 64))
	big := append([]byte(`{"type":1,"x":"`), bytes.Repeat([]byte("a"), maxBody)...)
	h.mux.ServeHTTP(httptest.NewRecorder(), bad)
	h.mux.ServeHTTP(httptest.NewRecorder(), h.signed(ping, testNow.Add(-10*time.Minute)))
	h.mux.ServeHTTP(httptest.NewRecorder(), h.signed(append(big, `"}`...), testNow))
	want := "discord/bad_signature,discord/stale_timestamp,discord/too_large"
	if got := strings.Join(rec.got, ","); got != want {
		t.Errorf("rejections %s, want %s", got, want)
	}
	if strings.Contains(logs.String(), "refused") {
		t.Errorf("refusals logged by the front end:\n%s", logs.String())
	}
}
