package slack

// The few Block Kit shapes Parley sends, as plain structs: their JSON is the
// golden files' and the fuzz test's subject, and they marshal faster than
// slack-go's interface-typed blocks. slack-go's types are used only where its
// client needs them (chat.postMessage), by converting the JSON.

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

type textObject struct {
	Type  string `json:"type"`
	Text  string `json:"text"`
	Emoji bool   `json:"emoji,omitempty"`
}

// element is a context element (mrkdwn: Text is a string) or a button (Text
// is a *textObject); one struct because both live in "elements".
type element struct {
	Type     string `json:"type"`
	Text     any    `json:"text"`
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

func contextBlock(texts ...string) block {
	b := block{Type: "context"}
	for i, t := range texts {
		if i == maxContextElements {
			break
		}
		b.Elements = append(b.Elements, element{Type: "mrkdwn", Text: clip(t, maxContextText)})
	}
	return b
}

func button(label, actionID, value, style string) element {
	return element{
		Type:     "button",
		Text:     &textObject{Type: "plain_text", Text: clip(label, maxButtonText), Emoji: true},
		ActionID: actionID,
		Value:    value,
		Style:    style,
	}
}
