package discord

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"

	"github.com/bwmarrin/discordgo"

	"github.com/parley-bot/parley"
)

// ApplicationCommands are Parley's slash commands, built from the same
// command table that drives /help so the two never drift: one required
// string option where the table has an Option, then its optional extras
// (/quote's topic).
func ApplicationCommands() []*discordgo.ApplicationCommand {
	var out []*discordgo.ApplicationCommand
	for _, c := range parley.Commands() {
		ac := &discordgo.ApplicationCommand{
			Type:        discordgo.ChatApplicationCommand,
			Name:        c.Name,
			Description: truncate(oneLine(c.Summary, 100), 100),
			Options:     []*discordgo.ApplicationCommandOption{},
		}
		if o := c.Option; o != nil {
			ac.Options = append(ac.Options, &discordgo.ApplicationCommandOption{
				Type:         discordgo.ApplicationCommandOptionString,
				Name:         o.Name,
				Description:  truncate(oneLine(o.Description, 100), 100),
				Required:     o.Required,
				Autocomplete: o.Autocomplete,
				MaxLength:    parley.MaxQuery,
			})
			for _, x := range c.Extra {
				ac.Options = append(ac.Options, &discordgo.ApplicationCommandOption{
					Type:         discordgo.ApplicationCommandOptionString,
					Name:         x.Name,
					Description:  truncate(oneLine(x.Description, 100), 100),
					Required:     false, // Discord lists required options first; extras never are
					Autocomplete: x.Autocomplete,
					MaxLength:    parley.MaxQuery,
				})
			}
		}
		out = append(out, ac)
	}
	return out
}

// RegisterOptions configure RegisterCommands.
type RegisterOptions struct {
	// BotToken (DISCORD_BOT_TOKEN) and AppID (DISCORD_APP_ID) are required.
	BotToken string
	AppID    string
	// GuildID (PARLEY_DISCORD_GUILD) registers in one server, where updates
	// show at once. Empty: global commands (Discord may take up to an hour
	// to show changes).
	GuildID string
	// APIBase and HTTPClient as in Options. Empty/nil: Discord, 20s timeout.
	APIBase    string
	HTTPClient *http.Client
	// Logger receives one line on success. Nil: discarded.
	Logger *slog.Logger
}

// RegisterCommands bulk-overwrites the application's commands (global, or
// in GuildID) with ApplicationCommands: commands no longer in the table are
// removed.
func RegisterCommands(ctx context.Context, opts RegisterOptions) error {
	if opts.BotToken == "" || opts.AppID == "" {
		return errors.New("discord: register: DISCORD_BOT_TOKEN and DISCORD_APP_ID are required")
	}
	client, err := restClient(opts.APIBase, opts.HTTPClient)
	if err != nil {
		return fmt.Errorf("discord: register: %w", err)
	}
	s := newSession(botToken(opts.BotToken), client)
	s.ShouldRetryOnRateLimit = true
	cmds := ApplicationCommands()
	got, err := s.ApplicationCommandBulkOverwrite(opts.AppID, opts.GuildID, cmds, discordgo.WithContext(ctx))
	if err != nil {
		return fmt.Errorf("discord: register commands: %w", err)
	}
	log := opts.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	scope := "global"
	if opts.GuildID != "" {
		scope = "guild " + opts.GuildID
	}
	log.Info("discord: commands registered", "component", Platform, "scope", scope, "sent", len(cmds), "registered", len(got))
	return nil
}
