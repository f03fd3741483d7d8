package snapshot_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/recoverscan/recoverscan/collector/snapshot"
)

// FuzzWalk feeds arbitrary bytes to the reader. It must never panic, must
// fail only with a *FormatError, and whatever it accepts must round-trip:
// writing what Read returned and reading that again gives the same bytes.
// What it accepts must also say one thing only: no object repeats a key
// (encoding/json matches keys ignoring case, so a case variant is a
// repeat), and every key of the input is, spelled the same, a key of the
// re-encoded snapshot at the same place, so that nothing the reader
// accepted was silently dropped or merged.
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
		in, err := keySets(data)
		if err != nil {
			t.Fatalf("accepted, but %v", err)
		}
		out, err := keySets(b1)
		if err != nil {
			t.Fatalf("re-encoded, %v", err)
		}
		for where, keys := range in {
			for k := range keys {
				// Source.error is left out when empty.
				if !out[where][k] && k != "error" {
					t.Fatalf("key %q at %s was accepted but is not in the re-encoded snapshot", k, where)
				}
			}
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

// keySets lists the keys of a JSON document's objects by where they are
// (array elements share a place: "accounts[].regions[]"), and fails on an
// object that repeats a key, exactly or in another case.
func keySets(data []byte) (map[string]map[string]bool, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	sets := map[string]map[string]bool{}
	type open struct {
		object  bool
		where   string
		seen    map[string]bool // folded keys of this object
		wantKey bool
		last    string
	}
	var stack []*open
	place := func() string {
		if len(stack) == 0 {
			return ""
		}
		top := stack[len(stack)-1]
		if top.object {
			return top.where + "." + top.last
		}
		return top.where + "[]"
	}
	for {
		tok, err := dec.Token()
		if err != nil {
			if len(stack) == 0 {
				return sets, nil
			}
			return nil, fmt.Errorf("not JSON: %w", err)
		}
		var top *open
		if len(stack) > 0 {
			top = stack[len(stack)-1]
		}
		if top != nil && top.object && top.wantKey {
			if d, ok := tok.(json.Delim); ok && d == '}' {
				stack = stack[:len(stack)-1]
				continue
			}
			k := tok.(string)
			f := strings.ToLower(strings.ToUpper(k))
			if top.seen[f] {
				return nil, fmt.Errorf("the object at %s repeats the key %q", top.where, k)
			}
			top.seen[f] = true
			if sets[top.where] == nil {
				sets[top.where] = map[string]bool{}
			}
			sets[top.where][k] = true
			top.last, top.wantKey = k, false
			continue
		}
		if top != nil && top.object {
			top.wantKey = true
		}
		switch tok {
		case json.Delim('{'):
			stack = append(stack, &open{object: true, where: place(), seen: map[string]bool{}, wantKey: true})
		case json.Delim('['):
			stack = append(stack, &open{where: place()})
		case json.Delim(']'):
			stack = stack[:len(stack)-1]
		}
	}
}
