package slack

// The few Block Kit shapes Parley sends, as plain structs: their JSON is the
// golden files' and the fuzz test's subject, and they marshal faster than
// slack-go's interface-typed blocks. slack-go's types are used only where its
// client needs them (chat.postMessage, the webhook client), by converting
// the JSON.

import "encoding/json"

// Slack's limits (https://api.slack.com/reference/block-kit). Lengths are
// counted in UTF-16 code units, which is never fewer than Slack's characters.
const (
	maxBlocks          = 50
	maxSectionText     = 3000
	maxContextElements = 10
	maxContextText     = 2000
	maxButtonText      = 75
	maxButtonValue     = 2000
	maxActionElements  = 25
	maxFallbackText    = 3000
)

// Action ids of Parley's buttons. Context buttons carry a suffix (the
// citation number) because action ids must be unique within a message.
const (
	actionShare   = "parley_share"
	actionMore    = "parley_more"
	actionContext = "parley_context"
	actionUp      = "parley_up"
	actionDown    = "parley_down"
)

// Response types of slash command and response_url messages.
const (
	responseEphemeral = "ephemeral"
	responseInChannel = "in_channel"
)

// textObject is mrkdwn (Parley's own markup, everything else escaped) or
// plain_text, which Slack shows as it is: "This field accepts any of the
// standard text formatting markup when type is mrkdwn"
// (https://docs.slack.dev/reference/block-kit/composition-objects/text-object),
// so text from articles and people goes in plain_text, where `*`, `_` and `~`
// stay characters and <!channel> is no mention.
type textObject struct {
	Type string `json:"type"`
	Text string `json:"text"`
	// Emoji turns :shortcodes: into emoji in plain_text: on for Parley's
	// button labels, off for article text.
	Emoji emoji `json:"emoji,omitempty"`
}

// emoji is plain_text's "emoji" field: unset (omitted), false or true.
type emoji int8

const (
	emojiUnset emoji = iota
	emojiOff
	emojiOn
)

func (e emoji) MarshalJSON() ([]byte, error) {
	if e == emojiOn {
		return []byte("true"), nil
	}
	return []byte("false"), nil
}

func (e *emoji) UnmarshalJSON(b []byte) error {
	var v bool
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	*e = emojiOff
	if v {
		*e = emojiOn
	}
	return nil
}

// element is a context element (mrkdwn or plain_text) or a button; one
// struct because both live in "elements". A button's Text is its label,
// which Slack takes as a text object: Parley's labels are always
// plain_text with emoji on, so the JSON writer draws that object from the
// string (a string field, not an interface holding a string or a
// *textObject, costs no allocation per element).
type element struct {
	Type     string `json:"type"`
	Text     string `json:"text"`
	Emoji    emoji  `json:"emoji,omitempty"`
	ActionID string `json:"action_id,omitempty"`
	Value    string `json:"value,omitempty"`
	Style    string `json:"style,omitempty"`
}

type block struct {
	Type      string      `json:"type"`
	BlockID   string      `json:"block_id,omitempty"`
	Text      *textObject `json:"text,omitempty"`
	Accessory *element    `json:"accessory,omitempty"`
	Elements  []element   `json:"elements,omitempty"`
	// Raw, when set, is the whole block as JSON (a rich_text block, whose
	// nested shape the fields above do not hold); the other fields are then
	// empty.
	Raw json.RawMessage `json:"-"`
}

// message is a slash command response, a response_url post, or (its Text and
// Blocks) a chat.postMessage. Unfurling is always off: Parley's links are
// citations, not previews.
type message struct {
	ResponseType    string  `json:"response_type,omitempty"`
	ReplaceOriginal bool    `json:"replace_original"`
	Text            string  `json:"text"`
	Blocks          []block `json:"blocks,omitempty"`
	UnfurlLinks     bool    `json:"unfurl_links"`
	UnfurlMedia     bool    `json:"unfurl_media"`
}

func mrkdwnSection(text string) block {
	return block{Type: "section", Text: &textObject{Type: "mrkdwn", Text: clip(text, maxSectionText)}}
}

// plainSection shows text as it is (see textObject).
func plainSection(text string) block {
	return block{Type: "section", Text: &textObject{Type: "plain_text", Text: clipPlain(plain(text), maxSectionText), Emoji: emojiOff}}
}

func contextBlock(texts ...string) block {
	b := block{Type: "context"}
	for i, t := range texts {
		if i == maxContextElements {
			break
		}
		b.Elements = append(b.Elements, mrkdwnElement(t))
	}
	return b
}

func mrkdwnElement(t string) element { return element{Type: "mrkdwn", Text: clip(t, maxContextText)} }

func plainElement(t string) element {
	return element{Type: "plain_text", Text: clipPlain(plain(t), maxContextText), Emoji: emojiOff}
}

func button(label, actionID, value, style string) element {
	return element{
		Type:     "button",
		Text:     clip(label, maxButtonText),
		ActionID: actionID,
		Value:    value,
		Style:    style,
	}
}
