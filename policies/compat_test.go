package policies

import (
	"context"
	"os"
	"strings"
	"testing"
)

// A snapshot can be re-evaluated later by newer rules. The demo snapshot as
// the version before the delivery-path sources wrote it (no SMS spend, End
// User Messaging, verified SES recipients or log delivery) still loads and
// evaluates, and the facts it lacks count as unread: a user whose path
// depends on them is never "can".
func TestOlderSnapshotFactsCountAsUnread(t *testing.T) {
	f, err := os.Open("testdata/compat/demo-2026-11.json")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	e, err := New(context.Background(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	r, err := e.Evaluate(context.Background(), f)
	if err != nil {
		t.Fatalf("an older snapshot no longer evaluates: %v", err)
	}
	// uma (field-ops) gets her texts through SNS in us-west-2: the
	// month's spend decides whether they still go out, and it is unknown.
	var uma []Finding
	for _, f := range r.Findings {
		if f.Resource.Username == "uma" {
			uma = append(uma, f)
		}
	}
	unread := false
	for _, f := range uma {
		if f.RuleID == "RC-USER-018" && f.Verdict == Indeterminate && strings.Contains(f.Message, "spend of the pool's SMS region was not read") {
			unread = true
		}
	}
	if !unread {
		t.Errorf("uma's SMS spend is not reported as unread: %+v", uma)
	}
	for _, p := range r.Scopes[0].Pools {
		if p.Name == "field-ops" && p.Users.Can != 0 {
			t.Errorf("field-ops: %d users can receive a code, but the spend of their SMS region was never read", p.Users.Can)
		}
	}
	if !r.Incomplete() {
		t.Error("the report is complete, but facts the rules need were not in the snapshot")
	}
}
