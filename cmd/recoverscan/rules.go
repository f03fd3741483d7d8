package main

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/recoverscan/recoverscan/policies"
)

func newRulesCommand(_ *globalFlags) *cobra.Command {
	var (
		format string
		dirs   []string
		cf     configFlags
	)
	cmd := &cobra.Command{
		Use:   "rules [ID]",
		Short: "List the rules, or print one rule's documentation",
		Long: `Rules lists every rule recoverscan evaluates, built-in and custom (--policy),
with its id, severity, kind and title; rules the configuration file disables or
re-levels are marked. --format markdown prints the full
catalogue with descriptions, remediations and references, custom rules
included.

With an ID, rules prints that rule's full documentation, built-in or custom:
description, delivery channel and effect, what it reads (input fields and
library rules), remediation, parameters and references.`,
		Example: `  recoverscan rules
  recoverscan rules RC-USER-001
  recoverscan rules ACME-USER-001 --policy ./rules
  recoverscan rules --format markdown --policy ./rules > RULES.md`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if format != "table" && format != "json" && format != "markdown" {
				return &flagError{fmt.Errorf("--format %q: want table, json or markdown", format)}
			}
			engine, err := newEngine(cmd.Context(), dirs, &cf)
			if err != nil {
				return err
			}
			rules := engine.Rules()
			out := cmd.OutOrStdout()
			if len(args) == 1 {
				return writeRuleDoc(out, engine, rules, args[0], format)
			}
			switch format {
			case "json":
				enc := json.NewEncoder(out)
				enc.SetIndent("", "  ")
				return enc.Encode(rules)
			case "markdown":
				return policies.WriteMarkdown(out, rules)
			}
			tw := tabwriter.NewWriter(out, 0, 0, 2, ' ', 0)
			fmt.Fprintln(tw, "ID\tSEVERITY\tKIND\tTITLE")
			for _, r := range rules {
				title := r.Title
				var notes []string
				if r.Custom {
					notes = append(notes, "custom")
				}
				if r.Disabled {
					notes = append(notes, "disabled")
				}
				if r.DefaultSeverity != "" {
					notes = append(notes, "severity from config, default "+string(r.DefaultSeverity))
				}
				if len(notes) > 0 {
					title += " (" + strings.Join(notes, ", ") + ")"
				}
				fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", r.ID, r.Severity, r.Kind, title)
			}
			return tw.Flush()
		},
	}
	cmd.Flags().StringVarP(&format, "format", "f", "table", "table, json or markdown")
	cmd.Flags().StringArrayVar(&dirs, "policy", nil, "directory, .rego file or OPA bundle (.tar.gz, built by opa build) of custom Rego rules (repeatable)")
	cf.register(cmd)
	return cmd
}

// writeRuleDoc prints one rule's documentation: Markdown (table and
// markdown formats) or the rule's JSON with what it reads.
func writeRuleDoc(out io.Writer, engine *policies.Engine, rules []policies.Rule, id, format string) error {
	for _, r := range rules {
		if !strings.EqualFold(r.ID, id) {
			continue
		}
		reads := engine.Reads(r.ID)
		if format == "json" {
			enc := json.NewEncoder(out)
			enc.SetIndent("", "  ")
			return enc.Encode(struct {
				policies.Rule
				Reads []string `json:"reads"`
			}{r, reads})
		}
		return policies.WriteRuleDoc(out, r, reads)
	}
	return &exitError{code: exitUsage, err: fmt.Errorf("no rule %s: 'recoverscan rules' lists them (custom rules need --policy DIR)", id)}
}
