package people_test

import "testing"

// Role patterns: each row is the sentence that shows one. Titles are kept
// whole, before or after the name; a rank is the role only when nothing
// else is known.
func TestRolePatterns(t *testing.T) {
	checkWho(t, []who{
		{text: "Japanese Vice Foreign Minister Kenji Aoyama said talks would resume.",
			name: "Kenji Aoyama", role: "Vice Foreign Minister", affiliation: "Japan"},
		{text: "Peruvian Deputy Interior Minister Rosa Quispe said the roads were open.",
			name: "Rosa Quispe", role: "Deputy Interior Minister", affiliation: "Peru"},
		{text: "Acting Prime Minister Tomasz Wrona of Poland said the vote would wait.",
			name: "Tomasz Wrona", role: "Acting Prime Minister", affiliation: "Poland"},
		// After the name, with what it is of.
		{text: "Ana Beltrán, the deputy finance minister of Colombia, said reserves were sound.",
			name: "Ana Beltrán", role: "deputy finance minister", affiliation: "Colombia"},
		// Before the name across a comma, with what it is of.
		{text: "The deputy energy minister of Ghana, Kwame Asante, said prices would fall.",
			name: "Kwame Asante", role: "deputy energy minister", affiliation: "Ghana"},
		// A portfolio after "of", a name after the portfolio.
		{text: "Kenyan Minister of Water and Sanitation Grace Wanjala said the dam was safe.",
			name: "Grace Wanjala", role: "Minister of Water and Sanitation", affiliation: "Kenya"},
		{text: "Argentina’s minister of mines, Pablo Ferrer, said exports would rise.",
			name: "Pablo Ferrer", role: "minister of mines", affiliation: "Argentina"},
		// A listed portfolio ("energy") does not cut off the one joined to it.
		{text: "Bolivia’s minister of energy and water, Luis Mamani, said the reservoir was full.",
			name: "Luis Mamani", role: "minister of energy and water", affiliation: "Bolivia"},
		// A title that is also a rank, with nothing before it, is the role
		// only when nothing else is known; an apposition goes on to its
		// relative clause.
		{text: "Chief Emeka Nwosu, a former Nigerian envoy to Kenya who chaired the talks, said the deal would hold.",
			name: "Emeka Nwosu", role: "former envoy", affiliation: "Nigeria"},
		// "his son-in-law", "her counterpart": the sentence's first person's.
		{text: "Brazilian President Pedro Vaz said his son-in-law, Rui Matos, would lead the delegation.",
			name: "Rui Matos", role: "son-in-law", affiliation: "Brazil"},
		{text: "Kenyan President Ruth Wambui and her Ugandan counterpart, Samuel Okello, signed the accord.",
			name: "Samuel Okello", role: "President", affiliation: "Uganda"},
		// A profession in an apposition, and where they work.
		{text: "Dr. Farida Rahman, a seismologist at Dhaka University, said the quake was shallow.",
			name: "Farida Rahman", role: "seismologist", affiliation: "Bangladesh"},
		// Two portfolios joined by "and".
		{text: "Kenyan Environment and Forestry Minister Joseph Kamau said the trees would be planted.",
			name: "Joseph Kamau", role: "Environment and Forestry Minister", affiliation: "Kenya"},
		{text: "Ghana’s lands and natural resources minister, Ama Boateng, said the licences were suspended.",
			name: "Ama Boateng", role: "lands and natural resources minister", affiliation: "Ghana"},
		// A portfolio before the title; the portfolio is nobody.
		{text: "Border Security Minister Hana Novak said the fence was finished.",
			name: "Hana Novak", role: "Border Security Minister"},
		{text: "Secretary-General Lars Holmberg of the Nordic Council said the meeting was useful.",
			name: "Lars Holmberg", role: "Secretary-General", affiliation: "Nordic Council"},
		// A rank, then a job: the job is the role.
		{text: "Brigadier General Omar Haddad, the commander of Jordan’s border forces, said the crossing was shut.",
			name: "Omar Haddad", role: "commander", affiliation: "Jordan"},
		// A rank alone is the role; abbreviations are spelt out.
		{text: "Maj. Gen. Ivo Marek said the exercise would end on Friday.",
			name: "Ivo Marek", role: "Major General"},
		{text: "Rear Admiral Paulo Lemos, who leads the Brazilian fleet, said ships were ready.",
			name: "Paulo Lemos", role: "leader of the Brazilian fleet", affiliation: "Brazil"},
		// "who chairs the X committee".
		{text: "Helga Brandt, who chairs the Bundestag foreign affairs committee, said the law would pass.",
			name: "Helga Brandt", role: "chair of the Bundestag foreign affairs committee", affiliation: "Germany"},
		{text: "Former Chilean president Mateo Ríos said the accord was fair.",
			name: "Mateo Ríos", role: "Former president", affiliation: "Chile"},
		{text: "The shadow home secretary, Ruth Ellery, said the plan was flawed.",
			name: "Ruth Ellery", role: "shadow home secretary"},
	})
}
