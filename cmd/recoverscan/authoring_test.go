package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/recoverscan/recoverscan/output/sarifcheck"
)

// docFiles extracts the files of policies/AUTHORING.md's worked example:
// the code block after each "<!-- file: PATH -->" marker.
func docFiles(t *testing.T) (doc string, files map[string]string) {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", "policies", "AUTHORING.md"))
	if err != nil {
		t.Fatal(err)
	}
	doc = string(b)
	files = map[string]string{}
	re := regexp.MustCompile("(?s)<!-- file: (\\S+) -->\n```[a-z]*\n(.*?)```\n")
	for _, m := range re.FindAllStringSubmatch(doc, -1) {
		files[m[1]] = m[2]
	}
	if len(files) != 2 {
		t.Fatalf("AUTHORING.md: want the example rule and its test, found %v", len(files))
	}
	return doc, files
}

func writeFiles(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for rel, text := range files {
		p := filepath.Join(dir, rel)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// TestAuthoringGuideExample is the definition of done: the custom
// rule written from the docs alone runs in scan (demo), shows up in table,
// JSON and SARIF under its own id, is type-checked, is tested by `policy
// test`, and can be disabled or re-levelled from the config file.
func TestAuthoringGuideExample(t *testing.T) {
	doc, files := docFiles(t)
	dir := t.TempDir()
	writeFiles(t, dir, files)
	rules := filepath.Join(dir, "rules")
	const (
		id    = "ACME-USER-001"
		title = "Recovery code goes by SMS although the user has a verified email address"
	)

	// policy test
	code, out, stderr := runCLI(t, "policy", "test", rules)
	if code != exitOK || !strings.Contains(out, "PASS: 3/3") {
		t.Fatalf("policy test: exit %d\n%s%s", code, out, stderr)
	}
	code, out, _ = runCLI(t, "policy", "test", rules, "-v", "--coverage")
	if code != exitOK || strings.Count(out, ": PASS (") != 3 || !strings.Contains(out, "rule.rego: 100.0%") {
		t.Errorf("policy test -v --coverage: exit %d\n%s", code, out)
	}

	// table
	code, out, stderr = runCLI(t, "demo", "--no-config", "--policy", rules)
	if code != exitOK || !regexp.MustCompile(`LOW\s+`+id+`\s+1 user\s+`+regexp.QuoteMeta(title)+` — quentin`).MatchString(out) {
		t.Errorf("table: exit %d, no low %s finding for quentin\n%s%s", code, id, out, stderr)
	}

	// JSON
	report := demoJSON(t, "--no-config", "--policy", rules)
	if r := report.rule(id); r == nil || r.Title != title || r.Severity != "low" || !r.Custom || r.Params["exempt_countries"] == nil {
		t.Errorf("JSON catalogue entry: %+v", r)
	}
	if fs := report.findings(id); len(fs) != 1 || fs[0].Title != title || fs[0].Severity != "low" || fs[0].Resource.Username != "quentin" {
		t.Errorf("JSON findings: %+v", fs)
	}

	// SARIF
	if sev, results := demoSARIF(t, "--no-config", "--policy", rules); sev != "2.0" || results != 1 {
		t.Errorf("SARIF: security-severity %q, %d results", sev, results)
	}

	// The config file re-levels it (and finds the rules itself)...
	cfg := filepath.Join(dir, "recoverscan.yaml")
	write := func(text string) {
		t.Helper()
		if err := os.WriteFile(cfg, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("policies: [rules]\nrules:\n  " + id + ":\n    severity: critical\n")
	report = demoJSON(t, "--config", cfg)
	if r := report.rule(id); r == nil || r.Severity != "critical" || r.DefaultSeverity != "low" {
		t.Errorf("re-levelled catalogue entry: %+v", r)
	}
	if fs := report.findings(id); len(fs) != 1 || fs[0].Severity != "critical" {
		t.Errorf("re-levelled findings: %+v", fs)
	}
	if sev, _ := demoSARIF(t, "--config", cfg); sev != "9.5" {
		t.Errorf("re-levelled SARIF security-severity %q", sev)
	}
	code, out, _ = runCLI(t, "demo", "--config", cfg)
	if code != exitOK || !regexp.MustCompile(`CRITICAL\s+`+id).MatchString(out) {
		t.Errorf("re-levelled table:\n%s", out)
	}
	// ... sets its parameter ...
	write("policies: [rules]\nrules:\n  " + id + ":\n    params:\n      exempt_countries: [" + quentinCountry(t, report) + "]\n")
	if fs := demoJSON(t, "--config", cfg).findings(id); len(fs) != 0 {
		t.Errorf("with quentin's country exempt: %d findings", len(fs))
	}
	// ... and disables it.
	write("policies: [rules]\nrules:\n  " + id + ":\n    disabled: true\n")
	report = demoJSON(t, "--config", cfg)
	if report.rule(id) != nil || len(report.findings(id)) != 0 {
		t.Error("a disabled rule is in the report")
	}
	code, out, _ = runCLI(t, "rules", "--config", cfg)
	if code != exitOK || !regexp.MustCompile(id+`\s+low\s+user\s+`+regexp.QuoteMeta(title)+` \(custom, disabled\)`).MatchString(out) {
		t.Errorf("rules lists the disabled rule as disabled:\n%s", out)
	}
	// A strict config: a typo is an error with the file and line.
	write("policies: [rules]\nrules:\n  " + id + ":\n    disable: true\n")
	code, _, stderr = runCLI(t, "demo", "--config", cfg)
	if code != exitUsage || !strings.Contains(stderr, cfg+`:4: rules.`+id+`: unknown key "disable"`) {
		t.Errorf("config typo: exit %d, %s", code, stderr)
	}

	// Type checking and METADATA errors read as the guide shows them.
	for _, tc := range []struct{ from, to string }{
		{"input.user.email.verified\n\tnot input.user.phone.country in exempt_countries\n}\n\nreport contains report.indeterminate", "input.user.emial.verified\n\tnot input.user.phone.country in exempt_countries\n}\n\nreport contains report.indeterminate"},
		{"severity: low", "severity: severe"},
	} {
		broken := map[string]string{}
		for k, v := range files {
			broken[k] = v
		}
		const rel = "rules/user/sms_over_email/rule.rego"
		if !strings.Contains(broken[rel], tc.from) {
			t.Fatalf("the example rule no longer contains %q", tc.from)
		}
		broken[rel] = strings.Replace(broken[rel], tc.from, tc.to, 1)
		bdir := t.TempDir()
		writeFiles(t, bdir, broken)
		code, _, stderr := runCLI(t, "demo", "--no-config", "--policy", filepath.Join(bdir, "rules"))
		line := strings.TrimSpace(strings.ReplaceAll(stderr, bdir+string(filepath.Separator), ""))
		if code != exitUsage || !strings.Contains(doc, line) {
			t.Errorf("exit %d; the error\n%s\nis not the one AUTHORING.md shows", code, line)
		}
	}
}

// TestPolicyNewThenTest: a generated rule passes `policy test` as written,
// and `policy new` refuses to overwrite it.
func TestPolicyNewThenTest(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "rules")
	for _, kind := range []string{"user", "pool", "client", "sms", "email"} {
		code, out, stderr := runCLI(t, "policy", "new", "--kind", kind, "--name", "my-rule", "--dir", dir)
		if code != exitOK || !strings.Contains(out, filepath.Join(dir, kind, "my_rule", "rule.rego")) {
			t.Fatalf("policy new --kind %s: exit %d\n%s%s", kind, code, out, stderr)
		}
	}
	code, out, stderr := runCLI(t, "policy", "test", dir)
	if code != exitOK || !strings.Contains(out, "PASS: 15/15") {
		t.Fatalf("policy test: exit %d\n%s%s", code, out, stderr)
	}
	code, _, stderr = runCLI(t, "policy", "new", "--kind", "user", "--name", "my-rule", "--dir", dir)
	if code != exitUsage || !strings.Contains(stderr, "already exists") {
		t.Errorf("overwrite: exit %d, %s", code, stderr)
	}
	code, _, stderr = runCLI(t, "policy", "new", "--kind", "team", "--name", "x", "--dir", dir)
	if code != exitUsage || !strings.Contains(stderr, "want user, pool, client, sms or email") {
		t.Errorf("bad kind: exit %d, %s", code, stderr)
	}
	code, out, _ = runCLI(t, "demo", "--no-config", "--policy", dir, "--format", "json")
	if code != exitOK || !strings.Contains(out, `"CUSTOM-USER-MY-RULE"`) {
		t.Errorf("demo with the generated rules: exit %d", code)
	}
}

// TestPolicyTestExitCodes: failures exit 1 with the failing test named,
// load errors exit 2, and the built-in tests run with no directory.
func TestPolicyTestExitCodes(t *testing.T) {
	_, files := docFiles(t)
	dir := t.TempDir()
	const rel = "rules/user/sms_over_email/rule_test.rego"
	files[rel] = strings.Replace(files[rel], `{"US"}`, `{"FR"}`, 1) + "\ntest_prints if {\n\tprint(\"hello from a test\")\n}\n"
	writeFiles(t, dir, files)
	code, out, _ := runCLI(t, "policy", "test", filepath.Join(dir, "rules"))
	if code != exitFindings || !strings.Contains(out, "test_fails_when_the_code_goes_by_sms: FAIL") || !strings.Contains(out, "PASS: 3/4") || !strings.Contains(out, "FAIL: 1/4") {
		t.Errorf("failing test: exit %d\n%s", code, out)
	}
	if strings.Contains(out, "hello from a test") {
		t.Error("print output of passing tests shows only with -v")
	}
	code, out, _ = runCLI(t, "policy", "test", filepath.Join(dir, "rules"), "-v", "--run", "prints")
	if code != exitOK || !strings.Contains(out, "hello from a test") || !strings.Contains(out, "PASS: 1/1") {
		t.Errorf("-v --run: exit %d\n%s", code, out)
	}
	code, _, stderr := runCLI(t, "policy", "test", filepath.Join(dir, "rules"), "--run", "nothing-matches")
	if code != exitFindings || !strings.Contains(stderr, "no tests ran") {
		t.Errorf("no tests: exit %d, %s", code, stderr)
	}

	files[rel] = "package custom.rules.user.sms_over_email_test\n\ntest_x if {\n\thttp.send({\"method\": \"GET\", \"url\": \"https://example.com\"})\n}\n"
	bdir := t.TempDir()
	writeFiles(t, bdir, files)
	code, _, stderr = runCLI(t, "policy", "test", filepath.Join(bdir, "rules"))
	if code != exitUsage || !strings.Contains(stderr, "rule_test.rego:4: http.send is not allowed") {
		t.Errorf("load error: exit %d, %s", code, stderr)
	}

	code, out, _ = runCLI(t, "policy", "test", "--no-config")
	if code != exitOK || !regexp.MustCompile(`PASS: (\d+)/\d+`).MatchString(out) {
		t.Errorf("built-in tests: exit %d\n%s", code, out)
	}
}

type jsonRule struct {
	ID              string         `json:"id"`
	Title           string         `json:"title"`
	Severity        string         `json:"severity"`
	DefaultSeverity string         `json:"default_severity"`
	Custom          bool           `json:"custom"`
	Params          map[string]any `json:"params"`
}

type jsonFinding struct {
	RuleID   string         `json:"rule_id"`
	Title    string         `json:"title"`
	Severity string         `json:"severity"`
	Evidence map[string]any `json:"evidence"`
	Resource struct {
		Username string `json:"username"`
	} `json:"resource"`
}

type jsonReport struct {
	Rules    []jsonRule    `json:"rules"`
	Findings []jsonFinding `json:"findings"`
}

func (r *jsonReport) rule(id string) *jsonRule {
	for i := range r.Rules {
		if r.Rules[i].ID == id {
			return &r.Rules[i]
		}
	}
	return nil
}

func (r *jsonReport) findings(id string) (out []jsonFinding) {
	for _, f := range r.Findings {
		if f.RuleID == id {
			out = append(out, f)
		}
	}
	return out
}

func quentinCountry(t *testing.T, r *jsonReport) string {
	t.Helper()
	for _, f := range r.findings("ACME-USER-001") {
		if c, ok := f.Evidence["country"].(string); ok && c != "" {
			return c
		}
	}
	t.Fatal("no country in the finding's evidence")
	return ""
}

func demoJSON(t *testing.T, args ...string) *jsonReport {
	t.Helper()
	code, out, stderr := runCLI(t, append([]string{"demo", "--format", "json"}, args...)...)
	if code != exitOK {
		t.Fatalf("demo %v: exit %d: %s", args, code, stderr)
	}
	var r jsonReport
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatal(err)
	}
	return &r
}

// demoSARIF validates the demo's SARIF and returns ACME-USER-001's
// security-severity and result count.
func demoSARIF(t *testing.T, args ...string) (sev string, results int) {
	t.Helper()
	code, out, stderr := runCLI(t, append([]string{"demo", "--format", "sarif"}, args...)...)
	if code != exitOK {
		t.Fatalf("demo %v: exit %d: %s", args, code, stderr)
	}
	for _, err := range sarifcheck.Validate([]byte(out)) {
		t.Errorf("SARIF: %v", err)
	}
	var log struct {
		Runs []struct {
			Tool struct {
				Driver struct {
					Rules []struct {
						ID         string                `json:"id"`
						Short      struct{ Text string } `json:"shortDescription"`
						Properties map[string]any        `json:"properties"`
					} `json:"rules"`
				} `json:"driver"`
			} `json:"tool"`
			Results []struct {
				RuleID string `json:"ruleId"`
			} `json:"results"`
		} `json:"runs"`
	}
	if err := json.Unmarshal([]byte(out), &log); err != nil {
		t.Fatal(err)
	}
	for _, run := range log.Runs {
		for _, r := range run.Tool.Driver.Rules {
			if r.ID == "ACME-USER-001" {
				sev, _ = r.Properties["security-severity"].(string)
				if r.Short.Text != "Recovery code goes by SMS although the user has a verified email address" {
					t.Errorf("SARIF rule title %q", r.Short.Text)
				}
			}
		}
		for _, res := range run.Results {
			if res.RuleID == "ACME-USER-001" {
				results++
			}
		}
	}
	return sev, results
}
