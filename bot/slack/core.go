package slack

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"strings"
	"time"

	"github.com/parley-bot/parley"
)

// What Slack sends, reduced to what Parley reads. The same shapes arrive
// over HTTP (form fields or JSON) and in Socket Mode envelopes.
type slashCommand struct {
	Command     string `json:"command"`
	Text        string `json:"text"`
	UserID      string `json:"user_id"`
	ChannelID   string `json:"channel_id"`
	ResponseURL string `json:"response_url"`
}

type eventCallback struct {
	Type      string     `json:"type"`
	Challenge string     `json:"challenge"`
	EventID   string     `json:"event_id"`
	Event     innerEvent `json:"event"`
}

type innerEvent struct {
	Type        string `json:"type"`
	Subtype     string `json:"subtype"`
	User        string `json:"user"`
	BotID       string `json:"bot_id"`
	Text        string `json:"text"`
	Channel     string `json:"channel"`
	ChannelType string `json:"channel_type"`
	TS          string `json:"ts"`
	ThreadTS    string `json:"thread_ts"`
}

type interaction struct {
	Type string `json:"type"`
	User struct {
		ID string `json:"id"`
	} `json:"user"`
	Channel struct {
		ID string `json:"id"`
	} `json:"channel"`
	Container struct {
		ChannelID   string `json:"channel_id"`
		MessageTS   string `json:"message_ts"`
		ThreadTS    string `json:"thread_ts"`
		IsEphemeral bool   `json:"is_ephemeral"`
	} `json:"container"`
	ResponseURL string `json:"response_url"`
	Actions     []struct {
		ActionID string `json:"action_id"`
		Value    string `json:"value"`
	} `json:"actions"`
	// Message is the message the button sits under. Slack sends it for
	// messages everyone sees, not for private (ephemeral) ones.
	Message struct {
		Text   string            `json:"text"`
		Blocks []json.RawMessage `json:"blocks"`
	} `json:"message"`
}

// Replies that are not answers.
const (
	textNotEnabled  = "Parley is not enabled in this channel."
	textMentionOnly = "In this channel, mention @Parley instead of typing a command."
	textFailed      = "Sorry, Parley could not answer that just now. Please try again."
	textGone        = "That passage is no longer in the answer; ask again to see it."
	textThanks      = "Thanks for the feedback."
	textChanged     = "The articles have changed since this answer was shown, so it was not shared. Ask again to see the answer as it is now."
)

func notice(text string) *message {
	return &message{ResponseType: responseEphemeral, Text: text, Blocks: []block{mrkdwnSection(text)}}
}

// lineOf turns a slash command into the command line Parse reads:
// "/who" + "france" is "/who france", and so is "/parley" + "who france".
func (a *Adapter) lineOf(command, text string) string {
	cmd := strings.ToLower(strings.TrimSpace(command))
	text = strings.TrimSpace(unescape(text))
	if cmd == a.parleyCmd {
		text = strings.TrimLeft(text, "/")
		if text == "" {
			return "/" + parley.CommandHelp
		}
		return "/" + text
	}
	name, ok := a.bySlash[cmd]
	if !ok {
		name = strings.TrimLeft(cmd, "/")
	}
	if text == "" {
		return "/" + name
	}
	return "/" + name + " " + text
}

type outcome struct {
	ans *parley.Answer
	err error
	dur time.Duration
}

// ask runs the Answerer for req within AnswerTimeout of the adapter's
// context, and logs the result.
func (a *Adapter) ask(ctx context.Context, req parley.Request) outcome {
	start := a.now()
	ans, err := a.o.Answerer.Answer(ctx, req)
	o := outcome{ans: ans, err: err, dur: a.now().Sub(start)}
	if err == nil && ans == nil {
		o.err = errors.New("slack: answer: no answer and no error")
	}
	if o.err != nil {
		a.log.Error("answer failed", "platform", Platform, "command", req.Command, "err", o.err)
	} else if a.log.Enabled(ctx, slog.LevelDebug) {
		// Checked first: the arguments cost an allocation per answer even
		// when debug logging is off.
		a.log.Debug("answered", "platform", Platform, "command", req.Command, "hits", len(ans.Citations), "duration", o.dur)
	}
	return o
}

func (a *Adapter) request(line string, page int, user, channel string) parley.Request {
	req := parley.Parse(line)
	req.Platform, req.User, req.Channel = Platform, user, channel
	if page > 1 {
		req.Page = page
	}
	return req
}

// slash answers a slash command. It returns the message that goes in the
// acknowledgement, or nil when the answer took longer than AckDeadline: the
// acknowledgement is then empty and the answer follows via response_url.
func (a *Adapter) slash(sc slashCommand) *message {
	set := a.channel(sc.ChannelID)
	switch {
	case set.Disabled:
		return notice(textNotEnabled)
	case set.MentionOnly:
		return notice(textMentionOnly)
	}
	public := a.o.PublicReplies
	if set.Public != nil {
		public = *set.Public
	}
	a.warnUnknown(sc.Command)
	req := a.request(a.lineOf(sc.Command, sc.Text), 0, sc.UserID, sc.ChannelID)
	v := view{Public: public, Line: req.Line}

	done := make(chan outcome, 1)
	ctx, cancel := context.WithTimeout(a.ctx, a.o.AnswerTimeout)
	a.answering.Go(func() {
		defer cancel()
		done <- a.ask(ctx, req)
	})
	timer := time.NewTimer(a.o.AckDeadline)
	defer timer.Stop()
	select {
	case o := <-done:
		return a.answerMessage(o, v)
	case <-timer.C:
	}
	a.later(func(ctx context.Context) {
		var o outcome
		select {
		case o = <-done:
		case <-ctx.Done():
			o = outcome{err: ctx.Err()}
		}
		msg := a.answerMessage(o, v)
		if err := a.postResponseURL(ctx, sc.ResponseURL, msg); err != nil {
			a.log.Error("late answer not delivered", "command", req.Command, "err", err)
		}
	})
	return nil
}

// warnUnknown logs, once per name, a slash command Parley does not know:
// Slack sends only the commands the app's manifest registers, so it is one
// renamed there and not in Parley's settings; the person gets help that
// says there is no such command.
func (a *Adapter) warnUnknown(command string) {
	cmd := strings.ToLower(strings.TrimSpace(command))
	if _, ok := a.bySlash[cmd]; ok || cmd == a.parleyCmd {
		return
	}
	if _, seen := a.warned.LoadOrStore(cmd, true); seen {
		return
	}
	a.log.Warn("slash command unknown to Parley: if the app's manifest renames a command, tell Parley with PARLEY_SLACK_COMMANDS (or --slack-command), e.g. who=/whois",
		"command", cutRunes(cmd, 100))
}

// answerMessage draws an answer for a slash command or a click: public
// when v says so, unless the answer is private (help, a rate-limit notice),
// which only the asker sees.
func (a *Adapter) answerMessage(o outcome, v view) *message {
	if o.err != nil {
		return notice(textFailed)
	}
	if o.ans.IsPrivate() {
		v.Public = false
	}
	msg := render(o.ans, v, a.names, a.parleyCmd)
	msg.ResponseType = responseEphemeral
	if v.Public {
		msg.ResponseType = responseInChannel
	}
	return &msg
}

// event handles an Events API callback after its acknowledgement: it
// reports false for an event seen before (Slack's retries), which is not
// answered again.
func (a *Adapter) event(cb eventCallback) bool {
	if cb.EventID != "" && !a.events.add(hashKey(cb.EventID), a.now()) {
		return false
	}
	ev := cb.Event
	if ev.BotID != "" || ev.Subtype != "" || ev.User == "" || ev.Channel == "" {
		return true // bots, Parley included, edits and joins get no reply
	}
	var text, thread string
	mention := false
	switch {
	case ev.Type == "app_mention" && !strings.HasPrefix(ev.Channel, "D"):
		if a.channel(ev.Channel).Disabled {
			return true
		}
		text = stripMention(ev.Text, false)
		mention = true
		thread = ev.ThreadTS
		if thread == "" {
			thread = ev.TS
		}
	case ev.Type == "message" && (ev.ChannelType == "im" || (ev.ChannelType == "" && strings.HasPrefix(ev.Channel, "D"))):
		text = stripMention(ev.Text, true)
		thread = ev.ThreadTS
	default:
		return true
	}
	if a.api == nil {
		a.log.Warn("mention or DM not answered: no SLACK_BOT_TOKEN")
		return true
	}
	req := a.request(text, 0, ev.User, ev.Channel)
	a.later(func(ctx context.Context) {
		o := a.ask(ctx, req)
		msg := a.answerMessage(o, view{Public: true, Line: req.Line})
		var err error
		if mention && msg.ResponseType == responseEphemeral {
			// Help or a notice for the one who mentioned Parley: not for
			// the whole channel.
			err = a.postEphemeral(ctx, ev.Channel, ev.User, thread, msg)
		} else {
			err = a.postMessage(ctx, ev.Channel, thread, msg)
		}
		if err != nil {
			a.log.Error("reply not delivered", "command", req.Command, "err", err)
		}
	})
	return true
}

// stripMention removes the mention that addressed Parley: the first one in
// an app_mention, a leading one in a DM. Slack's escaping is undone.
func stripMention(text string, leadingOnly bool) string {
	t := strings.TrimSpace(text)
	i := strings.Index(t, "<@")
	if i >= 0 && (!leadingOnly || i == 0) {
		if j := strings.IndexByte(t[i:], '>'); j >= 0 {
			rest := strings.TrimLeft(t[i+j+1:], ":, ")
			t = strings.TrimSpace(strings.TrimSpace(t[:i]) + " " + rest)
		}
	}
	return strings.TrimSpace(unescape(t))
}

// interact handles a button click after its acknowledgement.
func (a *Adapter) interact(ctx context.Context, in interaction) {
	if in.Type != "block_actions" {
		return
	}
	channel := in.Channel.ID
	if channel == "" {
		channel = in.Container.ChannelID
	}
	for _, act := range in.Actions {
		st, err := decodeState(act.Value)
		if err != nil {
			a.log.Warn("button ignored", "action", act.ActionID, "err", err)
			continue
		}
		id := act.ActionID
		switch {
		case id == actionUp || id == actionDown:
			f := parley.Feedback{Platform: Platform, User: in.User.ID, Channel: channel, Line: st.Line, Helpful: id == actionUp}
			if a.o.Feedback != nil {
				a.o.Feedback.RecordFeedback(ctx, f)
			}
			// No query: the log promises none; the query log has it.
			a.log.Info("feedback", "platform", Platform, "helpful", f.Helpful)
			a.thank(ctx, in, st, channel)
		case id == actionShare:
			a.share(ctx, in, st, channel)
		case id == actionMore:
			o := a.ask(ctx, a.request(st.Line, st.Page, in.User.ID, channel))
			msg := a.answerMessage(o, view{Public: st.Public, Line: st.Line})
			// The next page replaces the one shown; a failure or a notice
			// goes to the clicker alone, leaving the answer as it was.
			msg.ReplaceOriginal = o.err == nil && !o.ans.IsPrivate()
			a.reply(ctx, in.ResponseURL, msg)
		case strings.HasPrefix(id, actionContext):
			req := a.request(st.Line, st.Page, in.User.ID, channel)
			o := a.ask(ctx, req)
			if o.err != nil {
				a.reply(ctx, in.ResponseURL, notice(textFailed))
				continue
			}
			msg := notice(textGone)
			for _, c := range o.ans.Citations {
				if c.N == st.N {
					m := renderContext(c)
					msg = &m
					break
				}
			}
			a.reply(ctx, in.ResponseURL, msg)
		default:
			a.log.Warn("unknown button", "action", id)
		}
	}
}

// share posts the private answer a person shares in the channel, as it was
// shown, then removes the private copy. Slack does not send a private
// message's content with the click, so the answer is asked for again and
// posted only when its fingerprint is the one shown.
func (a *Adapter) share(ctx context.Context, in interaction, st state, channel string) {
	o := a.ask(ctx, a.request(st.Line, st.Page, in.User.ID, channel))
	switch {
	case o.err != nil:
		a.reply(ctx, in.ResponseURL, notice(textFailed))
		return
	case o.ans.IsPrivate():
		a.reply(ctx, in.ResponseURL, a.answerMessage(o, view{Line: st.Line}))
		return
	case st.Sum != "" && fingerprint(o.ans) != st.Sum:
		a.reply(ctx, in.ResponseURL, notice(textChanged))
		return
	}
	msg := a.answerMessage(o, view{Public: true, SharedBy: in.User.ID, Line: st.Line})
	if in.ResponseURL == "" {
		a.deliverError(a.postMessage(ctx, channel, "", msg))
		return
	}
	if err := a.postResponseURL(ctx, in.ResponseURL, msg); err != nil {
		a.deliverError(err)
		return
	}
	a.deliverError(a.deleteOriginal(ctx, in.ResponseURL))
}

// thank acknowledges a vote in place, no new message. On a private answer,
// which only the voter sees, the 👍/👎 buttons give way to a thank-you: the
// answer is drawn again (Slack sends no copy of a private message with the
// click) when it is still the one shown, and otherwise the thank-you comes
// as a private message of its own. On a public answer the buttons stay for
// the others who read it, and the message, which comes with the click,
// gains a thank-you line (once).
func (a *Adapter) thank(ctx context.Context, in interaction, st state, channel string) {
	if len(in.Message.Blocks) > 0 {
		a.reply(ctx, in.ResponseURL, &message{ReplaceOriginal: true, Text: in.Message.Text, Blocks: withThanks(in.Message.Blocks)})
		return
	}
	o := a.ask(ctx, a.request(st.Line, st.Page, in.User.ID, channel))
	if o.err == nil && !o.ans.IsPrivate() && fingerprint(o.ans) == st.Sum {
		msg := a.answerMessage(o, view{Public: st.Public, Line: st.Line, Voted: true})
		msg.ReplaceOriginal = true
		a.reply(ctx, in.ResponseURL, msg)
		return
	}
	a.reply(ctx, in.ResponseURL, notice(textThanks))
}

// thanksBlockID marks the thank-you line, so that a second vote does not
// add another.
const thanksBlockID = "parley_thanks"

// withThanks returns a message's blocks as Slack sent them, with a
// thank-you line before Parley's actions block unless one is there.
func withThanks(raw []json.RawMessage) []block {
	out := make([]block, 0, len(raw)+1)
	thanks := contextBlock(textThanks)
	thanks.BlockID = thanksBlockID
	for _, r := range raw {
		var b struct {
			BlockID string `json:"block_id"`
		}
		_ = json.Unmarshal(r, &b)
		switch b.BlockID {
		case thanksBlockID:
			thanks = block{}
		case "parley_actions":
			if thanks.Type != "" {
				out = append(out, thanks)
				thanks = block{}
			}
		}
		out = append(out, block{Raw: r})
	}
	if thanks.Type != "" {
		out = append(out, thanks)
	}
	return out
}

func (a *Adapter) reply(ctx context.Context, responseURL string, msg *message) {
	a.deliverError(a.postResponseURL(ctx, responseURL, msg))
}

func (a *Adapter) deliverError(err error) {
	if err != nil {
		a.log.Error("reply not delivered", "err", err)
	}
}
