package index_test

import (
	"testing"

	"github.com/parley-bot/parley/index"
)

func testOptions(tb testing.TB) index.Options {
	tb.Helper()
	opts, err := index.DefaultOptions()
	if err != nil {
		tb.Fatal(err)
	}
	return opts
}
