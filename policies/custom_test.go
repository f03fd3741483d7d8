package policies

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/recoverscan/recoverscan/policies/policytest"
)

// loadErr loads the built-in rules plus dir and returns the load error.
func loadErr(t *testing.T, dir string) *LoadError {
	t.Helper()
	_, err := New(context.Background(), Options{PolicyDirs: []string{dir}})
	var le *LoadError
	if !errors.As(err, &le) {
		t.Fatalf("want a LoadError, got %v", err)
	}
	for _, line := range strings.Split(le.Error(), "\n") {
		if strings.HasPrefix(line, "\t") || strings.HasPrefix(line, " ") {
			t.Errorf("error lines must not be continuation lines:\n%s", le.Error())
		}
	}
	return le
}

// TestSandboxRefusesBuiltins proves that a policy cannot reach the network,
// the environment or the clock: each builtin is refused at load time, with
// the file, the line and the builtin named, in a rule and in a test alike.
func TestSandboxRefusesBuiltins(t *testing.T) {
	calls := map[string]string{
		"http.send":              `http.send({"method": "GET", "url": "https://example.com"}).status_code == 200`,
		"net.lookup_ip_addr":     `count(net.lookup_ip_addr("example.com")) > 0`,
		"net.cidr_contains":      `net.cidr_contains("10.0.0.0/8", "10.1.2.3")`,
		"opa.runtime":            `opa.runtime().env.HOME != ""`,
		"time.now_ns":            `time.now_ns() > 0`,
		"rand.intn":              `rand.intn("x", 10) > 0`,
		"uuid.rfc4122":           `uuid.rfc4122("x") != ""`,
		"providers.aws.sign_req": `providers.aws.sign_req({}, {}, 0) != {}`,
	}
	for name, call := range calls {
		t.Run(name, func(t *testing.T) {
			text := policytest.RuleHeader + "\nreport contains report.fail(\"x\", {}) if {\n\tinput.user.enabled\n\t" + call + "\n}\n"
			dir, file := policytest.WriteRule(t, "user/probe/rule.rego", text)
			le := loadErr(t, dir)
			want := fmt.Sprintf("%s:12: %s is not allowed", file, name)
			if len(le.Problems) != 1 || !strings.Contains(le.Problems[0], want) || !strings.Contains(le.Problems[0], "sandbox") {
				t.Errorf("want one problem containing %q, got:\n%s", want, le.Error())
			}

			// The test runner compiles with the same capabilities.
			test := "package custom.rules.user.probe_test\n\ntest_probe if {\n\t" + call + "\n}\n"
			tdir, tfile := policytest.WriteRule(t, "user/probe/rule_test.rego", test)
			_, err := RunTests(context.Background(), []string{tdir}, TestOptions{})
			if err == nil || !strings.Contains(err.Error(), fmt.Sprintf("%s:4: %s is not allowed", tfile, name)) {
				t.Errorf("policy test: want the builtin refused, got %v", err)
			}
		})
	}
}

// TestCapabilitiesKeepPureBuiltins: the sandbox removes only what reaches
// outside; ordinary builtins stay.
func TestCapabilitiesKeepPureBuiltins(t *testing.T) {
	have := map[string]bool{}
	for _, b := range capabilities().Builtins {
		have[b.Name] = true
	}
	for _, name := range []string{"sprintf", "regex.match", "time.parse_rfc3339_ns", "object.union", "rego.metadata.chain", "print"} {
		if !have[name] {
			t.Errorf("%s should be allowed", name)
		}
	}
	for name := range have {
		if deniedBuiltin(name) != "" {
			t.Errorf("%s should be denied", name)
		}
	}
	if len(capabilities().AllowNet) != 0 {
		t.Error("AllowNet must be empty")
	}
}

// TestTypoInInputIsALoadError: a custom rule reading a field the snapshot
// model does not have is refused with the file, the line and the path.
func TestTypoInInputIsALoadError(t *testing.T) {
	for _, tc := range []struct {
		kind, body, want string
	}{
		{"user", "input.user.emial.verified", `input.user has no field "emial" (it has: `},
		{"user", "input.pool.account_recovery.mechansims[_].name == \"x\"", "input.pool.account_recovery has no field \"mechansims\""},
		{"pool", "input.users.by_chanel.sms > 0", "input.users has no field \"by_chanel\""},
		{"client", "input.client.secret", "input.client has no field \"secret\""},
		{"email", "input.email.account.max_send > 0", "input.email.account has no field \"max_send\""},
		{"sms", "input.user.enabled", "input has no field \"user\""},
	} {
		t.Run(tc.kind+" "+tc.want, func(t *testing.T) {
			text := strings.ReplaceAll(policytest.RuleHeader, "custom.rules.user.probe", "custom.rules."+tc.kind+".probe") +
				"\nreport contains report.fail(\"x\", {}) if {\n\t" + tc.body + "\n}\n"
			dir, file := policytest.WriteRule(t, tc.kind+"/probe/rule.rego", text)
			le := loadErr(t, dir)
			if len(le.Problems) != 1 || !strings.HasPrefix(le.Problems[0], file+":11: ") || !strings.Contains(le.Problems[0], tc.want) {
				t.Errorf("want %s:11: ... %s, got:\n%s", file, tc.want, le.Error())
			}
			if !strings.Contains(le.Problems[0], "not in the snapshot model") {
				t.Errorf("the error should say the path is not in the snapshot model: %s", le.Problems[0])
			}
		})
	}
}

// TestMetadataErrors: missing or invalid METADATA names the file and the
// line of the offending key.
func TestMetadataErrors(t *testing.T) {
	body := "\nimport data.recoverscan.lib.report\n\nreport contains report.fail(\"x\", {}) if input.user.enabled\n"
	for _, tc := range []struct {
		name, meta string
		line       int
		want       string
	}{
		{"no metadata", "", 1, "has no METADATA block"},
		{"no title", "# METADATA\n# custom:\n#   id: ACME-USER-001\n#   severity: low\n", 1, "missing title"},
		{"no id", "# METADATA\n# title: t\n# custom:\n#   severity: low\n", 1, "missing custom.id"},
		{"bad id", "# METADATA\n# title: t\n# custom:\n#   severity: low\n#   id: acme_1\n", 5, `custom.id "acme_1" must look like`},
		{"reserved prefix", "# METADATA\n# title: t\n# custom:\n#   id: RC-USER-900\n#   severity: low\n", 4, "prefix RC- is reserved"},
		{"no severity", "# METADATA\n# title: t\n# custom:\n#   id: ACME-USER-001\n", 1, "missing custom.severity"},
		{"bad severity", "# METADATA\n# title: t\n# custom:\n#   id: ACME-USER-001\n#   severity: severe\n", 5, `unknown severity "severe"`},
		{"unknown key", "# METADATA\n# title: t\n# custom:\n#   id: ACME-USER-001\n#   severity: low\n#   severtiy: high\n", 6, "unknown key custom.severtiy"},
		{"bad params", "# METADATA\n# title: t\n# custom:\n#   id: ACME-USER-001\n#   severity: low\n#   params: 7\n", 6, "custom.params must be a mapping"},
		{"bad explain", "# METADATA\n# title: t\n# custom:\n#   id: ACME-USER-001\n#   severity: low\n#   explain: channel\n", 6, `custom.explain channel is not a step of the recovery route (want status or enabled)`},
		{"bad blocks_recovery", "# METADATA\n# title: t\n# custom:\n#   id: ACME-USER-001\n#   severity: low\n#   blocks_recovery: maybe\n", 6, "blocks_recovery must be true or false"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir, file := policytest.WriteRule(t, "user/probe/rule.rego", tc.meta+"package custom.rules.user.probe\n"+body)
			le := loadErr(t, dir)
			want := fmt.Sprintf("%s:%d: ", file, tc.line)
			if len(le.Problems) != 1 || !strings.HasPrefix(le.Problems[0], want) || !strings.Contains(le.Problems[0], tc.want) {
				t.Errorf("want %q ... %q, got:\n%s", want, tc.want, le.Error())
			}
		})
	}
}

// TestExplainOnlyForUserRules: custom.explain places a user rule's findings
// in a user's recovery route; a pool rule has no place there.
func TestExplainOnlyForUserRules(t *testing.T) {
	text := "# METADATA\n# title: t\n# custom:\n#   id: ACME-POOL-001\n#   severity: low\n#   explain: status\npackage custom.rules.pool.probe\n\n" +
		"import data.recoverscan.lib.report\n\nreport contains report.fail(\"x\", {}) if input.pool.mfa.configuration == \"OFF\"\n"
	dir, file := policytest.WriteRule(t, "pool/probe/rule.rego", text)
	le := loadErr(t, dir)
	if len(le.Problems) != 1 || !strings.HasPrefix(le.Problems[0], file+":6: ") || !strings.Contains(le.Problems[0], "only user rules") {
		t.Errorf("want %s:6: ... only user rules, got:\n%s", file, le.Error())
	}
}

// TestCustomStatusRuleIsTheStatusStep: a custom user rule that declares
// custom.explain: status is the route's status step, not a step of its own,
// and its fix comes first.
func TestCustomStatusRuleIsTheStatusStep(t *testing.T) {
	text := "# METADATA\n# title: t\n# custom:\n#   id: ACME-USER-001\n#   severity: low\n#   explain: status\n#   remediation: ask the help desk\npackage custom.rules.user.probe\n\n" +
		"import data.recoverscan.lib.report\n\nreport contains report.fail(\"the user is on leave\", {}) if input.user.username == \"grace\"\n"
	dir, _ := policytest.WriteRule(t, "user/probe/rule.rego", text)
	e, err := New(context.Background(), Options{PolicyDirs: []string{dir}})
	if err != nil {
		t.Fatal(err)
	}
	data := demoSnapshot(t)
	ex, err := e.Explain(context.Background(), bytes.NewReader(data), "us-east-1_DemoCust1", "grace")
	if err != nil {
		t.Fatal(err)
	}
	rt := ex.Route()
	var status *Step
	for i, s := range rt.Steps {
		if s.Name == "status" {
			status = &rt.Steps[i]
		}
		if s.Name == "ACME-USER-001" {
			t.Errorf("a rule that declares explain: status got a step of its own: %+v", s)
		}
	}
	if status == nil || status.State != StepFail || !strings.Contains(status.Detail, "the user is on leave") {
		t.Errorf("status step %+v, want the rule's failing finding", status)
	}
	if len(rt.Fixes) == 0 || rt.Fixes[0] != "ACME-USER-001: ask the help desk" {
		t.Errorf("fixes %q, want the status rule's first", rt.Fixes)
	}
}

func TestCustomIDMayNotCollide(t *testing.T) {
	dir := t.TempDir()
	for i, pkg := range []string{"a", "b"} {
		text := strings.ReplaceAll(policytest.RuleHeader, "probe", pkg) + "\nreport contains report.fail(\"x\", {}) if input.user.enabled\n"
		_ = i
		if err := os.MkdirAll(filepath.Join(dir, "user", pkg), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, "user", pkg, "rule.rego"), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	le := loadErr(t, dir)
	if !strings.Contains(le.Error(), "rule id ACME-USER-001 is already used by custom.rules.user.a") {
		t.Errorf("got %v", le)
	}
}

// TestCustomRuleSharesTheLibrary: a custom user rule gets the same input
// as the built-in ones and the library's channel decision.
func TestCustomRuleSharesTheLibrary(t *testing.T) {
	text := policytest.RuleHeader + `
import data.recoverscan.lib.recovery

report contains report.fail(sprintf("channel %s", [recovery.chosen]), {"pool": input.pool.id, "taken_at": input.snapshot.taken_at}) if {
	input.user.username == "grace"
}
`
	dir, _ := policytest.WriteRule(t, "user/probe/rule.rego", text)
	data := demoSnapshot(t)
	e, err := New(context.Background(), Options{PolicyDirs: []string{dir}})
	if err != nil {
		t.Fatal(err)
	}
	r, err := e.Evaluate(context.Background(), bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	var found bool
	for _, f := range r.Findings {
		if f.RuleID == "ACME-USER-001" {
			found = true
			if f.Message != "channel sms" || f.Title != "A custom rule" || f.Resource.Username != "grace" || f.Evidence["pool"] != f.Resource.PoolID {
				t.Errorf("finding: %+v", f)
			}
		}
	}
	if !found {
		t.Error("no finding of the custom rule")
	}
}

func TestSplitRulePackageAndDuplicateDirs(t *testing.T) {
	dir, file := policytest.WriteRule(t, "user/probe/rule.rego", policytest.RuleHeader+"\nreport contains report.fail(\"x\", {}) if input.user.enabled\n")
	// The same directory twice (flag and config) loads once.
	if _, err := New(context.Background(), Options{PolicyDirs: []string{dir, dir, filepath.Join(dir, "user")}}); err != nil {
		t.Fatal(err)
	}
	// Helpers beside the rule, in its package, are part of the rule.
	helper := filepath.Join(dir, "user", "probe", "helpers.rego")
	if err := os.WriteFile(helper, []byte("package custom.rules.user.probe\n\nx := 1\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	e, err := New(context.Background(), Options{PolicyDirs: []string{dir}})
	if err != nil {
		t.Fatalf("a rule package with a helper file: %v", err)
	}
	if rules := e.Rules(); !slices.ContainsFunc(rules, func(r Rule) bool { return r.ID == "ACME-USER-001" && r.File == file }) {
		t.Errorf("the rule should be listed from %s: %v", file, rules)
	}
	// Package METADATA in two of its files is ambiguous.
	if err := os.WriteFile(helper, []byte(policytest.RuleHeader+"\nx := 1\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	le := loadErr(t, dir)
	if !strings.Contains(le.Error(), "package annotation redeclared") {
		t.Errorf("got %v", le)
	}
}
