package slack

import (
	"encoding/json"
	"unicode/utf8"
)

// A message is written out by hand: it is the hot path's biggest cost with
// encoding/json's reflection, and its shape is small and fixed. The output
// is what encoding/json would give with SetEscapeHTML(false) (the golden
// and fuzz tests hold it to that): mrkdwn needs its < and > as they are.

// MarshalJSON makes json.Marshal (slack-go's Socket Mode acks) use the same
// writer.
func (m message) MarshalJSON() ([]byte, error) { return m.appendJSON(make([]byte, 0, 4096)), nil }

func (m *message) appendJSON(b []byte) []byte {
	b = append(b, '{')
	if m.ResponseType != "" {
		b = append(b, `"response_type":`...)
		b = appendString(b, m.ResponseType)
		b = append(b, ',')
	}
	b = append(b, `"replace_original":`...)
	b = appendBool(b, m.ReplaceOriginal)
	b = append(b, `,"text":`...)
	b = appendString(b, m.Text)
	if len(m.Blocks) > 0 {
		b = append(b, `,"blocks":[`...)
		for i := range m.Blocks {
			if i > 0 {
				b = append(b, ',')
			}
			b = m.Blocks[i].appendJSON(b)
		}
		b = append(b, ']')
	}
	b = append(b, `,"unfurl_links":`...)
	b = appendBool(b, m.UnfurlLinks)
	b = append(b, `,"unfurl_media":`...)
	b = appendBool(b, m.UnfurlMedia)
	return append(b, '}')
}

// MarshalJSON makes slack-go's conversions (chat.postMessage, the webhook
// client) see raw blocks as they are.
func (bl block) MarshalJSON() ([]byte, error) { return bl.appendJSON(nil), nil }

// UnmarshalJSON keeps a rich_text block whole, in Raw.
func (bl *block) UnmarshalJSON(b []byte) error {
	type fields block // without the methods
	var f fields
	if err := json.Unmarshal(b, &f); err != nil {
		return err
	}
	if f.Type == "rich_text" {
		*bl = block{Type: f.Type, Raw: append(json.RawMessage(nil), b...)}
		return nil
	}
	*bl = block(f)
	return nil
}

func (bl *block) appendJSON(b []byte) []byte {
	if len(bl.Raw) > 0 {
		return append(b, bl.Raw...)
	}
	b = append(b, `{"type":`...)
	b = appendString(b, bl.Type)
	if bl.BlockID != "" {
		b = append(b, `,"block_id":`...)
		b = appendString(b, bl.BlockID)
	}
	if bl.Text != nil {
		b = append(b, `,"text":`...)
		b = bl.Text.appendJSON(b)
	}
	if bl.Accessory != nil {
		b = append(b, `,"accessory":`...)
		b = bl.Accessory.appendJSON(b)
	}
	if len(bl.Elements) > 0 {
		b = append(b, `,"elements":[`...)
		for i := range bl.Elements {
			if i > 0 {
				b = append(b, ',')
			}
			b = bl.Elements[i].appendJSON(b)
		}
		b = append(b, ']')
	}
	return append(b, '}')
}

// MarshalJSON writes a button's label as its text object, as appendJSON
// does.
func (e element) MarshalJSON() ([]byte, error) { return e.appendJSON(nil), nil }

// UnmarshalJSON reads a button's text object into Text, the label (see
// element).
func (e *element) UnmarshalJSON(b []byte) error {
	var f struct {
		Type     string          `json:"type"`
		Text     json.RawMessage `json:"text"`
		Emoji    emoji           `json:"emoji"`
		ActionID string          `json:"action_id"`
		Value    string          `json:"value"`
		Style    string          `json:"style"`
	}
	if err := json.Unmarshal(b, &f); err != nil {
		return err
	}
	*e = element{Type: f.Type, Emoji: f.Emoji, ActionID: f.ActionID, Value: f.Value, Style: f.Style}
	if len(f.Text) == 0 {
		return nil
	}
	if f.Text[0] == '{' {
		var t textObject
		err := json.Unmarshal(f.Text, &t)
		e.Text = t.Text
		return err
	}
	return json.Unmarshal(f.Text, &e.Text)
}

func (t *textObject) appendJSON(b []byte) []byte {
	b = append(b, `{"type":`...)
	b = appendString(b, t.Type)
	b = append(b, `,"text":`...)
	b = appendString(b, t.Text)
	b = t.Emoji.appendJSON(b)
	return append(b, '}')
}

func (e *element) appendJSON(b []byte) []byte {
	b = append(b, `{"type":`...)
	b = appendString(b, e.Type)
	b = append(b, `,"text":`...)
	if e.Type == "button" {
		b = (&textObject{Type: "plain_text", Text: e.Text, Emoji: emojiOn}).appendJSON(b)
	} else {
		b = appendString(b, e.Text)
	}
	b = e.Emoji.appendJSON(b)
	if e.ActionID != "" {
		b = append(b, `,"action_id":`...)
		b = appendString(b, e.ActionID)
	}
	if e.Value != "" {
		b = append(b, `,"value":`...)
		b = appendString(b, e.Value)
	}
	if e.Style != "" {
		b = append(b, `,"style":`...)
		b = appendString(b, e.Style)
	}
	return append(b, '}')
}

func (e emoji) appendJSON(b []byte) []byte {
	switch e {
	case emojiOn:
		return append(b, `,"emoji":true`...)
	case emojiOff:
		return append(b, `,"emoji":false`...)
	}
	return b
}

func appendBool(b []byte, v bool) []byte {
	if v {
		return append(b, "true"...)
	}
	return append(b, "false"...)
}

const hexDigits = "0123456789abcdef"

// appendString writes s as a JSON string the way encoding/json does without
// HTML escaping: invalid UTF-8 becomes U+FFFD, and U+2028 and U+2029 are
// escaped for JavaScript's sake.
func appendString(b []byte, s string) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		// Most of a message is text that needs no escaping: skip it eight
		// bytes at a time (this loop was most of writing a message), then
		// byte by byte to the byte that stopped the words, within eight.
		i += printableWords(s[i:])
		for i < len(s) && s[i] >= 0x20 && s[i] < utf8.RuneSelf && s[i] != '"' && s[i] != '\\' {
			i++
		}
		if i == len(s) {
			break
		}
		c := s[i]
		if c < utf8.RuneSelf {
			b = append(b, s[start:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			case '\b':
				b = append(b, '\\', 'b')
			case '\f':
				b = append(b, '\\', 'f')
			default:
				b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xf])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
			i += size
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hexDigits[r&0xf])
			i += size
			start = i
			continue
		}
		i += size
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}
