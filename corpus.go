package parley

import "context"

// Corpus is what the handlers need from the index: the articles, the people
// they name, lookups of names as typed, and a sentence search. The index
// package implements it; handlers never see bleve.
type Corpus interface {
	// Articles returns the articles in id order. An index that keeps its
	// articles on disk lists them without Text and Sentences (nil); Article
	// returns one whole.
	Articles() []*Article
	// Article returns one article by id, with its text and sentences.
	// While an answer holds the article or any of its sentences, Article
	// returns that same article.
	Article(id string) (*Article, bool)
	// People returns the people the articles name, most mentioned first.
	People() []Person
	// Places returns the canonical names of the places the sentences
	// mention, most mentioned first.
	Places() []string
	// LookupPlace resolves a country, nationality, capital or organisation as
	// a person typed it ("britain"; with fuzzy, "frnace") to its canonical
	// name; typo is true when the match was fuzzy.
	LookupPlace(typed string, fuzzy bool) (name string, typo, ok bool)
	// LookupPerson resolves a person's name in any spelling (with fuzzy, a
	// surname with a typo: "macrom") to the index of People(); typo as above.
	LookupPerson(typed string, fuzzy bool) (i int, typo, ok bool)
	// Search finds sentences, best first.
	Search(ctx context.Context, q Query) ([]Hit, error)
	// About returns the sentences that name a person (a canonical name of
	// People(); the sentences they speak are among them), or with speech
	// only those they speak, at most limit (0: all), ranked as an answer
	// about them shows them, whatever was typed: their quotes, then their
	// reported speech, then sentences that name them near their start
	// (their surname in the first 80 bytes), then other mentions; within
	// each, earlier in its article first (by position over the article's
	// sentences), then by article and position. The lists are built when
	// the index is, over every sentence.
	About(ctx context.Context, name string, speech bool, limit int) ([]*Sentence, error)
	// Terms analyses text the way Search matches it, for measuring how much
	// of a query a hit covers.
	Terms(text string) []string
	// Tokens analyses text like Terms, with where each term is in text.
	Tokens(text string) []Token
	// Topics returns the most frequent content phrases, for suggestions.
	Topics(n int) []string
	// Expand returns index terms related to a typed word through a lexical
	// resource ("summit" → meet, "biggest" → largest), each weighted below
	// the word itself, best first; none when there is no resource.
	Expand(word string) []Expansion
	// PlaceMentions finds the places a text names, with the words used
	// ("Paris" for France), in order.
	PlaceMentions(text string) []Mention
}

// Lexical is an ability a Corpus may have through a lexical resource.
type Lexical interface {
	// Known says a word is a word of the language in some form ("pope",
	// "biggest"), so that it is not taken for a typo of a word the
	// articles use ("hope").
	Known(word string) bool
	// Kin says two nouns name the same kind of thing ("summit" and
	// "meeting"), so that a word the articles never use for their event
	// can be read as the one they do.
	Kin(word, other string) bool
	// Related says two words are one step apart in the resource, either
	// way and by any relation but opposition ("killing" causes "died",
	// "repair" is "fix").
	Related(word, other string) bool
	// Superlative says a word is the superlative of an adjective
	// ("biggest", "largest", "worst"), not a word that ends like one
	// ("interest", "honest").
	Superlative(word string) bool
}

// Token is an analysed term at text[Start:End].
type Token struct {
	Term       string
	Start, End int
}

// Expansion is an analysed index term standing in for a typed word, with
// what it is worth against the word itself (0 to 1).
type Expansion struct {
	Term   string
	Weight float64
}

// Mention is a place named in a text: text[Start:End] is the surface form,
// Name the canonical place.
type Mention struct {
	Start, End int
	Name       string
}

// Query is a sentence search. Text is always matched as words, never as
// query syntax. The parts are alternatives; a hit needs to match one.
type Query struct {
	Text string
	// Phrase, when set, boosts sentences containing it as a phrase.
	Phrase string
	// Places are canonical place names; any of their names finds a sentence.
	Places []string
	// People are canonical person names mentioned.
	People []string
	// Speaker restricts hits to sentences spoken by this person.
	Speaker string
	// Expand are terms related to words of Text (Corpus.Expand), matched
	// like Text's words and scored by their weight.
	Expand []Expansion
	// Fuzzy tolerates one typo per word of Text.
	Fuzzy bool
	// Size is how many hits at most; 0 means 50.
	Size int
}

// Hit is one sentence found, with the query terms it matched.
type Hit struct {
	Sentence *Sentence
	Score    float64
	// Matched are the analysed terms of Query.Text the sentence contains.
	Matched []string
}
