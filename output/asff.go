package output

import (
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/recoverscan/recoverscan/policies"
)

// AWS Security Finding Format limits that BatchImportFindings enforces.
const (
	asffSchemaVersion = "2018-10-08"
	// asffBatch is how many findings one batch-import-findings call takes.
	asffBatch          = 100
	asffMaxTitle       = 256
	asffMaxDescription = 1024
	asffMaxRemediation = 512
)

// asffSeverity maps severities to ASFF severity labels.
var asffSeverity = map[policies.Severity]string{
	policies.Low: "LOW", policies.Medium: "MEDIUM", policies.High: "HIGH", policies.Critical: "CRITICAL",
}

// FormatASFF names the ASFF format.
const FormatASFF = "asff"

func init() {
	register(Format{Name: FormatASFF, Ext: ".asff.json", New: func(opts Options) (Renderer, error) {
		a := &asffRenderer{aggregated: newAggregated(0, opts)}
		a.keepSuppressed = true
		return a, nil
	}, ListsPassed: true})
}

// asffRenderer writes the AWS Security Finding Format for
// `aws securityhub batch-import-findings`: JSON arrays of at most 100
// findings, each of one account and Region (a finding is imported into
// the Security Hub of its own account and Region), so each part is one
// call. Per-user findings are aggregated per rule, pool and verdict with a
// count and no usernames; suppressed findings carry Workflow SUPPRESSED,
// passes (--include-passed) Compliance PASSED. recoverscan only writes the
// file: importing it is up to the user (see the README).
type asffRenderer struct {
	aggregated
	// batches caches the batches of the report last split.
	cache struct {
		report  *policies.Report
		batches [][]record
	}
}

// batches splits the records into calls: one account and Region each, at
// most asffBatch findings.
func (a *asffRenderer) batches(r *policies.Report) [][]record {
	if a.cache.report == r {
		return a.cache.batches
	}
	var out [][]record
	for _, rec := range records(a.digest, a.passed(r)) {
		n := len(out)
		if n == 0 || len(out[n-1]) == asffBatch ||
			out[n-1][0].Resource.Account != rec.Resource.Account || out[n-1][0].Resource.Region != rec.Resource.Region {
			out = append(out, nil)
			n++
		}
		out[n-1] = append(out[n-1], rec)
	}
	a.cache.report, a.cache.batches = r, out
	return out
}

// Parts is the number of batch-import calls, at least 1.
func (a *asffRenderer) Parts(r *policies.Report) int { return max(len(a.batches(r)), 1) }

// PartLimit says what one call may hold.
func (a *asffRenderer) PartLimit() string {
	return fmt.Sprintf("one batch-import-findings call takes at most %d findings, all of one account and Region", asffBatch)
}

func (a *asffRenderer) Render(w io.Writer, r *policies.Report) error {
	if n := a.Parts(r); n > 1 {
		return fmt.Errorf("asff: the report needs %d files (%s): write it with -o FILE", n, a.PartLimit())
	}
	return a.RenderPart(w, r, 0)
}

// RenderPart writes batch i as a JSON array of findings.
func (a *asffRenderer) RenderPart(w io.Writer, r *policies.Report, i int) error {
	bs := a.batches(r)
	if len(bs) == 0 && i == 0 {
		return writeJSONArray(w, 0, nil)
	}
	if i < 0 || i >= len(bs) {
		return fmt.Errorf("asff: no part %d of %d", i+1, len(bs))
	}
	b := bs[i]
	return writeJSONArray(w, len(b), func(j int) any { return asffOf(r, &b[j]) })
}

type asffFinding struct {
	SchemaVersion string            `json:"SchemaVersion"`
	ID            string            `json:"Id"`
	ProductArn    string            `json:"ProductArn"`
	ProductName   string            `json:"ProductName"`
	CompanyName   string            `json:"CompanyName"`
	Region        string            `json:"Region"`
	GeneratorID   string            `json:"GeneratorId"`
	AwsAccountID  string            `json:"AwsAccountId"`
	Types         []string          `json:"Types"`
	CreatedAt     string            `json:"CreatedAt"`
	UpdatedAt     string            `json:"UpdatedAt"`
	Severity      asffSeverityObj   `json:"Severity"`
	Title         string            `json:"Title"`
	Description   string            `json:"Description"`
	Remediation   *asffRemediation  `json:"Remediation,omitempty"`
	ProductFields map[string]string `json:"ProductFields"`
	Resources     []asffResource    `json:"Resources"`
	Compliance    asffCompliance    `json:"Compliance"`
	Workflow      asffWorkflow      `json:"Workflow"`
	RecordState   string            `json:"RecordState"`
}

type asffSeverityObj struct {
	Label    string `json:"Label"`
	Original string `json:"Original"`
}

type asffRemediation struct {
	Recommendation asffRecommendation `json:"Recommendation"`
}

type asffRecommendation struct {
	Text string `json:"Text"`
	URL  string `json:"Url,omitempty"`
}

type asffResource struct {
	Type      string              `json:"Type"`
	ID        string              `json:"Id"`
	Partition string              `json:"Partition"`
	Region    string              `json:"Region"`
	Details   asffResourceDetails `json:"Details"`
}

type asffResourceDetails struct {
	Other map[string]string `json:"Other"`
}

type asffCompliance struct {
	Status string `json:"Status"`
}

type asffWorkflow struct {
	Status string `json:"Status"`
}

// asffOf makes the ASFF finding of a record.
func asffOf(r *policies.Report, rec *record) asffFinding {
	at := r.SnapshotTakenAt.UTC()
	if r.SnapshotTakenAt.IsZero() {
		at = time.Unix(0, 0).UTC()
	}
	stamp := at.Format("2006-01-02T15:04:05.000Z")
	res := rec.Resource
	sev, ok := asffSeverity[rec.Severity]
	if !ok {
		sev = "INFORMATIONAL"
	}
	f := asffFinding{
		SchemaVersion: asffSchemaVersion,
		ID:            "recoverscan/" + uriSegment(res.Account) + "/" + uriSegment(res.Region) + "/" + uriSegment(res.PoolID) + "/" + uriSegment(rec.RuleID) + "/" + rec.uid(),
		ProductArn:    "arn:" + partition(res.Region) + ":securityhub:" + res.Region + ":" + res.Account + ":product/" + res.Account + "/default",
		ProductName:   toolName,
		CompanyName:   toolName,
		Region:        res.Region,
		GeneratorID:   "recoverscan/" + uriSegment(rec.RuleID),
		AwsAccountID:  res.Account,
		Types:         []string{"Software and Configuration Checks/AWS Security Best Practices/Cognito Password Recovery"},
		CreatedAt:     stamp,
		UpdatedAt:     stamp,
		Severity:      asffSeverityObj{Label: sev, Original: string(rec.Severity)},
		Title:         truncate(scrub(oneLine(rec.RuleID+" "+rec.Title)), asffMaxTitle),
		Description:   truncate(scrub(rec.Message), asffMaxDescription),
		ProductFields: map[string]string{
			"recoverscan/RuleId":         rec.RuleID,
			"recoverscan/Kind":           string(rec.Kind),
			"recoverscan/Verdict":        rec.Outcome,
			"recoverscan/BlocksRecovery": strconv.FormatBool(rec.BlocksRecovery),
		},
		Compliance:  asffCompliance{Status: "FAILED"},
		Workflow:    asffWorkflow{Status: "NEW"},
		RecordState: "ACTIVE",
	}
	if v := scrub(r.Version); v != "" {
		f.ProductFields["recoverscan/Version"] = v
	}
	if rec.PerUser {
		f.ProductFields["recoverscan/Users"] = strconv.FormatInt(rec.Users, 10)
	}
	if rec.PoolUsers > 0 {
		f.ProductFields["recoverscan/PoolUsers"] = strconv.FormatInt(rec.PoolUsers, 10)
	}
	if len(rec.Permissions) > 0 {
		f.ProductFields["recoverscan/Permissions"] = strings.Join(rec.Permissions, ",")
	}
	switch rec.Outcome {
	case string(policies.Indeterminate):
		f.Compliance.Status = "NOT_AVAILABLE"
	case "passed":
		f.Compliance.Status = "PASSED"
		f.Workflow.Status = "RESOLVED"
	}
	if rec.Suppressed != nil {
		f.Workflow.Status = "SUPPRESSED"
		f.ProductFields["recoverscan/SuppressedReason"] = truncate(scrub(oneLine(rec.Suppressed.Reason)), 2048)
		f.ProductFields["recoverscan/SuppressedUntil"] = rec.Suppressed.Expires
	}
	rule, _ := r.Rule(rec.RuleID)
	if rem := scrub(oneLine(rule.Remediation)); rem != "" && rec.Outcome != "passed" {
		f.Remediation = &asffRemediation{Recommendation: asffRecommendation{Text: truncate(rem, asffMaxRemediation)}}
		for _, l := range rule.Related {
			if validHTTPURL(l.URL) {
				f.Remediation.Recommendation.URL = l.URL
				break
			}
		}
	}
	other := map[string]string{"PoolId": res.PoolID}
	if res.PoolName != "" {
		other["PoolName"] = truncate(scrub(res.PoolName), 1024)
	}
	if res.ClientID != "" {
		other["ClientId"] = res.ClientID
	}
	f.Resources = []asffResource{{
		Type: "Other", ID: rec.poolARN(), Partition: partition(res.Region), Region: res.Region,
		Details: asffResourceDetails{Other: other},
	}}
	return f
}
