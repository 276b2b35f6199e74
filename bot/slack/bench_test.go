package slack

import (
	"context"
	"net/http/httptest"
	"strconv"
	"testing"

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
		if _, err := encodeJSON(&m); err != nil {
			b.Fatal(err)
		}
	}
}
