package collector

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/recoverscan/recoverscan/collector/snapshot"
)

func TestPoolPatterns(t *testing.T) {
	p := PoolPatterns{Include: []string{"us-east-1_*", "customers"}, Exclude: []string{"*-sandbox"}}
	for _, tc := range []struct {
		id, name string
		want     bool
	}{
		{"us-east-1_Abc", "checkout", true},
		{"us-east-1_Abc", "checkout-sandbox", false}, // excluded by name
		{"eu-west-1_Abc", "customers", true},         // included by name
		{"eu-west-1_Abc", "checkout", false},         // not included
		{"us-east-1_Abc", "", true},
	} {
		if got := p.Match(tc.id, tc.name); got != tc.want {
			t.Errorf("Match(%q, %q) = %v, want %v", tc.id, tc.name, got, tc.want)
		}
	}
	if !(PoolPatterns{}).Match("any", "thing") || !(PoolPatterns{}).Empty() {
		t.Error("empty patterns select every pool")
	}
	if !(PoolPatterns{Exclude: []string{"x"}}).Match("y", "z") {
		t.Error("exclude alone keeps the others")
	}
}

func TestAllRegions(t *testing.T) {
	all := (Scope{AllRegions: true, Regions: []string{"ignored-1"}}).RegionList()
	if all[0] != "us-east-1" {
		t.Errorf("first region %q: the identity is read in the first region, which must not be opt-in", all[0])
	}
	seen := map[string]bool{}
	for _, r := range all {
		if seen[r] {
			t.Errorf("%s twice", r)
		}
		seen[r] = true
		if strings.HasPrefix(r, "fips-") || strings.HasPrefix(r, "us-gov-") || strings.HasPrefix(r, "cn-") {
			t.Errorf("%s is not a region of the aws partition", r)
		}
	}
	for _, r := range []string{"us-east-1", "us-west-2", "eu-west-1", "eu-central-1", "ap-southeast-2", "sa-east-1", "af-south-1", "me-central-1"} {
		if !seen[r] {
			t.Errorf("%s missing", r)
		}
	}
	all[0] = "changed"
	if CognitoRegions()[0] != "us-east-1" {
		t.Error("CognitoRegions returns a copy")
	}
	if got := (Scope{Regions: []string{"eu-west-1"}}).RegionList(); !slices.Equal(got, []string{"eu-west-1"}) {
		t.Errorf("explicit regions: %v", got)
	}
}

func TestRoleAccount(t *testing.T) {
	for arn, want := range map[string]string{
		"arn:aws:iam::222233334444:role/recoverscan-read-only": "222233334444",
		"arn:aws-cn:iam::222233334444:role/path/x":             "222233334444",
		"arn:aws:iam::2222:role/x":                             "",
		"":                                                     "",
	} {
		if got := (Account{RoleARN: arn}).roleAccount(); got != want {
			t.Errorf("%q: %q, want %q", arn, got, want)
		}
	}
}

func TestRegionNotEnabled(t *testing.T) {
	src := snapshot.Source{Status: snapshot.SourceDenied, Action: actListUserPools,
		Error: "operation error Cognito Identity Provider: ListUserPools, api error UnrecognizedClientException: The security token included in the request is invalid."}
	if !notEnabled(src) {
		t.Fatal("UnrecognizedClientException on ListUserPools is a region not enabled")
	}
	if got := regionNotEnabled(src, true); got.Status != snapshot.SourceNotApplicable || !strings.Contains(got.Error, "opt-in") {
		t.Errorf("regions: all: %+v", got)
	}
	if got := regionNotEnabled(src, false); got.Status != snapshot.SourceUnavailable {
		t.Errorf("named region: %+v", got)
	}
	if notEnabled(snapshot.Source{Status: snapshot.SourceDenied, Action: actListUserPools, Error: "api error AccessDeniedException"}) {
		t.Error("AccessDenied is a denied permission, not a disabled region")
	}
}

// TestCollectScopeFailedAccounts: accounts whose configuration cannot be
// loaded are recorded, with a placeholder region each, and listed.
func TestCollectScopeFailedAccounts(t *testing.T) {
	var buf strings.Builder
	w := snapshot.NewWriter(&buf)
	scope := Scope{
		Accounts: []Account{
			{Name: "one", Profile: "missing"},
			{RoleARN: "arn:aws:iam::222233334444:role/x", Profile: "missing"},
		},
		Regions:     []string{"us-east-1", "eu-west-1"},
		Concurrency: 3,
		LoadConfig: func(context.Context, string) (aws.Config, error) {
			return aws.Config{}, errors.New("failed to get shared config profile, missing")
		},
	}
	res, err := CollectScope(context.Background(), scope, Options{Version: "test"}, w)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(res.FailedAccounts, []string{"one", "arn:aws:iam::222233334444:role/x"}) {
		t.Errorf("failed accounts: %v", res.FailedAccounts)
	}
	s, err := snapshot.Read(strings.NewReader(buf.String()))
	if err != nil {
		t.Fatalf("%v\n%s", err, buf.String())
	}
	if len(s.Accounts) != 2 || s.Accounts[0].ID != "" || s.Accounts[1].ID != "222233334444" {
		t.Fatalf("accounts: %+v", s.Accounts)
	}
	if a := s.Accounts[1]; a.Identity.Action != actAssumeRole || a.Identity.Status != snapshot.SourceError {
		t.Errorf("identity of the role account: %+v", a.Identity)
	}
	for _, a := range s.Accounts {
		if len(a.Regions) != 2 || a.Regions[0].Name != "us-east-1" || a.Regions[1].Name != "eu-west-1" {
			t.Errorf("regions in order: %+v", a.Regions)
		}
		for _, r := range a.Regions {
			if r.PoolsRead.OK() || len(r.Pools) != 0 {
				t.Errorf("region of a failed account: %+v", r)
			}
		}
	}
}

func TestAccountLabel(t *testing.T) {
	role := "arn:aws:iam::222233334444:role/recoverscan"
	tests := map[string]Account{
		"prod":                {Name: "prod", RoleARN: role},
		role:                  {RoleARN: role, Profile: "base"},
		"profile audit":       {Profile: "audit"},
		"default credentials": {},
	}
	for want, a := range tests {
		if got := a.Label(); got != want {
			t.Errorf("Label() = %q, want %q", got, want)
		}
	}
}
