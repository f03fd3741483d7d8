package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/recoverscan/recoverscan/collector"
	"github.com/recoverscan/recoverscan/collector/awstest"
	"github.com/recoverscan/recoverscan/policies"
)

// orgRole is the role the organization tests assume in each account.
const orgRole = "recoverscan-read-only"

// TestOrganizationEndToEnd scans a moto organization from its management
// account with one role name: nested OUs, a suspended account, an account
// whose role cannot be assumed; then fans it out as a GitHub Actions
// matrix and scans one cell as a matrix job would.
func TestOrganizationEndToEnd(t *testing.T) {
	endpoint := awstest.StartMoto(t)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	base, err := awstest.Config(ctx, endpoint, "us-east-1", 1)
	if err != nil {
		t.Fatal(err)
	}
	org, err := awstest.SeedOrganization(ctx, base)
	if err != nil {
		t.Fatal(err)
	}
	role := func(id string) string { return "arn:aws:iam::" + id + ":role/" + orgRole }
	pools := map[string]string{} // account id → its pool in us-east-1
	for _, name := range []string{"prod-a", "prod-b", "dev", "sandbox", "closed"} {
		id := org.Accounts[name]
		pools[id] = seedScopePool(ctx, t, collector.AccountConfig(base, collector.Account{RoleARN: role(id)}), "app-"+name)
	}
	locked := org.Accounts["locked"]
	binary(t)

	config := writeScopeConfig(t, fmt.Sprintf(`  organization:
    role_name: %s
    external_id: org-e2e
    include:
      ous: [%s]
      accounts: ["%s"]
  regions: [us-east-1, eu-west-1]
  concurrency: 3
`, orgRole, org.OUs["workloads"], org.Accounts["sandbox"]))
	scanned := []string{org.Accounts["prod-a"], org.Accounts["prod-b"], org.Accounts["dev"], org.Accounts["sandbox"]}
	sort.Strings(scanned)

	t.Run("Scan", func(t *testing.T) {
		log := &awstest.CallLog{}
		stand := awstest.StartStandIn(t, endpoint, awstest.StandInState{DenyRoles: map[string]bool{role(locked): true}, Log: log})
		code, stdout, stderr := runScoped(t, nil, stand, "scan", "--config", config, "--format", "json", "--log-level", "info")
		if code != exitIncomplete {
			t.Fatalf("scan: exit %d, want %d (one account unreachable)\n%s", code, exitIncomplete, stderr)
		}
		for _, want := range []string{"account not scanned", locked, "account of the organization not scanned", org.Accounts["closed"], "suspended", "management account"} {
			if !strings.Contains(stderr, want) {
				t.Errorf("stderr lacks %q:\n%s", want, stderr)
			}
		}
		r := decodeReport(t, []byte(stdout))
		seen := map[string]bool{}
		for _, s := range r.Scopes {
			switch {
			case s.Account == locked:
				denied := slices.ContainsFunc(s.Problems, func(p policies.SourceProblem) bool { return p.Action == "sts:AssumeRole" && p.Status == "denied" })
				if !denied || len(s.Pools) > 0 {
					t.Errorf("%s/%s: the unreachable account: problems %+v, pools %d", s.Account, s.Region, s.Problems, len(s.Pools))
				}
			case slices.Contains(scanned, s.Account):
				if len(s.Problems) > 0 {
					t.Errorf("%s/%s: problems %+v", s.Account, s.Region, s.Problems)
				}
				if s.Region == "us-east-1" && (len(s.Pools) != 1 || s.Pools[0].ID != pools[s.Account]) {
					t.Errorf("%s/%s: pools %+v, want %s", s.Account, s.Region, s.Pools, pools[s.Account])
				}
				seen[s.Account] = true
			default:
				t.Errorf("scope %s/%s should not be scanned (suspended, management or excluded)", s.Account, s.Region)
			}
		}
		if len(r.Scopes) != 10 || len(seen) != len(scanned) {
			t.Errorf("want 5 accounts × 2 regions with %v scanned; got %d scopes, %v", scanned, len(r.Scopes), seen)
		}

		// The README's policy for the listing account is exactly the
		// Organizations calls the scan made.
		called := map[string]bool{}
		for _, c := range log.Calls() {
			if strings.HasPrefix(c, "organizations:") || c == "sts:AssumeRole" {
				called[c] = true
			}
		}
		policy := readmePolicyActionsAfter(t, "<!-- organization-policy -->")
		for a := range called {
			if !policy[a] {
				t.Errorf("the organization scan calls %s, which the README's organization policy does not grant", a)
			}
		}
		for a := range policy {
			if !called[a] {
				t.Errorf("the README's organization policy grants %s, which the scan never calls", a)
			}
		}
	})

	var cells []scopeCell
	t.Run("Matrix", func(t *testing.T) {
		code, stdout, stderr := runScoped(t, nil, endpoint, "accounts", "--config", config, "--format", "github-matrix")
		if code != 0 {
			t.Fatalf("accounts: exit %d\n%s", code, stderr)
		}
		var m struct {
			Include []scopeCell `json:"include"`
		}
		if err := json.Unmarshal([]byte(stdout), &m); err != nil || strings.Count(stdout, "\n") != 1 {
			t.Fatalf("matrix %q: %v", stdout, err)
		}
		cells = m.Include
		var accounts []string
		for _, c := range cells {
			if c.Region == "" || c.RoleARN != role(c.Account) {
				t.Errorf("cell %+v", c)
			}
			if !slices.Contains(accounts, c.Account) {
				accounts = append(accounts, c.Account)
			}
		}
		want := append(slices.Clone(scanned), locked)
		sort.Strings(want)
		sort.Strings(accounts)
		if len(cells) != 10 || !slices.Equal(accounts, want) {
			t.Errorf("cells %+v, want 5 accounts × 2 regions of %v", cells, want)
		}
		code, stdout, stderr = runScoped(t, nil, endpoint, "accounts", "--config", config, "--format", "github-matrix", "--per", "account")
		if err := json.Unmarshal([]byte(stdout), &m); code != 0 || err != nil || len(m.Include) != 5 || m.Include[0].Regions != "us-east-1 eu-west-1" {
			t.Errorf("--per account: exit %d, %s\n%s", code, stdout, stderr)
		}
		code, stdout, _ = runScoped(t, nil, endpoint, "accounts", "--config", config)
		if code != 0 || !strings.Contains(stdout, "REACHED WITH") || !strings.Contains(stdout, role(locked)) {
			t.Errorf("table: exit %d\n%s", code, stdout)
		}
	})

	t.Run("MatrixJob", func(t *testing.T) {
		if len(cells) == 0 {
			t.Skip("no matrix")
		}
		// Each job scans exactly its cell, without listing the
		// organization again.
		cell := cells[0]
		for _, c := range cells {
			if c.Account == org.Accounts["prod-a"] && c.Region == "us-east-1" {
				cell = c
			}
		}
		log := &awstest.CallLog{}
		stand := awstest.StartStandIn(t, endpoint, awstest.StandInState{Log: log})
		code, stdout, stderr := runScoped(t, nil, stand, "scan", "--config", config, "--account", cell.Account, "--region", cell.Region, "--format", "json")
		if code != 0 {
			t.Fatalf("scan --account %s --region %s: exit %d\n%s", cell.Account, cell.Region, code, stderr)
		}
		r := decodeReport(t, []byte(stdout))
		if len(r.Scopes) != 1 || r.Scopes[0].Account != cell.Account || r.Scopes[0].Region != cell.Region ||
			len(r.Scopes[0].Pools) != 1 || r.Scopes[0].Pools[0].ID != pools[cell.Account] {
			t.Errorf("the job's scopes: %+v", r.Scopes)
		}
		for _, c := range log.Calls() {
			if strings.HasPrefix(c, "organizations:") {
				t.Errorf("the matrix job called %s", c)
			}
		}
		// Not a cell of the configuration: bad usage.
		for _, args := range [][]string{
			{"--account", "nobody"},
			{"--account", cell.Account, "--region", "ap-south-1"},
			{"--account", cell.Account, "--pool", "us-east-1_Abc"},
		} {
			code, _, stderr := runScoped(t, nil, stand, append([]string{"scan", "--config", config}, args...)...)
			if code != exitUsage {
				t.Errorf("scan %v: exit %d, want %d\n%s", args, code, exitUsage, stderr)
			}
		}
		if code, _, stderr := runScoped(t, nil, stand, "scan", "--no-config", "--account", cell.Account); code != exitUsage {
			t.Errorf("--account without a scan section: exit %d\n%s", code, stderr)
		}
	})
}

// readmePolicyActionsAfter reads the actions of the IAM policy in the
// first JSON block of the README after marker.
func readmePolicyActionsAfter(t *testing.T, marker string) map[string]bool {
	t.Helper()
	data, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	text := string(data)
	i := strings.Index(text, marker)
	if i < 0 {
		t.Fatalf("README has no %s", marker)
	}
	text = text[i:]
	start := strings.Index(text, "```json\n")
	if start < 0 {
		t.Fatalf("README has no JSON block after %s", marker)
	}
	text = text[start+len("```json\n"):]
	text = text[:strings.Index(text, "```")]
	var policy struct {
		Statement []struct {
			Action []string
		}
	}
	if err := json.Unmarshal([]byte(text), &policy); err != nil {
		t.Fatalf("README policy after %s: %v", marker, err)
	}
	actions := map[string]bool{}
	for _, st := range policy.Statement {
		for _, a := range st.Action {
			actions[a] = true
		}
	}
	return actions
}
