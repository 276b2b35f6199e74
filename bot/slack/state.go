package slack

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"strconv"
	"strings"

	"github.com/parley-bot/parley"
)

// state is what a button carries, so that any replica can answer a click
// without remembering the message: the command line, the page shown, the
// citation a "Show context" button is for, whether the message was public,
// and the fingerprint of the answer shown. Slack does not send the message
// a button sits under when that message is private (ephemeral), so Share
// and a vote there ask again, and the fingerprint says whether the answer
// is still the one shown (a reload may have changed it).
type state struct {
	Line   string
	Page   int
	N      int
	Public bool
	Sum    string
}

// maxStateLine bounds the line kept in a button value (Slack allows 2000
// characters; Parse cuts queries far shorter anyway).
const maxStateLine = 1900

// encode writes "2|page|n|public|sum|line": the line last and raw, so it
// needs no escaping and a "|" inside it is harmless.
func (s state) encode() string {
	pub := "0"
	if s.Public {
		pub = "1"
	}
	line := cutRunes(strings.ToValidUTF8(s.Line, "\uFFFD"), maxStateLine)
	return "2|" + strconv.Itoa(max(s.Page, 0)) + "|" + strconv.Itoa(max(s.N, 0)) + "|" + pub + "|" + s.Sum + "|" + line
}

var errBadState = errors.New("slack: bad button value")

// decodeState reads a button value; version 1 values (before
// fingerprints, "1|page|n|public|line") still work.
func decodeState(v string) (state, error) {
	var parts []string
	switch {
	case strings.HasPrefix(v, "1|"):
		parts = strings.SplitN(v, "|", 5)
		if len(parts) == 5 {
			parts = []string{parts[0], parts[1], parts[2], parts[3], "", parts[4]}
		}
	case strings.HasPrefix(v, "2|"):
		parts = strings.SplitN(v, "|", 6)
	}
	if len(parts) != 6 || !isHex(parts[4]) {
		return state{}, errBadState
	}
	page, err1 := strconv.Atoi(parts[1])
	n, err2 := strconv.Atoi(parts[2])
	if err1 != nil || err2 != nil || page < 0 || n < 0 || page > 10000 || n > 10000 {
		return state{}, errBadState
	}
	return state{Line: parts[5], Page: page, N: n, Public: parts[3] == "1", Sum: parts[4]}, nil
}

func isHex(s string) bool {
	if len(s) > 64 {
		return false
	}
	_, err := hex.DecodeString(s)
	return err == nil
}

// fingerprint identifies an answer by what it cites on the page shown: the
// same command line answered from the same articles gives the same one.
func fingerprint(ans *parley.Answer) string {
	if ans == nil {
		return ""
	}
	// "page|lead|article:start:end|..." in one buffer, on the stack unless
	// the lead is long, hashed once: a hash.Hash and a string per citation
	// were a tenth of what drawing an answer allocated.
	var buf [512]byte
	b := strconv.AppendInt(buf[:0], int64(max(ans.Page, 1)), 10)
	b = append(b, '|')
	b = append(b, ans.Lead...)
	for _, c := range ans.Citations {
		b = append(b, '|')
		b = append(b, c.Article...)
		b = append(b, ':')
		b = strconv.AppendInt(b, int64(c.Start), 10)
		b = append(b, ':')
		b = strconv.AppendInt(b, int64(c.End), 10)
	}
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:8])
}
