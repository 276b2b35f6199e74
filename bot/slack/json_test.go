package slack

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
)

// reflectJSON is what encoding/json writes for m without HTML escaping and
// without message's and block's own MarshalJSON.
func reflectJSON(t *testing.T, m message) []byte {
	t.Helper()
	// The same fields and tags, without the methods; a button's label is
	// the text object Slack reads.
	type plainElement struct {
		Type     string `json:"type"`
		Text     any    `json:"text"`
		Emoji    emoji  `json:"emoji,omitempty"`
		ActionID string `json:"action_id,omitempty"`
		Value    string `json:"value,omitempty"`
		Style    string `json:"style,omitempty"`
	}
	reflected := func(e element) plainElement {
		pe := plainElement{Type: e.Type, Text: e.Text, Emoji: e.Emoji, ActionID: e.ActionID, Value: e.Value, Style: e.Style}
		if e.Type == "button" {
			pe.Text = &textObject{Type: "plain_text", Text: e.Text, Emoji: emojiOn}
		}
		return pe
	}
	type plainBlock struct {
		Type      string         `json:"type"`
		BlockID   string         `json:"block_id,omitempty"`
		Text      *textObject    `json:"text,omitempty"`
		Accessory *plainElement  `json:"accessory,omitempty"`
		Elements  []plainElement `json:"elements,omitempty"`
	}
	type plainMessage struct {
		ResponseType    string       `json:"response_type,omitempty"`
		ReplaceOriginal bool         `json:"replace_original"`
		Text            string       `json:"text"`
		Blocks          []plainBlock `json:"blocks,omitempty"`
		UnfurlLinks     bool         `json:"unfurl_links"`
		UnfurlMedia     bool         `json:"unfurl_media"`
	}
	pm := plainMessage{ResponseType: m.ResponseType, ReplaceOriginal: m.ReplaceOriginal, Text: m.Text, UnfurlLinks: m.UnfurlLinks, UnfurlMedia: m.UnfurlMedia}
	for _, b := range m.Blocks {
		if len(b.Raw) > 0 {
			t.Fatalf("raw block %s has no reflected form", b.Raw)
		}
		pb := plainBlock{Type: b.Type, BlockID: b.BlockID, Text: b.Text}
		if b.Accessory != nil {
			acc := reflected(*b.Accessory)
			pb.Accessory = &acc
		}
		for _, e := range b.Elements {
			pb.Elements = append(pb.Elements, reflected(e))
		}
		pm.Blocks = append(pm.Blocks, pb)
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(pm); err != nil {
		t.Fatal(err)
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n"))
}

func FuzzAppendJSON(f *testing.F) {
	f.Add("plain", "<https://x|y> & \"q\" \\ \n\t\x01 \u2028 \xff 🇺🇦", true)
	f.Add("", "", false)
	f.Fuzz(func(t *testing.T, a, b string, flag bool) {
		e := emojiOff
		if flag {
			e = emojiOn
		}
		m := message{ResponseType: a, ReplaceOriginal: flag, Text: b, UnfurlMedia: flag, Blocks: []block{
			{Type: "section", Text: &textObject{Type: "mrkdwn", Text: b}, Accessory: &element{Type: "button", Text: a, ActionID: a, Value: b}},
			{Type: "context", BlockID: a, Elements: []element{{Type: "mrkdwn", Text: b}, {Type: "plain_text", Text: a, Style: b, Emoji: e}}},
			{Type: "divider"},
		}}
		got := m.appendJSON(nil)
		want := reflectJSON(t, m)
		if !bytes.Equal(got, want) {
			t.Fatalf("appendJSON:\n%s\nencoding/json:\n%s", got, want)
		}
		var back any
		if err := json.Unmarshal(got, &back); err != nil {
			t.Fatalf("not JSON: %v", err)
		}
	})
}

func TestMarshalJSONMatchesGoldenShape(t *testing.T) {
	fake := newFake(t)
	for _, line := range []string{"/who france", "/what hubs", "/help", "/sources"} {
		ans := fake.answer(parseLine(line))
		m := render(ans, view{Line: line}, commandNames{}, DefaultParleyCommand)
		m.ResponseType = responseEphemeral
		if got, want := m.appendJSON(nil), reflectJSON(t, m); !bytes.Equal(got, want) {
			t.Errorf("%s: hand-written JSON differs:\n%s\n%s", line, got, want)
		}
		viaMarshal, err := json.Marshal(m)
		if err != nil {
			t.Fatal(err)
		}
		if !json.Valid(viaMarshal) {
			t.Errorf("json.Marshal output invalid")
		}
	}
}

// TestAppendStringEveryPosition puts each kind of byte that needs a look
// (control, quote, backslash, DEL, a multi-byte rune, U+2028, invalid
// UTF-8) at every position of a string two words long and more, where
// appendString's eight-byte skipping must stop for it, and compares with
// encoding/json.
func TestAppendStringEveryPosition(t *testing.T) {
	special := []string{"\x00", "\x1f", "\n", `"`, `\`, "\x7f", " ", "~", "é", "’", "\u2028", "\u2029", "🇺🇦", "\xff", "\xe2\x80"}
	for _, sp := range special {
		for n := 0; n <= 20; n++ {
			for at := 0; at <= n; at++ {
				s := strings.Repeat("a", at) + sp + strings.Repeat("b", n-at)
				want, err := json.Marshal(s)
				if err != nil {
					t.Fatal(err)
				}
				// encoding/json escapes <, > and & unless told not to; s has none.
				if got := appendString(nil, s); !bytes.Equal(got, want) {
					t.Errorf("appendString(%q) = %s, want %s", s, got, want)
				}
			}
		}
	}
}
