package output

import (
	"bufio"
	"fmt"
	"io"
	"strings"
	"unicode"

	"github.com/recoverscan/recoverscan/policies"
)

// mdMaxRows bounds the findings table so that a summary of many pools
// stays within GitHub's limits (1 MiB per job summary, 65,536 characters
// per pull-request comment); the most severe rows are kept.
const mdMaxRows = 200

// FormatMarkdown names the Markdown format.
const FormatMarkdown = "markdown"

func init() {
	register(Format{Name: FormatMarkdown, Ext: ".md", New: func(Options) (Renderer, error) {
		return &markdownRenderer{aggregated: newAggregated(0, Options{})}, nil
	}})
}

// markdownRenderer writes GitHub-flavoured Markdown for a job summary or
// a pull-request comment: the users who can / cannot / may not receive a
// code, per pool, and the findings aggregated as in the table, with counts
// and never a user's identity (a pull request is read by everyone with
// access to the repository). Suppressed findings are left out.
type markdownRenderer struct {
	aggregated
}

func (m *markdownRenderer) Render(w io.Writer, r *policies.Report) error {
	bw := bufio.NewWriter(w)
	writeMarkdown(bw, r, m.digest)
	return bw.Flush()
}

func writeMarkdown(b *bufio.Writer, r *policies.Report, d *digest) {
	mdSummary(b, r, summarize(r, d))
	scopes := tableLayout(r, d)
	mdPools(b, scopes)
	mdProblems(b, scopes)
	ruleOrder, found := mdFindings(b, scopes)
	if !found {
		return
	}
	mdRemediation(b, r, d, ruleOrder)
}

// mdSummary writes the heading, the user counts, the findings by severity,
// and what made the scan incomplete or was suppressed.
func mdSummary(b *bufio.Writer, r *policies.Report, sum Summary) {
	u := sum.Users
	b.WriteString("## recoverscan: password recovery\n\n")
	if line := strings.TrimSpace(headerLine(r)); line != "" {
		b.WriteString(mdText(line) + "\n\n")
	}
	b.WriteString("| users | count |\n| --- | ---: |\n")
	fmt.Fprintf(b, "| can receive a recovery code | %s |\n", thousands(u.Can))
	fmt.Fprintf(b, "| cannot | %s |\n", thousands(u.Cannot))
	fmt.Fprintf(b, "| may not (an unsettled verdict or a risk) | %s |\n", thousands(u.MayNot))
	fmt.Fprintf(b, "| **total** | **%s** |\n\n", thousands(u.Total))

	bs := sum.BySeverity
	fmt.Fprintf(b, "**%s %s**: %s critical, %s high, %s medium, %s low",
		thousands(int64(sum.Findings)), plural(int64(sum.Findings), "finding", "findings"),
		thousands(int64(bs.Critical)), thousands(int64(bs.High)), thousands(int64(bs.Medium)), thousands(int64(bs.Low)))
	if n := sum.ByVerdict.Indeterminate; n > 0 {
		fmt.Fprintf(b, " (%s indeterminate)", thousands(int64(n)))
	}
	b.WriteString(".\n\n")

	if sum.Incomplete {
		b.WriteString("> [!WARNING]\n> **Incomplete scan**: some facts could not be read, so some verdicts are not settled.")
		if len(sum.MissingPermissions) > 0 {
			b.WriteString(" Grant " + mdCode(strings.Join(sum.MissingPermissions, ", ")) + " and scan again.")
		}
		b.WriteString("\n\n")
	}
	if sr := r.Suppressions; sr != nil {
		fmt.Fprintf(b, "%d %s suppressed by %s", sr.Suppressed, plural(int64(sr.Suppressed), "finding", "findings"), mdCode(sr.File))
		if n := len(sr.Expired); n > 0 {
			fmt.Fprintf(b, "; %d %s expired", n, plural(int64(n), "suppression", "suppressions"))
		}
		if n := len(sr.Unused); n > 0 {
			fmt.Fprintf(b, "; %d matched nothing", n)
		}
		b.WriteString(".\n\n")
	}
}

// mdPools writes the table of pools.
func mdPools(b *bufio.Writer, scopes []*tableScope) {
	b.WriteString("### Pools\n\n")
	b.WriteString("| account | region | pool | users | can | cannot | may not | findings |\n")
	b.WriteString("| --- | --- | --- | ---: | ---: | ---: | ---: | ---: |\n")
	pools := 0
	for _, s := range scopes {
		for _, p := range s.pools {
			pools++
			name := mdText(poolLabel(p.id, p.name))
			total, can, cannot, mayNot := "–", "–", "–", "–"
			if p.summary != nil {
				pu := p.summary.Users
				total, can, cannot, mayNot = thousands(pu.Total), thousands(pu.Can), thousands(pu.Cannot), thousands(pu.MayNot)
				if !p.summary.Complete {
					name += " (incomplete)"
				}
			}
			fmt.Fprintf(b, "| %s | %s | %s | %s | %s | %s | %s | %d |\n",
				mdText(orDash(s.account)), mdText(orDash(s.region)), name, total, can, cannot, mayNot, len(p.rows))
		}
	}
	if pools == 0 {
		b.WriteString("| – | – | no user pools | | | | | |\n")
	}
	b.WriteString("\n")
}

// mdProblems writes what could not be read, if anything.
func mdProblems(b *bufio.Writer, scopes []*tableScope) {
	var problems []string
	for _, s := range scopes {
		for _, p := range s.problems {
			problems = append(problems, fmt.Sprintf("- %s, %s: %s", mdText(orDash(s.account)), mdText(orDash(s.region)), mdText(problemSummary(p))))
		}
	}
	if len(problems) > 0 {
		b.WriteString("### Not read\n\n" + strings.Join(problems, "\n") + "\n\n")
	}
}

// mdFindings writes the most severe findings, at most mdMaxRows, or "No
// findings." It returns the rules of the rows written, in order, and
// whether there were any findings.
func mdFindings(b *bufio.Writer, scopes []*tableScope) ([]string, bool) {
	type mdRow struct {
		scope *tableScope
		pool  *tablePool
		row   tableRow
	}
	var rows []mdRow
	for _, s := range scopes {
		for _, p := range s.pools {
			for _, row := range p.rows {
				rows = append(rows, mdRow{s, p, row})
			}
		}
	}
	if len(rows) == 0 {
		b.WriteString("No findings.\n")
		return nil, false
	}
	// Most severe first across pools; within a severity, report order.
	kept := make([]mdRow, 0, min(len(rows), mdMaxRows))
	for rank := policies.Critical.Rank(); rank >= 0 && len(kept) < mdMaxRows; rank-- {
		for _, x := range rows {
			if x.row.severity.Rank() == rank && len(kept) < mdMaxRows {
				kept = append(kept, x)
			}
		}
	}
	b.WriteString("### Findings\n\n")
	b.WriteString("| severity | rule | account | region | pool | subject | finding |\n")
	b.WriteString("| --- | --- | --- | --- | --- | --- | --- |\n")
	ruleSeen := map[string]bool{}
	var ruleOrder []string
	for _, x := range kept {
		fmt.Fprintf(b, "| %s | %s | %s | %s | %s | %s | %s |\n",
			severityLabel(x.row.severity), mdText(x.row.ruleID), mdText(orDash(x.scope.account)), mdText(orDash(x.scope.region)),
			mdText(poolLabel(x.pool.id, x.pool.name)), mdText(x.row.subject), mdText(scrub(x.row.text)))
		if !ruleSeen[x.row.ruleID] {
			ruleSeen[x.row.ruleID] = true
			ruleOrder = append(ruleOrder, x.row.ruleID)
		}
	}
	if more := len(rows) - len(kept); more > 0 {
		fmt.Fprintf(b, "\n%s more %s left out (the least severe); the html and json formats have them all.\n", thousands(int64(more)), plural(int64(more), "row", "rows"))
	}
	return ruleOrder, true
}

// mdRemediation writes each rule's title, description and remediation.
func mdRemediation(b *bufio.Writer, r *policies.Report, d *digest, ruleOrder []string) {
	b.WriteString("\n<details><summary>Remediation</summary>\n\n")
	for _, id := range ruleOrder {
		rule, ok := r.Rule(id)
		if !ok {
			rule = d.rules[id]
		}
		fmt.Fprintf(b, "#### %s: %s\n\n", mdText(id), mdText(orDash(oneLine(rule.Title))))
		if desc := oneLine(rule.Description); desc != "" {
			b.WriteString(mdText(desc) + "\n\n")
		}
		if rem := strings.TrimSpace(rule.Remediation); rem != "" {
			b.WriteString(mdFence(scrub(rem)) + "\n")
		}
	}
	b.WriteString("</details>\n")
}

// problemSummary is a scope problem without its raw error text (which can
// name roles and session names).
func problemSummary(p policies.SourceProblem) string {
	s := "could not read " + p.Where
	if p.Status != "" {
		s += " (" + p.Status + ")"
	}
	if t := settleHint(sourceInfo{Status: p.Status, Action: p.Action}); t != "" {
		s += ": " + t
	}
	return s
}

// mdText makes s safe as inline Markdown text, in a table cell or at the
// start of a line too: one line, no control characters, every character
// that Markdown or the HTML GitHub allows in it could read as syntax
// escaped, and "@" kept from mentioning anyone (a zero-width space after
// it, since GitHub finds mentions in the rendered text).
func mdText(s string) string {
	s = oneLine(s)
	var b strings.Builder
	lead := true // in the leading run of digits, where "1." starts a list
	for i, r := range s {
		switch {
		case unicode.IsControl(r) || r == '\u2028' || r == '\u2029':
			b.WriteByte(' ')
		case r == '<':
			b.WriteString("&lt;")
		case r == '>':
			b.WriteString("&gt;")
		case r == '&':
			b.WriteString("&amp;")
		case r == '@':
			b.WriteString("@\u200b")
		case strings.ContainsRune("\\`*_{}[]|~", r),
			i == 0 && strings.ContainsRune("#+-=", r),
			lead && (r == '.' || r == ')'):
			b.WriteByte('\\')
			b.WriteRune(r)
		default:
			b.WriteRune(r)
		}
		lead = lead && r >= '0' && r <= '9'
	}
	return b.String()
}

// mdCode is s as inline code, in a fence of more backticks than s holds.
func mdCode(s string) string {
	s = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || r == '|' {
			return ' '
		}
		return r
	}, oneLine(s))
	fence := strings.Repeat("`", longestRun(s, '`')+1)
	return fence + " " + s + " " + fence
}

// mdFence is s as a fenced code block that s cannot close.
func mdFence(s string) string {
	s = strings.Map(func(r rune) rune {
		if r != '\n' && r != '\t' && unicode.IsControl(r) {
			return ' '
		}
		return r
	}, s)
	fence := strings.Repeat("`", max(3, longestRun(s, '`')+1))
	return fence + "\n" + s + "\n" + fence + "\n"
}

func longestRun(s string, c rune) int {
	best, n := 0, 0
	for _, r := range s {
		if r == c {
			n++
			best = max(best, n)
		} else {
			n = 0
		}
	}
	return best
}
