package handlers

import (
	"slices"
	"sort"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// tok is a word of a sentence with its byte offsets; brk says a clause
// boundary (a comma, semicolon, dash, colon or bracket) follows it.
type tok struct {
	w          string // lower case
	raw        string
	start, end int
	brk        bool
}

// tokenize splits text into words with their offsets. Quotation marks are
// dropped, so that "several thousand” troops" reads as one phrase.
func tokenize(text string) []tok {
	var out []tok
	start := -1
	flush := func(end int) {
		if start >= 0 {
			raw := text[start:end]
			raw = strings.TrimRight(raw, ".")
			out = append(out, tok{w: strings.ToLower(raw), raw: raw, start: start, end: start + len(raw)})
			start = -1
		}
	}
	for i, r := range text {
		inWord := unicode.IsLetter(r) || unicode.IsDigit(r) || r == '%' || r == '$' || r == '€' || r == '£' || r == '¥' ||
			(r == '-' || r == '\'' || r == '’' || r == ',' || r == '.') && start >= 0 && i+1 < len(text) && isWordByte(text, i+utf8.RuneLen(r))
		if inWord {
			if start < 0 {
				start = i
			}
			continue
		}
		flush(i)
		switch r {
		case ',', ';', ':', '—', '–', '(', ')', '.', '!', '?':
			if n := len(out); n > 0 {
				out[n-1].brk = true
			}
		}
	}
	flush(len(text))
	return out
}

// isWordByte says whether text continues with a letter or digit at i.
func isWordByte(text string, i int) bool {
	if i >= len(text) {
		return false
	}
	r, _ := utf8.DecodeRuneInString(text[i:])
	return unicode.IsLetter(r) || unicode.IsDigit(r)
}

// value is an answer found in a sentence: an amount, a duration, a date, a
// place or a person, with where it is.
type value struct {
	kind       kind
	text       string // as written, trimmed of little words at its end
	start, end int    // byte offsets in the sentence text
	// unit are the words after a number ("troops", "heads of state").
	unit                  []string
	percent, money, vague bool
	// compound: the number and its unit are one word ("20-point").
	compound bool
	// lo and hi bound the magnitude ("several thousand": 2,000 to 9,999),
	// so that values are compared as amounts, not strings.
	lo, hi float64
	// year is a four-digit year standing alone, a date rather than a count.
	year bool
}

var numberWords = map[string]float64{
	"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10,
	"eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17,
	"eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60,
	"seventy": 70, "eighty": 80, "ninety": 90, "hundred": 100, "thousand": 1000, "million": 1e6, "billion": 1e9,
	"dozen": 12, "half": 0.5,
}

// scales multiply the number before them.
var scales = map[string]float64{"hundred": 100, "thousand": 1000, "million": 1e6, "billion": 1e9, "trillion": 1e12, "bn": 1e9, "m": 1e6}

func timeUnitWord(w string) bool {
	switch strings.TrimSuffix(w, "s") {
	case "year", "month", "week", "day", "decade", "century", "centurie", "hour", "minute", "season", "fortnight":
		return true
	}
	return false
}

// currencyWord says a word after a number names money. Articles from any
// region name their own currency ("2.3 billion tenge", "1 million
// pa'anga"), so the list holds the world's currencies, not only the big
// ones; those that are also common English words after a number ("real",
// "won", "sum", "sol") are left out.
func currencyWord(w string) bool {
	switch strings.TrimSuffix(w, "s") {
	case "dollar", "euro", "pound", "usd", "eur", "gbp", "yen", "franc", "rouble", "ruble", "hryvnia",
		"yuan", "renminbi", "rupee", "rupiah", "peso", "rand", "naira", "shilling", "cedi", "birr", "kwacha",
		"dinar", "dirham", "riyal", "rial", "lira", "zloty", "krona", "krone", "kronor", "kroner", "koruna",
		"forint", "leu", "lei", "lev", "lari", "dram", "manat", "tenge", "som", "somoni", "afghani",
		"taka", "baht", "ringgit", "dong", "kyat", "kip", "riel", "kina", "vatu", "tala", "pa'anga", "pa’anga",
		"shekel", "bolivar", "guarani", "quetzal":
		return true
	}
	return false
}

// currencyPrefix is the length of a currency written before a number with
// a country's letters ("A$400", "NZ$60", "US$500", "HK$3", "R$10"), so that
// the number is read and the amount is money; 0 when w has none.
func currencyPrefix(w string) int {
	k := strings.IndexAny(w, "$€£¥")
	if k < 1 || k > 3 {
		return 0
	}
	_, size := utf8.DecodeRuneInString(w[k:])
	if n := k + size; n >= len(w) || w[n] < '0' || w[n] > '9' {
		return 0
	}
	for _, r := range w[:k] {
		if r < 'a' || r > 'z' {
			return 0
		}
	}
	return k + size
}

// unitStop ends the words a number applies to.
func unitStop(w string) bool {
	switch w {
	case "to", "in", "on", "at", "for", "with", "by", "from", "and", "or", "that", "which", "who", "was", "were",
		"is", "are", "will", "would", "could", "can", "after", "before", "than", "as", "into", "under", "over",
		"the", "a", "an", "had", "has", "have", "be", "been", "if", "while", "but", "since", "per", "said", "says",
		"toward", "towards":
		return true
	}
	return false
}

// amounts finds the numbers a sentence states, with what they count.
func amounts(text string) []value { return amountsOf(text, tokenize(text)) }

// amountsOf is amounts of text, whose words are ts.
func amountsOf(text string, ts []tok) []value {
	var out []value
	for i := 0; i < len(ts); i++ {
		t := ts[i]
		v := value{kind: kindCount, start: t.start}
		j := i // last token of the number phrase
		w := strings.TrimLeft(t.w, "$€£¥")
		if k := currencyPrefix(w); k > 0 {
			w = w[k:]
		}
		if w != t.w {
			v.money = true
		}
		switch {
		case w != "" && w[0] >= '0' && w[0] <= '9':
			num := w
			if k := strings.IndexByte(num, '-'); k > 0 {
				num, v.unit, v.compound = num[:k], []string{num[k+1:]}, true // "15-year", "20-point"
			}
			if strings.HasSuffix(num, "%") {
				num, v.percent = strings.TrimSuffix(num, "%"), true
			}
			n, err := strconv.ParseFloat(strings.ReplaceAll(num, ",", ""), 64)
			if err != nil {
				continue // "2026-01-06", "3.5bn" and the like
			}
			v.lo, v.hi = n, n
			if len(num) == 4 && !strings.Contains(num, ",") && n >= 1900 && n <= 2100 && !v.percent && len(v.unit) == 0 {
				v.year = true
			}
		case numberWords[w] > 0 || numberWords[strings.SplitN(w, "-", 2)[0]] > 0 || w == "several" || w == "few" || w == "tens" || w == "hundreds" || w == "thousands" || w == "millions" || w == "dozens" || w == "billions":
			lo, hi, last, ok := numberPhrase(ts, i)
			if !ok {
				continue
			}
			v.lo, v.hi, j = lo, hi, last
			v.vague = lo != hi
			if k := strings.IndexByte(ts[j].w, '-'); k > 0 {
				v.unit, v.compound = []string{ts[j].w[k+1:]}, true // "four-year"
			}
		default:
			continue
		}
		// "20 percent", "800,000 million", "$5 billion"
		for j+1 < len(ts) && !ts[j].brk && v.unit == nil {
			nx := ts[j+1].w
			switch {
			case nx == "percent" || nx == "per" && j+2 < len(ts) && ts[j+2].w == "cent":
				v.percent = true
				j++
				if nx == "per" {
					j++
				}
				continue
			case scales[nx] > 0:
				v.lo, v.hi = v.lo*scales[nx], v.hi*scales[nx]
				j++
				continue
			}
			break
		}
		if v.year && (j+1 >= len(ts) || ts[j].brk || unitStop(ts[j+1].w)) {
			i = j
			continue // a year on its own is a date, found by dates
		}
		v.year = false
		end := ts[j].end
		if v.unit == nil && !ts[j].brk {
			for k := j + 1; k < len(ts) && k <= j+4; k++ {
				w := ts[k].w
				if unitStop(w) && !(w == "of" && len(v.unit) > 0) {
					break
				}
				if w[0] >= '0' && w[0] <= '9' || numberWords[w] > 0 {
					break // "two vessels carried 31 crew": 31 counts the crew, two the vessels
				}
				v.unit = append(v.unit, w)
				end = ts[k].end
				if ts[k].brk {
					break
				}
			}
		} else if v.unit != nil && !ts[j].brk && j+1 < len(ts) && !unitStop(ts[j+1].w) {
			v.unit = append(v.unit, ts[j+1].w) // "20-point plan"
			end = ts[j+1].end
		}
		// "of" may close a unit ("27 heads of state") but not end it.
		for len(v.unit) > 0 && v.unit[len(v.unit)-1] == "of" {
			v.unit = v.unit[:len(v.unit)-1]
		}
		for _, u := range v.unit {
			if currencyWord(u) {
				v.money = true
			}
		}
		if len(v.unit) > 0 && timeUnitWord(v.unit[0]) {
			v.kind = kindDuration
		}
		if v.unit == nil || len(v.unit) > 0 && v.unit[0] == "of" || v.percent {
			end = ts[j].end
			if v.percent && len(v.unit) > 1 && v.unit[0] == "of" {
				end = ts[min(j+len(v.unit), len(ts)-1)].end // "20% of Ukrainian territory"
			}
		}
		if v.money && !v.compound {
			end = ts[j].end // "$1.2 billion", not "$1.2 billion drought response fund"
			if len(v.unit) > 0 && currencyWord(v.unit[0]) {
				end = ts[min(j+1, len(ts)-1)].end // "2 billion euros"
			}
		}
		v.end = end
		v.text = trimValue(text[v.start:v.end])
		v.unit = slices.Clip(v.unit) // values are shared: an append must copy
		out = append(out, v)
		i = j
	}
	out = partitives(text, ts, conversions(text, ranges(text, ts, out)))
	if fs := fractions(ts, text); len(fs) > 0 {
		out = append(out, fs...)
		sort.SliceStable(out, func(i, j int) bool { return out[i].start < out[j].start })
	}
	return out
}

// ranges joins "between 4,000 and 6,000 troops" into one amount from the
// first number to the second, with the second's unit: read apart, the
// lead would give 6,000 as if it were the figure.
func ranges(text string, ts []tok, vs []value) []value {
	for k := 0; k+1 < len(vs); k++ {
		a, b := vs[k], vs[k+1]
		if a.kind != kindCount || b.kind != kindCount && b.kind != kindDuration || len(a.unit) > 0 || a.year || b.year ||
			strings.TrimSpace(text[a.end:b.start]) != "and" {
			continue
		}
		i := slices.IndexFunc(ts, func(t tok) bool { return t.start == a.start })
		if i < 1 || ts[i-1].w != "between" || ts[i-1].brk {
			continue
		}
		r := b
		r.start, r.lo, r.money, r.percent = ts[i-1].start, min(a.lo, b.lo), a.money || b.money, a.percent || b.percent
		r.vague = r.lo != r.hi
		r.text = trimValue(text[r.start:r.end])
		vs = append(vs[:k], append([]value{r}, vs[k+2:]...)...)
	}
	return vs
}

// partitives joins "15 of the Forum's 18 members" into one count of 15
// members, read from the first number to the end of the second's words:
// read apart, "15" counts nothing and "18 members" answers how many
// backed it.
func partitives(text string, ts []tok, vs []value) []value {
	for k := 0; k+1 < len(vs); k++ {
		a, b := vs[k], vs[k+1]
		if a.kind != kindCount || b.kind != kindCount || len(a.unit) > 0 || a.year || b.year || len(b.unit) == 0 ||
			a.percent || b.percent || a.money || b.money || a.hi >= b.lo {
			continue
		}
		i := slices.IndexFunc(ts, func(t tok) bool { return t.start == a.start }) + 1
		if i <= 0 || i >= len(ts) || ts[i].w != "of" || ts[i-1].brk {
			continue
		}
		// "of the", "of its", "of the Forum's": at most three words to
		// the whole.
		j := slices.IndexFunc(ts, func(t tok) bool { return t.start >= b.start })
		if j < 0 || j-i > 4 || slices.ContainsFunc(ts[i:j], func(t tok) bool { return t.brk }) {
			continue
		}
		r := a
		r.unit, r.end = b.unit, b.end
		r.text = trimValue(text[r.start:r.end])
		vs = append(vs[:k], append([]value{r}, vs[k+2:]...)...)
	}
	return vs
}

// conversions drops a sum given again in another currency right after
// it ("1 million pa'anga, about US$420,000", "2.3 billion tenge (about
// $4.5 million)"): the same amount, not a rival figure.
func conversions(text string, vs []value) []value {
	for k := 0; k+1 < len(vs); k++ {
		a, b := vs[k], vs[k+1]
		if !a.money || !b.money || b.start < a.end {
			continue
		}
		switch strings.TrimSpace(strings.ToLower(text[a.end:b.start])) {
		case ", about", "(about", ", around", "(around", ", roughly", "(roughly", ", or about", ", or", "(", ", some", "(some", ", nearly", "(nearly":
			vs = append(vs[:k+1], vs[k+2:]...)
		}
	}
	return vs
}

// denominators are the fractions said in words, as the share of a whole.
var denominators = map[string]float64{"half": 2, "halves": 2, "third": 3, "thirds": 3, "quarter": 4, "quarters": 4,
	"fifth": 5, "fifths": 5, "sixth": 6, "sixths": 6, "seventh": 7, "eighth": 8, "ninth": 9, "tenth": 10, "tenths": 10}

// fractions finds shares said in words, as percentages of a whole: "a
// third of its sediment", "by a fifth", "two thirds", "nearly all of
// Luhansk", "most of the region".
func fractions(ts []tok, text string) []value {
	var out []value
	for i := 0; i < len(ts); i++ {
		w := ts[i].w
		start, last := i, i
		var lo, hi float64
		switch {
		case denominators[w] > 0 && w != "half" && i > 0 && (ts[i-1].w == "a" || ts[i-1].w == "one" || numberWords[ts[i-1].w] > 0) && !ts[i-1].brk:
			n := 1.0
			if k := numberWords[ts[i-1].w]; k > 0 {
				n = k
			}
			lo = 100 * n / denominators[w]
			hi, start = lo, i-1
		case w == "half" && i+1 < len(ts) && (ts[i+1].w == "of" || ts[i+1].w == "the" || ts[i+1].w == "its" || ts[i+1].w == "their") && !ts[i].brk:
			lo, hi = 50, 50 // "half of", "half the" ("half a century" is a duration)
		case (w == "all" || w == "most") && i+1 < len(ts) && ts[i+1].w == "of" && !ts[i].brk:
			lo, hi = 100, 100
			if w == "most" {
				lo, hi = 50, 99
			}
		default:
			continue
		}
		if start > 0 {
			switch ts[start-1].w {
			case "nearly", "almost", "roughly", "about", "around", "approximately", "virtually", "some", "over", "more":
				start--
				if lo == hi {
					lo = lo * 0.9 // "nearly all", "about a third"
				}
			}
		}
		v := value{kind: kindCount, start: ts[start].start, percent: true, lo: lo, hi: hi, vague: lo != hi}
		end := ts[last].end
		if last+1 < len(ts) && ts[last+1].w == "of" && !ts[last].brk {
			// "of its sediment", "of Luhansk": the whole it is a share of
			for k := last + 1; k < len(ts) && k <= last+4; k++ {
				v.unit = append(v.unit, ts[k].w)
				end = ts[k].end
				if ts[k].brk || k > last+1 && !fillerWord(ts[k].w) && ts[k].w != "the" {
					break
				}
			}
		}
		v.end = end
		v.text = trimValue(text[v.start:v.end])
		v.unit = slices.Clip(v.unit)
		out = append(out, v)
		i = last
	}
	return out
}

// numberPhrase reads "several thousand", "thousands of", "tens of
// thousands", "two hundred", "half a century" from ts[i]; lo and hi bound
// the amount.
func numberPhrase(ts []tok, i int) (lo, hi float64, last int, ok bool) {
	w := ts[i].w
	if k := strings.IndexByte(w, '-'); k > 0 {
		w = w[:k] // "four-year"
		if n := numberWords[w]; n > 0 {
			return n, n, i, true
		}
		return 0, 0, i, false
	}
	next := func(k int) string {
		if k < len(ts) && !ts[k-1].brk {
			return ts[k].w
		}
		return ""
	}
	switch w {
	case "several", "few":
		if s := scales[strings.TrimSuffix(next(i+1), "s")]; s > 0 {
			if w == "few" {
				return 2 * s, 5 * s, i + 1, true
			}
			return 2 * s, 9.999 * s, i + 1, true
		}
		return 0, 0, i, false
	case "tens", "hundreds", "thousands", "millions", "billions", "dozens":
		base := map[string]float64{"tens": 10, "hundreds": 100, "thousands": 1000, "millions": 1e6, "billions": 1e9, "dozens": 12}[w]
		last = i
		if next(i+1) == "of" {
			if s := scales[strings.TrimSuffix(next(i+2), "s")]; s > 0 { // "tens of thousands"
				return 2 * base * s, 99 * base * s, i + 2, true
			}
		}
		return 2 * base, 999 * base, last, true
	case "half":
		if next(i+1) == "a" || next(i+1) == "an" {
			return 0.5, 0.5, i, true
		}
		return 0, 0, i, false
	}
	n := numberWords[w]
	last = i
	for k := i + 1; k < len(ts); k++ {
		s := scales[next(k)]
		if s == 0 {
			break
		}
		n *= s
		last = k
	}
	if n == 1 && last == i {
		return 0, 0, i, false // "one" is too often a pronoun ("One, flanked by ...")
	}
	return n, n, last, true
}

// overlaps says two amounts may be the same ("several thousand" and
// "thousands"), so they are not rival answers.
func (v value) overlaps(o value) bool {
	if v.percent != o.percent {
		return false
	}
	return v.lo <= o.hi*1.0001 && o.lo <= v.hi*1.0001
}

// durationsOf are the lengths of time text states (its words are ts and
// its amounts all): the amounts of time, and "half a century" and similar,
// which amounts misses.
func durationsOf(text string, ts []tok, all []value) []value {
	var out []value
	for _, v := range all {
		if v.kind == kindDuration {
			out = append(out, v)
		}
	}
	for i := 0; i+2 < len(ts); i++ {
		if ts[i].w == "half" && (ts[i+1].w == "a" || ts[i+1].w == "an") && timeUnitWord(ts[i+2].w) {
			out = append(out, value{kind: kindDuration, start: ts[i].start, end: ts[i+2].end, text: text[ts[i].start:ts[i+2].end], unit: []string{ts[i+2].w}, lo: 0.5, hi: 0.5})
		}
	}
	return out
}

// clauseAround returns the clause of text around [start, end): bounded by
// ; : — – ( ) and by ", but", ", though", ", while", ", whereas",
// ", although", so that "previously requested half a century, though
// current proposals suggest a 15-year term" keeps the two apart.
func clauseAround(text string, start, end int) string {
	from, to := 0, len(text)
	for _, sep := range []string{";", ":", " — ", " – ", "(", ")", ", but ", ", though ", ", while ", ", whereas ", ", although ", ". "} {
		if i := strings.LastIndex(text[:start], sep); i >= 0 && i+len(sep) > from {
			from = i + len(sep)
		}
		if i := strings.Index(text[end:], sep); i >= 0 && end+i < to {
			to = end + i
		}
	}
	return text[from:to]
}

// Words that mark a value the text itself calls older than another. Most
// point at the value after them ("an earlier draft ... 600,000", "up from
// 4,000", "previously requested half a century"); some at the value
// before them ("a force of 20,000 was replaced by ...").
var (
	olderNext = []string{"earlier", "previous", "previously", "original", "originally", "former", "formerly", "old",
		"outdated", "up from", "down from", "increase from", "decrease from", "instead of", "rather than", "initially", "first draft"}
	olderPrev = []string{"replaced", "superseded", "scrapped", "dropped", "abandoned", "no longer", "revised"}
)

// supersededIn says, for each value of a sentence, whether the text calls
// it earlier, previous or replaced: a marker counts for the first value
// after it in its clause (or, for "replaced" and the like, the last value
// before it).
func supersededIn(text string, vs []value) []bool {
	out := make([]bool, len(vs))
	low := strings.ToLower(text)
	mark := func(at int, forward bool) {
		best := -1
		for i, v := range vs {
			c := clauseAround(text, v.start, v.end)
			cs := strings.Index(text, c)
			if cs < 0 || at < cs || at > cs+len(c) {
				continue // another clause
			}
			switch {
			case forward && v.start >= at && (best < 0 || v.start < vs[best].start):
				best = i
			case !forward && v.end <= at && (best < 0 || v.end > vs[best].end):
				best = i
			}
		}
		if best >= 0 {
			out[best] = true
		}
	}
	for _, list := range []struct {
		words   []string
		forward bool
	}{{olderNext, true}, {olderPrev, false}} {
		for _, w := range list.words {
			for from := 0; ; {
				i := strings.Index(low[from:], w)
				if i < 0 {
					break
				}
				at := from + i
				from = at + len(w)
				if at > 0 && isWordByte(low, at-1) || isWordByte(low, at+len(w)) {
					continue // inside a word ("golden", "bold")
				}
				mark(at, list.forward)
			}
		}
	}
	return out
}
