package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/recoverscan/recoverscan/collector/snapshot"
)

func TestVersionFlagAndJSON(t *testing.T) {
	code, out, stderr := runCLI(t, "--version")
	if code != exitOK || !strings.HasPrefix(out, "recoverscan ") || !strings.Contains(out, runtime.Version()) {
		t.Fatalf("--version: exit %d, out %q, stderr %q", code, out, stderr)
	}
	code, out, stderr = runCLI(t, "version", "--format", "json")
	if code != exitOK {
		t.Fatalf("version --format json: exit %d: %s", code, stderr)
	}
	var b buildInfo
	if err := json.Unmarshal([]byte(out), &b); err != nil {
		t.Fatalf("version --format json: %v\n%s", err, out)
	}
	if b.Version == "" || b.GoVersion != runtime.Version() || b.OPAVersion == "" || b.SnapshotSchema != snapshot.SchemaVersion {
		t.Errorf("version --format json: %+v", b)
	}
	if code, _, _ := runCLI(t, "version", "--format", "xml"); code != exitUsage {
		t.Errorf("version --format xml: exit %d, want %d", code, exitUsage)
	}
}

// TestLinkedVersion: the values release builds link in win over what the
// toolchain recorded.
func TestLinkedVersion(t *testing.T) {
	saved := [3]string{buildVersion, buildCommit, buildDate}
	t.Cleanup(func() { buildVersion, buildCommit, buildDate = saved[0], saved[1], saved[2] })
	buildVersion, buildCommit, buildDate = "v1.4.2", "0123456789abcdef0123", "2026-12-01T10:00:00Z"
	b := readBuildInfo()
	if b.Version != "1.4.2" || b.Commit != buildCommit || b.Date != buildDate || b.Modified {
		t.Errorf("readBuildInfo: %+v", b)
	}
	if got, want := b.String(), "recoverscan 1.4.2 (commit 0123456789ab, built 2026-12-01T10:00:00Z, "; !strings.HasPrefix(got, want) {
		t.Errorf("String() = %q, want prefix %q", got, want)
	}
	if version() != "1.4.2" {
		t.Errorf("version() = %q", version())
	}
}

func TestCompletion(t *testing.T) {
	for shell, want := range map[string]string{
		"bash":       "__start_recoverscan",
		"zsh":        "#compdef recoverscan",
		"fish":       "complete -c recoverscan",
		"powershell": "Register-ArgumentCompleter",
	} {
		code, out, stderr := runCLI(t, "completion", shell)
		if code != exitOK || !strings.Contains(out, want) {
			t.Errorf("completion %s: exit %d, stderr %q, output lacks %q", shell, code, stderr, want)
		}
	}
	if code, _, _ := runCLI(t, "completion", "tcsh"); code != exitUsage {
		t.Errorf("completion tcsh: exit %d, want %d", code, exitUsage)
	}
	// The shell asks the binary for flag values.
	code, out, _ := runCLI(t, "__complete", "scan", "--fail-on", "")
	if code != exitOK || !strings.Contains(out, "critical") || !strings.Contains(out, "none") {
		t.Errorf("completing --fail-on: exit %d, %q", code, out)
	}
	code, out, _ = runCLI(t, "__complete", "scan", "--format", "")
	if code != exitOK || !strings.Contains(out, "sarif") {
		t.Errorf("completing --format: exit %d, %q", code, out)
	}
}

// TestEnvironmentFlags: RECOVERSCAN_<FLAG> sets a flag, the command line
// wins, and a bad value names its variable.
func TestEnvironmentFlags(t *testing.T) {
	t.Setenv("RECOVERSCAN_FAIL_ON", "critical")
	if code, _, stderr := runCLI(t, "demo"); code != exitFindings {
		t.Errorf("RECOVERSCAN_FAIL_ON=critical: exit %d, want %d: %s", code, exitFindings, stderr)
	}
	if code, _, stderr := runCLI(t, "demo", "--fail-on", "none"); code != exitOK {
		t.Errorf("--fail-on none over RECOVERSCAN_FAIL_ON: exit %d: %s", code, stderr)
	}
	t.Setenv("RECOVERSCAN_FAIL_ON", "severe")
	code, _, stderr := runCLI(t, "demo")
	if code != exitUsage || !strings.Contains(stderr, "$RECOVERSCAN_FAIL_ON") {
		t.Errorf("RECOVERSCAN_FAIL_ON=severe: exit %d, stderr %q", code, stderr)
	}
	// An empty variable is as good as unset.
	t.Setenv("RECOVERSCAN_FAIL_ON", "")
	if code, _, stderr := runCLI(t, "demo"); code != exitOK {
		t.Errorf("RECOVERSCAN_FAIL_ON empty: exit %d: %s", code, stderr)
	}

	t.Setenv("RECOVERSCAN_NO_COLOR", "maybe")
	code, _, stderr = runCLI(t, "demo")
	if code != exitUsage || !strings.Contains(stderr, "$RECOVERSCAN_NO_COLOR") {
		t.Errorf("RECOVERSCAN_NO_COLOR=maybe: exit %d, stderr %q", code, stderr)
	}
	os.Unsetenv("RECOVERSCAN_NO_COLOR")

	// A list from the environment is split and checked like one on the
	// command line.
	t.Setenv("RECOVERSCAN_REGION", "us-east-1,eu-west1")
	code, _, stderr = runCLI(t, "collect", "-o", filepath.Join(t.TempDir(), "x.json"))
	if code != exitUsage || !strings.Contains(stderr, `--region "eu-west1"`) {
		t.Errorf("RECOVERSCAN_REGION with a typo: exit %d, stderr %q", code, stderr)
	}
}

func TestRegionAndPoolLists(t *testing.T) {
	f := &awsFlags{
		regions: []string{"us-east-1,eu-west-1", "us-gov-west-1", "us-east-1"},
		pools:   []string{"us-east-1_AbC123, eu-west-1_xyz9"},
	}
	if err := f.parseLists(); err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(f.regions, " "); got != "us-east-1 eu-west-1 us-gov-west-1" {
		t.Errorf("regions %q", got)
	}
	if got := strings.Join(f.pools, " "); got != "us-east-1_AbC123 eu-west-1_xyz9" {
		t.Errorf("pools %q", got)
	}
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"scan", "--region", "us-east-1,eu-west1"}, `--region "eu-west1": a region looks like us-east-1`},
		{[]string{"scan", "--region", "US-EAST-1"}, `--region "US-EAST-1"`},
		{[]string{"scan", "--region", "us-east-1,,eu-west-1"}, "empty item"},
		{[]string{"collect", "-o", "x.json", "--pool", "us-east-1_abc,eu-west-1"}, `--pool "eu-west-1": a user pool id looks like`},
		{[]string{"collect", "-o", "x.json", "--pool", "useast1_abc"}, `--pool "useast1_abc"`},
	} {
		code, _, stderr := runCLI(t, tt.args...)
		if code != exitUsage || !strings.Contains(stderr, tt.want) {
			t.Errorf("%v: exit %d, stderr %q, want %q", tt.args, code, stderr, tt.want)
		}
		if want := "Run 'recoverscan " + tt.args[0] + " --help' for usage."; !strings.Contains(stderr, want) {
			t.Errorf("%v: stderr %q does not point to %q", tt.args, stderr, want)
		}
	}
}

func TestSeverityFilter(t *testing.T) {
	severities := func(args ...string) map[string]int {
		t.Helper()
		code, out, stderr := runCLI(t, append([]string{"demo", "--format", "json"}, args...)...)
		if code != exitOK {
			t.Fatalf("demo %v: exit %d: %s", args, code, stderr)
		}
		var r struct {
			Findings []struct {
				Severity string `json:"severity"`
			} `json:"findings"`
		}
		if err := json.Unmarshal([]byte(out), &r); err != nil {
			t.Fatal(err)
		}
		m := map[string]int{}
		for _, f := range r.Findings {
			m[f.Severity]++
		}
		return m
	}
	a, s := severities(), severities("--severity", "critical,HIGH")
	if a["medium"] == 0 || a["low"] == 0 || a["critical"] == 0 || a["high"] == 0 {
		t.Fatalf("the demo should have findings of every severity: %v", a)
	}
	if s["medium"] != 0 || s["low"] != 0 || s["critical"] != a["critical"] || s["high"] != a["high"] {
		t.Errorf("--severity critical,HIGH kept %v of %v", s, a)
	}
	// --fail-on counts only what is shown (the demo world is incomplete,
	// so without failing findings --fail-on exits 3).
	if code, _, stderr := runCLI(t, "demo", "--severity", "low", "--fail-on", "high"); code != exitIncomplete {
		t.Errorf("--severity low --fail-on high: exit %d, want %d: %s", code, exitIncomplete, stderr)
	}
	if code, _, stderr := runCLI(t, "demo", "--severity", "low", "--fail-on", "low"); code != exitFindings {
		t.Errorf("--severity low --fail-on low: exit %d: %s", code, stderr)
	}
	if code, _, stderr := runCLI(t, "demo", "--severity", "urgent"); code != exitUsage || !strings.Contains(stderr, "--severity") {
		t.Errorf("--severity urgent: exit %d: %s", code, stderr)
	}
	// SARIF is exported from the same filtered findings.
	levels := func(args ...string) map[string]int {
		t.Helper()
		code, out, stderr := runCLI(t, append([]string{"demo", "--format", "sarif"}, args...)...)
		if code != exitOK {
			t.Fatalf("demo %v: exit %d: %s", args, code, stderr)
		}
		var log struct {
			Runs []struct {
				Results []struct {
					Level string `json:"level"`
				} `json:"results"`
			} `json:"runs"`
		}
		if err := json.Unmarshal([]byte(out), &log); err != nil {
			t.Fatal(err)
		}
		m := map[string]int{}
		for _, run := range log.Runs {
			for _, r := range run.Results {
				m[r.Level]++
			}
		}
		return m
	}
	if all, low := levels(), levels("--severity", "low"); low["error"] != 0 || low["note"] == 0 || all["error"] == 0 {
		t.Errorf("SARIF levels: all %v, --severity low %v", all, low)
	}
}

func TestQuiet(t *testing.T) {
	supp := filepath.Join(t.TempDir(), "suppressions.yaml")
	if err := os.WriteFile(supp, []byte("suppressions:\n  - rule: RC-POOL-999\n    reason: matches nothing\n    expires: 2099-12-31\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	code, _, stderr := runCLI(t, "demo", "--suppressions", supp)
	if code != exitOK || !strings.Contains(stderr, "matched no finding") {
		t.Fatalf("demo with an unused suppression: exit %d, stderr %q", code, stderr)
	}
	code, out, stderr := runCLI(t, "demo", "--suppressions", supp, "--quiet")
	if code != exitOK || stderr != "" || !strings.Contains(out, "RC-USER-001") {
		t.Errorf("demo --quiet: exit %d, stderr %q, report %d bytes", code, stderr, len(out))
	}
}
