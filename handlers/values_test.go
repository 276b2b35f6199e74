package handlers

import "testing"

// Amounts are read whatever the currency is called and however it is
// written before the number, and a unit of measure keeps what it measures.
func TestAmountsInOtherCurrenciesAndUnits(t *testing.T) {
	tests := []struct {
		sentence, text string
		money          bool
		lo             float64
	}{
		{"Canada will give C$45 million toward the stations.", "C$45 million", true, 45e6},
		{"Singapore pledged S$12 million.", "S$12 million", true, 12e6},
		{"The court set bail at 250,000 pa'anga for each captain.", "250,000 pa'anga", true, 250000},
		{"The weir will cost 41 billion kwacha, she said.", "41 billion kwacha", true, 41e9},
		{"It earns about US$500 million a year.", "US$500 million", true, 500e6},
		{"Japan lent ¥3 billion.", "¥3 billion", true, 3e9},
		{"Zambia will release 3.2 cubic kilometres of water.", "3.2 cubic kilometres of water", false, 3.2},
		{"France would send between 4,000 and 6,000 troops.", "between 4,000 and 6,000 troops", false, 4000},
		{"It will cost between $1 billion and $2 billion.", "between $1 billion and $2 billion", true, 1e9},
		{"It was backed by 15 of the Forum's 18 members, the secretariat said.", "15 of the Forum's 18 members", false, 15},
		{"Twelve of the 31 countries have pledged troops.", "Twelve of the 31 countries", false, 12},
	}
	for _, tc := range tests {
		vs := amounts(tc.sentence)
		if len(vs) == 0 {
			t.Errorf("%q: no amount", tc.sentence)
			continue
		}
		v := vs[0]
		if v.text != tc.text || v.money != tc.money || v.lo != tc.lo {
			t.Errorf("%q: %q money=%v lo=%g, want %q money=%v lo=%g", tc.sentence, v.text, v.money, v.lo, tc.text, tc.money, tc.lo)
		}
	}
	// Letters before a sign that no number follows are no currency.
	for _, w := range []string{"a$", "abcd$5", "x$y", "5$"} {
		if n := currencyPrefix(w); n != 0 {
			t.Errorf("currencyPrefix(%q) = %d, want 0", w, n)
		}
	}
}

func TestMeasureWords(t *testing.T) {
	tests := []struct {
		unit []string
		want int
	}{
		{[]string{"cubic", "kilometres", "of", "water"}, 2},
		{[]string{"tonnes", "of", "tuna"}, 1},
		{[]string{"kilowatt-hours", "of", "electricity"}, 1},
		{[]string{"years", "of", "war"}, 0}, // a duration is not an amount of war
		{[]string{"heads", "of", "state"}, 0},
	}
	for _, tc := range tests {
		if got := measureWords(tc.unit); got != tc.want {
			t.Errorf("measureWords(%q) = %d, want %d", tc.unit, got, tc.want)
		}
	}
}

// A sentence revises a figure when a word of changing comes before a value
// right after "to"; a value after "to" alone ("rose to") or a change with
// no new figure revises nothing.
func TestRevisedTo(t *testing.T) {
	tests := []struct {
		sentence, want string
	}{
		{"It later corrected the figure to 14, saying two had sent ministers.", "14"},
		{"The final text cut the mandate to 12 years, with a review after six.", "12 years"},
		{`An official revised that figure, saying the office would need "closer to 350" officers.`, "350 officers"},
		{"The text was amended to about 40 pages.", "40 pages"},
		{"Exports rose to 40 tonnes last year.", ""},
		{"The figure was corrected after a second count.", ""},
		{"The ministers were cut off in 2024 from talks to 2030.", ""},
	}
	h := &Handlers{}
	for _, tc := range tests {
		v, ok := revisedTo(h.facts(tc.sentence))
		if !ok {
			v.text = ""
		}
		if v.text != tc.want {
			t.Errorf("revisedTo(%q) = %q, want %q", tc.sentence, v.text, tc.want)
		}
	}
}

func TestInitialsOf(t *testing.T) {
	for name, want := range map[string]string{
		"Papua New Guinea": "png",
		"Interstate Commission for Water Coordination": "icwc",
		"International Seabed Authority":               "isa",
		"Kremlin":                                      "", // one word has no initials
		"Ukraine's Constitutional Court":               "", // a possessive is no part of an initialism
		"the ministry of energy":                       "",
	} {
		if got := initialsOf(name); got != want {
			t.Errorf("initialsOf(%q) = %q, want %q", name, got, want)
		}
	}
}

// A sum given again in another currency right after it is the same amount.
func TestConversionIsNoRival(t *testing.T) {
	for _, sentence := range []string{
		"Illegal fishing carries a fine of up to 1 million pa'anga, about US$420,000.",
		"The court ordered it to pay 2.3 billion tenge (about $4.5 million) in damages.",
	} {
		var money []string
		for _, v := range amounts(sentence) {
			if v.money {
				money = append(money, v.text)
			}
		}
		if len(money) != 1 {
			t.Errorf("%q: sums %q, want the first alone", sentence, money)
		}
	}
	// Two sums said apart are two.
	if n := len(amounts("Kenya gave $200 million and Uganda $50 million.")); n != 2 {
		t.Errorf("two sums: %d amounts", n)
	}
}
