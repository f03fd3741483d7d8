package policies

import (
	"bytes"
	"slices"
	"strings"
	"testing"

	"github.com/open-policy-agent/opa/v1/ast"

	"github.com/recoverscan/recoverscan/collector/demo"
	"github.com/recoverscan/recoverscan/collector/snapshot"
)

// demoUsers are users with every kind of value, an MFA read error
// included, as a snapshot file holds them.
func demoUsers(t *testing.T) []snapshot.User {
	t.Helper()
	b, err := snapshot.Marshal(demo.Snapshot())
	if err != nil {
		t.Fatal(err)
	}
	s, err := snapshot.Read(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	var out []snapshot.User
	for _, r := range s.Accounts[0].Regions {
		for _, p := range r.Pools {
			out = append(out, p.Users...)
		}
	}
	return out
}

// TestUserTermMatchesJSON keeps the hand-built user input equal to the
// snapshot's JSON form, which is what the schema and the rules describe.
func TestUserTermMatchesJSON(t *testing.T) {
	withError := false
	for _, u := range demoUsers(t) {
		want, err := toTerm(&u)
		if err != nil {
			t.Fatal(err)
		}
		if got := userTerm(&u, nil); !got.Equal(want) {
			t.Errorf("user %s:\n got %v\nwant %v", u.Username, got, want)
		}
		withError = withError || u.MFA.Read.Error != ""
	}
	if !withError {
		t.Fatal("no demo user has an MFA read error: the optional field is untested")
	}
}

// TestFactsCoverUser keeps the fact list equal to the leaves of a user's
// JSON form (arrays count as one leaf), so that a new field cannot be left
// out of the keys results are shared under.
func TestFactsCoverUser(t *testing.T) {
	leaves := map[string]bool{}
	var walk func(prefix []string, v ast.Value)
	walk = func(prefix []string, v ast.Value) {
		obj, ok := v.(ast.Object)
		if !ok {
			leaves[strings.Join(prefix, ".")] = true
			return
		}
		obj.Foreach(func(k, e *ast.Term) {
			walk(append(slices.Clone(prefix), string(k.Value.(ast.String))), e.Value)
		})
	}
	for _, u := range demoUsers(t) {
		term, err := toTerm(&u)
		if err != nil {
			t.Fatal(err)
		}
		walk(nil, term.Value)
	}
	var facts []string
	for _, p := range factPaths {
		facts = append(facts, strings.Join(p, "."))
	}
	got := slices.Sorted(func(yield func(string) bool) {
		for k := range leaves {
			if !yield(k) {
				return
			}
		}
	})
	slices.Sort(facts)
	if !slices.Equal(got, facts) {
		t.Errorf("user leaves %v\n      facts %v", got, facts)
	}
}

// TestAppendKeyDistinguishes checks that keys differ exactly when a fact
// in the set differs.
func TestAppendKeyDistinguishes(t *testing.T) {
	a := demoUsers(t)[0]
	b := a
	b.Username = a.Username + "x"
	set := factSet(0)
	set.add(factStatus)
	set.add(factMFAMethods)
	if string(appendKey(nil, &a, set, nil)) != string(appendKey(nil, &b, set, nil)) {
		t.Error("users differing only outside the set got different keys")
	}
	set.add(factUsername)
	if string(appendKey(nil, &a, set, nil)) == string(appendKey(nil, &b, set, nil)) {
		t.Error("users differing in a fact of the set got the same key")
	}
	// Lengths are encoded: ["ab"] and ["a","b"] differ.
	c, d := a, a
	c.MFA.Methods, d.MFA.Methods = []string{"ab"}, []string{"a", "b"}
	if string(appendKey(nil, &c, set, nil)) == string(appendKey(nil, &d, set, nil)) {
		t.Error("method lists [ab] and [a b] got the same key")
	}
}

// TestAppendKeyAbstracts: a fact compared only with constants is keyed by
// which of them it equals.
func TestAppendKeyAbstracts(t *testing.T) {
	u := demoUsers(t)[0]
	de, fr, us := u, u, u
	de.Phone.Country, fr.Phone.Country, us.Phone.Country = "DE", "FR", "US"
	set := factSet(0)
	set.add(factPhoneCountry)
	var abs [numFacts][]ast.Value
	abs[factPhoneCountry] = []ast.Value{ast.String("US")}
	key := func(u snapshot.User) string { return string(appendKey(nil, &u, set, &abs)) }
	if key(de) != key(fr) {
		t.Error("DE and FR differ though only == \"US\" is asked")
	}
	if key(de) == key(us) {
		t.Error("DE and US share a key")
	}
	if string(appendKey(nil, &de, set, nil)) == string(appendKey(nil, &fr, set, nil)) {
		t.Error("without abstraction DE and FR must differ")
	}
}
