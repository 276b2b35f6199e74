package eval

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/parley-bot/parley"
)

func TestCheck(t *testing.T) {
	ans := &parley.Answer{
		People: []parley.Person{{Name: "Ana Ruiz"}, {Name: "Bo Lind"}, {Name: "Cy Moe"}, {Name: "Di Kale"}},
		Citations: []parley.Citation{
			{Text: "The   harbour reopened."}, {Text: "She said “we’re ready.”"}, {Text: "x"}, {Text: "Quotas will double."},
		},
	}
	tests := []struct {
		c    Case
		pass bool
	}{
		{Case{People: []string{"Lind"}}, true},
		{Case{People: []string{"Kale"}}, false}, // fourth person
		{Case{Any: []string{"harbour reopened"}}, true},
		{Case{Any: []string{`we're READY`}}, true},         // case, quotes
		{Case{Any: []string{"quotas will double"}}, false}, // fourth citation
		{Case{People: []string{"Ruiz"}, Any: []string{"nope"}}, false},
	}
	for _, tc := range tests {
		if got := check(tc.c, 3, ans); got.Pass != tc.pass {
			t.Errorf("check(%+v) = %v (%s), want %v", tc.c, got.Pass, got.Reason, tc.pass)
		}
	}
	var b bytes.Buffer
	rate := Report(&b, []Result{{Pass: true}, {Case: Case{ID: "x", Ask: "/who y"}, Reason: "why"}})
	if rate != 0.5 || !strings.Contains(b.String(), "FAIL x (/who y): why") || !strings.Contains(b.String(), "1/2") {
		t.Errorf("report %.2f %q", rate, b.String())
	}
}

// A file's articles folder is relative to the file, so `parley eval` finds
// it from any working directory.
func TestLoadSeedsRelativeToFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "q.json")
	if err := os.WriteFile(path, []byte(`{"seeds": "articles/made-up", "cases": []}`), 0o600); err != nil {
		t.Fatal(err)
	}
	f, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := f.Seeds, filepath.Join(dir, "articles", "made-up"); got != want {
		t.Errorf("Seeds = %q, want %q", got, want)
	}
	if f.K != 3 {
		t.Errorf("K = %d, want the default 3", f.K)
	}
}

// Role and affiliation are checked on the person the case is about: the
// one its first name matched, else the answer's first.
func TestCheckRoleAffiliation(t *testing.T) {
	ans := &parley.Answer{People: []parley.Person{
		{Name: "Ana Ruiz", Role: "Deputy Foreign Minister", Affiliation: "Chile"},
		{Name: "Bo Lind", Role: "secretary-general", Affiliation: "NATO"},
	}}
	tests := []struct {
		c    Case
		pass bool
	}{
		{Case{Role: "deputy foreign minister", Affiliation: "Chile"}, true},
		{Case{Role: "Foreign Minister"}, false}, // a title cut short
		{Case{Affiliation: "Peru"}, false},
		{Case{People: []string{"Lind"}, Role: "Secretary General", Affiliation: "NATO"}, true}, // hyphen, case
		{Case{People: []string{"Lind"}, Role: "chief|secretary-general"}, true},
		{Case{People: []string{"Lind"}, Affiliation: "Chile"}, false},
		{Case{Affiliation: "Chilean Republic|chile"}, true}, // names of one place
		{Case{Affiliation: "Peru|Bolivia"}, false},
		{Case{People: []string{"Moe"}, Role: "x"}, false}, // no such person
	}
	for _, tc := range tests {
		if got := check(tc.c, 3, ans); got.Pass != tc.pass {
			t.Errorf("check(%+v) = %v (%s), want %v", tc.c, got.Pass, got.Reason, tc.pass)
		}
	}
}

// Not-covered and lead checks count apart from the hit rate: a question the
// articles don't answer must come back not covered and without citations.
func TestCheckCoverageAndLead(t *testing.T) {
	no, yes := false, true
	covered := &parley.Answer{Covered: true, Lead: "The articles say: 35 Countries (reported by 3 of 5 articles).", Citations: []parley.Citation{{Text: "35 countries met."}}}
	bare := &parley.Answer{Covered: false, Lead: "The articles don’t mention Japan."}
	sneaky := &parley.Answer{Covered: false, Lead: "x", Citations: []parley.Citation{{Text: "y"}}}
	tests := []struct {
		name           string
		c              Case
		ans            *parley.Answer
		pass           bool
		hit, cov, lead Outcome
	}{
		{"lead case-folded", Case{Lead: "35 countries"}, covered, true, NotChecked, NotChecked, Passed},
		{"lead missing", Case{Lead: "40 countries"}, covered, false, NotChecked, NotChecked, Failed},
		{"not covered", Case{Covered: &no, Lead: "don't mention japan"}, bare, true, NotChecked, Passed, Passed},
		{"covered wanted", Case{Covered: &yes}, bare, false, NotChecked, Failed, NotChecked},
		{"not covered with citations", Case{Covered: &no}, sneaky, false, NotChecked, Failed, NotChecked},
		{"all three", Case{Any: []string{"35 countries"}, Covered: &yes, Lead: "reported by 3"}, covered, true, Passed, Passed, Passed},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := check(tc.c, 3, tc.ans)
			if r.Pass != tc.pass || r.Hit != tc.hit || r.Coverage != tc.cov || r.Lead != tc.lead {
				t.Errorf("check = pass %v hit %v coverage %v lead %v (%s), want %v %v %v %v", r.Pass, r.Hit, r.Coverage, r.Lead, r.Reason, tc.pass, tc.hit, tc.cov, tc.lead)
			}
		})
	}
	var b bytes.Buffer
	Report(&b, []Result{
		{Pass: true, Hit: Passed, Lead: Passed},
		{Case: Case{ID: "a"}, Coverage: Failed, Lead: Passed},
		{Pass: true, Coverage: Passed},
	})
	for _, want := range []string{"2/3 cases pass", "hit rate: 1/1 (100%)", "not-covered accuracy: 1/2 (50%)", "lead accuracy: 2/2 (100%)"} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("report lacks %q:\n%s", want, b.String())
		}
	}
}
