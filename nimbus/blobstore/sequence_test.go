package blobstore

import "testing"

// Cases follow the scenario tables in Storm 1.0.0's KeySequenceNumber.
func TestNextSequence(t *testing.T) {
	tests := []struct {
		name string
		in   seqInput
		want seqOutput
	}{
		{"no holders: nimbus restarts, takes the max",
			seqInput{Children: nil, Max: 4, Host: "n1"}, seqOutput{Seq: 4}},
		{"update on the only holder",
			seqInput{Children: []string{"n1:6627-1"}, Max: 1, Host: "n1"}, seqOutput{Seq: 2, SetMax: true, NewMax: 2}},
		{"update when all holders agree",
			seqInput{Children: []string{"n1:6627-2", "n2:6627-2"}, Max: 2, Host: "n1"}, seqOutput{Seq: 3, SetMax: true, NewMax: 3}},
		{"scenario 2: holders behind the max (crashed leader had 3)",
			seqInput{Children: []string{"n2:6627-2"}, Max: 3, Host: "n2"}, seqOutput{Seq: 4, SetMax: true, NewMax: 4}},
		{"holders disagree: largest number",
			seqInput{Children: []string{"n1:6627-2", "n2:6627-1"}, Max: 2, Host: "n1"}, seqOutput{Seq: 2}},
		{"non-holder, holders behind max: the max",
			seqInput{Children: []string{"n2:6627-3"}, Max: 4, Host: "n1"}, seqOutput{Seq: 4}},
		{"non-holder, holders current: 0 (out of date)",
			seqInput{Children: []string{"n2:6627-4"}, Max: 4, Host: "n1"}, seqOutput{Seq: 0}},
		{"non-holder leader bumps the max",
			seqInput{Children: []string{"n2:6627-4"}, Max: 4, Host: "n1", Leader: true}, seqOutput{Seq: 5, SetMax: true, NewMax: 5}},
		{"holder ahead of the max (Storm returns n+1, max+1)",
			seqInput{Children: []string{"n1:6627-5"}, Max: 3, Host: "n1"}, seqOutput{Seq: 6, SetMax: true, NewMax: 4}},
		{"host matched as a substring, as Storm does",
			seqInput{Children: []string{"node10:6627-1"}, Max: 1, Host: "node1"}, seqOutput{Seq: 2, SetMax: true, NewMax: 2}},
		{"malformed children ignored",
			seqInput{Children: []string{"garbage", "n1:6627-x", "n1:6627-2"}, Max: 2, Host: "n1"}, seqOutput{Seq: 3, SetMax: true, NewMax: 3}},
		{"only malformed children: like no holders",
			seqInput{Children: []string{"garbage"}, Max: 2, Host: "n1"}, seqOutput{Seq: 2}},
	}
	for _, tc := range tests {
		if got := nextSequence(tc.in); got != tc.want {
			t.Errorf("%s: got %+v, want %+v", tc.name, got, tc.want)
		}
	}
}

func TestHostOf(t *testing.T) {
	for in, want := range map[string]string{"host:6627": "host", "host": "host", "[::1]:6627": "[::1]", "": ""} {
		if got := hostOf(in); got != want {
			t.Errorf("hostOf(%q) = %q, want %q", in, got, want)
		}
	}
}
