package plan

import (
	"bytes"
	"encoding/json"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

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

// TestUserTermMatchesFullUser: every field of the model, set, reaches the
// rule input as in the JSON form, but for the properties the schema marks
// as no rule input.
func TestUserTermMatchesFullUser(t *testing.T) {
	u := fullUser()
	want := jsonTerm(t, &u).Value.(ast.Object)
	for _, p := range notRuleInput(t) {
		want = removePath(want, strings.Split(p, "."))
	}
	if got := UserTerm(&u); !got.Equal(ast.NewTerm(want)) {
		t.Errorf("full user:\n got %v\nwant %v", got, want)
	}
}

// removePath is o without the property at path.
func removePath(o ast.Object, path []string) ast.Object {
	out := ast.NewObject()
	o.Foreach(func(k, v *ast.Term) {
		if string(k.Value.(ast.String)) != path[0] {
			out.Insert(k, v)
			return
		}
		if sub, isObj := v.Value.(ast.Object); isObj && len(path) > 1 {
			out.Insert(k, ast.NewTerm(removePath(sub, path[1:])))
		}
	})
	return out
}

// jsonTerm is v's JSON form as a Rego term.
func jsonTerm(t *testing.T, v any) *ast.Term {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	val, err := ast.ValueFromReader(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	return ast.NewTerm(val)
}

// fullUser is a user with every field of the model set to a value that is
// not its zero value, found by reflection, so that omitempty fields show.
func fullUser() snapshot.User {
	var u snapshot.User
	var fill func(v reflect.Value, n int)
	fill = func(v reflect.Value, n int) {
		switch {
		case v.Type() == reflect.TypeFor[time.Time]():
			v.Set(reflect.ValueOf(time.Date(2025, 1, 2, 3, 4, 5, n, time.UTC)))
		case v.Kind() == reflect.Struct:
			for i := range v.NumField() {
				if v.Type().Field(i).IsExported() {
					fill(v.Field(i), n*31+i+1)
				}
			}
		case v.Kind() == reflect.String:
			v.SetString(fmt.Sprintf("v%d", n))
		case v.Kind() == reflect.Bool:
			v.SetBool(true)
		case v.Kind() == reflect.Slice:
			s := reflect.MakeSlice(v.Type(), 2, 2)
			fill(s.Index(0), n*31+1)
			fill(s.Index(1), n*31+2)
			v.Set(s)
		default:
			panic(fmt.Sprintf("fullUser: no value for a %s", v.Type()))
		}
	}
	fill(reflect.ValueOf(&u).Elem(), 1)
	return u
}

// notRuleInput are the paths of the user properties the snapshot schema
// marks x-rule-input: false, found by walking the schema itself.
func notRuleInput(t *testing.T) []string {
	t.Helper()
	var doc struct {
		Definitions map[string]map[string]any `json:"definitions"`
	}
	if err := json.Unmarshal(snapshot.Schema, &doc); err != nil {
		t.Fatal(err)
	}
	var out []string
	var walk func(def map[string]any, prefix string)
	walk = func(def map[string]any, prefix string) {
		if ref, ok := def["$ref"].(string); ok {
			def = doc.Definitions[strings.TrimPrefix(ref, "#/definitions/")]
		}
		props, _ := def["properties"].(map[string]any)
		for name, p := range props {
			p := p.(map[string]any)
			if p["x-rule-input"] == false {
				out = append(out, prefix+name)
				continue
			}
			walk(p, prefix+name+".")
		}
	}
	walk(doc.Definitions["User"], "")
	if len(out) == 0 {
		t.Fatal("the schema marks no user property x-rule-input: false; the test tests nothing it should")
	}
	return out
}

// TestUserTermMatchesJSON keeps the hand-built user input equal to the
// snapshot's JSON form, which is what the schema and the rules describe.
func TestUserTermMatchesJSON(t *testing.T) {
	withError := false
	for _, u := range demoUsers(t) {
		want := jsonTerm(t, &u)
		if got := UserTerm(&u); !got.Equal(want) {
			t.Errorf("user %s:\n got %v\nwant %v", u.Username, got, want)
		}
		withError = withError || u.MFA.Read.Error != ""
	}
	if !withError {
		t.Fatal("no demo user has an MFA read error: the optional field is untested")
	}
}

// TestFactsCoverUser keeps the fact list equal to the leaves of a user's
// JSON form (arrays count as one leaf) but for the properties the schema
// marks as no rule input, so that a new field cannot be left out of the
// keys results are shared under. fullUser sets every field of the model.
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
	for _, u := range append(demoUsers(t), fullUser()) {
		walk(nil, jsonTerm(t, &u).Value)
	}
	for _, p := range notRuleInput(t) {
		delete(leaves, p)
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

// TestSubsetTerm checks the cut's input: with every fact, the whole user
// input; with some, exactly those of them the user input holds.
func TestSubsetTerm(t *testing.T) {
	users := append(demoUsers(t), fullUser())
	sets := []factSet{allFacts, 1 << factLastModifiedAt, 1<<factStatus | 1<<factMFAReadError | 1<<factMFAMethods, factsUnder([]string{"phone"})}
	for _, u := range users {
		whole := UserTerm(&u)
		if got := subsetTerm(&u, allFacts); !got.Equal(whole) {
			t.Errorf("user %s, all facts:\n got %v\nwant %v", u.Username, got, whole)
		}
		for _, s := range sets {
			want := ast.NewObject()
			s.each(func(f fact) {
				var path ast.Ref
				for _, k := range factPaths[f] {
					path = append(path, ast.StringTerm(k))
				}
				v, err := whole.Value.Find(path)
				if err != nil {
					return // an optional fact the user does not have
				}
				want = mergePath(want, factPaths[f], ast.NewTerm(v))
			})
			if got := subsetTerm(&u, s); !got.Equal(ast.NewTerm(want)) {
				t.Errorf("user %s, facts %b:\n got %v\nwant %v", u.Username, s, got, want)
			}
		}
	}
}

// mergePath is o with v at path.
func mergePath(o ast.Object, path []string, v *ast.Term) ast.Object {
	patch := v
	for i := len(path) - 1; i >= 0; i-- {
		patch = ast.ObjectTerm(ast.Item(ast.StringTerm(path[i]), patch))
	}
	merged, _ := o.Merge(patch.Value.(ast.Object))
	return merged
}
