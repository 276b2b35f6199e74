package people

import (
	"strings"

	"github.com/parley-bot/parley/index/places"
)

// Words that matter to the rules below; grammar, not data about anyone.
var (
	prepositions = map[string]bool{"by": true, "with": true, "to": true, "of": true, "for": true, "from": true, "about": true, "on": true, "at": true, "against": true, "than": true, "including": true, "between": true, "among": true, "into": true, "toward": true, "towards": true, "via": true, "like": true, "met": true, "joined": true, "behind": true, "under": true, "over": true}
	adverbs      = map[string]bool{"also": true, "later": true, "has": true, "have": true, "had": true, "previously": true, "repeatedly": true, "then": true, "consistently": true, "again": true, "already": true, "reportedly": true, "publicly": true, "recently": true, "once": true, "further": true, "earlier": true, "separately": true, "himself": true, "herself": true, "only": true, "even": true, "privately": true, "flatly": true, "firmly": true, "simply": true}
	clauseWords  = map[string]bool{"who": true, "which": true, "whose": true, "that": true, "where": true, "when": true, "whom": true}
	// hyphenWords follow a name without being part of it ("Kushner-led").
	hyphenWords = map[string]bool{"led": true, "era": true, "run": true, "age": true, "set": true, "in": true, "law": true}
	particles   = map[string]bool{"de": true, "van": true, "von": true, "der": true, "den": true, "al": true, "bin": true, "da": true, "di": true, "du": true, "la": true, "le": true, "dos": true, "del": true, "ten": true, "ter": true}
)

func (e *Extractor) honorific(t tok) (string, bool) {
	if !t.cap {
		return "", false
	}
	g, ok := e.lx.honorifics[t.fold]
	return g, ok
}

func isHon(e *Extractor, t tok) bool { _, ok := e.honorific(t); return ok }

// capSeq returns the end of the name starting at toks[j]: up to four
// capitalised words joined by spaces or hyphens, with particles ("de",
// "van") inside, ending at a possessive. It returns j when there is none.
func (e *Extractor) capSeq(toks []tok, j int) int {
	k := j
	for k < len(toks) && k-j < 4 {
		t := toks[k]
		if k == j && t.place >= 0 && k+1 < len(toks) && toks[k+1].place != t.place && toks[k+1].place < 0 && toks[k+1].sep == " " && toks[k+1].cap && !t.poss && !t.caps &&
			j > 0 && e.endsRole(toks, j) {
			// "National Rally leader Jordan Bardella": after a title, a
			// one-word place followed by a name is a given name.
			k++
			continue
		}
		if k > j && ((t.sep != " " && t.sep != "-") || toks[k-1].poss) {
			break
		}
		if k > j && !t.cap && particles[t.fold] {
			// "von der Leyen", "bin Salman": particles, then a capital.
			x := k
			for x < len(toks) && x-k < 3 && !toks[x].cap && particles[toks[x].fold] && toks[x].sep == " " {
				x++
			}
			if x > k && x < len(toks) && toks[x].cap && toks[x].sep == " " && !toks[x].quoted {
				k = x
				continue
			}
			break
		}
		if !t.cap || t.caps || t.quoted || t.place >= 0 || e.lx.notNames[t.fold] || isDigit(t.raw) {
			break
		}
		if _, ok := e.honorific(t); ok {
			break
		}
		if n, _ := e.matchRole(toks, k); n > 0 {
			break
		}
		k++
	}
	// A name never ends on a particle.
	for k > j && !toks[k-1].cap {
		k--
	}
	return k
}

// introduce is pass 1: the contexts that introduce a person.
func (r *run) introduce(st *sent) {
	e := r.e
	toks := st.toks
	for i := 0; i < len(toks); i++ {
		n, ph := e.matchRole(toks, i)
		if n == 0 {
			continue
		}
		ev := evidence{role: surface(toks[i : i+n]), roleKey: ph.key, relation: ph.relation, gender: e.lx.gendered[ph.key]}
		if ph.expand != "" {
			ev.role = titleCase(ph.expand)
		}
		first := e.lookback(st, i, 0, &ev)
		j := i + n
		if j < len(toks) && toks[j].sep == " " && !toks[j-1].poss {
			if g, ok := e.honorific(toks[j]); ok && j+1 < len(toks) {
				if g != "" {
					ev.gender = g
				}
				j++
			}
			if end := e.capSeq(toks, j); end > j && toks[j].sep == " " {
				r.person(raws(toks[j:end]), r.span(st, j, end), ev, st.art)
				i = end - 1
				continue
			}
		}
		if j < len(toks) && strings.TrimSpace(toks[j].sep) == "," && !toks[j-1].poss {
			// "Venezuela's authoritarian leader, Nicolas Maduro"
			if end := e.capSeq(toks, j); end-j >= 2 {
				r.person(raws(toks[j:end]), r.span(st, j, end), ev, st.art)
				i = end - 1
				continue
			}
		}
		if first > 0 && (toks[first-1].fold == "a" || toks[first-1].fold == "an") && !toks[j-1].poss && ev.affil != "" && e.speechAt(toks, j) {
			// An unnamed speaker: "a French foreign ministry spokesperson
			// said". Without an affiliation ("a senior official said") the
			// description names no one in particular.
			name := surface(toks[first:j])
			p := r.unnamed(name, ev, st.art)
			st.ments = append(st.ments, mention{person: p, first: first, name: -1, end: j, subject: true})
		}
	}
	for i := 0; i < len(toks); {
		t := toks[i]
		if t.quoted || !t.cap || (i > 0 && toks[i].sep == " " && toks[i-1].cap && !toks[i-1].poss && toks[i-1].place < 0 && !e.lx.notNames[toks[i-1].fold] && !isHon(e, toks[i-1]) && !e.endsRole(toks, i)) {
			i++
			continue
		}
		end := e.capSeq(toks, i)
		ev := evidence{}
		hon := false
		if i > 0 && toks[i].sep == " " {
			if g, ok := e.honorific(toks[i-1]); ok {
				ev.gender, hon = g, true
			}
		}
		if end-i < 2 && !(hon && end > i) {
			i = max(end, i+1)
			continue
		}
		ok := false
		if end < len(toks) && strings.HasPrefix(toks[end].sep, ",") && !toks[end-1].poss {
			ok = r.apposition(st, end, &ev)
		}
		if !ok && end < len(toks) && toks[end].sep == " " && e.speechAt(toks, end) {
			ok = true
		}
		if !ok && i > 0 && (toks[i-1].fold == "said" || (i > 1 && toks[i-2].fold == "according" && toks[i-1].fold == "to")) {
			ok = true
		}
		if ok {
			r.person(raws(toks[i:end]), r.span(st, i, end), ev, st.art)
		}
		i = end
	}
}

// apposition reads ", a role ..." after a name starting at toks[k]: the
// first role in it that is not someone else's title ("US President Donald
// Trump's special envoy" is an envoy).
func (r *run) apposition(st *sent, k int, ev *evidence) bool {
	e := r.e
	toks := st.toks
	end := k + 1
	for end < len(toks) && end-k < 14 && !strings.ContainsAny(toks[end].sep, ",;:()") {
		end++
	}
	for x := k; x < end; x++ {
		if clauseWords[toks[x].fold] || (e.lx.speech[toks[x].fold] && !toks[x].cap) {
			return false
		}
	}
	for x := k; x < end; x++ {
		n, ph := e.matchRole(toks, x)
		if n == 0 {
			continue
		}
		if a := x + n; a < end && toks[a].sep == " " && !toks[a-1].poss {
			if ne := e.capSeq(toks, a); ne > a {
				x = ne - 1 // someone else's title
				continue
			}
		}
		ev.role, ev.roleKey, ev.relation = surface(toks[x:x+n]), ph.key, ph.relation
		if ph.expand != "" {
			ev.role = titleCase(ph.expand)
		}
		if g := e.lx.gendered[ph.key]; g != "" {
			ev.gender = g
		}
		e.lookback(st, x, k, ev)
		if ev.affil == "" && ev.possessor == "" && x+n+1 < end && toks[x+n].fold == "of" && toks[x+n+1].place >= 0 {
			// "the commander of Ukraine's southern forces"
			if pl := st.places[toks[x+n+1].place].Place; e.kind(pl) != places.KindRegion {
				ev.affil = pl
			}
		}
		return true
	}
	return false
}

// surnameKey folds a surname so transliterations agree: diacritics go, and
// a final -y, -i, -iy, -yy, -yi or -ij is dropped ("Zelensky", "Zelenskiy",
// "Zelenskyy" are one key).
func surnameKey(s string) string {
	k := places.Key(s)
	if len(k) >= 5 {
		for _, suf := range []string{"yy", "iy", "yi", "ii", "ij", "y", "i"} {
			if strings.HasSuffix(k, suf) && len(k)-len(suf) >= 4 {
				return k[:len(k)-len(suf)]
			}
		}
	}
	return k
}
