package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// writeCustomRule writes one custom user rule with body into a fresh
// policy directory and returns the directory and the rule's file.
func writeCustomRule(t *testing.T, id, body string) (dir, file string) {
	t.Helper()
	dir = t.TempDir()
	file = filepath.Join(dir, "user", "probe", "rule.rego")
	text := "# METADATA\n# title: A custom rule\n# custom:\n#   id: " + id + "\n#   severity: low\n" +
		"package custom.rules.user.probe\n\nimport data.recoverscan.lib.report\n\n" + body
	if err := os.MkdirAll(filepath.Dir(file), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(file, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir, file
}

// TestEvalTimeout runs a custom rule far too slow for the demo world under
// a tiny --eval-timeout: the command stops with exit code 3 and says why.
func TestEvalTimeout(t *testing.T) {
	dir, file := writeCustomRule(t, "ACME-USER-001", "report contains report.fail(\"slow\", {}) if {\n\tinput.user.enabled\n"+
		"\tn := count([x | some x in numbers.range(1, 50000000); x % 7 == 0])\n\tn < 0\n}\n")
	snap := filepath.Join(t.TempDir(), "demo.json")
	if code, _, stderr := runCLI(t, "demo", "--write-snapshot", snap, "--eval-timeout", "0"); code != exitOK && code != exitIncomplete {
		t.Fatalf("demo --write-snapshot: exit %d: %s", code, stderr)
	}
	for name, args := range map[string][]string{
		"demo": {"demo", "--policy", dir, "--eval-timeout", "20ms"},
		"scan": {"scan", "--snapshot", snap, "--policy", dir, "--eval-timeout", "20ms"},
	} {
		t.Run(name, func(t *testing.T) {
			code, _, stderr := runCLI(t, args...)
			if code != exitIncomplete {
				t.Errorf("exit %d, want %d; stderr:\n%s", code, exitIncomplete, stderr)
			}
			for _, want := range []string{"rule evaluation took longer than --eval-timeout 20ms", "ACME-USER-001 (" + file + ")", "evaluation stopped"} {
				if !strings.Contains(stderr, want) {
					t.Errorf("stderr does not contain %q:\n%s", want, stderr)
				}
			}
		})
	}
}

// TestRuleRuntimeError checks the message of a custom rule that fails at
// run time: the rule's id, file and line.
func TestRuleRuntimeError(t *testing.T) {
	dir, file := writeCustomRule(t, "ACME-USER-002", "report contains report.fail(\"x\", {}) if {\n\tinput.user.enabled\n\tto_number(input.user.username) > 0\n}\n")
	code, _, stderr := runCLI(t, "demo", "--policy", dir)
	if code != exitIncomplete {
		t.Errorf("exit %d, want %d; stderr:\n%s", code, exitIncomplete, stderr)
	}
	if want := "rule ACME-USER-002 (" + file + ":12) failed: to_number: "; !strings.Contains(stderr, want) {
		t.Errorf("stderr does not contain %q:\n%s", want, stderr)
	}
}
