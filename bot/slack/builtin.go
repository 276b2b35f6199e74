package slack

import (
	"maps"
	"slices"

	"github.com/parley-bot/parley"
)

// builtinCommands returns the slash commands Slack itself owns in every
// workspace. An app cannot register one, and a manifest that names one is
// refused whole, so the command table's names that collide get another
// default name in Slack (defaultRenames). The list is Slack's help centre
// article "Use built-in slash commands"
// (https://slack.com/help/articles/201259356-Use-built-in-slash-commands),
// as mirrored in slack-libpurple's slack-cmd.c; api.slack.com's
// "Implementing slash commands" names /topic and /remind among them.
func builtinCommands() []string {
	return []string{
		"/active", "/apps", "/archive", "/away", "/close", "/collapse", "/dm",
		"/dnd", "/expand", "/feed", "/feedback", "/invite", "/join", "/kick",
		"/leave", "/me", "/msg", "/mute", "/open", "/part", "/prefs", "/remind",
		"/remove", "/rename", "/search", "/shortcuts", "/shrug", "/star",
		"/status", "/topic", "/who",
	}
}

// defaultRenames gives the command table's names that Slack owns the nearest
// free name: "/who" lists a channel's members in Slack, so Parley's /who is
// /whois there.
func defaultRenames() map[string]string {
	return map[string]string{parley.CommandWho: "/whois"}
}

// IsBuiltin says whether Slack owns the slash command name ("/who").
func IsBuiltin(slash string) bool { return slices.Contains(builtinCommands(), slash) }

// DefaultCommandNames maps every command of the table to the slash command
// the shipped manifests register for it: "/" + its name, or the free name
// given where Slack owns that one (who: "/whois"). --slack-command and
// PARLEY_SLACK_COMMANDS change names over these.
func DefaultCommandNames() map[string]string {
	names := map[string]string{}
	for _, c := range parley.Commands() {
		names[c.Name] = "/" + c.Name
	}
	maps.Copy(names, defaultRenames())
	return names
}
