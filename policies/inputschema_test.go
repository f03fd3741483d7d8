package policies

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/open-policy-agent/opa/v1/ast"

	"github.com/recoverscan/recoverscan/collector/snapshot"
	"github.com/recoverscan/recoverscan/policies/internal/inputschema"
)

var updateSchemas = flag.Bool("update-schemas", false, "write schemas/input from the snapshot schema and the rules' declared counts")

// declaredCounts are the counts the built-in pool, SMS and email rules
// declare (aggregate.<name>), each described by its rule's METADATA
// title, sorted by name. It parses the rules rather than compiling them,
// so that a count not yet in the committed schema can be generated.
func declaredCounts() ([]inputschema.Count, error) {
	files, err := loadPolicyFiles(nil, testsOf{})
	if err != nil {
		return nil, err
	}
	if err := parse(files); err != nil {
		return nil, err
	}
	var out []inputschema.Count
	for _, f := range files {
		kind, _, ok := ruleKind(f.pkgPath)
		if !ok || (kind != KindPool && kind != KindSMS && kind != KindEmail) {
			continue
		}
		for _, r := range f.module.Rules {
			head := r.Head.Ref()
			if !head[0].Equal(ast.VarTerm("aggregate")) || len(head) != 2 {
				continue
			}
			name, ok := head[1].Value.(ast.String)
			if !ok {
				return nil, fmt.Errorf("%s:%d: aggregate keys are names", f.name, r.Location.Row)
			}
			title := ""
			for _, a := range r.Annotations {
				if a.Scope == "rule" {
					title = a.Title
				}
			}
			if title == "" {
				return nil, fmt.Errorf("%s:%d: aggregate.%s has no METADATA title: it describes input.users.%s in the input schema", f.name, r.Location.Row, name, name)
			}
			out = append(out, inputschema.Count{Name: string(name), Description: title})
		}
	}
	slices.SortFunc(out, func(a, b inputschema.Count) int { return strings.Compare(a.Name, b.Name) })
	return out, nil
}

// TestInputSchemasUpToDate fails when the committed input schemas are not
// what the generator makes of the snapshot schema and the rules' declared
// counts. go generate writes them (-update-schemas).
//
//go:generate go test -run ^TestInputSchemasUpToDate$ . -args -update-schemas
func TestInputSchemasUpToDate(t *testing.T) {
	counts, err := declaredCounts()
	if err != nil {
		t.Fatal(err)
	}
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
	counts, err := declaredCounts()
	if err != nil {
		t.Fatal(err)
	}
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
