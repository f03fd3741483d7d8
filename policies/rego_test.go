package policies

import (
	"context"
	"testing"
)

// TestRego runs every _test.rego of the built-in policies through the same
// compile path the engine uses.
func TestRego(t *testing.T) {
	results, err := RunTests(context.Background(), nil, TestOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(results) == 0 {
		t.Fatal("no Rego tests found")
	}
	for _, r := range results {
		t.Run(r.Package+"."+r.Name, func(t *testing.T) {
			switch {
			case r.Error != nil:
				t.Fatalf("%s: %v\n%s", r.Location, r.Error, r.Output)
			case r.Skip:
				t.Skipf("%s: skipped", r.Location)
			case r.Fail:
				t.Fatalf("%s: failed\n%s", r.Location, r.Output)
			}
		})
	}
}
