package discord

import (
	"context"
	"strconv"
	"strings"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/parley-bot/parley"
)

// response is an interaction response as Parley sends it. discordgo's own
// type cannot send an empty autocomplete list (choices is omitempty) and
// sends nulls Parley does not mean, so both transports marshal this one.
//
// The types used are Discord's interaction callback types
// (https://discord.com/developers/docs/interactions/receiving-and-responding#interaction-response-object-interaction-callback-type):
// PONG 1; CHANNEL_MESSAGE_WITH_SOURCE 4 (an answer); DEFERRED_CHANNEL_
// MESSAGE_WITH_SOURCE 5 ("thinking…", edited later); for components,
// DEFERRED_UPDATE_MESSAGE 6 and UPDATE_MESSAGE 7 (More and votes change the
// message in place); APPLICATION_COMMAND_AUTOCOMPLETE_RESULT 8. A private
// reply sets the EPHEMERAL message flag, 1 << 6; an update cannot change
// it. Tests validate every response against Discord's OpenAPI spec.
type response struct {
	Type discordgo.InteractionResponseType `json:"type"`
	Data *messageData                      `json:"data,omitempty"`
}

// messageData is a message Parley sends, or autocomplete choices.
type messageData struct {
	Content string                    `json:"content,omitempty"`
	Embeds  []*discordgo.MessageEmbed `json:"embeds,omitempty"`
	// Components is left out when nil (an update then keeps the message's
	// own) and sent when empty (an update then removes them).
	Components      []discordgo.MessageComponent      `json:"components,omitzero"`
	AllowedMentions *discordgo.MessageAllowedMentions `json:"allowed_mentions,omitempty"`
	Flags           discordgo.MessageFlags            `json:"flags,omitempty"`
	// Choices is a pointer so that "no suggestions" is still sent as [].
	Choices *[]choice `json:"choices,omitempty"`
}

type choice struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

// outcome is the first response to an interaction and, optionally, the
// work to do once it was delivered: editing a deferred answer, removing a
// message.
type outcome struct {
	resp  *response
	after func(ctx context.Context, rest *discordgo.Session, i *discordgo.Interaction)
}

func reply(d *messageData) outcome {
	return outcome{resp: &response{Type: discordgo.InteractionResponseChannelMessageWithSource, Data: d}}
}

func refuse(text string) outcome { return reply(renderText(text, true)) }

// Messages people see when Parley cannot do what they asked.
const (
	msgFailed      = "Sorry, Parley could not answer that just now. Please try again in a moment."
	msgDisabled    = "Parley is not enabled in this channel."
	msgMentionOnly = "In this channel, mention Parley instead of using its commands."
	msgNotAsker    = "Only the person who asked can remove this answer."
	msgStale       = "This button no longer works; please ask again."
	msgThanks      = "Thanks for the feedback."
	msgNoContext   = "Parley could not find that citation any more; please ask again."
	msgUnknown     = "Parley does not handle this kind of interaction."
)

// handle decides the response to one interaction, whichever way it came.
func (a *Adapter) handle(ctx context.Context, i *discordgo.Interaction) outcome {
	if i.AppID == "" {
		i.AppID = a.opts.AppID
	}
	switch i.Type {
	case discordgo.InteractionPing:
		return outcome{resp: &response{Type: discordgo.InteractionResponsePong}}
	case discordgo.InteractionApplicationCommand:
		return a.command(ctx, i)
	case discordgo.InteractionApplicationCommandAutocomplete:
		return a.autocomplete(ctx, i)
	case discordgo.InteractionMessageComponent:
		return a.component(ctx, i)
	}
	return refuse(msgUnknown)
}

func (a *Adapter) settings(channel string) parley.ChannelSettings {
	if a.opts.Channels == nil {
		return parley.ChannelSettings{}
	}
	return a.opts.Channels.Channel(Platform, channel)
}

func (a *Adapter) ephemeral(s parley.ChannelSettings) bool {
	if s.Public != nil {
		return !*s.Public
	}
	return a.opts.Ephemeral
}

// userID is the person behind an interaction: a member in a server, a user
// in a DM.
func userID(i *discordgo.Interaction) string {
	if i.Member != nil && i.Member.User != nil {
		return i.Member.User.ID
	}
	if i.User != nil {
		return i.User.ID
	}
	return ""
}

// commandLine is "/<command> <option value>", the form parley.Parse reads.
func commandLine(name string, value string) string {
	v := oneLine(value, 4*parley.MaxQuery)
	if v == "" {
		return "/" + name
	}
	return "/" + name + " " + v
}

// optionsLine joins a command's option values as a person would type them
// after the command: the first option, then each extra after its joiner
// ("merz on troops").
func optionsLine(command string, values map[string]string) string {
	c, ok := parley.LookupCommand(command)
	if !ok || c.Option == nil {
		for _, v := range values {
			return v // one option of a command Parley does not know: as before
		}
		return ""
	}
	line := strings.TrimSpace(values[c.Option.Name])
	for _, x := range c.Extra {
		if v := strings.TrimSpace(values[x.Name]); v != "" {
			line += " " + x.Joiner + " " + v
		}
	}
	return strings.TrimSpace(line)
}

// canonicalLine is the slash form of a request, which parley.Parse reads
// back to the same command and query.
func canonicalLine(req parley.Request) string {
	if req.Query == "" {
		return "/" + req.Command
	}
	return "/" + req.Command + " " + oneLine(req.Query, 4*parley.MaxQuery)
}

func (a *Adapter) request(line string, i *discordgo.Interaction, page int) parley.Request {
	req := parley.Parse(line)
	req.Platform = Platform
	req.User = userID(i)
	req.Channel = i.ChannelID
	req.Page = page
	return req
}

func (a *Adapter) command(ctx context.Context, i *discordgo.Interaction) outcome {
	// discordgo's ApplicationCommandData and StringValue panic on
	// unexpected shapes; assert instead.
	data, ok := i.Data.(discordgo.ApplicationCommandInteractionData)
	if !ok {
		return refuse(msgUnknown)
	}
	s := a.settings(i.ChannelID)
	switch {
	case s.Disabled:
		return refuse(msgDisabled)
	case s.MentionOnly:
		return refuse(msgMentionOnly)
	}
	values := map[string]string{}
	for _, o := range data.Options {
		if o == nil {
			continue
		}
		if s, ok := o.Value.(string); ok && o.Type == discordgo.ApplicationCommandOptionString {
			values[o.Name] = s
		}
	}
	req := a.request(commandLine(data.Name, optionsLine(data.Name, values)), i, 1)
	v := view{Line: canonicalLine(req), Asker: userID(i), Ephemeral: a.ephemeral(s)}
	// Help is for the asker alone whatever the channel says; it is known
	// before the answer, so even a deferral is private.
	ephemeral := v.Ephemeral || req.Command == parley.CommandHelp
	return a.answer(ctx, ephemeral, func(ctx context.Context) *messageData {
		ans := a.ask(ctx, req)
		if ans == nil {
			return renderText(msgFailed, true)
		}
		v := v
		v.Ephemeral = v.Ephemeral || ans.IsPrivate()
		return renderAnswer(ans, v)
	})
}

// ask calls the Answerer, logging what the house style says to log.
func (a *Adapter) ask(ctx context.Context, req parley.Request) *parley.Answer {
	start := time.Now()
	ans, err := a.opts.Answerer.Answer(ctx, req)
	if err != nil || ans == nil {
		a.log.Error("answer failed", "platform", Platform, "command", req.Command, "duration", time.Since(start), "err", err)
		return nil
	}
	a.log.Info("answered", "platform", Platform, "command", req.Command, "hits", len(ans.Citations), "page", max(req.Page, 1), "duration", time.Since(start))
	return ans
}

// answer runs produce and replies with its message when it is ready within
// DeferAfter; otherwise it replies with a deferred response (type 5) and
// edits the original message once the message is ready.
func (a *Adapter) answer(ctx context.Context, ephemeral bool, produce func(context.Context) *messageData) outcome {
	ch := make(chan *messageData, 1)
	// The answer outlives an HTTP request that returned a deferral.
	actx, cancel := context.WithTimeout(context.WithoutCancel(ctx), answerTimeout)
	a.answering.Go(func() {
		defer cancel()
		ch <- produce(actx)
	})
	t := time.NewTimer(a.opts.DeferAfter)
	defer t.Stop()
	select {
	case d := <-ch:
		return reply(d)
	case <-t.C:
	}
	deferred := &response{Type: discordgo.InteractionResponseDeferredChannelMessageWithSource}
	if ephemeral {
		deferred.Data = &messageData{Flags: discordgo.MessageFlagsEphemeral}
	}
	return outcome{resp: deferred, after: func(ctx context.Context, rest *discordgo.Session, i *discordgo.Interaction) {
		var d *messageData
		select {
		case d = <-ch:
		case <-ctx.Done():
			return
		}
		if !ephemeral && d.Flags&discordgo.MessageFlagsEphemeral != 0 {
			// A notice for the asker alone (a failure, a rate limit)
			// under a public "thinking…": remove that, tell the asker.
			a.privateFollowUp(ctx, rest, i, d, true)
			return
		}
		edit := webhookEdit{Content: d.Content, Embeds: d.Embeds, Components: d.Components, AllowedMentions: d.AllowedMentions}
		if edit.Components == nil {
			edit.Components = []discordgo.MessageComponent{}
		}
		if _, err := rest.RequestWithBucketID("PATCH", discordgo.EndpointWebhookMessage(i.AppID, i.Token, "@original"), edit, discordgo.EndpointWebhooks+i.AppID, discordgo.WithContext(ctx)); err != nil {
			a.log.Error("edit deferred answer", "platform", Platform, "err", scrub(err, i.Token))
		}
	}}
}

// privateFollowUp shows d to the person behind i alone, as a follow-up
// message, after removing the deferred response when remove is set.
func (a *Adapter) privateFollowUp(ctx context.Context, rest *discordgo.Session, i *discordgo.Interaction, d *messageData, remove bool) {
	if remove {
		if err := rest.InteractionResponseDelete(i, discordgo.WithContext(ctx)); err != nil {
			a.log.Error("remove deferred answer", "platform", Platform, "err", scrub(err, i.Token))
		}
	}
	components := d.Components
	if components == nil {
		components = []discordgo.MessageComponent{}
	}
	params := &discordgo.WebhookParams{Content: d.Content, Embeds: d.Embeds, Components: components, AllowedMentions: d.AllowedMentions, Flags: discordgo.MessageFlagsEphemeral}
	if _, err := rest.FollowupMessageCreate(i, false, params, discordgo.WithContext(ctx)); err != nil {
		a.log.Error("private follow-up", "platform", Platform, "err", scrub(err, i.Token))
	}
}

// update replaces the message a button sits under with the one produce
// makes (UPDATE_MESSAGE, type 7), or, when that takes longer than
// DeferAfter, acknowledges at once (DEFERRED_UPDATE_MESSAGE, type 6) and
// edits the message when it is ready. A private result (a failure, a rate
// limit) leaves the message as it is and goes to the clicker alone.
func (a *Adapter) update(ctx context.Context, produce func(context.Context) (*messageData, bool)) outcome {
	type result struct {
		d       *messageData
		private bool
	}
	ch := make(chan result, 1)
	actx, cancel := context.WithTimeout(context.WithoutCancel(ctx), answerTimeout)
	a.answering.Go(func() {
		defer cancel()
		d, private := produce(actx)
		ch <- result{d, private}
	})
	t := time.NewTimer(a.opts.DeferAfter)
	defer t.Stop()
	select {
	case r := <-ch:
		if r.private {
			r.d.Flags |= discordgo.MessageFlagsEphemeral
			return reply(r.d)
		}
		// An update keeps the message's own flags: it cannot make a
		// public message private or the reverse.
		r.d.Flags = 0
		return outcome{resp: &response{Type: discordgo.InteractionResponseUpdateMessage, Data: r.d}}
	case <-t.C:
	}
	return outcome{resp: &response{Type: discordgo.InteractionResponseDeferredMessageUpdate}, after: func(ctx context.Context, rest *discordgo.Session, i *discordgo.Interaction) {
		var r result
		select {
		case r = <-ch:
		case <-ctx.Done():
			return
		}
		if r.private {
			a.privateFollowUp(ctx, rest, i, r.d, false)
			return
		}
		edit := webhookEdit{Content: r.d.Content, Embeds: r.d.Embeds, Components: r.d.Components, AllowedMentions: r.d.AllowedMentions}
		if edit.Components == nil {
			edit.Components = []discordgo.MessageComponent{}
		}
		if _, err := rest.RequestWithBucketID("PATCH", discordgo.EndpointWebhookMessage(i.AppID, i.Token, "@original"), edit, discordgo.EndpointWebhooks+i.AppID, discordgo.WithContext(ctx)); err != nil {
			a.log.Error("edit message", "platform", Platform, "err", scrub(err, i.Token))
		}
	}}
}

// thank replaces the message's 👍/👎 with a thank-you, in place: on a
// private answer the buttons go (only the voter sees it); on a public one
// they stay, for the others who read it, and the message says thanks.
func thank(m *discordgo.Message) outcome {
	d := &messageData{Content: msgThanks, AllowedMentions: noMentions()}
	if m != nil && m.Flags&discordgo.MessageFlagsEphemeral != 0 {
		d.Components = withoutVotes(m.Components)
	}
	return outcome{resp: &response{Type: discordgo.InteractionResponseUpdateMessage, Data: d}}
}

// withoutVotes is rows without their vote buttons, and without rows left
// empty; never nil, so that an update sends it.
func withoutVotes(rows []discordgo.MessageComponent) []discordgo.MessageComponent {
	out := []discordgo.MessageComponent{}
	for _, c := range rows {
		row, ok := c.(*discordgo.ActionsRow)
		if !ok {
			if r, isRow := c.(discordgo.ActionsRow); isRow {
				row, ok = &r, true
			}
		}
		if !ok {
			out = append(out, c)
			continue
		}
		var keep []discordgo.MessageComponent
		for _, e := range row.Components {
			id := ""
			switch b := e.(type) {
			case *discordgo.Button:
				id = b.CustomID
			case discordgo.Button:
				id = b.CustomID
			}
			if st, ok := decodeState(id); ok && (st.Action == actUp || st.Action == actDown) {
				continue
			}
			keep = append(keep, e)
		}
		if len(keep) > 0 {
			out = append(out, discordgo.ActionsRow{Components: keep})
		}
	}
	return out
}

// webhookEdit is the body of PATCH /webhooks/{app}/{token}/messages/@original.
type webhookEdit struct {
	Content         string                            `json:"content"`
	Embeds          []*discordgo.MessageEmbed         `json:"embeds"`
	Components      []discordgo.MessageComponent      `json:"components"`
	AllowedMentions *discordgo.MessageAllowedMentions `json:"allowed_mentions"`
}

// scrub keeps an interaction token (part of webhook URLs) out of logs.
func scrub(err error, token string) string {
	if err == nil {
		return ""
	}
	s := err.Error()
	if token != "" {
		s = strings.ReplaceAll(s, token, "<token>")
	}
	return s
}

func (a *Adapter) autocomplete(ctx context.Context, i *discordgo.Interaction) outcome {
	data, _ := i.Data.(discordgo.ApplicationCommandInteractionData)
	var typed string
	for _, o := range data.Options {
		if o != nil && o.Focused {
			if s, ok := o.Value.(string); ok {
				typed = s
			}
			break
		}
	}
	out := []choice{}
	if a.opts.Completer != nil {
		cctx, cancel := context.WithTimeout(ctx, completeTimeout)
		defer cancel()
		out = choices(a.opts.Completer.Complete(cctx, data.Name, oneLine(typed, parley.MaxQuery), maxChoices))
	}
	return outcome{resp: &response{Type: discordgo.InteractionApplicationCommandAutocompleteResult, Data: &messageData{Choices: &out}}}
}

// removerOf is the user a message's Remove button is for, or "".
func removerOf(rows []discordgo.MessageComponent) string {
	for _, c := range rows {
		var inner []discordgo.MessageComponent
		switch r := c.(type) {
		case *discordgo.ActionsRow:
			inner = r.Components
		case discordgo.ActionsRow:
			inner = r.Components
		}
		for _, e := range inner {
			id := ""
			switch b := e.(type) {
			case *discordgo.Button:
				id = b.CustomID
			case discordgo.Button:
				id = b.CustomID
			}
			if st, ok := decodeState(id); ok && st.Action == actRemove {
				return st.Asker
			}
		}
	}
	return ""
}

// choices keeps what Discord accepts: at most 25, names cut to 100
// characters, values of 1 to 100 characters (a cut value would ask
// something else, so it is dropped), no duplicate values.
func choices(in []parley.Choice) []choice {
	out := []choice{}
	seen := map[string]bool{}
	for _, c := range in {
		if len(out) == maxChoices {
			break
		}
		v := oneLine(c.Value, maxChoiceValue+1)
		if v == "" || runes(v) > maxChoiceValue || seen[v] {
			continue
		}
		n := oneLine(c.Name, maxChoiceName)
		if n == "" {
			n = v
		}
		seen[v] = true
		out = append(out, choice{Name: n, Value: v})
	}
	return out
}

func (a *Adapter) component(ctx context.Context, i *discordgo.Interaction) outcome {
	data, ok := i.Data.(discordgo.MessageComponentInteractionData)
	if !ok {
		return refuse(msgStale)
	}
	st, ok := decodeState(data.CustomID)
	if !ok {
		return refuse(msgStale)
	}
	if st.Action == actRemove {
		if userID(i) != st.Asker {
			return refuse(msgNotAsker)
		}
		return outcome{resp: &response{Type: discordgo.InteractionResponseDeferredMessageUpdate}, after: func(ctx context.Context, rest *discordgo.Session, i *discordgo.Interaction) {
			err := rest.InteractionResponseDelete(i, discordgo.WithContext(ctx))
			// A reply to a mention is the bot's message, not an interaction
			// response: the bot token can delete it.
			if err != nil && rest.Token != "" && i.Message != nil && i.Message.ID != "" {
				err = rest.ChannelMessageDelete(i.ChannelID, i.Message.ID, discordgo.WithContext(ctx))
			}
			if err != nil {
				a.log.Error("remove answer", "platform", Platform, "err", scrub(err, i.Token))
			}
		}}
	}
	line := st.line()
	if !st.HasQuery {
		if line = recoverLine(i.Message); line == "" {
			return refuse(msgStale)
		}
	}
	switch st.Action {
	case actUp, actDown:
		if a.opts.Feedback != nil {
			req := a.request(line, i, st.Page)
			a.opts.Feedback.RecordFeedback(ctx, parley.Feedback{
				Platform: Platform, User: req.User, Channel: req.Channel, Line: req.Line, Helpful: st.Action == actUp,
			})
		}
		return thank(i.Message)
	case actMore:
		req := a.request(line, i, st.Page+1)
		eph := a.ephemeral(a.settings(i.ChannelID))
		asker := userID(i)
		if i.Message != nil {
			eph = i.Message.Flags&discordgo.MessageFlagsEphemeral != 0
			// The next page keeps the first one's Remove button, which
			// belongs to whoever asked, not to whoever clicked More.
			if who := removerOf(i.Message.Components); who != "" {
				asker = who
			}
		}
		v := view{Line: canonicalLine(req), Asker: asker, Ephemeral: eph}
		return a.update(ctx, func(ctx context.Context) (*messageData, bool) {
			ans := a.ask(ctx, req)
			if ans == nil {
				return renderText(msgFailed, true), true
			}
			if ans.IsPrivate() {
				v := v
				v.Ephemeral = true
				return renderAnswer(ans, v), true
			}
			return renderAnswer(ans, v), false
		})
	case actContext:
		if len(data.Values) != 1 {
			return refuse(msgNoContext)
		}
		n, err := strconv.Atoi(data.Values[0])
		if err != nil {
			return refuse(msgNoContext)
		}
		req := a.request(line, i, st.Page)
		return a.answer(ctx, true, func(ctx context.Context) *messageData {
			ans := a.ask(ctx, req)
			if ans == nil {
				return renderText(msgFailed, true)
			}
			for _, c := range ans.Citations {
				if c.N == n {
					return renderContext(c)
				}
			}
			return renderText(msgNoContext, true)
		})
	}
	return refuse(msgStale)
}
