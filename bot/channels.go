package bot

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"

	"github.com/parley-bot/parley"
)

// ChannelConfig is the per-channel settings file (--config), JSON:
//
//	{
//	  "allowlist": false,
//	  "channels": [
//	    {"platform": "slack", "channel": "*", "replies": "private"},
//	    {"platform": "slack", "channel": "C0123ABCD", "mention_only": true},
//	    {"platform": "discord", "channel": "112233445566778899", "disabled": true}
//	  ]
//	}
//
// A channel's settings are its platform's "*" entry overlaid with its own
// entry. With "allowlist": true, Parley answers only in channels that have an
// entry of their own (and are not disabled).
type ChannelConfig struct {
	Allowlist bool           `json:"allowlist"`
	Channels  []ChannelEntry `json:"channels"`
}

// ChannelEntry is one channel's settings; absent fields inherit.
type ChannelEntry struct {
	// Platform is "slack" or "discord" (any platform name a front end uses).
	Platform string `json:"platform"`
	// Channel is the platform's channel id ("C0123ABCD", a Discord snowflake)
	// or "*" for the platform's default.
	Channel string `json:"channel"`
	// Disabled channels get a short "not enabled here" reply to commands and
	// no reply to mentions.
	Disabled *bool `json:"disabled,omitempty"`
	// MentionOnly channels answer @mentions and not commands.
	MentionOnly *bool `json:"mention_only,omitempty"`
	// Replies is "public", "private" or "" (the platform's default).
	Replies string `json:"replies,omitempty"`
}

// MaxConfigSize bounds the settings file; anything larger is a mistake.
const MaxConfigSize = 4 << 20

// ParseChannelConfig reads and checks a settings file; errors name the entry.
func ParseChannelConfig(r io.Reader) (*ChannelConfig, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxConfigSize+1))
	if err != nil {
		return nil, err
	}
	if len(data) > MaxConfigSize {
		return nil, fmt.Errorf("larger than %d bytes", MaxConfigSize)
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var cfg ChannelConfig
	if err := dec.Decode(&cfg); err != nil {
		return nil, err
	}
	if dec.More() {
		return nil, errors.New("more than one JSON value")
	}
	seen := make(map[[2]string]int)
	for i, e := range cfg.Channels {
		where := fmt.Sprintf("channels[%d]", i)
		switch {
		case strings.TrimSpace(e.Platform) == "":
			return nil, fmt.Errorf("%s: no platform", where)
		case strings.TrimSpace(e.Channel) == "":
			return nil, fmt.Errorf("%s: no channel", where)
		}
		switch e.Replies {
		case "", "public", "private":
		default:
			return nil, fmt.Errorf("%s: replies %q: want \"public\", \"private\" or nothing", where, e.Replies)
		}
		k := [2]string{strings.ToLower(e.Platform), e.Channel}
		if j, dup := seen[k]; dup {
			return nil, fmt.Errorf("%s: %s channel %s already set in channels[%d]", where, e.Platform, e.Channel, j)
		}
		seen[k] = i
	}
	return &cfg, nil
}

// LoadChannelConfig reads and checks the settings file at path.
func LoadChannelConfig(path string) (*ChannelConfig, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("config: %w", err)
	}
	defer f.Close()
	cfg, err := ParseChannelConfig(f)
	if err != nil {
		return nil, fmt.Errorf("config: %s: %w", path, err)
	}
	return cfg, nil
}

// Channels is the parley.ChannelPolicy in force, swapped atomically on
// reload. The zero value (and a nil config) means defaults everywhere.
type Channels struct {
	cur atomic.Pointer[channelTable]
}

type channelTable struct {
	allowlist bool
	entries   map[[2]string]ChannelEntry
}

var _ parley.ChannelPolicy = (*Channels)(nil)

// NewChannels returns a policy with cfg in force (nil: defaults).
func NewChannels(cfg *ChannelConfig) *Channels {
	c := &Channels{}
	c.Set(cfg)
	return c
}

// Set puts cfg in force; nil means defaults everywhere.
func (c *Channels) Set(cfg *ChannelConfig) {
	t := &channelTable{entries: make(map[[2]string]ChannelEntry)}
	if cfg != nil {
		t.allowlist = cfg.Allowlist
		for _, e := range cfg.Channels {
			t.entries[[2]string{strings.ToLower(e.Platform), e.Channel}] = e
		}
	}
	c.cur.Store(t)
}

// Channel implements parley.ChannelPolicy.
func (c *Channels) Channel(platform, channel string) parley.ChannelSettings {
	t := c.cur.Load()
	if t == nil {
		return parley.ChannelSettings{}
	}
	platform = strings.ToLower(platform)
	var s parley.ChannelSettings
	if e, ok := t.entries[[2]string{platform, "*"}]; ok {
		apply(&s, e)
	}
	e, listed := t.entries[[2]string{platform, channel}]
	if listed && channel != "*" {
		apply(&s, e)
	}
	if t.allowlist && (!listed || channel == "*") {
		s.Disabled = true
	}
	return s
}

func apply(s *parley.ChannelSettings, e ChannelEntry) {
	if e.Disabled != nil {
		s.Disabled = *e.Disabled
	}
	if e.MentionOnly != nil {
		s.MentionOnly = *e.MentionOnly
	}
	switch e.Replies {
	case "public", "private":
		// A fresh pointer each time: callers cannot change the table.
		public := e.Replies == "public"
		s.Public = &public
	}
}

// Loader returns a reload function for a Reloader watching path's folder.
func (c *Channels) Loader(path string) func(ctx context.Context) error {
	return func(context.Context) error {
		cfg, err := LoadChannelConfig(path)
		if err != nil {
			return err
		}
		c.Set(cfg)
		return nil
	}
}

// ConfigReloaderOptions returns ReloaderOptions watching the settings file
// at path (its folder, filtered to its name), loading into c.
func (c *Channels) ConfigReloaderOptions(path string) ReloaderOptions {
	base := filepath.Base(path)
	return ReloaderOptions{
		Name:  "config",
		Dir:   filepath.Dir(path),
		Match: func(name string) bool { return name == base },
		Load:  c.Loader(path),
	}
}
