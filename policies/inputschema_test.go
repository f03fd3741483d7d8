package policies

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/recoverscan/recoverscan/collector/snapshot"
	"github.com/recoverscan/recoverscan/policies/internal/inputschema"
)

var updateSchemas = flag.Bool("update-schemas", false, "write schemas/input from the snapshot schema and the rules' declared counts")

// builtinCounts are the counts the built-in rules declare; each must
// have a METADATA title, which describes it in the committed schema.
func builtinCounts(t *testing.T) []inputschema.Count {
	t.Helper()
	files, err := loadPolicyFiles(nil, testsOf{})
	if err != nil {
		t.Fatal(err)
	}
	if err := parse(files); err != nil {
		t.Fatal(err)
	}
	counts := declaredCounts(files)
	for _, c := range counts {
		if strings.HasPrefix(c.Description, "Users for whom data.") {
			t.Errorf("aggregate.%s has no METADATA title: it describes input.users.%s in the input schema", c.Name, c.Name)
		}
	}
	return counts
}

// TestInputSchemasUpToDate fails when the committed input schemas are not
// what the generator makes of the snapshot schema and the rules' declared
// counts. go generate writes them (-update-schemas).
//
//go:generate go test -run ^TestInputSchemasUpToDate$ . -args -update-schemas
func TestInputSchemasUpToDate(t *testing.T) {
	counts := builtinCounts(t)
	if len(counts) == 0 {
		t.Fatal("no built-in rule declares a count: the parse found nothing")
	}
	files, err := inputschema.Generate(snapshot.Schema, counts)
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join("schemas", "input")
	for name, want := range files {
		path := filepath.Join(dir, name)
		if *updateSchemas {
			if err := os.WriteFile(path, want, 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		got, err := os.ReadFile(path)
		if err != nil || !bytes.Equal(got, want) {
			t.Errorf("policies/schemas/input/%s is stale or missing; regenerate it with: go generate ./policies", name)
		}
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if _, ok := files[e.Name()]; !ok {
			t.Errorf("policies/schemas/input/%s is not generated; remove it or add it to the generator", e.Name())
		}
	}
}

// TestDeclaredCountsAreTheEngines checks that the parse finds the counts
// the engine finds in the compiled rules.
func TestDeclaredCountsAreTheEngines(t *testing.T) {
	counts := builtinCounts(t)
	var parsed []string
	for _, c := range counts {
		parsed = append(parsed, c.Name)
	}
	e, err := New(context.Background(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	var engine []string
	for _, a := range e.aggs {
		engine = append(engine, a.names...)
	}
	slices.Sort(engine)
	if !slices.Equal(parsed, engine) {
		t.Errorf("parsed counts %v, the engine's %v", parsed, engine)
	}
}

// TestEngineInputsMatchSchemas validates every client, user and pool input
// the engine gives the rules, evaluating the demo snapshot, against the
// committed input schemas that rule authors type-check with.
func TestEngineInputsMatchSchemas(t *testing.T) {
	schemas := map[Kind]*jsonschema.Schema{}
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	for _, k := range []Kind{KindClient, KindUser, KindPool} {
		name := string(k) + ".json"
		b, err := os.ReadFile(filepath.Join("schemas", "input", name))
		if err != nil {
			t.Fatal(err)
		}
		doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(b))
		if err != nil {
			t.Fatal(err)
		}
		if err := c.AddResource(name, doc); err != nil {
			t.Fatal(err)
		}
		if schemas[k], err = c.Compile(name); err != nil {
			t.Fatalf("compile %s: %v", name, err)
		}
	}
	validate := func(k Kind, in ast.Value) error {
		v, err := ast.JSON(in)
		if err != nil {
			t.Fatal(err)
		}
		b, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(b))
		if err != nil {
			t.Fatal(err)
		}
		return schemas[k].Validate(doc)
	}

	e, err := New(context.Background(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	data := demoSnapshot(t)
	seen := map[Kind]int{}
	var lastUser ast.Object
	ev := &evaluation{emit: func(*Finding) error { return nil }, inputs: func(k Kind, in ast.Value) error {
		if err := validate(k, in); err != nil {
			t.Errorf("a %s input does not match its schema: %#v", k, err)
		}
		seen[k]++
		if k == KindUser {
			lastUser = in.(ast.Object)
		}
		return nil
	}}
	if _, err := e.evaluate(context.Background(), bytes.NewReader(data), ev); err != nil {
		t.Fatal(err)
	}
	if seen[KindClient] == 0 || seen[KindUser] == 0 || seen[KindPool] == 0 {
		t.Fatalf("the demo snapshot gave %v inputs", seen)
	}

	// The schemas are closed: a misspelt field does not validate.
	user := lastUser.Get(ast.StringTerm("user")).Value.(ast.Object).Copy()
	user.Insert(ast.StringTerm("emial_verified"), ast.BooleanTerm(true))
	bad := lastUser.Copy()
	bad.Insert(ast.StringTerm("user"), ast.NewTerm(user))
	if validate(KindUser, bad) == nil {
		t.Error("a user with an unknown field validates")
	}
}

// TestCustomRuleReadsDeliveryEntries: a custom rule may read every field
// of input.delivery's entries that the engine gives; the type check at
// load knows them.
func TestCustomRuleReadsDeliveryEntries(t *testing.T) {
	_, err := caseEngine(t, map[string]string{"r.rego": caseRule("CASE-USER-015", `package custom.rules.user.delivery_fields

import data.recoverscan.lib.report

report contains report.fail("an SMS account blocks it", {"exception": e.exception}) if {
	some e in input.delivery.sms.blocks
	e.kind == "sms"
	e.region != ""
}
`)})
	if err != nil {
		t.Fatal(err)
	}
}
