package output

import (
	"bytes"
	"strconv"
	"strings"
	"testing"

	"github.com/recoverscan/recoverscan/policies"
)

func TestGoldenHTML(t *testing.T) {
	golden(t, "report.html.golden", render(t, FormatHTML, fixtureReport(), Options{}))
	golden(t, "report-passed.html.golden", render(t, FormatHTML, fixtureReport(), Options{IncludePassed: true}))
}

// TestHTMLSmallForMillions: a million users' findings make the same small
// page as a few: the HTML is aggregated.
func TestHTMLSmallForMillions(t *testing.T) {
	r := fixtureReport()
	rd, err := New(FormatHTML, Options{})
	if err != nil {
		t.Fatal(err)
	}
	res := policies.Resource{Account: acctA, Region: "us-east-1", PoolID: poolA, PoolName: "prod-customers"}
	for i := 0; i < 1_000_000; i++ {
		res.Username = "u" + strconv.Itoa(i)
		f := policies.Finding{RuleID: "RC-USER-001", Title: "No verified email address or phone number", Severity: policies.Critical,
			Kind: policies.KindUser, Verdict: policies.Fail, Resource: res, BlocksRecovery: true}
		if err := rd.Add(&f); err != nil {
			t.Fatal(err)
		}
	}
	var buf bytes.Buffer
	if err := rd.Render(&buf, r); err != nil {
		t.Fatal(err)
	}
	if buf.Len() > 64<<10 {
		t.Errorf("the HTML of a million users' findings is %d bytes", buf.Len())
	}
	if !bytes.Contains(buf.Bytes(), []byte("1,000,000 users")) {
		t.Error("the million users are not counted")
	}
}

// TestHTMLSelfContained: nothing in the page loads from elsewhere, and
// names are escaped.
func TestHTMLSelfContained(t *testing.T) {
	r := fixtureReport()
	r.Scopes[0].Pools[0].Name = `<script>alert(1)</script>`
	for i := range r.Findings {
		if r.Findings[i].Resource.PoolID == poolA {
			r.Findings[i].Resource.PoolName = r.Scopes[0].Pools[0].Name
		}
	}
	out := string(render(t, FormatHTML, r, Options{}))
	if strings.Contains(out, "<script>alert(1)") {
		t.Error("a pool name is not escaped")
	}
	for _, ref := range []string{"src=", "<link", "@import", "url(", "http-equiv=\"refresh\""} {
		if strings.Contains(out, ref) {
			t.Errorf("the page references something outside it: %q", ref)
		}
	}
	if !strings.Contains(out, "default-src 'none'") {
		t.Error("no Content-Security-Policy")
	}
	for _, leak := range append([]string{"jane.doe@example.com", "assumed-role"}, fixtureContacts[1:4]...) {
		if strings.Contains(out, leak) {
			t.Errorf("html contains %q", leak)
		}
	}
}
