package policies

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/recoverscan/recoverscan/collector/demo"
	"github.com/recoverscan/recoverscan/collector/snapshot"
	"github.com/recoverscan/recoverscan/collector/synth"
	"github.com/recoverscan/recoverscan/policies/internal/plan"
)

// planRules are custom rules that read users in every way the plan tells
// apart.
const planRules = "testdata/plan/custom"

// batchOf returns the plan batch evaluating rule id.
func batchOf(t *testing.T, e *Engine, id string) plan.BatchInfo {
	t.Helper()
	var pkg string
	for _, r := range e.rules {
		if r.ID == id {
			pkg = r.Package
		}
	}
	for _, b := range e.plan.plan.Describe() {
		if slices.Contains(b.Rules, pkg) {
			return b
		}
	}
	t.Fatalf("no batch evaluates %s:\n%s", id, e.plan.plan)
	return plan.BatchInfo{}
}

// TestPlanGroups pins how the plan reads the rules: which facts each tests
// (and so keys its results by), which it only copies, and its guards.
func TestPlanGroups(t *testing.T) {
	e, err := New(context.Background(), Options{PolicyDirs: []string{planRules}})
	if err != nil {
		t.Fatal(err)
	}
	t.Log("\n" + e.plan.plan.String())
	builtin, err := New(context.Background(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	batches := builtin.plan.plan.Describe()
	if got, want := batches[0].Placeholders, []string{"email.masked", "phone.masked"}; !slices.Equal(got, want) {
		t.Errorf("built-in rules copy %v, want %v", got, want)
	}
	for _, b := range batches {
		if !b.Shared && !b.Cut {
			t.Errorf("a built-in batch is evaluated per user:\n%s", builtin.plan.plan)
		}
	}
	if n := len(batches); n != 3 {
		t.Errorf("built-in rules make %d batches, want 3 (shared, RC-USER-005, RC-USER-019):\n%s", n, builtin.plan.plan)
	}
	shared := e.plan.plan.Describe()[0]
	// Country is only compared, with "US" (built-in) and "DE" (custom);
	// the suppression reason is compared by one rule but copied by another.
	if got := fmt.Sprint(shared.Constants["phone.country"]); got != `["US" "DE"]` && got != `["DE" "US"]` {
		t.Errorf("phone.country is keyed by %s, want the constants US and DE", got)
	}
	if cs := shared.Constants["email.suppression_reason"]; cs != nil {
		t.Errorf("email.suppression_reason is copied, yet keyed by constants %v", cs)
	}
	if !shared.Shared || !slices.Contains(shared.Values, channelQuery) {
		t.Fatalf("the first batch must be the shared one, with the channel:\n%s", e.plan.plan)
	}
	if got := shared.Distinct; len(got) > 0 {
		t.Errorf("the shared batch tests distinct facts %v", got)
	}

	tests := []struct {
		id     string
		shared bool
		cut    bool
		// tested and copied list distinct facts only, in fact order.
		tested, copied []string
		guards         int
	}{
		// Built-in: masked contacts go to evidence, timestamps decide. A
		// shared batch's placeholders are those of all its rules.
		{id: "RC-USER-011", shared: true, copied: []string{"username", "sub", "email.masked", "phone.masked"}},
		{id: "RC-USER-001", shared: true, copied: []string{"username", "sub", "email.masked", "phone.masked"}},
		// Through recovery.temporary_password_expired and the days since
		// the last change: a cut, and users share by its values.
		{id: "RC-USER-005", cut: true, guards: 1},
		{id: "RC-USER-019", cut: true, guards: 2},

		{id: "ACME-USER-001", shared: true, copied: []string{"username", "sub", "email.masked", "phone.masked"}},
		{id: "ACME-USER-002", tested: []string{"username"}},
		{id: "ACME-USER-003", tested: []string{"username", "sub"}, guards: 1},
		{id: "ACME-USER-004", shared: true, copied: []string{"username", "sub", "email.masked", "phone.masked"}},
		{id: "ACME-USER-005", tested: []string{"username"}, copied: []string{"sub"}, guards: 2},
		{id: "ACME-USER-006", tested: []string{"username", "sub", "created_at", "last_modified_at", "email.masked", "phone.masked"}, guards: 1},
		{id: "ACME-USER-007", shared: true, copied: []string{"username", "sub", "email.masked", "phone.masked"}},
		{id: "ACME-USER-008", tested: []string{"created_at"}},
		{id: "ACME-USER-009", cut: true, copied: []string{"username"}},
		{id: "ACME-USER-010", tested: []string{"username"}},
		{id: "ACME-USER-011", shared: true, copied: []string{"username", "sub", "email.masked", "phone.masked"}},
	}
	for _, tt := range tests {
		b := batchOf(t, e, tt.id)
		if b.Shared != tt.shared || b.Cut != tt.cut {
			t.Errorf("%s: shared = %v, cut = %v, want %v, %v", tt.id, b.Shared, b.Cut, tt.shared, tt.cut)
			continue
		}
		if !b.Shared {
			if got := b.Distinct; !slices.Equal(got, tt.tested) {
				t.Errorf("%s: tests distinct facts %v, want %v", tt.id, got, tt.tested)
			}
			if b.Guards != tt.guards {
				t.Errorf("%s: %d guarded definitions, want %d", tt.id, b.Guards, tt.guards)
			}
		}
		if got := b.Placeholders; !slices.Equal(got, tt.copied) {
			t.Errorf("%s: copies %v, want %v", tt.id, got, tt.copied)
		}
	}
}

// planSnapshot is a synthetic snapshot with the demo's odd users added:
// every status, a username equal to its sub, and users sharing facts but
// for their names.
func planSnapshot(t *testing.T, users int) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := synth.Write(&buf, synth.Options{Users: users, Seed: 7}); err != nil {
		t.Fatal(err)
	}
	s, err := snapshot.Read(&buf)
	if err != nil {
		t.Fatal(err)
	}
	d := demo.Snapshot()
	p := &s.Accounts[0].Regions[0].Pools[0]
	for _, r := range d.Accounts[0].Regions {
		for _, dp := range r.Pools {
			p.Users = append(p.Users, dp.Users...)
		}
	}
	twin := p.Users[0]
	twin.Username, twin.Status = twin.Sub, "ARCHIVED"
	twin.CreatedAt = time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC)
	p.Users = append(p.Users, twin)
	p.UsersListed = int64(len(p.Users))
	b, err := snapshot.Marshal(s)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestPlanEqualsFullEvaluation proves the plan exact: sharing results,
// placeholders and guards give the very findings and counts of evaluating
// every rule for every user, for the built-in rules and for custom rules
// that read users in every way the plan tells apart.
func TestPlanEqualsFullEvaluation(t *testing.T) {
	snap := planSnapshot(t, 8000)
	for _, dirs := range [][]string{nil, {planRules}} {
		e, err := New(context.Background(), Options{PolicyDirs: dirs})
		if err != nil {
			t.Fatal(err)
		}
		planned, err := e.Evaluate(context.Background(), bytes.NewReader(snap))
		if err != nil {
			t.Fatal(err)
		}
		plan := e.plan
		e.plan = nil
		full, err := e.Evaluate(context.Background(), bytes.NewReader(snap))
		e.plan = plan
		if err != nil {
			t.Fatal(err)
		}
		if len(full.Findings) < 1000 {
			t.Fatalf("only %d findings: the snapshot does not exercise the rules", len(full.Findings))
		}
		got, want := findingLines(t, planned), findingLines(t, full)
		if !slices.Equal(got, want) {
			for i := range min(len(got), len(want)) {
				if got[i] != want[i] {
					t.Fatalf("rules %v: %d findings planned, %d in full; first difference:\n got %s\nwant %s", dirs, len(got), len(want), got[i], want[i])
				}
			}
			t.Fatalf("rules %v: %d findings planned, %d in full", dirs, len(got), len(want))
		}
		gs, _ := json.Marshal(planned.Scopes)
		ws, _ := json.Marshal(full.Scopes)
		if !bytes.Equal(gs, ws) {
			t.Errorf("rules %v: scopes differ:\n got %s\nwant %s", dirs, gs, ws)
		}
		t.Logf("rules %v: %d findings, identical", dirs, len(got))
	}
}

// findingLines renders findings one JSON line each, sorted, so that the
// order of entries of one rule for one user does not matter.
func findingLines(t *testing.T, r *Report) []string {
	t.Helper()
	out := make([]string, len(r.Findings))
	for i := range r.Findings {
		b, err := json.Marshal(&r.Findings[i])
		if err != nil {
			t.Fatal(err)
		}
		out[i] = string(b)
	}
	slices.Sort(out)
	return out
}

// TestPlanCustomRulesFire makes sure the custom rules above report, so
// that the equality test compares something for each of them.
func TestPlanCustomRulesFire(t *testing.T) {
	e, err := New(context.Background(), Options{PolicyDirs: []string{planRules}})
	if err != nil {
		t.Fatal(err)
	}
	r, err := e.Evaluate(context.Background(), bytes.NewReader(planSnapshot(t, 5000)))
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]int{}
	for _, f := range r.Findings {
		seen[f.RuleID]++
	}
	for i := 1; i <= 12; i++ {
		id := fmt.Sprintf("ACME-USER-%03d", i)
		if seen[id] == 0 {
			t.Errorf("%s reported nothing", id)
		}
	}
	// The twin's two entries are one once filled in.
	twins := 0
	for _, f := range r.Findings {
		if f.RuleID == "ACME-USER-007" && f.Resource.Username == f.Resource.Sub {
			twins++
		}
	}
	if twins != 1 {
		t.Errorf("the user whose username is the sub has %d ACME-USER-007 findings, want 1", twins)
	}
}

// TestProgress: the Progress callback follows every pool, users counted up
// to the pool's total, and says once when each pool is done.
func TestProgress(t *testing.T) {
	var events []Progress
	e, err := New(context.Background(), Options{Progress: func(p Progress) { events = append(events, p) }})
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := synth.Write(&buf, synth.Options{Users: 3000, Seed: 3}); err != nil {
		t.Fatal(err)
	}
	r, err := e.Evaluate(context.Background(), &buf)
	if err != nil {
		t.Fatal(err)
	}
	last := map[string]Progress{}
	done := map[string]int{}
	for _, p := range events {
		if prev, ok := last[p.PoolID]; ok && (p.UsersDone < prev.UsersDone || prev.Done) {
			t.Fatalf("pool %s: %+v after %+v", p.PoolID, p, prev)
		}
		last[p.PoolID] = p
		if p.Done {
			done[p.PoolID]++
		}
	}
	for _, s := range r.Scopes {
		for _, p := range s.Pools {
			if done[p.ID] != 1 || last[p.ID].UsersDone != p.Users.Total || last[p.ID].EstimatedUsers != p.Users.Total {
				t.Errorf("pool %s: done %d times, last %+v, want %d users", p.ID, done[p.ID], last[p.ID], p.Users.Total)
			}
		}
	}
	if len(events) <= len(done) {
		t.Errorf("only %d events for %d pools: no progress within a pool", len(events), len(done))
	}
}
