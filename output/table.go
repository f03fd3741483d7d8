package output

import (
	"fmt"
	"io"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/recoverscan/recoverscan/policies"
)

// tableSamples is how many usernames a per-user row shows.
const tableSamples = 3

// FormatTable names the table format, the default: Formats lists it first.
const FormatTable = "table"

func init() {
	register(Format{Name: FormatTable, Ext: ".txt", New: func(opts Options) (Renderer, error) {
		return &tableRenderer{aggregated: newAggregated(tableSamples, Options{}), color: opts.Color}, nil
	}})
}

// tableRenderer writes the human report. Suppressed findings are left out.
type tableRenderer struct {
	aggregated
	color bool
}

func (t *tableRenderer) Render(w io.Writer, r *policies.Report) error {
	return writeTable(w, r, t.digest, Options{Color: t.color})
}

// ANSI colours of severities.
var severityColor = map[policies.Severity]string{
	policies.Critical: "\x1b[1;31m", // bold red
	policies.High:     "\x1b[31m",
	policies.Medium:   "\x1b[33m",
	policies.Low:      "\x1b[36m",
}

const ansiReset = "\x1b[0m"

// tableRow is one line of a pool's findings.
type tableRow struct {
	severity policies.Severity
	verdict  policies.Verdict
	ruleID   string
	subject  string // "12 users", "client abc", "pool", "sms", "email"
	text     string
	order    string // tie-breaker: client id, message
	// group is the per-user group a row folds, if any.
	group *userGroup
}

// tablePool is a pool and its rows.
type tablePool struct {
	id, name string
	summary  *policies.PoolSummary
	rows     []tableRow
}

// tableScope is an account and region and its pools.
type tableScope struct {
	account, region string
	problems        []policies.SourceProblem
	pools           []*tablePool
}

// writeTable renders the human report: grouped by account and region, then
// pool; per-user findings folded into one row per rule and verdict.
func writeTable(w io.Writer, r *policies.Report, d *digest, opts Options) error {
	scopes := tableLayout(r, d)

	// Pad columns to the widest cell of the whole report, measured before
	// colouring so escape codes do not skew alignment.
	var wSev, wRule, wSubj int
	for _, s := range scopes {
		for _, p := range s.pools {
			for _, row := range p.rows {
				wSev = max(wSev, width(severityLabel(row.severity)))
				wRule = max(wRule, width(row.ruleID))
				wSubj = max(wSubj, width(row.subject))
			}
		}
	}

	var b strings.Builder
	b.WriteString(headerLine(r))
	for _, s := range scopes {
		fmt.Fprintf(&b, "\nAccount %s, region %s\n", Terminal(orDash(s.account)), Terminal(orDash(s.region)))
		for _, p := range s.problems {
			b.WriteString("  ! " + Terminal(problemText(p)) + "\n")
		}
		if len(s.pools) == 0 {
			b.WriteString("  no user pools\n")
		}
		for _, p := range s.pools {
			b.WriteString("\n  " + poolHeader(p) + "\n")
			if len(p.rows) == 0 {
				b.WriteString("    no findings\n")
			}
			for _, row := range p.rows {
				sev := pad(severityLabel(row.severity), wSev)
				if c, ok := severityColor[row.severity]; ok && opts.Color {
					sev = c + sev + ansiReset
				}
				line := "    " + sev + "  " + pad(row.ruleID, wRule) + "  " + pad(row.subject, wSubj) + "  " + row.text
				b.WriteString(strings.TrimRight(line, " ") + "\n")
			}
		}
	}
	b.WriteString("\n")
	b.WriteString(summaryText(r, d))
	_, err := io.WriteString(w, b.String())
	return err
}

// tableLayout groups the report into scopes, pools and sorted rows.
func tableLayout(r *policies.Report, d *digest) []*tableScope {
	var scopes []*tableScope
	byScope := map[[2]string]*tableScope{}
	byPool := map[poolKey]*tablePool{}
	scopeFor := func(account, region string) *tableScope {
		k := [2]string{account, region}
		s := byScope[k]
		if s == nil {
			s = &tableScope{account: account, region: region}
			byScope[k] = s
			scopes = append(scopes, s)
		}
		return s
	}
	poolFor := func(k poolKey, name string) *tablePool {
		p := byPool[k]
		if p == nil {
			p = &tablePool{id: k.PoolID, name: name}
			byPool[k] = p
			s := scopeFor(k.Account, k.Region)
			s.pools = append(s.pools, p)
		}
		if p.name == "" {
			p.name = name
		}
		return p
	}
	for i := range r.Scopes {
		sc := &r.Scopes[i]
		s := scopeFor(sc.Account, sc.Region)
		s.problems = append(s.problems, sc.Problems...)
		for j := range sc.Pools {
			ps := &sc.Pools[j]
			poolFor(poolKey{sc.Account, sc.Region, ps.ID}, ps.Name).summary = ps
		}
	}
	nScopes := len(scopes)
	nPools := map[*tableScope]int{}
	for _, s := range scopes {
		nPools[s] = len(s.pools)
	}

	for _, g := range d.groups {
		p := poolFor(g.Key.Pool, g.PoolName)
		p.rows = append(p.rows, userRow(g))
	}
	for i := range d.others {
		f := &d.others[i]
		p := poolFor(poolOf(f), f.Resource.PoolName)
		p.rows = append(p.rows, findingRow(f))
	}
	for _, o := range d.overflow {
		f := o.finding()
		row := findingRow(&f)
		row.order = "\uffff" // after the rule's other rows
		p := poolFor(poolOf(&f), f.Resource.PoolName)
		p.rows = append(p.rows, row)
	}

	// Scopes and pools known only from findings come after the report's
	// own, sorted, so the order never depends on map iteration.
	extra := scopes[nScopes:]
	sort.Slice(extra, func(i, j int) bool {
		if extra[i].account != extra[j].account {
			return extra[i].account < extra[j].account
		}
		return extra[i].region < extra[j].region
	})
	for _, s := range scopes {
		tail := s.pools[nPools[s]:]
		sort.Slice(tail, func(i, j int) bool { return tail[i].id < tail[j].id })
		for _, p := range s.pools {
			sortRows(p.rows)
		}
	}
	return scopes
}

// sortRows orders rows most severe first, then by rule, verdict (fail
// first) and subject.
func sortRows(rows []tableRow) {
	sort.Slice(rows, func(i, j int) bool {
		a, b := &rows[i], &rows[j]
		if a.severity.Rank() != b.severity.Rank() {
			return a.severity.Rank() > b.severity.Rank()
		}
		if a.ruleID != b.ruleID {
			return a.ruleID < b.ruleID
		}
		if a.verdict != b.verdict {
			return a.verdict == policies.Fail
		}
		if a.order != b.order {
			return a.order < b.order
		}
		return a.text < b.text
	})
}

// userRow renders a per-user group: count, title and sample usernames.
func userRow(g *userGroup) tableRow {
	text := g.Title
	if text == "" {
		text = g.Key.RuleID
	}
	if g.Key.Verdict == policies.Indeterminate {
		text = "indeterminate: " + text
	}
	if s := sampleText(g.Samples, g.Users); s != "" {
		text += " — " + s
	}
	if g.Key.Verdict == policies.Indeterminate {
		text += grantText(g.sortedSources())
	}
	return tableRow{
		severity: g.Severity,
		verdict:  g.Key.Verdict,
		ruleID:   Terminal(g.Key.RuleID),
		subject:  thousands(g.Users) + " " + plural(g.Users, "user", "users"),
		text:     Terminal(text),
		group:    g,
	}
}

// findingRow renders a pool, client, SMS or email finding.
func findingRow(f *policies.Finding) tableRow {
	text := f.Message
	if text == "" {
		text = f.Title
	}
	if f.Verdict == policies.Indeterminate {
		text = "indeterminate: " + text + grantText(findingSources(f.Evidence))
	}
	subject := string(f.Kind)
	if subject == "" {
		subject = "pool"
	}
	if f.Resource.ClientID != "" {
		subject = "client " + f.Resource.ClientID
	}
	return tableRow{
		severity: f.Severity,
		verdict:  f.Verdict,
		ruleID:   Terminal(f.RuleID),
		subject:  Terminal(subject),
		text:     Terminal(oneLine(text)),
		order:    f.Resource.ClientID,
	}
}

// sampleText lists sample usernames: "alice, bob, carol, … +1,234 more".
func sampleText(samples []string, total int64) string {
	if len(samples) == 0 {
		return ""
	}
	s := strings.Join(samples, ", ")
	if more := total - int64(len(samples)); more > 0 {
		s += ", … +" + thousands(more) + " more"
	}
	return s
}

// grantText says what would settle an indeterminate verdict, by why each
// source was not read: " (grant a; scan with --with-mfa)".
func grantText(sources []sourceInfo) string {
	set := map[string]bool{}
	for _, s := range sources {
		if t := settleHint(s); t != "" {
			set[t] = true
		}
	}
	if len(set) == 0 {
		return ""
	}
	return " (" + strings.Join(sortedKeys(set), "; ") + ")"
}

func headerLine(r *policies.Report) string {
	tool := r.Tool
	if tool == "" {
		tool = "recoverscan"
	}
	s := Terminal(tool)
	if r.Version != "" {
		s += " " + Terminal(r.Version)
	}
	if !r.SnapshotTakenAt.IsZero() {
		s += ", snapshot taken " + r.SnapshotTakenAt.UTC().Format("2006-01-02 15:04:05 UTC")
	}
	return s + "\n"
}

func poolHeader(p *tablePool) string {
	s := "Pool " + Terminal(p.id)
	if p.name != "" {
		s = "Pool " + Terminal(p.name) + " (" + Terminal(p.id) + ")"
	}
	if p.summary == nil {
		return s
	}
	u := p.summary.Users
	s += fmt.Sprintf(": %s %s: %s can receive a code, %s cannot, %s may not",
		thousands(u.Total), plural(u.Total, "user", "users"), thousands(u.Can), thousands(u.Cannot), thousands(u.MayNot))
	if !p.summary.Complete {
		s += " (incomplete: not every user could be read)"
	}
	return s
}

func problemText(p policies.SourceProblem) string {
	s := "could not read " + p.Where
	if p.Status != "" {
		s += ": " + p.Status
	}
	if t := settleHint(sourceInfo{Status: p.Status, Action: p.Action}); t != "" {
		s += " (" + t + ")"
	}
	if p.Error != "" {
		s += ": " + oneLine(p.Error)
	}
	return s
}

// summaryText is the closing summary: who can receive a code, findings by
// severity, and what was missing when the data was incomplete.
func summaryText(r *policies.Report, d *digest) string {
	sum := summarize(r, d)
	u := sum.Users
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s: %s can receive a recovery code, %s cannot, %s may not (an unsettled verdict or a risk)\n",
		thousands(u.Total), plural(u.Total, "user", "users"), thousands(u.Can), thousands(u.Cannot), thousands(u.MayNot))
	bs := sum.BySeverity
	fmt.Fprintf(&b, "%s %s: %s critical, %s high, %s medium, %s low",
		thousands(int64(sum.Findings)), plural(int64(sum.Findings), "finding", "findings"),
		thousands(int64(bs.Critical)), thousands(int64(bs.High)), thousands(int64(bs.Medium)), thousands(int64(bs.Low)))
	if n := sum.ByVerdict.Indeterminate; n > 0 {
		fmt.Fprintf(&b, " (%s indeterminate)", thousands(int64(n)))
	}
	b.WriteString("\n")
	if sum.Incomplete {
		parts := incompleteParts(r, sum)
		b.WriteString("Incomplete data: " + strings.Join(parts, ", ") + ".")
		for _, a := range Advice(r, d.causes) {
			b.WriteString(" " + Terminal(upperFirst(a)) + ".")
		}
		b.WriteString("\n")
	}
	if sr := r.Suppressions; sr != nil {
		fmt.Fprintf(&b, "Suppressions (%s): %d %s suppressed", Terminal(sr.File), sr.Suppressed, plural(int64(sr.Suppressed), "finding", "findings"))
		if n := len(sr.Expired); n > 0 {
			fmt.Fprintf(&b, "; %d expired (no longer suppressing):", n)
			for _, e := range sr.Expired {
				fmt.Fprintf(&b, " %s %s (expired %s)", Terminal(e.Where), Terminal(e.Rule), e.Expires.Format("2006-01-02"))
			}
		}
		if n := len(sr.Unused); n > 0 {
			fmt.Fprintf(&b, "; %d matched nothing:", n)
			for _, e := range sr.Unused {
				fmt.Fprintf(&b, " %s %s", Terminal(e.Where), Terminal(e.Rule))
			}
		}
		b.WriteString("\n")
	}
	return b.String()
}

func severityLabel(s policies.Severity) string {
	if s == "" {
		return "-"
	}
	return strings.ToUpper(string(s))
}

// width is the display width of s, counting runes (good enough for the
// identifiers and counts the padded columns hold).
func width(s string) int { return utf8.RuneCountInString(s) }

func pad(s string, w int) string {
	if n := width(s); n < w {
		return s + strings.Repeat(" ", w-n)
	}
	return s
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// oneLine folds line breaks so one finding stays one row.
func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

func upperFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// incompleteParts says why a scan is incomplete: sources not read, pools
// not fully read, indeterminate verdicts.
func incompleteParts(r *policies.Report, sum Summary) []string {
	var parts []string
	if sum.Problems > 0 {
		parts = append(parts, fmt.Sprintf("%d %s could not be read", sum.Problems, plural(int64(sum.Problems), "source", "sources")))
	}
	n := 0
	for _, s := range r.Scopes {
		for _, p := range s.Pools {
			if !p.Complete {
				n++
			}
		}
	}
	if n > 0 {
		parts = append(parts, fmt.Sprintf("%d %s could not be fully read", n, plural(int64(n), "pool", "pools")))
	}
	if k := sum.ByVerdict.Indeterminate; k > 0 {
		parts = append(parts, fmt.Sprintf("%s %s indeterminate", thousands(int64(k)), plural(int64(k), "verdict is", "verdicts are")))
	}
	return parts
}
