package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"

	"github.com/recoverscan/recoverscan/collector"
	"github.com/recoverscan/recoverscan/collector/awstest"
	"github.com/recoverscan/recoverscan/collector/snapshot"
	"github.com/recoverscan/recoverscan/output/sarifcheck"
)

// The two moto "accounts" of the scope test: moto puts everything done
// with credentials from sts:AssumeRole into the account of the role ARN.
const (
	scopeAccountA = "111111111111"
	scopeAccountB = "222222222222"
	// motoDefaultAccount is the account of moto's plain credentials.
	motoDefaultAccount = "123456789012"
)

var scopeRegions = []string{"us-east-1", "eu-west-1"}

func scopeRole(account string) string {
	return "arn:aws:iam::" + account + ":role/recoverscan-read-only"
}

// scopeWorld is moto with one pool per account and region that has a user
// who cannot recover, and one pool the configuration excludes.
type scopeWorld struct {
	moto string
	// pools are the ids of the seeded pools by account and region.
	pools map[[2]string]string
	// excluded is the id of the pool named *-sandbox.
	excluded string
}

// TestScopeEndToEnd scans two moto accounts, reached by assuming a role in
// each, in two regions in one run, driven by the configuration file's scan
// section.
func TestScopeEndToEnd(t *testing.T) {
	endpoint := awstest.StartMoto(t)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	w := &scopeWorld{moto: endpoint, pools: map[[2]string]string{}}
	for _, account := range []string{scopeAccountA, scopeAccountB, motoDefaultAccount} {
		for _, region := range scopeRegions {
			base, err := awstest.Config(ctx, endpoint, region, 1)
			if err != nil {
				t.Fatal(err)
			}
			cfg := base
			if account != motoDefaultAccount {
				cfg = collector.AccountConfig(base, collector.Account{RoleARN: scopeRole(account)})
			}
			id := seedScopePool(ctx, t, cfg, "app-"+account)
			w.pools[[2]string{account, region}] = id
			if account == scopeAccountA && region == "eu-west-1" {
				w.excluded = seedScopePool(ctx, t, cfg, "scratch-sandbox")
			}
		}
	}
	binary(t) // build before moto's clock starts on the scans
	t.Run("TwoAccountsTwoRegions", func(t *testing.T) { testScopeSARIF(t, w) })
	t.Run("FailingAccount", func(t *testing.T) { testScopeFailingAccount(t, w) })
	t.Run("ConfigErrors", func(t *testing.T) { testScopeConfigErrors(t, w) })
}

// seedScopePool creates a pool that recovers by verified email only, with
// one confirmed user without an email address, and returns its id.
func seedScopePool(ctx context.Context, t *testing.T, cfg aws.Config, name string) string {
	t.Helper()
	c := cip.NewFromConfig(cfg)
	out, err := c.CreateUserPool(ctx, &cip.CreateUserPoolInput{
		PoolName: aws.String(name),
		AccountRecoverySetting: &types.AccountRecoverySettingType{RecoveryMechanisms: []types.RecoveryOptionType{
			{Name: types.RecoveryOptionNameTypeVerifiedEmail, Priority: aws.Int32(1)},
		}},
	})
	if err != nil {
		t.Fatalf("create pool %s in %s: %v", name, cfg.Region, err)
	}
	id := aws.ToString(out.UserPool.Id)
	if _, err := c.AdminCreateUser(ctx, &cip.AdminCreateUserInput{
		UserPoolId: aws.String(id), Username: aws.String("no-contact"),
		MessageAction: types.MessageActionTypeSuppress, TemporaryPassword: aws.String("Temp-Passw0rd!"),
	}); err != nil {
		t.Fatalf("create user in %s: %v", id, err)
	}
	if _, err := c.AdminSetUserPassword(ctx, &cip.AdminSetUserPasswordInput{
		UserPoolId: aws.String(id), Username: aws.String("no-contact"),
		Password: aws.String("Perm-Passw0rd!"), Permanent: true,
	}); err != nil {
		t.Fatalf("confirm user in %s: %v", id, err)
	}
	return id
}

// writeScopeConfig writes a configuration file with the scan section body
// (indented under scan:) and returns its path.
func writeScopeConfig(t *testing.T, body string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "recoverscan.yaml")
	if err := os.WriteFile(path, []byte("scan:\n"+body), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// runScoped runs the binary against endpoint with dummy base credentials
// and a shared config that has the profile "base" (moto's default
// account).
func runScoped(t *testing.T, w *scopeWorld, endpoint string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	dir := t.TempDir()
	configFile := filepath.Join(dir, "config")
	credsFile := filepath.Join(dir, "credentials")
	if err := os.WriteFile(configFile, []byte("[profile base]\nregion = us-east-1\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(credsFile, []byte("[base]\naws_access_key_id = testing\naws_secret_access_key = testing\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	code, stdout, stderr = runBinaryEnv(t, endpoint, []string{
		"AWS_CONFIG_FILE=" + configFile,
		"AWS_SHARED_CREDENTIALS_FILE=" + credsFile,
		"TMPDIR=" + dir,
	}, args...)
	// The per-region temporary files are gone.
	if left, _ := filepath.Glob(filepath.Join(dir, "recoverscan-region-*")); len(left) > 0 {
		t.Errorf("temporary files left behind: %v", left)
	}
	return code, stdout, stderr
}

// sarifRuns returns each run's automationDetails.id and result pool ids.
func sarifRuns(t *testing.T, data []byte) []string {
	t.Helper()
	var log struct {
		Runs []struct {
			AutomationDetails struct {
				ID string `json:"id"`
			} `json:"automationDetails"`
		} `json:"runs"`
	}
	if err := json.Unmarshal(data, &log); err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, r := range log.Runs {
		ids = append(ids, r.AutomationDetails.ID)
	}
	return ids
}

func testScopeSARIF(t *testing.T, w *scopeWorld) {
	endpoint := awstest.StartStandIn(t, w.moto, awstest.StandInState{})
	config := writeScopeConfig(t, fmt.Sprintf(`  accounts:
    - name: a
      role_arn: %s
      external_id: scope-e2e
    - role_arn: %s
      session_name: recoverscan-e2e
  regions: [%s]
  pools:
    exclude: ["*-sandbox"]
  concurrency: 3
`, scopeRole(scopeAccountA), scopeRole(scopeAccountB), strings.Join(scopeRegions, ", ")))

	scan := func(name string) []byte {
		out := filepath.Join(t.TempDir(), name)
		code, _, stderr := runScoped(t, w, endpoint, "scan", "--config", config, "--format", "sarif", "-o", out)
		if code != 0 {
			t.Fatalf("scan: exit %d, want 0\n%s", code, stderr)
		}
		data, err := os.ReadFile(out)
		if err != nil {
			t.Fatal(err)
		}
		return data
	}
	data := scan("results.sarif")
	for _, err := range sarifcheck.Validate(data) {
		t.Error(err)
	}
	var want []string
	for _, account := range []string{scopeAccountA, scopeAccountB} {
		for _, region := range scopeRegions {
			want = append(want, "recoverscan/"+account+"/"+region+"/")
			if id := w.pools[[2]string{account, region}]; !bytes.Contains(data, []byte(id)) {
				t.Errorf("SARIF has no result for pool %s (%s, %s)", id, account, region)
			}
		}
	}
	got := sarifRuns(t, data)
	sort.Strings(got)
	sort.Strings(want)
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("runs: got %v, want one per account and region %v", got, want)
	}
	if bytes.Contains(data, []byte(w.excluded)) {
		t.Errorf("the pool excluded by *-sandbox (%s) was scanned", w.excluded)
	}
	if id := w.pools[[2]string{motoDefaultAccount, "us-east-1"}]; bytes.Contains(data, []byte(id)) {
		t.Errorf("a pool of the scanning principal's own account (%s) was scanned", id)
	}

	// A second scan of the same state fingerprints every result the same.
	again := scan("again.sarif")
	a, b := fingerprints(t, data), fingerprints(t, again)
	if len(a) == 0 {
		t.Fatal("no results to fingerprint")
	}
	if strings.Join(a, ",") != strings.Join(b, ",") {
		t.Errorf("fingerprints changed between two scans of the same state:\n%v\n%v", a, b)
	}
}

// testScopeFailingAccount denies the role of one account: that account is
// reported as a problem, the other (reached through a profile) is still
// scanned, and the scan exits 3.
func testScopeFailingAccount(t *testing.T, w *scopeWorld) {
	endpoint := awstest.StartStandIn(t, w.moto, awstest.StandInState{Errors: map[string]string{"AssumeRole": "AccessDenied"}})
	config := writeScopeConfig(t, fmt.Sprintf(`  accounts:
    - name: hub
      profile: base
    - name: denied
      role_arn: %s
  regions: [%s]
`, scopeRole(scopeAccountB), strings.Join(scopeRegions, ", ")))

	code, stdout, stderr := runScoped(t, w, endpoint, "scan", "--config", config, "--format", "json")
	if code != exitIncomplete {
		t.Fatalf("scan: exit %d, want %d\n%s", code, exitIncomplete, stderr)
	}
	if !strings.Contains(stderr, "account not scanned") || !strings.Contains(stderr, "denied") {
		t.Errorf("the failing account is not logged:\n%s", stderr)
	}
	r := decodeReport(t, []byte(stdout))
	scanned := map[string]bool{}
	for _, s := range r.Scopes {
		switch s.Account {
		case motoDefaultAccount:
			if len(s.Problems) > 0 {
				t.Errorf("%s/%s: problems %+v", s.Account, s.Region, s.Problems)
			}
			for _, p := range s.Pools {
				if p.ID == w.pools[[2]string{motoDefaultAccount, s.Region}] && p.Users.Total == 1 {
					scanned[s.Region] = true
				}
			}
		case scopeAccountB:
			found := false
			for _, p := range s.Problems {
				if p.Action == "sts:AssumeRole" && p.Status == "denied" {
					found = true
				}
			}
			if !found {
				t.Errorf("%s/%s: the denied role is not a problem: %+v", s.Account, s.Region, s.Problems)
			}
			if len(s.Pools) > 0 {
				t.Errorf("%s/%s: pools of the denied account: %+v", s.Account, s.Region, s.Pools)
			}
		default:
			t.Errorf("unexpected scope %s/%s", s.Account, s.Region)
		}
	}
	if len(r.Scopes) != 4 || len(scanned) != len(scopeRegions) {
		t.Errorf("want 4 scopes with the hub account's pools scanned in every region; got %d scopes, scanned %v", len(r.Scopes), scanned)
	}

	// collect writes the snapshot, with the failed account in it, and
	// exits 3 as well.
	snap := filepath.Join(t.TempDir(), "snap.json")
	code, _, stderr = runScoped(t, w, endpoint, "collect", "--config", config, "-o", snap)
	if code != exitIncomplete || !strings.Contains(stderr, "denied") {
		t.Fatalf("collect: exit %d, want %d\n%s", code, exitIncomplete, stderr)
	}
	f, err := os.Open(snap)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	s, err := snapshot.Read(f)
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Accounts) != 2 || s.Accounts[0].ID != motoDefaultAccount || s.Accounts[1].ID != scopeAccountB ||
		s.Accounts[1].Identity.Status != snapshot.SourceDenied || len(s.Accounts[1].Regions) != len(scopeRegions) {
		t.Errorf("snapshot accounts: %+v", s.Accounts)
	}
}

// testScopeConfigErrors: a broken scan section is bad input, named by file
// and line, before anything is read.
func testScopeConfigErrors(t *testing.T, w *scopeWorld) {
	config := writeScopeConfig(t, "  regions: [us-east-1]\n  acounts: []\n")
	code, _, stderr := runScoped(t, w, w.moto, "scan", "--config", config)
	if code != exitUsage || !strings.Contains(stderr, config+":3:") || !strings.Contains(stderr, `unknown key "acounts"`) {
		t.Errorf("exit %d, stderr %q", code, stderr)
	}
	// Flags override the scan section.
	code, stdout, stderr := runScoped(t, w, w.moto, "scan", "--config", writeScopeConfig(t, "  regions: [eu-west-1]\n"), "--region", "us-east-1", "--format", "json")
	if code == exitUsage {
		t.Fatalf("--region with a scan section: exit %d\n%s", code, stderr)
	}
	for _, s := range decodeReport(t, []byte(stdout)).Scopes {
		if s.Account != motoDefaultAccount || s.Region != "us-east-1" {
			t.Errorf("--region us-east-1 overrides the scan section, yet %s/%s was scanned", s.Account, s.Region)
		}
	}
}
