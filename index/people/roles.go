package people

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

func (e *Extractor) isRoleWord(fold string) bool { return len(e.lx.roles[fold]) > 0 }

// matchRole returns the length in words of the longest role starting at
// toks[i] ("prime minister", "minister for foreign affairs").
func (e *Extractor) matchRole(toks []tok, i int) (int, phrase) {
	if toks[i].quoted {
		return 0, phrase{}
	}
	for _, ph := range e.lx.roles[toks[i].fold] {
		if ph.expand != "" && !toks[i].cap {
			continue
		}
		if matchWords(toks, i, ph.words) {
			n := len(ph.words)
			last := ph.words[n-1]
			if (last == "minister" || last == "secretary" || last == "commissioner") && i+n+1 < len(toks) && (toks[i+n].fold == "of" || toks[i+n].fold == "for") {
				for _, pf := range e.lx.portfolios[toks[i+n+1].fold] {
					if matchWords(toks, i+n+1, pf.words) {
						return n + 1 + len(pf.words), ph
					}
				}
			}
			return n, ph
		}
	}
	return 0, phrase{}
}

func matchWords(toks []tok, i int, ws []string) bool {
	if i+len(ws) > len(toks) {
		return false
	}
	for k, w := range ws {
		t := toks[i+k]
		if t.fold != w || (k > 0 && t.sep != " " && t.sep != "-") || t.quoted {
			return false
		}
	}
	return true
}

// endsRole reports whether a title ends just before toks[j].
func (e *Extractor) endsRole(toks []tok, j int) bool {
	if toks[j].sep != " " {
		return false
	}
	for x := j - 1; x >= 0 && x >= j-5; x-- {
		if n, _ := e.matchRole(toks, x); n > 0 && x+n == j {
			return true
		}
	}
	return false
}

func titleCase(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// surface is the role as written: "Prime Minister", "secretary-general".
func surface(toks []tok) string {
	var b strings.Builder
	for i, t := range toks {
		if i > 0 {
			if t.sep == "-" {
				b.WriteByte('-')
			} else {
				b.WriteByte(' ')
			}
		}
		b.WriteString(t.raw)
	}
	return b.String()
}

// qualify puts t in front of the role when it belongs there: a qualifier
// always ("former president", "shadow foreign secretary"), a modifier when
// the two make a known role ("Special US envoy" is a special envoy). It
// returns the new first word of the phrase.
func (e *Extractor) qualify(t tok, ev *evidence, first int) int {
	key := t.fold + " " + ev.roleKey
	if e.lx.qualifiers[t.fold] || (e.lx.modifiers[t.fold] && e.isRole(key)) {
		ev.roleKey = key
		ev.role = t.raw + " " + ev.role
		return first - 1
	}
	return first
}

func (e *Extractor) isRole(key string) bool {
	ws := strings.Fields(key)
	for _, ph := range e.lx.roles[ws[0]] {
		if ph.key == key {
			return true
		}
	}
	return false
}

// role is the most frequent role, relations ("son-in-law") only when no
// role is known; on a tie, a title written with a capital ("Venezuelan
// President Nicolás Maduro") beats a description ("Venezuela's
// authoritarian leader"). It is written as the articles most often write it.
func (p *person) role() string {
	count := map[string]int{}
	capital := map[string]bool{}
	var order []string
	for _, rel := range []bool{false, true} {
		for _, ev := range p.ev {
			if ev.roleKey == "" || ev.relation != rel {
				continue
			}
			if count[ev.roleKey] == 0 {
				order = append(order, ev.roleKey)
			}
			count[ev.roleKey]++
			if r, _ := utf8.DecodeRuneInString(ev.role); unicode.IsUpper(r) {
				capital[ev.roleKey] = true
			}
		}
		if len(order) > 0 {
			break
		}
	}
	key, best := "", -1
	for _, k := range order {
		score := 2 * count[k]
		if capital[k] {
			score++
		}
		if score > best {
			key, best = k, score
		}
	}
	if key == "" {
		return ""
	}
	surface, _ := vote(p.ev, func(ev evidence) string {
		if ev.roleKey != key {
			return ""
		}
		return ev.role
	})
	return surface
}

// hasRole: "envoy" fits a special envoy, "prime minister" a Prime Minister,
// when the article itself gave the person that role (a reader of one
// article cannot know "the envoy" from another).
func (p *person) hasRole(key, affil string, art int) bool {
	for _, ev := range p.ev {
		if ev.relation || ev.roleKey == "" || ev.art != art {
			continue
		}
		if (ev.roleKey == key || strings.HasSuffix(ev.roleKey, " "+key)) && (affil == "" || ev.affil == affil) {
			return true
		}
	}
	return false
}

func (p *person) hasRoleKey(key string) bool {
	for _, ev := range p.ev {
		if ev.roleKey == key {
			return true
		}
	}
	return false
}
