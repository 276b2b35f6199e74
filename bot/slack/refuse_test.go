package slack

import (
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

// rejections records what a front end refused.
type rejections struct {
	mu  sync.Mutex
	got []string
}

func (r *rejections) Reject(platform, reason string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.got = append(r.got, platform+"/"+reason)
}

// Every refused request is handed to Rejections with its reason, and none
// is logged a line each.
func TestRefusalsGoToRejections(t *testing.T) {
	rec := &rejections{}
	var logs syncBuffer
	mux := serve(newAdapter(t, newFake(t), func(o *Options) {
		o.Rejections = rec
		o.Logger = slog.New(slog.NewJSONHandler(&logs, nil))
	}))
	body := commandBody("/who", "france", "https://hooks.slack.com/commands/T0/1/x")
	unsigned := httptest.NewRequest(http.MethodPost, "/slack/commands", strings.NewReader(body))
	stale := signedRequest("/slack/commands", body, testNow.Add(-10*time.Minute))
	huge := signedRequest("/slack/commands", strings.Repeat("a", DefaultMaxBody+1), testNow)
	for _, r := range []*http.Request{unsigned, stale, huge, signedRequest("/slack/commands", body, testNow), signedRequest("/slack/commands", body, testNow)} {
		mux.ServeHTTP(httptest.NewRecorder(), r)
	}
	want := "slack/bad_signature,slack/stale_timestamp,slack/too_large,slack/replayed"
	if got := strings.Join(rec.got, ","); got != want {
		t.Errorf("rejections %s, want %s", got, want)
	}
	if strings.Contains(logs.String(), "refused") {
		t.Errorf("refusals logged by the front end:\n%s", logs.String())
	}
}
