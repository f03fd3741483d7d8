// Package output renders a policies.Report in the formats recoverscan
// prints: a human table, JSON for pipelines, SARIF for GitHub code
// scanning, Markdown for job summaries, a self-contained HTML report, CSV,
// and OCSF and ASFF for security tooling.
//
// A format is one file: it names itself with a Format… constant and
// registers a Format (name, extension, constructor, and whether it lists
// what passed) from its init function; --format, its help, the report
// file names and the golden-file test (testdata/report.NAME.golden) all
// follow from the registration. Every format is deterministic: the
// same report always renders to the same bytes, so golden files and diffs
// work.
package output

import (
	"maps"
	"slices"
	"strconv"

	"github.com/recoverscan/recoverscan/policies"
)

// isUserFinding reports whether f is about one user; such findings are
// aggregated per rule and pool, since a pool can hold millions of users.
func isUserFinding(f *policies.Finding) bool {
	return f.Kind == policies.KindUser || f.Resource.Username != "" || f.Resource.Sub != ""
}

// sourceInfo is an unread data source as an indeterminate finding's
// evidence describes it.
type sourceInfo struct {
	Status string `json:"status"`
	Action string `json:"action"`
	Error  string `json:"error"`
}

// findingSources digs the unread sources out of a finding's evidence. The
// rule library puts them under "source" ({"status","action","error"}); be
// lenient about a "sources" list or the fields at the top level, and about
// the Go types the values arrive as.
func findingSources(ev map[string]any) []sourceInfo {
	if len(ev) == 0 {
		return nil
	}
	var out []sourceInfo
	add := func(v any) {
		if s, ok := toSource(v); ok {
			out = append(out, s)
		}
	}
	if v, ok := ev["source"]; ok {
		add(v)
	}
	if v, ok := ev["sources"].([]any); ok {
		for _, s := range v {
			add(s)
		}
	}
	if len(out) == 0 {
		add(ev) // fields at the top level
	}
	return out
}

// toSource reads one source record from whatever shape it came in.
func toSource(v any) (sourceInfo, bool) {
	var s sourceInfo
	switch m := v.(type) {
	case map[string]any:
		s.Status, _ = m["status"].(string)
		s.Action, _ = m["action"].(string)
		s.Error, _ = m["error"].(string)
	case map[string]string:
		s.Status, s.Action, s.Error = m["status"], m["action"], m["error"]
	case sourceInfo:
		s = m
	case *sourceInfo:
		if m != nil {
			s = *m
		}
	default:
		return s, false
	}
	return s, s.Action != "" || s.Status != ""
}

// missingPermissions lists, sorted and de-duplicated, the IAM actions that
// would let an incomplete scan read what it missed.
func missingPermissions(r *policies.Report, d *digest) []string {
	set := maps.Clone(d.permissions)
	for _, s := range r.Scopes {
		for _, p := range s.Problems {
			if p.Action != "" && CauseOf(p.Status, p.Error) == CausePermission {
				set[p.Action] = true
			}
		}
	}
	return sortedKeys(set)
}

func sortedKeys(set map[string]bool) []string { return slices.Sorted(maps.Keys(set)) }

// Summary is the report at a glance; the JSON output carries it as
// "summary" and the table prints it last.
type Summary struct {
	// Users adds up every pool's user counts.
	Users policies.UserCounts `json:"users"`
	// Findings counts every finding, each user's separately.
	Findings   int            `json:"findings"`
	BySeverity SeverityCounts `json:"by_severity"`
	ByVerdict  VerdictCounts  `json:"by_verdict"`
	Scopes     int            `json:"scopes"`
	Pools      int            `json:"pools"`
	// Incomplete is Report.Incomplete: a source could not be read, a
	// pool's users could not all be listed or a verdict is indeterminate.
	Incomplete bool `json:"incomplete"`
	// Problems counts the unread sources of every scope.
	Problems int `json:"problems"`
	// MissingPermissions are the IAM actions that would settle what could
	// not be read, sorted.
	MissingPermissions []string `json:"missing_permissions"`
}

// SeverityCounts counts findings by severity, most severe first.
type SeverityCounts struct {
	Critical int `json:"critical"`
	High     int `json:"high"`
	Medium   int `json:"medium"`
	Low      int `json:"low"`
}

// VerdictCounts counts findings by verdict.
type VerdictCounts struct {
	Fail          int `json:"fail"`
	Indeterminate int `json:"indeterminate"`
}

// Summarize computes r's Summary.
func Summarize(r *policies.Report) Summary {
	d := newDigest(0)
	d.countsOnly = true
	for i := range r.Findings {
		d.add(&r.Findings[i])
	}
	return summarize(r, d)
}

// summarize computes the Summary of r with the findings digested in d.
func summarize(r *policies.Report, d *digest) Summary {
	s := Summary{
		Users: r.Totals(), Findings: d.findings, Scopes: len(r.Scopes),
		BySeverity: d.bySeverity, ByVerdict: d.byVerdict,
		Incomplete: r.ScopesIncomplete() || d.byVerdict.Indeterminate > 0,
	}
	for _, sc := range r.Scopes {
		s.Problems += len(sc.Problems)
		s.Pools += len(sc.Pools)
	}
	s.MissingPermissions = missingPermissions(r, d)
	return s
}

// thousands formats n with comma separators: 1234567 → "1,234,567".
func thousands(n int64) string {
	s := strconv.FormatInt(n, 10)
	sign := ""
	if n < 0 {
		sign, s = "-", s[1:]
	}
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return sign + s
}

// plural picks the singular or plural form of a noun for n.
func plural(n int64, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// settleHint says what would let a source be read: a permission for a
// denied read, another scan for a throttled one, and so on.
func settleHint(s sourceInfo) string {
	if s.Action == "" {
		return ""
	}
	switch s.Status {
	case "throttled":
		return s.Action + " was throttled: scan again"
	case "skipped":
		if s.Action == "cognito-idp:AdminGetUser" {
			return "scan with --with-mfa to read " + s.Action
		}
		return s.Action + " is not read by this scan"
	case "unavailable":
		return s.Action + " is not available from this endpoint or region"
	case "error", "not_applicable":
		return s.Action + " failed"
	}
	return "grant " + s.Action
}
