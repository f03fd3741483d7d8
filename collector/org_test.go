package collector

import (
	"context"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/recoverscan/recoverscan/collector/awstest"
)

// TestListOrganization lists a moto organization with nested OUs and a
// suspended account through the SDK, with and without filters.
func TestListOrganization(t *testing.T) {
	endpoint := awstest.StartMoto(t)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	cfg, err := awstest.Config(ctx, endpoint, "us-east-1", 1)
	if err != nil {
		t.Fatal(err)
	}
	o, err := awstest.SeedOrganization(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	id := o.Accounts
	names := func(accounts []Account) []string {
		var out []string
		for _, a := range accounts {
			out = append(out, a.Name)
		}
		sort.Strings(out)
		return out
	}
	skipped := func(s []SkippedAccount) map[string]string {
		out := map[string]string{}
		for _, sk := range s {
			out[sk.ID] = sk.Reason
		}
		return out
	}
	list := func(org Organization) OrgAccounts {
		t.Helper()
		res, err := ListOrganization(ctx, cfg, org)
		if err != nil {
			t.Fatal(err)
		}
		if res.Management != o.Management {
			t.Errorf("management account %s, want %s", res.Management, o.Management)
		}
		return res
	}

	// Everything: the members, not the suspended account, not the
	// management account.
	res := list(Organization{RoleName: "recoverscan-read-only", ExternalID: "ext-1", SessionName: "org-scan"})
	if got, want := names(res.Accounts), []string{"dev", "locked", "prod-a", "prod-b", "sandbox"}; !slices.Equal(got, want) {
		t.Errorf("accounts %v, want %v", got, want)
	}
	if got := skipped(res.Skipped); len(got) != 2 || got[id["closed"]] != SkipSuspended || got[o.Management] != SkipManagement {
		t.Errorf("skipped %v", res.Skipped)
	}
	for _, a := range res.Accounts {
		want := "arn:aws:iam::" + a.ID + ":role/recoverscan-read-only"
		if a.ID != id[a.Name] || a.RoleARN != want || a.ExternalID != "ext-1" || a.SessionName != "org-scan" || a.KnownID() != a.ID {
			t.Errorf("account %+v, want id %s and role %s", a, id[a.Name], want)
		}
	}

	// A nested OU by its parent, less one account and one nested OU.
	res = list(Organization{RoleName: "audit/r", IncludeOUs: []string{o.OUs["workloads"]}, ExcludeAccounts: []string{id["locked"]}})
	if got, want := names(res.Accounts), []string{"dev", "prod-a", "prod-b"}; !slices.Equal(got, want) {
		t.Errorf("workloads less locked: %v, want %v", got, want)
	}
	if got := skipped(res.Skipped); got[id["sandbox"]] != SkipExcluded || got[id["locked"]] != SkipExcluded || got[id["closed"]] != SkipSuspended {
		t.Errorf("skipped %v", res.Skipped)
	}
	if a := res.Accounts[0]; !strings.HasSuffix(a.RoleARN, ":role/audit/r") {
		t.Errorf("role with a path: %s", a.RoleARN)
	}
	res = list(Organization{RoleName: "r", IncludeOUs: []string{o.Root}, ExcludeOUs: []string{o.OUs["prod"]}})
	if got, want := names(res.Accounts), []string{"dev", "sandbox"}; !slices.Equal(got, want) {
		t.Errorf("root less prod: %v, want %v", got, want)
	}

	// The management account only when named, with the caller's own
	// credentials (moto's default account is the management account);
	// an id outside the organization is reported.
	res = list(Organization{RoleName: "r", IncludeAccounts: []string{o.Management, id["sandbox"], "999999999999"}})
	if len(res.Accounts) != 2 {
		t.Fatalf("named accounts: %+v", res.Accounts)
	}
	for _, a := range res.Accounts {
		switch a.ID {
		case o.Management:
			if a.RoleARN != "" {
				t.Errorf("management account reached through %s, want the caller's credentials", a.RoleARN)
			}
		case id["sandbox"]:
			if a.RoleARN == "" {
				t.Error("member account without a role")
			}
		default:
			t.Errorf("unexpected account %+v", a)
		}
	}
	if got := skipped(res.Skipped); got["999999999999"] != SkipNotMember {
		t.Errorf("skipped %v", res.Skipped)
	}

	// Resolve: scan.accounts first; an account they name by id is not
	// added again.
	scope := Scope{
		Accounts:     []Account{{Name: "explicit", RoleARN: "arn:aws:iam::" + id["dev"] + ":role/other"}},
		Organization: &Organization{RoleName: "r", IncludeOUs: []string{o.OUs["workloads"]}},
		LoadConfig:   func(context.Context, string) (aws.Config, error) { return cfg, nil },
	}
	accounts, skippedAccounts, err := scope.Resolve(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(accounts) != 4 || accounts[0].Name != "explicit" || names(accounts[1:])[0] != "locked" {
		t.Errorf("resolved %+v", accounts)
	}
	if got := skipped(skippedAccounts); got[id["dev"]] != SkipListed {
		t.Errorf("skipped %v", skippedAccounts)
	}

	// A misspelt OU is an error, not an empty scan.
	if _, err := ListOrganization(ctx, cfg, Organization{RoleName: "r", IncludeOUs: []string{"ou-zzzz-zzzzzzzz"}}); err == nil || !strings.Contains(err.Error(), "ListAccountsForParent") {
		t.Errorf("unknown OU: %v", err)
	}
}
