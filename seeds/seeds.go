// Package seeds holds the articles Parley ships with, embedded so that the
// binary needs no files around it.
package seeds

import (
	"embed"
	"io/fs"
)

//go:embed *.txt articles.json
var files embed.FS

// FS returns the seed articles: *.txt and articles.json at its root.
func FS() fs.FS { return files }
