package policies

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func writeFile(t *testing.T, content string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "suppressions.yaml")
	if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestLoadSuppressionsErrors(t *testing.T) {
	tests := map[string]struct{ doc, want string }{
		"unknown key": {"suppressions:\n  - rule: RC-POOL-001\n    reason: x\n    expires: 2030-01-01\n    pools: y\n", "line 5: field pools not found"},
		"bad date":    {"suppressions:\n  - rule: RC-POOL-001\n    reason: x\n    expires: 31/12/2030\n", ":2: expires \"31/12/2030\""},
		"no expiry":   {"suppressions:\n  - rule: RC-POOL-001\n    reason: x\n", ":2: a suppression needs an expiry date"},
		"no reason":   {"suppressions:\n  - rule: RC-POOL-001\n    expires: 2030-01-01\n", ":2: a suppression needs a reason"},
		"bad pattern": {"suppressions:\n  - rule: RC-POOL-001\n    pool: '[abc'\n    reason: x\n    expires: 2030-01-01\n", ":2: pool pattern \"[abc\""},
		"wrong type":  {"suppressions:\n  - rule: [1, 2]\n    reason: x\n    expires: 2030-01-01\n", "line 2"},
		"not a list":  {"suppressions: yes\n", "line 1"},
		"unknown top": {"suppresions: []\n", "field suppresions not found"},
		"not yaml":    {"suppressions:\n  - rule: [\n", "yaml"},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			_, err := LoadSuppressions(writeFile(t, tt.doc))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %v, want it to contain %q", err, tt.want)
			}
		})
	}
	if _, err := LoadSuppressions(filepath.Join(t.TempDir(), "missing.yaml")); err == nil {
		t.Error("a missing suppression file is an error")
	}
}

func TestSuppress(t *testing.T) {
	file := writeFile(t, `suppressions:
  - rule: RC-POOL-001
    pool: us-east-1_Staff*
    reason: help desk resets by design
    expires: 2026-11-30
  - rule: RC-USER-*
    user: test-*
    reason: synthetic test users
    expires: 2026-01-01
  - rule: RC-CLIENT-001
    reason: never matches
    expires: 2030-01-01
`)
	entries, err := LoadSuppressions(file)
	if err != nil {
		t.Fatal(err)
	}
	r := &Report{Findings: []Finding{
		{RuleID: "RC-POOL-001", Resource: Resource{PoolID: "us-east-1_StaffPool"}},
		{RuleID: "RC-POOL-001", Resource: Resource{PoolID: "us-east-1_Other"}},
		{RuleID: "RC-USER-001", Resource: Resource{PoolID: "p", Username: "test-1"}},
	}}
	r.Suppress(file, entries, time.Date(2026, 11, 30, 23, 0, 0, 0, time.UTC))
	if r.Findings[0].Suppressed == nil || !strings.HasSuffix(r.Findings[0].Suppressed.Where, ":2") {
		t.Errorf("the matching pool finding is not suppressed by line 2: %+v", r.Findings[0].Suppressed)
	}
	if r.Findings[1].Suppressed != nil {
		t.Error("a finding about another pool was suppressed")
	}
	if r.Findings[2].Suppressed != nil {
		t.Error("an expired entry still suppresses")
	}
	s := r.Suppressions
	if s.Suppressed != 1 || len(s.Expired) != 1 || s.Expired[0].Rule != "RC-USER-*" || len(s.Unused) != 1 || s.Unused[0].Rule != "RC-CLIENT-001" {
		t.Errorf("suppression report %+v", s)
	}
	if n := len(r.Unsuppressed().Findings); n != 2 {
		t.Errorf("Unsuppressed kept %d findings, want 2", n)
	}
	// The day after the expiry date the entry no longer applies.
	r.Findings[0].Suppressed = nil
	r.Suppress(file, entries, time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC))
	if r.Findings[0].Suppressed != nil {
		t.Error("an entry suppresses after its expiry date")
	}
}
