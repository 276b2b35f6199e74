package index

import (
	"fmt"

	"github.com/parley-bot/parley"
	"github.com/parley-bot/parley/index/lexicon"
	"github.com/parley-bot/parley/index/people"
	"github.com/parley-bot/parley/index/places"
)

// DefaultOptions are the people extraction and the gazetteer Parley ships
// with, from their embedded data files.
func DefaultOptions() (Options, error) {
	g, err := places.Load()
	if err != nil {
		return Options{}, fmt.Errorf("index: gazetteer: %w", err)
	}
	ex, err := people.New(g)
	if err != nil {
		return Options{}, fmt.Errorf("index: people: %w", err)
	}
	lex, err := lexicon.Load()
	if err != nil {
		return Options{}, fmt.Errorf("index: lexicon: %w", err)
	}
	return Options{Annotator: ex, Gazetteer: NewGazetteer(g), Lexicon: lex}, nil
}

// NewGazetteer adapts the places package to what the index needs.
func NewGazetteer(g *places.Gazetteer) Gazetteer {
	pn := placeNames{g: g, aliases: map[string][]string{}}
	for _, p := range g.Places() {
		pn.aliases[p.Name] = p.Aliases
	}
	return pn
}

type placeNames struct {
	g       *places.Gazetteer
	aliases map[string][]string
}

func (p placeNames) Mentions(text string) (surfaces, names []string) {
	for _, m := range p.g.Find(text) {
		surfaces = append(surfaces, m.Surface)
		names = append(names, m.Place)
	}
	return surfaces, names
}

func (p placeNames) Lookup(typed string) (string, bool) {
	pl, ok := p.g.Lookup(typed)
	return pl.Name, ok
}

func (p placeNames) Suggest(typed string) (string, bool) {
	pl, ok := p.g.Suggest(typed)
	return pl.Name, ok
}

func (p placeNames) Aliases(name string) []string { return p.aliases[name] }

func (p placeNames) Key(surface string) string { return places.Key(surface) }

func (p placeNames) Find(text string) []parley.Mention {
	var out []parley.Mention
	for _, m := range p.g.Find(text) {
		out = append(out, parley.Mention{Start: m.Start, End: m.End, Name: m.Place})
	}
	return out
}
