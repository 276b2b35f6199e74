package handlers

// SameThing exposes near-duplicate detection to tests.
func SameThing(a, b string) bool { return sign(a).same(sign(b)) }
