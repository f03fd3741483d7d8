package main

import (
	"errors"
	"io"
	"log/slog"
	"strings"

	"github.com/spf13/cobra"
)

// flagError is a usage mistake on the command line.
type flagError struct{ err error }

func (e *flagError) Error() string { return e.err.Error() }
func (e *flagError) Unwrap() error { return e.err }

func isFlagError(err error) bool {
	var fe *flagError
	return errors.As(err, &fe) || strings.HasPrefix(err.Error(), "unknown command") ||
		strings.Contains(err.Error(), "accepts ") || strings.Contains(err.Error(), "requires at least")
}

// globalFlags are the flags every command shares.
type globalFlags struct {
	logLevel string
	noColor  bool
	quiet    bool
}

func newRootCommand(stdout, stderr io.Writer) *cobra.Command {
	g := &globalFlags{}
	root := &cobra.Command{
		Use:   "recoverscan",
		Short: "Find the Cognito users who could not receive a password-recovery code",
		Long: `recoverscan audits Amazon Cognito user pools for password recovery.

It snapshots pools, app clients, users (whether they have a verified email
address or phone number, never the values) and the account's SMS and email
state, evaluates Rego rules against the snapshot, and reports every user who
could not receive a ForgotPassword code and every setting that stops or
endangers delivery, as a table, JSON or SARIF for GitHub code scanning.

It only reads: it never calls ForgotPassword or anything that sends a message.
` + envHelp,
		Example: `  recoverscan demo                                     # the built-in example world
  recoverscan scan --region us-east-1                  # scan an account (AWS credential chain)
  recoverscan scan --region us-east-1 --format sarif -o results.sarif
  recoverscan collect --region us-east-1 -o snap.json  # snapshot only
  recoverscan scan --snapshot snap.json --format json  # evaluate offline
  recoverscan rules                                    # the rule catalogue
  recoverscan policy new --kind user --name my-rule    # start a custom rule in ./rules
  recoverscan policy test ./rules                      # run its tests
  recoverscan demo --policy ./rules                    # and see it in a report
  recoverscan explain --pool us-east-1_AbCdEf123 --user alice  # one user's recovery path`,
		SilenceUsage:  true,
		SilenceErrors: true,
		Version:       readBuildInfo().String(),
		PersistentPreRunE: func(cmd *cobra.Command, _ []string) error {
			if err := applyEnv(cmd); err != nil {
				return err
			}
			level := slog.LevelWarn
			if err := level.UnmarshalText([]byte(g.logLevel)); err != nil {
				return &flagError{errors.New("--log-level: want debug, info, warn or error")}
			}
			if g.quiet && !cmd.Flags().Changed("log-level") {
				level = slog.LevelError
			}
			showProgress = !g.quiet
			slog.SetDefault(slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: level})))
			return nil
		},
	}
	root.SetOut(stdout)
	root.SetErr(stderr)
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return &flagError{err} })
	root.PersistentFlags().StringVar(&g.logLevel, "log-level", "warn", "diagnostics on stderr: debug, info, warn or error")
	root.PersistentFlags().BoolVar(&g.noColor, "no-color", false, "never colour the table (default: colour when stdout is a terminal and NO_COLOR is unset)")
	root.PersistentFlags().BoolVarP(&g.quiet, "quiet", "q", false, "no progress line and no warnings on stderr, only errors (the report is still written)")
	root.SetVersionTemplate("{{.Version}}\n")
	root.AddCommand(
		newScanCommand(g),
		newCollectCommand(g),
		newAccountsCommand(g),
		newDemoCommand(g),
		newRulesCommand(g),
		newExplainCommand(g),
		newDiffCommand(g),
		newPolicyCommand(g),
		newValidateCommand(),
		newVersionCommand(),
		newCompletionCommand(),
	)
	root.CompletionOptions.DisableDefaultCmd = true
	completeFlagValues(root)
	return root
}
