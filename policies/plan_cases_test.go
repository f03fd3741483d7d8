package policies

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/recoverscan/recoverscan/collector/snapshot"
)

// caseSnapshot is planSnapshot with extra users put first in its first pool.
func caseSnapshot(t *testing.T, n int, extra func(base snapshot.User) []snapshot.User) []byte {
	t.Helper()
	s, err := snapshot.Read(bytes.NewReader(planSnapshot(t, n)))
	if err != nil {
		t.Fatal(err)
	}
	p := &s.Accounts[0].Regions[0].Pools[0]
	if extra != nil {
		p.Users = append(extra(p.Users[0]), p.Users...)
	}
	p.UsersListed = int64(len(p.Users))
	b, err := snapshot.Marshal(s)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// variant copies base under a new name and changes it.
func variant(base snapshot.User, name string, change func(u *snapshot.User)) snapshot.User {
	u := base
	u.Username, u.Sub = name, "sub-"+name
	u.MFA.Methods = slices.Clone(base.MFA.Methods)
	change(&u)
	return u
}

func caseRule(id, body string) string {
	return "# METADATA\n# title: A case\n# custom:\n#   id: " + id + "\n#   severity: low\n" + body
}

// caseEngine loads files as custom rules.
func caseEngine(t *testing.T, files map[string]string) (*Engine, error) {
	t.Helper()
	dir := t.TempDir()
	for name, text := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return New(context.Background(), Options{PolicyDirs: []string{dir}})
}

// TestPlanCases are custom rules that read users in ways that can trip
// sharing results between users: each gives the findings, in the order,
// of evaluating every rule for every user.
func TestPlanCases(t *testing.T) {
	years := func(base snapshot.User) []snapshot.User {
		var out []snapshot.User
		for i, y := range []int{2024, 2025, 2024, 2025, 2026, 2023} {
			out = append(out, variant(base, "year-"+string(rune('a'+i)), func(u *snapshot.User) {
				u.CreatedAt = time.Date(y, 5, 1, 0, 0, 0, 0, time.UTC)
			}))
		}
		return out
	}
	mfaErrors := func(base snapshot.User) []snapshot.User {
		return []snapshot.User{
			variant(base, "no-error", func(u *snapshot.User) { u.MFA.Read.Error = "" }),
			variant(base, "denied", func(u *snapshot.User) {
				u.MFA.Read.Status, u.MFA.Read.Error = snapshot.SourceDenied, "AccessDenied"
			}),
			variant(base, "no-error-2", func(u *snapshot.User) { u.MFA.Read.Error = "" }),
		}
	}
	tests := []struct {
		name  string
		files map[string]string
		extra func(snapshot.User) []snapshot.User
	}{
		{"distinct fact compared and copied", map[string]string{"r.rego": caseRule("CASE-USER-001", `package custom.rules.user.compared_copied

import data.recoverscan.lib.report

report contains report.fail("not admin", {"who": input.user.username}) if {
	input.user.username != "admin"
}
`)}, nil},
		{"function unifying its arguments", map[string]string{
			"l.rego": "package custom.lib.same\n\npair(x, x) := {\"id\": x}\n",
			"r.rego": caseRule("CASE-USER-002", `package custom.rules.user.same

import data.custom.lib.same
import data.recoverscan.lib.report

report contains report.fail("username is the sub", same.pair(input.user.username, input.user.sub)) if {
	input.user.enabled
}
`)}, nil},
		{"cut rule under with", map[string]string{
			"l.rego": "package custom.lib.yr\n\nprefix := \"2026-\"\n",
			"r.rego": caseRule("CASE-USER-003", `package custom.rules.user.cut_with

import data.custom.lib.yr
import data.recoverscan.lib.report

report contains report.fail("created in 2025", {}) if {
	recent with yr.prefix as "2025-"
}

recent if startswith(input.user.created_at, yr.prefix)
`)}, years},
		{"optional field compared", map[string]string{"r.rego": caseRule("CASE-USER-004", `package custom.rules.user.mfa_error

import data.recoverscan.lib.report

report contains report.fail("not throttled", {}) if {
	input.user.mfa.read.error != "Throttled"
	old
}

old if input.user.created_at < "2030"
`)}, mfaErrors},
		{"entries equal but for evidence that is not an object", map[string]string{"r.rego": caseRule("CASE-USER-005", `package custom.rules.user.entries

import data.recoverscan.lib.report

report contains report.fail(input.user.username, "first") if input.user.enabled

report contains report.fail(input.user.username, "second") if input.user.enabled
`)}, nil},
		{"marker-like constant", map[string]string{"r.rego": caseRule("CASE-USER-006", `package custom.rules.user.marker

import data.recoverscan.lib.report

report contains report.fail("\u0000recoverscan:username\u0000", {"who": input.user.username}) if input.user.enabled
`)}, nil},
		{"empty copied message", map[string]string{"r.rego": caseRule("CASE-USER-007", `package custom.rules.user.empty_message

import data.recoverscan.lib.report

report contains report.fail(input.user.email.masked, {}) if input.user.enabled
`)}, nil},
		{"local shadowing an input import", map[string]string{"r.rego": caseRule("CASE-USER-008", `package custom.rules.user.shadow

import data.recoverscan.lib.report
import input.user as u

report contains report.fail("seven", {}) if {
	some u in [{"status": "NOPE"}]
	u.status == "NOPE"
	endswith(input.user.username, "7")
}

unused_helper if u.enabled
`)}, nil},
		{"package function named like a built-in", map[string]string{"r.rego": caseRule("CASE-USER-009", `package custom.rules.user.own_concat

import data.recoverscan.lib.report

report contains report.fail(concat("", [input.user.username]), {}) if input.user.enabled

concat(_, parts) := "ends in 7" if endswith(parts[0], "7")
`)}, nil},
		{"entries ordered by value", map[string]string{"r.rego": caseRule("CASE-USER-010", `package custom.rules.user.order

import data.recoverscan.lib.report

report contains report.fail("a", {"id": input.user.username}) if input.user.enabled

report contains report.fail("a", {"id": "m"}) if input.user.enabled
`)}, nil},
		{"dynamic reference to a library", map[string]string{
			"l.rego": "package custom.lib.dyn\n\nseven if endswith(input.user.username, \"7\")\n",
			"r.rego": caseRule("CASE-USER-011", `package custom.rules.user.dyn

import data.recoverscan.lib.report

report contains report.fail("dyn", {}) if {
	some name in ["dyn", "other"]
	data.custom.lib[name].seven
}
`)}, nil},
		{"rule package in two files with different imports", map[string]string{
			"r.rego": caseRule("CASE-USER-012", `package custom.rules.user.two_files

import data.recoverscan.lib.report

report contains report.fail("copied", {"who": input.user.username}) if recent
`),
			"s.rego": `package custom.rules.user.two_files

import data.recoverscan.lib.report
import input.user as u

recent if u.created_at >= "2025"

report contains report.fail("tested", {"who": u.username}) if endswith(u.username, "7")
`}, years},
		// The memo keeps the values of rules that read nothing of input.user
		// across a pool's users: these read such rules in ways that must not
		// share them.
		{"pool value under a with modifier that reads the user", map[string]string{
			"l.rego": "package custom.lib.pooled\n\nname := input.pool.name\n\nlast(s) := substring(s, count(s) - 1, 1)\n",
			"r.rego": caseRule("CASE-USER-013", `package custom.rules.user.pooled_with

import data.custom.lib.pooled
import data.recoverscan.lib.report

report contains report.fail("named after the user", {}) if {
	pooled.name != ""
	n := pooled.name with input.pool.name as input.user.status
	n == "CONFIRMED"
	pooled.last(input.user.username) == "7"
}
`)}, nil},
		{"pool set with a definition that reads the user", map[string]string{
			"l.rego": "package custom.lib.tagged\n\ntags contains \"pool\" if input.pool.name != \"\"\n\ntags contains \"seven\" if endswith(input.user.username, \"7\")\n",
			"r.rego": caseRule("CASE-USER-014", `package custom.rules.user.tagged

import data.custom.lib.tagged
import data.recoverscan.lib.report

report contains report.fail("tagged seven", {}) if {
	"pool" in tagged.tags
	"seven" in tagged.tags
}
`)}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e, err := caseEngine(t, tt.files)
			if err != nil {
				t.Fatal(err)
			}
			snap := caseSnapshot(t, 300, tt.extra)
			lines := func() []string {
				r, err := e.Evaluate(context.Background(), bytes.NewReader(snap))
				if err != nil {
					t.Fatal(err)
				}
				var out []string
				for _, f := range r.Findings {
					if strings.HasPrefix(f.RuleID, "CASE-") {
						b, _ := json.Marshal(f)
						out = append(out, string(b))
					}
				}
				return out
			}
			planned := lines()
			plan := e.plan
			e.plan = nil
			full := lines()
			e.plan = plan
			if len(full) == 0 {
				t.Fatal("the rule reports nothing: the case tests nothing")
			}
			if !slices.Equal(planned, full) {
				for i := range min(len(planned), len(full)) {
					if planned[i] != full[i] {
						t.Fatalf("%d findings planned, %d in full; first difference:\n planned %s\n    full %s\n%s", len(planned), len(full), planned[i], full[i], plan.plan)
					}
				}
				t.Fatalf("%d findings planned, %d in full", len(planned), len(full))
			}
		})
	}
}

// TestRulesOutsideTheirPackage: a rule package's rules, and the built-in
// library, cannot be extended from another file.
func TestRulesOutsideTheirPackage(t *testing.T) {
	tests := []struct {
		name  string
		files map[string]string
		want  string
	}{
		{"report from a parent package", map[string]string{
			"r.rego": caseRule("CASE-USER-020", "package custom.rules.user.split\n\nimport data.recoverscan.lib.report\n\nreport contains report.fail(\"archived\", {}) if input.user.status == \"ARCHIVED\"\n"),
			"p.rego": "package custom.rules.user\n\nimport data.recoverscan.lib.report\n\nsplit.report contains report.fail(\"seven\", {}) if endswith(input.user.username, \"7\")\n",
		}, "belongs to rule CASE-USER-020"},
		{"library function from a custom file", map[string]string{
			"l.rego": "package recoverscan.lib\n\nreport.fail(m, e) := {\"verdict\": \"fail\", \"message\": m, \"evidence\": e} if e.who == \"alice\"\n",
		}, "inside the built-in library"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := caseEngine(t, tt.files)
			var le *LoadError
			if !errors.As(err, &le) || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("want a load error mentioning %q, got %v", tt.want, err)
			}
			if !strings.Contains(err.Error(), ".rego:") {
				t.Errorf("the error should name the file and line: %v", err)
			}
		})
	}
}
