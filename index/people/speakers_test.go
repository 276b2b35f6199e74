package people_test

import (
	"testing"

	"github.com/parley-bot/parley"
)

const (
	quote      = parley.SpeechQuote
	paraphrase = parley.SpeechParaphrase
)

// Speech patterns: each row is the sentence that shows one.
func TestSpeechPatterns(t *testing.T) {
	const farm = "Chilean Agriculture Minister Rosa Ibáñez visited the valley on Monday. "
	checkSaid(t, []said{
		{farm + "Ibáñez said the harvest was late.", "harvest was late", "Rosa Ibáñez", paraphrase},
		{farm + "Ibáñez told farmers that aid would come.", "aid would come", "Rosa Ibáñez", paraphrase},
		{farm + "According to Ibáñez, the frost ruined half the crop.", "frost ruined", "Rosa Ibáñez", paraphrase},
		{farm + "Ibáñez warned that prices would rise.", "prices would rise", "Rosa Ibáñez", paraphrase},
		{farm + "Ibáñez insisted the plan was sound.", "plan was sound", "Rosa Ibáñez", paraphrase},
		// Quote first, speaker last; speaker first, quote last.
		{farm + "“We will not abandon you,” Ibáñez said.", "not abandon you", "Rosa Ibáñez", quote},
		{farm + "“We will not abandon you,” said Ibáñez.", "not abandon you", "Rosa Ibáñez", quote},
		{farm + "Ibáñez said: “The state will pay.”", "state will pay", "Rosa Ibáñez", quote},
		// "she added" after a named speaker; a quotation over two sentences.
		{farm + "Ibáñez said the fund was ready. She added that loans would be cheap.", "loans would be cheap", "Rosa Ibáñez", paraphrase},
		{farm + "“The frost came early. Nobody was ready,” Ibáñez said.", "The frost came early", "Rosa Ibáñez", quote},
		// A spokesman speaks for someone: the spokesman is the speaker.
		{"Finnish President Ilmari Koski arrived in Riga. Koski’s spokeswoman said the visit would last two days.", "visit would last", "Ilmari Koski’s spokeswoman", paraphrase},
		// An office speaks for its holder.
		{"Finnish President Ilmari Koski arrived in Riga. Koski’s office said the visit would last two days.", "visit would last", "Ilmari Koski", paraphrase},
		// Bodies speak.
		{"Greece’s coast guard said 40 people were rescued.", "40 people", "Greece’s coast guard", paraphrase},
		{"The Greek coast guard found the boat. The coast guard said in a statement that all were safe.", "all were safe", "Greek coast guard", paraphrase},
		{"The Bulgarian defence ministry issued a map. “The corridor is safe,” the ministry said.", "corridor is safe", "Bulgarian defence ministry", quote},
		{"Chile’s embassy in Lima called the report false. The embassy said it would protest.", "would protest", "Chile’s embassy", paraphrase},
		// A ministry named with its portfolio after it speaks after the
		// portfolio.
		{"Peru's ministry of mines and energy said in a statement that the permit was void.", "permit was void", "Peru's ministry of mines and energy", paraphrase},
		{"The dam was finished in May. Ghana’s Ministry of Water Resources said it would open in June.", "open in June", "Ghana’s Ministry of Water Resources", paraphrase},
		{"Officials met in Brussels. NATO said its ships would stay. The alliance said the patrols were routine.", "patrols were routine", "NATO", paraphrase},
		{"The Kremlin said the talks were pointless.", "talks were pointless", "Kremlin", paraphrase},
		{"The Kremlin said the talks were pointless. It said no date was set.", "no date was set", "Kremlin", paraphrase},
		// "It" after a person is no one.
		{"Chilean Agriculture Minister Rosa Ibáñez spoke. It said nothing new.", "nothing new", "", paraphrase},
		{"ECOWAS, the regional bloc, said it would send monitors.", "send monitors", "ECOWAS", paraphrase},
		// Organisations named by their own names speak: a bank, a court, a
		// company an apposition describes, a group an article called one.
		{"The Central Bank of Kenya said inflation had eased.", "inflation had eased", "Central Bank of Kenya", paraphrase},
		{"Malaysia’s Federal Court said the appeal would be heard in March.", "appeal would be heard", "Malaysia’s Federal Court", paraphrase},
		{"Petrobras, the Brazilian state oil company, said output rose.", "output rose", "Petrobras", paraphrase},
		{"The Karen National Union said its fighters had withdrawn.", "fighters had withdrawn", "Karen National Union", paraphrase},
		{"Talks with the Ahrar al-Jabal movement stalled on Monday. Ahrar al-Jabal said in a statement that its fighters would hold their positions.", "hold their positions", "Ahrar al-Jabal", paraphrase},
		// "The company" or "the miner": the company the article last named,
		// whatever word ends its name.
		{"Shares in Andes Copper Metals fell 4% in Lima. The company said in a statement that its permits were valid.", "permits were valid", "Andes Copper Metals", paraphrase},
		{"Shares in Andes Copper Metals fell 4% in Lima. The miner said output would rise.", "output would rise", "Andes Copper Metals", paraphrase},
		// "According to" a body, or to what it issued.
		{"According to UNICEF, three million children need help.", "three million children", "UNICEF", paraphrase},
		{"The Kenyan finance ministry issued figures. According to a statement from the ministry, debt fell.", "debt fell", "Kenyan finance ministry", paraphrase},
		// A body that speaks later in its sentence.
		{"The Kremlin on Monday rejected the plan and said talks were pointless.", "talks were pointless", "Kremlin", paraphrase},
		// "her association": the body the sentence named.
		{"The Kenya Tea Growers Association’s chair, Mary Wanjiku, was away, but her association said prices had fallen.", "prices had fallen", "Kenya Tea Growers Association", paraphrase},
		// "the Commission": the organisation named before, not a body of
		// its own.
		{"The European Commission proposed a fund. The Commission said it would open in May.", "open in May", "European Commission", paraphrase},
		// Two people of one surname: "Kim" before the second is named is
		// the first.
		{"South Korean Trade Minister Kim Min-ho hosted the talks. “We agreed on a hotline,” Kim said. The industry’s chair, Kim Ji-woo, said sales fell.", "agreed on a hotline", "Kim Min-ho", quote},
		// No body is named for "the ministry" before: no speaker.
		{"The ministry said the roads were closed.", "roads were closed", "", paraphrase},
		// A body after a preposition does not speak.
		{"A spokeswoman for the Greek government, Eleni Kostas, said the port was open.", "port was open", "Eleni Kostas", paraphrase},
	})
}

// A figure one official gives stays theirs when another is named near it.
func TestSpeakerNotNeighbour(t *testing.T) {
	checkSaid(t, []said{
		{"Latvian Defence Minister Ilze Kalnina, who met Estonian Defence Minister Toomas Saar on Monday, said Latvia would send 200 troops.", "200 troops", "Ilze Kalnina", paraphrase},
		{"Kalnina said Latvia would send 200 troops, a figure Toomas Saar, Estonia’s defence minister, called modest.\nSaar said Estonia would send 50.", "would send 50", "Toomas Saar", paraphrase},
	})
}
