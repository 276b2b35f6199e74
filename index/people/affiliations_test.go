package people_test

import (
	"testing"
)

// Affiliation patterns: each row is the sentence that shows one.
func TestAffiliationPatterns(t *testing.T) {
	checkWho(t, []who{
		// A nationality before the title.
		{text: "Greek Defence Minister Nikos Pappas said the frigate had sailed.",
			name: "Nikos Pappas", role: "Defence Minister", affiliation: "Greece"},
		// "Country's title".
		{text: "Morocco’s foreign minister, Samir Alaoui, said the border would open.",
			name: "Samir Alaoui", role: "foreign minister", affiliation: "Morocco"},
		// "title of Country", after the name.
		{text: "Lina Haddad, an envoy of Lebanon, said the ceasefire held.",
			name: "Lina Haddad", role: "envoy", affiliation: "Lebanon"},
		// "Name of Country".
		{text: "Karim Nassar of Jordan said the corridor was safe.",
			name: "Karim Nassar", affiliation: "Jordan"},
		// "of the X navy": the navy's country.
		{text: "Ivan Petrov, a captain of the Bulgarian navy, said the mines had been cleared.",
			name: "Ivan Petrov", role: "captain", affiliation: "Bulgaria"},
		// "for Y" where Y is a body of a country.
		{text: "Mira Sato, a spokeswoman for the Japanese coast guard, said two boats were seized.",
			name: "Mira Sato", role: "spokeswoman", affiliation: "Japan"},
		// "for Y" where Y is a person: Y's country.
		{text: "Polish President Anna Zawadzka met the press. Piotr Lis, a spokesman for President Anna Zawadzka, said she would travel.",
			name: "Piotr Lis", role: "spokesman", affiliation: "Poland"},
		// "adviser to" an official of a country; "ambassador to" a country is no affiliation.
		{text: "Daniel Okoro, an adviser to the Nigerian president, said the talks were frank.",
			name: "Daniel Okoro", role: "adviser", affiliation: "Nigeria"},
		{text: "Olga Berg, ambassador to Chile, said the embassy was open.",
			name: "Olga Berg", role: "ambassador", affiliation: ""},
		// An organisation.
		{text: "ASEAN Deputy Secretary-General Tran Minh Duc said the summit would go ahead.",
			name: "Tran Minh Duc", role: "Deputy Secretary-General", affiliation: "ASEAN"},
		{text: "Farah Idris, a senior official of the African Union, said troops were ready.",
			name: "Farah Idris", role: "senior official|official", affiliation: "African Union"},
		// A party named for its country.
		{text: "Tomás Novák, a lawmaker of the Czech Pirate Party, said the bill was dead.",
			name: "Tomás Novák", role: "lawmaker", affiliation: "Czechia"},
		// The dateline, for an official the text gives no country.
		{text: "NAIROBI — Interior Minister Peter Kamau said the curfew would end.",
			name: "Peter Kamau", role: "Interior Minister", affiliation: "Kenya"},
		{text: "SANTIAGO, Chile (Wire) - Senator Laura Vidal said the vote would be close.",
			name: "Laura Vidal", role: "Senator", affiliation: "Chile"},
		// A paragraph that opens with a place.
		{text: "Ministers met in Geneva.\nIn Lima, Energy Minister Luis Paredes said prices would fall.",
			name: "Luis Paredes", role: "Energy Minister", affiliation: "Peru"},
		// The paragraph's other official, over the dateline.
		{text: "ROME — Austria’s foreign ministry said the border would reopen. Deputy Foreign Minister Karl Huber said trains would run by May.",
			name: "Karl Huber", role: "Deputy Foreign Minister", affiliation: "Austria"},
		// The story's place gives way to what the text says: a body noun
		// before the title is the body the article named with its country
		// ("a Coast Guard spokeswoman" after "The Japanese coast guard"),
		// and someone who represented a country is that country's.
		{text: "NADI, Fiji — The Japanese coast guard said a trawler was boarded.\nCommander Emi Kato, a Coast Guard spokeswoman in Okinawa, said the crew were safe.",
			name: "Emi Kato", role: "spokeswoman", affiliation: "Japan"},
		{text: "NADI, Fiji — The Japanese coast guard said a trawler was boarded.\nCoast Guard spokeswoman Emi Kato said the crew were safe.",
			name: "Emi Kato", role: "spokeswoman", affiliation: "Japan"},
		{text: "ROME — Ministers met on Monday. Canada, which has pledged two frigates, was represented by Claire Dubois, a deputy minister of defence.",
			name: "Claire Dubois", role: "deputy minister of defence", affiliation: "Canada"},
		{text: "ROME — Ministers met on Monday. The Netherlands was represented by Defence Minister Joost Bakker.",
			name: "Joost Bakker", role: "Defence Minister", affiliation: "Netherlands"},
		{text: "APIA, Samoa — The U.S. National Guard said in a statement that two of its officers were aboard.\nCaptain Tom Hale, a National Guard spokesman in Hawaii, said the officers \"only watched\" and that the arrest was Samoan.",
			name: "Tom Hale", role: "spokesman", affiliation: "United States"},
		// No body of that noun named before: the dateline, as before.
		{text: "NADI, Fiji — Coast Guard spokeswoman Emi Kato said the crew were safe.",
			name: "Emi Kato", role: "spokeswoman", affiliation: "Fiji"},
		// "for the X in Country".
		{text: "Colonel Amadou Diallo, a spokesman for the military government in Guinea, said the curfew would end.",
			name: "Amadou Diallo", role: "spokesman", affiliation: "Guinea"},
		// "In northern Kenya,".
		{text: "Talks began.\nIn northern Kenya, Governor Ali Roba said the wells were dry.",
			name: "Ali Roba", role: "Governor", affiliation: "Kenya"},
		// A paragraph that opens with another country ends an earlier
		// "In Nairobi,"; unknown then stays unknown.
		{text: "Talks began.\nIn Nairobi, Interior Minister Peter Kamau said the curfew would end.\nUganda’s army said the border was calm.\nSenator Jane Doyle said the vote would wait.",
			name: "Jane Doyle", role: "Senator", affiliation: ""},
		// The country that sent someone.
		{text: "Ghana sent an observer, Ambassador Kofi Mensah, to the talks in Lomé.",
			name: "Kofi Mensah", role: "Ambassador", affiliation: "Ghana"},
		// A country as a given name.
		{text: "Chad Morrow, a State Department spokesman, said the talks would resume.",
			name: "Chad Morrow", role: "spokesman", affiliation: "United States"},
		// A state news agency named after its description.
		{text: "North Korea’s state news agency KCNA said the drills were a provocation.",
			name: "KCNA", affiliation: "North Korea", kind: "body"},
		// A body's affiliation: the country of its name, before it or in
		// its apposition; an organisation that belongs to another speaks
		// for that one.
		{text: "The Central Bank of Kenya said inflation had eased.",
			name: "Central Bank of Kenya", affiliation: "Kenya", kind: "body"},
		{text: "Petrobras, the Brazilian state oil company, said output rose.",
			name: "Petrobras", affiliation: "Brazil", kind: "body"},
		{text: "UNICEF said schools would reopen.",
			name: "UNICEF", affiliation: "United Nations", kind: "body"},
		// Unknown stays unknown.
		{text: "Senator Jane Doyle said the bill would pass.",
			name: "Jane Doyle", role: "Senator", affiliation: ""},
		// The host city and the dateline are the weakest evidence: what
		// the text says of the person beats them.
		// The country a sentence opens with is often the other side: no
		// affiliation of the speaker's.
		{text: "KYIV, Ukraine — Air raid sirens sounded again.\nRussia launched 40 drones overnight, air force spokesman Yuriy Ihnat said.",
			name: "Yuriy Ihnat", role: "spokesman|air force spokesman", affiliation: "Ukraine"},
		{text: "CAIRO — Talks resumed on Sunday.\nIsrael struck targets in Gaza overnight, Hamas spokesman Abu Obeida said.",
			name: "Abu Obeida", role: "spokesman|Hamas spokesman", affiliation: "Egypt"},
		// "COUNTRY was represented by its TITLE, NAME".
		{text: "ARUSHA — Leaders met on Friday.\nUganda's president stayed at home. Uganda was represented by its trade minister, Grace Nakato.",
			name: "Grace Nakato", role: "trade minister", affiliation: "Uganda"},
		// The body a spokeswoman is for, named before by its noun.
		{text: "NAIROBI, Kenya — The UN agency said on Monday that aid would resume.\n\"We are ready,\" said Mary Ode, a spokeswoman for the agency.",
			name: "Mary Ode", role: "spokeswoman", affiliation: "United Nations"},
		// Someone who represented a country, or signed for it, is that
		// country's, and the paragraph's next official with them.
		{text: "ACCRA, Ghana — Leaders met on Friday.\nJustice Minister Ruth Okafor represented Nigeria and pledged aid.",
			name: "Ruth Okafor", role: "Justice Minister", affiliation: "Nigeria"},
		{text: "OSLO, Norway — The pact was signed on Monday.\nIt was confirmed by Major General Lars Holm, commander of the Joint Command, who signed for Sweden. Defence Minister Per Berg did not attend, a spokeswoman said.",
			name: "Lars Holm", role: "commander|Major General", affiliation: "Sweden"},
		{text: "OSLO, Norway — The pact was signed on Monday.\nIt was confirmed by Major General Lars Holm, commander of the Joint Command, who signed for Sweden. Defence Minister Per Berg did not attend, a spokeswoman said.",
			name: "Per Berg", role: "Defence Minister", affiliation: "Sweden"},
	})
}

// An affiliation one article gives holds for the same person in another.
func TestAffiliationAcrossArticles(t *testing.T) {
	ps, _ := annotate(t,
		"Norwegian Foreign Minister Eva Lunde said the talks would go on.",
		"Foreign Minister Eva Lunde told reporters in Paris that she was hopeful.",
	)
	for _, p := range ps {
		if p.Name == "Eva Lunde" {
			if p.Affiliation != "Norway" || len(p.Articles) != 2 {
				t.Errorf("%+v", p)
			}
			return
		}
	}
	t.Fatalf("Eva Lunde not among %q", names(ps))
}
