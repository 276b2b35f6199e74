package discord

import (
	"errors"

	"github.com/parley-bot/parley"
)

// refuse records a request refused before it reached an answer. Anyone can
// send those at any rate (Discord itself probes with bad signatures): the
// Rejections the adapter is handed counts them and logs a summary, never a
// line each.
func (a *Adapter) refuse(reason string) {
	if a.opts.Rejections != nil {
		a.opts.Rejections.Reject(Platform, reason)
		return
	}
	a.log.Debug("discord: refused interaction", "reason", reason)
}

// refusal is the reason for a failed signature check.
func refusal(err error) string {
	if errors.Is(err, errStale) {
		return parley.RejectStale
	}
	return parley.RejectBadSignature
}
