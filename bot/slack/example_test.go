package slack_test

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/parley-bot/parley"
	"github.com/parley-bot/parley/bot/slack"
)

// A Slack adapter over HTTP: New with the signing secret and an Answerer,
// Register on the server's mux. Here a signed /who command comes in and the
// reply's plain-text fallback is printed.
func Example() {
	answerer := parley.AnswerFunc(func(_ context.Context, req parley.Request) (*parley.Answer, error) {
		return &parley.Answer{Command: req.Command, Query: req.Query, Covered: true,
			Lead: "People of " + req.Query + " in the articles: Emmanuel Macron [1]."}, nil
	})
	a, err := slack.New(slack.Options{SigningSecret: "example-secret", Answerer: answerer})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer a.Shutdown(context.Background())
	mux := http.NewServeMux()
	a.Register(mux)

	body := url.Values{"command": {"/who"}, "text": {"France"}, "user_id": {"U1"}, "channel_id": {"C1"}}.Encode()
	ts := strconv.FormatInt(time.Now().Unix(), 10)
	mac := hmac.New(sha256.New, []byte("example-secret"))
	mac.Write([]byte("v0:" + ts + ":" + body))
	r := httptest.NewRequest(http.MethodPost, "/slack/commands", strings.NewReader(body))
	r.Header.Set("X-Slack-Request-Timestamp", ts)
	r.Header.Set("X-Slack-Signature", "v0="+hex.EncodeToString(mac.Sum(nil)))
	w := httptest.NewRecorder()
	mux.ServeHTTP(w, r)

	var reply struct {
		ResponseType string `json:"response_type"`
		Text         string `json:"text"`
	}
	_ = json.Unmarshal(w.Body.Bytes(), &reply)
	fmt.Println(w.Code, reply.ResponseType, reply.Text)
	// Output: 200 ephemeral People of France in the articles: Emmanuel Macron [1].
}
