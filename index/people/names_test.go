package people_test

import (
	"testing"
)

// Naming traditions: each row is the sentence that shows one.
func TestNameTraditions(t *testing.T) {
	checkWho(t, []who{
		// Dutch and Flemish particles, capitalised at the start of a sentence.
		{text: "Dutch Finance Minister Marieke van den Broek said the budget was tight. Van den Broek added that taxes would not rise.",
			name: "Marieke van den Broek", role: "Finance Minister", affiliation: "Netherlands", aliases: []string{"Van den Broek"}},
		// Arabic names: "bin", a capitalised "Al", the honorific Sheikh, and the
		// given name alone after it.
		{text: "Kuwaiti envoy Sheikh Nasser bin Faisal Al Mutairi arrived on Sunday. Sheikh Nasser said the talks were useful. Al Mutairi left on Monday.",
			name: "Nasser bin Faisal Al Mutairi", role: "envoy", affiliation: "Kuwait", aliases: []string{"Sheikh Nasser", "Al Mutairi"}},
		// A generational suffix belongs to the name; the surname alone finds it.
		{text: "Senator Ramon Villanueva III said the treaty would pass. “We have the votes,” Villanueva said.",
			name: "Ramon Villanueva III", role: "Senator", aliases: []string{"Villanueva"}},
		// Vietnamese: family name first, called by the last word.
		{text: "Vietnamese Trade Minister Pham Quoc Tuan met his counterparts. Tuan said exports had doubled.",
			name: "Pham Quoc Tuan", role: "Trade Minister", affiliation: "Vietnam", aliases: []string{"Tuan"}},
		// Burmese: no family name; the honorific Daw is no part of it.
		{text: "Daw Nyein Nyein Thant, a spokeswoman for the Burmese foreign ministry, said the border was calm.",
			name: "Nyein Nyein Thant", role: "spokeswoman", affiliation: "Myanmar", aliases: []string{"Daw Nyein Nyein Thant"}},
		// Ethiopian and Icelandic: the given name alone on second reference.
		{text: "Ethiopian Finance Minister Girma Tadesse presented the budget. Girma said debt talks would end in May.",
			name: "Girma Tadesse", role: "Finance Minister", affiliation: "Ethiopia"},
		{text: "Icelandic Prime Minister Sigrún Pálsdóttir opened the session. Sigrún said fishing quotas would stay.",
			name: "Sigrún Pálsdóttir", role: "Prime Minister", affiliation: "Iceland"},
		// An Indonesian single name.
		{text: "Indonesian Defence Minister Sutarjo said the navy would patrol the strait. Sutarjo gave no date.",
			name: "Sutarjo", role: "Defence Minister", affiliation: "Indonesia"},
		// Spanish double surname, both words on second reference.
		{text: "Mexican Foreign Minister Ana Lucía Treviño Garza said the border would stay open. Treviño Garza added that trucks would be searched.",
			name: "Ana Lucía Treviño Garza", role: "Foreign Minister", affiliation: "Mexico", aliases: []string{"Treviño Garza"}},
		// An honorific with the given name alone is the person named in full.
		{text: "The trade envoy, Dame Eleanor Whitby, arrived in Delhi. Dame Eleanor said a deal was close.",
			name: "Eleanor Whitby", role: "trade envoy", affiliation: "", aliases: []string{"Dame Eleanor"}},
		// Malaysian honorifics.
		{text: "Malaysian envoy Tan Sri Azman Karim said the strait was open.",
			name: "Azman Karim", role: "envoy", affiliation: "Malaysia"},
		// Initials belong to the name, and the surname alone finds it.
		{text: "Indian Home Minister R. K. Subramaniam said the census would start in May. Subramaniam added that it would be digital.",
			name: "R. K. Subramaniam", role: "Home Minister", affiliation: "India", aliases: []string{"Subramaniam"}},
		{text: "Senator Robert T. Callahan said the bill would pass. Callahan said he had the votes.",
			name: "Robert T. Callahan", role: "Senator", aliases: []string{"Callahan"}},
		// Korean given names of two syllables, the second of four letters.
		{text: "South Korean Foreign Minister Lee Hye-won said the talks would resume. Lee said Seoul was ready.",
			name: "Lee Hye-won", role: "Foreign Minister", affiliation: "South Korea", aliases: []string{"Lee"}},
		// A Chinese family name that is also a pronoun, after a title.
		{text: "Chinese Vice Premier He Lijun met the delegation on Monday. He Lijun said trade would grow.",
			name: "He Lijun", role: "Vice Premier", affiliation: "China"},
		// Honorifics of the Arab world, South Asia and West Africa.
		{text: "Omani envoy Sayyid Khalid bin Hamad al-Busaidi said the port would open. Sayyid Khalid said ships were waiting.",
			name: "Khalid bin Hamad al-Busaidi", role: "envoy", affiliation: "Oman", aliases: []string{"Sayyid Khalid"}},
		{text: "Smt. Radha Krishnan, India’s health minister, said the clinics were ready.",
			name: "Radha Krishnan", role: "health minister", affiliation: "India", aliases: []string{"Smt. Radha Krishnan"}},
		{text: "Alhaji Sani Garba Yusuf, Nigeria’s interior minister, said the border was open. Alhaji Yusuf said patrols would double.",
			name: "Sani Garba Yusuf", role: "interior minister", affiliation: "Nigeria", aliases: []string{"Alhaji Sani Garba Yusuf", "Alhaji Yusuf"}},
		// Spanish and Portuguese double surnames: the first surname alone,
		// both surnames, the given names and the first surname, "de la".
		{text: "Colombian Finance Minister Andrés Felipe Rojas Londoño said taxes would rise. Rojas said the deficit was too high.",
			name: "Andrés Felipe Rojas Londoño", role: "Finance Minister", affiliation: "Colombia", aliases: []string{"Rojas"}},
		{text: "Brazilian Health Minister Maria Helena Pereira dos Santos said vaccines had arrived. Pereira dos Santos said more would come.",
			name: "Maria Helena Pereira dos Santos", role: "Health Minister", affiliation: "Brazil", aliases: []string{"Pereira dos Santos"}},
		{text: "Chilean Interior Minister Tomás Ignacio Vargas Ruiz visited the port. Later Tomás Ignacio Vargas said the strike was over.",
			name: "Tomás Ignacio Vargas Ruiz", role: "Interior Minister", affiliation: "Chile", aliases: []string{"Tomás Ignacio Vargas"}},
		{text: "Mexican Senator Julia de la Garza Ríos said the vote was close. De la Garza said she would vote no.",
			name: "Julia de la Garza Ríos", role: "Senator", affiliation: "Mexico", aliases: []string{"De la Garza"}},
		// A surname that is a country stays a person's where the text makes it one.
		{text: "Labour MP Samuel Israel said the vote would be close. Israel said he would abstain.",
			name: "Samuel Israel", role: "MP", aliases: []string{"Israel"}},
	})
}

// Words that are no one: a department, a portfolio, a title alone.
func TestNotPeople(t *testing.T) {
	ps, _ := annotate(t, "The Department of Home Affairs said visas would be checked. Home Affairs Secretary Lena Marsh said the rules were clear. The Foreign Minister said nothing. Public Works said roads were closed.")
	for _, p := range ps {
		switch p.Name {
		case "Home Affairs", "Foreign Minister", "Public Works", "Minister":
			t.Errorf("%q is no person", p.Name)
		}
	}
	checkWho(t, []who{{text: "Home Affairs Secretary Lena Marsh said the rules were clear.", name: "Lena Marsh", role: "Home Affairs Secretary"}})
}
