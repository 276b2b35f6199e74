package handlers_test

import (
	"context"
	"os"
	"strings"
	"testing"

	"github.com/parley-bot/parley"
	"github.com/parley-bot/parley/bench"
)

// benchQueries are varied inputs (at least 50 per command, some not
// covered, some with typos) so that no single query dominates a benchmark.
var benchTopics = []string{
	"military hubs", "declaration of intent", "donbas", "security guarantees", "ceasefire monitoring", "troops",
	"multinational force", "prosperity agreement", "territorial concessions", "coalition of the willing", "greenland",
	"venezuela", "backstop", "reassurance force", "legal framework", "peace deal", "drone attack", "residence",
	"parliament", "nato presence", "15-year term", "800,000 troops", "armed forces", "weapons production",
	"protected facilities", "truce", "verification", "coordination cell", "communique", "reconstruction",
	"20-point plan", "28-point plan", "winter", "luhansk", "donetsk", "compromises", "land options", "carnage",
	"skies and seas", "european security", "post-war", "sovereignty", "kremlin reaction", "legitimate target",
	"napoleon", "pizza", "moon landing", "operational convergence", "milestone", "textbook diplomacy", "g7 call",
	"paris meeting", "largest gathering", "heads of state",
}

var benchQuestions = []string{
	"how many troops will Ukraine's army have", "how many countries attended the meeting",
	"who will lead the ceasefire monitoring", "how much of Ukraine does Russia control",
	"how long would the security guarantees last", "what did Russia say about foreign troops",
	"what is the main obstacle to a deal", "did the CIA confirm the attack on Putin's residence",
	"when did the invasion start", "where will the military hubs be", "who signed the declaration of intent",
	"what will Germany contribute", "what did Canada say", "what is the prosperity agreement",
	"how many heads of state came", "when will the talks continue", "who represented the US",
	"what share of Donetsk does Moscow control", "what did Zelensky say about territory",
	"will troops be stationed in Ukraine", "what does the backstop mean", "who is the NATO chief",
	"what did Merz say about compromises", "what is the reassurance force", "how big is the multinational force",
	"what did Kushner say", "is peace guaranteed", "what happened to Maduro", "what about Greenland",
	"what did Starmer announce", "how many points in the peace plan", "when did Zelensky meet Trump",
	"what did the G7 welcome", "who opposes foreign troops", "what are security protocols",
	"did Ukraine reject the earlier plan", "what cap on the armed forces was proposed", "who hosted the meeting",
	"what is the coordination cell", "what will the UK do", "what will France do", "where are German forces based",
	"what is the most difficult issue", "what did Macron tell French television", "how ready is the peace deal",
	"what did Putin claim", "who is Witkoff", "what is the 20-point plan", "how long has the war lasted",
	"what is a legitimate target", "what is the recipe for lasagne", "who won the football",
}

var benchSubjects = []string{
	"france", "germany", "uk", "united states", "nato", "canada", "russia", "britain", "frnace", "macron",
	"witkoff", "zelensky", "zelenskiy", "starmer", "merz", "rutte", "carney", "putin", "trump", "kushner",
	"maduro", "ukraine", "venezuela", "us", "u.s.", "french", "british", "american", "russian", "german",
	"kremlin", "moscow", "paris", "london", "washington", "kyiv", "g7", "eu", "macrom", "zelenksy", "troops",
	"monitoring", "napoleon", "denmark", "greenland", "europe", "canadian", "ukrainian", "keir starmer",
	"emmanuel macron", "sir keir starmer", "mr macron",
}

func benchCommand(b *testing.B, command string, queries []string) {
	h, _ := seedHandlers(b)
	ctx := context.Background()
	reqs := make([]parley.Request, len(queries))
	for i, q := range queries {
		reqs[i] = parley.Request{Command: command, Query: q}
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := h.Answer(ctx, reqs[i%len(reqs)]); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkWhat(b *testing.B)  { benchCommand(b, parley.CommandWhat, benchTopics) }
func BenchmarkAsk(b *testing.B)   { benchCommand(b, parley.CommandAsk, benchQuestions) }
func BenchmarkWho(b *testing.B)   { benchCommand(b, parley.CommandWho, benchSubjects) }
func BenchmarkQuote(b *testing.B) { benchCommand(b, parley.CommandQuote, benchSubjects) }
func BenchmarkSources(b *testing.B) {
	benchCommand(b, parley.CommandSources, []string{""})
}
func BenchmarkHelp(b *testing.B) { benchCommand(b, parley.CommandHelp, []string{""}) }

func BenchmarkComplete(b *testing.B) {
	h, _ := seedHandlers(b)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		q := benchSubjects[i%len(benchSubjects)]
		h.Complete(context.Background(), parley.CommandWho, q[:min(3, len(q))], 25)
	}
}

// BenchmarkCorpusSearch is the index's search alone (bleve, a match query,
// 5 hits) on the same questions: the yardstick Parley's own work per answer
// is measured against, in the same process.
func BenchmarkCorpusSearch(b *testing.B) {
	_, ix := seedHandlers(b)
	ctx := context.Background()
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := ix.Search(ctx, parley.Query{Text: benchQuestions[i%len(benchQuestions)], Size: 5}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkLines answers the lines of testdata/lines/mixed.txt, one command
// at a time: every command and question kind, as `parley bench` measures
// them.
func BenchmarkLines(b *testing.B) {
	data, err := os.ReadFile("../testdata/lines/mixed.txt")
	if err != nil {
		b.Fatal(err)
	}
	groups := map[string][]parley.Request{}
	for _, l := range strings.Split(string(data), "\n") {
		if l = strings.TrimSpace(l); l != "" {
			req := parley.Parse(l)
			groups[req.Command] = append(groups[req.Command], req)
		}
	}
	h, _ := seedHandlers(b)
	ctx := context.Background()
	for _, c := range []string{parley.CommandWho, parley.CommandWhat, parley.CommandAsk, parley.CommandQuote} {
		reqs := groups[c]
		b.Run(c, func(b *testing.B) {
			b.ReportAllocs()
			for i := 0; b.Loop(); i++ {
				if _, err := h.Answer(ctx, reqs[i%len(reqs)]); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkCorpusLines answers the lines `parley bench` makes from the
// seeds by default (bench.Lines), one command at a time, so that a profile
// shows the work behind the figures it prints.
func BenchmarkCorpusLines(b *testing.B) {
	h, ix := seedHandlers(b)
	groups := map[string][]parley.Request{}
	for _, l := range bench.Lines(ix) {
		req := parley.Parse(l)
		groups[req.Command] = append(groups[req.Command], req)
	}
	ctx := context.Background()
	for _, c := range bench.Measured {
		reqs := groups[c]
		b.Run(c, func(b *testing.B) {
			b.ReportAllocs()
			for i := 0; b.Loop(); i++ {
				if _, err := h.Answer(ctx, reqs[i%len(reqs)]); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
