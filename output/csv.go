package output

import (
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode"

	"github.com/recoverscan/recoverscan/policies"
)

// csvColumns are the CSV format's columns, in order. They are a stable
// interface (documented in the README): new columns are only ever added
// at the end.
var csvColumns = []string{
	"status", "severity", "rule_id", "title", "kind",
	"account", "region", "pool_id", "pool_name", "client_id", "username",
	"users", "pool_users", "blocks_recovery", "message", "remediation",
	"suppressed_reason", "suppressed_until",
}

// FormatCSV names the CSV format.
const FormatCSV = "csv"

func init() {
	register(Format{Name: FormatCSV, Ext: ".csv", New: newCSVRenderer, ListsPassed: true})
}

// csvRenderer writes one row per finding, suppressed ones included with
// their reason, then with --include-passed one row per pass. Rows are
// written to a temporary file as findings arrive, so memory stays flat
// however many users fail. Evidence stays out (it can hold masked contact
// data, which the table does not show either).
type csvRenderer struct {
	aggregated
	spill *spill
	rows  *csv.Writer
}

func newCSVRenderer(opts Options) (Renderer, error) {
	sp, err := newSpill()
	if err != nil {
		return nil, err
	}
	c := &csvRenderer{aggregated: newAggregated(0, opts), spill: sp, rows: csv.NewWriter(sp.w)}
	c.digest.countsOnly = true
	c.keepSuppressed = true
	return c, nil
}

func (c *csvRenderer) Add(f *policies.Finding) error {
	if err := c.aggregated.Add(f); err != nil {
		return err
	}
	users := ""
	if isUserFinding(f) {
		users = "1"
	}
	var reason, until string
	if f.Suppressed != nil {
		reason, until = f.Suppressed.Reason, f.Suppressed.Expires
	}
	row := []string{
		string(f.Verdict), string(f.Severity), f.RuleID, f.Title, string(f.Kind),
		f.Resource.Account, f.Resource.Region, f.Resource.PoolID, f.Resource.PoolName, f.Resource.ClientID, f.Resource.Username,
		users, "", strconv.FormatBool(f.BlocksRecovery), f.Message, f.Remediation.String(),
		reason, until,
	}
	return c.write(row)
}

// write writes one row, every cell made safe.
func (c *csvRenderer) write(row []string) error {
	for i, cell := range row {
		row[i] = csvCell(cell)
	}
	if err := c.rows.Write(row); err != nil {
		return fmt.Errorf("output: spill findings: %w", err)
	}
	return nil
}

func (c *csvRenderer) Render(w io.Writer, r *policies.Report) error {
	for _, p := range c.passed(r) {
		users, of := "", ""
		if p.Kind == policies.KindUser {
			users, of = strconv.FormatInt(p.Users, 10), strconv.FormatInt(p.PoolUsers, 10)
		}
		if err := c.write([]string{
			"passed", string(p.Severity), p.RuleID, p.Title, string(p.Kind),
			p.Resource.Account, p.Resource.Region, p.Resource.PoolID, p.Resource.PoolName, "", "",
			users, of, "", "", "", "", "",
		}); err != nil {
			return err
		}
	}
	c.rows.Flush()
	if err := c.rows.Error(); err != nil {
		return fmt.Errorf("output: spill findings: %w", err)
	}
	head := csv.NewWriter(w)
	if err := head.Write(csvColumns); err != nil {
		return err
	}
	head.Flush()
	if err := head.Error(); err != nil {
		return err
	}
	return c.spill.copyTo(w)
}

func (c *csvRenderer) Close() error { return c.spill.close() }

// csvCell makes a cell safe for spreadsheets: control characters other
// than line breaks and tabs become spaces, and a cell that a spreadsheet
// would read as a formula (=, +, -, @ first) is prefixed with a quote.
func csvCell(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	s = strings.Map(func(r rune) rune {
		if r != '\n' && r != '\t' && unicode.IsControl(r) {
			return ' '
		}
		return r
	}, s)
	if s != "" && strings.ContainsRune("=+-@\t", rune(s[0])) {
		s = "'" + s
	}
	return s
}
