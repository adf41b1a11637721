package blobstore

import (
	"slices"
	"strconv"
	"strings"
)

// seqInput is what KeySequenceNumber.getKeySequenceNumber looks at once
// /blobstore/<key> exists.
type seqInput struct {
	Children []string // children of /blobstore/<key>: "<host:port>-<seq>"
	Max      int      // /blobstoremaxkeysequencenumber/<key>
	Host     string   // this nimbus's host (no port)
	Leader   bool     // NimbusInfo.isLeader; always false in Storm 1.0.0's nimbus
}

// seqOutput is the sequence number to publish and, if SetMax, the new value
// of the max node.
type seqOutput struct {
	Seq    int
	SetMax bool
	NewMax int
}

// nextSequence is Storm 1.0.0's KeySequenceNumber decision for a key whose
// /blobstore/<key> node already exists (the first-create case, which sets the
// max to 1 and returns 1, is handled by the caller). Pure.
//
//   - no holders: the key's max (a nimbus re-registering after all went away);
//   - this host holds no replica and is not the leader: the max if every
//     holder is behind it, else 0 ("initial - 1": this copy is out of date);
//   - not holding but leader: max+1, bumping the max;
//   - every holder agrees on one number n: max+1 if n < max, else n+1, and
//     the max becomes max+1 (an update);
//   - otherwise (holders disagree): the largest holder number.
//
// "Holds" is Storm's substring test of the host against each child name.
// Children whose suffix is not a number are ignored (Storm would fail).
func nextSequence(in seqInput) seqOutput {
	var seqs []int
	for _, c := range in.Children {
		i := strings.LastIndexByte(c, '-')
		if i < 0 {
			continue
		}
		n, err := strconv.ParseInt(c[i+1:], 10, 32)
		if err != nil {
			continue
		}
		seqs = append(seqs, int(n))
	}
	if len(seqs) == 0 {
		return seqOutput{Seq: in.Max}
	}
	slices.Sort(seqs)
	seqs = slices.Compact(seqs)
	first, last := seqs[0], seqs[len(seqs)-1]

	holds := false
	for _, c := range in.Children {
		if strings.Contains(c, in.Host) {
			holds = true
			break
		}
	}
	switch {
	case !holds && !in.Leader:
		if last < in.Max {
			return seqOutput{Seq: in.Max}
		}
		return seqOutput{Seq: 0}
	case !holds && in.Leader:
		return seqOutput{Seq: in.Max + 1, SetMax: true, NewMax: in.Max + 1}
	case len(seqs) == 1:
		if first < in.Max {
			return seqOutput{Seq: in.Max + 1, SetMax: true, NewMax: in.Max + 1}
		}
		return seqOutput{Seq: first + 1, SetMax: true, NewMax: in.Max + 1}
	default:
		return seqOutput{Seq: last}
	}
}

// hostOf is the host part of "host:port".
func hostOf(hostPort string) string {
	if i := strings.LastIndexByte(hostPort, ':'); i >= 0 {
		return hostPort[:i]
	}
	return hostPort
}
