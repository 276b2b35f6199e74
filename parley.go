// Package parley holds Parley's domain: articles and their sentences, the
// people they name, the requests people type and the cited answers Parley
// gives. It knows nothing of Slack, Discord or bleve; the packages around it
// (index, handlers, bot and its front ends) depend on it and not the reverse.
package parley

import "context"

// Article is one news article about the story.
type Article struct {
	// ID is the file name without ".txt".
	ID string `json:"id"`
	// Title is the headline when known, else the article's first sentence of
	// reporting shortened at a word boundary. Never empty for a loaded article.
	Title string `json:"title"`
	// Headline, Outlet, URL and Date are what articles.json says; an unknown
	// value is the empty string and is not shown.
	Headline string `json:"headline,omitempty"`
	Outlet   string `json:"outlet,omitempty"`
	URL      string `json:"url,omitempty"`
	Date     string `json:"date,omitempty"`
	// Text is the article exactly as read: every Sentence is a byte range of it.
	Text string `json:"-"`
	// Sentences are the citable sentences in reading order. Lines that are not
	// reporting (headings, adverts, promos, disclaimers, bylines, sign-offs)
	// have none.
	Sentences []Sentence `json:"-"`
	// Event is the event the articles of a folder report, when articles.json
	// names one; nil otherwise. Its date stands in for Date, said as such,
	// when a lead resolves "Tuesday" or "last month" in an undated article.
	Event *Event `json:"-"`
}

// Event is what articles.json says of the event its articles report.
type Event struct {
	Name  string `json:"name,omitempty"`
	Place string `json:"place,omitempty"`
	// Date is as written, normally YYYY-MM-DD; one that does not parse
	// resolves nothing.
	Date string `json:"date,omitempty"`
}

// Sentence is one citable sentence: Article.Text[Start:End].
type Sentence struct {
	Article string `json:"article"`
	// Position is the sentence's index in Article.Sentences.
	Position int `json:"position"`
	// Paragraph counts paragraphs (lines of reporting) from 0.
	Paragraph      int `json:"paragraph"`
	Start          int `json:"start"`
	End            int `json:"end"`
	ParagraphStart int `json:"paragraph_start"`
	ParagraphEnd   int `json:"paragraph_end"`
	// Speaker is the canonical name of the person whose words the sentence
	// carries, or "" when there is no speech or the speaker is uncertain.
	Speaker string `json:"speaker,omitempty"`
	// Kind is SpeechQuote, SpeechParaphrase or "".
	Kind string `json:"kind,omitempty"`
	// People are the canonical names of the people the sentence mentions,
	// pronouns resolved where the reference is clear.
	People []string `json:"people,omitempty"`
	// Places are the canonical names of the countries, cities and
	// organisations the sentence mentions.
	Places []string `json:"places,omitempty"`
	// Features say what kinds of question the sentence can answer.
	Features Features `json:"-"`
}

// Features of a sentence's text that answer kinds of questions ("how
// many", "how long", "when"), found once at indexing.
type Features uint8

// Sentence features.
const (
	HasDigits     Features = 1 << iota // "800,000", "20%"
	HasNumberWord                      // "several thousand", "half"
	HasDuration                        // "15-year", "decades"
	HasDate                            // "February 2022", "Tuesday", "last week"
)

// Kinds of speech a sentence can carry.
const (
	SpeechQuote      = "quote"
	SpeechParaphrase = "paraphrase"
)

// Text returns the sentence's text in its article.
func (s Sentence) Text(a *Article) string { return a.Text[s.Start:s.End] }

// NameParticle says a lower-case word belongs to a person's name ("de",
// "van", "bin", "al") rather than describing the person ("the French
// president's spokesperson"), so that a name with it is still a name.
func NameParticle(w string) bool {
	switch w {
	case "de", "da", "di", "du", "del", "der", "den", "van", "von", "ter", "ten", "bin", "ibn", "al", "el", "le", "la", "y", "dos", "das", "do":
		return true
	}
	return false
}

// Person is someone the articles name (or an unnamed speaker with a role),
// or a body that speaks: a ministry, a coast guard, an embassy, "the
// Kremlin", an alliance.
type Person struct {
	Name string `json:"name"`
	// Kind is KindPerson or KindBody; "" (an index written before kinds)
	// means a person.
	Kind        string   `json:"kind"`
	Role        string   `json:"role"`
	Affiliation string   `json:"affiliation"`
	Articles    []string `json:"articles"`
	// Mentions counts the sentences mentioning the person.
	Mentions int `json:"mentions"`
	// Aliases are the other spellings the articles use ("Zelenskiy",
	// "Sir Keir Starmer", "Mr Macron").
	Aliases []string `json:"-"`
}

// Kinds of Person.
const (
	KindPerson = "person"
	KindBody   = "body"
)

// IsBody reports whether p is a body rather than a person.
func (p Person) IsBody() bool { return p.Kind == KindBody }

// Request is one command line typed by a person, parsed.
type Request struct {
	// Command is one of the command table's names.
	Command string
	// Query is what the person typed after the command, trimmed (for ask: the
	// whole question).
	Query string
	// Line is the whole line as typed.
	Line string
	// Unknown is the command word a person typed that is no command ("/nonsense");
	// Command is then CommandHelp.
	Unknown string
	// Page is the 1-based page of citations wanted; 0 means 1.
	Page int
	// Platform, User and Channel say where the request came from; User is an
	// opaque platform id, used for rate limits and (hashed) for the query log.
	Platform string
	User     string
	Channel  string
}

// Answer is what Parley says back, independent of any platform. Its JSON form
// is the contract of `parley ask --json`.
type Answer struct {
	Command string `json:"command"`
	Query   string `json:"query"`
	// Understood is what Parley took the query to mean when it differs from
	// what was typed ("France" for "frnace"); empty otherwise.
	Understood string `json:"understood"`
	// Covered is false when the articles don't cover the query.
	Covered     bool     `json:"covered"`
	Suggestions []string `json:"suggestions"`
	// Text is the whole answer as plain text.
	Text string `json:"text"`
	// Lead is the one-line answer above the citations.
	Lead string `json:"lead"`
	// Notice says something about the request itself, such as input that was
	// cut to the length limit.
	Notice    string     `json:"notice,omitempty"`
	People    []Person   `json:"people"`
	Citations []Citation `json:"citations"`
	// Related are passages near a question the articles don't answer
	// (Covered false): shown as such, never as citations that answer it.
	Related []Citation `json:"related"`
	// Sources are the articles this answer cites (for /sources: all of them).
	Sources []Source `json:"sources,omitempty"`
	// Commands is filled by /help.
	Commands []Command `json:"commands,omitempty"`
	// Page is the 1-based page shown; More is true when a next page exists.
	Page int  `json:"page,omitempty"`
	More bool `json:"more,omitempty"`
	// Private is true for a reply about the asker rather than the story (a
	// rate-limit notice): front ends show it to the asker alone where the
	// platform allows, whatever the channel's visibility. Help is private
	// too, by its command.
	Private bool `json:"private,omitempty"`
}

// IsPrivate says whether front ends show ans to the asker alone: help and
// notices about the request are nobody else's business.
func (ans *Answer) IsPrivate() bool {
	return ans != nil && (ans.Private || ans.Command == CommandHelp)
}

// Citation is one verbatim excerpt: Text == article.Text[Start:End].
type Citation struct {
	N              int      `json:"n"`
	Article        string   `json:"article"`
	Title          string   `json:"title"`
	Outlet         string   `json:"outlet"`
	Date           string   `json:"date"`
	URL            string   `json:"url"`
	Text           string   `json:"text"`
	Start          int      `json:"start"`
	End            int      `json:"end"`
	ParagraphStart int      `json:"paragraph_start"`
	ParagraphEnd   int      `json:"paragraph_end"`
	AlsoIn         []string `json:"also_in"`
	Speaker        string   `json:"speaker"`
	Kind           string   `json:"kind"`
	// Paragraph is article.Text[ParagraphStart:ParagraphEnd], for "show context".
	Paragraph string `json:"-"`
}

// Source is an article as listed under an answer or by /sources.
type Source struct {
	Article   string `json:"article"`
	Title     string `json:"title"`
	Outlet    string `json:"outlet"`
	Date      string `json:"date"`
	URL       string `json:"url"`
	Sentences int    `json:"sentences"`
}

// Answerer turns a request into an answer. The handlers implement it; front
// ends are handed one and never see the index.
type Answerer interface {
	Answer(ctx context.Context, req Request) (*Answer, error)
}

// Choice is one autocomplete suggestion.
type Choice struct {
	Name  string
	Value string
}

// Completer suggests values for a command's option while a person types
// (Discord autocomplete). Typos are tolerated; at most limit choices.
type Completer interface {
	Complete(ctx context.Context, command, typed string, limit int) []Choice
}

// AnswerFunc adapts a function to Answerer (tests use it for slow or failing answerers).
type AnswerFunc func(ctx context.Context, req Request) (*Answer, error)

// Answer calls f.
func (f AnswerFunc) Answer(ctx context.Context, req Request) (*Answer, error) { return f(ctx, req) }

// Feedback is a person's 👍 or 👎 on an answer, kept with the question and
// nothing else of the conversation.
type Feedback struct {
	Platform string
	User     string
	Channel  string
	// Line is the command line the answer was for.
	Line    string
	Helpful bool
}

// FeedbackSink records feedback (the query log implements it).
type FeedbackSink interface {
	RecordFeedback(ctx context.Context, f Feedback)
}

// ChannelSettings say how Parley behaves in one channel.
type ChannelSettings struct {
	// Disabled channels get a short "not enabled here" reply to slash
	// commands and no reply to mentions.
	Disabled bool
	// MentionOnly channels answer @mentions and not typed commands.
	MentionOnly bool
	// Public overrides the platform's default visibility of replies when set.
	Public *bool
}

// ChannelPolicy gives the settings of a channel on a platform ("slack",
// "discord"). A nil ChannelPolicy means defaults everywhere.
type ChannelPolicy interface {
	Channel(platform, channel string) ChannelSettings
}
