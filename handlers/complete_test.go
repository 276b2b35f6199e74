package handlers_test

import (
	"context"
	"testing"

	"github.com/parley-bot/parley"
)

// Autocomplete tolerates the typos the command does: whatever /who or
// /quote takes a misspelling to mean is the first suggestion for it.
func TestCompleteToleratesTheCommandsTypos(t *testing.T) {
	h, _ := seedHandlers(t)
	ctx := context.Background()
	tolerated := 0
	for _, typed := range []string{"frnace", "germnay", "brtain", "ukriane", "macrom", "zelenskiy", "witkof", "starmr", "kushnr"} {
		for _, cmd := range []string{parley.CommandWho, parley.CommandQuote} {
			ans, err := h.Answer(ctx, parley.Request{Command: cmd, Query: typed, Line: "/" + cmd + " " + typed})
			if err != nil {
				t.Fatal(err)
			}
			if ans.Understood == "" {
				continue
			}
			tolerated++
			choices := h.Complete(ctx, cmd, typed, 25)
			if len(choices) == 0 || choices[0].Value != ans.Understood {
				t.Errorf("/%s %s is answered as %q, but autocomplete offers %v", cmd, typed, ans.Understood, choices)
			}
		}
	}
	if tolerated < 6 {
		t.Errorf("only %d misspellings understood by the commands: the test checks too little", tolerated)
	}
}
