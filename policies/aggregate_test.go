package policies

import (
	"bytes"
	"context"
	"fmt"
	"maps"
	"strconv"
	"strings"
	"testing"

	"github.com/recoverscan/recoverscan/collector/snapshot"
)

// TestAggregateCounts: RC-POOL-014's count, declared per user in the rule
// and evaluated through the plan, is the number of CONFIRMED users
// without a verified email address or phone number, planned or in full.
func TestAggregateCounts(t *testing.T) {
	snap, want := countedSnapshot(t, 3000, func(p *snapshot.Pool) {
		p.Triggers.PreSignUp = "arn:aws:lambda:us-east-1:111122223333:function:presignup"
	}, func(u *snapshot.User) bool {
		return u.Status == snapshot.StatusConfirmed && !(u.Email.Present && u.Email.Verified) && !(u.Phone.Present && u.Phone.Verified)
	})
	e, err := New(context.Background(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	counts := func() map[string]float64 {
		r, err := e.Evaluate(context.Background(), bytes.NewReader(snap))
		if err != nil {
			t.Fatal(err)
		}
		got := map[string]float64{}
		for _, f := range r.Findings {
			if f.RuleID == "RC-POOL-014" && f.Verdict == Fail {
				n, err := strconv.ParseFloat(fmt.Sprint(f.Evidence["confirmed_without_verified_contact"]), 64)
				if err != nil {
					t.Fatalf("%s: evidence %v", f.RuleID, f.Evidence)
				}
				got[f.Resource.PoolID] = n
			}
		}
		return got
	}
	planned := counts()
	p := e.plan
	e.plan = nil
	full := counts()
	e.plan = p
	total := 0.0
	for id, n := range want {
		total += n
		if planned[id] != n || full[id] != n {
			t.Errorf("pool %s: %v planned, %v in full, want %v", id, planned[id], full[id], n)
		}
	}
	if total == 0 {
		t.Fatal("no CONFIRMED user without a verified contact: the test tests nothing")
	}
	if len(planned) != len(want) {
		t.Errorf("RC-POOL-014 reports pools %v, want %v", planned, want)
	}
}

// TestAggregateRefused: a count must be a name the engine does not fill
// itself, declared by one rule.
func TestAggregateRefused(t *testing.T) {
	pool := func(id, pkg, name string) string {
		return caseRule(id, "package custom.rules.pool."+pkg+`

import data.recoverscan.lib.report

# METADATA
# schemas:
#   - input: schema.input.user
aggregate.`+name+` if input.user.enabled

report contains report.fail("counted", {}) if input.users.listed > 0
`)
	}
	tests := []struct {
		name  string
		files map[string]string
		want  string
	}{
		{"engine's count", map[string]string{"r.rego": pool("CASE-POOL-001", "listed", "listed")}, "input.users.listed is the engine's"},
		{"counted twice", map[string]string{
			"r.rego": pool("CASE-POOL-002", "one", "confirmed_without_verified_contact"),
		}, "already counted by"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := caseEngine(t, tt.files)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("want a load error mentioning %q, got %v", tt.want, err)
			}
		})
	}
}

// TestCustomRuleReadsItsCount: a custom pool rule that declares a count
// reads it, checked against the input schema, and gets the number of
// users it holds for.
func TestCustomRuleReadsItsCount(t *testing.T) {
	e, err := caseEngine(t, map[string]string{"r.rego": caseRule("CASE-POOL-009", `package custom.rules.pool.enabled_users

import data.recoverscan.lib.report

# METADATA
# title: Users who are enabled.
# schemas:
#   - input: schema.input.user
aggregate.enabled_users if input.user.enabled

report contains report.fail("counted", {"enabled_users": input.users.enabled_users}) if input.users.enabled_users > 0
`)})
	if err != nil {
		t.Fatal(err)
	}
	snap, want := countedSnapshot(t, 500, nil, func(u *snapshot.User) bool { return u.Enabled })
	r, err := e.Evaluate(context.Background(), bytes.NewReader(snap))
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]float64{}
	for _, f := range r.Findings {
		if f.RuleID == "CASE-POOL-009" {
			n, err := strconv.ParseFloat(fmt.Sprint(f.Evidence["enabled_users"]), 64)
			if err != nil {
				t.Fatalf("evidence %v", f.Evidence)
			}
			got[f.Resource.PoolID] = n
		}
	}
	if len(want) == 0 || !maps.Equal(got, want) {
		t.Errorf("counts %v, want %v", got, want)
	}
}

// TestCustomCountTypeChecked: reading a count no rule declares stays a
// load error.
func TestCustomCountTypeChecked(t *testing.T) {
	_, err := caseEngine(t, map[string]string{"r.rego": caseRule("CASE-POOL-010", `package custom.rules.pool.undeclared

import data.recoverscan.lib.report

report contains report.fail("counted", {}) if input.users.nobody_declared_this > 0
`)})
	if err == nil || !strings.Contains(err.Error(), "nobody_declared_this") {
		t.Fatalf("want a load error naming the undeclared count, got %v", err)
	}
}

// countedSnapshot is planSnapshot(t, n) with change applied to every pool
// (when not nil), and the number of users of each pool that counted holds
// for, by pool id.
func countedSnapshot(t *testing.T, n int, change func(p *snapshot.Pool), counted func(u *snapshot.User) bool) ([]byte, map[string]float64) {
	t.Helper()
	s, err := snapshot.Read(bytes.NewReader(planSnapshot(t, n)))
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]float64{}
	for ai := range s.Accounts {
		for ri := range s.Accounts[ai].Regions {
			for pi := range s.Accounts[ai].Regions[ri].Pools {
				p := &s.Accounts[ai].Regions[ri].Pools[pi]
				if change != nil {
					change(p)
				}
				for i := range p.Users {
					if counted(&p.Users[i]) {
						want[p.ID]++
					}
				}
			}
		}
	}
	snap, err := snapshot.Marshal(s)
	if err != nil {
		t.Fatal(err)
	}
	return snap, want
}
