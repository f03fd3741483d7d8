package snapshot_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"slices"
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
		var events, oldEvents []string
		walkErr := snapshot.Walk(bytes.NewReader(data), recorder(&events))
		s, err := snapshot.Read(bytes.NewReader(data))
		if (err == nil) != (walkErr == nil) {
			t.Fatalf("Read: %v, but Walk: %v", err, walkErr)
		}
		// The oracle: the reader as it was, on encoding/json, accepts
		// and refuses the same inputs and reads the same snapshot.
		oldErr := snapshot.WalkEncodingJSON(bytes.NewReader(data), recorder(&oldEvents))
		if (oldErr == nil) != (walkErr == nil) {
			t.Fatalf("Walk: %v, but the encoding/json reader: %v", walkErr, oldErr)
		}
		if walkErr == nil && !slices.Equal(events, oldEvents) {
			t.Fatalf("Walk and the encoding/json reader disagree:\n%s\n%s", strings.Join(events, "\n"), strings.Join(oldEvents, "\n"))
		}
		if walkErr == nil {
			if got, want := readVia(snapshot.Walk, data), readVia(snapshot.WalkEncodingJSON, data); !reflect.DeepEqual(got, want) {
				t.Fatalf("the snapshot read differs from the encoding/json reader's:\n%+v\n%+v", got, want)
			}
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

// readVia reads a whole snapshot with walk, as Read does with Walk.
func readVia(walk func(io.Reader, snapshot.Visitor) error, data []byte) *snapshot.Snapshot {
	s := &snapshot.Snapshot{Accounts: []snapshot.Account{}}
	var (
		acct *snapshot.Account
		reg  *snapshot.Region
		pool *snapshot.Pool
	)
	err := walk(bytes.NewReader(data), snapshot.Visitor{
		Header: func(h *snapshot.Header) error { s.Header = *h; return nil },
		Account: func(a *snapshot.Account) error {
			s.Accounts = append(s.Accounts, snapshot.Account{ID: a.ID, Identity: a.Identity, Regions: []snapshot.Region{}})
			acct = &s.Accounts[len(s.Accounts)-1]
			return nil
		},
		Region: func(_ *snapshot.Account, rg *snapshot.Region) error {
			r := *rg
			r.Pools = []snapshot.Pool{}
			acct.Regions = append(acct.Regions, r)
			reg = &acct.Regions[len(acct.Regions)-1]
			return nil
		},
		Pool: func(p *snapshot.PoolSettings) error {
			reg.Pools = append(reg.Pools, snapshot.Pool{PoolSettings: *p, Users: []snapshot.User{}})
			pool = &reg.Pools[len(reg.Pools)-1]
			return nil
		},
		User: func(u *snapshot.User) error { pool.Users = append(pool.Users, *u); return nil },
		PoolEnd: func(_ *snapshot.PoolSettings, read snapshot.Source, n int64) error {
			pool.UsersRead, pool.UsersListed = read, n
			return nil
		},
	})
	if err != nil {
		return nil
	}
	return s
}
