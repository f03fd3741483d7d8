package output

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/recoverscan/recoverscan/policies"
)

// WriteExplanation renders one user's recovery route: "table" (text, one
// step per line) or "json".
func WriteExplanation(w io.Writer, format string, ex *policies.Explanation, opts Options) error {
	route := ex.Route()
	switch format {
	case "json":
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		return enc.Encode(struct {
			Account  string             `json:"account"`
			Region   string             `json:"region"`
			PoolID   string             `json:"pool_id"`
			PoolName string             `json:"pool_name"`
			Username string             `json:"username"`
			Channel  string             `json:"channel"`
			Route    policies.Route     `json:"walk"` // the explain output's stable JSON name
			Findings []policies.Finding `json:"findings"`
		}{ex.Account, ex.Region, ex.Pool.ID, ex.Pool.Name, ex.User.Username, ex.Channel, route, ex.Findings})
	case "table", "":
		return writeRoute(w, ex, route, opts)
	}
	return &UnknownFormatError{Format: format}
}

var stepMarks = map[policies.StepState]string{
	policies.StepPass:    "✓",
	policies.StepFail:    "✗",
	policies.StepUnknown: "?",
	policies.StepInfo:    "•",
	policies.StepWarn:    "!",
}

var stepColors = map[policies.StepState]string{
	policies.StepPass:    "\x1b[32m",
	policies.StepFail:    "\x1b[1;31m",
	policies.StepUnknown: "\x1b[33m",
	policies.StepWarn:    "\x1b[33m",
}

func writeRoute(out io.Writer, ex *policies.Explanation, route policies.Route, opts Options) error {
	w := bufio.NewWriter(out)
	fmt.Fprintf(w, "Password recovery for %s in pool %s (%s), account %s, %s\n", Terminal(ex.User.Username), Terminal(ex.Pool.Name), Terminal(ex.Pool.ID), Terminal(ex.Account), Terminal(ex.Region))
	fmt.Fprintf(w, "as of the snapshot taken %s\n\n", Terminal(strings.Replace(strings.TrimSuffix(ex.TakenAt, "Z"), "T", " ", 1))+" UTC")
	width := 0
	for _, s := range route.Steps {
		width = max(width, len(Terminal(s.Name)))
	}
	for _, s := range route.Steps {
		mark := stepMarks[s.State]
		if c, ok := stepColors[s.State]; ok && opts.Color {
			mark = c + mark + ansiReset
		}
		fmt.Fprintf(w, "  %s %-*s  %s\n", mark, width, Terminal(s.Name), Terminal(s.Detail))
	}
	fmt.Fprintf(w, "\nForgotPassword would %s\n", describeOutcome(route.Outcome))
	for _, n := range route.Outcome.Notes {
		fmt.Fprintf(w, "  note: %s\n", Terminal(n))
	}
	if len(route.Fixes) > 0 {
		fmt.Fprintln(w, "\nFix, in order:")
		for i, f := range route.Fixes {
			id, cmd, _ := strings.Cut(f, ": ")
			fmt.Fprintf(w, "  %d. %s\n", i+1, Terminal(id))
			// A remediation's lines are its own; what is in them is not.
			for _, line := range strings.Split(cmd, "\n") {
				fmt.Fprintf(w, "     %s\n", Terminal(line))
			}
		}
	}
	return w.Flush()
}

func describeOutcome(o policies.Outcome) string {
	delivery := func() string {
		if o.Delivery == nil {
			return ""
		}
		b, _ := json.Marshal(map[string]any{"CodeDeliveryDetails": o.Delivery})
		return string(b)
	}
	switch o.Kind {
	case policies.OutcomeDelivered:
		return "return " + delivery() + "\nand the code reaches the user."
	case policies.OutcomeUndelivered:
		if o.Delivery != nil {
			return "accept the request and return " + delivery() + "\nbut the code is NOT delivered: " + Terminal(o.Why)
		}
		return "send no code: " + Terminal(o.Why)
	case policies.OutcomeError:
		return "fail with " + Terminal(o.Exception) + ": " + Terminal(o.Message)
	}
	s := "do something that cannot be told from the snapshot: " + Terminal(o.Why)
	if o.Delivery != nil {
		s += "\nIf nothing stops it, it returns " + delivery()
	}
	return s
}
