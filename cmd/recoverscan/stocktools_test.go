package main

import (
	"encoding/json"
	"encoding/xml"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// stockTool returns the path of a stock tool: $env (set by .ci/run),
// else the tool on PATH. With CI=true a missing tool is a failure.
func stockTool(t *testing.T, env, name string) string {
	t.Helper()
	if p := os.Getenv(env); p != "" {
		if _, err := os.Stat(p); err != nil {
			t.Fatalf("%s=%s: %v", env, p, err)
		}
		return p
	}
	if p, err := exec.LookPath(name); err == nil {
		return p
	}
	if os.Getenv("CI") == "true" {
		t.Fatalf("%s is missing: set %s (.ci/run builds it) or put %s on PATH", name, env, name)
	}
	t.Skipf("%s not found: set %s or put it on PATH", name, env)
	return ""
}

// tool runs a stock tool in dir and returns its combined output.
func tool(t *testing.T, dir, bin string, args ...string) (string, error) {
	t.Helper()
	cmd := exec.Command(bin, args...)
	cmd.Dir = dir
	out, err := cmd.CombinedOutput()
	return string(out), err
}

// TestScaffoldPassesStockTools: a rule scaffolded into a fresh directory,
// with nothing of this repository beside it, passes stock opa test, opa
// check --strict with the input schemas, opa fmt --list and regal lint.
func TestScaffoldPassesStockTools(t *testing.T) {
	opa := stockTool(t, "RECOVERSCAN_OPA", "opa")
	regal := stockTool(t, "RECOVERSCAN_REGAL", "regal")
	dir := filepath.Join(t.TempDir(), "rules")
	for _, kind := range []string{"user", "pool", "client", "sms", "email"} {
		if code, _, stderr := runCLI(t, "policy", "new", "--kind", kind, "--name", "my-rule", "--dir", dir); code != exitOK {
			t.Fatalf("policy new --kind %s: exit %d: %s", kind, code, stderr)
		}
	}
	checks := [][]string{
		{opa, "test", "."},
		{opa, "check", "--strict", "--schema", "schemas", "."},
		{opa, "fmt", "--list", "--fail", "."},
		{regal, "lint", "--no-color", "."},
	}
	for _, c := range checks {
		out, err := tool(t, dir, c[0], c[1:]...)
		if err != nil {
			t.Fatalf("%s %s: %v\n%s", filepath.Base(c[0]), strings.Join(c[1:], " "), err, out)
		}
		t.Logf("%s %s:\n%s", filepath.Base(c[0]), strings.Join(c[1:], " "), out)
		if c[1] == "test" && !strings.Contains(out, "PASS: 15/15") {
			t.Errorf("opa test: want PASS: 15/15, got\n%s", out)
		}
		if c[1] == "lint" && !strings.Contains(out, "No violations found") {
			t.Errorf("regal lint: want no violations, got\n%s", out)
		}
	}
	if code, out, stderr := runCLI(t, "policy", "test", dir); code != exitOK || !strings.Contains(out, "PASS: 15/15") {
		t.Fatalf("recoverscan policy test: exit %d: %s%s", code, out, stderr)
	}

	// A typo in an input path fails opa check with the schemas, as it
	// fails recoverscan.
	rule := filepath.Join(dir, "user", "my_rule", "rule.rego")
	b, err := os.ReadFile(rule)
	if err != nil {
		t.Fatal(err)
	}
	typo := strings.Replace(string(b), "input.user.phone.country", "input.user.phone.countyr", 1)
	if typo == string(b) {
		t.Fatal("the user template no longer reads input.user.phone.country")
	}
	if err := os.WriteFile(rule, []byte(typo), 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := tool(t, dir, opa, "check", "--strict", "--schema", "schemas", ".")
	if err == nil || !strings.Contains(out, "countyr") {
		t.Errorf("opa check with the schemas should reject the typo: %v\n%s", err, out)
	}
	if code, _, stderr := runCLI(t, "rules", "--policy", dir); code != exitUsage || !strings.Contains(stderr, "countyr") {
		t.Errorf("recoverscan should reject the typo: exit %d: %s", code, stderr)
	}
}

// TestStaleLibraryCopy: a library copy that differs from the embedded one
// is reported with the command that refreshes it, the rules still load
// (against the embedded library), and policy init refreshes it.
func TestStaleLibraryCopy(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "rules")
	if code, _, stderr := runCLI(t, "policy", "new", "--kind", "user", "--name", "my-rule", "--dir", dir); code != exitOK {
		t.Fatalf("policy new: exit %d: %s", code, stderr)
	}
	if code, _, stderr := runCLI(t, "rules", "--policy", dir); code != exitOK || strings.Contains(stderr, "refresh") {
		t.Fatalf("a fresh copy: exit %d: %s", code, stderr)
	}
	lib := filepath.Join(dir, "lib", "report.rego")
	b, err := os.ReadFile(lib)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(lib, append(b, []byte("\n# an older version\n")...), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, stderr := runCLI(t, "rules", "--policy", dir)
	if code != exitOK || !strings.Contains(out, "CUSTOM-USER-MY-RULE") {
		t.Fatalf("a stale copy must not stop the rules loading: exit %d: %s", code, stderr)
	}
	if !strings.Contains(stderr, "recoverscan policy init "+dir) {
		t.Errorf("want a warning naming the refresh command, got %q", stderr)
	}
	if code, _, stderr := runCLI(t, "policy", "init", dir); code != exitOK {
		t.Fatalf("policy init: exit %d: %s", code, stderr)
	}
	if _, _, stderr := runCLI(t, "rules", "--policy", dir); strings.Contains(stderr, "refresh") {
		t.Errorf("after policy init the copy is current, got %q", stderr)
	}
}

// TestBundleScansLikeTheDirectory: the worked example built into a bundle
// by opa build gives the demo the same findings as its directory.
func TestBundleScansLikeTheDirectory(t *testing.T) {
	opa := stockTool(t, "RECOVERSCAN_OPA", "opa")
	_, files := docFiles(t)
	root := t.TempDir()
	writeFiles(t, root, files)
	rules := filepath.Join(root, "rules")
	if code, _, stderr := runCLI(t, "policy", "init", rules); code != exitOK {
		t.Fatalf("policy init: exit %d: %s", code, stderr)
	}
	bundle := filepath.Join(root, "rules.tar.gz")
	for _, args := range [][]string{{"build", "-b", ".", "-o", bundle}, {"build", ".", "-o", bundle + ".plain.tar.gz"}} {
		if out, err := tool(t, rules, opa, args...); err != nil {
			t.Fatalf("opa %v: %v\n%s", args, err, out)
		}
	}
	lines := func(policy string) []string {
		r := demoJSON(t, "--policy", policy)
		var out []string
		for _, f := range r.findings("ACME-USER-001") {
			ev, err := json.Marshal(f.Evidence)
			if err != nil {
				t.Fatal(err)
			}
			out = append(out, f.Resource.Username+" "+f.Severity+" "+string(ev))
		}
		slices.Sort(out)
		return out
	}
	want := lines(rules)
	if len(want) == 0 {
		t.Fatal("the worked example reports nothing in the demo")
	}
	for _, b := range []string{bundle, bundle + ".plain.tar.gz"} {
		if got := lines(b); !slices.Equal(got, want) {
			t.Errorf("%s: %d findings, the directory %d:\n got %v\nwant %v", filepath.Base(b), len(got), len(want), got, want)
		}
	}
}

// TestChannelRuleExample: AUTHORING.md's channel rule and its test, with
// the workspace policy init writes, pass recoverscan policy test and stock
// opa test and Regal, and the rule is documented with its declared channel
// and effect.
func TestChannelRuleExample(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("..", "..", "policies", "AUTHORING.md"))
	if err != nil {
		t.Fatal(err)
	}
	files := map[string]string{}
	re := regexp.MustCompile("(?s)<!-- channel-file: (\\S+) -->\n```[a-z]*\n(.*?)```\n")
	for _, m := range re.FindAllStringSubmatch(string(b), -1) {
		files[m[1]] = m[2]
	}
	if len(files) != 2 {
		t.Fatalf("AUTHORING.md: want the channel rule and its test, found %d files", len(files))
	}
	root := t.TempDir()
	writeFiles(t, root, files)
	rules := filepath.Join(root, "rules")
	if code, _, stderr := runCLI(t, "policy", "init", rules); code != exitOK {
		t.Fatalf("policy init: exit %d: %s", code, stderr)
	}
	if code, out, stderr := runCLI(t, "policy", "test", rules, "--format", "json"); code != exitOK || !strings.Contains(out, `"pass": 2`) {
		t.Fatalf("policy test: exit %d: %s%s", code, out, stderr)
	}
	code, out, stderr := runCLI(t, "rules", "ACME-SMS-001", "--policy", rules)
	if code != exitOK || !strings.Contains(out, "**Channel** sms · **effect** blocks") || !strings.Contains(out, "input.sms.region") {
		t.Fatalf("rules ACME-SMS-001: exit %d: %s%s", code, out, stderr)
	}
	opa := stockTool(t, "RECOVERSCAN_OPA", "opa")
	regal := stockTool(t, "RECOVERSCAN_REGAL", "regal")
	for _, c := range [][]string{
		{opa, "test", "."},
		{opa, "check", "--strict", "--schema", "schemas", "."},
		{opa, "fmt", "--list", "--fail", "."},
		{regal, "lint", "--no-color", "."},
	} {
		if out, err := tool(t, rules, c[0], c[1:]...); err != nil {
			t.Errorf("%s %s: %v\n%s", filepath.Base(c[0]), strings.Join(c[1:], " "), err, out)
		}
	}
}

// TestPolicyTestFormats: policy test --format junit and json describe the
// same results as the default output, failures included.
func TestPolicyTestFormats(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "rules")
	if code, _, stderr := runCLI(t, "policy", "new", "--kind", "pool", "--name", "my-rule", "--dir", dir); code != exitOK {
		t.Fatalf("policy new: exit %d: %s", code, stderr)
	}
	test := filepath.Join(dir, "pool", "my_rule", "rule_test.rego")
	b, err := os.ReadFile(test)
	if err != nil {
		t.Fatal(err)
	}
	broken := strings.Replace(string(b), "{f.evidence.max_days | some f in r} == {7}", "{f.evidence.max_days | some f in r} == {8}", 1)
	if broken == string(b) {
		t.Fatal("the pool test template changed")
	}
	if err := os.WriteFile(test, []byte(broken), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, _ := runCLI(t, "policy", "test", dir, "--format", "junit")
	if code != exitFindings {
		t.Fatalf("a failing test: exit %d, want %d", code, exitFindings)
	}
	var suites struct {
		Tests    int `xml:"tests,attr"`
		Failures int `xml:"failures,attr"`
		Suites   []struct {
			Cases []struct {
				Name    string    `xml:"name,attr"`
				Failure *struct{} `xml:"failure"`
			} `xml:"testcase"`
		} `xml:"testsuite"`
	}
	if err := xml.Unmarshal([]byte(out), &suites); err != nil {
		t.Fatalf("junit: %v\n%s", err, out)
	}
	if suites.Tests != 3 || suites.Failures != 1 || len(suites.Suites) != 1 || suites.Suites[0].Cases[0].Failure == nil || suites.Suites[0].Cases[0].Name != "test_fails_when_temporary_passwords_last_long" {
		t.Errorf("junit: %+v\n%s", suites, out)
	}
	code, out, _ = runCLI(t, "policy", "test", dir, "--format", "json", "--coverage")
	var doc struct {
		Results []struct {
			Name, Outcome string
		} `json:"results"`
		Summary  map[string]int `json:"summary"`
		Coverage *struct {
			Coverage float64 `json:"coverage"`
		} `json:"coverage"`
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil || code != exitFindings {
		t.Fatalf("json: exit %d, %v\n%s", code, err, out)
	}
	if doc.Summary["total"] != 3 || doc.Summary["fail"] != 1 || doc.Summary["pass"] != 2 || doc.Coverage == nil || doc.Coverage.Coverage == 0 {
		t.Errorf("json: %+v", doc)
	}
}
