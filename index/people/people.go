// Package people finds the people and bodies news articles name, with
// their roles and affiliations, merges their spellings, resolves clear
// references, and gives each sentence with speech a speaker.
//
// Annotate runs a pipeline of stages, one file each:
//
//	tokens.go        words, quotations and the places on them
//	names.go         the contexts that introduce a person: a title before a
//	                 name, an apposition, a name that speaks
//	roles.go         titles kept whole (qualifiers, portfolios, ranks)
//	affiliations.go  countries and organisations from titles, "of X",
//	                 "for X", possessors, paragraphs and datelines
//	bodies.go        ministries, coast guards, embassies and alliances that speak
//	mentions.go      names, "the prime minister" and pronouns within an article
//	speakers.go      who says what
//	merge.go         one person across spellings and articles
//	result.go        canonical names, roles, affiliations, kinds; the sentences filled
//
// Everything comes from general rules over the way news writing introduces
// people and from two data files: roles.json here and the places gazetteer.
package people

import (
	"fmt"
	"slices"

	"github.com/parley-bot/parley"
	"github.com/parley-bot/parley/index/places"
)

// Extractor annotates articles. It holds only read-only data after New and
// is safe for concurrent use.
type Extractor struct {
	g  *places.Gazetteer
	lx *lexicon
	// kinds and partOf are the gazetteer's, by canonical name: asked for
	// at nearly every word, they cost no allocation this way.
	kinds, partOfs map[string]string
}

// New returns an extractor using g for places and the embedded role data.
func New(g *places.Gazetteer) (*Extractor, error) {
	if g == nil {
		return nil, fmt.Errorf("people: nil gazetteer")
	}
	lx, err := loadLexicon(rolesJSON)
	if err != nil {
		return nil, err
	}
	e := &Extractor{g: g, lx: lx, kinds: map[string]string{}, partOfs: map[string]string{}}
	for _, p := range g.Places() {
		e.kinds[p.Name] = p.Kind
		if p.PartOf != "" {
			e.partOfs[p.Name] = p.PartOf
		}
	}
	return e, nil
}

// Annotate fills Speaker, Kind, People and Places on every sentence of every
// article, in place, and returns the people named across the articles,
// ranked by the number of sentences mentioning them.
func (e *Extractor) Annotate(articles []*parley.Article) []parley.Person {
	r := &run{e: e, arts: articles, byKey: map[string][]int{}, bySecond: map[string][]int{}, byForm: map[string][]int{}, byFirst: map[string][]int{}, byEnds: map[string][]int{}, roleHolders: map[int][]int{}, lists: lists{}, placeNumber: map[string]int32{}, byUnnamed: map[string]int{}, byBody: map[string]int{}, namedOrgs: map[string]bool{}, para: paragraph{art: -1, para: -1}}
	total := 0
	for _, a := range articles {
		if a != nil {
			total += len(a.Sentences)
		}
	}
	// One allocation for every sentence's state (two million at 100,000
	// articles), rather than one each; it never grows, so pointers into it
	// stay valid.
	r.sents = make([]sent, 0, total)
	w := &reading{}
	// Pass 1: read every sentence, collecting the people that context
	// introduces (names, roles, affiliations) and the bodies that speak.
	for ai, a := range articles {
		if a == nil {
			continue
		}
		r.seen, r.orgs = map[string]seenBody{}, nil
		open := false
		lastPara := -1
		for si := range a.Sentences {
			s := &a.Sentences[si]
			if s.Start < 0 || s.End > len(a.Text) || s.Start > s.End {
				continue
			}
			if s.Paragraph != lastPara {
				open = false
				lastPara = s.Paragraph
			}
			r.sents = append(r.sents, sent{art: int32(ai), idx: int32(si), para: int32(s.Paragraph), openStart: open, speaker: -1,
				placesAt: int32(len(r.places)), pass1At: int32(len(r.pass1)), saidAt: -1})
			st := &r.sents[len(r.sents)-1]
			st.reading = w
			w.toks, w.quotes, open = tokenize(w.toks, a.Text, s.Start, s.End, open, e.lx.dotted)
			st.openEnd = open
			st.ntoks = int32(len(w.toks))
			st.quoteFirst = len(w.quotes) > 0 && len(w.toks) > 0 && w.quotes[0].start < w.toks[0].start
			w.places = e.g.Find(a.Text[s.Start:s.End])
			markPlaces(st, s.Start)
			r.readContext(st)
			w.subject = r.subjectCountry(st)
			r.introduce(st)
			r.keep(w)
			w.ments, w.introduced, w.subject = w.ments[:0], w.introduced[:0], ""
			st.reading = nil
		}
	}
	// Across articles: one person per spelling, then whose envoy is whose.
	r.foldSurnames()
	r.resolvePossessors()
	// Evidence came one piece at a time, and appending left up to half of
	// each list's array unused (tens of MB at 100,000 articles).
	for _, p := range r.persons {
		p.ev = slices.Clone(p.ev)
	}
	// Pass 2: mentions, pronouns, speakers. The words are read again, as
	// pass 1 read them, rather than kept between the passes: kept, they
	// were most of the memory a build of a large corpus needed.
	for i := range r.sents {
		st := &r.sents[i]
		a := articles[st.art]
		s := &a.Sentences[st.idx]
		st.reading = w
		w.toks, w.quotes, _ = tokenize(w.toks, a.Text, s.Start, s.End, st.openStart, e.lx.dotted)
		w.places = w.places[:0]
		for _, p := range r.placesOf(i) {
			w.places = append(w.places, places.Match{Start: int(p.start), End: int(p.end), Place: r.placeNames[p.place], Surface: a.Text[s.Start+int(p.start) : s.Start+int(p.end)]})
		}
		markPlaces(st, s.Start)
		w.ments = append(w.ments[:0], r.pass1Of(i)...)
		st.saidAt = int32(len(r.said))
		r.mentions(i, st)
		r.speech(i)
		// The sentence's mentions are complete (later sentences read them
		// but add none), so which places are words of a name is known.
		r.writePlaces(st, s)
		for _, m := range w.ments {
			r.said = append(r.said, said{person: int32(m.person), first: int32(m.first), subject: m.subject})
		}
		st.reading = nil
	}
	r.propagateQuotes()
	return r.write(articles)
}

// sent is one sentence: what pass 1 finds for pass 2, and pass 2 for the
// result. A corpus of 100,000 articles has two million: it is kept small,
// and what a sentence has a varying number of is in one array for all
// sentences (run.places, run.pass1, run.said), each sentence's run of it
// from its own index to the next sentence's.
type sent struct {
	// reading is the sentence as read, while a pass reads it, else nil.
	*reading
	art, idx, para int32
	// ntoks is len(toks).
	ntoks int32
	// placesAt, pass1At and saidAt index the sentence's runs of
	// run.places, run.pass1 and run.said.
	placesAt, pass1At, saidAt int32
	speaker                   int32 // person index or -1, found in pass 2
	kind                      speech
	openStart, openEnd        bool
	// quoteFirst says the sentence opens with a quotation mark, before
	// its first word.
	quoteFirst            bool
	speechVerb, hasSpeech bool
}

// reading is what a pass reads of the sentence in hand: its words and
// quotations, which pass 2 derives again from the text rather than keep
// (about 1.5 KB a sentence), its places, its mentions so far, and what
// pass 1 notes on the way.
type reading struct {
	toks   []tok
	quotes []span
	places []places.Match
	ments  []mention
	// introduced are the names pass 1 read in this sentence, in order.
	introduced []string
	// subject is the country the sentence opens with as its subject
	// ("Brazil sent an observer"), else "".
	subject string
}

// placeAt is a place match kept from pass 1 to pass 2: offsets in the
// sentence and the canonical name's number in run.placeNames; the surface
// is the text at the offsets.
type placeAt struct {
	start, end, place int32
}

// said is what later sentences and the result read of a mention: who, at
// which word, and whether as the subject.
type said struct {
	person, first int32
	subject       bool
}

// speech is a sentence's kind of speech: parley.SpeechQuote,
// parley.SpeechParaphrase or none.
type speech uint8

const (
	noSpeech speech = iota
	quote
	paraphrase
)

func (k speech) String() string {
	switch k {
	case quote:
		return parley.SpeechQuote
	case paraphrase:
		return parley.SpeechParaphrase
	}
	return ""
}

// keep notes what pass 2 needs of the sentence pass 1 has read: its places
// and the mentions pass 1 found (unnamed speakers, bodies).
func (r *run) keep(w *reading) {
	for _, m := range w.places {
		n, ok := r.placeNumber[m.Place]
		if !ok {
			n = int32(len(r.placeNames))
			r.placeNumber[m.Place] = n
			r.placeNames = append(r.placeNames, m.Place)
		}
		r.places = append(r.places, placeAt{start: int32(m.Start), end: int32(m.End), place: n})
	}
	r.pass1 = append(r.pass1, w.ments...)
}

// placesOf, pass1Of and saidOf are sentence i's runs of what is kept;
// saidOf only for a sentence pass 2 has left (asked of the sentence pass 2
// reads, it panics: saidAt of the next sentence is still -1).
func (r *run) placesOf(i int) []placeAt {
	end := len(r.places)
	if i+1 < len(r.sents) {
		end = int(r.sents[i+1].placesAt)
	}
	return r.places[r.sents[i].placesAt:end]
}

func (r *run) pass1Of(i int) []mention {
	end := len(r.pass1)
	if i+1 < len(r.sents) {
		end = int(r.sents[i+1].pass1At)
	}
	return r.pass1[r.sents[i].pass1At:end]
}

func (r *run) saidOf(i int) []said {
	end := len(r.said)
	if i+1 < len(r.sents) {
		end = int(r.sents[i+1].saidAt)
	}
	return r.said[r.sents[i].saidAt:end]
}

type mention struct {
	person     int
	first, end int // token range, honorific and role included
	name       int // where the name itself starts; -1 for a pronoun or title
	subject    bool
}

// evidence is what one context says about a person. There are about a
// million at 100,000 articles: the small fields are small, and together.
type evidence struct {
	role, roleKey string
	affil         string
	possessor     string // name of a person whose role this is ("Trump's envoy")
	gender        string
	art           int32 // the article that says it
	level         int8  // affilText, affilParagraph, ...
	relation      bool
	rank          bool // "Rear Admiral": a role only when no other is known
	// private: said of someone who speaks for no one ("a hydrologist at
	// Dhaka University"), so it tells nothing of the others the
	// paragraph names.
	private bool
}

type run struct {
	e     *Extractor
	arts  []*parley.Article
	sents []sent
	// What sentences have a varying number of, kept between the passes:
	// see sent.
	places []placeAt
	pass1  []mention
	said   []said
	lists  lists
	// placeNames are the canonical names of the places in run.places, by
	// number.
	placeNames  []string
	placeNumber map[string]int32
	persons     []*person
	byKey       map[string][]int // surname key -> persons
	// bySecond finds people by the first of two surnames (see secondKey):
	// "Quispe" for Rosa María Quispe Mamani.
	bySecond map[string][]int
	// byForm finds people by a full name's words, folded and with
	// transliteration variants merged (see formKey).
	byForm  map[string][]int
	byFirst map[string][]int // folded first name -> persons
	byEnds  map[string][]int // see ends
	// roleHolders lists, per article, the people it gives a role.
	roleHolders map[int][]int
	byUnnamed   map[string]int
	// para is what pass 1 knows of the paragraph it is reading.
	para paragraph
	// byBody finds a body by its key (see bodyKey); seen are the bodies
	// the article being read has named, by noun, for "the ministry said".
	byBody map[string]int
	// namedOrgs are the names the articles gave organisations not in the
	// gazetteer ("the Ansar al-Sahil movement"), folded.
	namedOrgs map[string]bool
	seen      map[string]seenBody
	// orgs are the organisations the article has named, latest last, for
	// "the alliance said".
	orgs []string
}

// paragraph is the context of the paragraph pass 1 is reading.
type paragraph struct {
	art, para int32
	// affils are the affiliations the text gives the people and bodies
	// the paragraph has named so far.
	affils []string
	// opener is the country of the place that opened this or an earlier
	// paragraph of the article ("In Oslo,"); dateline the dateline's.
	opener, dateline string
}
