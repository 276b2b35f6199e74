package discord

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/parley-bot/parley"
)

// Path is where Register serves interactions.
const Path = "/discord/interactions"

const (
	// maxBody caps an interaction payload; a component click carries the
	// whole message it sits under, well below this.
	maxBody = 256 << 10
	// maxSkew is how old (or early) a signed timestamp may be.
	maxSkew = 5 * time.Minute
)

// Register adds POST /discord/interactions to mux when a public key is
// configured; without one it adds nothing.
func (a *Adapter) Register(mux *http.ServeMux) {
	if a.key == nil {
		a.log.Info("discord: HTTP interactions endpoint off (no DISCORD_PUBLIC_KEY)")
		return
	}
	mux.Handle("POST "+Path, a)
}

// ServeHTTP verifies and answers one interaction. Nothing of the body is
// parsed before its signature is checked: Discord probes endpoints with bad
// signatures and removes those that accept them.
func (a *Adapter) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBody))
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			a.refuse(parley.RejectTooLarge)
			http.Error(w, "body too large", http.StatusRequestEntityTooLarge)
			return
		}
		http.Error(w, "bad request", http.StatusBadRequest)
		return
	}
	if err := a.verify(r.Header, body); err != nil {
		a.refuse(refusal(err))
		http.Error(w, "invalid request signature", http.StatusUnauthorized)
		return
	}
	var i discordgo.Interaction
	if err := json.Unmarshal(body, &i); err != nil {
		http.Error(w, "bad interaction", http.StatusBadRequest)
		return
	}
	if !a.ownInteraction(&i) {
		http.Error(w, "interaction for another application", http.StatusBadRequest)
		return
	}
	out := a.handle(r.Context(), &i)
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false) // "> quote" stays readable; Discord reads either
	err = enc.Encode(out.resp)
	buf := bytes.TrimSuffix(b.Bytes(), []byte("\n"))
	if err != nil {
		a.log.Error("discord: encode response", "err", err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Content-Length", strconv.Itoa(len(buf)))
	_, werr := w.Write(buf)
	if out.after != nil {
		if werr != nil {
			return
		}
		// The response must reach Discord before the follow-up refers to it.
		if f, ok := w.(http.Flusher); ok {
			f.Flush()
		}
		a.followUp(r.Context(), a.rest, &i, out.after)
	}
}

// ownInteraction says whether i is for the application DISCORD_APP_ID
// names (any, when it is not set), and logs the mismatch otherwise: the
// public key and the id are then from two different applications.
func (a *Adapter) ownInteraction(i *discordgo.Interaction) bool {
	if a.opts.AppID == "" || i.AppID == "" || i.AppID == a.opts.AppID {
		return true
	}
	a.otherApp.Do(func() {
		a.log.Error("discord: interaction refused: it is for another application than DISCORD_APP_ID; check that DISCORD_APP_ID and the key or token are from the same application (General Information); further ones are counted as refusals",
			"interaction_app_id", oneLine(i.AppID, 32), "discord_app_id", a.opts.AppID)
	})
	a.refuse("another application")
	return false
}

// followUp runs after in the background, counted for Drain.
func (a *Adapter) followUp(ctx context.Context, rest *discordgo.Session, i *discordgo.Interaction, after func(context.Context, *discordgo.Session, *discordgo.Interaction)) {
	a.pending.Add(1)
	go func() {
		defer a.pending.Done()
		fctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), answerTimeout+10*time.Second)
		defer cancel()
		after(fctx, rest, i)
	}()
}

var (
	errNoSignature = errors.New("missing signature headers")
	errBadSig      = errors.New("bad signature")
	errStale       = errors.New("timestamp outside 5 minutes")
)

// verify checks X-Signature-Ed25519 over X-Signature-Timestamp + body, then
// the timestamp's age.
func (a *Adapter) verify(h http.Header, body []byte) error {
	sigHex, ts := h.Get("X-Signature-Ed25519"), h.Get("X-Signature-Timestamp")
	if sigHex == "" || ts == "" {
		return errNoSignature
	}
	sig, err := hex.DecodeString(sigHex)
	if err != nil || len(sig) != ed25519.SignatureSize {
		return errBadSig
	}
	msg := make([]byte, 0, len(ts)+len(body))
	msg = append(append(msg, ts...), body...)
	if !ed25519.Verify(a.key, msg, sig) {
		return errBadSig
	}
	sec, err := strconv.ParseInt(strings.TrimSpace(ts), 10, 64)
	if err != nil {
		return errStale
	}
	if d := a.opts.Now().Sub(time.Unix(sec, 0)); d > maxSkew || d < -maxSkew {
		return errStale
	}
	return nil
}
