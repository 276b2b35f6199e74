package slack

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/dlclark/regexp2"
	"github.com/parley-bot/parley"
	"github.com/santhosh-tekuri/jsonschema/v6"
	"go.yaml.in/yaml/v3"
)

const schemaFile = "testdata/slack-app-manifest.v1.schema.json"

var manifests = []string{"../../deploy/slack/manifest.yaml", "../../deploy/slack/manifest-http.yaml"}

func compileManifestSchema(t *testing.T) *jsonschema.Schema {
	t.Helper()
	f, err := os.Open(schemaFile)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	doc, err := jsonschema.UnmarshalJSON(f)
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	// JSON Schema patterns are ECMA-262 regular expressions, and Slack's use
	// lookahead, which Go's regexp lacks.
	c.UseRegexpEngine(ecmaRegexp)
	if err := c.AddResource("slack-app-manifest.v1.schema.json", doc); err != nil {
		t.Fatal(err)
	}
	s, err := c.Compile("slack-app-manifest.v1.schema.json")
	if err != nil {
		t.Fatal(err)
	}
	return s
}

type ecma regexp2.Regexp

func (re *ecma) MatchString(s string) bool {
	ok, err := (*regexp2.Regexp)(re).MatchString(s)
	return err == nil && ok
}

func (re *ecma) String() string { return (*regexp2.Regexp)(re).String() }

func ecmaRegexp(s string) (jsonschema.Regexp, error) {
	re, err := regexp2.Compile(s, regexp2.ECMAScript)
	if err != nil {
		return nil, err
	}
	return (*ecma)(re), nil
}

// loadManifest decodes a YAML manifest into plain maps, through JSON so that
// numbers and keys are what the validator expects.
func loadManifest(t *testing.T, path string) any {
	t.Helper()
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var v any
	if err := yaml.Unmarshal(raw, &v); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	js, err := json.Marshal(v)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(js))
	if err != nil {
		t.Fatal(err)
	}
	return doc
}

func TestManifestsValidate(t *testing.T) {
	schema := compileManifestSchema(t)
	for _, path := range manifests {
		t.Run(filepath.Base(path), func(t *testing.T) {
			doc := loadManifest(t, path)
			if err := schema.Validate(doc); err != nil {
				t.Fatalf("%s does not validate: %v", path, err)
			}
			// The schema must be able to refuse: a broken copy fails.
			broken := loadManifest(t, path).(map[string]any)
			feat := broken["features"].(map[string]any)
			cmds := feat["slash_commands"].([]any)
			cmds[0].(map[string]any)["command"] = "who"
			if err := schema.Validate(broken); err == nil {
				t.Error("a command without / validated")
			}
		})
	}
}

// The manifests, the defaults of --slack-command and Slack's built-in
// commands hold together: every command is registered under its default
// name, in the table's order, and none of those names is one Slack owns (a
// manifest naming one is refused whole).
func TestManifestsDeclareCommandTable(t *testing.T) {
	defaults := DefaultCommandNames()
	var want []string
	byName := map[string]parley.Command{}
	for _, c := range parley.Commands() {
		name := defaults[c.Name]
		if IsBuiltin(name) {
			t.Errorf("the default Slack name of %s, %s, is one of Slack's built-in commands", c.Name, name)
		}
		want = append(want, name)
		byName[name] = c
	}
	if IsBuiltin(DefaultParleyCommand) {
		t.Errorf("%s is built into Slack", DefaultParleyCommand)
	}
	want = append(want, DefaultParleyCommand)
	for _, path := range manifests {
		t.Run(filepath.Base(path), func(t *testing.T) {
			m := loadManifest(t, path).(map[string]any)
			feat := m["features"].(map[string]any)
			var got []string
			http := strings.HasSuffix(path, "-http.yaml")
			for _, raw := range feat["slash_commands"].([]any) {
				c := raw.(map[string]any)
				name := c["command"].(string)
				got = append(got, name)
				if row, ok := byName[name]; ok {
					if c["description"] != row.Summary {
						t.Errorf("%s: description %q, want the table's %q", name, c["description"], row.Summary)
					}
					hint, _ := c["usage_hint"].(string)
					if wantHint := strings.TrimSpace(strings.TrimPrefix(row.Usage, "/"+row.Name)); hint != wantHint {
						t.Errorf("%s: usage_hint %q, want %q", name, hint, wantHint)
					}
				}
				if u, _ := c["url"].(string); http != (u != "") || (http && !strings.HasSuffix(u, "/slack/commands")) {
					t.Errorf("%s: url %q", name, u)
				}
			}
			if !slices.Equal(got, want) {
				t.Errorf("commands %v, want %v", got, want)
			}
			scopes := m["oauth_config"].(map[string]any)["scopes"].(map[string]any)["bot"].([]any)
			if len(scopes) != 4 {
				t.Errorf("bot scopes %v, want exactly commands, chat:write, app_mentions:read, im:history", scopes)
			}
			home := feat["app_home"].(map[string]any)
			if home["messages_tab_enabled"] != true {
				t.Error("App Home messages tab off: people cannot DM Parley")
			}
			settings := m["settings"].(map[string]any)
			if settings["socket_mode_enabled"] != !http {
				t.Errorf("socket_mode_enabled = %v", settings["socket_mode_enabled"])
			}
			events := settings["event_subscriptions"].(map[string]any)
			if got := events["bot_events"]; !slices.Equal(toStrings(got), []string{"app_mention", "message.im"}) {
				t.Errorf("bot events %v", got)
			}
			inter := settings["interactivity"].(map[string]any)
			if u, _ := inter["request_url"].(string); http != strings.HasSuffix(u, "/slack/interactions") {
				t.Errorf("interactivity url %q", u)
			}
			if u, _ := events["request_url"].(string); http != strings.HasSuffix(u, "/slack/events") {
				t.Errorf("events url %q", u)
			}
		})
	}
}

// Slack's built-in commands, from its help centre ("Use built-in slash
// commands", https://slack.com/help/articles/201259356): the ones an app
// would most likely pick must be known, and the table's own names are
// checked against the list.
func TestBuiltinCommands(t *testing.T) {
	for _, name := range []string{"/who", "/remind", "/topic", "/invite", "/leave", "/away", "/dnd", "/msg", "/dm", "/search", "/status", "/shrug", "/me", "/feed"} {
		if !IsBuiltin(name) {
			t.Errorf("%s is built into Slack", name)
		}
	}
	for _, name := range []string{"/whois", "/what", "/quote", "/ask", "/sources", "/help", "/parley"} {
		if IsBuiltin(name) {
			t.Errorf("%s is free in Slack", name)
		}
	}
	if got := DefaultCommandNames()[parley.CommandWho]; got != "/whois" {
		t.Errorf("who is %s in Slack, want /whois", got)
	}
	// Renaming a command onto a built-in one is refused, with the reason.
	err := CheckOptions(Options{Commands: map[string]string{"quote": "/remind"}})
	if err == nil || !strings.Contains(err.Error(), "built-in") {
		t.Errorf("renaming quote to /remind: %v", err)
	}
}

func toStrings(v any) []string {
	var out []string
	for _, x := range v.([]any) {
		out = append(out, x.(string))
	}
	return out
}

// The copy in testdata must stay Slack's schema as shared with the project,
// when the shared folder is checked out beside the repository.
func TestSchemaCopyMatchesShared(t *testing.T) {
	shared := filepath.Join("..", "..", "..", "shared", "schemas", "slack-app-manifest.v1.schema.json")
	want, err := os.ReadFile(shared)
	if err != nil {
		t.Logf("no shared schema at %s; validating with the copy in testdata only", shared)
		return
	}
	got, err := os.ReadFile(schemaFile)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from %s", schemaFile, shared)
	}
}
