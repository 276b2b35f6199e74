package handlers_test

import "github.com/parley-bot/parley/index"

func indexOptions() (index.Options, error) { return index.DefaultOptions() }
