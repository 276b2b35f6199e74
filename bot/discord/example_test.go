package discord_test

import (
	"fmt"

	"github.com/parley-bot/parley/bot/discord"
)

// The slash commands Parley registers come from the command table.
func ExampleApplicationCommands() {
	for _, c := range discord.ApplicationCommands() {
		line := "/" + c.Name
		for _, o := range c.Options {
			line += " " + o.Name + ":"
			if o.Autocomplete {
				line += " (autocomplete)"
			}
		}
		fmt.Println(line)
	}
	// Output:
	// /who subject: (autocomplete)
	// /what topic: (autocomplete)
	// /quote person: (autocomplete) topic:
	// /ask question:
	// /sources
	// /help
}
