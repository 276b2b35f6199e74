package slack

import (
	"errors"
	"strconv"
	"strings"
)

// state is what a button carries, so that any replica can answer a click
// without remembering the message: the command line, the page shown, the
// citation a "Show context" button is for, and whether the message was
// public.
type state struct {
	Line   string
	Page   int
	N      int
	Public bool
}

// maxStateLine bounds the line kept in a button value (Slack allows 2000
// characters; Parse cuts queries far shorter anyway).
const maxStateLine = 1900

// encode writes "1|page|n|public|line": the line last and raw, so it needs
// no escaping and a "|" inside it is harmless.
func (s state) encode() string {
	pub := "0"
	if s.Public {
		pub = "1"
	}
	line := cutRunes(strings.ToValidUTF8(s.Line, "\uFFFD"), maxStateLine)
	return "1|" + strconv.Itoa(max(s.Page, 0)) + "|" + strconv.Itoa(max(s.N, 0)) + "|" + pub + "|" + line
}

var errBadState = errors.New("slack: bad button value")

func decodeState(v string) (state, error) {
	parts := strings.SplitN(v, "|", 5)
	if len(parts) != 5 || parts[0] != "1" {
		return state{}, errBadState
	}
	page, err1 := strconv.Atoi(parts[1])
	n, err2 := strconv.Atoi(parts[2])
	if err1 != nil || err2 != nil || page < 0 || n < 0 || page > 10000 || n > 10000 {
		return state{}, errBadState
	}
	return state{Line: parts[4], Page: page, N: n, Public: parts[3] == "1"}, nil
}
