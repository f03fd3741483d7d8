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

	"github.com/recoverscan/recoverscan/collector/demo"
	"github.com/recoverscan/recoverscan/collector/snapshot"
)

// writeRule writes a custom rule file under a fresh directory and returns
// the directory and the file's path.
func writeRule(t *testing.T, rel, text string) (dir, file string) {
	t.Helper()
	dir = t.TempDir()
	file = filepath.Join(dir, rel)
	if err := os.MkdirAll(filepath.Dir(file), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(file, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir, file
}

const ruleHeader = `# METADATA
# title: A custom rule
# custom:
#   id: ACME-USER-001
#   severity: low
package custom.rules.user.probe

import data.recoverscan.lib.report
`

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
			text := ruleHeader + "\nreport contains report.fail(\"x\", {}) if {\n\tinput.user.enabled\n\t" + call + "\n}\n"
			dir, file := writeRule(t, "user/probe/rule.rego", text)
			le := loadErr(t, dir)
			want := fmt.Sprintf("%s:12: %s is not allowed", file, name)
			if len(le.Problems) != 1 || !strings.Contains(le.Problems[0], want) || !strings.Contains(le.Problems[0], "sandbox") {
				t.Errorf("want one problem containing %q, got:\n%s", want, le.Error())
			}

			// The test runner compiles with the same capabilities.
			test := "package custom.rules.user.probe_test\n\ntest_probe if {\n\t" + call + "\n}\n"
			tdir, tfile := writeRule(t, "user/probe/rule_test.rego", test)
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
			text := strings.ReplaceAll(ruleHeader, "custom.rules.user.probe", "custom.rules."+tc.kind+".probe") +
				"\nreport contains report.fail(\"x\", {}) if {\n\t" + tc.body + "\n}\n"
			dir, file := writeRule(t, tc.kind+"/probe/rule.rego", text)
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
			dir, file := writeRule(t, "user/probe/rule.rego", tc.meta+"package custom.rules.user.probe\n"+body)
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
	dir, file := writeRule(t, "pool/probe/rule.rego", text)
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
	dir, _ := writeRule(t, "user/probe/rule.rego", text)
	e, err := New(context.Background(), Options{PolicyDirs: []string{dir}})
	if err != nil {
		t.Fatal(err)
	}
	data, err := snapshot.Marshal(demo.Snapshot())
	if err != nil {
		t.Fatal(err)
	}
	ex, err := e.Explain(context.Background(), bytes.NewReader(data), "us-east-1_DemoCust1", "grace")
	if err != nil {
		t.Fatal(err)
	}
	rt := ex.Walk()
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
		text := strings.ReplaceAll(ruleHeader, "probe", pkg) + "\nreport contains report.fail(\"x\", {}) if input.user.enabled\n"
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

func TestConfigParseErrors(t *testing.T) {
	for _, tc := range []struct {
		name, doc string
		line      int
		want      string
	}{
		{"unknown top key", "policies: []\nrulez: {}\n", 2, `unknown key "rulez"`},
		{"policies not a list", "policies: ./rules\n", 1, "want a list"},
		{"bad rule id", "rules:\n  rc-user-1:\n    disabled: true\n", 2, "not a rule id"},
		{"unknown rule key", "rules:\n  RC-USER-001:\n    disable: true\n", 3, `unknown key "disable"`},
		{"disabled not a bool", "rules:\n  RC-USER-001:\n    disabled: yes please\n", 3, "want true or false"},
		{"bad severity", "rules:\n  RC-USER-001:\n    severity: urgent\n", 3, `unknown severity "urgent"`},
		{"params not a map", "rules:\n  RC-USER-001:\n    params: [1]\n", 3, "want a mapping"},
		{"duplicate", "rules:\n  RC-USER-001: {disabled: true}\n  RC-USER-001: {disabled: false}\n", 3, "given twice"},
		{"not yaml", "rules: [\n", 0, "config.yaml"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParseConfig("config.yaml", []byte(tc.doc))
			var ce *ConfigError
			if !errors.As(err, &ce) || ce.Line != tc.line || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("want line %d and %q, got %v", tc.line, tc.want, err)
			}
			if tc.line > 0 && !strings.HasPrefix(err.Error(), fmt.Sprintf("config.yaml:%d: ", tc.line)) {
				t.Errorf("error should start with file:line: %v", err)
			}
		})
	}
	cfg, err := ParseConfig(filepath.Join("conf", "x.yaml"), []byte("policies: [rules, /abs/rules]\n"))
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Policies[0] != filepath.Join("conf", "rules") || cfg.Policies[1] != "/abs/rules" {
		t.Errorf("policies resolve against the config file's directory: %v", cfg.Policies)
	}
}

func TestConfigApplyErrors(t *testing.T) {
	for _, tc := range []struct {
		name, doc string
		line      int
		want      string
	}{
		{"unknown rule", "rules:\n  RC-USER-999:\n    disabled: true\n", 2, "no loaded rule has the id RC-USER-999"},
		{"unknown param", "rules:\n  RC-EMAIL-001:\n    params:\n      max_user: 5\n", 4, `RC-EMAIL-001 has no parameter "max_user" (it has max_users)`},
		{"rule without params", "rules:\n  RC-USER-001:\n    params:\n      x: 5\n", 4, "declares no custom.params"},
		{"wrong type", "rules:\n  RC-EMAIL-001:\n    params:\n      max_users: many\n", 4, "want a number like the default 1000, got a string"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg, err := ParseConfig("c.yaml", []byte(tc.doc))
			if err != nil {
				t.Fatal(err)
			}
			_, err = New(context.Background(), Options{Config: cfg})
			want := fmt.Sprintf("c.yaml:%d: ", tc.line)
			if err == nil || !strings.HasPrefix(err.Error(), want) || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("want %q...%q, got %v", want, tc.want, err)
			}
		})
	}
}

// TestConfigTunesRules: disabling, re-levelling and parameterising rules,
// built-in and custom, through the same keys.
func TestConfigTunesRules(t *testing.T) {
	dir, _ := writeRule(t, "user/probe/rule.rego", ruleHeader+"\nreport contains report.fail(\"probe\", {}) if input.user.username == \"bob\"\n")
	data, err := snapshot.Marshal(demo.Snapshot())
	if err != nil {
		t.Fatal(err)
	}
	evaluate := func(doc string) (*Engine, *Report) {
		t.Helper()
		cfg, err := ParseConfig(filepath.Join(dir, "recoverscan.yaml"), []byte(doc))
		if err != nil {
			t.Fatal(err)
		}
		e, err := New(context.Background(), Options{Config: cfg})
		if err != nil {
			t.Fatal(err)
		}
		r, err := e.Evaluate(context.Background(), bytes.NewReader(data))
		if err != nil {
			t.Fatal(err)
		}
		return e, r
	}
	count := func(r *Report, id string) (n int, sev Severity) {
		for _, f := range r.Findings {
			if f.RuleID == id {
				n++
				sev = f.Severity
			}
		}
		return n, sev
	}
	inReport := func(r *Report, id string) *Rule {
		for i := range r.Rules {
			if r.Rules[i].ID == id {
				return &r.Rules[i]
			}
		}
		return nil
	}

	// The config's policies load the custom rule; defaults apply.
	_, r := evaluate("policies: [.]\n")
	if n, sev := count(r, "ACME-USER-001"); n != 1 || sev != Low {
		t.Fatalf("custom rule: %d findings, severity %s", n, sev)
	}
	if n, _ := count(r, "RC-EMAIL-001"); n != 1 {
		t.Fatalf("RC-EMAIL-001 with the default max_users: %d findings", n)
	}

	e, r := evaluate(`policies: [.]
rules:
  ACME-USER-001:
    severity: critical
  RC-EMAIL-001:
    params:
      max_users: 100000
  RC-USER-001:
    disabled: true
`)
	if n, sev := count(r, "ACME-USER-001"); n != 1 || sev != Critical {
		t.Errorf("re-levelled custom rule: %d findings, severity %s", n, sev)
	}
	if rule := inReport(r, "ACME-USER-001"); rule == nil || rule.Severity != Critical || rule.DefaultSeverity != Low {
		t.Errorf("catalogue entry of the re-levelled rule: %+v", rule)
	}
	if n, _ := count(r, "RC-EMAIL-001"); n != 0 {
		t.Errorf("RC-EMAIL-001 with max_users 100000: %d findings", n)
	}
	if n, _ := count(r, "RC-USER-001"); n != 0 || inReport(r, "RC-USER-001") != nil {
		t.Errorf("disabled RC-USER-001: %d findings, in the report's rules: %v", n, inReport(r, "RC-USER-001") != nil)
	}
	var listed bool
	for _, rule := range e.Rules() {
		if rule.ID == "RC-USER-001" {
			listed = rule.Disabled
		}
		if rule.ID == "RC-EMAIL-001" && rule.Params["max_users"] != float64(100000) {
			t.Errorf("effective params in the catalogue: %v", rule.Params)
		}
	}
	if !listed {
		t.Error("the catalogue lists RC-USER-001 as disabled")
	}

	// The rule sees the configured value.
	_, r = evaluate("rules:\n  RC-EMAIL-001:\n    params:\n      max_users: 2\n")
	for _, f := range r.Findings {
		if f.RuleID == "RC-EMAIL-001" && fmt.Sprint(f.Evidence["threshold"]) != "2" {
			t.Errorf("RC-EMAIL-001 with max_users 2: evidence %v", f.Evidence)
		}
	}
}

// TestCustomRuleSharesTheLibrary: a custom user rule gets the same input
// as the built-in ones and the library's channel decision.
func TestCustomRuleSharesTheLibrary(t *testing.T) {
	text := ruleHeader + `
import data.recoverscan.lib.recovery

report contains report.fail(sprintf("channel %s", [recovery.chosen]), {"pool": input.pool.id, "taken_at": input.snapshot.taken_at}) if {
	input.user.username == "grace"
}
`
	dir, _ := writeRule(t, "user/probe/rule.rego", text)
	data, _ := snapshot.Marshal(demo.Snapshot())
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
	dir, file := writeRule(t, "user/probe/rule.rego", ruleHeader+"\nreport contains report.fail(\"x\", {}) if input.user.enabled\n")
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
	if err := os.WriteFile(helper, []byte(ruleHeader+"\nx := 1\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	le := loadErr(t, dir)
	if !strings.Contains(le.Error(), "package annotation redeclared") {
		t.Errorf("got %v", le)
	}
}
