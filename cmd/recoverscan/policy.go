package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"maps"
	"os"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/open-policy-agent/opa/v1/cover"
	"github.com/open-policy-agent/opa/v1/tester"
	"github.com/spf13/cobra"

	"github.com/recoverscan/recoverscan/policies"
)

// configFlags select the configuration file: --config FILE, else
// .recoverscan.yaml in the working directory if there is one.
type configFlags struct {
	file string
	none bool
}

const configHelp = "configuration file (YAML): what a scan covers (accounts, regions, pools), custom rule directories, and rules to disable, re-level or parameterise (default: " + policies.DefaultConfigFile + " in the working directory, if present)"

func (c *configFlags) register(cmd *cobra.Command) {
	cmd.Flags().StringVar(&c.file, "config", "", configHelp)
	cmd.Flags().BoolVar(&c.none, "no-config", false, "ignore "+policies.DefaultConfigFile+" in the working directory")
}

// load reads the configuration, if any. A broken file is bad input.
func (c *configFlags) load() (*policies.Config, error) {
	if c == nil {
		return nil, nil
	}
	if c.file != "" && c.none {
		return nil, &flagError{errors.New("--config and --no-config exclude each other")}
	}
	path := c.file
	if path == "" {
		if c.none {
			return nil, nil
		}
		if _, err := os.Stat(policies.DefaultConfigFile); err != nil {
			return nil, nil
		}
		path = policies.DefaultConfigFile
	}
	cfg, err := policies.LoadConfig(path)
	if err != nil {
		return nil, &exitError{code: exitUsage, err: err}
	}
	return cfg, nil
}

// newEngine loads the rules with the configuration; a broken custom rule
// or configuration is bad input.
func newEngine(ctx context.Context, dirs []string, cf *configFlags) (*policies.Engine, error) {
	return newEngineWith(ctx, dirs, cf, policies.Options{})
}

// newEngineWith is newEngine with further options (progress).
func newEngineWith(ctx context.Context, dirs []string, cf *configFlags, opts policies.Options) (*policies.Engine, error) {
	cfg, err := cf.load()
	if err != nil {
		return nil, err
	}
	opts.PolicyDirs, opts.Config = dirs, cfg
	e, err := policies.New(ctx, opts)
	if err != nil {
		return nil, &exitError{code: exitUsage, err: err}
	}
	return e, nil
}

func newPolicyCommand(_ *globalFlags) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "policy",
		Short: "Write and test custom Rego rules",
		Long: `Policy helps rule authors: 'policy new' starts a rule and its test in the
house layout, 'policy test' runs Rego tests with the built-in library and test
fixtures available. See policies/AUTHORING.md.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return cmd.Help() },
	}
	cmd.AddCommand(newPolicyTestCommand(), newPolicyNewCommand())
	return cmd
}

func newPolicyTestCommand() *cobra.Command {
	var (
		cf        configFlags
		verbose   bool
		coverage  bool
		threshold float64
		runRegex  string
		timeout   time.Duration
	)
	cmd := &cobra.Command{
		Use:   "test [DIR...]",
		Short: "Run the _test.rego files of custom rules (or of the built-in rules)",
		Long: `Test runs the Rego tests (_test.rego files, test_ rules) under each DIR, compiled
exactly as a scan compiles rules: type-checked against the snapshot's input
schema, in the sandbox, with the built-in library (data.recoverscan.lib.*) and
test fixtures (data.recoverscan.lib.fixtures) available. Rules read their
METADATA parameter defaults; a test sets others with
'with data.recoverscan.params["ID"].name as value'.

Without DIR it runs the tests of the config file's policies, or, if there are
none, the built-in rules' own tests.

Exit status: 0 when every test passes, 1 when one fails or errors (or none
ran, or coverage is below --threshold), 2 when the rules do not load.`,
		Example: `  recoverscan policy test ./rules
  recoverscan policy test ./rules -v --run 'test_fails'
  recoverscan policy test ./rules --coverage --threshold 90`,
		RunE: func(cmd *cobra.Command, dirs []string) error {
			if runRegex != "" {
				if _, err := regexp.Compile(runRegex); err != nil {
					return &flagError{fmt.Errorf("--run: %w", err)}
				}
			}
			if threshold < 0 || threshold > 100 {
				return &flagError{errors.New("--threshold: want a percentage between 0 and 100")}
			}
			cfg, err := cf.load()
			if err != nil {
				return err
			}
			run, err := policies.Test(cmd.Context(), dirs, policies.TestOptions{
				Filter:   runRegex,
				Timeout:  timeout,
				Coverage: coverage || threshold > 0,
				Config:   cfg,
			})
			if err != nil {
				return &exitError{code: exitUsage, err: err}
			}
			out := cmd.OutOrStdout()
			failed := writeTestResults(out, run.Results, verbose)
			if run.Coverage != nil {
				writeCoverage(out, run.Coverage)
			}
			switch {
			case len(run.Results) == 0:
				return &exitError{code: exitFindings, err: errors.New("no tests ran")}
			case failed > 0:
				return &exitError{code: exitFindings, err: errSilent}
			case threshold > 0 && run.Coverage.Coverage < threshold:
				return &exitError{code: exitFindings, err: fmt.Errorf("coverage %.1f%% is below --threshold %.1f%%", run.Coverage.Coverage, threshold)}
			}
			return nil
		},
	}
	cf.register(cmd)
	cmd.Flags().BoolVarP(&verbose, "verbose", "v", false, "print every test with its outcome and print() output")
	cmd.Flags().BoolVar(&coverage, "coverage", false, "report per-file coverage of the rules under test and their uncovered lines")
	cmd.Flags().Float64Var(&threshold, "threshold", 0, "fail when coverage is below this percentage (implies --coverage)")
	cmd.Flags().StringVar(&runRegex, "run", "", "run only the tests whose name (package.test_name) matches this regular expression")
	cmd.Flags().DurationVar(&timeout, "timeout", 30*time.Second, "time limit of each test")
	return cmd
}

// testOutcome is the word opa test uses for a result.
func testOutcome(r *tester.Result) string {
	switch {
	case r.Error != nil:
		return "ERROR"
	case r.Skip:
		return "SKIPPED"
	case r.Fail:
		return "FAIL"
	}
	return "PASS"
}

// writeTestResults prints results the way opa test does and returns how
// many failed or errored.
func writeTestResults(w io.Writer, results []*tester.Result, verbose bool) int {
	counts := map[string]int{}
	file := ""
	for _, r := range results {
		outcome := testOutcome(r)
		counts[outcome]++
		bad := outcome == "FAIL" || outcome == "ERROR"
		if !verbose && !bad {
			continue
		}
		if r.Location != nil && r.Location.File != file {
			file = r.Location.File
			fmt.Fprintf(w, "%s:\n", file)
		}
		line := fmt.Sprintf("%s.%s: %s (%s)", r.Package, r.Name, outcome, r.Duration.Round(time.Microsecond))
		if bad && r.Location != nil {
			line += fmt.Sprintf(" at %s:%d", r.Location.File, r.Location.Row)
		}
		fmt.Fprintln(w, line)
		if r.Error != nil {
			fmt.Fprintf(w, "  %s\n", strings.ReplaceAll(strings.TrimSpace(r.Error.Error()), "\n", "\n  "))
		}
		if len(r.Output) > 0 && (verbose || bad) {
			fmt.Fprintf(w, "  %s\n", strings.ReplaceAll(strings.TrimRight(string(r.Output), "\n"), "\n", "\n  "))
		}
	}
	if verbose || counts["FAIL"]+counts["ERROR"] > 0 {
		fmt.Fprintln(w, strings.Repeat("-", 80))
	}
	total := len(results)
	for _, outcome := range []string{"PASS", "FAIL", "SKIPPED", "ERROR"} {
		if n := counts[outcome]; n > 0 || (outcome == "PASS" && total > 0) {
			fmt.Fprintf(w, "%s: %d/%d\n", outcome, n, total)
		}
	}
	if total == 0 {
		fmt.Fprintln(w, "no tests found")
	}
	return counts["FAIL"] + counts["ERROR"]
}

// writeCoverage prints each file's coverage and uncovered lines.
func writeCoverage(w io.Writer, rep *cover.Report) {
	fmt.Fprintln(w, strings.Repeat("-", 80))
	for _, name := range slices.Sorted(maps.Keys(rep.Files)) {
		fr := rep.Files[name]
		line := fmt.Sprintf("%s: %.1f%%", name, fr.Coverage)
		if len(fr.NotCovered) > 0 {
			var rs []string
			for _, r := range fr.NotCovered {
				if r.Start.Row == r.End.Row {
					rs = append(rs, fmt.Sprint(r.Start.Row))
				} else {
					rs = append(rs, fmt.Sprintf("%d-%d", r.Start.Row, r.End.Row))
				}
			}
			line += " (not covered: lines " + strings.Join(rs, ", ") + ")"
		}
		fmt.Fprintln(w, line)
	}
	fmt.Fprintf(w, "COVERAGE: %.1f%%\n", rep.Coverage)
}

func newPolicyNewCommand() *cobra.Command {
	var (
		kind, name, dir, id string
	)
	cmd := &cobra.Command{
		Use:   "new --kind KIND --name NAME",
		Short: "Start a custom rule: its Rego, METADATA and test",
		Long: `New writes DIR/<kind>/<name>/rule.rego and rule_test.rego: a working example
rule of the kind in package custom.rules.<kind>.<name> with its METADATA (title,
description, id, severity, remediation, a parameter) and a test with a failing,
a passing and an indeterminate case. It passes 'recoverscan policy test DIR' as
written; edit it into your rule. It never overwrites a file.

Kinds: user (one user, with the library's channel decision), pool, sms and
email (one pool with its channel state and user counts), client (one app
client). The id defaults to CUSTOM-<KIND>-<NAME>; ids starting with RC- are
reserved for built-in rules.`,
		Example: `  recoverscan policy new --kind user --name sms-country
  recoverscan policy new --kind pool --name stale-passwords --id ACME-POOL-001 --dir ./rules`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if kind == "" || name == "" {
				return &flagError{errors.New("give --kind (user, pool, client, sms or email) and --name")}
			}
			paths, err := policies.NewRule{Kind: policies.Kind(kind), Name: name, ID: id}.Write(dir)
			if err != nil {
				return &exitError{code: exitUsage, err: err}
			}
			out := cmd.OutOrStdout()
			for _, p := range paths {
				fmt.Fprintf(out, "wrote %s\n", p)
			}
			fmt.Fprintf(out, "next: recoverscan policy test %s && recoverscan demo --policy %s\n", dir, dir)
			return nil
		},
	}
	cmd.Flags().StringVar(&kind, "kind", "", "what the rule looks at: user, pool, client, sms or email")
	cmd.Flags().StringVar(&name, "name", "", "rule name, e.g. my-rule (directory and package my_rule)")
	cmd.Flags().StringVar(&dir, "dir", "rules", "rules directory to write into")
	cmd.Flags().StringVar(&id, "id", "", "rule id, e.g. ACME-USER-001 (default CUSTOM-<KIND>-<NAME>)")
	return cmd
}
