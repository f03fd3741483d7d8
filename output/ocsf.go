package output

import (
	"bufio"
	"bytes"
	"encoding/json"
	"io"
	"strings"

	"github.com/recoverscan/recoverscan/policies"
)

// OCSF Detection Finding (class 2004 of the Findings category), schema
// version 1.5.0: https://schema.ocsf.io/1.5.0/classes/detection_finding
const (
	ocsfVersion       = "1.5.0"
	ocsfCategoryUID   = 2
	ocsfClassUID      = 2004
	ocsfActivityID    = 1 // Create
	ocsfTypeUID       = ocsfClassUID*100 + ocsfActivityID
	ocsfStatusNew     = 1
	ocsfStatusSuppr   = 3
	ocsfAnalyticRule  = 1
	ocsfAWSAccount    = 10
	ocsfConfidenceHi  = 3
	ocsfConfidenceUnk = 0
)

// ocsfSeverity maps severities to OCSF severity_id.
var ocsfSeverity = map[policies.Severity]int{
	policies.Low: 2, policies.Medium: 3, policies.High: 4, policies.Critical: 5,
}

var ocsfSeverityName = map[int]string{0: "Unknown", 2: "Low", 3: "Medium", 4: "High", 5: "Critical"}

// FormatOCSF names the OCSF format.
const FormatOCSF = "ocsf"

func init() {
	register(Format{Name: FormatOCSF, Ext: ".ocsf.json", New: func(opts Options) (Renderer, error) {
		o := &ocsfRenderer{aggregated: newAggregated(0, opts)}
		o.keepSuppressed = true
		return o, nil
	}, ListsPassed: true})
}

// ocsfRenderer writes a JSON array of OCSF Detection Finding events, as
// Prowler's default JSON output does: per-user findings aggregated per
// rule, pool and verdict with a count (no usernames or contact data),
// every other finding as it is, suppressed ones with status Suppressed,
// and with --include-passed the passes (status_code PASS).
type ocsfRenderer struct {
	aggregated
}

type ocsfEvent struct {
	ActivityID   int    `json:"activity_id"`
	ActivityName string `json:"activity_name"`
	CategoryUID  int    `json:"category_uid"`
	CategoryName string `json:"category_name"`
	ClassUID     int    `json:"class_uid"`
	ClassName    string `json:"class_name"`
	TypeUID      int    `json:"type_uid"`
	TypeName     string `json:"type_name"`
	SeverityID   int    `json:"severity_id"`
	Severity     string `json:"severity"`
	StatusID     int    `json:"status_id"`
	Status       string `json:"status"`
	StatusCode   string `json:"status_code"`
	StatusDetail string `json:"status_detail,omitempty"`
	Message      string `json:"message"`
	Time         int64  `json:"time"`
	IsAlert      bool   `json:"is_alert"`
	ConfidenceID int    `json:"confidence_id"`
	Confidence   string `json:"confidence"`

	Metadata    ocsfMetadata     `json:"metadata"`
	Cloud       ocsfCloud        `json:"cloud"`
	FindingInfo ocsfFindingInfo  `json:"finding_info"`
	Resources   []ocsfResource   `json:"resources"`
	Remediation *ocsfRemediation `json:"remediation,omitempty"`
	Unmapped    map[string]any   `json:"unmapped,omitempty"`
}

type ocsfMetadata struct {
	Version   string      `json:"version"`
	Product   ocsfProduct `json:"product"`
	Profiles  []string    `json:"profiles"`
	EventCode string      `json:"event_code"`
}

type ocsfProduct struct {
	Name       string `json:"name"`
	UID        string `json:"uid"`
	VendorName string `json:"vendor_name"`
	Version    string `json:"version,omitempty"`
	URL        string `json:"url_string"`
}

type ocsfCloud struct {
	Provider string      `json:"provider"`
	Region   string      `json:"region,omitempty"`
	Account  ocsfAccount `json:"account"`
}

type ocsfAccount struct {
	UID    string `json:"uid"`
	TypeID int    `json:"type_id"`
	Type   string `json:"type"`
}

type ocsfFindingInfo struct {
	UID         string       `json:"uid"`
	Title       string       `json:"title"`
	Desc        string       `json:"desc,omitempty"`
	Types       []string     `json:"types"`
	CreatedTime int64        `json:"created_time"`
	Analytic    ocsfAnalytic `json:"analytic"`
}

type ocsfAnalytic struct {
	UID    string `json:"uid"`
	Name   string `json:"name"`
	TypeID int    `json:"type_id"`
	Type   string `json:"type"`
}

type ocsfResource struct {
	UID            string         `json:"uid"`
	Name           string         `json:"name,omitempty"`
	Type           string         `json:"type"`
	Region         string         `json:"region,omitempty"`
	CloudPartition string         `json:"cloud_partition"`
	Data           map[string]any `json:"data,omitempty"`
}

type ocsfRemediation struct {
	Desc       string   `json:"desc"`
	References []string `json:"references,omitempty"`
}

func (o *ocsfRenderer) Render(w io.Writer, r *policies.Report) error {
	recs := records(o.digest, o.passed(r))
	return writeJSONArray(w, len(recs), func(i int) any { return ocsfOf(r, &recs[i]) })
}

// ocsfOf makes the OCSF event of a record.
func ocsfOf(r *policies.Report, rec *record) ocsfEvent {
	var ms int64
	if !r.SnapshotTakenAt.IsZero() {
		ms = r.SnapshotTakenAt.UnixMilli()
	}
	sev := ocsfSeverity[rec.Severity]
	ev := ocsfEvent{
		ActivityID: ocsfActivityID, ActivityName: "Create",
		CategoryUID: ocsfCategoryUID, CategoryName: "Findings",
		ClassUID: ocsfClassUID, ClassName: "Detection Finding",
		TypeUID: ocsfTypeUID, TypeName: "Detection Finding: Create",
		SeverityID: sev, Severity: ocsfSeverityName[sev],
		StatusID: ocsfStatusNew, Status: "New",
		Message: scrub(rec.Message), Time: ms,
		IsAlert:      rec.Outcome == string(policies.Fail) && rec.Suppressed == nil,
		ConfidenceID: ocsfConfidenceHi, Confidence: "High",
		Metadata: ocsfMetadata{
			Version:   ocsfVersion,
			Product:   ocsfProduct{Name: toolName, UID: toolName, VendorName: toolName, Version: scrub(r.Version), URL: toolInformationURI},
			Profiles:  []string{"cloud"},
			EventCode: rec.RuleID,
		},
		Cloud: ocsfCloud{Provider: "AWS", Region: rec.Resource.Region,
			Account: ocsfAccount{UID: rec.Resource.Account, TypeID: ocsfAWSAccount, Type: "AWS Account"}},
		FindingInfo: ocsfFindingInfo{
			UID: rec.uid(), Title: scrub(oneLine(rec.Title)),
			Types:       []string{"recoverscan/" + string(rec.Kind)},
			CreatedTime: ms,
			Analytic:    ocsfAnalytic{UID: rec.RuleID, Name: scrub(oneLine(rec.Title)), TypeID: ocsfAnalyticRule, Type: "Rule"},
		},
	}
	switch rec.Outcome {
	case string(policies.Fail):
		ev.StatusCode = "FAIL"
	case string(policies.Indeterminate):
		ev.StatusCode = "INDETERMINATE"
		ev.ConfidenceID, ev.Confidence = ocsfConfidenceUnk, "Unknown"
	default:
		ev.StatusCode = "PASS"
	}
	if rec.Suppressed != nil {
		ev.StatusID, ev.Status = ocsfStatusSuppr, "Suppressed"
		ev.StatusDetail = scrub(oneLine("Suppressed until " + rec.Suppressed.Expires + ": " + rec.Suppressed.Reason))
	}
	rule, _ := r.Rule(rec.RuleID)
	if desc := scrub(strings.TrimSpace(rule.Description)); desc != "" {
		ev.FindingInfo.Desc = desc
	}
	if rem := scrub(strings.TrimSpace(rule.Remediation)); rem != "" && rec.Outcome != "passed" {
		ev.Remediation = &ocsfRemediation{Desc: rem}
		for _, l := range rule.Related {
			if validHTTPURL(l.URL) {
				ev.Remediation.References = append(ev.Remediation.References, l.URL)
			}
		}
	}
	res := ocsfResource{
		UID: rec.poolARN(), Name: scrub(rec.Resource.PoolName), Type: "AWS::Cognito::UserPool",
		Region: rec.Resource.Region, CloudPartition: partition(rec.Resource.Region),
		Data: map[string]any{"pool_id": rec.Resource.PoolID},
	}
	if rec.Resource.ClientID != "" {
		res.Data["client_id"] = rec.Resource.ClientID
	}
	ev.Resources = []ocsfResource{res}
	ev.Unmapped = recordFacts(rec)
	return ev
}

// recordFacts are what a record says beyond the common fields: how many
// users, whether the rule blocks recovery, what would settle it.
func recordFacts(rec *record) map[string]any {
	facts := map[string]any{"kind": string(rec.Kind), "verdict": rec.Outcome, "blocks_recovery": rec.BlocksRecovery}
	if rec.PerUser {
		facts["users"] = rec.Users
	}
	if rec.PoolUsers > 0 {
		facts["pool_users"] = rec.PoolUsers
	}
	if len(rec.Permissions) > 0 {
		facts["permissions"] = rec.Permissions
	}
	return map[string]any{"recoverscan": facts}
}

// writeJSONArray writes an indented JSON array of n elements, encoding
// one element at a time.
func writeJSONArray(w io.Writer, n int, elem func(i int) any) error {
	bw := bufio.NewWriterSize(w, 64<<10)
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("  ", "  ")
	bw.WriteString("[")
	for i := 0; i < n; i++ {
		buf.Reset()
		if err := enc.Encode(elem(i)); err != nil {
			return err
		}
		sep := ",\n  "
		if i == 0 {
			sep = "\n  "
		}
		bw.WriteString(sep)
		bw.Write(bytes.TrimRight(buf.Bytes(), "\n"))
	}
	if n > 0 {
		bw.WriteString("\n")
	}
	bw.WriteString("]\n")
	return bw.Flush()
}
