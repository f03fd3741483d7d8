package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/recoverscan/recoverscan/collector"
	"github.com/recoverscan/recoverscan/collector/demo"
	"github.com/recoverscan/recoverscan/collector/snapshot"
	"github.com/recoverscan/recoverscan/output"
	"github.com/recoverscan/recoverscan/policies"
)

func newExplainCommand(g *globalFlags) *cobra.Command {
	var (
		af       awsFlags
		pool     string
		user     string
		snapPath string
		useDemo  bool
		format   string
		dirs     []string
		cf       configFlags
	)
	cmd := &cobra.Command{
		Use:   "explain --pool POOL-ID --user USERNAME",
		Short: `Walk one user's password recovery: "I never got the code"`,
		Long: `Explain walks one user's recovery path the way the AWS troubleshooting guides
do, one step per line, each passed or failed with its evidence: the user exists,
status, enabled, the pool's recovery setting, verified attributes, MFA, the
channel Cognito would choose, and that channel's health in the right region.
It ends with what ForgotPassword would do (the CodeDeliveryDetails it would
return, the exception it would raise, or "accepted but not delivered" and why)
and the fixes, in order.

Live, it reads the pool's settings and just this user (ListUsers with a filter);
--user takes a username or a sub. The user's MFA settings are read with
AdminGetUser (one call) unless --with-mfa=false.`,
		Example: `  recoverscan explain --pool us-east-1_AbCdEf123 --user alice
  recoverscan explain --snapshot snap.json --pool us-east-1_AbCdEf123 --user alice
  recoverscan explain --demo --pool us-east-1_DemoCust1 --user grace`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if pool == "" || user == "" {
				return &flagError{errors.New("say whom to explain: --pool POOL-ID --user USERNAME")}
			}
			if format != "table" && format != "json" {
				return &flagError{fmt.Errorf("--format %q: want table or json", format)}
			}
			if snapPath != "" && useDemo {
				return &flagError{errors.New("--snapshot and --demo cannot be combined")}
			}
			engine, err := newEngine(cmd.Context(), dirs, &cf)
			if err != nil {
				return err
			}
			var (
				src  io.Reader
				name string
			)
			switch {
			case useDemo:
				data, err := snapshot.Marshal(demo.Snapshot())
				if err != nil {
					return err
				}
				src, name = bytes.NewReader(data), "demo snapshot"
			case snapPath != "":
				f, err := openInput(cmd.Context(), "snapshot", snapPath)
				if err != nil {
					return err
				}
				defer f.Close()
				src, name = f, snapPath
			default:
				af.pools = []string{pool}
				if err := af.resolveRegions(); err != nil {
					return err
				}
				var buf bytes.Buffer
				if err := collectOne(cmd, &af, user, &buf); err != nil {
					return err
				}
				src, name = &buf, "live scan"
			}
			ex, err := engine.Explain(cmd.Context(), src, pool, user)
			if errors.Is(err, policies.ErrUserNotFound) {
				return &exitError{code: exitUsage, err: err}
			}
			if err != nil {
				return evalError(name, err)
			}
			opts := output.Options{Color: useColor(cmd.OutOrStdout(), g.noColor)}
			return output.WriteExplanation(cmd.OutOrStdout(), format, ex, opts)
		},
	}
	cmd.Flags().StringVar(&pool, "pool", "", "user pool id (its region is the id's prefix)")
	cmd.Flags().StringVar(&af.profile, "profile", "", "AWS shared-config profile (default: the standard credential chain)")
	cmd.Flags().BoolVar(&af.withMFA, "with-mfa", true, "read the user's MFA settings with AdminGetUser (one call; counts towards monthly active users)")
	cmd.Flags().StringVar(&user, "user", "", "username or sub of the user to explain")
	cmd.Flags().StringVar(&snapPath, "snapshot", "", "explain from this snapshot instead of scanning AWS")
	cmd.Flags().BoolVar(&useDemo, "demo", false, "explain a user of the built-in demo world")
	cmd.Flags().StringVarP(&format, "format", "f", "table", "table or json")
	cmd.Flags().StringArrayVar(&dirs, "policy", nil, "directory of custom Rego rules (repeatable)")
	cf.register(cmd)
	return cmd
}

// collectOne collects one pool with just one user into buf.
func collectOne(cmd *cobra.Command, af *awsFlags, user string, buf *bytes.Buffer) error {
	cfg, err := af.load(cmd.Context())
	if err != nil {
		return err
	}
	opts := af.options()
	opts.UserFilter = collector.UserFilter(user)
	if err := collector.Collect(cmd.Context(), cfg, opts, snapshot.NewWriter(buf)); err != nil {
		return &exitError{code: exitIncomplete, err: fmt.Errorf("collect: %w", err)}
	}
	return nil
}
