package people_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/parley-bot/parley"
	"github.com/parley-bot/parley/index/segment"
)

// Made-up articles: their people, titles and countries appear in no seed, so
// what is found here comes from the rules and the data files.
var madeUp = []string{
	`Spanish Foreign Minister Lucía Fernández met her Portuguese counterpart in Lisbon on Monday to discuss the fishing dispute.
Fernández said the talks were “frank and productive.” She added that Madrid would host the next round in March.
“We are not there yet. But we are closer than ever,” Fernández told reporters.
Norwegian Prime Minister Erik Solvang, who chaired the session, said that Oslo stands ready to help.
Mr Solvang warned that “time is running out for a deal.”
IAEA chief Amara Okafor stated that inspectors would return next month.
A Polish defence ministry spokesman said the proposal was “unacceptable in its current form.”
Let us be clear: the delegation from the US, led by Secretary of State Daniel Reyes, arrived late.
Brazil's veteran leader, Joaquim Alves, called the plan a “historic opportunity for peace.”
The ministers also praised the new “fisheries protocol” drafted in Lisbon.
A senior official said the deal was “close but not done.”`,

	`KAZAKH LEADER MEETS ENVOY
Kazakh Interior Minister Serhiy Kovalenskyy, the government's top negotiator, arrived in Vienna on Tuesday.
Kovalenskiy said he expected “a long and difficult week.”
Sir Alistair Pembroke, Britain's special representative to the talks, said that progress had been slow.
Kovalensky and Pembroke met for three hours. He said talks would continue.
According to Pembroke, the next session will be held in Geneva.
Chilean President José Ramírez, a Kovalensky ally, sent a letter of support.
Jose Ramirez told the Chilean senate: “This is our fight too.”
Interior Minister Kowalenskyy said later that the talks were over for the week. Mr Kovalenskij then left Vienna.`,

	`“We will not accept this,” said Middle East envoy Tomas Berg.
Berg met Polish President Anna Kowalczyk in Warsaw on Friday. She said the meeting was useful.
Kowalczyk: “Poland stands ready to host the next round of talks.”
Mrs Kowalczyk and Mr Berg then met reporters. He said the talks would resume in May.
“Nothing is agreed until everything is agreed,” Kowalczyk said. “We are patient.”
Let us hope, wrote one columnist, that the envoy is right.`,

	// Wire style: datelines, straight quotes, family names first.
	`BERLIN (Reuters) - German Foreign Minister Annalena Hoffmann on Thursday urged Beijing to rein in North Korea.
"We expect China to use its influence," Hoffmann told reporters in Berlin, adding that sanctions would remain.
Chinese foreign ministry spokesman Wang Lei said China opposed "unilateral pressure".
Wang told a regular briefing that Beijing had always played a constructive role.
U.S. Secretary of State Marco Delgado, speaking in Tokyo, said Washington stood with its allies.
"This is a moment for unity," Delgado said. "No one should doubt our resolve."
Japan's Prime Minister Hiroshi Tanaka said he would meet Delgado on Friday.
Tanaka's spokeswoman, Yuki Mori, declined to comment.
The White House said President Joe Harrington would travel to Seoul next week.
Harrington, 74, has made the alliance a priority. He told CNN: "We will not blink."
South Korean President Lee Min-ho welcomed the visit, saying it showed "an alliance as strong as ever."
Lee has long pressed for closer ties. "We are grateful," he said.
EU foreign policy chief Kaja Lindqvist said in a statement that the bloc would "stand by its partners".
Asked whether sanctions would be lifted, Lindqvist replied: "Not yet."
Jean-Marc Ayrault, France's ambassador to the U.N., told the Security Council that Paris backed the plan.
Ayrault said France would "spare no effort".
"Time is short," warned Kremlin spokesman Dmitry Orlov.`,

	// British style: lower-case titles before a comma, single quotes, Mr and Ms.
	`The foreign secretary, Priya Desai, said Britain would not be "bullied".
Ms Desai told MPs: ‘We will stand firm. Nobody should doubt it.’
The shadow foreign secretary, Tom Hale, accused the government of complacency. He said ministers had "lost control of events".
Speaking to the BBC, the Irish taoiseach, Seán Ó Briain, urged calm.
Mr Ó Briain, who met the prime minister on Monday, added that Dublin was "deeply concerned".
A Downing Street spokesperson said: "The prime minister has been clear throughout."
Germany's chancellor, Olaf Brandt, and France's president, Élise Marchand, issued a joint statement.
"We stand together," the two leaders said.
Marchand later told reporters she was "optimistic about the talks".
Mrs Marchand and Mr Brandt will meet again in Rome. She said she expected progress.
Former US president Barack Okoye said on social media that the deal "falls short".
Okoye, 64, was speaking at a fundraiser in Chicago.`,

	// Two people of one surname; news agencies are no people.
	`Danish Prime Minister Karen Holm and Finance Minister Erik Holm disagreed on Tuesday.
Holm said taxes must rise.
Karen Holm said later that no decision had been taken.
Finance Minister Holm said he would publish his figures.
Associated Press said the meeting lasted two hours.
French far-right leader Jordan Bardella criticised the plan. Bardella said it was “a surrender.”`,

	// American style: dotted titles, a quotation over two paragraphs.
	`Sen. Maria Lopez said Congress would review the deal.
Gen. Viktor Stanko, the commander of Ukraine's southern forces, told reporters the front was stable.
Mr. Stanko added that “the next weeks will be decisive.” He said: “We are ready. We have trained for this.
“We have been ready for months, and our allies know it.”
Lopez, speaking after a closed briefing, called the plan “a good start.”`,

	// Two people named Voss elsewhere; a title and country tell which.
	`Japanese Trade Minister Maria Voss arrived in Lima.
Brazilian President Pedro Voss did not attend.`,
	`Japanese Trade Minister Voss said the tariff talks had stalled.
Voss is expected in Geneva next week.`,

	// Organisations that speak; particles in names.
	`Human Rights Watch said the strikes may amount to war crimes.
Amnesty International said civilians had been hit.
European Commission President Ursula von der Leyen said the bloc would respond.
Von der Leyen added that sanctions were ready.
UN Secretary-General António Guterres called for restraint. Guterres said “the world cannot afford another war.”
Crown Prince Mohammed bin Salman spoke with the king on Monday, the Saudi Press Agency said.`,

	// Titles with a qualifier and a portfolio before the head: the whole
	// title, not its last word.
	`Tendai Moyo, the bank's regional director for southern Africa, said lending would resume in June.
Ana Lima, a senior water officer at the agency, said the river was "running low."`,

	// A name that opens with an ʻokina, written as an apostrophe or as
	// the letter itself.
	`Tonga's finance minister, 'Ofa Kaufusi, said the budget was "tight but honest."
Samoa's health minister, ʻAna Leota, said clinics would reopen on Monday.`,
}

func madeUpArticles(tb testing.TB) []*parley.Article {
	tb.Helper()
	var arts []*parley.Article
	for i, text := range madeUp {
		id := "made_" + string(rune('a'+i))
		a := &parley.Article{ID: id, Text: text}
		a.Sentences = segment.Split(id, text, segment.Options{})
		if len(a.Sentences) == 0 {
			tb.Fatalf("article %s: no sentences", id)
		}
		arts = append(arts, a)
	}
	return arts
}

// sentence returns the sentence of any article containing sub.
func sentence(tb testing.TB, arts []*parley.Article, sub string) parley.Sentence {
	tb.Helper()
	for _, a := range arts {
		for _, s := range a.Sentences {
			if strings.Contains(s.Text(a), sub) {
				return s
			}
		}
	}
	tb.Fatalf("no sentence contains %q", sub)
	return parley.Sentence{}
}

func TestMadeUpPeople(t *testing.T) {
	arts := madeUpArticles(t)
	ps := newExtractor(t).Annotate(arts)
	byName := map[string]parley.Person{}
	for _, p := range ps {
		byName[p.Name] = p
	}
	tests := []struct {
		name, role, affiliation string
		aliases                 []string
	}{
		{"Lucía Fernández", "Foreign Minister", "Spain", []string{"Fernández"}},
		{"Erik Solvang", "Prime Minister", "Norway", []string{"Mr Solvang"}},
		{"Amara Okafor", "chief", "IAEA", nil},
		{"Daniel Reyes", "Secretary of State", "", nil},
		{"Joaquim Alves", "leader", "Brazil", nil},
		{"Polish defence ministry spokesman", "spokesman", "Poland", nil},
		// Three transliterations, one person.
		{"Serhiy Kovalenskyy", "Interior Minister", "Kazakhstan", []string{"Kovalenskiy", "Kovalensky", "Kowalenskyy", "Mr Kovalenskij"}},
		{"Alistair Pembroke", "special representative", "United Kingdom", []string{"Sir Alistair Pembroke"}},
		// Diacritics: the accented spelling wins a tie.
		{"José Ramírez", "President", "Chile", []string{"Jose Ramirez"}},
		// A region is no affiliation.
		{"Tomas Berg", "envoy", "", []string{"Mr Berg", "Berg"}},
		{"Anna Kowalczyk", "President", "Poland", []string{"Mrs Kowalczyk"}},
		{"Annalena Hoffmann", "Foreign Minister", "Germany", []string{"Hoffmann"}},
		{"Wang Lei", "spokesman", "China", []string{"Wang"}},
		// "U.S. Secretary of State": the dot does not end the phrase.
		{"Marco Delgado", "Secretary of State", "United States", []string{"Delgado"}},
		{"Hiroshi Tanaka", "Prime Minister", "Japan", []string{"Tanaka"}},
		// "Tanaka's spokeswoman, Yuki Mori": Tanaka's country.
		{"Yuki Mori", "spokeswoman", "Japan", nil},
		// The White House, which speaks in the same paragraph, is the
		// United States'.
		{"Joe Harrington", "President", "United States", []string{"Harrington"}},
		{"Lee Min-ho", "President", "South Korea", []string{"Lee"}},
		// The title whole: "foreign policy chief", not "chief".
		{"Kaja Lindqvist", "foreign policy chief", "European Union", []string{"Lindqvist"}},
		{"Jean-Marc Ayrault", "ambassador", "France", []string{"Ayrault"}},
		{"Dmitry Orlov", "spokesman", "Russia", nil},
		{"Priya Desai", "foreign secretary", "", []string{"Ms Desai"}},
		{"Tom Hale", "shadow foreign secretary", "", nil},
		{"Seán Ó Briain", "taoiseach", "Ireland", []string{"Mr Ó Briain"}},
		{"Downing Street spokesperson", "spokesperson", "United Kingdom", nil},
		{"Olaf Brandt", "chancellor", "Germany", []string{"Mr Brandt"}},
		{"Élise Marchand", "president", "France", []string{"Mrs Marchand", "Marchand"}},
		{"Barack Okoye", "Former president", "United States", []string{"Okoye"}},
		{"Karen Holm", "Prime Minister", "Denmark", nil},
		// The paragraph's other minister is Danish.
		{"Erik Holm", "Finance Minister", "Denmark", nil},
		// A given name that is also a country.
		{"Jordan Bardella", "leader", "France", []string{"Bardella"}},
		{"Maria Lopez", "Senator", "", []string{"Lopez"}},
		// A rank ("Gen.") is the role only when no other role is known.
		{"Viktor Stanko", "commander", "Ukraine", []string{"Mr. Stanko"}},
		{"Maria Voss", "Trade Minister", "Japan", []string{"Voss"}},
		{"Pedro Voss", "President", "Brazil", nil},
		{"Ursula von der Leyen", "President", "European Commission", []string{"Von der Leyen"}},
		{"António Guterres", "Secretary-General", "United Nations", []string{"Guterres"}},
		// The paragraph's one country: the Saudi Press Agency speaks.
		{"Mohammed bin Salman", "Crown Prince", "Saudi Arabia", nil},
		{"White House", "", "United States", nil},
		{"Saudi Press Agency", "", "Saudi Arabia", nil},
		{"Tendai Moyo", "regional director", "", nil},
		{"Ana Lima", "senior water officer", "", nil},
		{"Ofa Kaufusi", "finance minister", "Tonga", nil},
		{"ʻAna Leota", "health minister", "Samoa", nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p, ok := byName[tc.name]
			if !ok {
				t.Fatalf("%q not found among %v", tc.name, names(ps))
			}
			if p.Role != tc.role || p.Affiliation != tc.affiliation {
				t.Errorf("role, affiliation = %q, %q; want %q, %q", p.Role, p.Affiliation, tc.role, tc.affiliation)
			}
			for _, a := range tc.aliases {
				if !slices.Contains(p.Aliases, a) {
					t.Errorf("aliases %q lack %q", p.Aliases, a)
				}
			}
			if p.Mentions < 1 || len(p.Articles) == 0 || len(p.Articles) > p.Mentions {
				t.Errorf("mentions %d, articles %v", p.Mentions, p.Articles)
			}
		})
	}
	for _, p := range ps {
		for _, bad := range []string{"Lisbon", "Let", "Monday", "Vienna", "Geneva", "KAZAKH"} {
			if strings.Contains(p.Name, bad) {
				t.Errorf("%q is no person", p.Name)
			}
		}
	}
	if len(ps) != len(tests) {
		t.Errorf("%d people %v, want %d", len(ps), names(ps), len(tests))
	}
}

func names(ps []parley.Person) []string {
	var out []string
	for _, p := range ps {
		out = append(out, p.Name)
	}
	return out
}

func TestMadeUpSpeech(t *testing.T) {
	arts := madeUpArticles(t)
	newExtractor(t).Annotate(arts)
	tests := []struct {
		sentence, speaker, kind string
		people, places          []string
	}{
		{"Fernández said the talks", "Lucía Fernández", "quote", []string{"Lucía Fernández"}, nil},
		// A pronoun after a speech verb: the previous sentence's speaker.
		{"She added that Madrid", "Lucía Fernández", "paraphrase", []string{"Lucía Fernández"}, []string{"Spain"}},
		// A quotation over two sentences, attributed in the second.
		{"“We are not there yet.", "Lucía Fernández", "quote", nil, nil},
		{"But we are closer than ever", "Lucía Fernández", "quote", []string{"Lucía Fernández"}, nil},
		{"who chaired the session", "Erik Solvang", "paraphrase", []string{"Erik Solvang"}, []string{"Norway"}},
		{"Mr Solvang warned", "Erik Solvang", "quote", []string{"Erik Solvang"}, nil},
		{"inspectors would return", "Amara Okafor", "paraphrase", []string{"Amara Okafor"}, []string{"IAEA"}},
		{"unacceptable in its current form", "Polish defence ministry spokesman", "quote", []string{"Polish defence ministry spokesman"}, []string{"Poland"}},
		// "us" is no country; "US" is.
		{"Let us be clear", "", "", []string{"Daniel Reyes"}, []string{"United States"}},
		{"historic opportunity", "Joaquim Alves", "quote", []string{"Joaquim Alves"}, []string{"Brazil"}},
		// Scare quotes in narrative are no speech.
		{"fisheries protocol", "", "", nil, []string{"Portugal"}},
		// An unnamed speaker with no affiliation is no one in particular.
		{"A senior official said", "", "quote", nil, nil},
		{"a long and difficult week", "Serhiy Kovalenskyy", "quote", []string{"Serhiy Kovalenskyy"}, nil},
		{"that progress had been slow", "Alistair Pembroke", "paraphrase", []string{"Alistair Pembroke"}, []string{"United Kingdom"}},
		// Two people of unknown... one is "Sir": "he" is still unclear, as
		// Kovalenskyy is also male ("he expected").
		{"He said talks would continue", "", "paraphrase", nil, nil},
		{"According to Pembroke", "Alistair Pembroke", "paraphrase", []string{"Alistair Pembroke"}, nil},
		// One letter off, after the same title: the same man.
		{"the talks were over for the week", "Serhiy Kovalenskyy", "paraphrase", []string{"Serhiy Kovalenskyy"}, nil},
		{"This is our fight too", "José Ramírez", "quote", []string{"José Ramírez"}, []string{"Chile"}},
		// Inversion: said, then the speaker with a title.
		{"We will not accept this", "Tomas Berg", "quote", []string{"Tomas Berg"}, []string{"Middle East"}},
		// "She" with two people named and no gender known yet: no guess.
		{"She said the meeting was useful", "", "paraphrase", nil, nil},
		{"Poland stands ready", "Anna Kowalczyk", "quote", []string{"Anna Kowalczyk"}, []string{"Poland"}},
		// "He" with a Mrs and a Mr named: the man.
		{"He said the talks would resume", "Tomas Berg", "paraphrase", []string{"Tomas Berg"}, nil},
		{"Nothing is agreed", "Anna Kowalczyk", "quote", []string{"Anna Kowalczyk"}, nil},
		// A quotation after an attributed one in the same paragraph.
		{"We are patient", "Anna Kowalczyk", "quote", []string{"Anna Kowalczyk"}, nil},
		// "the envoy" is the one envoy this article named; the writer
		// speaks, not Berg.
		{"Let us hope", "", "paraphrase", []string{"Tomas Berg"}, nil},
		{"Hoffmann told reporters", "Annalena Hoffmann", "quote", []string{"Annalena Hoffmann"}, []string{"China", "Germany"}},
		{"Wang told a regular briefing", "Wang Lei", "paraphrase", []string{"Wang Lei"}, []string{"China"}},
		{"This is a moment for unity", "Marco Delgado", "quote", []string{"Marco Delgado"}, nil},
		{"No one should doubt", "Marco Delgado", "quote", nil, nil},
		// An institution speaks: no person.
		// A seat of government speaks for its country: a body.
		{"The White House said", "White House", "paraphrase", []string{"Joe Harrington", "White House"}, []string{"United States", "South Korea"}},
		{"He told CNN", "Joe Harrington", "quote", []string{"Joe Harrington"}, nil},
		{"We are grateful", "Lee Min-ho", "quote", []string{"Lee Min-ho"}, nil},
		// A short quotation is speech when someone says it.
		{"Not yet", "Kaja Lindqvist", "quote", []string{"Kaja Lindqvist"}, nil},
		{"told the Security Council", "Jean-Marc Ayrault", "paraphrase", []string{"Jean-Marc Ayrault"}, []string{"France", "United Nations"}},
		{"Time is short", "Dmitry Orlov", "quote", []string{"Dmitry Orlov"}, []string{"Russia"}},
		{"Britain would not be", "Priya Desai", "quote", []string{"Priya Desai"}, []string{"United Kingdom"}},
		// Single quotation marks over two sentences.
		{"Nobody should doubt it", "Priya Desai", "quote", []string{"Priya Desai"}, nil},
		{"lost control of events", "Tom Hale", "quote", []string{"Tom Hale"}, nil},
		{"added that Dublin", "Seán Ó Briain", "quote", []string{"Seán Ó Briain"}, []string{"Ireland"}},
		{"The prime minister has been clear", "Downing Street spokesperson", "quote", nil, []string{"United Kingdom"}},
		{"We stand together", "", "quote", nil, nil},
		{"She said she expected progress", "Élise Marchand", "paraphrase", []string{"Élise Marchand"}, nil},
		{"falls short", "Barack Okoye", "quote", []string{"Barack Okoye"}, []string{"United States"}},
		// "Holm" alone could be either.
		{"Holm said taxes must rise", "", "paraphrase", nil, nil},
		{"Karen Holm said later", "Karen Holm", "paraphrase", []string{"Karen Holm"}, nil},
		// The title tells which Holm.
		{"publish his figures", "Erik Holm", "paraphrase", []string{"Erik Holm"}, nil},
		{"Associated Press said", "", "paraphrase", nil, nil},
		{"a surrender", "Jordan Bardella", "quote", []string{"Jordan Bardella"}, nil},
		{"Congress would review", "Maria Lopez", "paraphrase", []string{"Maria Lopez"}, nil},
		{"the front was stable", "Viktor Stanko", "paraphrase", []string{"Viktor Stanko"}, []string{"Ukraine"}},
		{"the next weeks will be decisive", "Viktor Stanko", "quote", []string{"Viktor Stanko"}, nil},
		{"We have trained for this", "Viktor Stanko", "quote", []string{"Viktor Stanko"}, nil},
		// The quotation goes on in the next paragraph.
		{"We have been ready for months", "Viktor Stanko", "quote", []string{"Viktor Stanko"}, nil},
		{"a good start", "Maria Lopez", "quote", []string{"Maria Lopez"}, nil},
		{"the tariff talks had stalled", "Maria Voss", "paraphrase", []string{"Maria Voss"}, []string{"Japan"}},
		{"Voss is expected in Geneva", "", "", []string{"Maria Voss"}, nil},
		// An organisation speaks: no person, no guess.
		{"Human Rights Watch said", "", "paraphrase", nil, nil},
		{"Amnesty International said", "", "paraphrase", nil, nil},
		{"Von der Leyen added", "Ursula von der Leyen", "paraphrase", []string{"Ursula von der Leyen"}, nil},
		{"cannot afford another war", "António Guterres", "quote", []string{"António Guterres"}, nil},
		// An organisation named by its own name ("Agency") speaks as a body.
		{"Saudi Press Agency said", "Saudi Press Agency", "paraphrase", []string{"Mohammed bin Salman"}, []string{"Saudi Arabia"}},
	}
	for _, tc := range tests {
		t.Run(tc.sentence, func(t *testing.T) {
			s := sentence(t, arts, tc.sentence)
			if s.Speaker != tc.speaker || s.Kind != tc.kind {
				t.Errorf("speaker, kind = %q, %q; want %q, %q", s.Speaker, s.Kind, tc.speaker, tc.kind)
			}
			for _, p := range tc.people {
				if !slices.Contains(s.People, p) {
					t.Errorf("people %q lack %q", s.People, p)
				}
			}
			for _, p := range tc.places {
				if !slices.Contains(s.Places, p) {
					t.Errorf("places %q lack %q", s.Places, p)
				}
			}
		})
	}
	if s := sentence(t, arts, "Jordan Bardella criticised"); !slices.Equal(s.Places, []string{"France"}) {
		t.Errorf("places %q, want France alone: Jordan is a given name here", s.Places)
	}
	if s := sentence(t, arts, "Let us hope"); len(s.Places) != 0 {
		t.Errorf("“Let us hope”: places %q, want none: “us” is no country", s.Places)
	}
}
