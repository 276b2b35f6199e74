package segment_test

import (
	"io/fs"
	"strings"
	"testing"
	"unicode"

	"github.com/parley-bot/parley/index/segment"
	"github.com/parley-bot/parley/seeds"
)

func texts(text string, opts segment.Options) []string {
	var out []string
	for _, s := range segment.Split("a", text, opts) {
		out = append(out, text[s.Start:s.End])
	}
	return out
}

func TestSplitRules(t *testing.T) {
	tests := []struct {
		name string
		text string
		want []string
	}{
		{"initialism before a name", "Officials met in Oslo. U.K. Foreign Secretary Anna Belt said talks would go on.",
			[]string{"Officials met in Oslo.", "U.K. Foreign Secretary Anna Belt said talks would go on."}},
		{"initialism inside a sentence", "A new U.S. plan and U.S. envoys were praised. The E.U. Council met.",
			[]string{"A new U.S. plan and U.S. envoys were praised.", "The E.U. Council met."}},
		{"initialism ends a sentence", "The deal was signed with the U.S. The talks ended.",
			[]string{"The deal was signed with the U.S.", "The talks ended."}},
		{"title", "Talks began. Mr. Ortega Vance arrived late. Dr. Lin spoke.",
			[]string{"Talks began.", "Mr. Ortega Vance arrived late.", "Dr. Lin spoke."}},
		{"initials in names", "Talks began. President Donald J. Trump spoke. Minister S. Raghunathan and Shri K. R. Venkataraman agreed. Md. Rafiqul Islam and Smt. Meenakshi Bora came.",
			[]string{"Talks began.", "President Donald J. Trump spoke.", "Minister S. Raghunathan and Shri K. R. Venkataraman agreed.", "Md. Rafiqul Islam and Smt. Meenakshi Bora came."}},
		{"a letter ends a sentence", "They took vitamin C. Prices rose. It was Plan B. The talks ended.",
			[]string{"They took vitamin C.", "Prices rose.", "It was Plan B.", "The talks ended."}},
		{"missing space after a full stop", "The plan was nearly done.U.S. negotiators said so.",
			[]string{"The plan was nearly done.", "U.S. negotiators said so."}},
		{"initialism glued to a word", "The U.S.and its allies agreed.", []string{"The U.S.and its allies agreed."}},
		{"domain name", "See example.com for more. Then leave.", []string{"See example.com for more.", "Then leave."}},
		{"lower-case start after a stop", "The vote was close. key issues remain open.",
			[]string{"The vote was close.", "key issues remain open."}},
		{"curly quote closes after the stop", "She said it was “a trap.” Markets fell.",
			[]string{"She said it was “a trap.”", "Markets fell."}},
		{"straight quote closes after the stop", `He called it "final." Nobody agreed.`,
			[]string{`He called it "final."`, "Nobody agreed."}},
		{"quote over two sentences", "“We are ready. The rest is up to them,” she said.",
			[]string{"“We are ready.", "The rest is up to them,” she said."}},
		{"list items", "Key points:\n- Troops will deploy.\n- A hub opens in Lviv.\n",
			[]string{"Troops will deploy.", "A hub opens in Lviv."}},
		{"numbered list", "1. First point stands.\n2) Second point too.", []string{"First point stands.", "Second point too."}},
		{"heading line", "Talks in Oslo\nThe ministers met on Monday.", []string{"The ministers met on Monday."}},
		{"dateline", "OSLO — Ministers met on Monday.", []string{"Ministers met on Monday."}},
		{"dateline with country", "LIMA, Peru (Wire) — Voting began.", []string{"Voting began."}},
		{"dash inside", "The region—long contested—was quiet. Nobody moved.", []string{"The region—long contested—was quiet.", "Nobody moved."}},
		{"percent and decimals", "Turnout was 61.5% in 2024. It rose.", []string{"Turnout was 61.5% in 2024.", "It rose."}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := texts(tc.text, segment.Options{})
			if strings.Join(got, "|") != strings.Join(tc.want, "|") {
				t.Errorf("Split(%q)\n got %q\nwant %q", tc.text, got, tc.want)
			}
		})
	}
}

// A made-up article with every kind of line that is not reporting.
const madeUp = `Harbour Deal Reached in Valdoria
VALDORIA CITY — Negotiators from Valdoria and Ostland agreed on Friday to reopen the harbour.

- Advertisement -

The agreement ends a two-year blockade. Fishing fleets will return in spring.
STORM BATTERS COAST AS FERRIES HALT SERVICE
Ostland's trade minister called it "a fair bargain."
ADVERTISEMENT
Sponsored content
The Daily Lantern does not necessarily endorse the opinions expressed by its contributors.
By Mira Talvik
The Daily Lantern — Harbour Desk
`

func TestBoilerplateLines(t *testing.T) {
	kinds := map[string]segment.LineKind{}
	for _, l := range segment.Lines(madeUp, segment.Options{Outlet: "The Daily Lantern"}) {
		kinds[madeUp[l.Start:l.End]] = l.Kind
	}
	want := map[string]segment.LineKind{
		"Harbour Deal Reached in Valdoria":            segment.Heading,
		"- Advertisement -":                           segment.Advert,
		"STORM BATTERS COAST AS FERRIES HALT SERVICE": segment.Promo,
		"ADVERTISEMENT":                               segment.Advert,
		"Sponsored content":                           segment.Advert,
		"The Daily Lantern does not necessarily endorse the opinions expressed by its contributors.": segment.Disclaimer,
		"By Mira Talvik":                                         segment.Byline,
		"The Daily Lantern — Harbour Desk":                       segment.SignOff,
		"Ostland's trade minister called it \"a fair bargain.\"": segment.Reporting,
	}
	for line, k := range want {
		if got := kinds[line]; got != k {
			t.Errorf("line %q is %v, want %v", line, got, k)
		}
	}
	got := texts(madeUp, segment.Options{Outlet: "The Daily Lantern"})
	wantS := []string{
		"Negotiators from Valdoria and Ostland agreed on Friday to reopen the harbour.",
		"The agreement ends a two-year blockade.", "Fishing fleets will return in spring.",
		"Ostland's trade minister called it \"a fair bargain.\"",
	}
	if strings.Join(got, "|") != strings.Join(wantS, "|") {
		t.Errorf("sentences\n got %q\nwant %q", got, wantS)
	}
}

// TestSeeds checks every seed: each sentence is its byte range, trimmed,
// inside its paragraph, numbered in order, and no boilerplate line is cited.
func TestSeeds(t *testing.T) {
	fsys := seeds.FS()
	names, err := fs.Glob(fsys, "*.txt")
	if err != nil || len(names) != 5 {
		t.Fatalf("seeds: %v %v", names, err)
	}
	total := 0
	for _, name := range names {
		b, _ := fs.ReadFile(fsys, name)
		text := string(b)
		lines := segment.Lines(text, segment.Options{Outlet: "Axadle Times"})
		ss := segment.Split(name, text, segment.Options{Outlet: "Axadle Times"})
		if len(ss) < 15 {
			t.Errorf("%s: only %d sentences", name, len(ss))
		}
		total += len(ss)
		for i, s := range ss {
			st := text[s.Start:s.End]
			if s.Position != i || s.Start >= s.End || s.Start < s.ParagraphStart || s.End > s.ParagraphEnd {
				t.Errorf("%s: bad sentence %+v", name, s)
			}
			if strings.TrimSpace(st) != st || strings.Contains(st, "\n") {
				t.Errorf("%s: sentence %d not trimmed to one line: %q", name, i, st)
			}
			if r := []rune(st)[0]; r == '-' || unicode.IsSpace(r) {
				t.Errorf("%s: sentence %d keeps its list marker: %q", name, i, st)
			}
			for _, l := range lines {
				if !l.Kind.Citable() && l.Kind != segment.Blank && s.Start < l.End && l.Start < s.End {
					t.Errorf("%s: sentence %q overlaps a %v line", name, st, l.Kind)
				}
			}
		}
	}
	for _, bad := range []string{"Advertisement", "does not always share", "By Abdiwahab", "international–Monitoring", "TRUMP REVERSES", "Key Takeaways"} {
		for _, name := range names {
			b, _ := fs.ReadFile(fsys, name)
			for _, s := range segment.Split(name, string(b), segment.Options{Outlet: "Axadle Times"}) {
				if strings.Contains(string(b)[s.Start:s.End], bad) {
					t.Errorf("%s: boilerplate %q cited: %q", name, bad, string(b)[s.Start:s.End])
				}
			}
		}
	}
	t.Logf("%d sentences in the seeds", total)
}

func TestTitle(t *testing.T) {
	long := "The United Kingdom and France have agreed to deploy forces in Ukraine if a peace deal is reached with Russia."
	got := segment.Title(long, 60)
	if len(got) > 60+len("…") || !strings.HasSuffix(got, "…") || strings.HasSuffix(got, " …") {
		t.Errorf("Title = %q", got)
	}
	if !strings.HasPrefix(long, strings.TrimSuffix(got, "…")) {
		t.Errorf("Title %q is not a prefix at a word boundary", got)
	}
	if got := segment.Title("Short one.", 60); got != "Short one." {
		t.Errorf("Title(short) = %q", got)
	}
}

func FuzzSplit(f *testing.F) {
	f.Add(madeUp)
	f.Add("U.S.and U.K. Mr. \n- x. “a. b” c.U.S. d")
	f.Add("\x00\xff\xfe 👍 مرحبا. שלום.")
	f.Fuzz(func(t *testing.T, text string) {
		prevEnd := 0
		for i, s := range segment.Split("f", text, segment.Options{Outlet: "X"}) {
			if s.Position != i || s.Start < prevEnd || s.Start >= s.End || s.End > len(text) ||
				s.ParagraphStart > s.Start || s.ParagraphEnd < s.End {
				t.Fatalf("bad sentence %+v in %q", s, text)
			}
			prevEnd = s.End
		}
	})
}

func TestQuotedInitialism(t *testing.T) {
	got := texts("The deal was called “U.S. Guarantee One” by aides. Nobody knew why.", segment.Options{})
	want := []string{"The deal was called “U.S. Guarantee One” by aides.", "Nobody knew why."}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("got %q", got)
	}
	got = texts("Aides met in the U.S. (“U.K. Minister Ann Lowe was there”).", segment.Options{})
	if len(got) != 1 {
		t.Errorf("got %q", got)
	}
}
