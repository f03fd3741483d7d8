package policies

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestNewRulePassesItsTests: every kind's generated rule loads, is
// type-checked, and passes its generated tests (failing, passing and
// indeterminate cases) out of the box.
func TestNewRulePassesItsTests(t *testing.T) {
	dir := t.TempDir()
	for _, k := range []Kind{KindUser, KindPool, KindClient, KindSMS, KindEmail} {
		if _, err := (NewRule{Kind: k, Name: "my-" + string(k) + "-rule"}).Write(dir); err != nil {
			t.Fatal(err)
		}
	}
	run, err := Test(context.Background(), []string{dir}, TestOptions{Coverage: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(run.Results) != 15 {
		t.Errorf("%d tests ran, want 3 per kind", len(run.Results))
	}
	for _, r := range run.Results {
		if !r.Pass() {
			t.Errorf("%s.%s: fail %v, error %v\n%s", r.Package, r.Name, r.Fail, r.Error, r.Output)
		}
		if !strings.HasPrefix(r.Location.File, dir) {
			t.Errorf("a built-in test ran: %s", r.Location.File)
		}
	}
	for file, fr := range run.Coverage.Files {
		if !strings.HasPrefix(file, dir) {
			t.Errorf("coverage reports a file outside the rules under test: %s", file)
		}
		if fr.Coverage < 100 {
			t.Errorf("%s: coverage %.1f%%, not covered %v", file, fr.Coverage, fr.NotCovered)
		}
	}
	e, err := New(context.Background(), Options{PolicyDirs: []string{dir}})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]Rule{}
	for _, r := range e.Rules() {
		got[r.ID] = r
	}
	r, ok := got["CUSTOM-USER-MY-USER-RULE"]
	if !ok || !r.Custom || r.Kind != KindUser || r.Package != "custom.rules.user.my_user_rule" || r.Params["allowed_countries"] == nil {
		t.Errorf("generated user rule in the catalogue: %+v", r)
	}
}

func TestNewRuleRefusesToOverwriteAndBadNames(t *testing.T) {
	dir := t.TempDir()
	n := NewRule{Kind: KindPool, Name: "Stale Passwords", ID: "ACME-POOL-001"}
	paths, err := n.Write(dir)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{filepath.Join(dir, "pool", "stale_passwords", "rule.rego"), filepath.Join(dir, "pool", "stale_passwords", "rule_test.rego")}
	if strings.Join(paths, ",") != strings.Join(want, ",") {
		t.Errorf("paths %v, want %v", paths, want)
	}
	b, _ := os.ReadFile(want[0])
	if !strings.Contains(string(b), "package custom.rules.pool.stale_passwords") || !strings.Contains(string(b), "id: ACME-POOL-001") {
		t.Errorf("rule.rego:\n%s", b)
	}
	if _, err := n.Write(dir); err == nil || !strings.Contains(err.Error(), "already exists") {
		t.Errorf("second write: %v", err)
	}
	for _, bad := range []NewRule{
		{Kind: "team", Name: "x"},
		{Kind: KindUser, Name: "9lives"},
		{Kind: KindUser, Name: "x", ID: "RC-USER-900"},
		{Kind: KindUser, Name: "x", ID: "lower-case"},
	} {
		if _, err := bad.Files(); err == nil {
			t.Errorf("%+v: no error", bad)
		}
	}
}
