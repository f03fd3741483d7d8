package output

import (
	_ "embed"
	"fmt"
	"html/template"
	"io"
	"sort"
	"strings"

	"github.com/recoverscan/recoverscan/policies"
)

//go:embed html/report.html.tmpl
var htmlTemplateText string

var htmlTemplate = template.Must(template.New("report").Funcs(template.FuncMap{
	"thousands": thousands,
	"upper":     strings.ToUpper,
}).Parse(htmlTemplateText))

// FormatHTML names the HTML format.
const FormatHTML = "html"

func init() {
	register(Format{Name: FormatHTML, Ext: ".html", New: func(opts Options) (Renderer, error) {
		return &htmlRenderer{aggregated: newAggregated(tableSamples, opts)}, nil
	}, ListsPassed: true})
}

// htmlRenderer writes one self-contained HTML file: no external requests
// (a Content-Security-Policy forbids them), so it opens offline and in a
// locked-down browser. Per account, Region and pool a bar of the users
// who can / cannot / may not receive a code, the findings aggregated as
// in the table (sample usernames included, as the table shows them), the
// remediation of every rule found, filters by severity and rule in plain
// JavaScript, and a print stylesheet. Its size depends on pools and
// rules, not on users. Suppressed findings are left out, as in the table.
type htmlRenderer struct {
	aggregated
}

// htmlReport is what the template shows.
type htmlReport struct {
	Title      string
	Header     string
	Summary    Summary
	Scopes     []htmlScope
	Rules      []htmlRule
	Severities []string
	Passed     bool
	// Suppressed counts findings a suppression file accepted.
	Suppressed int
	// Incomplete lists why the scan is incomplete.
	Incomplete []string
}

type htmlScope struct {
	Account, Region string
	Problems        []string
	Pools           []htmlPool
}

type htmlPool struct {
	ID, Name string
	Known    bool
	Complete bool
	Users    policies.UserCounts
	// Widths of the bar's segments.
	CanW, CannotW, MayNotW template.CSS
	Rows                   []htmlRow
}

type htmlRow struct {
	Severity string
	Rule     string
	Verdict  string
	Subject  string
	Text     string
	Samples  []string
	More     int64
	Settle   string
}

type htmlRule struct {
	ID, Title, Severity, Description, Remediation string
	Links                                         []policies.Link
}

func (h *htmlRenderer) Render(w io.Writer, r *policies.Report) error {
	sum := summarize(r, h.digest)
	data := htmlReport{
		Title:      "recoverscan report",
		Header:     strings.TrimSpace(headerLine(r)),
		Summary:    sum,
		Severities: []string{"critical", "high", "medium", "low"},
		Passed:     h.passes != nil,
	}
	if sr := r.Suppressions; sr != nil {
		data.Suppressed = sr.Suppressed
	}
	if sum.Incomplete {
		data.Incomplete = incompleteReasons(r, sum)
	}
	found := map[string]bool{}
	byPool := map[poolKey]*htmlPool{}
	for _, s := range tableLayout(r, h.digest) {
		hs := htmlScope{Account: orDash(s.account), Region: orDash(s.region)}
		for _, p := range s.problems {
			hs.Problems = append(hs.Problems, problemSummary(p))
		}
		for _, p := range s.pools {
			hp := htmlPool{ID: p.id, Name: p.name, Complete: true}
			if p.summary != nil {
				hp.Known, hp.Complete, hp.Users = true, p.summary.Complete, p.summary.Users
				hp.CanW, hp.CannotW, hp.MayNotW = barWidth(hp.Users.Can, hp.Users.Total), barWidth(hp.Users.Cannot, hp.Users.Total), barWidth(hp.Users.MayNot, hp.Users.Total)
			}
			for _, row := range p.rows {
				hp.Rows = append(hp.Rows, htmlRowOf(row))
				found[row.ruleID] = true
			}
			hs.Pools = append(hs.Pools, hp)
		}
		data.Scopes = append(data.Scopes, hs)
	}
	for i := range data.Scopes {
		for j := range data.Scopes[i].Pools {
			p := &data.Scopes[i].Pools[j]
			byPool[poolKey{Account: data.Scopes[i].Account, Region: data.Scopes[i].Region, PoolID: p.ID}] = p
		}
	}
	for _, pass := range h.passed(r) {
		p := byPool[poolKey{Account: orDash(pass.Resource.Account), Region: orDash(pass.Resource.Region), PoolID: pass.Resource.PoolID}]
		if p == nil {
			continue
		}
		row := htmlRow{Severity: string(pass.Severity), Rule: pass.RuleID, Verdict: "passed", Subject: string(pass.Kind), Text: pass.Title}
		if pass.Kind == policies.KindUser {
			row.Subject = thousands(pass.Users) + " of " + thousands(pass.PoolUsers) + " " + plural(pass.PoolUsers, "user", "users")
		}
		p.Rows = append(p.Rows, row)
		found[pass.RuleID] = true
	}
	data.Rules = htmlRules(r, h.digest, found)
	return htmlTemplate.Execute(w, data)
}

func htmlRowOf(row tableRow) htmlRow {
	h := htmlRow{Severity: string(row.severity), Rule: row.ruleID, Verdict: string(row.verdict), Subject: row.subject, Text: row.text}
	if row.group != nil {
		g := row.group
		h.Text = g.Title
		if h.Text == "" {
			h.Text = g.Key.RuleID
		}
		h.Samples = g.Samples
		h.More = g.Users - int64(len(g.Samples))
		if g.Key.Verdict == policies.Indeterminate {
			h.Settle = strings.TrimSuffix(strings.TrimPrefix(grantText(g.sortedSources()), " ("), ")")
		}
	}
	return h
}

// htmlRules lists the rules with a row in the report, by id.
func htmlRules(r *policies.Report, d *digest, found map[string]bool) []htmlRule {
	ids := sortedKeys(found)
	out := make([]htmlRule, 0, len(ids))
	for _, id := range ids {
		rule, ok := r.Rule(id)
		if !ok {
			rule = d.rules[id]
		}
		hr := htmlRule{ID: id, Title: rule.Title, Severity: string(rule.Severity),
			Description: strings.TrimSpace(rule.Description), Remediation: strings.TrimSpace(rule.Remediation)}
		for _, l := range rule.Related {
			if validHTTPURL(l.URL) {
				hr.Links = append(hr.Links, l)
			}
		}
		out = append(out, hr)
	}
	return out
}

// incompleteReasons says why a scan is incomplete, as the table does,
// sorted.
func incompleteReasons(r *policies.Report, sum Summary) []string {
	out := incompleteParts(r, sum)
	sort.Strings(out)
	return out
}

// barWidth is a bar segment's width: its share of the users, but at
// least a few pixels when any user is in it, so that 79 users who cannot
// receive a code stay visible in a pool of a million.
func barWidth(n, total int64) template.CSS {
	if total <= 0 || n <= 0 {
		return "0%"
	}
	return template.CSS(fmt.Sprintf("max(4px, %.3f%%)", float64(n)*100/float64(total)))
}
