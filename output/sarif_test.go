package output

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/recoverscan/recoverscan/policies"
)

// sarifDoc is the part of a SARIF log the tests read.
type sarifDoc struct {
	Runs []struct {
		AutomationDetails struct {
			ID string `json:"id"`
		} `json:"automationDetails"`
		Tool struct {
			Driver struct {
				Name            string `json:"name"`
				SemanticVersion string `json:"semanticVersion"`
				Rules           []struct {
					ID         string         `json:"id"`
					Name       string         `json:"name"`
					Properties map[string]any `json:"properties"`
					Full       struct {
						Text string `json:"text"`
					} `json:"fullDescription"`
					HelpURI              string `json:"helpUri"`
					DefaultConfiguration struct {
						Level string `json:"level"`
					} `json:"defaultConfiguration"`
				} `json:"rules"`
			} `json:"driver"`
		} `json:"tool"`
		Results []struct {
			RuleID  string `json:"ruleId"`
			Level   string `json:"level"`
			Message struct {
				Text string `json:"text"`
			} `json:"message"`
			Locations []struct {
				PhysicalLocation struct {
					ArtifactLocation struct {
						URI string `json:"uri"`
					} `json:"artifactLocation"`
				} `json:"physicalLocation"`
			} `json:"locations"`
			PartialFingerprints map[string]string `json:"partialFingerprints"`
			Properties          map[string]any    `json:"properties"`
		} `json:"results"`
		Properties map[string]any `json:"properties"`
	} `json:"runs"`
}

func parseSARIF(t testing.TB, data []byte) sarifDoc {
	t.Helper()
	var d sarifDoc
	if err := json.Unmarshal(data, &d); err != nil {
		t.Fatal(err)
	}
	return d
}

// fingerprints maps "run/rule/uri/verdict" to the result's fingerprint.
func fingerprints(t testing.TB, data []byte) map[string]string {
	t.Helper()
	out := map[string]string{}
	for _, run := range parseSARIF(t, data).Runs {
		for _, r := range run.Results {
			k := fmt.Sprintf("%s|%s|%s|%v", run.AutomationDetails.ID, r.RuleID, r.Locations[0].PhysicalLocation.ArtifactLocation.URI, r.Properties["verdict"])
			if _, dup := out[k]; dup {
				t.Fatalf("two results share %s", k)
			}
			out[k] = r.PartialFingerprints[fingerprintKey]
		}
	}
	return out
}

func TestSARIFShape(t *testing.T) {
	r := fixtureReport()
	data := render(t, FormatSARIF, r, Options{})
	assertValidSARIF(t, data)
	d := parseSARIF(t, data)
	if len(d.Runs) != len(r.Scopes) {
		t.Fatalf("%d runs for %d scopes", len(d.Runs), len(r.Scopes))
	}
	wantIDs := []string{"recoverscan/111111111111/us-east-1/", "recoverscan/222222222222/eu-west-1/", "recoverscan/222222222222/eu-west-2/"}
	for i, run := range d.Runs {
		if run.AutomationDetails.ID != wantIDs[i] {
			t.Errorf("run %d: automationDetails.id = %q, want %q", i, run.AutomationDetails.ID, wantIDs[i])
		}
		if run.Tool.Driver.Name != "recoverscan" || run.Tool.Driver.SemanticVersion != "1.2.3" {
			t.Errorf("run %d: driver %s %s", i, run.Tool.Driver.Name, run.Tool.Driver.SemanticVersion)
		}
		if len(run.Tool.Driver.Rules) != len(r.Rules) {
			t.Errorf("run %d: %d rules, want all %d", i, len(run.Tool.Driver.Rules), len(r.Rules))
		}
	}
	rules := d.Runs[0].Tool.Driver.Rules
	byID := map[string]int{}
	for i, rule := range rules {
		byID[rule.ID] = i
	}
	user1 := rules[byID["RC-USER-001"]]
	if user1.Name != "NoVerifiedEmailAddressOrPhoneNumber" {
		t.Errorf("name = %q", user1.Name)
	}
	if user1.Properties["security-severity"] != "9.5" || user1.DefaultConfiguration.Level != "error" {
		t.Errorf("critical rule: %v %s", user1.Properties["security-severity"], user1.DefaultConfiguration.Level)
	}
	if !strings.HasPrefix(user1.HelpURI, "https://docs.aws.amazon.com/") {
		t.Errorf("helpUri = %q", user1.HelpURI)
	}
	pool1 := rules[byID["RC-POOL-001"]]
	if !strings.Contains(pool1.HelpURI, "how-to-recover") {
		t.Errorf("helpUri should skip the invalid link: %q", pool1.HelpURI)
	}
	custom := rules[byID["XX-CUSTOM-001"]]
	if n := len([]rune(custom.Full.Text)); n > 1024 || !strings.HasSuffix(custom.Full.Text, "…") {
		t.Errorf("long description not truncated: %d runes", n)
	}
	if custom.Properties["security-severity"] != "2.0" || custom.DefaultConfiguration.Level != "note" || custom.Properties["precision"] != "high" {
		t.Errorf("custom low rule: %v", custom.Properties)
	}
	want := map[string]string{"RC-USER-002": "8.0", "RC-USER-003": "5.5"}
	for id, sev := range want {
		if got := rules[byID[id]].Properties["security-severity"]; got != sev {
			t.Errorf("%s security-severity = %v, want %s", id, got, sev)
		}
	}

	// Per-user findings aggregate to one result per rule, pool and verdict.
	var found bool
	for _, res := range d.Runs[0].Results {
		if res.RuleID == "RC-USER-001" && strings.Contains(res.Message.Text, "prod-customers") {
			found = true
			if !strings.HasPrefix(res.Message.Text, "57 users in pool prod-customers (us-east-1\\_AAAAAAAAA): No verified email address or phone number.") {
				t.Errorf("message = %q", res.Message.Text)
			}
			if res.Properties["count"] != float64(57) {
				t.Errorf("count = %v", res.Properties["count"])
			}
			if uri := res.Locations[0].PhysicalLocation.ArtifactLocation.URI; uri != "cognito/111111111111/us-east-1/us-east-1_AAAAAAAAA" {
				t.Errorf("uri = %q", uri)
			}
		}
		if res.RuleID == "RC-USER-003" {
			if res.Level != "note" || !strings.Contains(res.Message.Text, "cognito-idp:AdminGetUser") {
				t.Errorf("indeterminate result: %s %q", res.Level, res.Message.Text)
			}
		}
		if res.RuleID == "RC-EMAIL-001" {
			if res.Level != "warning" || !strings.Contains(res.Message.Text, "ses:GetEmailIdentity") {
				t.Errorf("indeterminate critical result: %s %q", res.Level, res.Message.Text)
			}
		}
	}
	if !found {
		t.Error("no aggregated RC-USER-001 result")
	}
	if got := len(d.Runs[0].Results); got != 9 {
		t.Errorf("run 0 has %d results, want 9 (3 user groups in A, 1 in B, pool, 2 clients, sms, email)", got)
	}
}

// No username, sub, email address, phone number or masked form may reach
// SARIF, even where a message, name or error carries one.
func TestSARIFPrivacy(t *testing.T) {
	r := fixtureReport()
	// Make it hostile: contact data where rules never put it.
	r.Scopes[0].Pools[0].Name = "pool of alice.liddell@example.com"
	r.Findings = append(r.Findings, policies.Finding{
		RuleID: "RC-SMS-001", Title: "SNS account is in the SMS sandbox", Severity: policies.High, Kind: policies.KindSMS, Verdict: policies.Fail,
		Message:  "Verified destinations: +14155550123 and +1******0123; owner jane.doe@example.com",
		Resource: policies.Resource{Account: acctB, Region: "eu-west-1", PoolID: poolC, PoolName: "b***@e***.org"},
	})
	r.Rules[0].Description += " Contact bob.builder@example.org or +14155550123."
	data := render(t, FormatSARIF, r, Options{})
	assertValidSARIF(t, data)
	text := string(data)
	leaks := append(fixtureIdentities(r), fixtureContacts...)
	for _, s := range leaks {
		if strings.Contains(text, s) {
			t.Errorf("SARIF contains %q", s)
		}
	}
	if !strings.Contains(text, "[email redacted]") || !strings.Contains(text, "[phone redacted]") {
		t.Error("scrubber did not mask the planted contact data")
	}
}

func TestSARIFFingerprintsAreStable(t *testing.T) {
	a := fingerprints(t, render(t, FormatSARIF, fixtureReport(), Options{}))
	b := fingerprints(t, render(t, FormatSARIF, fixtureReport(), Options{}))
	if len(a) == 0 || fmt.Sprint(a) != fmt.Sprint(b) {
		t.Fatal("equal reports gave different fingerprints")
	}
	seen := map[string]string{}
	for k, fp := range a {
		if !validFingerprint(fp) {
			t.Errorf("%s: fingerprint %q is not <16 hex>:1", k, fp)
		}
		if other, dup := seen[fp]; dup {
			t.Errorf("%s and %s share fingerprint %s", k, other, fp)
		}
		seen[fp] = k
	}

	// Fewer failing users: same alert, same fingerprint.
	r := fixtureReport()
	kept := r.Findings[:0]
	dropped := 0
	for _, f := range r.Findings {
		if f.RuleID == "RC-USER-001" && f.Resource.PoolID == poolA && strings.HasPrefix(f.Resource.Username, "user0") && dropped < 10 {
			dropped++
			continue
		}
		kept = append(kept, f)
	}
	r.Findings = kept
	data := render(t, FormatSARIF, r, Options{})
	if !strings.Contains(string(data), "47 users in pool prod-customers") {
		t.Fatal("count did not change")
	}
	c := fingerprints(t, data)
	if fmt.Sprint(a) != fmt.Sprint(c) {
		t.Error("a changed count changed fingerprints")
	}

	// Another pool: another fingerprint.
	r = fixtureReport()
	for i := range r.Findings {
		if r.Findings[i].Resource.PoolID == poolA {
			r.Findings[i].Resource.PoolID = "us-east-1_ZZZZZZZZZ"
		}
	}
	d := fingerprints(t, render(t, FormatSARIF, r, Options{}))
	old := map[string]bool{}
	for _, fp := range a {
		old[fp] = true
	}
	for k, fp := range d {
		if strings.Contains(k, "us-east-1_ZZZZZZZZZ") && old[fp] {
			t.Errorf("%s kept a fingerprint of the old pool", k)
		}
	}
}

func validFingerprint(s string) bool {
	hexPart, line, ok := strings.Cut(s, ":")
	if !ok || line != "1" || len(hexPart) != 16 {
		return false
	}
	return strings.Trim(hexPart, "0123456789abcdef") == ""
}

// A report far past GitHub's limits still yields a valid upload: results
// capped at 5,000 per run, the most severe kept, the drop recorded.
func TestSARIFLargeReportIsCapped(t *testing.T) {
	r := fixtureReport()
	rules := map[string]policies.Rule{}
	for _, rule := range r.Rules {
		rules[rule.ID] = rule
	}
	addF := func(id, pool, client, user string) {
		rule := rules[id]
		r.Findings = append(r.Findings, policies.Finding{
			RuleID: rule.ID, Title: rule.Title, Severity: rule.Severity, Kind: rule.Kind, Verdict: policies.Fail,
			Message:  "synthetic",
			Resource: policies.Resource{Account: acctA, Region: "us-east-1", PoolID: pool, ClientID: client, Username: user},
		})
	}
	// 30,000 client findings (medium) across 300 pools, 1,000 critical
	// email findings, and 30,000 per-user findings that aggregate away.
	for p := 0; p < 300; p++ {
		pool := fmt.Sprintf("us-east-1_P%08d", p)
		for c := 0; c < 100; c++ {
			addF("RC-CLIENT-001", pool, fmt.Sprintf("client%03d", c), "")
		}
		for u := 0; u < 100; u++ {
			addF("RC-USER-001", pool, "", fmt.Sprintf("u%03d", u))
		}
	}
	for p := 0; p < 1000; p++ {
		addF("RC-EMAIL-001", fmt.Sprintf("us-east-1_E%08d", p), "", "")
	}
	policies.SortFindings(r.Findings)

	data := render(t, FormatSARIF, r, Options{})
	assertValidSARIF(t, data)
	d := parseSARIF(t, data)
	run := d.Runs[0]
	if len(run.Results) != maxResultsPerRun {
		t.Fatalf("%d results, want the cap of %d", len(run.Results), maxResultsPerRun)
	}
	// Run 0 holds 9 fixture results + 300 user groups + 30,000 client + 1,000 email.
	total := 9 + 300 + 30000 + 1000
	if run.Properties["results_total"] != float64(total) || run.Properties["results_dropped"] != float64(total-maxResultsPerRun) {
		t.Errorf("properties = %v", run.Properties)
	}
	counts := map[string]int{}
	for _, res := range run.Results {
		counts[res.RuleID]++
	}
	// Every critical and high result survives; medium ones fill the rest.
	if counts["RC-EMAIL-001"] != 1001 || counts["RC-USER-001"] != 302 {
		t.Errorf("most severe results were dropped: %v", counts)
	}
	// Medium: the two fixture clients first (pool ids sort before the
	// synthetic ones); RC-USER-003 (medium, indeterminate) sorts after
	// RC-CLIENT-001 and is dropped.
	if counts["RC-CLIENT-001"] != maxResultsPerRun-1001-302-3 || counts["RC-USER-003"] != 0 {
		t.Errorf("unexpected mix: %v", counts)
	}
	for _, other := range d.Runs[1:] {
		if len(other.Results) > maxResultsPerRun {
			t.Errorf("run %s over the cap", other.AutomationDetails.ID)
		}
	}
}

func TestSARIFTooManyScopes(t *testing.T) {
	r := &policies.Report{Version: "1.0.0"}
	for i := 0; i < 21; i++ {
		r.Scopes = append(r.Scopes, policies.Scope{Account: acctA, Region: fmt.Sprintf("region-%02d", i)})
	}
	var buf strings.Builder
	err := Write(&buf, FormatSARIF, r, Options{})
	var tm *TooManyRunsError
	if !errors.As(err, &tm) || tm.Runs != 21 {
		t.Fatalf("err = %v, want TooManyRunsError", err)
	}
	r.Scopes = r.Scopes[:20]
	assertValidSARIF(t, render(t, FormatSARIF, r, Options{}))
}

// Unknown rules, odd identifiers and duplicate scopes still yield a valid,
// unique-categoried upload.
func TestSARIFDefensive(t *testing.T) {
	r := &policies.Report{Version: "dev"}
	r.Scopes = []policies.Scope{
		{Account: "acct one", Region: "us east"},
		{Account: "acct one", Region: "us east"}, // duplicate: one run
		{Account: "acct/one", Region: "us:east"}, // sanitises to the same id
	}
	r.Findings = []policies.Finding{
		{RuleID: "NOT-IN-CATALOGUE", Severity: "bogus", Verdict: policies.Fail,
			Resource: policies.Resource{Account: "acct one", Region: "us east", PoolID: "../..", ClientID: "a b?c#d"}},
		{RuleID: "NOT-IN-CATALOGUE", Severity: "bogus", Verdict: policies.Fail, Message: "second",
			Resource: policies.Resource{Account: "acct one", Region: "us east", PoolID: "../..", ClientID: "a b?c#d"}},
		{RuleID: "ORPHAN", Severity: policies.High, Verdict: policies.Indeterminate, Kind: policies.KindPool,
			Resource: policies.Resource{Account: "elsewhere", Region: "xx-1"}},
	}
	data := render(t, FormatSARIF, r, Options{})
	assertValidSARIF(t, data)
	d := parseSARIF(t, data)
	if len(d.Runs) != 3 {
		t.Fatalf("%d runs, want 3", len(d.Runs))
	}
	if len(d.Runs[0].Results) != 2 || d.Runs[0].Results[0].PartialFingerprints[fingerprintKey] == d.Runs[0].Results[1].PartialFingerprints[fingerprintKey] {
		t.Error("colliding findings must get distinct fingerprints")
	}
	if uri := d.Runs[0].Results[0].Locations[0].PhysicalLocation.ArtifactLocation.URI; uri != "cognito/acct_one/us_east/.._../clients/a_b_c_d" {
		t.Errorf("uri = %q", uri)
	}
}

func TestScrub(t *testing.T) {
	cases := map[string]string{
		"mail alice@example.com now":             "mail [email redacted] now",
		"masked a***@e***.com":                   "masked [email redacted]",
		"call +14155550123.":                     "call [phone redacted].",
		"masked +*******0123 and +1******0123":   "masked [phone redacted] and [phone redacted]",
		"nothing here: RC-USER-001, +5 more":     "nothing here: RC-USER-001, +5 more",
		"https://docs.aws.amazon.com/x.html":     "https://docs.aws.amazon.com/x.html",
		"bad utf8 \xff":                          "bad utf8 \uFFFD",
		"role/Auditor/jane.doe@example.com is x": "role/Auditor/[email redacted] is x",
	}
	for in, want := range cases {
		if got := scrub(in); got != want {
			t.Errorf("scrub(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestNamesAndLimits(t *testing.T) {
	if got := camelName(&policies.Rule{ID: "X-1", Title: "SNS account is in the SMS sandbox"}); got != "SNSAccountIsInTheSMSSandbox" {
		t.Errorf("camelName = %q", got)
	}
	if got := camelName(&policies.Rule{ID: "RC-USER-001"}); got != "RCUSER001" {
		t.Errorf("camelName(no title) = %q", got)
	}
	long := &policies.Rule{ID: "L", Title: strings.Repeat("word ", 200)}
	if n := len([]rune(truncate(camelName(long), maxNameLen))); n > maxNameLen {
		t.Errorf("name of %d runes", n)
	}
	if got := truncate("héllo wörld", 6); got != "héllo…" {
		t.Errorf("truncate = %q", got)
	}
	tags := ruleTags(&policies.Rule{Kind: policies.KindUser, BlocksRecovery: true, Custom: true})
	if len(tags) > maxTags || tags[0] != "security" {
		t.Errorf("tags = %v", tags)
	}
}

func TestSplitScopes(t *testing.T) {
	r := &policies.Report{Tool: "recoverscan", Version: "1.0.0"}
	for i := 0; i < 45; i++ {
		region := fmt.Sprintf("region-%02d", i)
		r.Scopes = append(r.Scopes, policies.Scope{Account: "111111111111", Region: region})
		r.Findings = append(r.Findings, policies.Finding{RuleID: "RC-POOL-001", Severity: policies.High, Kind: policies.KindPool,
			Verdict: policies.Fail, Message: "m", Resource: policies.Resource{Account: "111111111111", Region: region, PoolID: region + "_p"}})
	}
	parts := SplitScopes(r, MaxRunsPerFile)
	if len(parts) != 3 || len(parts[0].Scopes) != 20 || len(parts[2].Scopes) != 5 {
		t.Fatalf("split into %d parts", len(parts))
	}
	total := 0
	for _, p := range parts {
		total += len(p.Findings)
		for _, f := range p.Findings {
			found := false
			for _, s := range p.Scopes {
				found = found || (s.Region == f.Resource.Region)
			}
			if !found {
				t.Errorf("finding of %s is in a part without its scope", f.Resource.Region)
			}
		}
		assertValidSARIF(t, render(t, FormatSARIF, p, Options{}))
	}
	if total != len(r.Findings) {
		t.Errorf("the parts hold %d findings, want %d", total, len(r.Findings))
	}
}

// One rule indeterminate about one pool for two unread sources, in the same
// words: two alerts, told apart by their sources, in the same order and
// with the same fingerprints whatever order the findings came in.
func TestSARIFIndeterminateSourcesTellApart(t *testing.T) {
	finding := func(action string) policies.Finding {
		return policies.Finding{RuleID: "RC-SMS-003", Severity: policies.High, Kind: policies.KindSMS,
			Verdict: policies.Indeterminate, Message: "Some origination identities were not read.",
			Resource: policies.Resource{Account: "111111111111", Region: "eu-west-1", PoolID: "eu-west-1_p"},
			Evidence: map[string]any{"source": map[string]any{"status": "denied", "action": action, "error": "AccessDenied"}}}
	}
	report := func(actions ...string) *policies.Report {
		r := &policies.Report{Tool: "recoverscan", Scopes: []policies.Scope{{Account: "111111111111", Region: "eu-west-1"}}}
		for _, a := range actions {
			r.Findings = append(r.Findings, finding(a))
		}
		return r
	}
	a := render(t, FormatSARIF, report("sns:ListOriginationNumbers", "sms-voice:DescribePhoneNumbers"), Options{})
	b := render(t, FormatSARIF, report("sms-voice:DescribePhoneNumbers", "sns:ListOriginationNumbers"), Options{})
	if !bytes.Equal(a, b) {
		t.Error("the order of the findings changed the log")
	}
	rs := parseSARIF(t, a).Runs[0].Results
	if len(rs) != 2 {
		t.Fatalf("%d results, want 2", len(rs))
	}
	if rs[0].PartialFingerprints[fingerprintKey] == rs[1].PartialFingerprints[fingerprintKey] {
		t.Errorf("both results have fingerprint %s", rs[0].PartialFingerprints[fingerprintKey])
	}
}
