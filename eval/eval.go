// Package eval scores Parley's answers on a file of questions with the
// phrases a right answer cites (the form of shared/eval/dev.json).
package eval

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/parley-bot/parley"
)

// File is a question file.
type File struct {
	About string `json:"about"`
	// K is how many of the first citations a phrase may be in.
	K int `json:"k"`
	// Seeds is the folder of articles the cases are asked against, relative
	// to the file; empty means the articles embedded in Parley. Made-up
	// articles that test how Parley generalizes come with their own file.
	Seeds string `json:"seeds,omitempty"`
	Cases []Case `json:"cases"`
}

// Case is one question. It passes when every check it has holds: each name
// in People is in one of the first three people of the answer, and one of
// Any is in the text of one of the first K citations (together, the hit
// check); the answer's covered flag is Covered, when given (false: the
// articles don't answer it, so no citation either); its lead contains Lead,
// when given (case folded).
type Case struct {
	ID      string   `json:"id"`
	Ask     string   `json:"ask"`
	People  []string `json:"people,omitempty"`
	Any     []string `json:"any,omitempty"`
	Covered *bool    `json:"covered,omitempty"`
	Lead    string   `json:"lead,omitempty"`
	// Role and Affiliation, when set, are what the answer must say of the
	// person the case is about: the one its first People entry matched,
	// else the answer's first person (a /who NAME answer). Role ignores
	// case and hyphens; in both, '|' separates forms a reader accepts
	// ("Turkey|Türkiye").
	Role        string `json:"role,omitempty"`
	Affiliation string `json:"affiliation,omitempty"`
}

// Result is one case's outcome; Reason says why it failed. Hit, Coverage
// and Lead say how each kind of check went, so that the rates are reported
// apart.
type Result struct {
	Case     Case
	Pass     bool
	Reason   string
	Hit      Outcome
	Coverage Outcome
	Lead     Outcome
}

// Outcome of one kind of check in a case.
type Outcome int

// Outcomes.
const (
	NotChecked Outcome = iota
	Passed
	Failed
)

func outcome(ok bool) Outcome {
	if ok {
		return Passed
	}
	return Failed
}

// Load reads a question file.
func Load(path string) (*File, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("eval: %w", err)
	}
	var f File
	if err := json.Unmarshal(b, &f); err != nil {
		return nil, fmt.Errorf("eval: %s: bad JSON: %w", path, err)
	}
	if f.K <= 0 {
		f.K = 3
	}
	if f.Seeds != "" && !filepath.IsAbs(f.Seeds) {
		f.Seeds = filepath.Join(filepath.Dir(path), f.Seeds)
	}
	return &f, nil
}

// Run asks every case and checks the answers.
func Run(ctx context.Context, a parley.Answerer, f *File) ([]Result, error) {
	out := make([]Result, 0, len(f.Cases))
	for _, c := range f.Cases {
		ans, err := a.Answer(ctx, parley.Parse(c.Ask))
		if err != nil {
			return nil, fmt.Errorf("eval: %s: %w", c.ID, err)
		}
		out = append(out, check(c, f.K, ans))
	}
	return out, nil
}

func check(c Case, k int, ans *parley.Answer) Result {
	r := Result{Case: c, Pass: true}
	var reasons []string
	hit := true
	for _, want := range c.People {
		found := false
		for i, p := range ans.People {
			if i == 3 {
				break
			}
			if strings.Contains(normalize(p.Name), normalize(want)) {
				found = true
			}
		}
		if !found {
			var got []string
			for i, p := range ans.People {
				if i < 3 {
					got = append(got, p.Name)
				}
			}
			reasons = append(reasons, fmt.Sprintf("%q not in the first 3 people %q", want, got))
			hit = false
		}
	}
	if len(c.Any) > 0 {
		found := false
		for i, cit := range ans.Citations {
			if i == k {
				break
			}
			for _, phrase := range c.Any {
				if strings.Contains(normalize(cit.Text), normalize(phrase)) {
					found = true
				}
			}
		}
		if !found {
			var got []string
			for i, cit := range ans.Citations {
				if i < k {
					got = append(got, cit.Text)
				}
			}
			reasons = append(reasons, fmt.Sprintf("none of %q in the first %d citations %q", c.Any, k, got))
			hit = false
		}
	}
	if len(c.People) > 0 || len(c.Any) > 0 {
		r.Hit = outcome(hit)
	}
	if c.Covered != nil {
		ok := ans.Covered == *c.Covered && (ans.Covered || len(ans.Citations) == 0)
		r.Coverage = outcome(ok)
		if !ok {
			reasons = append(reasons, fmt.Sprintf("covered = %v with %d citations, want covered = %v (lead %q)", ans.Covered, len(ans.Citations), *c.Covered, ans.Lead))
		}
	}
	if c.Lead != "" {
		ok := strings.Contains(normalize(ans.Lead), normalize(c.Lead))
		r.Lead = outcome(ok)
		if !ok {
			reasons = append(reasons, fmt.Sprintf("lead %q lacks %q", ans.Lead, c.Lead))
		}
	}
	reasons = append(reasons, checkPerson(c, ans)...)
	if len(reasons) > 0 {
		r.Pass = false
		r.Reason = strings.Join(reasons, "; ")
	}
	return r
}

// checkPerson checks the role and affiliation the answer gives the person
// the case is about.
func checkPerson(c Case, ans *parley.Answer) []string {
	if c.Role == "" && c.Affiliation == "" {
		return nil
	}
	var p *parley.Person
	for i := range ans.People {
		if len(c.People) == 0 || strings.Contains(normalize(ans.People[i].Name), normalize(c.People[0])) {
			p = &ans.People[i]
			break
		}
	}
	if p == nil {
		return []string{"no person to check the role and affiliation of"}
	}
	var reasons []string
	if c.Role != "" && !anyForm(c.Role, p.Role, roleKey) {
		reasons = append(reasons, fmt.Sprintf("%s: role %q, want %q", p.Name, p.Role, c.Role))
	}
	if c.Affiliation != "" && !anyForm(c.Affiliation, p.Affiliation, normalize) {
		reasons = append(reasons, fmt.Sprintf("%s: affiliation %q, want %q", p.Name, p.Affiliation, c.Affiliation))
	}
	return reasons
}

// anyForm reports whether got is one of the forms of want ('|' between
// them), compared by key.
func anyForm(want, got string, key func(string) string) bool {
	for _, w := range strings.Split(want, "|") {
		if key(w) == key(got) {
			return true
		}
	}
	return false
}

func roleKey(s string) string { return normalize(strings.ReplaceAll(s, "-", " ")) }

// normalize ignores case, folds runs of white space to one space and curly
// quotes to straight ones, as the question file's rules say.
func normalize(s string) string {
	s = strings.NewReplacer("“", `"`, "”", `"`, "‘", "'", "’", "'").Replace(strings.ToLower(s))
	return strings.Join(strings.Fields(s), " ")
}

// Report prints each failing case with its reason, a summary line and the
// rate of each kind of check apart (hit rate, not-covered accuracy, lead
// accuracy), and returns the share of cases that pass.
func Report(w io.Writer, results []Result) float64 {
	pass := 0
	var hit, coverage, lead [3]int
	for _, r := range results {
		hit[r.Hit]++
		coverage[r.Coverage]++
		lead[r.Lead]++
		if r.Pass {
			pass++
			continue
		}
		fmt.Fprintf(w, "FAIL %s (%s): %s\n", r.Case.ID, r.Case.Ask, r.Reason)
	}
	rate := 0.0
	if len(results) > 0 {
		rate = float64(pass) / float64(len(results))
	}
	fmt.Fprintf(w, "%d/%d cases pass (%.0f%%)\n", pass, len(results), rate*100)
	for _, k := range []struct {
		name   string
		counts [3]int
	}{{"hit rate", hit}, {"not-covered accuracy", coverage}, {"lead accuracy", lead}} {
		if n := k.counts[Passed] + k.counts[Failed]; n > 0 {
			fmt.Fprintf(w, "%s: %d/%d (%.0f%%)\n", k.name, k.counts[Passed], n, 100*float64(k.counts[Passed])/float64(n))
		}
	}
	return rate
}
