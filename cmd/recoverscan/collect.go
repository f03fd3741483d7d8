package main

import (
	"errors"
	"fmt"
	"os"

	"github.com/spf13/cobra"

	"github.com/recoverscan/recoverscan/collector"
	"github.com/recoverscan/recoverscan/collector/atomicfile"
	"github.com/recoverscan/recoverscan/collector/snapshot"
)

func newCollectCommand(_ *globalFlags) *cobra.Command {
	f := &awsFlags{}
	var out string
	cmd := &cobra.Command{
		Use:   "collect",
		Short: "Take a snapshot of an AWS account's Cognito recovery state",
		Long: `Collect reads user pools, app clients, users and the account's SMS and email
state into a snapshot file that 'recoverscan scan --snapshot' evaluates offline,
on any machine, without AWS credentials. The snapshot keeps whether each user
has a verified email address or phone number, never the address or number
itself, and never app client secrets. The file is written atomically and is
readable by its owner only.`,
		Example: `  recoverscan collect --region us-east-1 -o snap.json
  recoverscan collect --region us-east-1 --pool us-east-1_AbCdEf123 -o snap.json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := f.resolveRegions(); err != nil {
				return err
			}
			if out == "" {
				return &flagError{errors.New("say where to write the snapshot: -o FILE (use -o - for stdout)")}
			}
			ctx, cancel := f.deadline(cmd.Context())
			defer cancel()
			cfg, err := f.load(ctx)
			if err != nil {
				return err
			}
			if out == "-" {
				w := snapshot.NewWriter(cmd.OutOrStdout())
				if err := collector.Collect(ctx, cfg, f.options(), w); err != nil {
					return collectError(ctx, err, "")
				}
				return nil
			}
			file, err := atomicfile.Create(out)
			if err != nil {
				return &exitError{code: exitUsage, err: err}
			}
			defer file.Abort()
			if err := collector.Collect(ctx, cfg, f.options(), snapshot.NewWriter(file)); err != nil {
				return collectError(ctx, err, out)
			}
			if err := file.Commit(); err != nil {
				return &exitError{code: exitIncomplete, err: err}
			}
			fmt.Fprintf(os.Stderr, "snapshot written to %s\n", out)
			return nil
		},
	}
	f.register(cmd)
	cmd.Flags().StringVarP(&out, "output", "o", "", "snapshot file to write (- for stdout)")
	return cmd
}
