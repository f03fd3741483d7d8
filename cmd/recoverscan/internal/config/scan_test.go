package config

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/recoverscan/recoverscan/collector"
)

func TestScanConfig(t *testing.T) {
	doc := `rules:
  RC-POOL-004:
    disabled: true
scan:
  accounts:
    - name: prod
      profile: prod-audit
    - role_arn: arn:aws:iam::222233334444:role/recoverscan-read-only
      external_id: abc123
      session_name: recoverscan
    - profile: org
      role_arn: arn:aws:iam::333344445555:role/audit/recoverscan
  regions: [us-east-1, eu-west-1]
  pools:
    include: ["us-east-1_*"]
    exclude: ["*-sandbox"]
  concurrency: 4
`
	cfg, err := Parse("c.yaml", []byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	sc := cfg.Scan
	if sc == nil || sc.Line != 4 || len(sc.Accounts) != 3 || sc.Concurrency != 4 || sc.AllRegions {
		t.Fatalf("scan: %+v", sc)
	}
	want := []collector.Account{
		{Name: "prod", Profile: "prod-audit"},
		{RoleARN: "arn:aws:iam::222233334444:role/recoverscan-read-only", ExternalID: "abc123", SessionName: "recoverscan"},
		{Profile: "org", RoleARN: "arn:aws:iam::333344445555:role/audit/recoverscan"},
	}
	if !slices.Equal(sc.Accounts, want) || !slices.Equal(sc.AccountLines, []int{6, 8, 11}) {
		t.Errorf("accounts:\n%+v %v\nwant\n%+v [6 8 11]", sc.Accounts, sc.AccountLines, want)
	}
	if !slices.Equal(sc.Regions, []string{"us-east-1", "eu-west-1"}) || !slices.Equal(sc.Pools.Include, []string{"us-east-1_*"}) || !slices.Equal(sc.Pools.Exclude, []string{"*-sandbox"}) {
		t.Errorf("scan: %+v", sc)
	}

	cfg, err = Parse("c.yaml", []byte("scan:\n  regions: all\n"))
	if err != nil || !cfg.Scan.AllRegions || len(cfg.Scan.Accounts) != 0 {
		t.Errorf("regions: all: %+v, %v", cfg.Scan, err)
	}
	cfg, err = Parse("c.yaml", []byte("policies: []\n"))
	if err != nil || cfg.Scan != nil {
		t.Errorf("no scan section: %+v, %v", cfg.Scan, err)
	}
}

func TestScanConfigErrors(t *testing.T) {
	for _, tc := range []struct {
		name, doc string
		line      int
		want      string
	}{
		{"scan not a map", "scan: [a]\n", 1, "scan: want a mapping"},
		{"unknown scan key", "scan:\n  regions: all\n  acounts: []\n", 3, `unknown key "acounts"`},
		{"accounts not a list", "scan:\n  accounts: prod\n", 2, "want a list of accounts"},
		{"account not a map", "scan:\n  accounts:\n    - prod\n", 3, "scan.accounts[0]: want a mapping"},
		{"unknown account key", "scan:\n  accounts:\n    - profile: a\n    - rolearn: x\n", 4, `scan.accounts[1]: unknown key "rolearn"`},
		{"bad role arn", "scan:\n  accounts:\n    - name: x\n      role_arn: arn:aws:iam::1234:role/x\n", 4, "not an IAM role ARN"},
		{"user arn", "scan:\n  accounts:\n    - role_arn: arn:aws:iam::222233334444:user/x\n", 3, "not an IAM role ARN"},
		{"external id without role", "scan:\n  accounts:\n    - profile: a\n      external_id: abc\n", 4, "only applies with role_arn"},
		{"bad session name", "scan:\n  accounts:\n    - role_arn: arn:aws:iam::222233334444:role/x\n      session_name: has space\n", 4, "session_name"},
		{"profile not a string", "scan:\n  accounts:\n    - profile: 12\n", 3, "want a string"},
		{"duplicate account", "scan:\n  accounts:\n    - profile: a\n    - name: again\n      profile: a\n", 4, "same credentials as scan.accounts[0]"},
		{"duplicate key", "scan:\n  accounts:\n    - profile: a\n      profile: b\n", 4, "given twice"},
		{"regions typo", "scan:\n  regions: every\n", 2, "or all"},
		{"empty regions", "scan:\n  regions: []\n", 2, "want a list of regions"},
		{"bad region", "scan:\n  regions:\n    - us-east-1\n    - useast1\n", 4, `"useast1" is not a region name`},
		{"region twice", "scan:\n  regions: [us-east-1, us-east-1]\n", 2, "given twice"},
		{"pools not a map", "scan:\n  pools: [a]\n", 2, "want a mapping with include or exclude"},
		{"pools unknown key", "scan:\n  pools:\n    only: [a]\n", 3, `unknown key "only"`},
		{"include not a list", "scan:\n  pools:\n    include: a*\n", 3, "want a list of patterns"},
		{"empty pattern", "scan:\n  pools:\n    exclude:\n      - \"\"\n", 4, "want a pattern"},
		{"malformed pattern", "scan:\n  pools:\n    include:\n      - \"prod-[a\"\n", 4, "a [ without its ]"},
		{"concurrency zero", "scan:\n  concurrency: 0\n", 2, "from 1 to 64"},
		{"concurrency text", "scan:\n  concurrency: many\n", 2, "from 1 to 64"},
		{"unknown top key names scan", "scan: {}\nscna: {}\n", 2, "want policies, rules or scan"},
	} {
		t.Run(tc.name, func(t *testing.T) { checkParseError(t, tc.doc, tc.line, tc.want) })
	}
}

func TestScanOrganization(t *testing.T) {
	doc := `scan:
  accounts:
    - profile: extra
  organization:
    profile: mgmt
    role_name: audit/recoverscan-read-only
    external_id: org-ext
    session_name: recoverscan-org
    include:
      ous: [ou-ab12-cdefgh34, r-ab12]
      accounts: ["012345678901", 111122223333]
    exclude:
      ous: [ou-ab12-zzzzzzzz]
      accounts: ["222233334444"]
  regions: [eu-west-1]
`
	cfg, err := Parse("c.yaml", []byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	org := cfg.Scan.Organization
	want := collector.Organization{
		Profile: "mgmt", RoleName: "audit/recoverscan-read-only", ExternalID: "org-ext", SessionName: "recoverscan-org",
		IncludeOUs: []string{"ou-ab12-cdefgh34", "r-ab12"}, IncludeAccounts: []string{"012345678901", "111122223333"},
		ExcludeOUs: []string{"ou-ab12-zzzzzzzz"}, ExcludeAccounts: []string{"222233334444"},
	}
	if org == nil || fmt.Sprintf("%+v", *org) != fmt.Sprintf("%+v", want) {
		t.Errorf("organization:\n%+v\nwant\n%+v", org, want)
	}
	if len(cfg.Scan.Accounts) != 1 {
		t.Errorf("accounts next to the organization: %+v", cfg.Scan.Accounts)
	}

	for _, tc := range []struct {
		name, doc string
		line      int
		want      string
	}{
		{"not a map", "scan:\n  organization: all\n", 2, "scan.organization: want a mapping"},
		{"no role", "scan:\n  organization:\n    profile: mgmt\n", 3, "role_name is required"},
		{"bad role", "scan:\n  organization:\n    role_name: arn:aws:iam::111122223333:role/x\n", 3, "not an IAM role name"},
		{"unknown key", "scan:\n  organization:\n    role_name: r\n    ou: [x]\n", 4, `unknown key "ou"`},
		{"bad ou", "scan:\n  organization:\n    role_name: r\n    include:\n      ous: [ou-1]\n", 5, `"ou-1" is not an organizational unit id`},
		{"short account", "scan:\n  organization:\n    role_name: r\n    exclude:\n      accounts: [1234]\n", 5, "12-digit account id"},
		{"account twice", "scan:\n  organization:\n    role_name: r\n    include:\n      accounts: [\"111122223333\", \"111122223333\"]\n", 5, "given twice"},
		{"filter key", "scan:\n  organization:\n    role_name: r\n    include:\n      names: [a]\n", 5, `unknown key "names"`},
		{"bad session", "scan:\n  organization:\n    role_name: r\n    session_name: a b\n", 4, "session_name"},
	} {
		t.Run(tc.name, func(t *testing.T) { checkParseError(t, tc.doc, tc.line, tc.want) })
	}
}

// checkParseError checks that doc is refused at line with an error that
// says want and starts with file:line.
func checkParseError(t *testing.T, doc string, line int, want string) {
	t.Helper()
	_, err := Parse("config.yaml", []byte(doc))
	var ce *Error
	if !errors.As(err, &ce) || ce.Line != line || !strings.Contains(err.Error(), want) {
		t.Errorf("want line %d and %q, got %v", line, want, err)
	}
	if err != nil && !strings.HasPrefix(err.Error(), fmt.Sprintf("config.yaml:%d: ", line)) {
		t.Errorf("error should start with file:line: %v", err)
	}
}
