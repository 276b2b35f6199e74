package parley

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Command names.
const (
	CommandWho     = "who"
	CommandWhat    = "what"
	CommandQuote   = "quote"
	CommandAsk     = "ask"
	CommandSources = "sources"
	CommandHelp    = "help"
)

// MaxQuery is how many characters of a query reach the index; the answer says
// when a query was cut.
const MaxQuery = 500

// Option is a command's one argument, as platforms register it.
type Option struct {
	Name        string `json:"name"`
	Description string `json:"description"`
	Required    bool   `json:"required"`
	// Autocomplete says the platform may ask a Completer while a person types.
	Autocomplete bool `json:"autocomplete,omitempty"`
	// Joiner, for an extra option, is the word that puts its value into a
	// command line, as people type it where a platform has no options:
	// "on" makes /quote's topic "/quote merz on troops".
	Joiner string `json:"joiner,omitempty"`
}

// Command is one row of the command table: it drives parsing, /help, and
// command registration on Slack (manifests) and Discord.
type Command struct {
	Name    string  `json:"name"`
	Summary string  `json:"summary"`
	Usage   string  `json:"usage"`
	Option  *Option `json:"option,omitempty"`
	// Extra are optional options after Option: platforms with options
	// (Discord) register them; elsewhere they are typed after their Joiner.
	Extra       []Option `json:"extra,omitempty"`
	Examples    []string `json:"examples"`
	Description string   `json:"-"`
}

// Commands returns the command table, in the order /help lists it. A new slice
// each call: callers may not change the table for others.
func Commands() []Command {
	return []Command{
		{
			Name: CommandWho, Summary: "Who is involved: people of a country or organisation, or one person",
			Usage:    "/who <country, organisation, person or topic>",
			Option:   &Option{Name: "subject", Description: "A country, organisation, person or topic", Required: true, Autocomplete: true},
			Examples: []string{"/who france", "/who macron", "/who nato"},
		},
		{
			Name: CommandWhat, Summary: "What the articles say about a topic",
			Usage:    "/what <topic>",
			Option:   &Option{Name: "topic", Description: "A topic, such as military hubs", Required: true, Autocomplete: true},
			Examples: []string{"/what military hubs", "/what declaration of intent"},
		},
		{
			Name: CommandQuote, Summary: "What a person, a role or a country's people said, or what was said on a topic",
			Usage:    "/quote <person, role, country or topic> [on <topic>]",
			Option:   &Option{Name: "person", Description: "A person, a role (the nato chief), a country, or a topic", Required: true, Autocomplete: true},
			Extra:    []Option{{Name: "topic", Description: "Only their words on this topic, such as troops", Joiner: "on"}},
			Examples: []string{"/quote witkoff", "/quote merz on troops", "/quote the nato chief"},
		},
		{
			Name: CommandAsk, Summary: "Ask a question; Parley cites the passages that answer it",
			Usage:    "/ask <question>",
			Option:   &Option{Name: "question", Description: "A question about the story", Required: true},
			Examples: []string{"/ask how many troops will Ukraine's army have", "/ask who will lead the ceasefire monitoring"},
		},
		{
			Name: CommandSources, Summary: "The articles Parley answers from",
			Usage:    "/sources",
			Examples: []string{"/sources"},
		},
		{
			Name: CommandHelp, Summary: "The commands, with examples",
			Usage:    "/help",
			Examples: []string{"/help"},
		},
	}
}

// LookupCommand returns the command table's row for name.
func LookupCommand(name string) (Command, bool) {
	if !IsCommand(name) {
		return Command{}, false
	}
	for _, c := range Commands() {
		if c.Name == name {
			return c, true
		}
	}
	return Command{}, false
}

// IsCommand says whether name is in the command table without building it:
// parsing a line and labelling a request's metrics are on every request's
// path.
func IsCommand(name string) bool {
	switch name {
	case CommandWho, CommandWhat, CommandQuote, CommandAsk, CommandSources, CommandHelp:
		return true
	}
	return false
}

// Parse turns a typed line into a request. One rule serves every front end
// (terminal, Slack, Discord, mentions and direct messages):
//
//  1. An empty line is help. "/word ..." where word is no command is help
//     that suggests the nearest command.
//  2. A line whose first word is no command is a question for ask, whole:
//     "how many countries attended", "which leaders were there", "whats the
//     plan".
//  3. A line that starts with who or what (the command words that are also
//     question words), with or without a slash, is a question for ask when
//     what follows reads as a clause, whatever the punctuation: an auxiliary
//     or copula anywhere after it ("what date was the summit", "/who is the
//     NATO chief?", "what did Russia say"), or a verb right after it: a past
//     form ("who showed up in paris", "who took part", "who attended") or a
//     present form before a determiner or "if" ("who leads the monitoring",
//     "what happens if talks fail"); after what, a past form only before a
//     determiner or at the end ("what happened to maduro", not "what armed
//     forces"). The question is the line without its slash.
//  4. Otherwise the command word keeps its command, and what follows it is
//     the subject or topic: "who france?", "/who macron", "what military
//     hubs", "/quote merz on troops". A question mark alone makes no question
//     and is not part of the subject.
//
// Rule 4 also holds for a subject Parley knows whose first word looks like
// a verb ("who united states"): Parse cannot know the articles' names, so
// the handlers answer such an ask as the command (see handlers.Answer).
func Parse(line string) Request {
	line = strings.TrimSpace(line)
	req := Request{Line: line}
	if line == "" {
		req.Command = CommandHelp
		return req
	}
	slash := strings.HasPrefix(line, "/")
	body := strings.TrimLeft(line, "/")
	word, rest := splitWord(body)
	name := strings.ToLower(word)
	known := IsCommand(name)
	switch {
	case !known && slash:
		req.Command, req.Unknown, req.Query = CommandHelp, word, strings.TrimSpace(body)
	case !known:
		req.Command, req.Query = CommandAsk, body
	case (name == CommandWho || name == CommandWhat) && readsAsClause(name, rest):
		req.Command, req.Query = CommandAsk, strings.TrimSpace(body)
	default:
		// "who france?": the question mark is punctuation, not part of
		// the subject.
		req.Command, req.Query = name, strings.TrimSpace(strings.TrimRight(rest, "?!"))
	}
	return req
}

func splitWord(s string) (word, rest string) {
	i := strings.IndexFunc(s, unicode.IsSpace)
	if i < 0 {
		return s, ""
	}
	return s[:i], strings.TrimSpace(s[i:])
}

// readsAsClause says whether the words after who or what make a clause
// (rule 3 of Parse) rather than name a subject or topic.
func readsAsClause(command, rest string) bool {
	words := strings.FieldsFunc(strings.ToLower(rest), func(r rune) bool {
		return !unicode.IsLetter(r) && r != '\'' && r != '’'
	})
	for _, w := range words {
		if isAuxiliary(w) {
			return true
		}
	}
	if len(words) == 0 {
		return false
	}
	first := words[0]
	// After who a past form is the verb ("who signed the declaration");
	// after what it may be an adjective ("what armed forces"), so only
	// when nothing or a determiner follows ("what happened to maduro").
	if isPastForm(first) && (command == CommandWho || len(words) == 1 || opensPhrase(words[1])) {
		return true
	}
	// "leads", "happens": a present form only when what follows shows it
	// is a verb ("heads of state" is a topic, "leads the monitoring" is not).
	return len(words) > 1 && strings.HasSuffix(first, "s") && !strings.HasSuffix(first, "ss") && (opensPhrase(words[1]) || verbPreposition(words[1]))
}

// verbPreposition: prepositions that follow a verb more often than a noun
// ("who pays for the monitors", "who sides with russia"); not "of", "to"
// or "in", which follow topics ("heads of state", "talks in paris").
func verbPreposition(w string) bool {
	switch w {
	case "for", "with", "about", "against", "over":
		return true
	}
	return false
}

// isAuxiliary: auxiliaries, modals and copulas, with their negations.
func isAuxiliary(w string) bool {
	w = strings.ReplaceAll(w, "’", "'")
	switch w {
	case "is", "are", "was", "were", "am", "be", "been", "being", "do", "does", "did", "has", "have", "had",
		"will", "would", "shall", "should", "can", "could", "may", "might", "must",
		"isn't", "aren't", "wasn't", "weren't", "don't", "doesn't", "didn't", "hasn't", "haven't", "hadn't",
		"won't", "wouldn't", "shouldn't", "can't", "cannot", "couldn't", "mustn't":
		return true
	}
	return false
}

// isPastForm: a regular past form (-ed) or a common irregular one.
func isPastForm(w string) bool {
	if len(w) > 4 && strings.HasSuffix(w, "ed") && !strings.HasSuffix(w, "eed") {
		return true
	}
	switch w {
	case "took", "came", "met", "went", "spoke", "said", "led", "won", "gave", "made", "told", "sent", "saw", "got",
		"brought", "held", "left", "ran", "stood", "thought", "knew", "paid", "wrote", "chose", "fought", "fell",
		"flew", "kept", "lost", "meant", "sought", "sold", "began", "drew", "grew", "rose", "bought", "built",
		"caught", "found", "heard", "put", "set", "struck", "withdrew", "broke", "hosted", "joined":
		return true
	}
	return false
}

// opensPhrase: words that start the object or clause after a verb.
func opensPhrase(w string) bool {
	switch w {
	case "the", "a", "an", "this", "that", "these", "those", "its", "their", "his", "her", "our", "my", "your",
		"us", "them", "him", "it", "if", "when", "whether", "to", "up":
		return true
	}
	return false
}

// NearestCommand returns the command whose name is closest to word, for
// "did you mean" help; ok is false when nothing is close.
func NearestCommand(word string) (string, bool) {
	word = strings.ToLower(word)
	best, bestD := "", 1<<30
	for _, c := range Commands() {
		d := editDistance(word, c.Name)
		if strings.HasPrefix(c.Name, word) && word != "" {
			d = 0
		}
		if d < bestD {
			best, bestD = c.Name, d
		}
	}
	limit := 2
	if utf8.RuneCountInString(word) <= 3 {
		limit = 1
	}
	return best, bestD <= limit
}

// editDistance is Levenshtein distance over runes.
func editDistance(a, b string) int {
	// Names and words fit the arrays on the stack: no allocation.
	var abuf, bbuf [32]rune
	var pbuf, cbuf [33]int
	ra, rb := appendRunes(abuf[:0], a), appendRunes(bbuf[:0], b)
	prev, cur := pbuf[:0], cbuf[:0]
	if len(rb)+1 > len(pbuf) {
		prev, cur = make([]int, 0, len(rb)+1), make([]int, 0, len(rb)+1)
	}
	prev, cur = prev[:len(rb)+1], cur[:len(rb)+1]
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}

func appendRunes(dst []rune, s string) []rune {
	for _, r := range s {
		dst = append(dst, r)
	}
	return dst
}

// EditDistance is the Levenshtein distance between a and b, counted in runes.
func EditDistance(a, b string) int { return editDistance(a, b) }
