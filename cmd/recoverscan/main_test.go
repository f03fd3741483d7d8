package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// runCLI runs the command line in-process.
func runCLI(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code = run(context.Background(), args, &out, &errOut)
	return code, out.String(), errOut.String()
}

func TestVersion(t *testing.T) {
	code, out, _ := runCLI(t, "version")
	if code != exitOK || !strings.HasPrefix(out, "recoverscan ") {
		t.Fatalf("version: code %d, output %q", code, out)
	}
}

func TestUsageErrors(t *testing.T) {
	t.Setenv("RECOVERSCAN_PSEUDONYM_KEY", "")
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"unknown flag", []string{"scan", "--regoin", "us-east-1"}, "unknown flag: --regoin"},
		{"unknown command", []string{"scna"}, "unknown command"},
		{"nothing to scan", []string{"scan"}, "--region REGION"},
		{"bad format", []string{"demo", "--format", "xml"}, `--format "xml"`},
		{"bad fail-on", []string{"demo", "--fail-on", "severe"}, "--fail-on"},
		{"snapshot and region", []string{"scan", "--snapshot", "x.json", "--region", "us-east-1"}, "cannot be combined"},
		{"collect without output", []string{"collect", "--region", "us-east-1"}, "-o FILE"},
		{"stray argument", []string{"rules", "RC-USER-001", "extra"}, "accepts at most 1 arg"},
		{"unknown rule", []string{"rules", "NOPE-USER-001"}, "no rule NOPE-USER-001"},
		{"pseudonymize without a key", []string{"collect", "--region", "us-east-1", "-o", "x.json", "--pseudonymize"}, "RECOVERSCAN_PSEUDONYM_KEY"},
		{"explain without a user", []string{"explain", "--pool", "us-east-1_x"}, "--user"},
		{"missing key file", []string{"collect", "--region", "us-east-1", "-o", "x.json", "--pseudonymize", "--pseudonym-key-file", "/nonexistent/key"}, "--pseudonym-key-file"},
		{"bad rate limits", []string{"collect", "--region", "us-east-1", "-o", "x.json", "--rate-limits", "ListUser=5"}, "--rate-limits"},
		{"zero rate limit", []string{"scan", "--region", "us-east-1", "--rate-limits", "ListUsers=0"}, "positive number"},
		{"validate without a file", []string{"validate"}, "accepts 1 arg"},
		{"negative eval timeout", []string{"demo", "--eval-timeout", "-1s"}, "--eval-timeout -1s"},
		{"bad eval memory", []string{"demo", "--eval-memory", "lots"}, "--eval-memory"},
		{"bad format in a list", []string{"demo", "--format", "sarif,xml", "-o", "x"}, `--format "xml"`},
		{"format twice", []string{"demo", "--format", "sarif,sarif", "-o", "x"}, "given twice"},
		{"several formats to stdout", []string{"demo", "--format", "sarif,markdown"}, "--output-dir"},
		{"output-dir and a path", []string{"demo", "--format", "sarif", "--output-dir", "d", "-o", "a/b"}, "base name"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, stderr := runCLI(t, tt.args...)
			if code != exitUsage {
				t.Errorf("exit code %d, want %d; stderr: %s", code, exitUsage, stderr)
			}
			if !strings.Contains(stderr, tt.want) {
				t.Errorf("stderr %q does not mention %q", stderr, tt.want)
			}
			if !strings.Contains(stderr, "Did you mean") && strings.Count(strings.TrimSpace(stderr), "\n") > 1 {
				t.Errorf("usage errors should be short, got:\n%s", stderr)
			}
		})
	}
}

// TestBadRateLimitsEnv: a malformed $RECOVERSCAN_RATE_LIMITS is a usage
// error, not a silent fall back to the defaults.
func TestBadRateLimitsEnv(t *testing.T) {
	t.Setenv("RECOVERSCAN_RATE_LIMITS", "ListUsers=fast")
	code, _, stderr := runCLI(t, "collect", "--region", "us-east-1", "-o", filepath.Join(t.TempDir(), "x.json"))
	if code != exitUsage || !strings.Contains(stderr, "RECOVERSCAN_RATE_LIMITS") {
		t.Errorf("exit %d, stderr %q; want a usage error naming the variable", code, stderr)
	}
}

// TestValidate: validate counts a good snapshot and rejects a truncated
// one with the position.
func TestValidate(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "demo.json")
	if code, _, stderr := runCLI(t, "demo", "--write-snapshot", good); code != exitOK {
		t.Fatalf("demo: exit %d: %s", code, stderr)
	}
	code, out, stderr := runCLI(t, "validate", good)
	if code != exitOK || !strings.Contains(out, "valid snapshot: accounts 1, regions 3, pools 11 (not completely listed: 0), users 24") {
		t.Fatalf("validate: exit %d, out %q, stderr %q", code, out, stderr)
	}
	b, err := os.ReadFile(good)
	if err != nil {
		t.Fatal(err)
	}
	cut := filepath.Join(dir, "cut.json")
	if err := os.WriteFile(cut, b[:len(b)/2], 0o600); err != nil {
		t.Fatal(err)
	}
	code, _, stderr = runCLI(t, "validate", cut)
	if code != exitUsage || !strings.Contains(stderr, "truncated") || !strings.Contains(stderr, "at byte") {
		t.Errorf("truncated: exit %d, stderr %q", code, stderr)
	}
}

func TestBadSnapshots(t *testing.T) {
	dir := t.TempDir()
	write := func(name, content string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	tests := []struct {
		name, path, want string
	}{
		{"missing", filepath.Join(dir, "nope.json"), "no such file"},
		{"not json", write("text.json", "hello"), "not a snapshot"},
		{"truncated", write("cut.json", `{"schema_version":1,"taken_at":"2026-01-01T00:00:00Z","tool":{"name":"x","version":"1"},"pseudonymized":false,"accounts":[{"id":"1","identity_read":`), "truncated"},
		{"future version", write("v9.json", `{"schema_version":9,"accounts":[]}`), "newer recoverscan"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, stderr := runCLI(t, "scan", "--snapshot", tt.path)
			if code != exitUsage {
				t.Errorf("exit code %d, want %d; stderr: %s", code, exitUsage, stderr)
			}
			if !strings.Contains(stderr, tt.want) {
				t.Errorf("stderr %q does not mention %q", stderr, tt.want)
			}
		})
	}
}

func TestDemo(t *testing.T) {
	code, out, stderr := runCLI(t, "demo")
	if code != exitOK {
		t.Fatalf("demo: exit %d\n%s", code, stderr)
	}
	for _, want := range []string{"customers", "RC-USER-001", "cannot"} {
		if !strings.Contains(out, want) {
			t.Errorf("demo table does not mention %q", want)
		}
	}
}

func TestDemoFailOn(t *testing.T) {
	code, _, stderr := runCLI(t, "demo", "--fail-on", "critical")
	if code != exitFindings {
		t.Fatalf("demo --fail-on critical: exit %d, want %d\n%s", code, exitFindings, stderr)
	}
}

func TestDemoSnapshotRoundTrip(t *testing.T) {
	dir := t.TempDir()
	snap := filepath.Join(dir, "demo.json")
	sarif := filepath.Join(dir, "out.sarif")
	if code, _, stderr := runCLI(t, "demo", "--write-snapshot", snap, "--format", "json", "-o", filepath.Join(dir, "demo-report.json")); code != exitOK {
		t.Fatalf("demo --write-snapshot: exit %d\n%s", code, stderr)
	}
	// The demo world has a region whose SNS state could not be read, so an
	// honest scan of it is incomplete.
	code, _, stderr := runCLI(t, "scan", "--snapshot", snap, "--format", "sarif", "-o", sarif)
	if code != exitIncomplete {
		t.Fatalf("scan --snapshot: exit %d, want %d\n%s", code, exitIncomplete, stderr)
	}
	for _, p := range []string{snap, sarif} {
		info, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		if perm := info.Mode().Perm(); perm != 0o600 {
			t.Errorf("%s has permissions %o, want 600", filepath.Base(p), perm)
		}
	}
	a, _ := os.ReadFile(filepath.Join(dir, "demo-report.json"))
	code, b, _ := runCLI(t, "scan", "--snapshot", snap, "--format", "json")
	if code != exitIncomplete {
		t.Fatalf("scan --snapshot --format json: exit %d", code)
	}
	if string(a) != b {
		t.Error("the demo report differs from a scan of the demo snapshot")
	}
}

func TestRules(t *testing.T) {
	code, out, stderr := runCLI(t, "rules")
	if code != exitOK {
		t.Fatalf("rules: exit %d\n%s", code, stderr)
	}
	for _, want := range []string{"RC-USER-001", "RC-POOL-001", "RC-CLIENT-001", "RC-SMS-001", "RC-EMAIL-001"} {
		if !strings.Contains(out, want) {
			t.Errorf("rules does not list %s", want)
		}
	}
}

func TestDiff(t *testing.T) {
	dir := t.TempDir()
	snap := filepath.Join(dir, "demo.json")
	report := filepath.Join(dir, "report.json")
	if code, _, stderr := runCLI(t, "demo", "--write-snapshot", snap, "--format", "json", "-o", report); code != exitOK {
		t.Fatalf("demo: exit %d\n%s", code, stderr)
	}
	// A snapshot and the report made from it hold the same findings.
	code, out, stderr := runCLI(t, "diff", snap, report, "--fail-on", "low")
	if code != exitOK {
		t.Fatalf("diff: exit %d\n%s", code, stderr)
	}
	for _, want := range []string{"New findings (0)", "Resolved findings (0)", "Users whose recovery changed (0)"} {
		if !strings.Contains(out, want) {
			t.Errorf("diff output lacks %q:\n%s", want, out)
		}
	}
	if code, _, stderr := runCLI(t, "diff", snap); code != exitUsage || !strings.Contains(stderr, "two files") {
		t.Errorf("diff with one file: exit %d, %s", code, stderr)
	}
	notReport := filepath.Join(dir, "x.json")
	_ = os.WriteFile(notReport, []byte(`{"hello": 1}`), 0o600)
	if code, _, stderr := runCLI(t, "diff", notReport, report); code != exitUsage || !strings.Contains(stderr, "not a recoverscan") {
		t.Errorf("diff of a foreign file: exit %d, %s", code, stderr)
	}
}

func TestSuppressions(t *testing.T) {
	dir := t.TempDir()
	supp := filepath.Join(dir, "suppressions.yaml")
	_ = os.WriteFile(supp, []byte(`suppressions:
  - rule: RC-POOL-001
    pool: us-east-1_DemoStaf2
    reason: the help desk resets staff passwords by design
    expires: 2099-12-31
  - rule: RC-USER-*
    reason: an old exception
    expires: 2020-01-01
`), 0o600)
	sarif := filepath.Join(dir, "out.sarif")
	if code, _, stderr := runCLI(t, "demo", "--suppressions", supp, "--format", "sarif", "-o", sarif); code != exitOK {
		t.Fatalf("demo --suppressions: exit %d\n%s", code, stderr)
	}
	data, _ := os.ReadFile(sarif)
	if strings.Contains(string(data), `"ruleId": "RC-POOL-001"`) {
		t.Error("SARIF carries a suppressed finding")
	}
	if !strings.Contains(string(data), `"ruleId": "RC-POOL-004"`) {
		t.Error("SARIF lost a finding that was not suppressed")
	}
	code, out, stderr := runCLI(t, "demo", "--suppressions", supp, "--format", "json")
	if code != exitOK {
		t.Fatalf("exit %d\n%s", code, stderr)
	}
	if !strings.Contains(out, "the help desk resets staff passwords by design") {
		t.Error("JSON does not keep the suppressed finding with its reason")
	}
	if !strings.Contains(stderr, "suppression expired") {
		t.Errorf("the expired entry is not reported: %s", stderr)
	}
	// Only RC-POOL-001 was high in the staff pool; suppressing it must not
	// hide the other high findings from --fail-on.
	if code, _, _ := runCLI(t, "demo", "--suppressions", supp, "--fail-on", "high"); code != exitFindings {
		t.Errorf("--fail-on high with suppressions: exit %d", code)
	}
	if code, _, stderr := runCLI(t, "demo", "--suppressions", filepath.Join(dir, "missing.yaml")); code != exitUsage || !strings.Contains(stderr, "missing.yaml") {
		t.Errorf("a missing suppression file: exit %d, %s", code, stderr)
	}
}

// TestDemoUsers: --users fills the demo pools with that many synthetic
// users, the same with and without --write-snapshot.
func TestDemoUsers(t *testing.T) {
	dir := t.TempDir()
	snap := filepath.Join(dir, "big.json")
	code, direct, stderr := runCLI(t, "demo", "--users", "5000")
	if code != exitOK || !strings.Contains(direct, "5,000 users:") {
		t.Fatalf("demo --users: exit %d, stderr %s, output ends %q", code, stderr, direct[max(0, len(direct)-300):])
	}
	code, saved, stderr := runCLI(t, "demo", "--users", "5000", "--write-snapshot", snap)
	if code != exitOK || saved != direct {
		t.Fatalf("demo --users --write-snapshot: exit %d (%s), same report: %v", code, stderr, saved == direct)
	}
	if code, out, _ := runCLI(t, "validate", snap); code != exitOK || !strings.Contains(out, "users 5000") {
		t.Errorf("validate: exit %d, %q", code, out)
	}
	if code, _, stderr := runCLI(t, "demo", "--users", "-1"); code != exitUsage || !strings.Contains(stderr, "--users") {
		t.Errorf("negative --users: exit %d, %q", code, stderr)
	}
}
