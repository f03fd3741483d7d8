package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"

	"github.com/recoverscan/recoverscan/collector/awstest"
	"github.com/recoverscan/recoverscan/output"
	"github.com/recoverscan/recoverscan/output/sarifcheck"
	"github.com/recoverscan/recoverscan/policies"
)

const e2eRegion = "us-east-1"

var (
	buildOnce sync.Once
	binDir    string // made by TestMain, removed when every test is done
	binPath   string
	buildErr  error
)

// TestMain gives the built binary a directory that outlives every test.
func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "recoverscan-test-bin-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	binDir = dir
	code := m.Run()
	_ = os.RemoveAll(dir)
	os.Exit(code)
}

// binary builds the recoverscan binary once per test run.
func binary(t *testing.T) string {
	t.Helper()
	buildOnce.Do(func() {
		binPath = filepath.Join(binDir, "recoverscan")
		out, err := exec.Command("go", "build", "-o", binPath, ".").CombinedOutput()
		if err != nil {
			buildErr = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return binPath
}

// e2eWorld is moto seeded with the fixture world.
type e2eWorld struct {
	moto  string
	world *awstest.World
}

// TestEndToEnd starts moto once, seeds the fixture world through the AWS
// SDK, and runs the built binary against it in each subtest.
func TestEndToEnd(t *testing.T) {
	endpoint := awstest.StartMoto(t)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cfg, err := awstest.Config(ctx, endpoint, e2eRegion, 1)
	if err != nil {
		t.Fatal(err)
	}
	seeded, err := awstest.SeedWorld(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	w := &e2eWorld{moto: endpoint, world: seeded}
	binary(t)
	t.Run("StandIn", func(t *testing.T) { testStandIn(t, w) })
	t.Run("SARIF", func(t *testing.T) { testSARIF(t, w) })
	t.Run("BareMoto", func(t *testing.T) { testBareMoto(t, w) })
	t.Run("CollectThenScan", func(t *testing.T) { testCollectThenScan(t, w) })
	t.Run("Explain", func(t *testing.T) { testExplain(t, w) })
	t.Run("Pseudonymize", func(t *testing.T) { testPseudonymize(t, w) })
	t.Run("Interrupt", func(t *testing.T) { testInterrupt(t, w) })
	t.Run("Secrets", func(t *testing.T) { testSecrets(t, w) })
}

// runBinary runs the built binary against endpoint with dummy credentials.
func runBinary(t *testing.T, endpoint string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	return runBinaryEnv(t, endpoint, nil, args...)
}

// runBinaryEnv is runBinary with extra environment variables, which win
// over the defaults.
func runBinaryEnv(t *testing.T, endpoint string, env []string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	cmd := exec.Command(binary(t), args...)
	cmd.Env = append(append(os.Environ(),
		"AWS_ENDPOINT_URL="+endpoint,
		"AWS_ACCESS_KEY_ID=testing",
		"AWS_SECRET_ACCESS_KEY=testing",
		"AWS_SESSION_TOKEN=",
		"AWS_PROFILE=",
		"AWS_CONFIG_FILE="+filepath.Join(t.TempDir(), "none"),
		"AWS_SHARED_CREDENTIALS_FILE="+filepath.Join(t.TempDir(), "none"),
		"AWS_MAX_ATTEMPTS=2",
		"NO_COLOR=1",
	), env...)
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	err := cmd.Run()
	var ee *exec.ExitError
	switch {
	case err == nil:
	case errors.As(err, &ee):
		code = ee.ExitCode()
	default:
		t.Fatalf("run %v: %v", args, err)
	}
	return code, out.String(), errOut.String()
}

// verdicts maps pool name → subject → sorted "RULE" or "RULE?" (indeterminate)
// entries. Subjects are usernames, "pool", or "client:<name>".
type verdicts map[string]map[string][]string

func verdictsOf(t *testing.T, r *policies.Report, w *awstest.World) verdicts {
	t.Helper()
	poolName := map[string]string{}
	clientName := map[string]string{}
	for name, p := range w.Pools {
		poolName[p.ID] = name
		for cname, id := range p.Clients {
			clientName[id] = cname
		}
	}
	v := verdicts{}
	for _, f := range r.Findings {
		pool := poolName[f.Resource.PoolID]
		if pool == "" {
			continue // a pool another test left in moto
		}
		subject := "pool"
		switch {
		case f.Resource.Username != "":
			subject = f.Resource.Username
		case f.Resource.ClientID != "":
			subject = "client:" + clientName[f.Resource.ClientID]
		}
		entry := f.RuleID
		if f.Verdict == policies.Indeterminate {
			entry += "?"
		}
		if v[pool] == nil {
			v[pool] = map[string][]string{}
		}
		v[pool][subject] = append(v[pool][subject], entry)
	}
	for _, subjects := range v {
		for s := range subjects {
			sort.Strings(subjects[s])
		}
	}
	return v
}

func compareVerdicts(t *testing.T, got, want verdicts) {
	t.Helper()
	pools := map[string]bool{}
	for p := range got {
		pools[p] = true
	}
	for p := range want {
		pools[p] = true
	}
	for p := range pools {
		subjects := map[string]bool{}
		for s := range got[p] {
			subjects[s] = true
		}
		for s := range want[p] {
			subjects[s] = true
		}
		for s := range subjects {
			g, w := strings.Join(got[p][s], " "), strings.Join(want[p][s], " ")
			if g != w {
				t.Errorf("pool %s, %s: got [%s], want [%s]", p, s, g, w)
			}
		}
	}
}

func decodeReport(t *testing.T, data []byte) *policies.Report {
	t.Helper()
	var r policies.Report
	if err := json.Unmarshal(data, &r); err != nil {
		t.Fatalf("decode JSON report: %v\n%s", err, data)
	}
	return &r
}

// testStandIn scans moto, with the stand-in serving what moto lacks,
// through the built binary, and checks every user's verdict.
func testStandIn(t *testing.T, w *e2eWorld) {
	log := &awstest.CallLog{}
	state := w.world.StandInState()
	state.Log = log
	endpoint := awstest.StartStandIn(t, w.moto, state)

	code, stdout, stderr := runBinary(t, endpoint, "scan", "--region", e2eRegion, "--with-mfa", "--format", "json")
	if code != exitOK {
		t.Fatalf("scan: exit %d\n%s", code, stderr)
	}
	report := decodeReport(t, []byte(stdout))
	compareVerdicts(t, verdictsOf(t, report, w.world), verdicts{
		awstest.PoolEmailOnly: {
			"confirmed-unverified": {"RC-USER-001"},
			"no-contact":           {"RC-USER-001"},
			"force-change":         {"RC-USER-005"},
			"unconfirmed":          {"RC-USER-006"},
			"disabled":             {"RC-USER-008"},
			"phone-only-user":      {"RC-USER-002"},
			"client:web-secret":    {"RC-CLIENT-001", "RC-CLIENT-002"},
			"pool":                 {"RC-EMAIL-010", "RC-EMAIL-011", "RC-POOL-003", "RC-POOL-006", "RC-POOL-007", "RC-POOL-019"},
		},
		awstest.PoolPhoneOnly: {
			"us-sms":              {"RC-USER-003"},
			"opted-out":           {"RC-USER-012", "RC-USER-013"},
			"email-in-phone-pool": {"RC-USER-002"},
			"pool":                {"RC-POOL-003", "RC-POOL-006", "RC-POOL-007", "RC-SMS-001", "RC-SMS-002", "RC-SMS-008"},
		},
		awstest.PoolEmailThenPhone: {
			"pool": {"RC-EMAIL-010", "RC-EMAIL-011", "RC-POOL-004", "RC-POOL-006", "RC-POOL-007", "RC-POOL-019"},
		},
		awstest.PoolLegacy: {
			"legacy-both": {"RC-USER-018"},
			"pool":        {"RC-EMAIL-010", "RC-EMAIL-011", "RC-POOL-002", "RC-POOL-004", "RC-POOL-006", "RC-POOL-007", "RC-POOL-019"},
		},
		awstest.PoolAdminOnly: {
			"admin-only-user": {"RC-USER-002"},
			"pool":            {"RC-POOL-001"},
		},
		awstest.PoolDeveloper: {
			"suppressed": {"RC-USER-011"},
			"pool":       {"RC-POOL-003", "RC-POOL-006", "RC-POOL-007"},
		},
		awstest.PoolCustomFrom: {
			"pool": {"RC-EMAIL-007", "RC-EMAIL-010", "RC-POOL-003", "RC-POOL-006", "RC-POOL-007", "RC-POOL-019"},
		},
	})

	// Users with a working channel must get no finding at all.
	for _, name := range []string{"confirmed-verified", "reset-required", "sandbox-verified", "both", "deliverable"} {
		for _, f := range report.Findings {
			if f.Resource.Username == name {
				t.Errorf("user %s can recover but got %s", name, f.RuleID)
			}
		}
	}

	// The README's least-privilege policy is exactly what the scan calls.
	called := map[string]bool{}
	for _, call := range log.Calls() {
		called[call] = true
	}
	delete(called, "sts:GetCallerIdentity") // needs no permission
	policy := readmePolicyActions(t)
	for a := range called {
		if !policy[a] {
			t.Errorf("the scan calls %s, which the README's IAM policy does not grant", a)
		}
	}
	for a := range policy {
		if !called[a] {
			t.Errorf("the README's IAM policy grants %s, which the scan never calls", a)
		}
	}

	// Read-only: every operation the scan called is a read.
	for _, call := range log.Calls() {
		_, op, _ := strings.Cut(call, ":")
		op = strings.TrimPrefix(op, "Admin") // AdminGetUser reads one user
		if !strings.HasPrefix(op, "List") && !strings.HasPrefix(op, "Describe") && !strings.HasPrefix(op, "Get") {
			t.Errorf("the scan called %s, which is not a read operation", call)
		}
	}

	// No contact data in any output format, passes included: every
	// format from one scan.
	dir := t.TempDir()
	_, out, errOut := runBinary(t, endpoint, "scan", "--region", e2eRegion, "--with-mfa", "--include-passed",
		"--format", strings.Join(output.Formats(), ","), "--output-dir", dir)
	assertNoContacts(t, "stdout and stderr", out+errOut, w.world)
	files, err := filepath.Glob(filepath.Join(dir, "*"))
	if err != nil || len(files) < len(output.Formats()) {
		t.Fatalf("--output-dir wrote %v (%v), want a file per format", files, err)
	}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		assertNoContacts(t, filepath.Base(f), string(data), w.world)
	}
}

// testSARIF writes SARIF to a file and validates it against the
// SARIF 2.1.0 schema and GitHub's ingestion rules.
func testSARIF(t *testing.T, w *e2eWorld) {
	endpoint := awstest.StartStandIn(t, w.moto, w.world.StandInState())
	out := filepath.Join(t.TempDir(), "results.sarif")
	code, _, stderr := runBinary(t, endpoint, "scan", "--region", e2eRegion, "--format", "sarif", "-o", out, "--fail-on", "high")
	if code != exitFindings {
		t.Fatalf("scan --fail-on high: exit %d, want %d\n%s", code, exitFindings, stderr)
	}
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	for _, err := range sarifcheck.Validate(data) {
		t.Error(err)
	}
	assertNoContacts(t, "sarif file", string(data), w.world)

	// A second scan of the same state fingerprints every result the same.
	out2 := filepath.Join(t.TempDir(), "again.sarif")
	runBinary(t, endpoint, "scan", "--region", e2eRegion, "--format", "sarif", "-o", out2)
	data2, err := os.ReadFile(out2)
	if err != nil {
		t.Fatal(err)
	}
	if a, b := fingerprints(t, data), fingerprints(t, data2); strings.Join(a, ",") != strings.Join(b, ",") {
		t.Errorf("fingerprints changed between two scans of the same state:\n%v\n%v", a, b)
	}
}

func fingerprints(t *testing.T, data []byte) []string {
	t.Helper()
	var log struct {
		Runs []struct {
			Results []struct {
				PartialFingerprints map[string]string `json:"partialFingerprints"`
			} `json:"results"`
		} `json:"runs"`
	}
	if err := json.Unmarshal(data, &log); err != nil {
		t.Fatal(err)
	}
	var fps []string
	for _, run := range log.Runs {
		for _, r := range run.Results {
			fps = append(fps, r.PartialFingerprints["primaryLocationLineHash"])
		}
	}
	sort.Strings(fps)
	return fps
}

// testBareMoto scans moto without the stand-in: the SNS and SESv2
// operations moto lacks cannot be read, so the scan completes but is
// incomplete, and every verdict that depends on them is indeterminate.
func testBareMoto(t *testing.T, w *e2eWorld) {
	code, stdout, stderr := runBinary(t, w.moto, "scan", "--region", e2eRegion, "--with-mfa", "--format", "json")
	if code != exitIncomplete {
		t.Fatalf("scan of bare moto: exit %d, want %d (incomplete)\n%s", code, exitIncomplete, stderr)
	}
	report := decodeReport(t, []byte(stdout))
	got := verdictsOf(t, report, w.world)
	// SMS users: the sandbox state is unknown, so sandbox verdicts are
	// indeterminate; moto's fixed opt-out list does decide opt-outs.
	phone := got[awstest.PoolPhoneOnly]
	if !contains(phone["opted-out"], "RC-USER-013?") {
		t.Errorf("opted-out: want RC-USER-013 indeterminate without the sandbox state, got %v", phone["opted-out"])
	}
	if !contains(phone["sandbox-verified"], "RC-USER-013?") {
		t.Errorf("sandbox-verified: want RC-USER-013 indeterminate without the sandbox state, got %v", phone["sandbox-verified"])
	}
	if !contains(phone["pool"], "RC-SMS-001?") {
		t.Errorf("phone-only pool: want RC-SMS-001 indeterminate, got %v", phone["pool"])
	}
	// The suppressed address cannot be known without the suppression list.
	dev := got[awstest.PoolDeveloper]
	if !contains(dev["suppressed"], "RC-USER-011?") || !contains(dev["deliverable"], "RC-USER-011?") {
		t.Errorf("developer-email pool: want RC-USER-011 indeterminate for every email user, got %v", dev)
	}
	// Verdicts that need nothing moto lacks are still certain.
	if e := got[awstest.PoolEmailOnly]; !contains(e["no-contact"], "RC-USER-001") || !contains(e["force-change"], "RC-USER-005") {
		t.Errorf("email-only pool: certain verdicts were lost: %v", e)
	}
	// Nothing is called fine that could not be judged.
	for _, f := range report.Findings {
		if f.Verdict == policies.Indeterminate && !strings.Contains(fmt.Sprint(f.Evidence), ":") {
			t.Errorf("%s for %s: indeterminate without naming the source: %v", f.RuleID, f.Resource.Username, f.Evidence)
		}
	}
}

// testCollectThenScan collects a snapshot file, then evaluates it
// offline to the same findings as a live scan.
func testCollectThenScan(t *testing.T, w *e2eWorld) {
	endpoint := awstest.StartStandIn(t, w.moto, w.world.StandInState())
	snap := filepath.Join(t.TempDir(), "snap.json")
	if code, _, stderr := runBinary(t, endpoint, "collect", "--region", e2eRegion, "-o", snap); code != exitOK {
		t.Fatalf("collect: exit %d\n%s", code, stderr)
	}
	data, err := os.ReadFile(snap)
	if err != nil {
		t.Fatal(err)
	}
	assertNoContacts(t, "snapshot", string(data), w.world)
	if !strings.Contains(string(data), `"username":"deliverable"`) {
		t.Error("the snapshot does not name its users (usernames are kept unless --pseudonymize)")
	}
	_, offline, _ := runBinary(t, "http://127.0.0.1:1", "scan", "--snapshot", snap, "--format", "json")
	_, live, _ := runBinary(t, endpoint, "scan", "--region", e2eRegion, "--format", "json")
	a, b := decodeReport(t, []byte(offline)), decodeReport(t, []byte(live))
	compareVerdicts(t, verdictsOf(t, a, w.world), verdictsOf(t, b, w.world))

	// Compressed as the file name says, collected or saved by a scan, and
	// evaluated to the same findings.
	dir := t.TempDir()
	zst, gz := filepath.Join(dir, "snap.json.zst"), filepath.Join(dir, "saved.json.gz")
	if code, _, stderr := runBinary(t, endpoint, "collect", "--region", e2eRegion, "-o", zst); code != exitOK {
		t.Fatalf("collect -o %s: exit %d\n%s", zst, code, stderr)
	}
	if code, _, stderr := runBinary(t, endpoint, "scan", "--region", e2eRegion, "--format", "json", "--save-snapshot", gz); code != exitOK && code != exitIncomplete {
		t.Fatalf("scan --save-snapshot %s: exit %d\n%s", gz, code, stderr)
	}
	for path, magic := range map[string]string{zst: "\x28\xb5\x2f\xfd", gz: "\x1f\x8b"} {
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(string(b), magic) {
			t.Errorf("%s is not compressed as its name says: % x", path, b[:min(4, len(b))])
		}
		_, out, stderr := runBinary(t, "http://127.0.0.1:1", "scan", "--snapshot", path, "--format", "json")
		if out == "" {
			t.Fatalf("scan --snapshot %s: %s", path, stderr)
		}
		compareVerdicts(t, verdictsOf(t, decodeReport(t, []byte(out)), w.world), verdictsOf(t, a, w.world))
	}
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// assertNoContacts fails if any fixture email address or phone number
// appears in text.
func assertNoContacts(t *testing.T, what, text string, w *awstest.World) {
	t.Helper()
	lower := strings.ToLower(text)
	for _, c := range w.Contacts() {
		if strings.Contains(lower, strings.ToLower(c)) || strings.Contains(text, strings.TrimPrefix(c, "+")) {
			t.Errorf("%s contains the fixture contact %q", what, c)
		}
	}
}

// testExplain explains every user of the world live and checks what
// ForgotPassword would do.
func testExplain(t *testing.T, w *e2eWorld) {
	endpoint := awstest.StartStandIn(t, w.moto, w.world.StandInState())
	const (
		delivered   = "and the code reaches the user"
		undelivered = "but the code is NOT delivered"
		noCode      = "send no code"
		invalid     = "fail with InvalidParameterException: Cannot reset password for the user as there is no registered/verified email or phone_number"
		notAuth     = "fail with NotAuthorizedException"
	)
	want := map[string]string{
		"confirmed-verified":   delivered,
		"confirmed-unverified": invalid,
		"force-change":         notAuth + ": User password cannot be reset in the current state.",
		"unconfirmed":          noCode,
		"reset-required":       delivered,
		"disabled":             notAuth + ": User is disabled.",
		"phone-only-user":      invalid,
		"no-contact":           invalid,
		"us-sms":               invalid,
		"opted-out":            undelivered,
		"sandbox-verified":     delivered,
		"email-in-phone-pool":  invalid,
		"both":                 delivered,
		"legacy-both":          undelivered,
		"admin-only-user":      notAuth,
		"suppressed":           undelivered,
		"deliverable":          delivered,
	}
	if len(want) != len(w.world.Users) {
		t.Errorf("the world has %d users, the test explains %d", len(w.world.Users), len(want))
	}
	for name, outcome := range want {
		u := w.world.Users[name]
		if u == nil {
			t.Errorf("no user %s in the world", name)
			continue
		}
		pool := w.world.Pools[u.Pool].ID
		code, out, stderr := runBinary(t, endpoint, "explain", "--pool", pool, "--user", name)
		if code != exitOK {
			t.Errorf("explain %s: exit %d\n%s", name, code, stderr)
			continue
		}
		if !strings.Contains(out, outcome) {
			t.Errorf("explain %s: want %q in\n%s", name, outcome, out)
		}
		assertNoContacts(t, "explain "+name, out+stderr, w.world)
	}
	// A user that does not exist is bad input.
	code, _, stderr := runBinary(t, endpoint, "explain", "--pool", w.world.Pools[awstest.PoolEmailOnly].ID, "--user", "nobody")
	if code != exitUsage || !strings.Contains(stderr, "nobody") {
		t.Errorf("explain nobody: exit %d, stderr %q", code, stderr)
	}
}

// readmePolicyActions reads the actions of the IAM policy in the README.
func readmePolicyActions(t *testing.T) map[string]bool {
	t.Helper()
	data, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	text := string(data)
	start := strings.Index(text, "```json\n")
	if start < 0 {
		t.Fatal("README has no IAM policy block")
	}
	text = text[start+len("```json\n"):]
	text = text[:strings.Index(text, "```")]
	var policy struct {
		Statement []struct {
			Action []string
		}
	}
	if err := json.Unmarshal([]byte(text), &policy); err != nil {
		t.Fatalf("README IAM policy: %v", err)
	}
	actions := map[string]bool{}
	for _, st := range policy.Statement {
		for _, a := range st.Action {
			actions[a] = true
		}
	}
	return actions
}

// testPseudonymize collects with --pseudonymize twice: no username or sub
// of the world appears, and the same key gives the same pseudonyms.
func testPseudonymize(t *testing.T, w *e2eWorld) {
	endpoint := awstest.StartStandIn(t, w.moto, w.world.StandInState())
	dir := t.TempDir()
	// The same key, once from the environment and once from a file.
	keyFile := filepath.Join(dir, "key")
	if err := os.WriteFile(keyFile, []byte("a-test-key-that-is-long-enough\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	var snaps []string
	for i, name := range []string{"a.json", "b.json"} {
		path := filepath.Join(dir, name)
		args := []string{"collect", "--region", e2eRegion, "--pseudonymize", "-o", path}
		if i == 0 {
			t.Setenv(pseudonymKeyEnv, "a-test-key-that-is-long-enough")
		} else {
			t.Setenv(pseudonymKeyEnv, "")
			args = append(args, "--pseudonym-key-file", keyFile)
		}
		if code, _, stderr := runBinary(t, endpoint, args...); code != exitOK {
			t.Fatalf("collect --pseudonymize: exit %d\n%s", code, stderr)
		}
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		snaps = append(snaps, string(data))
	}
	for name := range w.world.Users {
		if strings.Contains(snaps[0], `"username":"`+name+`"`) {
			t.Errorf("the pseudonymized snapshot names user %s", name)
		}
	}
	stripTime := func(s string) string { return s[strings.Index(s, `"tool"`):] }
	if stripTime(snaps[0]) != stripTime(snaps[1]) {
		t.Error("two pseudonymized collections of the same state differ")
	}
	assertNoContacts(t, "pseudonymized snapshot", snaps[0], w.world)
}

// testInterrupt interrupts a collection that is waiting on a page: the
// binary says so, exits 3, and leaves no file, partial or temporary.
func testInterrupt(t *testing.T, w *e2eWorld) {
	st := w.world.StandInState()
	st.Hang = map[string]bool{"ListUsers": true}
	endpoint := awstest.StartStandIn(t, w.moto, st)
	dir := t.TempDir()
	out := filepath.Join(dir, "snap.json")
	cmd := exec.Command(binary(t), "collect", "--region", e2eRegion, "-o", out)
	cmd.Env = append(os.Environ(), "AWS_ENDPOINT_URL="+endpoint, "AWS_ACCESS_KEY_ID=testing",
		"AWS_SECRET_ACCESS_KEY=testing", "AWS_MAX_ATTEMPTS=1", "AWS_PROFILE=")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	// Interrupt once the collector is stuck in ListUsers.
	deadline := time.Now().Add(time.Minute)
	for !hasTempFile(dir) && time.Now().Before(deadline) {
		time.Sleep(50 * time.Millisecond)
	}
	time.Sleep(500 * time.Millisecond)
	_ = cmd.Process.Signal(os.Interrupt)
	err := cmd.Wait()
	var ee *exec.ExitError
	if !errors.As(err, &ee) || ee.ExitCode() != exitIncomplete {
		t.Fatalf("interrupted collect: %v, want exit %d\n%s", err, exitIncomplete, stderr.String())
	}
	if !strings.Contains(stderr.String(), "interrupted") || !strings.Contains(stderr.String(), "nothing was written to") {
		t.Errorf("the interruption is not explained: %s", stderr.String())
	}
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		t.Errorf("left behind: %s", e.Name())
	}
}

func hasTempFile(dir string) bool {
	entries, _ := os.ReadDir(dir)
	return len(entries) > 0
}

// testSecrets scans with credentials carrying a recognisable marker and
// debug logging, and checks that neither the credentials nor the app
// client's secret reach the snapshot, any report or the logs.
func testSecrets(t *testing.T, w *e2eWorld) {
	ctx := context.Background()
	cfg, err := awstest.Config(ctx, w.moto, e2eRegion, 1)
	if err != nil {
		t.Fatal(err)
	}
	pool := w.world.Pools[awstest.PoolEmailOnly]
	out, err := cip.NewFromConfig(cfg).DescribeUserPoolClient(ctx, &cip.DescribeUserPoolClientInput{
		UserPoolId: aws.String(pool.ID), ClientId: aws.String(pool.Clients["web-secret"]),
	})
	if err != nil {
		t.Fatal(err)
	}
	clientSecret := aws.ToString(out.UserPoolClient.ClientSecret)
	if clientSecret == "" {
		t.Fatal("the fixture client has no secret to look for")
	}
	const keyMarker, secretMarker = "AKIAMARKER7EXAMPLE42", "secret-marker-2f4c9e1a-do-not-leak"
	endpoint := awstest.StartStandIn(t, w.moto, w.world.StandInState())
	dir := t.TempDir()
	snap := filepath.Join(dir, "snap.json")
	var seen strings.Builder
	for _, args := range [][]string{
		{"collect", "--region", e2eRegion, "-o", snap, "--log-level", "debug"},
		{"scan", "--region", e2eRegion, "--format", "json", "--log-level", "debug"},
		{"scan", "--region", e2eRegion, "--format", "sarif", "--log-level", "debug"},
		{"scan", "--region", e2eRegion, "--format", "table", "--log-level", "debug"},
	} {
		cmd := exec.Command(binary(t), args...)
		cmd.Env = append(os.Environ(), "AWS_ENDPOINT_URL="+endpoint, "AWS_ACCESS_KEY_ID="+keyMarker,
			"AWS_SECRET_ACCESS_KEY="+secretMarker, "AWS_MAX_ATTEMPTS=2", "AWS_PROFILE=")
		b, _ := cmd.CombinedOutput()
		seen.Write(b)
	}
	data, err := os.ReadFile(snap)
	if err != nil {
		t.Fatal(err)
	}
	seen.Write(data)
	for what, secret := range map[string]string{"access key": keyMarker, "secret key": secretMarker, "client secret": clientSecret} {
		if strings.Contains(seen.String(), secret) {
			t.Errorf("the %s reached the snapshot, a report or the logs", what)
		}
	}
	if !strings.Contains(string(data), `"has_secret":true`) {
		t.Error("the snapshot does not record that the client has a secret")
	}
}
