package index

import (
	"testing"

	"github.com/parley-bot/parley"
)

func TestFeatures(t *testing.T) {
	tests := []struct {
		text string
		want parley.Features
	}{
		{"The force of 800,000 troops.", parley.HasDigits},
		{"Roughly 20% of the territory.", parley.HasDigits},
		{"France could send several thousand troops.", parley.HasNumberWord},
		{"An initial 15-year term.", parley.HasDigits | parley.HasDuration},
		{"Guarantees spanning half a century.", parley.HasNumberWord | parley.HasDuration},
		{"It ends forever.", parley.HasDuration},
		{"The nearly four-year war.", parley.HasDuration},
		{"In the fourth year of the war.", parley.HasDuration},
		{"For the first time in years.", parley.HasDuration},
		{"The invasion in February 2022.", parley.HasDigits | parley.HasDate},
		{"Talks continue on Wednesday.", parley.HasDate},
		{"Last week, the envoy spoke.", parley.HasDate},
		{"The meeting was a milestone.", 0},
		{"A May meeting? May is ambiguous, so no date.", 0},
	}
	for _, tc := range tests {
		if got := features(tc.text); got != tc.want {
			t.Errorf("features(%q) = %04b, want %04b", tc.text, got, tc.want)
		}
	}
}
