package output

import (
	"bytes"
	"strings"
	"testing"

	"github.com/recoverscan/recoverscan/policies"
)

// TestManyPoolFindingsAreCapped: a rule that reports 300,000 findings
// about one pool keeps maxPerRulePool of them in the table and SARIF, with
// "… and N more", while the counts stay exact.
func TestManyPoolFindingsAreCapped(t *testing.T) {
	const n = 300_000
	r := &policies.Report{Tool: "recoverscan", Scopes: []policies.Scope{{Account: "111122223333", Region: "us-east-1",
		Pools: []policies.PoolSummary{{ID: "us-east-1_AbC", Name: "p", Complete: true}}}}}
	for _, format := range []string{FormatTable, FormatSARIF} {
		s, err := New(format, Options{})
		if err != nil {
			t.Fatal(err)
		}
		f := policies.Finding{RuleID: "ACME-POOL-001", Title: "Noisy", Severity: policies.Low, Kind: policies.KindPool,
			Verdict: policies.Fail, Resource: policies.Resource{Account: "111122223333", Region: "us-east-1", PoolID: "us-east-1_AbC", PoolName: "p"}}
		for i := 0; i < n; i++ {
			f.Message = "finding " + itoa(i)
			if err := s.Add(&f); err != nil {
				t.Fatal(err)
			}
		}
		var buf bytes.Buffer
		if err := s.Render(&buf, r); err != nil {
			t.Fatal(err)
		}
		out := buf.String()
		if !strings.Contains(out, "… and 299,900 more findings") {
			t.Errorf("%s does not say how many more", format)
		}
		switch format {
		case FormatTable:
			if rows := strings.Count(out, "ACME-POOL-001"); rows != maxPerRulePool+1 {
				t.Errorf("the table has %d rows of the rule, want %d", rows, maxPerRulePool+1)
			}
			if !strings.Contains(out, "300,000 findings") {
				t.Errorf("the summary does not count every finding:\n%s", out[len(out)-300:])
			}
		case FormatSARIF:
			doc := parseSARIF(t, buf.Bytes())
			if got := len(doc.Runs[0].Results); got != maxPerRulePool+1 {
				t.Errorf("SARIF has %d results, want %d", got, maxPerRulePool+1)
			}
		}
	}
}

func itoa(i int) string { return thousands(int64(i)) }
