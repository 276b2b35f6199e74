package discord

import (
	"bytes"
	"crypto/ed25519"
	"encoding/hex"
	"encoding/json"
	"flag"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/parley-bot/parley"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden.json")

// testNow is the clock of every HTTP test; requests are signed at it.
var testNow = time.Date(2026, 1, 7, 9, 30, 0, 0, time.UTC)

// testKey is a fixed ed25519 key pair, so that golden runs are stable.
func testKey() (ed25519.PublicKey, ed25519.PrivateKey) {
	priv := ed25519.NewKeyFromSeed(bytes.Repeat([]byte{7}, ed25519.SeedSize))
	return priv.Public().(ed25519.PublicKey), priv
}

// restCall is one request the fake Discord REST server received.
type restCall struct {
	Method, Path, Auth string
	Body               []byte
}

// fakeREST is Discord's REST API as far as Parley uses it.
type fakeREST struct {
	*httptest.Server
	calls chan restCall
	// handle, when set, answers instead of the default 204/200.
	mu     sync.Mutex
	handle func(w http.ResponseWriter, r *http.Request, body []byte) bool
}

func newFakeREST(tb testing.TB) *fakeREST {
	tb.Helper()
	f := &fakeREST{calls: make(chan restCall, 64)}
	f.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		f.mu.Lock()
		h := f.handle
		f.mu.Unlock()
		select {
		case f.calls <- restCall{Method: r.Method, Path: r.URL.Path, Auth: r.Header.Get("Authorization"), Body: body}:
		default:
			tb.Errorf("fake REST: too many calls")
		}
		if h != nil && h(w, r, body) {
			return
		}
		switch r.Method {
		case http.MethodDelete:
			w.WriteHeader(http.StatusNoContent)
		case http.MethodPatch:
			w.Header().Set("Content-Type", "application/json")
			_, _ = w.Write([]byte(`{"id":"999","channel_id":"c1","content":""}`))
		default:
			w.WriteHeader(http.StatusNoContent)
		}
	}))
	tb.Cleanup(f.Close)
	return f
}

// next waits for the next REST call, failing after a deadline.
func (f *fakeREST) next(tb testing.TB) restCall {
	tb.Helper()
	select {
	case c := <-f.calls:
		return c
	case <-time.After(10 * time.Second):
		tb.Fatal("no REST call arrived")
		return restCall{}
	}
}

type harness struct {
	a        *Adapter
	mux      *http.ServeMux
	priv     ed25519.PrivateKey
	answerer *fakeAnswerer
	rest     *fakeREST
}

func newHarness(tb testing.TB, edit func(*Options)) *harness {
	tb.Helper()
	pub, priv := testKey()
	h := &harness{priv: priv, answerer: newFakeAnswerer(tb), rest: newFakeREST(tb), mux: http.NewServeMux()}
	opts := Options{
		PublicKey: hex.EncodeToString(pub),
		AppID:     "app1",
		Answerer:  h.answerer,
		APIBase:   h.rest.URL,
		Now:       func() time.Time { return testNow },
		// Fast fakes answer well within this; slow-answer tests shorten it.
		DeferAfter: 5 * time.Second,
	}
	if edit != nil {
		edit(&opts)
	}
	a, err := New(opts)
	if err != nil {
		tb.Fatal(err)
	}
	h.a = a
	a.Register(h.mux)
	return h
}

// signed is a request signed with the harness key at ts.
func (h *harness) signed(body []byte, ts time.Time) *http.Request {
	stamp := strconv.FormatInt(ts.Unix(), 10)
	sig := ed25519.Sign(h.priv, append([]byte(stamp), body...))
	r := httptest.NewRequest(http.MethodPost, Path, bytes.NewReader(body))
	r.Header.Set("Content-Type", "application/json")
	r.Header.Set("X-Signature-Ed25519", hex.EncodeToString(sig))
	r.Header.Set("X-Signature-Timestamp", stamp)
	return r
}

// post sends a signed interaction and returns the status and body.
func (h *harness) post(tb testing.TB, interaction any) (int, []byte) {
	tb.Helper()
	body, err := json.Marshal(interaction)
	if err != nil {
		tb.Fatal(err)
	}
	w := httptest.NewRecorder()
	h.mux.ServeHTTP(w, h.signed(body, testNow))
	return w.Code, w.Body.Bytes()
}

// Interactions as Discord sends them (the fields Parley reads).
func commandInteraction(name, option, value string) map[string]any {
	data := map[string]any{"id": "cmd-" + name, "name": name, "type": 1}
	if option != "" {
		data["options"] = []any{map[string]any{"name": option, "type": 3, "value": value}}
	}
	return map[string]any{
		"id": "i1", "application_id": "app1", "type": 2, "token": "tok1", "version": 1,
		"guild_id": "g1", "channel_id": "c1",
		"member": map[string]any{"user": map[string]any{"id": "u1", "username": "asker"}},
		"data":   data,
	}
}

func autocompleteInteraction(name, option, typed string) map[string]any {
	i := commandInteraction(name, "", "")
	i["type"] = 4
	i["data"].(map[string]any)["options"] = []any{map[string]any{"name": option, "type": 3, "value": typed, "focused": true}}
	return i
}

func componentInteraction(user, customID string, values []string, message any) map[string]any {
	data := map[string]any{"custom_id": customID, "component_type": 2}
	if values != nil {
		data["component_type"] = 3
		data["values"] = values
	}
	i := map[string]any{
		"id": "i2", "application_id": "app1", "type": 3, "token": "tok2", "version": 1,
		"guild_id": "g1", "channel_id": "c1",
		"member": map[string]any{"user": map[string]any{"id": user, "username": "clicker"}},
		"data":   data,
	}
	if message != nil {
		i["message"] = message
	}
	return i
}

// golden compares got (JSON) with testdata/name.golden.json, rewriting it
// with -update.
func golden(tb testing.TB, name string, got []byte) {
	tb.Helper()
	var buf bytes.Buffer
	if err := json.Indent(&buf, got, "", "  "); err != nil {
		tb.Fatal(err)
	}
	buf.WriteByte('\n')
	path := filepath.Join("testdata", name+".golden.json")
	if *update {
		if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
			tb.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		tb.Fatalf("%v (run with -update)", err)
	}
	if !bytes.Equal(want, buf.Bytes()) {
		tb.Errorf("%s differs from the golden file (run with -update to accept):\n%s", path, lineDiff(string(want), buf.String()))
	}
}

func lineDiff(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	var out []string
	for i := 0; i < max(len(w), len(g)) && len(out) < 20; i++ {
		var a, b string
		if i < len(w) {
			a = w[i]
		}
		if i < len(g) {
			b = g[i]
		}
		if a != b {
			out = append(out, "- "+a, "+ "+b)
		}
	}
	return strings.Join(out, "\n")
}

// messageOf turns a response's data into the message Discord would show,
// to click its components in later steps.
func messageOf(tb testing.TB, resp map[string]any) map[string]any {
	tb.Helper()
	d, _ := resp["data"].(map[string]any)
	if d == nil {
		tb.Fatal("response has no data")
	}
	m := map[string]any{"id": "m1", "channel_id": "c1", "content": "", "embeds": d["embeds"], "components": d["components"]}
	if f, ok := d["flags"]; ok {
		m["flags"] = f
	}
	return m
}

// customIDs lists the custom_id of every component of a response, in order.
func customIDs(resp map[string]any) []string {
	var ids []string
	d, _ := resp["data"].(map[string]any)
	rows, _ := d["components"].([]any)
	for _, r := range rows {
		comps, _ := r.(map[string]any)["components"].([]any)
		for _, c := range comps {
			if id, ok := c.(map[string]any)["custom_id"].(string); ok {
				ids = append(ids, id)
			}
		}
	}
	return ids
}

func findID(tb testing.TB, resp map[string]any, prefix string) string {
	tb.Helper()
	for _, id := range customIDs(resp) {
		if strings.HasPrefix(id, prefix) {
			return id
		}
	}
	tb.Fatalf("no component with custom_id %q… in %v", prefix, customIDs(resp))
	return ""
}

var _ = parley.CommandWho
