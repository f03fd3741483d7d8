package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestHostileSnapshotExit: a snapshot edited so that a user repeats a key
// in another case, or so that a pool's users_listed disagrees with its
// users, is bad input (exit 2) for every command that reads snapshots,
// never a complete scan with other verdicts.
func TestHostileSnapshotExit(t *testing.T) {
	dir := t.TempDir()
	good, err := os.ReadFile(demoSnapshotFile(t, dir))
	if err != nil {
		t.Fatal(err)
	}
	variant := strings.Replace(string(good), `,"phone":`, `,"Email":{"present":true,"verified":true,"masked":"b***@e***.com","suppressed":false,"suppression_reason":""},"phone":`, 1)
	listed := regexp.MustCompile(`"users_listed":(\d+)`).ReplaceAllStringFunc(string(good), func(m string) string { return m + "0" })
	for name, content := range map[string]string{"case-variant key": variant, "users_listed": listed} {
		if content == string(good) {
			t.Fatalf("%s: the edit changed nothing", name)
		}
		path := filepath.Join(dir, strings.ReplaceAll(name, " ", "-")+".json")
		if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		for _, args := range [][]string{
			{"scan", "--snapshot", path},
			{"validate", path},
			{"explain", "--snapshot", path, "--pool", "us-east-1_DemoCust1", "--user", "bob"},
		} {
			code, _, stderr := runCLI(t, args...)
			if code != exitUsage || !strings.Contains(stderr, "at byte") {
				t.Errorf("%s: %v: exit %d, stderr %q; want %d with the byte offset", name, args, code, stderr, exitUsage)
			}
		}
	}
}

// TestStderrEscapesControls: what reaches stderr from files, snapshots or
// AWS (errors and log lines) has its control characters escaped.
func TestStderrEscapesControls(t *testing.T) {
	dir := t.TempDir()
	snap := demoSnapshotFile(t, dir)
	supp := filepath.Join(dir, "supp.yaml")
	if err := os.WriteFile(supp, []byte("suppressions:\n  - rule: \"RC-\\e]0;pwned\\a\\e[2J\"\n    pool: \"*\"\n    reason: test\n    expires: 2099-01-01\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{
		{"scan", "--snapshot", filepath.Join(dir, "missing\x1b[2J\x1b]0;pwned\x07.json")},
		{"scan", "--snapshot", snap, "--suppressions", supp, "-o", filepath.Join(dir, "out.txt")},
	} {
		_, _, stderr := runCLI(t, args...)
		if strings.ContainsAny(stderr, "\x1b\x07") {
			t.Errorf("%v: stderr carries control characters: %q", args, stderr)
		}
		if !strings.Contains(stderr, `\x1b`) {
			t.Errorf("%v: stderr does not show the escape visibly: %q", args, stderr)
		}
	}
}

// TestContactUsernames: a username shaped like an email address is masked
// in every output, remediation commands name the user by sub, and explain
// still finds the user by the name an administrator types.
func TestContactUsernames(t *testing.T) {
	dir := t.TempDir()
	good, err := os.ReadFile(demoSnapshotFile(t, dir))
	if err != nil {
		t.Fatal(err)
	}
	const name = "bob.builder@example.com"
	edited := strings.Replace(string(good), `"username":"bob"`, `"username":"`+name+`"`, 1)
	if edited == string(good) {
		t.Fatal("the demo has no user bob")
	}
	sub := regexp.MustCompile(`"username":"` + regexp.QuoteMeta(name) + `","sub":"([^"]+)"`).FindStringSubmatch(edited)
	if sub == nil {
		t.Fatal("no sub for bob")
	}
	snap := filepath.Join(dir, "contact.json")
	if err := os.WriteFile(snap, []byte(edited), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, format := range []string{"table", "json", "sarif"} {
		_, stdout, stderr := runCLI(t, "scan", "--snapshot", snap, "-f", format)
		if strings.Contains(stdout+stderr, "bob.builder") {
			t.Errorf("%s output carries the username: %s", format, stdout)
		}
		if format == "json" && !strings.Contains(stdout, "--username "+sub[1]) {
			t.Errorf("no remediation names the user by sub %s", sub[1])
		}
		if format == "table" && !strings.Contains(stdout, "b***@e***.com") {
			t.Errorf("the table does not show the masked name")
		}
	}
	code, stdout, stderr := runCLI(t, "explain", "--snapshot", snap, "--pool", "us-east-1_DemoCust1", "--user", name)
	if code != exitOK || !strings.Contains(stdout, "b***@e***.com") || strings.Contains(stdout, "bob.builder") {
		t.Errorf("explain --user %s: exit %d\n%s%s", name, code, stdout, stderr)
	}
	code, _, stderr = runCLI(t, "scan", "--snapshot", snap, "--pseudonymize")
	if code != exitUsage || !strings.Contains(stderr, "--pseudonymize") {
		t.Errorf("--pseudonymize with --snapshot: exit %d, %s", code, stderr)
	}
}

// TestExitCodePrecedence: a scan that is both incomplete (3) and has
// findings at --fail-on (1) exits 1, and says it is incomplete too.
func TestExitCodePrecedence(t *testing.T) {
	dir := t.TempDir()
	snap := demoSnapshotFile(t, dir)
	code, _, stderr := runCLI(t, "scan", "--snapshot", snap, "--fail-on", "critical", "-o", filepath.Join(dir, "r.txt"))
	if code != exitFindings || !strings.Contains(stderr, "incomplete too (exit code 1 wins over 3)") {
		t.Errorf("exit %d, stderr %q; want %d saying the scan is incomplete too", code, stderr, exitFindings)
	}
	code, _, stderr = runCLI(t, "scan", "--snapshot", snap, "-o", filepath.Join(dir, "r.txt"))
	if code != exitIncomplete || !strings.Contains(stderr, "permission denied: grant ") || !strings.Contains(stderr, "sns:GetSMSAttributes") {
		t.Errorf("exit %d, stderr %q; want %d naming the cause", code, stderr, exitIncomplete)
	}
}

// TestUnreachableEndpoint: a scan whose endpoint refuses connections says
// so, instead of asking for permissions.
func TestUnreachableEndpoint(t *testing.T) {
	for k, v := range map[string]string{"AWS_ENDPOINT_URL": "http://127.0.0.1:1", "AWS_ACCESS_KEY_ID": "testing",
		"AWS_SECRET_ACCESS_KEY": "testing", "AWS_SESSION_TOKEN": "", "AWS_PROFILE": "", "AWS_MAX_ATTEMPTS": "1",
		"AWS_CONFIG_FILE": filepath.Join(t.TempDir(), "none"), "AWS_SHARED_CREDENTIALS_FILE": filepath.Join(t.TempDir(), "none")} {
		t.Setenv(k, v)
	}
	code, stdout, stderr := runCLI(t, "scan", "--region", "us-east-1")
	if code != exitIncomplete || !strings.Contains(stderr, "could not be reached") || strings.Contains(stderr+stdout, "grant") || strings.Contains(stderr+stdout, "Grant") {
		t.Errorf("exit %d, stderr %q\n%s; want %d saying the endpoint could not be reached", code, stderr, stdout, exitIncomplete)
	}
}
