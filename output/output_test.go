package output

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/recoverscan/recoverscan/policies"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

func render(t testing.TB, format string, r *policies.Report, opts Options) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := Write(&buf, format, r, opts); err != nil {
		t.Fatalf("Write(%s): %v", format, err)
	}
	return buf.Bytes()
}

// TestGolden renders the fixture in every format and compares with
// testdata/. Regenerate with: go test ./output -run Golden -update
func TestGolden(t *testing.T) {
	cases := []struct {
		file   string
		format string
		opts   Options
	}{
		{"report.table.golden", FormatTable, Options{}},
		{"report.table-color.golden", FormatTable, Options{Color: true}},
		{"report.json.golden", FormatJSON, Options{}},
		{"report.sarif.golden", FormatSARIF, Options{}},
		{"report.md.golden", FormatMarkdown, Options{}},
	}
	for _, c := range cases {
		t.Run(c.file, func(t *testing.T) {
			got := render(t, c.format, fixtureReport(), c.opts)
			if again := render(t, c.format, fixtureReport(), c.opts); !bytes.Equal(got, again) {
				t.Fatal("two renders of the same report differ")
			}
			path := filepath.Join("testdata", c.file)
			if *update {
				if err := os.WriteFile(path, got, 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run with -update to create it)", err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("%s differs from the golden file; diff it with -update and git diff.\n--- got ---\n%s", c.file, head(got, 3000))
			}
		})
	}
}

func head(b []byte, n int) string {
	if len(b) > n {
		return string(b[:n]) + "\n…"
	}
	return string(b)
}

func TestGoldenSARIFIsValid(t *testing.T) {
	data, err := os.ReadFile("testdata/report.sarif.golden")
	if err != nil {
		t.Fatal(err)
	}
	assertValidSARIF(t, data)
}

func TestFormats(t *testing.T) {
	if got := strings.Join(Formats(), ","); got != "table,asff,csv,html,json,markdown,ocsf,sarif" {
		t.Errorf("Formats() = %s", got)
	}
	var buf bytes.Buffer
	err := Write(&buf, "yaml", fixtureReport(), Options{})
	var ufe *UnknownFormatError
	if !errors.As(err, &ufe) || ufe.Format != "yaml" {
		t.Fatalf("Write(yaml) = %v, want an UnknownFormatError", err)
	}
	for _, f := range Formats() {
		if !strings.Contains(err.Error(), f) {
			t.Errorf("error %q does not list %s", err, f)
		}
	}
	if err := Write(&buf, FormatJSON, nil, Options{}); err == nil {
		t.Error("Write(nil report) succeeded")
	}
}

func TestEmptyReport(t *testing.T) {
	r := &policies.Report{Tool: "recoverscan", Version: "0.0.0"}
	for _, f := range Formats() {
		out := render(t, f, r, Options{})
		if len(out) == 0 {
			t.Errorf("%s: empty output", f)
		}
		if f == FormatSARIF {
			assertValidSARIF(t, out)
		}
		if f == FormatJSON && !json.Valid(out) {
			t.Errorf("json: invalid: %s", out)
		}
	}
}

// --- table ---

func TestTableAggregatesUsers(t *testing.T) {
	out := squeeze(string(render(t, FormatTable, fixtureReport(), Options{})))
	// 57 users fail RC-USER-001 in pool A: one row, three samples.
	want := "RC-USER-001 57 users No verified email address or phone number — alice.liddell@example.com, bob.builder, user001, … +54 more"
	if !strings.Contains(out, want) {
		t.Errorf("table lacks the aggregated row %q:\n%s", want, out)
	}
	if strings.Contains(out, "user002") {
		t.Error("table lists more than three sample users")
	}
	for _, s := range []string{
		"Account 111111111111, region us-east-1",
		"Pool prod-customers (us-east-1_AAAAAAAAA): 1,234,567 users: 1,234,480 can receive a code, 79 cannot, 8 may not",
		"client 3n1a9v0example0client1",
		"indeterminate: The SES identity could not be read. (grant ses:GetEmailIdentity)",
		"88 findings: 61 critical, 14 high, 10 medium, 3 low (9 indeterminate)",
		"1,234,612 users: 1,234,519 can receive a recovery code, 82 cannot, 11 may not",
		"Permission denied: grant cognito-idp:AdminGetUser, cognito-idp:ListUsers, ses:GetEmailIdentity and scan again.",
		"could not read pool us-east-1_BBBBBBBBB users: denied (grant cognito-idp:ListUsers)",
	} {
		if !strings.Contains(out, s) {
			t.Errorf("table lacks %q", s)
		}
	}
	if strings.Contains(out, "\x1b[") {
		t.Error("plain table has ANSI escapes")
	}
	color := string(render(t, FormatTable, fixtureReport(), Options{Color: true}))
	if !strings.Contains(color, "\x1b[1;31mCRITICAL\x1b[0m") {
		t.Error("coloured table does not colour CRITICAL")
	}
	if squeeze(stripANSI(color)) != out {
		t.Error("coloured table differs from the plain one beyond escapes")
	}
}

// squeeze collapses runs of spaces, so assertions do not depend on
// column widths.
func squeeze(s string) string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = strings.Join(strings.Fields(l), " ")
	}
	return strings.Join(lines, "\n")
}

func stripANSI(s string) string {
	for _, c := range severityColor {
		s = strings.ReplaceAll(s, c, "")
	}
	return strings.ReplaceAll(s, ansiReset, "")
}

func TestTableManyUsers(t *testing.T) {
	r := fixtureReport()
	rule := r.Rules[4] // RC-USER-001
	for i := 0; i < 20000; i++ {
		r.Findings = append(r.Findings, policies.Finding{
			RuleID: rule.ID, Title: rule.Title, Severity: rule.Severity, Kind: rule.Kind, Verdict: policies.Fail,
			Resource: policies.Resource{Account: acctB, Region: "eu-west-1", PoolID: poolC, Username: fmt.Sprintf("zz%05d", 19999-i)},
		})
	}
	out := squeeze(string(render(t, FormatTable, r, Options{})))
	// Unsorted input: samples are still the smallest names.
	if !strings.Contains(out, "20,088 findings: 20,061 critical") {
		t.Error("summary counts lack thousands separators")
	}
	if !strings.Contains(out, "20,001 users No verified email address or phone number — erin.partner, zz00000, zz00001, … +19,998 more") {
		t.Errorf("unexpected aggregation:\n%s", out)
	}
}

// --- json ---

func TestJSONIsTheWholeReport(t *testing.T) {
	r := fixtureReport()
	out := render(t, FormatJSON, r, Options{})
	var doc struct {
		Summary Summary `json:"summary"`
		policies.Report
	}
	if err := json.Unmarshal(out, &doc); err != nil {
		t.Fatal(err)
	}
	if len(doc.Findings) != len(r.Findings) || len(doc.Rules) != len(r.Rules) || len(doc.Scopes) != len(r.Scopes) {
		t.Fatalf("round trip lost data: %d/%d findings", len(doc.Findings), len(r.Findings))
	}
	if doc.Findings[0].Evidence == nil {
		t.Error("evidence missing")
	}
	s := doc.Summary
	if !s.Incomplete || s.Findings != len(r.Findings) || s.Users.Total != 1234612 || s.ByVerdict.Indeterminate != 9 {
		t.Errorf("summary = %+v", s)
	}
	if got := strings.Join(s.MissingPermissions, ","); got != "cognito-idp:AdminGetUser,cognito-idp:ListUsers,ses:GetEmailIdentity" {
		t.Errorf("missing permissions = %s", got)
	}
	if s.BySeverity.Critical+s.BySeverity.High+s.BySeverity.Medium+s.BySeverity.Low != s.Findings {
		t.Errorf("severity counts do not add up: %+v", s.BySeverity)
	}
}

// The streamed document must be byte for byte what encoding it whole
// would give.
func TestJSONStreamingMatchesEncoder(t *testing.T) {
	for _, r := range []*policies.Report{fixtureReport(), {Tool: "recoverscan"}} {
		got := render(t, FormatJSON, r, Options{})
		var want bytes.Buffer
		enc := json.NewEncoder(&want)
		enc.SetEscapeHTML(false)
		enc.SetIndent("", "  ")
		whole := struct {
			Summary Summary `json:"summary"`
			*policies.Report
		}{Summarize(r), r}
		if r.Findings == nil {
			r.Findings = []policies.Finding{} // streaming writes [] for none
		}
		if err := enc.Encode(whole); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want.Bytes()) {
			t.Errorf("streamed JSON differs from encoding/json:\n%s\n---\n%s", head(got, 2000), head(want.Bytes(), 2000))
		}
	}
}

// --- helpers ---

func TestThousands(t *testing.T) {
	for n, want := range map[int64]string{0: "0", 7: "7", 999: "999", 1000: "1,000", 1234567: "1,234,567", -1234: "-1,234", 100000: "100,000"} {
		if got := thousands(n); got != want {
			t.Errorf("thousands(%d) = %s, want %s", n, got, want)
		}
	}
}

func TestFindingSourcesIsLenient(t *testing.T) {
	cases := []map[string]any{
		{"source": map[string]any{"status": "denied", "action": "a:B"}},
		{"source": map[string]string{"status": "denied", "action": "a:B"}},
		{"sources": []any{map[string]any{"status": "denied", "action": "a:B"}}},
		{"status": "denied", "action": "a:B"},
	}
	for i, ev := range cases {
		got := findingSources(ev)
		if len(got) != 1 || got[0].Action != "a:B" || got[0].Status != "denied" {
			t.Errorf("case %d: %+v", i, got)
		}
	}
	for _, ev := range []map[string]any{nil, {"source": "nonsense"}, {"source": 3}, {"other": true}} {
		if got := findingSources(ev); len(got) != 0 {
			t.Errorf("%v: %+v", ev, got)
		}
	}
}

func TestSettleHint(t *testing.T) {
	tests := []struct{ status, action, want string }{
		{"denied", "sns:GetSMSAttributes", "grant sns:GetSMSAttributes"},
		{"throttled", "cognito-idp:AdminGetUser", "cognito-idp:AdminGetUser was throttled: scan again"},
		{"skipped", "cognito-idp:AdminGetUser", "scan with --with-mfa to read cognito-idp:AdminGetUser"},
		{"unavailable", "sns:ListOriginationNumbers", "sns:ListOriginationNumbers is not available from this endpoint or region"},
		{"denied", "", ""},
	}
	for _, tt := range tests {
		if got := settleHint(sourceInfo{Status: tt.status, Action: tt.action}); got != tt.want {
			t.Errorf("settleHint(%s, %s) = %q, want %q", tt.status, tt.action, got, tt.want)
		}
	}
}
