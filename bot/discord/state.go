package discord

import (
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/parley-bot/parley"
)

// Component state lives in custom_id so that any replica can answer a
// click: "p1|<action>|<command>|<page>|<query>". When the query would push
// the id past Discord's 100 characters the last field is left out (no
// trailing "|") and the query is read back from the message's footer.
const statePrefix = "p1"

// Actions a component can carry.
const (
	actMore    = "m" // next page
	actContext = "c" // show the paragraph of the chosen citation
	actUp      = "u" // 👍
	actDown    = "d" // 👎
	actRemove  = "x" // remove a public answer: "p1|x|<asker id>"
)

// state is a decoded custom_id.
type state struct {
	Action  string
	Command string
	Page    int
	Query   string
	// HasQuery is false when the query did not fit and must be recovered.
	HasQuery bool
	// Asker is the user who may remove the answer (actRemove).
	Asker string
}

func encodeState(action, command string, page int, query string) string {
	head := statePrefix + "|" + action + "|" + command + "|" + strconv.Itoa(page)
	if id := head + "|" + query; utf8.RuneCountInString(id) <= maxCustomID {
		return id
	}
	return head
}

func encodeRemove(asker string) string {
	return truncateBytes(statePrefix+"|"+actRemove+"|"+asker, maxCustomID)
}

func truncateBytes(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return s[:byteOffset(s, n)]
}

// decodeState parses a custom_id; ok is false for ids Parley did not make.
func decodeState(id string) (state, bool) {
	parts := strings.SplitN(id, "|", 5)
	if len(parts) < 3 || parts[0] != statePrefix {
		return state{}, false
	}
	st := state{Action: parts[1]}
	if st.Action == actRemove {
		st.Asker = parts[2]
		return st, len(parts) == 3 && st.Asker != ""
	}
	switch st.Action {
	case actMore, actContext, actUp, actDown:
	default:
		return state{}, false
	}
	if len(parts) < 4 {
		return state{}, false
	}
	st.Command = parts[2]
	if _, ok := parley.LookupCommand(st.Command); !ok {
		return state{}, false
	}
	p, err := strconv.Atoi(parts[3])
	if err != nil || p < 1 || p > 10000 {
		return state{}, false
	}
	st.Page = p
	if len(parts) == 5 {
		st.Query, st.HasQuery = parts[4], true
	}
	return st, true
}

// line is the command line a state stands for.
func (st state) line() string {
	if st.Query == "" {
		return "/" + st.Command
	}
	return "/" + st.Command + " " + st.Query
}
