package bot

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/parley-bot/parley"
)

func mustParse(t *testing.T, s string) *ChannelConfig {
	t.Helper()
	cfg, err := ParseChannelConfig(strings.NewReader(s))
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

func settings(disabled, mentionOnly bool, public *bool) parley.ChannelSettings {
	return parley.ChannelSettings{Disabled: disabled, MentionOnly: mentionOnly, Public: public}
}

func ptr[T any](v T) *T { return &v }

func sameSettings(a, b parley.ChannelSettings) bool {
	if a.Disabled != b.Disabled || a.MentionOnly != b.MentionOnly || (a.Public == nil) != (b.Public == nil) {
		return false
	}
	return a.Public == nil || *a.Public == *b.Public
}

const exampleConfig = `{
  "channels": [
    {"platform": "slack", "channel": "*", "replies": "private"},
    {"platform": "slack", "channel": "C0123ABCD", "mention_only": true},
    {"platform": "slack", "channel": "CPUBLIC", "replies": "public"},
    {"platform": "slack", "channel": "COFF", "disabled": true},
    {"platform": "discord", "channel": "112233445566778899", "disabled": true},
    {"platform": "Discord", "channel": "998877", "mention_only": false, "replies": "private"}
  ]
}`

func TestChannelPolicy(t *testing.T) {
	open := NewChannels(mustParse(t, exampleConfig))
	allow := mustParse(t, exampleConfig)
	allow.Allowlist = true
	closed := NewChannels(allow)
	tests := []struct {
		name              string
		policy            *Channels
		platform, channel string
		want              parley.ChannelSettings
	}{
		{"unlisted slack channel gets the platform default", open, "slack", "CELSE", settings(false, false, ptr(false))},
		{"listed channel inherits replies", open, "slack", "C0123ABCD", settings(false, true, ptr(false))},
		{"listed channel overrides replies", open, "slack", "CPUBLIC", settings(false, false, ptr(true))},
		{"disabled channel", open, "slack", "COFF", settings(true, false, ptr(false))},
		{"discord disabled", open, "discord", "112233445566778899", settings(true, false, nil)},
		{"platform names ignore case", open, "discord", "998877", settings(false, false, ptr(false))},
		{"unlisted discord channel: defaults", open, "discord", "1", settings(false, false, nil)},
		{"unknown platform: defaults", open, "irc", "#x", settings(false, false, nil)},
		{"channel ids are case-sensitive", open, "slack", "c0123abcd", settings(false, false, ptr(false))},
		{"allowlist: listed answers", closed, "slack", "C0123ABCD", settings(false, true, ptr(false))},
		{"allowlist: unlisted is off", closed, "slack", "CELSE", settings(true, false, ptr(false))},
		{"allowlist: listed but disabled", closed, "slack", "COFF", settings(true, false, ptr(false))},
		{"allowlist: the * entry is no channel", closed, "slack", "*", settings(true, false, ptr(false))},
		{"allowlist: other platform off", closed, "discord", "1", settings(true, false, nil)},
		{"zero policy: defaults", &Channels{}, "slack", "C1", settings(false, false, nil)},
		{"nil config: defaults", NewChannels(nil), "slack", "C1", settings(false, false, nil)},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := tc.policy.Channel(tc.platform, tc.channel)
			if !sameSettings(got, tc.want) {
				t.Errorf("Channel(%q, %q) = %+v (public %v), want %+v (public %v)",
					tc.platform, tc.channel, got, deref(got.Public), tc.want, deref(tc.want.Public))
			}
		})
	}
	// A caller changing the returned pointer changes nothing for others.
	s := open.Channel("slack", "CPUBLIC")
	*s.Public = false
	if !*open.Channel("slack", "CPUBLIC").Public {
		t.Error("the policy's table was changed through a returned pointer")
	}
}

func deref(b *bool) any {
	if b == nil {
		return nil
	}
	return *b
}

func TestParseChannelConfigErrors(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"empty", ``, "EOF"},
		{"not json", `allowlist: true`, "invalid character"},
		{"unknown field", `{"allowlist": true, "chanels": []}`, "unknown field"},
		{"no platform", `{"channels": [{"channel": "C1"}]}`, "channels[0]: no platform"},
		{"no channel", `{"channels": [{"platform": "slack"}]}`, "channels[0]: no channel"},
		{"bad replies", `{"channels": [{"platform": "slack", "channel": "C1", "replies": "loud"}]}`, `replies "loud"`},
		{"duplicate", `{"channels": [{"platform": "slack", "channel": "C1"}, {"platform": "SLACK", "channel": "C1"}]}`, "already set in channels[0]"},
		{"two values", `{} {}`, "more than one"},
		{"wrong type", `{"allowlist": "yes"}`, "cannot unmarshal"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParseChannelConfig(strings.NewReader(tc.in))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error = %v, want one containing %q", err, tc.want)
			}
		})
	}
	big := `{"channels": [` + strings.Repeat(" ", MaxConfigSize) + `]}`
	if _, err := ParseChannelConfig(strings.NewReader(big)); err == nil || !strings.Contains(err.Error(), "larger than") {
		t.Errorf("huge config: %v", err)
	}
}

func TestLoadChannelConfigNamesFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "channels.json")
	os.WriteFile(path, []byte(`{"channels": [{"platform": "slack"}]}`), 0o644)
	_, err := LoadChannelConfig(path)
	if err == nil || !strings.Contains(err.Error(), path) {
		t.Errorf("error %v does not name the file", err)
	}
	if _, err := LoadChannelConfig(path + ".missing"); err == nil {
		t.Error("missing file: want error")
	}
}

func TestDocumentedConfigParses(t *testing.T) {
	// The example in docs/operations.md and deploy/ must stay valid.
	for _, path := range []string{"../deploy/channels.example.json"} {
		if _, err := LoadChannelConfig(path); err != nil {
			t.Errorf("%s: %v", path, err)
		}
	}
}

func TestConfigReload(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "channels.json")
	writeFile(t, path, `{"channels": [{"platform": "slack", "channel": "C1", "mention_only": true}]}`)
	ch := &Channels{}
	results := make(chan ReloadResult, 16)
	opts := ch.ConfigReloaderOptions(path)
	opts.Debounce, opts.Rescan = time.Millisecond, -1
	opts.OnResult = func(r ReloadResult) { results <- r }
	r, err := NewReloader(opts)
	if err != nil {
		t.Fatal(err)
	}
	if err := r.LoadNow(t.Context()); err != nil {
		t.Fatal(err)
	}
	<-results
	if !ch.Channel("slack", "C1").MentionOnly {
		t.Fatal("initial config not in force")
	}
	watching := make(chan struct{})
	r.watching = func() { close(watching) }
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	go r.Run(ctx)
	<-watching

	writeFile(t, path, `{"allowlist": true, "channels": [{"platform": "slack", "channel": "C2"}]}`)
	waitFor(t, results, "config changed", func(ReloadResult) bool { return ch.Channel("slack", "C1").Disabled })
	writeFile(t, path, `{"allowlist": tru`)
	res := waitFor(t, results, "broken config", func(r ReloadResult) bool { return r.Err != nil })
	if !strings.Contains(res.Err.Error(), "channels.json") {
		t.Errorf("error %v does not name the file", res.Err)
	}
	if !ch.Channel("slack", "C1").Disabled || ch.Channel("slack", "C2").Disabled {
		t.Error("a broken config replaced the one in force")
	}
}

// Kubernetes mounts a ConfigMap as links into a "..data" folder link that is
// swapped on update; the file's own name sees no event.
func TestConfigReloadConfigMapSwap(t *testing.T) {
	dir := t.TempDir()
	mkVersion := func(name, text string) {
		os.Mkdir(filepath.Join(dir, name), 0o755)
		os.WriteFile(filepath.Join(dir, name, "channels.json"), []byte(text), 0o644)
	}
	mkVersion("..v1", `{"channels": [{"platform": "slack", "channel": "C1", "disabled": true}]}`)
	if err := os.Symlink("..v1", filepath.Join(dir, "..data")); err != nil {
		t.Skip("no symlinks:", err)
	}
	os.Symlink("..data/channels.json", filepath.Join(dir, "channels.json"))
	ch := &Channels{}
	results := make(chan ReloadResult, 16)
	opts := ch.ConfigReloaderOptions(filepath.Join(dir, "channels.json"))
	opts.Debounce, opts.Rescan = time.Millisecond, -1
	opts.OnResult = func(r ReloadResult) { results <- r }
	r, _ := NewReloader(opts)
	if err := r.LoadNow(t.Context()); err != nil {
		t.Fatal(err)
	}
	<-results
	watching := make(chan struct{})
	r.watching = func() { close(watching) }
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	go r.Run(ctx)
	<-watching

	mkVersion("..v2", `{"channels": [{"platform": "slack", "channel": "C1", "disabled": false}]}`)
	os.Symlink("..v2", filepath.Join(dir, "..data_tmp"))
	if err := os.Rename(filepath.Join(dir, "..data_tmp"), filepath.Join(dir, "..data")); err != nil {
		t.Fatal(err)
	}
	waitFor(t, results, "configmap swap", func(ReloadResult) bool { return !ch.Channel("slack", "C1").Disabled })
}

func FuzzParseChannelConfig(f *testing.F) {
	f.Add(exampleConfig)
	f.Add(`{"allowlist": true}`)
	f.Add(`{"channels": [{"platform": "slack", "channel": "<!channel>", "replies": "public"}]}`)
	f.Add("\x00\xff{")
	f.Fuzz(func(t *testing.T, in string) {
		cfg, err := ParseChannelConfig(strings.NewReader(in))
		if err != nil {
			return
		}
		p := NewChannels(cfg)
		for _, e := range cfg.Channels {
			p.Channel(e.Platform, e.Channel)
		}
	})
}
