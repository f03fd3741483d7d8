package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/recoverscan/recoverscan/collector/snapshot"
)

func newValidateCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "validate SNAPSHOT",
		Short: "Check that a snapshot file can be read, and count what it holds",
		Long: `Validate reads a snapshot with the same streaming reader scan uses, without
evaluating any rule, and prints how many accounts, regions, pools and users it
holds, and how many pools could not be listed completely. A malformed,
truncated or newer-schema file is an error naming the byte offset (exit code
2). It is also the floor a scan's evaluation time is measured against.`,
		Example: `  recoverscan validate snapshot.json`,
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			f, err := openInput(cmd.Context(), "snapshot", args[0])
			if err != nil {
				return err
			}
			defer f.Close()
			var accounts, regions, pools, incomplete, users int64
			err = snapshot.Walk(f, snapshot.Visitor{
				Account: func(*snapshot.Account) error { accounts++; return nil },
				Region:  func(*snapshot.Account, *snapshot.Region) error { regions++; return nil },
				Pool:    func(*snapshot.PoolSettings) error { pools++; return nil },
				User:    func(*snapshot.User) error { users++; return nil },
				PoolEnd: func(_ *snapshot.PoolSettings, read snapshot.Source, _ int64) error {
					if !read.OK() {
						incomplete++
					}
					return nil
				},
			})
			if badInput(err) {
				return &exitError{code: exitUsage, err: fmt.Errorf("%s: %w", args[0], err)}
			}
			if err != nil {
				return &exitError{code: exitIncomplete, err: fmt.Errorf("%s: %w", args[0], err)}
			}
			fmt.Fprintf(cmd.OutOrStdout(), "%s: valid snapshot: accounts %d, regions %d, pools %d (not completely listed: %d), users %d\n",
				args[0], accounts, regions, pools, incomplete, users)
			return nil
		},
	}
}
