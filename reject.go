package parley

// Rejections hears the requests a front end refuses before they reach an
// answer: a missing or bad signature, a stale timestamp, a replay, a body
// too large. Anyone can send those at any rate, so an implementation counts
// them and logs a summary now and then, never a line each.
type Rejections interface {
	Reject(platform, reason string)
}

// Reasons for Rejections.Reject (metric labels).
const (
	RejectBadSignature = "bad_signature"
	RejectStale        = "stale_timestamp"
	RejectReplayed     = "replayed"
	RejectTooLarge     = "too_large"
	// RejectReplayMemoryFull: a signed request refused because the replay
	// memory is full and could not tell it from a replay.
	RejectReplayMemoryFull = "replay_memory_full"
)
