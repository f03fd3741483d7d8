package main

import (
	"bytes"
	"errors"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/recoverscan/recoverscan/collector/atomicfile"
	"github.com/recoverscan/recoverscan/collector/demo"
	"github.com/recoverscan/recoverscan/collector/snapshot"
)

func newDemoCommand(g *globalFlags) *cobra.Command {
	f := &reportFlags{}
	var writeSnapshot string
	cmd := &cobra.Command{
		Use:   "demo",
		Short: "Scan the built-in example world (no AWS account needed)",
		Long: `Demo evaluates a built-in snapshot of an invented account whose pools and
users show the recovery problems recoverscan finds, and prints the report
exactly as 'scan' would. --write-snapshot saves that snapshot, a handy
starting point for writing and testing rules.`,
		Example: `  recoverscan demo
  recoverscan demo --format sarif -o demo.sarif
  recoverscan demo --write-snapshot demo.json && recoverscan scan --snapshot demo.json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := f.validate(); err != nil {
				return err
			}
			data, err := snapshot.Marshal(demo.Snapshot())
			if err != nil {
				return fmt.Errorf("build the demo snapshot: %w", err)
			}
			if writeSnapshot != "" {
				if err := atomicfile.WriteFile(writeSnapshot, data); err != nil {
					return &exitError{code: exitUsage, err: err}
				}
			}
			engine, err := newEngine(cmd.Context(), f.policies, &f.config)
			if err != nil {
				return err
			}
			sink, err := newReportSink(f)
			if err != nil {
				return err
			}
			defer sink.Close()
			report, err := evaluate(cmd.Context(), engine, bytes.NewReader(data), f.evalTimeout, sink.add)
			if err != nil {
				return evalError("demo snapshot", err)
			}
			err = sink.finish(cmd, g, report)
			// The demo is meant to show problems; only --fail-on makes
			// them an exit status.
			var ee *exitError
			if errors.As(err, &ee) && ee.code == exitIncomplete && f.failOn == "none" {
				return nil
			}
			return err
		},
	}
	f.register(cmd)
	cmd.Flags().StringVar(&writeSnapshot, "write-snapshot", "", "also write the demo snapshot to this file")
	return cmd
}
