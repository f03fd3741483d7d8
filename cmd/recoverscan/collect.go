package main

import (
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"github.com/recoverscan/recoverscan/collector/atomicfile"
	"github.com/recoverscan/recoverscan/collector/snapshot"
)

func newCollectCommand(_ *globalFlags) *cobra.Command {
	f := &awsFlags{}
	var (
		out string
		cf  configFlags
	)
	cmd := &cobra.Command{
		Use:   "collect",
		Short: "Take a snapshot of an AWS account's Cognito recovery state",
		Long: `Collect reads user pools, app clients, users and the account's SMS and email
state into a snapshot file that 'recoverscan scan --snapshot' evaluates offline,
on any machine, without AWS credentials. The snapshot keeps whether each user
has a verified email address or phone number, never the address or number
itself, and never app client secrets. The file is written atomically and is
readable by its owner only.

Without --region or --pool, the scan section of the configuration file says what
to collect (accounts, regions, pools); an account that cannot be read is
recorded in the snapshot and the command exits 3.`,
		Example: `  recoverscan collect --region us-east-1 -o snap.json
  recoverscan collect --region us-east-1 --pool us-east-1_AbCdEf123 -o snap.json
  recoverscan collect --config accounts.yaml -o snap.json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			fromConfig, err := f.useConfigScope(&cf)
			if err != nil {
				return err
			}
			if !fromConfig {
				if err := f.resolveRegions(); err != nil {
					return err
				}
			}
			if out == "" {
				return &flagError{errors.New("say where to write the snapshot: -o FILE (use -o - for stdout)")}
			}
			if err := checkOutputs([]namedPath{{"-o", out}}, nil); err != nil {
				return err
			}
			ctx, cancel := f.deadline(cmd.Context())
			defer cancel()
			collect, err := f.collector(ctx)
			if err != nil {
				return err
			}
			if out == "-" {
				failed, err := collect(ctx, snapshot.NewWriter(cmd.OutOrStdout()))
				if err != nil {
					return collectError(ctx, err, "")
				}
				return failedAccountsError(failed)
			}
			file, err := atomicfile.Create(out)
			if err != nil {
				return &exitError{code: exitUsage, err: err}
			}
			defer file.Abort()
			failed, err := collect(ctx, snapshot.NewFileWriter(file, out))
			if err != nil {
				return collectError(ctx, err, out)
			}
			if err := file.Commit(); err != nil {
				return &exitError{code: exitIncomplete, err: err}
			}
			fmt.Fprintf(os.Stderr, "snapshot written to %s\n", out)
			return failedAccountsError(failed)
		},
	}
	f.register(cmd)
	f.registerAccount(cmd)
	cf.register(cmd)
	cmd.Flags().StringVarP(&out, "output", "o", "", "snapshot file to write (- for stdout)")
	return cmd
}

// failedAccountsError is the exit for a snapshot that lacks accounts whose
// credentials failed: written, but incomplete.
func failedAccountsError(failed []string) error {
	if len(failed) == 0 {
		return nil
	}
	return &exitError{code: exitIncomplete, err: fmt.Errorf("%d accounts could not be read (their credentials failed; see the log): %s", len(failed), strings.Join(failed, ", "))}
}
