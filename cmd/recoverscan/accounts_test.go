package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/recoverscan/recoverscan/collector"
)

// writeConfig writes a configuration file and returns its path.
func writeConfig(t *testing.T, doc string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "recoverscan.yaml")
	if err := os.WriteFile(path, []byte(doc), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestAccountsMatrix: scan.accounts alone needs no AWS call to be listed;
// the matrix respects GitHub's 256-job limit and offers a job per account.
func TestAccountsMatrix(t *testing.T) {
	var b strings.Builder
	b.WriteString("scan:\n  accounts:\n    - name: hub\n      profile: hub\n")
	for i := 1; i <= 8; i++ {
		fmt.Fprintf(&b, "    - role_arn: arn:aws:iam::%012d:role/recoverscan-read-only\n", i)
	}
	b.WriteString("  regions: all\n")
	config := writeConfig(t, b.String())
	regions := len(collector.CognitoRegions())

	// 9 accounts × every region: more than a matrix holds.
	code, _, stderr := runCLI(t, "accounts", "--config", config, "--format", "github-matrix")
	if code != exitUsage || !strings.Contains(stderr, fmt.Sprintf("%d jobs", 9*regions)) || !strings.Contains(stderr, "256") || !strings.Contains(stderr, "--per account") {
		t.Errorf("oversized matrix: exit %d, %s", code, stderr)
	}
	code, stdout, stderr := runCLI(t, "accounts", "--config", config, "--format", "github-matrix", "--per", "account")
	var m struct {
		Include []scopeCell `json:"include"`
	}
	if err := json.Unmarshal([]byte(stdout), &m); code != 0 || err != nil || len(m.Include) != 9 {
		t.Fatalf("--per account: exit %d, %v, %s %s", code, err, stdout, stderr)
	}
	if c := m.Include[0]; c.Account != "hub" || c.Profile != "hub" || c.Region != "" || len(strings.Fields(c.Regions)) != regions {
		t.Errorf("first cell %+v", c)
	}
	if c := m.Include[8]; c.Account != "000000000008" || c.RoleARN == "" {
		t.Errorf("last cell %+v", c)
	}

	// json: every cell and the (here no) skipped accounts.
	small := writeConfig(t, "scan:\n  regions: [us-east-1, eu-west-1]\n")
	code, stdout, _ = runCLI(t, "accounts", "--config", small, "--format", "json")
	var j struct {
		Cells   []scopeCell                `json:"cells"`
		Skipped []collector.SkippedAccount `json:"skipped"`
	}
	if err := json.Unmarshal([]byte(stdout), &j); code != 0 || err != nil || len(j.Cells) != 2 || j.Cells[0].Account != defaultAccount || j.Skipped == nil {
		t.Errorf("json: exit %d, %v, %s", code, err, stdout)
	}
	for _, args := range [][]string{
		{"accounts", "--config", small, "--format", "yaml"},
		{"accounts", "--config", small, "--per", "region"},
		{"accounts", "--no-config"},
	} {
		if code, _, stderr := runCLI(t, args...); code != exitUsage {
			t.Errorf("%v: exit %d, %s", args, code, stderr)
		}
	}
}

// TestNarrowScope: --account selects an entry of scan.accounts by id,
// name or profile, or the default account by its name.
func TestNarrowScope(t *testing.T) {
	scope := collector.Scope{Accounts: []collector.Account{
		{Name: "hub", Profile: "hub-profile"},
		{RoleARN: "arn:aws:iam::222233334444:role/r"},
	}}
	for sel, want := range map[string]string{"hub": "hub", "hub-profile": "hub", "222233334444": "arn:aws:iam::222233334444:role/r"} {
		got, err := narrowScope(context.Background(), scope, sel)
		if err != nil || len(got.Accounts) != 1 || (got.Accounts[0].Name != want && got.Accounts[0].RoleARN != want) {
			t.Errorf("--account %s: %+v, %v", sel, got.Accounts, err)
		}
	}
	if _, err := narrowScope(context.Background(), scope, "333344445555"); err == nil {
		t.Error("an id outside the scan section without an organization is accepted")
	}
	if got, err := narrowScope(context.Background(), collector.Scope{}, defaultAccount); err != nil || len(got.Accounts) != 0 {
		t.Errorf("default account: %+v, %v", got, err)
	}
}
