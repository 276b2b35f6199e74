package discord

import (
	"bytes"
	"encoding/json"
	"os"
	"sync"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

// Schemas from Discord's OpenAPI spec (testdata/discord-openapi.json, MIT,
// see testdata/discord-openapi.NOTICE.md). Each is a root holding the
// spec's components beside one request body schema, so that its
// "#/components/schemas/..." references resolve.
type specSchemas struct {
	callback *jsonschema.Schema         // POST /interactions/{id}/{token}/callback
	byType   map[int]*jsonschema.Schema // the callback variant for each response type
	commands *jsonschema.Schema         // PUT /applications/{application_id}/commands
	edit     *jsonschema.Schema         // PATCH /webhooks/{id}/{token}/messages/@original
	message  *jsonschema.Schema         // POST /channels/{channel_id}/messages
	err      error
}

var (
	schemasOnce sync.Once
	schemasVal  specSchemas
)

func loadSchemas(tb testing.TB) *specSchemas {
	tb.Helper()
	schemasOnce.Do(func() { schemasVal = compileSchemas() })
	if schemasVal.err != nil {
		tb.Fatalf("discord spec: %v", schemasVal.err)
	}
	return &schemasVal
}

func compileSchemas() (out specSchemas) {
	f, err := os.Open("testdata/discord-openapi.json")
	if err != nil {
		out.err = err
		return out
	}
	defer f.Close()
	doc, err := jsonschema.UnmarshalJSON(f)
	if err != nil {
		out.err = err
		return out
	}
	spec := doc.(map[string]any)
	components := spec["components"]
	paths := spec["paths"].(map[string]any)
	body := func(path, method string) any {
		op := paths[path].(map[string]any)[method].(map[string]any)
		return op["requestBody"].(map[string]any)["content"].(map[string]any)["application/json"].(map[string]any)["schema"]
	}
	c := jsonschema.NewCompiler()
	c.DefaultDraft(jsonschema.Draft2020)
	c.AssertFormat()
	compile := func(name string, schema any) *jsonschema.Schema {
		if out.err != nil {
			return nil
		}
		root := map[string]any{"components": components}
		for k, v := range schema.(map[string]any) {
			root[k] = v
		}
		url := "mem:///" + name + ".json"
		if err := c.AddResource(url, root); err != nil {
			out.err = err
			return nil
		}
		s, err := c.Compile(url)
		if err != nil {
			out.err = err
		}
		return s
	}
	ref := func(name string) any { return map[string]any{"$ref": "#/components/schemas/" + name} }
	out.callback = compile("callback", body("/interactions/{interaction_id}/{interaction_token}/callback", "post"))
	out.byType = map[int]*jsonschema.Schema{
		1: compile("pong", ref("PongInteractionCallbackRequest")),
		4: compile("message", ref("CreateMessageInteractionCallbackRequest")),
		6: compile("update", ref("UpdateMessageInteractionCallbackRequest")),
		8: compile("autocomplete", ref("ApplicationCommandAutocompleteCallbackRequest")),
	}
	out.byType[5] = out.byType[4]
	out.byType[7] = out.byType[6]
	out.commands = compile("commands", body("/applications/{application_id}/commands", "put"))
	out.edit = compile("edit", body("/webhooks/{webhook_id}/{webhook_token}/messages/@original", "patch"))
	out.message = compile("channelmessage", body("/channels/{channel_id}/messages", "post"))
	return out
}

func decodeInstance(tb testing.TB, raw []byte) any {
	tb.Helper()
	v, err := jsonschema.UnmarshalJSON(bytes.NewReader(raw))
	if err != nil {
		tb.Fatalf("not JSON: %v\n%s", err, raw)
	}
	return v
}

// checkResponse validates an interaction response against the callback
// body schema and against the variant its type names, and checks what the
// spec cannot: every message sets allowed_mentions to parse nothing.
func checkResponse(tb testing.TB, raw []byte) map[string]any {
	tb.Helper()
	s := loadSchemas(tb)
	inst := decodeInstance(tb, raw)
	if err := s.callback.Validate(inst); err != nil {
		tb.Fatalf("response does not match the spec: %v\n%s", err, raw)
	}
	var resp struct {
		Type int             `json:"type"`
		Data json.RawMessage `json:"data"`
	}
	if err := json.Unmarshal(raw, &resp); err != nil {
		tb.Fatal(err)
	}
	variant, ok := s.byType[resp.Type]
	if !ok {
		tb.Fatalf("unexpected response type %d", resp.Type)
	}
	if err := variant.Validate(inst); err != nil {
		tb.Fatalf("type %d response does not match its schema: %v\n%s", resp.Type, err, raw)
	}
	if resp.Type == 4 {
		checkNoMentions(tb, resp.Data)
	}
	var m map[string]any
	_ = json.Unmarshal(raw, &m)
	return m
}

// checkNoMentions fails unless data has allowed_mentions {"parse": []} and
// allows no user, role or replied user.
func checkNoMentions(tb testing.TB, data []byte) {
	tb.Helper()
	var d struct {
		AllowedMentions *struct {
			Parse       []string `json:"parse"`
			Users       []string `json:"users"`
			Roles       []string `json:"roles"`
			RepliedUser bool     `json:"replied_user"`
		} `json:"allowed_mentions"`
	}
	if err := json.Unmarshal(data, &d); err != nil {
		tb.Fatal(err)
	}
	am := d.AllowedMentions
	if am == nil || am.Parse == nil || len(am.Parse) != 0 || len(am.Users) != 0 || len(am.Roles) != 0 || am.RepliedUser {
		tb.Fatalf("allowed_mentions must be present and parse nothing: %s", data)
	}
}

func TestSchemasRejectBadResponses(t *testing.T) {
	s := loadSchemas(t)
	for _, bad := range []string{
		`{"type":4,"data":{"embeds":"no"}}`,
		`{"type":42}`,
		`{"type":8,"data":{"choices":[{"name":"` + string(bytes.Repeat([]byte("x"), 101)) + `","value":"x"}]}}`,
		`{"type":4,"data":{"embeds":[{"title":"` + string(bytes.Repeat([]byte("x"), 257)) + `"}]}}`,
		`{"type":4,"data":{"embeds":[{"url":"not a url"}]}}`,
	} {
		inst := decodeInstance(t, []byte(bad))
		var resp struct{ Type int }
		_ = json.Unmarshal([]byte(bad), &resp)
		v := s.byType[resp.Type]
		if s.callback.Validate(inst) == nil && (v == nil || v.Validate(inst) == nil) {
			t.Errorf("the spec accepted %s", bad)
		}
	}
	if err := s.callback.Validate(decodeInstance(t, []byte(`{"type":1}`))); err != nil {
		t.Errorf("PONG rejected: %v", err)
	}
}
