package handlers

// SameThing exposes near-duplicate detection to tests.
func SameThing(a, b string) bool { return sign(a).same(sign(b)) }

// WithArticle exposes the place-name article rule to tests.
func WithArticle(place string) string { return withArticle(place) }
