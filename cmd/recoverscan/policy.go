package main

import (
	"context"
	"encoding/json"
	"encoding/xml"
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

	"github.com/recoverscan/recoverscan/cmd/recoverscan/internal/config"
	"github.com/recoverscan/recoverscan/policies"
)

// configFlags select the configuration file: --config FILE, else
// .recoverscan.yaml in the working directory if there is one.
type configFlags struct {
	file string
	none bool
}

const configHelp = "configuration file (YAML): what a scan covers (accounts, regions, pools), custom rule directories, and rules to disable, re-level or parameterise (default: " + config.DefaultFile + " in the working directory, if present)"

func (c *configFlags) register(cmd *cobra.Command) {
	cmd.Flags().StringVar(&c.file, "config", "", configHelp)
	cmd.Flags().BoolVar(&c.none, "no-config", false, "ignore "+config.DefaultFile+" in the working directory")
}

// load reads the configuration, if any. A broken file is bad input.
func (c *configFlags) load() (*config.File, error) {
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
		if _, err := os.Stat(config.DefaultFile); err != nil {
			return nil, nil
		}
		path = config.DefaultFile
	}
	cfg, err := config.Load(path)
	if err != nil {
		return nil, &exitError{code: exitUsage, err: err}
	}
	return cfg, nil
}

// rules reads the configuration, if any, for the policy engine.
func (c *configFlags) rules() (*policies.Config, error) {
	f, err := c.load()
	if f == nil || err != nil {
		return nil, err
	}
	return f.Rules, nil
}

// newEngine loads the rules with the configuration; a broken custom rule
// or configuration is bad input.
func newEngine(ctx context.Context, dirs []string, cf *configFlags) (*policies.Engine, error) {
	return newEngineWith(ctx, dirs, cf, policies.Options{})
}

// newEngineWith is newEngine with further options (progress).
func newEngineWith(ctx context.Context, dirs []string, cf *configFlags, opts policies.Options) (*policies.Engine, error) {
	cfg, err := cf.rules()
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
		Long: `Policy helps rule authors: 'policy init' sets up a rules directory for stock
OPA tools and Regal, 'policy new' starts a rule and its test in the house
layout, 'policy test' runs Rego tests with the built-in library and test
fixtures available. See policies/AUTHORING.md.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return cmd.Help() },
	}
	cmd.AddCommand(newPolicyInitCommand(), newPolicyTestCommand(), newPolicyNewCommand())
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
		format    string
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
  recoverscan policy test ./rules --coverage --threshold 90
  recoverscan policy test ./rules --format junit > rule-tests.xml`,
		RunE: func(cmd *cobra.Command, dirs []string) error {
			if runRegex != "" {
				if _, err := regexp.Compile(runRegex); err != nil {
					return &flagError{fmt.Errorf("--run: %w", err)}
				}
			}
			if format != "pretty" && format != "json" && format != "junit" {
				return &flagError{fmt.Errorf("--format %q: want pretty, json or junit", format)}
			}
			if threshold < 0 || threshold > 100 {
				return &flagError{errors.New("--threshold: want a percentage between 0 and 100")}
			}
			cfg, err := cf.rules()
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
			var failed int
			switch format {
			case "json":
				failed, err = writeTestJSON(out, run)
			case "junit":
				failed, err = writeTestJUnit(out, run.Results)
			default:
				failed = writeTestResults(out, run.Results, verbose)
				if run.Coverage != nil {
					writeCoverage(out, run.Coverage)
				}
			}
			if err != nil {
				return err
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
	cmd.Flags().StringVarP(&format, "format", "f", "pretty", "pretty (as opa test prints), json (as opa test --format json, with coverage when asked) or junit (for CI dashboards)")
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
written; edit it into your rule. It never overwrites a file. When DIR does not
exist yet, it also writes what 'policy init' writes.

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
			_, statErr := os.Stat(dir)
			fresh := errors.Is(statErr, os.ErrNotExist)
			paths, err := policies.NewRule{Kind: policies.Kind(kind), Name: name, ID: id}.Write(dir)
			if err != nil {
				return &exitError{code: exitUsage, err: err}
			}
			out := cmd.OutOrStdout()
			if fresh {
				// A new rules directory is set up for stock tools too.
				ws, err := policies.WriteWorkspace(dir)
				if err != nil {
					return err
				}
				fmt.Fprintf(out, "wrote %d files for stock OPA tools and Regal (library copy, input schemas, .manifest, .regal/config.yaml)\n", len(ws))
			}
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

func newPolicyInitCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "init [DIR]",
		Short: "Set up a rules directory for stock OPA tools and Regal",
		Long: `Init writes into DIR (default rules) what opa test, opa check, opa fmt, opa
build and Regal need to work on recoverscan rules without recoverscan's
repository:

  DIR/lib/*.rego                a copy of the library built into this recoverscan
                                (data.recoverscan.lib.*, test fixtures included)
  DIR/schemas/input/*.schema    the input schema of each rule kind
                                (opa check --strict --schema DIR/schemas DIR)
  DIR/.manifest                 bundle roots for opa build, and the library version
  DIR/.regal/config.yaml        Regal settings suited to recoverscan rules

recoverscan itself always evaluates rules with its built-in library: it skips
the copy, and warns when the copy differs from it. Running init again
refreshes the library copy and the schemas; it keeps an existing Regal
configuration and the manifest's roots. It never touches rules.`,
		Example: `  recoverscan policy init ./rules
  opa test ./rules && opa check --strict --schema ./rules/schemas ./rules && regal lint ./rules`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			dir := "rules"
			if len(args) == 1 {
				dir = args[0]
			}
			paths, err := policies.WriteWorkspace(dir)
			if err != nil {
				return err
			}
			out := cmd.OutOrStdout()
			for _, p := range paths {
				fmt.Fprintf(out, "wrote %s\n", p)
			}
			fmt.Fprintf(out, "next: recoverscan policy new --kind user --name my-rule --dir %s && opa test %s\n", dir, dir)
			return nil
		},
	}
}

// testResult is one test in policy test --format json.
type testResult struct {
	Package    string `json:"package"`
	Name       string `json:"name"`
	File       string `json:"file,omitempty"`
	Row        int    `json:"row,omitempty"`
	Outcome    string `json:"outcome"`
	DurationNS int64  `json:"duration_ns"`
	Error      string `json:"error,omitempty"`
	Output     string `json:"output,omitempty"`
}

// writeTestJSON prints the results as one JSON document and returns how
// many failed or errored.
func writeTestJSON(w io.Writer, run *policies.TestRun) (int, error) {
	doc := struct {
		Results  []testResult   `json:"results"`
		Summary  map[string]int `json:"summary"`
		Coverage *cover.Report  `json:"coverage,omitempty"`
	}{Results: []testResult{}, Summary: map[string]int{"total": len(run.Results)}, Coverage: run.Coverage}
	failed := 0
	for _, r := range run.Results {
		tr := testResult{Package: r.Package, Name: r.Name, Outcome: testOutcome(r), DurationNS: r.Duration.Nanoseconds(), Output: string(r.Output)}
		if r.Location != nil {
			tr.File, tr.Row = r.Location.File, r.Location.Row
		}
		if r.Error != nil {
			tr.Error = r.Error.Error()
		}
		if tr.Outcome == "FAIL" || tr.Outcome == "ERROR" {
			failed++
		}
		doc.Summary[strings.ToLower(tr.Outcome)]++
		doc.Results = append(doc.Results, tr)
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return failed, enc.Encode(doc)
}

type junitSuites struct {
	XMLName  xml.Name     `xml:"testsuites"`
	Name     string       `xml:"name,attr"`
	Tests    int          `xml:"tests,attr"`
	Failures int          `xml:"failures,attr"`
	Errors   int          `xml:"errors,attr"`
	Skipped  int          `xml:"skipped,attr"`
	Suites   []junitSuite `xml:"testsuite"`
}

type junitSuite struct {
	Name     string      `xml:"name,attr"`
	Tests    int         `xml:"tests,attr"`
	Failures int         `xml:"failures,attr"`
	Errors   int         `xml:"errors,attr"`
	Skipped  int         `xml:"skipped,attr"`
	Time     string      `xml:"time,attr"`
	Cases    []junitCase `xml:"testcase"`
}

type junitCase struct {
	Name      string        `xml:"name,attr"`
	Classname string        `xml:"classname,attr"`
	File      string        `xml:"file,attr,omitempty"`
	Line      int           `xml:"line,attr,omitempty"`
	Time      string        `xml:"time,attr"`
	Failure   *junitMessage `xml:"failure"`
	Error     *junitMessage `xml:"error"`
	Skipped   *junitMessage `xml:"skipped"`
	SystemOut string        `xml:"system-out,omitempty"`
}

type junitMessage struct {
	Message string `xml:"message,attr"`
	Text    string `xml:",chardata"`
}

// writeTestJUnit prints the results as JUnit XML, one test suite per
// package, and returns how many failed or errored.
func writeTestJUnit(w io.Writer, results []*tester.Result) (int, error) {
	doc := junitSuites{Name: "recoverscan policy test"}
	index := map[string]int{}
	durations := map[string]time.Duration{}
	for _, r := range results {
		i, ok := index[r.Package]
		if !ok {
			i = len(doc.Suites)
			index[r.Package] = i
			doc.Suites = append(doc.Suites, junitSuite{Name: r.Package})
		}
		s := &doc.Suites[i]
		c := junitCase{Name: r.Name, Classname: r.Package, Time: seconds(r.Duration), SystemOut: string(r.Output)}
		if r.Location != nil {
			c.File, c.Line = r.Location.File, r.Location.Row
		}
		switch testOutcome(r) {
		case "ERROR":
			c.Error = &junitMessage{Message: "error", Text: r.Error.Error()}
			s.Errors++
		case "FAIL":
			c.Failure = &junitMessage{Message: "test failed", Text: fmt.Sprintf("%s.%s is not true", r.Package, r.Name)}
			s.Failures++
		case "SKIPPED":
			c.Skipped = &junitMessage{Message: "skipped"}
			s.Skipped++
		}
		s.Tests++
		s.Cases = append(s.Cases, c)
		durations[r.Package] += r.Duration
	}
	for i := range doc.Suites {
		s := &doc.Suites[i]
		s.Time = seconds(durations[s.Name])
		doc.Tests += s.Tests
		doc.Failures += s.Failures
		doc.Errors += s.Errors
		doc.Skipped += s.Skipped
	}
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return 0, err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return 0, err
	}
	_, err := io.WriteString(w, "\n")
	return doc.Failures + doc.Errors, err
}

func seconds(d time.Duration) string { return fmt.Sprintf("%.3f", d.Seconds()) }
