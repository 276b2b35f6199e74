package index_test

import (
	"testing"

	"github.com/parley-bot/parley/index"
)

func testOptions(tb testing.TB) index.Options { return index.Options{} }
