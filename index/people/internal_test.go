package people

import "testing"

func TestSurnameKey(t *testing.T) {
	same := [][]string{
		{"Zelensky", "Zelenskiy", "Zelenskyy", "Zelenskij", "ZELENSKY"},
		{"Nicolás", "Nicolas"},
		{"Kovalenskyi", "Kovalensky"},
	}
	for _, group := range same {
		for _, s := range group[1:] {
			if a, b := surnameKey(group[0]), surnameKey(s); a != b {
				t.Errorf("surnameKey(%q) = %q, surnameKey(%q) = %q; want equal", group[0], a, s, b)
			}
		}
	}
	// Short names keep their endings: "Li" and "Le" are not one name.
	for _, pair := range [][2]string{{"Li", "Le"}, {"Rutte", "Rutt"}, {"Putin", "Puti"}} {
		if surnameKey(pair[0]) == surnameKey(pair[1]) {
			t.Errorf("surnameKey(%q) == surnameKey(%q)", pair[0], pair[1])
		}
	}
}

func TestLoadLexicon(t *testing.T) {
	for name, data := range map[string]string{
		"bad json":  `{`,
		"no roles":  `{"speech": ["said"]}`,
		"no speech": `{"roles": ["president"]}`,
	} {
		if _, err := loadLexicon([]byte(data)); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
	lx, err := loadLexicon(rolesJSON)
	if err != nil {
		t.Fatal(err)
	}
	// Longest first, so "prime minister" is found before "minister" could be.
	if ps := lx.roles["secretary"]; len(ps) < 2 || len(ps[0].words) < len(ps[len(ps)-1].words) {
		t.Errorf("roles under secretary not longest first: %v", ps)
	}
}

func TestNewNil(t *testing.T) {
	if _, err := New(nil); err == nil {
		t.Error("New(nil): no error")
	}
}
