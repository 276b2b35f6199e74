package index

import (
	"fmt"
	"sort"
	"strings"
	"sync"
	"unicode"

	"github.com/blevesearch/bleve/v2"
	porterstemmer "github.com/blevesearch/go-porterstemmer"

	"github.com/parley-bot/parley"
	"github.com/parley-bot/parley/index/lexicon"
)

// pointerWeight is what a relation of WordNet is worth when it stands in
// for a typed word, before the weight of the sense it comes from. Words of
// the same synset and derivations say nearly the same thing; the relations
// that widen (hypernyms) or narrow (hyponyms, parts) count for less;
// antonyms and topic domains (";c": "peacekeeper" is in the domain
// "military") are not the same thing at all.
func pointerWeight(symbol string) float64 {
	switch symbol {
	case "": // same synset
		return 0.6
	case "+", "\\", "<": // derivationally related, pertainym, participle
		return 0.5
	case "@", "$": // hypernym, verb group
		return 0.35
	case "@i":
		// An instance's class ("Kharkiv" → city, "Nauru" → country) is any
		// of them: a sentence on "Ukrainian cities" or another country does
		// not hold the one named, and counting it so hid that the articles
		// never name it.
		return 0.15
	case "&", "^", "=", "*", ">": // similar, also see, attribute, entailment, cause
		return 0.3
	case "#m", "#s", "#p", "%m", "%s", "%p": // holonyms, meronyms
		return 0.25
	case "~", "~i": // hyponyms: many, and narrower than what was asked
		return 0.2
	}
	return 0 // antonyms, domains and anything new
}

const (
	// formWeight is what another form of the typed word's own lemma is
	// worth ("led" for "lead", "largest" for "biggest" is not one).
	formWeight = 0.9
	// maxSenses is how many senses of a word expansion follows, most
	// frequent first; each later sense counts for less.
	maxSenses = 3
	// maxExpansions per typed word.
	maxExpansions = 6
	// maxCandidates is how many related words, best first, are inflected
	// and looked up in the vocabulary.
	maxCandidates = 48
	// minWeight drops relations too remote to matter.
	minWeight = 0.1
	// expandCacheSize bounds the cache of expansions by typed word.
	expandCacheSize = 4096
)

// expander turns typed words into related index terms through a lexicon,
// keeping only terms the index holds.
type expander struct {
	lex *lexicon.Lexicon
	// vocab counts the sentences holding each analysed term.
	vocab map[string]int
	docs  int
	terms func(string) []string

	mu    sync.Mutex
	cache map[string][]parley.Expansion
	// near caches the lemmas one pointer from a word (Related).
	near map[string]neighbourhood
}

// newExpander reads the index's vocabulary of analysed text terms, from
// every shard; call it once the shards are there.
func (ix *Index) newExpander(lex *lexicon.Lexicon) error {
	if lex == nil {
		return nil
	}
	vocab := map[string]int{}
	for _, sh := range ix.shards {
		if err := addVocabulary(sh, vocab); err != nil {
			return err
		}
	}
	ix.expand = &expander{lex: lex, vocab: vocab, docs: ix.Sentences(), terms: ix.Terms, cache: map[string][]parley.Expansion{}}
	return nil
}

// addVocabulary adds the text terms of one bleve index, with the count of
// sentences holding each, to vocab.
func addVocabulary(idx bleve.Index, vocab map[string]int) error {
	d, err := idx.FieldDict(fieldText)
	if err != nil {
		return fmt.Errorf("index: vocabulary: %w", err)
	}
	defer d.Close()
	for {
		e, err := d.Next()
		if err != nil {
			return fmt.Errorf("index: vocabulary: %w", err)
		}
		if e == nil {
			return nil
		}
		vocab[e.Term] += int(e.Count)
	}
}

// Expand implements parley.Corpus.
func (ix *Index) Expand(word string) []parley.Expansion {
	if ix.expand == nil {
		return nil
	}
	return ix.expand.expand(word)
}

func (e *expander) expand(word string) []parley.Expansion {
	word = strings.ToLower(strings.TrimSpace(word))
	if word == "" || strings.IndexFunc(word, func(r rune) bool { return !unicode.IsLetter(r) && r != '-' && r != '\'' }) >= 0 {
		return nil
	}
	e.mu.Lock()
	out, ok := e.cache[word]
	e.mu.Unlock()
	if ok {
		return out
	}
	out = e.compute(word)
	e.mu.Lock()
	if len(e.cache) >= expandCacheSize {
		clear(e.cache)
	}
	e.cache[word] = out
	e.mu.Unlock()
	return out
}

func (e *expander) compute(word string) []parley.Expansion {
	own := map[string]bool{}
	typedCount := 0
	for _, t := range e.terms(word) {
		own[t] = true
		typedCount = max(typedCount, e.vocab[t])
	}
	// A related word far more common than the typed one is a
	// generalisation ("state" → "said"): it would crowd out what was
	// asked. A tenth of the sentences is the most any may hold when the
	// typed word is rare or absent.
	limit := max(5*typedCount, e.docs/10)
	// Weigh the related words first, then inflect and stem only the best:
	// a frequent verb has hundreds of hyponyms.
	type cand struct {
		word   string
		pos    byte
		weight float64
	}
	var cands []cand
	seen := map[string]int{}
	consider := func(w string, pos byte, weight float64) {
		if strings.Count(w, "-") == 1 && !strings.ContainsAny(w, "_ .'") {
			w = strings.ReplaceAll(w, "-", "") // "cease-fire" is written "ceasefire" too
		}
		if weight < minWeight || strings.ContainsAny(w, "_ -.'") {
			return // multi-word lemmas would need phrase queries
		}
		k := w + string(pos)
		if i, ok := seen[k]; ok {
			cands[i].weight = max(cands[i].weight, weight)
			return
		}
		seen[k] = len(cands)
		cands = append(cands, cand{w, pos, weight})
	}
	for _, b := range e.lex.Bases(word) {
		consider(b.Lemma, b.POS, formWeight)
		for _, r := range e.lex.Related(b.Lemma, b.POS, maxSenses, worthReading) {
			consider(r.Word, r.POS, pointerWeight(r.Pointer)/float64(1+2*r.Sense))
		}
	}
	sort.SliceStable(cands, func(i, j int) bool { return cands[i].weight > cands[j].weight })
	if len(cands) > maxCandidates {
		cands = cands[:maxCandidates]
	}
	best := map[string]float64{}
	for _, c := range cands {
		for _, f := range inflect(c.word, c.pos, e.lex.Forms(c.word)) {
			t := porterstemmer.StemString(f)
			if n := e.vocab[t]; !own[t] && n > 0 && (n <= limit || c.weight == formWeight) && c.weight > best[t] {
				best[t] = c.weight
			}
		}
	}
	out := make([]parley.Expansion, 0, len(best))
	for t, w := range best {
		out = append(out, parley.Expansion{Term: t, Weight: w})
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Weight != out[j].Weight {
			return out[i].Weight > out[j].Weight
		}
		return out[i].Term < out[j].Term
	})
	if len(out) > maxExpansions {
		out = out[:maxExpansions]
	}
	return out
}

// worthReading says a pointer can weigh enough to be kept.
func worthReading(symbol string, sense int) bool {
	return pointerWeight(symbol)/float64(1+2*sense) >= minWeight
}

// inflect returns a lemma with the forms that stem differently from it:
// its irregular forms ("led", "met") and, for an adjective, its comparative
// and superlative ("larger", "largest"), which the Porter stemmer keeps
// apart. Other regular forms ("leads", "leading") stem like the lemma. The
// vocabulary check drops forms no article uses.
func inflect(lemma string, pos byte, irregular []string) []string {
	out := append([]string{lemma}, irregular...)
	n := len(lemma)
	if pos != lexicon.Adjective || n < 2 {
		return out
	}
	last := lemma[n-1]
	switch {
	case last == 'e':
		out = append(out, lemma+"r", lemma+"st")
	case last == 'y' && !strings.ContainsRune("aeiou", rune(lemma[n-2])):
		out = append(out, lemma[:n-1]+"ier", lemma[:n-1]+"iest")
	default:
		out = append(out, lemma+"er", lemma+"est", lemma+string(last)+"er", lemma+string(last)+"est")
	}
	return out
}
