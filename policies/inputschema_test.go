package policies

import (
	"bytes"
	"context"
	"flag"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

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
