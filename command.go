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
}

// Command is one row of the command table: it drives parsing, /help, and
// command registration on Slack (manifests) and Discord.
type Command struct {
	Name        string   `json:"name"`
	Summary     string   `json:"summary"`
	Usage       string   `json:"usage"`
	Option      *Option  `json:"option,omitempty"`
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
			Name: CommandQuote, Summary: "What a person (or a country's people) said, in their own words",
			Usage:    "/quote <person or country>",
			Option:   &Option{Name: "person", Description: "A person, or a country for its people's quotes", Required: true, Autocomplete: true},
			Examples: []string{"/quote witkoff", "/quote zelensky"},
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
	if !isCommand(name) {
		return Command{}, false
	}
	for _, c := range Commands() {
		if c.Name == name {
			return c, true
		}
	}
	return Command{}, false
}

// isCommand says whether name is in the command table without building it:
// parsing a line is on every request's path.
func isCommand(name string) bool {
	switch name {
	case CommandWho, CommandWhat, CommandQuote, CommandAsk, CommandSources, CommandHelp:
		return true
	}
	return false
}

// isQuestionWord makes "what did Russia say" a question for ask rather than
// the command what when typed without a slash.
func isQuestionWord(w string) bool {
	switch strings.ToLower(w) {
	case "is", "are", "was", "were", "do", "does", "did", "will", "would", "can", "should":
		return true
	}
	return false
}

// Parse turns a typed line into a request, by one rule for every front end:
//
//   - "/cmd rest": the command cmd with query rest ("/nonsense x" is help,
//     suggesting the nearest command);
//   - "cmd rest" without a slash: the command, unless the line reads as a
//     question (ends with "?", or cmd is followed by is/are/did/will/...),
//     which is ask with the whole line;
//   - anything else is ask with the whole line; an empty line is help.
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
	known := isCommand(name)
	switch {
	case slash && known:
		req.Command, req.Query = name, rest
	case slash:
		req.Command, req.Unknown, req.Query = CommandHelp, word, strings.TrimSpace(body)
	case known && !readsAsQuestion(line, rest):
		req.Command, req.Query = name, rest
	default:
		req.Command, req.Query = CommandAsk, line
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

func readsAsQuestion(line, rest string) bool {
	if strings.HasSuffix(line, "?") {
		return true
	}
	next, _ := splitWord(rest)
	return isQuestionWord(next)
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
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
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

// EditDistance is the Levenshtein distance between a and b, counted in runes.
func EditDistance(a, b string) int { return editDistance(a, b) }
