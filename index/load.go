package index

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/parley-bot/parley"
	"github.com/parley-bot/parley/index/segment"
)

// MetadataFile is the optional file beside the articles that says what is
// known about each: headline, outlet, url, date.
const MetadataFile = "articles.json"

// titleMax is how long a title derived from a lead sentence may be, in bytes.
const titleMax = 90

type metadata struct {
	Event *struct {
		Name  *string `json:"name"`
		Place *string `json:"place"`
		Date  *string `json:"date"`
	} `json:"event"`
	Articles []struct {
		ID       string  `json:"id"`
		Headline *string `json:"headline"`
		Outlet   *string `json:"outlet"`
		URL      *string `json:"url"`
		Date     *string `json:"date"`
	} `json:"articles"`
}

// Load reads every *.txt at the root of fsys, with articles.json when present,
// and splits the articles into sentences; it is LoadFS with no limits.
func Load(fsys fs.FS) ([]*parley.Article, error) { return LoadFS(fsys, Limits{}) }

// LoadFS reads every *.txt at the root of fsys (hidden files aside), with
// articles.json when present, within lim, and splits the articles into
// sentences. A folder that cannot be read, a file that is not a regular
// file, is over a limit, is not UTF-8 or is bad JSON is an error naming the
// file; nothing is skipped silently. A folder with no article text is
// ErrNoArticles. Articles come back in id order.
func LoadFS(fsys fs.FS, lim Limits) ([]*parley.Article, error) {
	files, err := articleFiles(fsys, lim)
	if err != nil {
		return nil, err
	}
	var articles []*parley.Article
	text := false
	for _, file := range files {
		name := file.name
		b, err := readFile(fsys, name, lim.MaxFile)
		if err != nil {
			return nil, fmt.Errorf("read article %s: %w", name, err)
		}
		if !utf8.Valid(b) {
			return nil, fmt.Errorf("article %s: not UTF-8 text (invalid byte at offset %d)", name, invalidAt(b))
		}
		text = text || len(bytes.TrimSpace(b)) > 0
		articles = append(articles, &parley.Article{ID: strings.TrimSuffix(name, ".txt"), Text: string(b)})
	}
	if !text {
		return nil, ErrNoArticles
	}
	sort.Slice(articles, func(i, j int) bool { return articles[i].ID < articles[j].ID })

	byID := make(map[string]*parley.Article, len(articles))
	for _, a := range articles {
		byID[a.ID] = a
	}
	b, err := readMetadata(fsys, lim)
	switch {
	case errors.Is(err, fs.ErrNotExist):
	case err != nil:
		return nil, fmt.Errorf("read %s: %w", MetadataFile, err)
	default:
		var md metadata
		if err := json.Unmarshal(b, &md); err != nil {
			return nil, fmt.Errorf("%s: bad JSON: %w", MetadataFile, err)
		}
		for _, m := range md.Articles {
			a, ok := byID[m.ID]
			if !ok {
				continue // metadata for an article not (yet) in the folder
			}
			a.Headline, a.Outlet, a.URL, a.Date = str(m.Headline), str(m.Outlet), str(m.URL), str(m.Date)
		}
		if e := md.Event; e != nil {
			ev := &parley.Event{Name: str(e.Name), Place: str(e.Place), Date: str(e.Date)}
			for _, a := range articles {
				a.Event = ev
			}
		}
	}
	for _, a := range articles {
		Prepare(a)
	}
	return articles, nil
}

// Prepare splits an article into sentences and gives it a title.
func Prepare(a *parley.Article) {
	a.Sentences = segment.Split(a.ID, a.Text, segment.Options{Outlet: a.Outlet})
	for i := range a.Sentences {
		s := &a.Sentences[i]
		s.Features = features(a.Text[s.Start:s.End])
	}
	switch {
	case a.Headline != "":
		a.Title = strings.Join(strings.Fields(a.Headline), " ")
	case len(a.Sentences) > 0:
		s := a.Sentences[0]
		a.Title = segment.Title(a.Text[s.Start:s.End], titleMax)
	default:
		a.Title = a.ID
	}
}

// features finds what kinds of question a sentence can answer, in one pass
// over its words (regular expressions with these alternatives cost more
// than the rest of indexing).
func features(text string) parley.Features {
	var f parley.Features
	prevNumber, prevLast := false, false
	for _, w := range strings.FieldsFunc(text, func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '-' && r != '%'
	}) {
		lw := strings.ToLower(strings.Trim(w, "-"))
		digits := strings.IndexFunc(lw, unicode.IsDigit) >= 0
		if digits {
			f |= parley.HasDigits
			if len(lw) == 4 && (strings.HasPrefix(lw, "19") || strings.HasPrefix(lw, "20")) && strings.Trim(lw, "0123456789") == "" {
				f |= parley.HasDate
			}
		}
		if i := strings.IndexByte(lw, '-'); i > 0 && (digits || numberWord(lw[:i])) && timeUnit(lw[i+1:]) {
			f |= parley.HasDuration // "15-year", "four-year"
		}
		switch {
		case numberWord(lw):
			f |= parley.HasNumberWord
		case timeUnit(lw) && (prevNumber || strings.HasSuffix(lw, "s") || lw == "century"):
			f |= parley.HasDuration
		case lw == "forever" || lw == "long-term" || lw == "decades":
			f |= parley.HasDuration
		case dateWord(lw):
			f |= parley.HasDate
		case prevLast && (timeUnit(lw) || season(lw)):
			f |= parley.HasDate // "last week", "last spring"
		}
		prevNumber = digits || numberWord(lw) || ordinal(lw)
		prevLast = lw == "last" || lw == "next" || lw == "this"
	}
	return f
}

func numberWord(w string) bool {
	switch w {
	case "hundred", "hundreds", "thousand", "thousands", "million", "millions", "billion", "billions", "dozen",
		"dozens", "half", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "fifteen",
		"twenty", "thirty", "forty", "fifty":
		return true
	}
	return false
}

func ordinal(w string) bool {
	switch w {
	case "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth":
		return true
	}
	return false
}

func timeUnit(w string) bool {
	switch strings.TrimSuffix(w, "s") {
	case "year", "month", "week", "day", "decade", "century", "centurie", "hour":
		return true
	}
	return false
}

func season(w string) bool {
	switch w {
	case "spring", "summer", "autumn", "fall", "winter":
		return true
	}
	return false
}

func dateWord(w string) bool {
	switch w {
	case "january", "february", "march", "april", "june", "july", "august", "september", "october", "november",
		"december", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "yesterday", "today":
		return true
	}
	return false
}

func str(p *string) string {
	if p == nil {
		return ""
	}
	return strings.TrimSpace(*p)
}

func invalidAt(b []byte) int {
	for i := 0; i < len(b); {
		r, n := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && n <= 1 {
			return i
		}
		i += n
	}
	return len(b)
}
