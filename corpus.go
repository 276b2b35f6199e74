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
	// Terms analyses text the way Search matches it, for measuring how much
	// of a query a hit covers.
	Terms(text string) []string
	// Topics returns the most frequent content phrases, for suggestions.
	Topics(n int) []string
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
