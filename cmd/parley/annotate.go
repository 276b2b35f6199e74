package main

import "github.com/parley-bot/parley/index"

// annotation returns the people and places extraction the index uses.
func annotation() (index.Options, error) { return index.DefaultOptions() }
