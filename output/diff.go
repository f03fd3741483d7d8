package output

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/recoverscan/recoverscan/policies"
)

// WriteDiff renders what changed between two reports: "table" or "json".
func WriteDiff(w io.Writer, format string, d *policies.Diff, opts Options) error {
	switch format {
	case "json":
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		return enc.Encode(d)
	case "table", "":
		return writeDiffTable(w, d, opts)
	}
	return &UnknownFormatError{Format: format}
}

func writeDiffTable(out io.Writer, d *policies.Diff, opts Options) error {
	w := bufio.NewWriter(out)
	side := func(i policies.ReportInfo) string {
		if i.TakenAt == "" {
			return Terminal(i.Name)
		}
		return Terminal(fmt.Sprintf("%s (snapshot %s)", i.Name, strings.Replace(strings.TrimSuffix(i.TakenAt, "Z"), "T", " ", 1)))
	}
	fmt.Fprintf(w, "Changes from %s\n          to %s\n", side(d.Old), side(d.New))
	section := func(title string, fs []policies.Finding) {
		fmt.Fprintf(w, "\n%s (%d)\n", title, len(fs))
		for _, f := range fs {
			sev := pad(severityLabel(f.Severity), 8)
			if c, ok := severityColor[f.Severity]; ok && opts.Color {
				sev = c + sev + ansiReset
			}
			fmt.Fprintf(w, "  %s  %-13s %s%s\n", sev, Terminal(f.RuleID), Terminal(subject(f)), verdictSuffix(f))
		}
	}
	section("New findings", d.Appeared)
	section("Resolved findings", d.Resolved)
	fmt.Fprintf(w, "\nUsers whose recovery changed (%d)\n", len(d.Users))
	for _, u := range d.Users {
		var delta []string
		for _, id := range u.Added {
			delta = append(delta, "+"+id)
		}
		for _, id := range u.Removed {
			delta = append(delta, "-"+id)
		}
		fmt.Fprintf(w, "  %s in %s (%s): %s → %s  [%s]\n", Terminal(u.Username), Terminal(orDash(u.PoolName)), Terminal(u.PoolID),
			Terminal(strings.ReplaceAll(u.Before, "_", " ")), Terminal(strings.ReplaceAll(u.After, "_", " ")), Terminal(strings.Join(delta, " ")))
	}
	o, n := d.Totals[0], d.Totals[1]
	fmt.Fprintf(w, "\nUsers who cannot receive a code: %s → %s; may not: %s → %s\n",
		thousands(o.Cannot), thousands(n.Cannot), thousands(o.MayNot), thousands(n.MayNot))
	return w.Flush()
}

// subject names what a finding is about, without contact data.
func subject(f policies.Finding) string {
	r := f.Resource
	where := "pool " + orDash(r.PoolName) + " (" + r.PoolID + ")"
	switch {
	case r.Username != "":
		return where + " user " + r.Username
	case r.ClientID != "":
		return where + " client " + r.ClientID
	}
	return where + " " + string(f.Kind)
}

func verdictSuffix(f policies.Finding) string {
	if f.Verdict == policies.Indeterminate {
		return " (indeterminate)"
	}
	return ""
}
