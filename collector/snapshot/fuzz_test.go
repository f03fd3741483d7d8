package snapshot_test

import (
	"bytes"
	"errors"
	"testing"

	"github.com/recoverscan/recoverscan/collector/snapshot"
)

// FuzzWalk feeds arbitrary bytes to the reader. It must never panic, must
// fail only with a *FormatError, and whatever it accepts must round-trip:
// writing what Read returned and reading that again gives the same bytes.
// The seed corpus is in testdata/fuzz/FuzzWalk; run the fuzzer with
//
//	go test ./collector/snapshot -run '^$' -fuzz FuzzWalk -fuzztime 1m
func FuzzWalk(f *testing.F) {
	f.Add([]byte(okDoc))
	f.Add(marshal(f, sampleSnapshot()))
	f.Fuzz(func(t *testing.T, data []byte) {
		var events []string
		walkErr := snapshot.Walk(bytes.NewReader(data), recorder(&events))
		s, err := snapshot.Read(bytes.NewReader(data))
		if (err == nil) != (walkErr == nil) {
			t.Fatalf("Read: %v, but Walk: %v", err, walkErr)
		}
		if err != nil {
			var fe *snapshot.FormatError
			if !errors.As(err, &fe) {
				t.Fatalf("error %v (%T) is not a *FormatError", err, err)
			}
			return
		}
		b1, err := snapshot.Marshal(s)
		if err != nil {
			t.Fatalf("Marshal of an accepted snapshot: %v", err)
		}
		s2, err := snapshot.Read(bytes.NewReader(b1))
		if err != nil {
			t.Fatalf("Read of a re-written snapshot: %v\n%s", err, b1)
		}
		b2, err := snapshot.Marshal(s2)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(b1, b2) {
			t.Fatalf("not a fixed point:\n%s\n%s", b1, b2)
		}
	})
}
