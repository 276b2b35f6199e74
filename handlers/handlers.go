// Package handlers holds the logic of each command: it turns a
// parley.Request into a parley.Answer using a parley.Corpus. It knows nothing
// of bleve, Slack, Discord or HTTP.
package handlers

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"unicode"
	"unicode/utf8"

	"github.com/parley-bot/parley"
)

// Options tune the answers. The zero value is ready to use.
type Options struct {
	// PageSize is how many citations a page shows; 0 means 5.
	PageSize int
	// MaxCitations caps how many citations an answer keeps over all pages;
	// 0 means 25.
	MaxCitations int
}

// Handlers answers requests from a corpus. Safe for concurrent use.
type Handlers struct {
	corpus parley.Corpus
	opts   Options
	// byName maps a person's canonical name to their index in People().
	byName map[string]int
	// subjects are the names /who and /quote complete: people, then places.
	subjects []string
	// mentioned are the places some sentence names.
	mentioned map[string]bool
	// suggestions are what an answer that covers nothing proposes.
	suggestions []suggestion
	terms       cache[string, []string]
	// phrases are texts as corpus.Terms analyses them (analysed).
	phrases cache[string, []string]
	// lex are the lexicon's answers the gate asks for (lexical).
	lex cache[lexQuestion, bool]
	// refs are the dates articles' dates are read against (reference).
	refs    sync.Map
	refsN   atomic.Int64
	lookups cache[string, nameLookup]
	// event is the noun articles.json names the articles' event by
	// ("meeting", "summit"), "" when it names none.
	event string
	// kin are the typed words that name the same kind of thing as the
	// event's noun (eventKinOf).
	kin cache[string, bool]
	// memo holds what answers read of sentences, worked out once.
	memo factsCache
	// roles are the terms of people's roles (roleTerms).
	roles struct {
		once  sync.Once
		terms map[string]bool
	}
	// present is who the articles place at the event (attendance).
	present struct {
		mu sync.Mutex
		p  *presence
	}
}

var (
	_ parley.Answerer  = (*Handlers)(nil)
	_ parley.Completer = (*Handlers)(nil)
)

// New returns handlers over corpus.
func New(corpus parley.Corpus, opts Options) *Handlers {
	if opts.PageSize <= 0 {
		opts.PageSize = 5
	}
	if opts.MaxCitations <= 0 {
		opts.MaxCitations = 25
	}
	h := &Handlers{corpus: corpus, opts: opts, byName: map[string]int{}}
	for i, p := range corpus.People() {
		h.byName[p.Name] = i
	}
	h.subjects, h.mentioned = subjects(corpus)
	h.suggestions = suggestions(corpus)
	for _, a := range corpus.Articles() {
		if a.Event != nil && a.Event.Name != "" {
			h.event = eventNoun(a.Event.Name)
			break
		}
	}
	return h
}

// eventNoun is the noun an event's name ends its head with: "meeting" in
// "Coalition of the Willing meeting on security guarantees", "summit" in
// "East African summit on a drought response fund".
func eventNoun(name string) string {
	low := " " + strings.ToLower(name) + " "
	for _, prep := range []string{" on ", " for ", " about ", " over ", " to ", " in ", " at ", " with ", " between "} {
		if i := strings.Index(low, prep); i > 0 {
			low = low[:i]
		}
	}
	f := strings.Fields(low)
	if len(f) == 0 {
		return ""
	}
	return strings.TrimRight(strings.TrimSuffix(strings.TrimSuffix(f[len(f)-1], "'s"), "’s"), "'’")
}

// Answer implements parley.Answerer. Every request gets an answer: help,
// "not covered" and bad input included; an error means the index failed.
func (h *Handlers) Answer(ctx context.Context, req parley.Request) (*parley.Answer, error) {
	q, notice := clean(req.Query)
	ans := &parley.Answer{Command: req.Command, Query: q, Notice: notice, Covered: true, Page: max(req.Page, 1)}
	var err error
	switch req.Command {
	case parley.CommandWhat:
		err = h.what(ctx, q, ans)
	case parley.CommandAsk:
		err = h.ask(ctx, q, ans)
	case parley.CommandWho:
		err = h.who(ctx, q, ans)
	case parley.CommandQuote:
		err = h.quote(ctx, q, ans)
	case parley.CommandSources:
		h.sources(ans)
	default:
		ans.Command = parley.CommandHelp
		h.help(req, ans)
	}
	if err != nil {
		return nil, fmt.Errorf("handlers: %s: %w", req.Command, err)
	}
	h.paginate(ans)
	if ans.Suggestions == nil {
		ans.Suggestions = []string{}
	}
	if ans.People == nil {
		ans.People = []parley.Person{}
	}
	if ans.Citations == nil {
		ans.Citations = []parley.Citation{}
	}
	if ans.Related == nil {
		ans.Related = []parley.Citation{}
	}
	for i := range ans.Related {
		ans.Related[i].N = i + 1
	}
	ans.Text = PlainText(ans)
	return ans, nil
}

// clean makes typed text safe to search: control characters become spaces,
// runs of white space fold, and the query is cut to parley.MaxQuery
// characters at a word boundary; notice says when it was cut.
func clean(s string) (string, string) {
	if !utf8.ValidString(s) {
		s = strings.ToValidUTF8(s, " ")
	}
	s = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || unicode.Is(unicode.Cf, r) && r != '\u200d' {
			return ' '
		}
		return r
	}, s)
	s = strings.Join(strings.Fields(s), " ")
	if utf8.RuneCountInString(s) <= parley.MaxQuery {
		return s, ""
	}
	cut, n := 0, 0
	for i := range s {
		if n == parley.MaxQuery {
			cut = i
			break
		}
		n++
	}
	if sp := strings.LastIndexByte(s[:cut], ' '); sp > cut/2 {
		cut = sp
	}
	return s[:cut], fmt.Sprintf("Your query was cut to its first %d characters.", parley.MaxQuery)
}

func (h *Handlers) sources(ans *parley.Answer) {
	arts := h.corpus.Articles()
	n := 0
	for _, a := range arts {
		if a.Sentences == nil {
			// Listed without its sentences (an on-disk index): count them.
			if whole, ok := h.corpus.Article(a.ID); ok {
				a = whole
			}
		}
		ans.Sources = append(ans.Sources, source(a))
		n += len(a.Sentences)
	}
	ans.Lead = fmt.Sprintf("Parley answers from %d %s (%d sentences).", len(arts), plural(len(arts), "article", "articles"), n)
}

func (h *Handlers) help(req parley.Request, ans *parley.Answer) {
	ans.Commands = parley.Commands()
	ans.Lead = "Ask about the story with these commands:"
	if req.Unknown != "" {
		ans.Covered = false
		if near, ok := parley.NearestCommand(req.Unknown); ok {
			c, _ := parley.LookupCommand(near)
			ans.Lead = fmt.Sprintf("There is no command /%s. Did you mean /%s?", sanitizeWord(req.Unknown), near)
			ans.Suggestions = []string{c.Examples[0]}
		} else {
			ans.Lead = fmt.Sprintf("There is no command /%s. These are the commands:", sanitizeWord(req.Unknown))
		}
	}
	if len(ans.Suggestions) == 0 {
		for _, c := range ans.Commands {
			ans.Suggestions = append(ans.Suggestions, c.Examples[0])
		}
	}
}

// sanitizeWord keeps an unknown command word short enough to echo.
func sanitizeWord(w string) string {
	w, _ = clean(w)
	if utf8.RuneCountInString(w) > 30 {
		w = string([]rune(w)[:30]) + "…"
	}
	return w
}

func (h *Handlers) paginate(ans *parley.Answer) {
	all := ans.Citations
	if len(all) > h.opts.MaxCitations {
		all = all[:h.opts.MaxCitations]
	}
	for i := range all {
		all[i].N = i + 1
	}
	size := h.opts.PageSize
	pages := (len(all) + size - 1) / size
	if pages == 0 {
		pages = 1
	}
	if ans.Page > pages {
		ans.Page = pages
	}
	from := (ans.Page - 1) * size
	to := min(from+size, len(all))
	ans.Citations = all[from:to]
	ans.More = to < len(all)
	if ans.Command != parley.CommandSources {
		ans.Sources = nil
		seen := map[string]bool{}
		for _, c := range ans.Citations {
			if !seen[c.Article] {
				seen[c.Article] = true
				if a, ok := h.corpus.Article(c.Article); ok {
					ans.Sources = append(ans.Sources, source(a))
				}
			}
		}
	}
}

func source(a *parley.Article) parley.Source {
	return parley.Source{Article: a.ID, Title: a.Title, Outlet: a.Outlet, Date: a.Date, URL: a.URL, Sentences: len(a.Sentences)}
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
