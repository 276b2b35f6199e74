package handlers

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/parley-bot/parley"
)

// date is a date a sentence states: as written ("Tuesday", "last month",
// "February 2022") and, when it is relative, resolved against the date of
// its article (or of the event, for an article that carries none).
type date struct {
	value
	// resolved is the calendar date meant ("6 January 2026", "December
	// 2025"), "" when the text is already absolute or there is nothing to
	// resolve against.
	resolved string
	// key compares dates: "2026-01-06", "2025-12", "2022"; the same key
	// is the same date, and a key that is a prefix of another is the same
	// date said less precisely.
	key string
}

var months = map[string]time.Month{
	"january": time.January, "february": time.February, "march": time.March, "april": time.April, "may": time.May,
	"june": time.June, "july": time.July, "august": time.August, "september": time.September, "october": time.October,
	"november": time.November, "december": time.December, "sept": time.September,
}

var weekdays = map[string]time.Weekday{
	"monday": time.Monday, "tuesday": time.Tuesday, "wednesday": time.Wednesday, "thursday": time.Thursday,
	"friday": time.Friday, "saturday": time.Saturday, "sunday": time.Sunday,
}

var seasons = map[string]time.Month{"spring": time.March, "summer": time.June, "autumn": time.September, "fall": time.September, "winter": time.December}

// reference is the date relative dates of an article are read against.
type reference struct {
	t         time.Time
	ok        bool
	fromEvent bool // the article has no date: the event's stands in
}

// referenceOf is an article's own date, else its event's.
func referenceOf(a *parley.Article) reference {
	if t, ok := parseDate(a.Date); ok {
		return reference{t: t, ok: true}
	}
	if a.Event != nil {
		if t, ok := parseDate(a.Event.Date); ok {
			return reference{t: t, ok: true, fromEvent: true}
		}
	}
	return reference{}
}

// reference is referenceOf(a), kept by the dates it reads: every date
// question reads it for each candidate, and a date parsed by trying
// layouts in turn costs more than a map lookup. Articles carry few
// distinct dates.
func (h *Handlers) reference(a *parley.Article) reference {
	key := a.Date
	if a.Event != nil {
		key += "\x00" + a.Event.Date
	}
	if r, ok := h.refs.Load(key); ok {
		return r.(reference)
	}
	r := referenceOf(a)
	if h.refsN.Add(1) > maxTermCache {
		h.refs.Clear()
		h.refsN.Store(1)
	}
	h.refs.Store(key, r)
	return r
}

func parseDate(s string) (time.Time, bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, false // most articles of a folder carry none: no parse errors to make
	}
	for _, layout := range []string{time.DateOnly, time.RFC3339, "2006-01-02T15:04:05", "January 2, 2006", "2 January 2006", "Jan 2, 2006", "2 Jan 2006"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

func dayText(t time.Time) string { return fmt.Sprintf("%d %s %d", t.Day(), t.Month(), t.Year()) }

// futureWords in a clause make "on Wednesday" the next Wednesday.
var futureWords = []string{" will ", "'ll ", " shall ", " set to ", " due to ", " expected to ", " to continue ", " plans to ", " planned ",
	" scheduled ", " is to ", " are to ", " next ", " upcoming ", " would ", " to resume ", " to meet "}

func future(clause string) bool {
	c := " " + strings.ToLower(strings.ReplaceAll(clause, "’", "'")) + " "
	for _, w := range futureWords {
		if strings.Contains(c, w) {
			return true
		}
	}
	return false
}

// upcoming says a clause tells of something still to come: a future
// marker, or a present tense with no past form in it ("The talks continue
// on Friday"), as news writes of a day ahead.
func upcoming(clause string) bool {
	if future(clause) {
		return true
	}
	for w := range eachWord(strings.ToLower(clause)) {
		if pastForm(w) {
			return false
		}
	}
	return true
}

// dateAhead says a date in a sentence is still to come when written:
// "last week" and "yesterday" never are, "next month" and "tomorrow"
// always are; otherwise the words just before it decide ("would start
// paying out in May", "participated in Tuesday's talks"), then its clause.
func dateAhead(text string, d date) bool {
	lw := strings.ToLower(d.text)
	switch {
	case strings.Contains(lw, "last ") || strings.Contains(lw, "ago") || strings.Contains(lw, "yesterday") || strings.Contains(lw, "past "):
		return false
	case strings.Contains(lw, "next ") || strings.Contains(lw, "tomorrow"):
		return true
	}
	clause := clauseAround(text, d.start, d.end)
	cs := max(strings.Index(text, clause), 0)
	before := words(text[cs:d.start])
	if len(before) > 8 {
		before = before[len(before)-8:]
	}
	window := strings.Join(before, " ")
	if future(window) {
		return true
	}
	for _, w := range before {
		if pastForm(strings.ToLower(w)) {
			return false
		}
	}
	return upcoming(clause)
}

// tenseOf is 1 when the clause puts a date ahead of the article, -1 when
// it puts it behind (a past verb or "last", "ago"), 0 when it does not say.
func tenseOf(text string, d date) int {
	if dateAhead(text, d) {
		return 1
	}
	lw := strings.ToLower(d.text)
	if strings.Contains(lw, "last ") || strings.Contains(lw, "ago") || strings.Contains(lw, "yesterday") || strings.Contains(lw, "past ") {
		return -1
	}
	clause := clauseAround(text, d.start, d.end)
	cs := max(strings.Index(text, clause), 0)
	before := words(text[cs:d.start])
	if len(before) > 8 {
		before = before[len(before)-8:]
	}
	for _, w := range before {
		if pastForm(strings.ToLower(w)) {
			return -1
		}
	}
	return 0
}

// yearOf is the year of a month (and day, when given) stated without one,
// read against the article's date ref: ahead of it or behind it as the
// tense says, else the nearer of the two ("on 12 May" in an April article
// is next month, "in December" in a February one is last December).
func yearOf(ref time.Time, m time.Month, day int, tense int) int {
	y := ref.Year()
	at := func(y int) time.Time {
		if day == 0 {
			return time.Date(y, m, 1, 0, 0, 0, 0, time.UTC)
		}
		return time.Date(y, m, day, 0, 0, 0, 0, time.UTC)
	}
	this := at(y)
	refMonth := time.Date(ref.Year(), ref.Month(), 1, 0, 0, 0, 0, time.UTC)
	before := this.Before(refMonth) || day > 0 && this.Before(ref.Truncate(24*time.Hour))
	after := this.After(ref)
	switch {
	case tense > 0 && before:
		return y + 1
	case tense < 0 && after:
		return y - 1
	case tense == 0 && after && at(y).Sub(ref) > at(y).AddDate(-1, 0, 0).Sub(ref)*-1:
		return y - 1 // nearer a year back
	case tense == 0 && before && ref.Sub(at(y)) > at(y+1).Sub(ref):
		return y + 1 // nearer a year ahead
	}
	return y
}

// pastForm: a regular past (-ed) or a common irregular one.
func pastForm(w string) bool {
	if len(w) > 3 && strings.HasSuffix(w, "ed") {
		return true
	}
	switch w {
	case "was", "were", "had", "did", "said", "told", "met", "took", "came", "went", "began", "spoke", "made",
		"gave", "held", "led", "sent", "saw", "won", "brought", "left", "ran", "became", "fell", "rose", "set":
		return true
	}
	return false
}

// dates finds the dates a sentence states and resolves the relative ones
// against ref.
func dates(text string, ref reference) []date { return datesOf(text, tokenize(text), ref) }

// datesOf is dates of text, whose words are ts.
func datesOf(text string, ts []tok, ref reference) []date {
	var out []date
	at := func(k int) string {
		if k >= 0 && k < len(ts) {
			return strings.TrimSuffix(strings.TrimSuffix(ts[k].w, "'s"), "’s")
		}
		return ""
	}
	for i := 0; i < len(ts); i++ {
		w := at(i)
		d := date{value: value{kind: kindDate, start: ts[i].start, end: ts[i].end}}
		last := i
		switch {
		case months[w] != 0 && (w != "may" || ts[i].raw == "May" && i > 0 || isYear(at(i+1)) || isDay(at(i-1)) || isDay(at(i+1))):
			m := months[w]
			first := i
			day := 0
			if n, err := strconv.Atoi(at(i - 1)); err == nil && isDay(at(i-1)) {
				first, day = i-1, n
			} else if n, err := strconv.Atoi(at(i + 1)); err == nil && isDay(at(i+1)) {
				last, day = i+1, n
			}
			year := 0
			if y, err := strconv.Atoi(at(last + 1)); err == nil && isYear(at(last+1)) {
				year, last = y, last+1
			}
			d.start = ts[first].start
			switch {
			case year > 0 && day > 0:
				d.key = fmt.Sprintf("%04d-%02d-%02d", year, m, day)
			case year > 0:
				d.key = fmt.Sprintf("%04d-%02d", year, m)
			case ref.ok:
				y := yearOf(ref.t, m, day, tenseOf(text, date{value: value{start: d.start, end: ts[last].end, text: text[d.start:ts[last].end]}}))
				if day > 0 {
					t := time.Date(y, m, day, 0, 0, 0, 0, time.UTC)
					d.key, d.resolved = t.Format(time.DateOnly), dayText(t)
				} else {
					d.key, d.resolved = fmt.Sprintf("%04d-%02d", y, m), fmt.Sprintf("%s %d", m, y)
				}
			default:
				d.key = "?" + w
			}
		case isYear(w):
			d.key = w
		case isWeekday(w):
			d.key = "?" + w
			if ref.ok {
				wd := weekdays[w]
				t := ref.t
				if dateAhead(text, date{value: value{start: ts[i].start, end: ts[i].end, text: ts[i].raw}}) {
					t = t.AddDate(0, 0, 1)
					for t.Weekday() != wd {
						t = t.AddDate(0, 0, 1)
					}
				} else {
					for t.Weekday() != wd {
						t = t.AddDate(0, 0, -1)
					}
				}
				d.key, d.resolved = t.Format(time.DateOnly), dayText(t)
			}
		case w == "yesterday" || w == "today" || w == "tomorrow" || w == "tonight":
			d.key = "?" + w
			if ref.ok {
				t := ref.t.AddDate(0, 0, map[string]int{"yesterday": -1, "tomorrow": 1}[w])
				d.key, d.resolved = t.Format(time.DateOnly), dayText(t)
			}
		case (w == "last" || w == "next" || w == "this" || w == "past") && (at(i+1) == "week" || at(i+1) == "month" || at(i+1) == "year" || at(i+1) == "weekend" || seasons[at(i+1)] != 0):
			first := i
			if p := at(i - 1); p == "late" || p == "early" || p == "earlier" || p == "later" || p == "mid" {
				first = i - 1
			}
			last = i + 1
			d.start = ts[first].start
			d.key, d.resolved = relativeSpan(at(first), w, at(i+1), ref)
		case seasons[w] != 0 && (seasonPrep(at(i-1)) || at(i-1) == "the" && seasonPrep(at(i-2))):
			// "by the summer", "in spring": the season nearest the
			// article's date, ahead or behind as the clause says.
			d.start = ts[i].start
			d.key = "?" + w
			if ref.ok {
				m := seasons[w]
				y := yearOf(ref.t, m, 0, tenseOf(text, date{value: value{start: d.start, end: ts[i].end, text: text[d.start:ts[i].end]}}))
				d.key, d.resolved = fmt.Sprintf("~%04d-%02d", y, m), fmt.Sprintf("%s %d", w, y)
			}
		case (w == "ago") && i >= 2 && timeUnitWord(at(i-1)):
			n, ok := numberWords[at(i-2)]
			if v, err := strconv.Atoi(at(i - 2)); err == nil {
				n, ok = float64(v), true
			}
			if !ok || len(out) > 0 && out[len(out)-1].end >= ts[i-2].start {
				continue
			}
			d.start = ts[i-2].start
			d.key = "?ago"
			if ref.ok {
				t := ref.t
				switch strings.TrimSuffix(at(i-1), "s") {
				case "day":
					t = t.AddDate(0, 0, -int(n))
					d.resolved = dayText(t)
				case "week":
					t = t.AddDate(0, 0, -7*int(n))
					d.resolved = "the week of " + dayText(monday(t))
				case "month":
					t = t.AddDate(0, -int(n), 0)
					d.resolved = fmt.Sprintf("%s %d", t.Month(), t.Year())
				case "year":
					d.resolved = strconv.Itoa(t.Year() - int(n))
				}
				d.key = "~" + d.resolved
			}
		default:
			continue
		}
		d.end = ts[last].end
		d.text = text[d.start:d.end]
		out = append(out, d)
		i = last
	}
	return out
}

// seasonPrep: the words that make a season a date ("by the summer", "in
// spring").
func seasonPrep(w string) bool {
	switch w {
	case "by", "in", "during", "until", "till", "before", "after", "since", "over", "through":
		return true
	}
	return false
}

func isWeekday(w string) bool {
	_, ok := weekdays[w]
	return ok
}

func isYear(w string) bool {
	if len(w) != 4 {
		return false
	}
	n, err := strconv.Atoi(w)
	return err == nil && n >= 1900 && n <= 2100
}

func isDay(w string) bool {
	n, err := strconv.Atoi(strings.TrimRight(w, "stndrh"))
	return err == nil && n >= 1 && n <= 31 && len(w) <= 4
}

func monday(t time.Time) time.Time {
	for t.Weekday() != time.Monday {
		t = t.AddDate(0, 0, -1)
	}
	return t
}

// relativeSpan resolves "last week", "late last month", "next year",
// "last spring" against ref.
func relativeSpan(qualifier, which, unit string, ref reference) (key, resolved string) {
	if !ref.ok {
		return "?" + which + " " + unit, ""
	}
	step := map[string]int{"last": -1, "past": -1, "next": 1}[which]
	part := ""
	switch qualifier {
	case "late", "later":
		part = "late "
	case "early", "earlier":
		part = "early "
	case "mid":
		part = "mid-"
	}
	t := ref.t
	switch unit {
	case "week", "weekend":
		t = monday(t.AddDate(0, 0, 7*step))
		return "~" + t.Format(time.DateOnly), "the week of " + dayText(t)
	case "month":
		t = time.Date(t.Year(), t.Month(), 1, 0, 0, 0, 0, time.UTC).AddDate(0, step, 0)
		return t.Format("2006-01"), fmt.Sprintf("%s%s %d", part, t.Month(), t.Year())
	case "year":
		return strconv.Itoa(t.Year() + step), part + strconv.Itoa(t.Year()+step)
	}
	start := seasons[unit]
	y := t.Year()
	switch {
	case step < 0 && t.Month() <= start+2:
		y-- // "last spring" in January is the spring of the year before
	case step > 0 && t.Month() >= start:
		y++
	}
	return fmt.Sprintf("%d-%s", y, unit), fmt.Sprintf("%s%s %d", part, unit, y)
}

// sameDate says two dates may be one: the same key, or one a less precise
// form of the other ("2022" and "2022-02").
func sameDate(a, b string) bool {
	a, b = strings.TrimPrefix(a, "~"), strings.TrimPrefix(b, "~")
	return a == b || strings.HasPrefix(a, b+"-") || strings.HasPrefix(b, a+"-")
}
