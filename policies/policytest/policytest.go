// Package policytest holds what the tests of the packages that load custom
// rules share: a custom rule's header and a writer of rule files laid out
// as a rule author lays them out.
package policytest

import (
	"os"
	"path/filepath"
	"testing"
)

// RuleHeader starts a custom user rule, ACME-USER-001 in package
// custom.rules.user.probe with the report library imported; a test appends
// the rule's body.
const RuleHeader = `# METADATA
# title: A custom rule
# custom:
#   id: ACME-USER-001
#   severity: low
package custom.rules.user.probe

import data.recoverscan.lib.report
`

// WriteRule writes a custom rule file at rel under a fresh temporary
// directory and returns the directory and the file's path.
func WriteRule(t testing.TB, rel, text string) (dir, file string) {
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
