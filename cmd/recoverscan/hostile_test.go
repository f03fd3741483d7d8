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
