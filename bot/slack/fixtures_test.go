package slack

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/parley-bot/parley"
	"github.com/parley-bot/parley/seeds"
)

const testSecret = "8f742231b10e8888abcd99yyyzzz85a5"

// testNow is the clock of the tests: the real time, since slack-go's
// SecretsVerifier checks timestamps against the real clock.
var testNow = time.Now().UTC().Truncate(time.Second)

// corpus holds the seed articles, so that fake answers quote real text with
// real offsets.
type corpus struct {
	text map[string]string
	meta map[string]struct {
		Headline, Outlet, URL *string
	}
}

func loadCorpus(tb testing.TB) *corpus {
	tb.Helper()
	fsys := seeds.FS()
	c := &corpus{text: map[string]string{}}
	var doc struct {
		Articles []struct {
			ID       string  `json:"id"`
			Headline *string `json:"headline"`
			Outlet   *string `json:"outlet"`
			URL      *string `json:"url"`
		} `json:"articles"`
	}
	raw, err := fs.ReadFile(fsys, "articles.json")
	if err != nil {
		tb.Fatal(err)
	}
	if err := json.Unmarshal(raw, &doc); err != nil {
		tb.Fatal(err)
	}
	c.meta = map[string]struct{ Headline, Outlet, URL *string }{}
	for _, a := range doc.Articles {
		b, err := fs.ReadFile(fsys, a.ID+".txt")
		if err != nil {
			tb.Fatal(err)
		}
		c.text[a.ID] = string(b)
		c.meta[a.ID] = struct{ Headline, Outlet, URL *string }{a.Headline, a.Outlet, a.URL}
	}
	return c
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

func (c *corpus) title(id string) string {
	if h := deref(c.meta[id].Headline); h != "" {
		return h
	}
	// Like the index: the first line of reporting, not a heading or a list.
	var first string
	for line := range strings.Lines(c.text[id]) {
		line = strings.TrimSpace(line)
		if len(line) > 60 && !strings.HasPrefix(line, "-") {
			first = line
			break
		}
	}
	if len(first) > 80 {
		first = first[:strings.LastIndex(first[:80], " ")] + "…"
	}
	return first
}

func (c *corpus) source(id string) parley.Source {
	return parley.Source{Article: id, Title: c.title(id), Outlet: deref(c.meta[id].Outlet), URL: deref(c.meta[id].URL), Sentences: strings.Count(c.text[id], ". ")}
}

// cite makes citation n of excerpt, which must occur in article id (a
// fixture mistake panics: answers are made off the test goroutine).
func (c *corpus) cite(n int, id, excerpt string) parley.Citation {
	text := c.text[id]
	i := strings.Index(text, excerpt)
	if i < 0 {
		panic(fmt.Sprintf("excerpt not in %s: %q", id, excerpt))
	}
	ps := strings.LastIndexByte(text[:i], '\n') + 1
	pe := strings.IndexByte(text[i:], '\n')
	if pe < 0 {
		pe = len(text)
	} else {
		pe += i
	}
	return parley.Citation{
		N: n, Article: id, Title: c.title(id), Outlet: deref(c.meta[id].Outlet), URL: deref(c.meta[id].URL),
		Text: excerpt, Start: i, End: i + len(excerpt), ParagraphStart: ps, ParagraphEnd: pe, Paragraph: text[ps:pe],
	}
}

const (
	a000 = "000_a4500263d0d01af0"
	a001 = "001_a6d6f05be7c2015a"
	a002 = "002_5a2de83960ae3976"
	a003 = "003_a88a6f9518b06440"
	a004 = "004_65177c6e93b92d8d"
)

// fakeAnswerer answers like the handlers would, from the seeds, and records
// the requests it gets.
type fakeAnswerer struct {
	c    *corpus
	mu   sync.Mutex
	reqs []parley.Request
}

func newFake(tb testing.TB) *fakeAnswerer {
	tb.Helper()
	f := &fakeAnswerer{c: loadCorpus(tb)}
	for _, line := range []string{"/who france", "/what hubs", "/quote witkoff", "/ask troops?"} {
		for page := 1; page <= 2; page++ {
			req := parley.Parse(line)
			req.Page = page
			f.answer(req) // panics here, on the test goroutine, if a fixture is wrong
		}
	}
	return f
}

func (f *fakeAnswerer) requests() []parley.Request {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]parley.Request(nil), f.reqs...)
}

func (f *fakeAnswerer) Answer(_ context.Context, req parley.Request) (*parley.Answer, error) {
	f.mu.Lock()
	f.reqs = append(f.reqs, req)
	f.mu.Unlock()
	return f.answer(req), nil
}

func (f *fakeAnswerer) answer(req parley.Request) *parley.Answer {
	c := f.c
	page := max(req.Page, 1)
	ans := &parley.Answer{Command: req.Command, Query: req.Query, Covered: true, Page: page}
	switch {
	case (req.Command == parley.CommandWho && strings.EqualFold(req.Query, "france")) || strings.EqualFold(req.Query, "who france?"):
		ans.Lead = "People of France in the articles: Emmanuel Macron [1][2]."
		ans.People = []parley.Person{
			{Name: "Emmanuel Macron", Role: "President", Affiliation: "France", Articles: []string{a001, a002, a003, a004}, Mentions: 9},
			{Name: "Jean-Noël Barrot", Role: "Foreign minister", Affiliation: "France", Articles: []string{a004}, Mentions: 1},
		}
		ans.Citations = []parley.Citation{
			c.cite(1, a002, `French President Emmanuel Macron highlighted the meeting's outcome, stating it reflected for the first time an "operational convergence" between the 35 coalition countries, Ukraine, and the United States.`),
			c.cite(2, a004, "Macron said France could send “several thousand” troops to Ukraine after the war."),
		}
		ans.Citations[1].Speaker, ans.Citations[1].Kind = "Emmanuel Macron", parley.SpeechParaphrase
		ans.Sources = []parley.Source{c.source(a002), c.source(a004)}
	case req.Command == parley.CommandWhat:
		ans.Lead = "What the articles say about military hubs [1][2][3]."
		all := []parley.Citation{
			c.cite(1, a000, "Starmer also announced the establishment of Anglo-French “military hubs” to help support Ukraine’s defensive capabilities by building protected facilities to produce weapons and military equipment."),
			c.cite(2, a003, "Following high-level talks in Paris with Ukraine’s allies, Starmer said the two countries would “establish military hubs across Ukraine” to deter future invasions."),
			c.cite(3, a001, "- The agreement includes the establishment of military hubs and protected facilities for weapons and military equipment to support Ukraine’s defensive needs."),
		}
		all[0].AlsoIn = []string{a004, a001}
		if page == 1 {
			ans.Citations, ans.More = all[:2], true
		} else {
			ans.Lead = "More on military hubs [3]."
			ans.Citations = all[2:]
		}
		for _, ct := range ans.Citations {
			ans.Sources = append(ans.Sources, c.source(ct.Article))
		}
	case req.Command == parley.CommandQuote:
		ans.Lead = "Steve Witkoff, in his own words [1][2]."
		ans.Citations = []parley.Citation{
			c.cite(1, a003, "Top US negotiator Steve Witkoff emphasized that “durable security guarantees and robust prosperity commitments are essential to a lasting peace” in Ukraine, highlighting a key demand of Kyiv."),
			c.cite(2, a000, "Middle East special envoy Steve Witkoff, representing the U.S. in Tuesday’s peace talks, said the “strong” security protocols are designed to deter any attacks on Ukraine and defend it in the event of an attack."),
		}
		for i := range ans.Citations {
			ans.Citations[i].Speaker, ans.Citations[i].Kind = "Steve Witkoff", parley.SpeechQuote
		}
		ans.Sources = []parley.Source{c.source(a003), c.source(a000)}
	case req.Command == parley.CommandAsk && strings.Contains(req.Query, "germany"):
		ans.Covered = false
		ans.Lead = "The articles give no number of troops for Germany. Try one of the suggestions."
		ans.Suggestions = []string{"/who Friedrich Merz", "/what troops"}
		ans.Related = []parley.Citation{
			c.cite(1, a000, "Germany may also contribute to the troop deployment in Ukraine, but German Chancellor Friedrich Merz noted his country’s government and parliament would have to put the decision up for a vote if the monitoring force comes to fruition."),
			c.cite(2, a002, "German Chancellor Friedrich Merz expressed readiness for Germany to contribute troops to a peacekeeping mission post-ceasefire."),
		}
	case req.Command == parley.CommandAsk && strings.Contains(req.Query, "troops"):
		ans.Lead = "The allies agreed to support a Ukrainian army of 800,000 troops [1]."
		ans.Citations = []parley.Citation{
			c.cite(1, a001, `The members of the Coalition of the Willing have also agreed to supply Ukraine with "all the necessary resources" to support an armed force of 800,000 troops.`),
		}
		ans.Sources = []parley.Source{c.source(a001)}
	case req.Command == parley.CommandSources:
		ans.Lead = "Parley answers from these 5 articles."
		for _, id := range []string{a000, a001, a002, a003, a004} {
			ans.Sources = append(ans.Sources, c.source(id))
		}
	case req.Command == parley.CommandHelp:
		ans.Lead = "Parley answers questions about the Coalition of the Willing meeting in Paris (6 Jan 2026), quoting the articles."
		if req.Unknown != "" {
			ans.Lead = "There is no command /" + req.Unknown + ". " + ans.Lead
		}
		ans.Commands = parley.Commands()
	default:
		ans.Covered = false
		ans.Lead = "The articles don't cover “" + req.Query + "”."
		ans.Suggestions = []string{"/who france", "/what military hubs"}
	}
	ans.Text = ans.Lead
	return ans
}

// sign returns the headers Slack would send for body at time ts.
func sign(secret string, ts time.Time, body string) http.Header {
	t := strconv.FormatInt(ts.Unix(), 10)
	mac := hmac.New(sha256.New, []byte(secret))
	fmt.Fprintf(mac, "v0:%s:%s", t, body)
	h := http.Header{}
	h.Set("X-Slack-Request-Timestamp", t)
	h.Set("X-Slack-Signature", "v0="+hex.EncodeToString(mac.Sum(nil)))
	h.Set("Content-Type", "application/x-www-form-urlencoded")
	return h
}

func signedRequest(path, body string, ts time.Time) *http.Request {
	r := httptest.NewRequest(http.MethodPost, path, strings.NewReader(body))
	for k, v := range sign(testSecret, ts, body) {
		r.Header[k] = v
	}
	return r
}

func commandBody(command, text, responseURL string) string {
	return url.Values{
		"command": {command}, "text": {text}, "user_id": {"U0ALICE"}, "user_name": {"alice"},
		"channel_id": {"C0NEWS"}, "team_id": {"T0TEAM"}, "response_url": {responseURL}, "trigger_id": {"1.2.3"},
	}.Encode()
}

// posts is a fake endpoint (a response_url or Slack's Web API) that hands
// each request's body to the test.
type posts struct {
	srv *httptest.Server
	ch  chan post
}

type post struct {
	path string
	body []byte
	form url.Values
}

func newPosts(tb testing.TB, status func(path string, n int) (int, http.Header)) *posts {
	tb.Helper()
	p := &posts{ch: make(chan post, 64)}
	var mu sync.Mutex
	count := map[string]int{}
	p.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		buf, _ := io.ReadAll(r.Body)
		mu.Lock()
		count[r.URL.Path]++
		n := count[r.URL.Path]
		mu.Unlock()
		if status != nil {
			if code, h := status(r.URL.Path, n); code != http.StatusOK {
				for k, v := range h {
					w.Header()[k] = v
				}
				w.WriteHeader(code)
				return
			}
		}
		pt := post{path: r.URL.Path, body: buf}
		if strings.HasPrefix(r.Header.Get("Content-Type"), "application/x-www-form-urlencoded") {
			pt.form, _ = url.ParseQuery(string(buf))
		}
		p.ch <- pt
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"ok":true,"channel":"C0NEWS","ts":"1767780000.000200"}`))
	}))
	tb.Cleanup(p.srv.Close)
	return p
}

func (p *posts) next(tb testing.TB) post {
	tb.Helper()
	select {
	case pt := <-p.ch:
		return pt
	case <-time.After(10 * time.Second):
		tb.Fatal("no post arrived")
		return post{}
	}
}

func newAdapter(tb testing.TB, ans parley.Answerer, mod func(*Options)) *Adapter {
	tb.Helper()
	o := Options{SigningSecret: testSecret, Answerer: ans, Now: func() time.Time { return testNow }}
	if mod != nil {
		mod(&o)
	}
	a, err := New(o)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		_ = a.Shutdown(ctx)
	})
	return a
}

func serve(a *Adapter) *http.ServeMux {
	mux := http.NewServeMux()
	a.Register(mux)
	return mux
}

// decodeMessage reads a message as JSON into plain maps and the struct.
func decodeMessage(tb testing.TB, body []byte) message {
	tb.Helper()
	var m message
	if err := json.Unmarshal(body, &m); err != nil {
		tb.Fatalf("not a message: %v: %s", err, body)
	}
	return m
}

func blockTexts(m message) []string {
	var out []string
	for _, b := range m.Blocks {
		if b.Text != nil {
			out = append(out, b.Text.Text)
		}
		for _, e := range b.Elements {
			out = append(out, e.Text)
		}
	}
	return out
}

// mrkdwnTexts and plainTexts are the texts of m by kind: Slack reads markup
// and mentions only in the first.
func mrkdwnTexts(m message) []string { return textsOf(m, "mrkdwn") }
func plainTexts(m message) []string  { return textsOf(m, "plain_text") }

func textsOf(m message, kind string) []string {
	var out []string
	for _, b := range m.Blocks {
		if b.Text != nil && b.Text.Type == kind {
			out = append(out, b.Text.Text)
		}
		for _, e := range b.Elements {
			if e.Type == kind {
				out = append(out, e.Text)
			}
		}
	}
	return out
}

func findButton(tb testing.TB, m message, prefix string) element {
	tb.Helper()
	for _, b := range m.Blocks {
		if b.Accessory != nil && strings.HasPrefix(b.Accessory.ActionID, prefix) {
			return *b.Accessory
		}
		for _, e := range b.Elements {
			if e.Type == "button" && strings.HasPrefix(e.ActionID, prefix) {
				return e
			}
		}
	}
	tb.Fatalf("no button %s", prefix)
	return element{}
}

func parseLine(line string) parley.Request { return parley.Parse(line) }
