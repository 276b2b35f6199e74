package slack

import (
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/slack-go/slack"

	"github.com/parley-bot/parley"
)

// Register adds POST /slack/commands, /slack/events and /slack/interactions
// to mux. Without a signing secret it adds nothing: unverifiable requests
// are never served.
func (a *Adapter) Register(mux *http.ServeMux) {
	if a.o.SigningSecret == "" {
		a.log.Info("Slack HTTP endpoints off: no SLACK_SIGNING_SECRET")
		return
	}
	mux.HandleFunc("POST /slack/commands", a.serveCommands)
	mux.HandleFunc("POST /slack/events", a.serveEvents)
	mux.HandleFunc("POST /slack/interactions", a.serveInteractions)
}

// verify checks Slack's v0 signature with slack-go's SecretsVerifier:
// HMAC-SHA256 with the signing secret over "v0:" + timestamp + ":" + the
// raw body, and a timestamp within five minutes of now
// (https://api.slack.com/authentication/verifying-requests-from-slack). It
// returns the signature, the key of the replay memory, or a reason safe to
// log (a malformed timestamp's parse error would echo the header, so none
// of slack-go's errors is passed on as it is).
func (a *Adapter) verify(h http.Header, body []byte) ([32]byte, error) {
	var sig [32]byte
	sv, err := slack.NewSecretsVerifier(h, a.o.SigningSecret)
	switch {
	case errors.Is(err, slack.ErrMissingHeaders):
		return sig, errMissingHeaders
	case errors.Is(err, slack.ErrExpiredTimestamp):
		return sig, errStale
	case err != nil:
		return sig, errBadSignature
	}
	if _, err := sv.Write(body); err != nil {
		return sig, fmt.Errorf("slack: verify: %w", err)
	}
	if err := sv.Ensure(); err != nil {
		return sig, errBadSignature
	}
	// Ensure has decoded the same header: it is 32 bytes of hex after "v0=".
	hex.Decode(sig[:], []byte(strings.TrimPrefix(h.Get("X-Slack-Signature"), "v0=")))
	return sig, nil
}

// Reasons a request is refused, as the log and the README's troubleshooting
// name them.
var (
	errMissingHeaders = errors.New("missing signature headers")
	errStale          = errors.New("timestamp outside the window")
	errBadSignature   = errors.New("bad signature")
)

// read reads and verifies a request before anything of it is parsed. On
// failure it has answered: 413 for a body over MaxBody, else 401 with no
// detail; the reason is logged, never the secret or the signature.
func (a *Adapter) read(w http.ResponseWriter, r *http.Request) ([]byte, [32]byte, bool) {
	body, err := readBody(http.MaxBytesReader(w, r.Body, a.o.MaxBody), r.ContentLength, a.o.MaxBody)
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			a.refuse(parley.RejectTooLarge)
			http.Error(w, "", http.StatusRequestEntityTooLarge)
		} else {
			http.Error(w, "", http.StatusBadRequest)
		}
		return nil, [32]byte{}, false
	}
	sig, err := a.verify(r.Header, body)
	if err != nil {
		a.refuse(refusal(err))
		http.Error(w, "", http.StatusUnauthorized)
		return nil, sig, false
	}
	return body, sig, true
}

// readBody reads a body of a known length up to max in one allocation
// when it is small (io.ReadAll grows its buffer from 512 bytes: four times
// for a slash command), and any other as io.ReadAll does, so that a length
// claimed but not sent holds no memory.
func readBody(body io.Reader, n, max int64) ([]byte, error) {
	if n <= 0 || n > min(max, smallBody) {
		return io.ReadAll(body)
	}
	buf := make([]byte, n)
	if _, err := io.ReadFull(body, buf); err != nil {
		return nil, err
	}
	return buf, nil
}

// smallBody is the most readBody allocates before a body arrives; Slack's
// slash commands and interactions are a few kilobytes.
const smallBody = 16 << 10

// fresh refuses a request whose signature was seen within the window, and
// any new one while the replay memory is full (503: Slack shows the person
// an error, and nothing is answered twice).
func (a *Adapter) fresh(w http.ResponseWriter, r *http.Request, sig [32]byte) bool {
	ts, _ := strconv.ParseInt(r.Header.Get("X-Slack-Request-Timestamp"), 10, 64) // checked by verify
	switch a.replays.add(sig, ts, a.now()) {
	case replayNew:
		return true
	case replayFull:
		a.refuse(parley.RejectReplayMemoryFull)
		http.Error(w, "", http.StatusServiceUnavailable)
		return false
	}
	a.refuse(parley.RejectReplayed)
	http.Error(w, "", http.StatusUnauthorized)
	return false
}

// readForm reads a signed, fresh, form-encoded request (slash commands and
// interactions) and returns the first value of each of keys, "" for one
// it lacks; on any failure it has answered and returns false.
func (a *Adapter) readForm(w http.ResponseWriter, r *http.Request, keys ...string) ([]string, bool) {
	body, sig, ok := a.read(w, r)
	if !ok || !a.fresh(w, r, sig) {
		return nil, false
	}
	values, err := formValues(string(body), keys)
	if err != nil {
		http.Error(w, "", http.StatusBadRequest)
		return nil, false
	}
	return values, true
}

// formValues reads a form-encoded body as url.ParseQuery does, with its
// errors (a semicolon in a field, a bad escape), and returns the first
// value of each of keys. Only those are kept: a slash command carries a
// dozen fields and Parley reads five, and ParseQuery's map of every field
// was a fifth of the allocations of a request.
func formValues(body string, keys []string) ([]string, error) {
	values := make([]string, len(keys))
	found := make([]bool, len(keys))
	var err error
	for body != "" {
		var field string
		field, body, _ = strings.Cut(body, "&")
		if strings.Contains(field, ";") {
			err = cmp.Or(err, errors.New("invalid semicolon separator in query"))
			continue
		}
		if field == "" {
			continue
		}
		key, value, _ := strings.Cut(field, "=")
		key, kerr := url.QueryUnescape(key)
		value, verr := url.QueryUnescape(value)
		if e := cmp.Or(kerr, verr); e != nil {
			err = cmp.Or(err, e)
			continue
		}
		if i := slices.Index(keys, key); i >= 0 && !found[i] {
			values[i], found[i] = value, true
		}
	}
	return values, err
}

func (a *Adapter) serveCommands(w http.ResponseWriter, r *http.Request) {
	f, ok := a.readForm(w, r, "ssl_check", "command", "text", "user_id", "channel_id", "response_url")
	if !ok {
		return
	}
	if f[0] == "1" {
		return // Slack checking the certificate: 200, nothing to answer
	}
	if f[1] == "" {
		http.Error(w, "", http.StatusBadRequest)
		return
	}
	msg := a.slash(slashCommand{Command: f[1], Text: f[2], UserID: f[3], ChannelID: f[4], ResponseURL: f[5]})
	if msg == nil {
		w.WriteHeader(http.StatusOK) // the answer follows via response_url
		return
	}
	a.writeMessage(w, msg)
}

func (a *Adapter) serveEvents(w http.ResponseWriter, r *http.Request) {
	body, _, ok := a.read(w, r)
	if !ok {
		return
	}
	var cb eventCallback
	if err := json.Unmarshal(body, &cb); err != nil {
		http.Error(w, "", http.StatusBadRequest)
		return
	}
	switch cb.Type {
	case "url_verification":
		writeJSON(w, map[string]string{"challenge": cb.Challenge})
	case "event_callback":
		if !a.event(cb) {
			a.log.Debug("event seen before", "retry", r.Header.Get("X-Slack-Retry-Num"))
		}
		w.WriteHeader(http.StatusOK)
	default:
		w.WriteHeader(http.StatusOK)
	}
}

func (a *Adapter) serveInteractions(w http.ResponseWriter, r *http.Request) {
	f, ok := a.readForm(w, r, "payload")
	if !ok {
		return
	}
	var in interaction
	if err := json.Unmarshal([]byte(f[0]), &in); err != nil {
		http.Error(w, "", http.StatusBadRequest)
		return
	}
	w.WriteHeader(http.StatusOK)
	a.later(func(ctx context.Context) { a.interact(ctx, in) })
}

// writeMessage writes msg as JSON from a buffer kept for the next answer
// (the ResponseWriter copies it out before Write returns).
func (a *Adapter) writeMessage(w http.ResponseWriter, msg *message) {
	buf, _ := a.bodies.Get().(*[]byte)
	if buf == nil {
		buf = new([]byte)
	}
	body := msg.appendJSON((*buf)[:0])
	writeBody(w, body)
	// A rare huge answer is not kept.
	if cap(body) <= maxKeptBody {
		*buf = body
		a.bodies.Put(buf)
	}
}

// maxKeptBody bounds the buffers kept: Slack takes 50 blocks of at most 3000
// characters, and answers are a few kilobytes.
const maxKeptBody = 64 << 10

func writeJSON(w http.ResponseWriter, v any) {
	body, err := encodeJSON(v)
	if err != nil {
		http.Error(w, "", http.StatusInternalServerError)
		return
	}
	writeBody(w, body)
}

func writeBody(w http.ResponseWriter, body []byte) {
	h := w.Header()
	h.Set("Content-Type", "application/json; charset=utf-8")
	h.Set("Content-Length", strconv.Itoa(len(body))) // no chunking
	_, _ = w.Write(body)
}

func hashKey(s string) [32]byte { return sha256.Sum256([]byte(s)) }
