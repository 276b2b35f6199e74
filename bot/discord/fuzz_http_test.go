package discord

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"
)

// FuzzInteraction signs arbitrary bodies: whatever Discord (or a bug in it)
// sends, the handler answers 200 with a valid response or 400, and never
// panics.
func FuzzInteraction(f *testing.F) {
	for _, i := range []any{
		commandInteraction("who", "subject", "france"),
		commandInteraction("nonsense", "x", "y"),
		autocompleteInteraction("who", "subject", "fr"),
		componentInteraction("u1", "p1|m|who|1|france", nil, nil),
		componentInteraction("u1", "p1|c|who|1|france", []string{"1"}, nil),
		map[string]any{"type": 1},
	} {
		b, _ := json.Marshal(i)
		f.Add(b)
	}
	f.Add([]byte(`{"type":2,"data":{"name":"who","options":[{"name":"subject","type":3,"value":5}]}}`))
	f.Add([]byte(`{"type":2,"data":{"name":"who","options":[null]}}`))
	f.Add([]byte(`{"type":2}`))
	f.Add([]byte(`{"type":3}`))
	f.Add([]byte(`{"type":4,"data":{"name":"who","options":[{"focused":true,"value":[1]}]}}`))
	f.Add([]byte(`{"type":3,"data":{"custom_id":"p1|c|who|1|x","values":["1","2"]},"message":{"embeds":[null]}}`))
	h := newHarness(f, nil)
	f.Fuzz(func(t *testing.T, body []byte) {
		w := httptest.NewRecorder()
		h.mux.ServeHTTP(w, h.signed(body, testNow))
		switch w.Code {
		case http.StatusOK:
			checkResponse(t, w.Body.Bytes())
			checkLimits(t, w.Body.Bytes())
		case http.StatusBadRequest, http.StatusRequestEntityTooLarge:
		default:
			t.Fatalf("status %d for %q", w.Code, body)
		}
	})
}
