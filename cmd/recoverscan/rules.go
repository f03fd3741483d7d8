package main

import (
	"encoding/json"
	"fmt"
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
		Use:   "rules",
		Short: "List the rules: id, severity, title",
		Long: `Rules lists every rule recoverscan evaluates, built-in and custom (--policy),
with its id, severity, kind and title; rules the configuration file disables or
re-levels are marked. --format markdown prints the full
catalogue with descriptions, remediations and references.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if format != "table" && format != "json" && format != "markdown" {
				return &flagError{fmt.Errorf("--format %q: want table, json or markdown", format)}
			}
			engine, err := newEngine(cmd.Context(), dirs, &cf)
			if err != nil {
				return err
			}
			rules := engine.Rules()
			out := cmd.OutOrStdout()
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
	cmd.Flags().StringArrayVar(&dirs, "policy", nil, "directory of custom Rego rules (repeatable)")
	cf.register(cmd)
	return cmd
}
