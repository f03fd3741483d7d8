package output

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/recoverscan/recoverscan/policies"
)

// TestGoldenReports renders the fixture in the report formats, with and
// without the passes, and compares with testdata/. Regenerate with:
// go test ./output -run GoldenReports -update
func TestGoldenReports(t *testing.T) {
	cases := []struct {
		file   string
		format string
		opts   Options
	}{
		{"report.csv.golden", FormatCSV, Options{}},
		{"report-passed.csv.golden", FormatCSV, Options{IncludePassed: true}},
		{"report.ocsf.json.golden", FormatOCSF, Options{}},
		{"report-passed.ocsf.json.golden", FormatOCSF, Options{IncludePassed: true}},
		{"report-passed.json.golden", FormatJSON, Options{IncludePassed: true}},
	}
	for _, c := range cases {
		t.Run(c.file, func(t *testing.T) {
			golden(t, c.file, render(t, c.format, fixtureReport(), c.opts))
		})
	}
	// ASFF: one file per account and Region here (each under 100).
	for _, passed := range []bool{false, true} {
		parts := renderParts(t, FormatASFF, fixtureReport(), Options{IncludePassed: passed})
		for i, p := range parts {
			name := fmt.Sprintf("report-%d.asff.json.golden", i+1)
			if passed {
				name = fmt.Sprintf("report-passed-%d.asff.json.golden", i+1)
			}
			golden(t, name, p)
		}
	}
}

func golden(t *testing.T, file string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", file)
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
		t.Errorf("%s differs from the golden file; diff it with -update and git diff.\n--- got ---\n%s", file, head(got, 3000))
	}
}

// renderParts renders every part of a parted format.
func renderParts(t *testing.T, format string, r *policies.Report, opts Options) [][]byte {
	t.Helper()
	rd, err := New(format, opts)
	if err != nil {
		t.Fatal(err)
	}
	defer rd.Close()
	for i := range r.Findings {
		if err := rd.Add(&r.Findings[i]); err != nil {
			t.Fatal(err)
		}
	}
	whole := *r
	whole.Findings = nil
	pr := rd.(PartedRenderer)
	var out [][]byte
	for i := 0; i < pr.Parts(&whole); i++ {
		var buf bytes.Buffer
		if err := pr.RenderPart(&buf, &whole, i); err != nil {
			t.Fatal(err)
		}
		out = append(out, buf.Bytes())
	}
	return out
}

// --- passes ---

func TestIncludePassed(t *testing.T) {
	var doc struct {
		Passed []Passed `json:"passed"`
	}
	if err := json.Unmarshal(render(t, FormatJSON, fixtureReport(), Options{IncludePassed: true}), &doc); err != nil {
		t.Fatal(err)
	}
	find := func(rule, pool string) *Passed {
		for i := range doc.Passed {
			if doc.Passed[i].RuleID == rule && doc.Passed[i].Resource.PoolID == pool {
				return &doc.Passed[i]
			}
		}
		return nil
	}
	// Pool A: 57 of its 1,234,567 users fail RC-USER-001.
	if p := find("RC-USER-001", poolA); p == nil || p.Users != 1234567-57 || p.PoolUsers != 1234567 || !p.Complete {
		t.Errorf("RC-USER-001 in pool A: %+v", p)
	}
	// Pool C: 3 of its 5 users fail the custom rule, 1 fails RC-USER-001.
	if p := find("XX-CUSTOM-001", poolC); p == nil || p.Users != 2 {
		t.Errorf("XX-CUSTOM-001 in pool C: %+v", p)
	}
	if p := find("RC-USER-001", poolC); p == nil || p.Users != 4 {
		t.Errorf("RC-USER-001 in pool C: %+v", p)
	}
	// Pool rules pass where they found nothing, and only there.
	if p := find("RC-POOL-001", poolA); p != nil {
		t.Errorf("RC-POOL-001 failed in pool A but is reported passed: %+v", p)
	}
	if p := find("RC-POOL-001", poolB); p == nil || p.Complete {
		t.Errorf("RC-POOL-001 in pool B (incomplete): %+v", p)
	}
	if p := find("RC-EMAIL-001", poolB); p != nil {
		t.Error("an indeterminate rule is reported passed")
	}
	if p := find("RC-SMS-001", poolC); p == nil || p.Users != 0 || p.Kind != policies.KindSMS {
		t.Errorf("RC-SMS-001 in pool C: %+v", p)
	}
	// A suppressed finding is accepted, not passed.
	r := fixtureReport()
	for i := range r.Findings {
		if r.Findings[i].RuleID == "RC-POOL-001" {
			r.Findings[i].Suppressed = &policies.SuppressedBy{Reason: "by design", Expires: "2099-01-01"}
		}
	}
	doc.Passed = nil
	if err := json.Unmarshal(render(t, FormatJSON, r, Options{IncludePassed: true}), &doc); err != nil {
		t.Fatal(err)
	}
	if p := find("RC-POOL-001", poolA); p != nil {
		t.Error("a suppressed finding's rule is reported passed")
	}
	// Disabled rules were not evaluated, so nothing of theirs passed.
	r = fixtureReport()
	for i := range r.Rules {
		if r.Rules[i].ID == "RC-SMS-001" {
			r.Rules[i].Disabled = true
		}
	}
	doc.Passed = nil
	if err := json.Unmarshal(render(t, FormatJSON, r, Options{IncludePassed: true}), &doc); err != nil {
		t.Fatal(err)
	}
	if p := find("RC-SMS-001", poolC); p != nil {
		t.Error("a disabled rule is reported passed")
	}
	// Without the option, no passes.
	if bytes.Contains(render(t, FormatJSON, fixtureReport(), Options{}), []byte(`"passed"`)) {
		t.Error("json has passes without IncludePassed")
	}
}

// --- csv ---

func TestCSV(t *testing.T) {
	r := fixtureReport()
	r.Findings[0].Suppressed = &policies.SuppressedBy{Reason: "accepted", Expires: "2099-01-01", Where: "s.yaml:1"}
	rows, err := csv.NewReader(bytes.NewReader(render(t, FormatCSV, r, Options{}))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(rows[0], ","); got != strings.Join(csvColumns, ",") {
		t.Fatalf("header %s", got)
	}
	if len(rows)-1 != len(r.Findings) {
		t.Errorf("%d rows, want one per finding (%d)", len(rows)-1, len(r.Findings))
	}
	col := map[string]int{}
	for i, c := range rows[0] {
		col[c] = i
	}
	suppressed := 0
	for _, row := range rows[1:] {
		if len(row) != len(csvColumns) {
			t.Fatalf("row of %d cells: %v", len(row), row)
		}
		if row[col["suppressed_reason"]] != "" {
			suppressed++
		}
	}
	if suppressed != 1 {
		t.Errorf("%d suppressed rows, want 1", suppressed)
	}
	// No contact data: evidence stays out.
	out := string(render(t, FormatCSV, fixtureReport(), Options{}))
	for _, c := range []string{"+14155550123", "+1******0123", "a***@e***.com", "jane.doe@example.com"} {
		if strings.Contains(out, c) {
			t.Errorf("csv contains %q", c)
		}
	}
}

func TestCSVCellsAreInert(t *testing.T) {
	for in, want := range map[string]string{
		"=HYPERLINK(\"http://x\")": "'=HYPERLINK(\"http://x\")",
		"+1+1":                     "'+1+1",
		"@SUM(A1)":                 "'@SUM(A1)",
		"-2":                       "'-2",
		"a\x1b[31mb\x00":           "a [31mb ",
		"two\nlines":               "two\nlines",
		"plain":                    "plain",
	} {
		if got := csvCell(in); got != want {
			t.Errorf("csvCell(%q) = %q, want %q", in, got, want)
		}
	}
}

// --- ocsf ---

var (
	schemaOnce sync.Map
)

func compileSchema(t *testing.T, file string) *jsonschema.Schema {
	t.Helper()
	if s, ok := schemaOnce.Load(file); ok {
		return s.(*jsonschema.Schema)
	}
	f, err := os.Open(filepath.Join("testdata", file))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	doc, err := jsonschema.UnmarshalJSON(f)
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	if err := c.AddResource(file, doc); err != nil {
		t.Fatal(err)
	}
	s, err := c.Compile(file)
	if err != nil {
		t.Fatal(err)
	}
	schemaOnce.Store(file, s)
	return s
}

func validateJSON(t *testing.T, schema *jsonschema.Schema, data []byte) {
	t.Helper()
	v, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("not JSON: %v", err)
	}
	if err := schema.Validate(v); err != nil {
		t.Errorf("schema: %v", err)
	}
}

// TestOCSFValid validates every event against the OCSF 1.5.0 Detection
// Finding schema, and checks what the schema cannot: ids are unique,
// the counts add up to the report's, and no user is named.
func TestOCSFValid(t *testing.T) {
	schema := compileSchema(t, "ocsf-1.5.0-detection_finding.schema.json")
	for _, opts := range []Options{{}, {IncludePassed: true}} {
		r := fixtureReport()
		r.Findings[len(r.Findings)-1].Suppressed = &policies.SuppressedBy{Reason: "ok", Expires: "2099-01-01"}
		data := render(t, FormatOCSF, r, opts)
		var events []map[string]any
		if err := json.Unmarshal(data, &events); err != nil {
			t.Fatal(err)
		}
		uids := map[string]bool{}
		var fails, suppressed int
		for _, ev := range events {
			raw, _ := json.Marshal(ev)
			validateJSON(t, schema, raw)
			uid := ev["finding_info"].(map[string]any)["uid"].(string)
			if uids[uid] {
				t.Errorf("finding_info.uid %s twice", uid)
			}
			uids[uid] = true
			if ev["status_code"] == "FAIL" {
				fails++
			}
			if ev["status"] == "Suppressed" {
				suppressed++
			}
		}
		if fails == 0 || suppressed != 1 {
			t.Errorf("%d failing, %d suppressed events", fails, suppressed)
		}
		for _, leak := range append(fixtureIdentities(r), fixtureContacts...) {
			if bytes.Contains(data, []byte(leak)) {
				t.Errorf("ocsf contains %q", leak)
			}
		}
	}
	// The schema is not a rubber stamp.
	for name, bad := range map[string]string{
		"wrong class":     `{"class_uid": 2001}`,
		"no finding_info": `{"finding_info": null}`,
		"string time":     `{"time": "yesterday"}`,
		"unknown field":   `{"colour": "red"}`,
		"bad severity":    `{"severity_id": 7}`,
	} {
		var ev map[string]any
		var events []map[string]any
		_ = json.Unmarshal(render(t, FormatOCSF, fixtureReport(), Options{}), &events)
		ev = events[0]
		var patch map[string]any
		_ = json.Unmarshal([]byte(bad), &patch)
		for k, v := range patch {
			if v == nil {
				delete(ev, k)
			} else {
				ev[k] = v
			}
		}
		raw, _ := json.Marshal(ev)
		inst, _ := jsonschema.UnmarshalJSON(bytes.NewReader(raw))
		if schema.Validate(inst) == nil {
			t.Errorf("%s: the schema accepts %s", name, bad)
		}
	}
}

// --- asff ---

// TestASFFValid validates each batch against ASFF's required fields and
// types, and checks what one batch-import-findings call needs: at most
// 100 findings, all of one account and Region, matching the product ARN.
func TestASFFValid(t *testing.T) {
	schema := compileSchema(t, "asff.schema.json")
	for _, opts := range []Options{{}, {IncludePassed: true}} {
		r := fixtureReport()
		parts := renderParts(t, FormatASFF, r, opts)
		ids := map[string]bool{}
		total := 0
		for _, p := range parts {
			validateJSON(t, schema, p)
			var batch []asffFinding
			if err := json.Unmarshal(p, &batch); err != nil {
				t.Fatal(err)
			}
			checkASFFBatch(t, batch, ids)
			total += len(batch)
			for _, leak := range append(fixtureIdentities(r), fixtureContacts...) {
				if bytes.Contains(p, []byte(leak)) {
					t.Errorf("asff contains %q", leak)
				}
			}
		}
		if total == 0 {
			t.Error("no findings")
		}
	}
}

func checkASFFBatch(t *testing.T, batch []asffFinding, ids map[string]bool) {
	t.Helper()
	if len(batch) == 0 || len(batch) > asffBatch {
		t.Errorf("batch of %d findings", len(batch))
		return
	}
	for _, f := range batch {
		if f.AwsAccountID != batch[0].AwsAccountID || f.Region != batch[0].Region {
			t.Errorf("batch mixes %s/%s with %s/%s", f.AwsAccountID, f.Region, batch[0].AwsAccountID, batch[0].Region)
		}
		if want := ":securityhub:" + f.Region + ":" + f.AwsAccountID + ":product/" + f.AwsAccountID + "/default"; !strings.Contains(f.ProductArn, want) {
			t.Errorf("ProductArn %s is not the default product of %s in %s", f.ProductArn, f.AwsAccountID, f.Region)
		}
		if ids[f.ID] {
			t.Errorf("Id %s twice", f.ID)
		}
		ids[f.ID] = true
	}
}

// TestASFFBatches: 250 pools' findings in one Region make three calls of
// at most 100, and the stream refuses to write them as one.
func TestASFFBatches(t *testing.T) {
	r := &policies.Report{Tool: "recoverscan", Version: "1.0.0", Rules: fixtureRules()}
	sc := policies.Scope{Account: acctA, Region: "us-east-1"}
	for i := 0; i < 250; i++ {
		id := "us-east-1_P" + strconv.Itoa(i)
		sc.Pools = append(sc.Pools, policies.PoolSummary{ID: id, Complete: true})
		r.Findings = append(r.Findings, policies.Finding{RuleID: "RC-POOL-001", Title: "t", Severity: policies.High, Kind: policies.KindPool,
			Verdict: policies.Fail, Message: "m", Resource: policies.Resource{Account: acctA, Region: "us-east-1", PoolID: id}})
	}
	r.Scopes = []policies.Scope{sc}
	parts := renderParts(t, FormatASFF, r, Options{})
	if len(parts) != 3 {
		t.Fatalf("%d parts, want 3", len(parts))
	}
	schema := compileSchema(t, "asff.schema.json")
	ids := map[string]bool{}
	n := 0
	for _, p := range parts {
		validateJSON(t, schema, p)
		var batch []asffFinding
		_ = json.Unmarshal(p, &batch)
		checkASFFBatch(t, batch, ids)
		n += len(batch)
	}
	if n != 250 {
		t.Errorf("%d findings in the batches, want 250", n)
	}
	var buf bytes.Buffer
	if err := Write(&buf, FormatASFF, r, Options{}); err == nil {
		t.Error("Write of 3 batches into one stream succeeded")
	}
}

// TestPassUpdatesFailure: once a pool rule's problem is fixed, the pass
// reported with --include-passed has the failing finding's id, so an
// import into Security Hub updates it to PASSED.
func TestPassUpdatesFailure(t *testing.T) {
	ids := func(r *policies.Report, opts Options) map[string]string {
		out := map[string]string{}
		for _, p := range renderParts(t, FormatASFF, r, opts) {
			var batch []asffFinding
			if err := json.Unmarshal(p, &batch); err != nil {
				t.Fatal(err)
			}
			for _, f := range batch {
				if f.ProductFields["recoverscan/RuleId"] == "RC-POOL-001" && f.Resources[0].Details.Other["PoolId"] == poolA {
					out[f.Compliance.Status] = f.ID
				}
			}
		}
		return out
	}
	before := ids(fixtureReport(), Options{})
	fixed := fixtureReport()
	kept := fixed.Findings[:0]
	for _, f := range fixed.Findings {
		if !(f.RuleID == "RC-POOL-001" && f.Resource.PoolID == poolA) {
			kept = append(kept, f)
		}
	}
	fixed.Findings = kept
	after := ids(fixed, Options{IncludePassed: true})
	if before["FAILED"] == "" || before["FAILED"] != after["PASSED"] {
		t.Errorf("failing id %q, passing id %q: want the same", before["FAILED"], after["PASSED"])
	}
}
