package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/recoverscan/recoverscan/collector/atomicfile"
	"github.com/recoverscan/recoverscan/collector/snapshot"
	"github.com/recoverscan/recoverscan/output"
	"github.com/recoverscan/recoverscan/policies"
)

// reportFlags are the flags of commands that print a report.
type reportFlags struct {
	format        string
	out           string
	outputDir     string
	includePassed bool
	failOn        string
	severities    []string
	policies      []string
	suppressions  string
	evalTimeout   time.Duration
	evalMemory    sizeValue
	config        configFlags

	// formats is --format split, set by validate.
	formats []string
}

func (f *reportFlags) register(cmd *cobra.Command) {
	cmd.Flags().StringVarP(&f.format, "format", "f", "table", "output format, or several separated by commas (with -o BASE or --output-dir): "+strings.Join(output.Formats(), ", "))
	cmd.Flags().StringVarP(&f.out, "output", "o", "", "write the report to this file (atomically; - for stdout) instead of stdout; with several formats, the base name of their files (BASE.sarif, BASE.html, ...)")
	cmd.Flags().StringVar(&f.outputDir, "output-dir", "", "write each format's report into this directory, as recoverscan.EXT (or -o's base name)")
	cmd.Flags().BoolVar(&f.includePassed, "include-passed", false, "also report each rule and pool that was evaluated and passed, with user counts for per-user rules ("+strings.Join(output.PassedFormats(), ", ")+")")
	cmd.Flags().StringVar(&f.failOn, "fail-on", "none", "exit 1 when a finding is at or above this severity: critical, high, medium, low or none")
	cmd.Flags().StringSliceVar(&f.severities, "severity", nil, "show and export only findings of these severities, comma-separated: critical,high,medium,low\n(default all; --fail-on counts only the findings shown)")
	cmd.Flags().StringArrayVar(&f.policies, "policy", nil, "directory of custom Rego rules (repeatable)")
	cmd.Flags().StringVar(&f.suppressions, "suppressions", "", "YAML file of accepted findings (rule, resource patterns, reason, expiry date)")
	cmd.Flags().DurationVar(&f.evalTimeout, "eval-timeout", defaultEvalTimeout, "stop with exit code 3 when evaluating the rules takes longer than this (time spent waiting for AWS not counted; 0 for no limit)")
	f.evalMemory = defaultEvalMemory
	cmd.Flags().Var(&f.evalMemory, "eval-memory", "stop with exit code 3 when the program holds more memory than this while evaluating the rules (e.g. 512MiB; 0 for no limit)")
	f.config.register(cmd)
}

// evaluationLimits are the limits the flags set.
func (f *reportFlags) evaluationLimits() evalLimits {
	return evalLimits{time: f.evalTimeout, memory: int64(f.evalMemory)}
}

// checkFiles refuses, before any work, a report file that would be a
// directory, and outputs that would overwrite an input or each other. A
// snapshot file written alongside (saveFlag) cannot go to standard output,
// which the report may use.
func (f *reportFlags) checkFiles(inputs []namedPath, saveFlag, savePath string) error {
	if savePath == stdoutName {
		return &flagError{fmt.Errorf("%s -: standard output is for the report; write the snapshot to a file (or use 'recoverscan collect -o -')", saveFlag)}
	}
	targets, err := f.targets()
	if err != nil {
		return &flagError{err}
	}
	outputs := []namedPath{{saveFlag, savePath}}
	for _, t := range targets {
		outputs = append(outputs, namedPath{"-o", t.path})
	}
	return checkOutputs(outputs, inputs)
}

// validate checks the flags before any work is done.
func (f *reportFlags) validate() error {
	formats, err := output.ParseFormats(f.format)
	if err != nil {
		var ufe *output.UnknownFormatError
		if errors.As(err, &ufe) {
			return &flagError{fmt.Errorf("--format %q: want one of %s (several separated by commas)", ufe.Format, strings.Join(output.Formats(), ", "))}
		}
		return &flagError{fmt.Errorf("--format: %w", err)}
	}
	f.formats = formats
	if len(formats) > 1 && f.out == "" && f.outputDir == "" {
		return &flagError{fmt.Errorf("--format %s writes several reports: give -o BASE (BASE.sarif, BASE.html, ...) or --output-dir DIR", f.format)}
	}
	if len(formats) > 1 && f.out == stdoutName {
		return &flagError{fmt.Errorf("-o - writes one format to stdout; --format %s writes several reports: give -o BASE or --output-dir DIR", f.format)}
	}
	if f.evalTimeout < 0 {
		return &flagError{fmt.Errorf("--eval-timeout %s: want a duration of 0 (no limit) or more", f.evalTimeout)}
	}
	if f.outputDir != "" && f.out != "" && filepath.Base(f.out) != f.out {
		return &flagError{fmt.Errorf("with --output-dir, -o is a base name inside it, not a path: %q", f.out)}
	}
	if f.failOn != "none" {
		if _, err := policies.ParseSeverity(f.failOn); err != nil {
			return &flagError{fmt.Errorf("--fail-on: %w", err)}
		}
	}
	if _, err := f.shown(); err != nil {
		return err
	}
	return nil
}

// shown is the set of severities --severity keeps, nil for all.
func (f *reportFlags) shown() (map[policies.Severity]bool, error) {
	if len(f.severities) == 0 {
		return nil, nil
	}
	keep := map[policies.Severity]bool{}
	for _, v := range f.severities {
		s, err := policies.ParseSeverity(v)
		if err != nil {
			return nil, &flagError{fmt.Errorf("--severity: %w", err)}
		}
		keep[s] = true
	}
	return keep, nil
}

// reportTarget is one report to write: a format and its file ("" for
// stdout).
type reportTarget struct {
	format string
	path   string
}

// targets lists the reports the flags ask for, in --format order.
func (f *reportFlags) targets() ([]reportTarget, error) {
	var out []reportTarget
	for _, name := range f.formats {
		format, err := output.Lookup(name)
		if err != nil {
			return nil, err
		}
		t := reportTarget{format: name}
		switch {
		case f.outputDir != "":
			base := f.out
			if base == "" {
				base = "recoverscan"
			}
			t.path = filepath.Join(f.outputDir, base+format.Ext)
		case len(f.formats) > 1:
			t.path = f.out + format.Ext
		case toStdout(f.out):
			t.path = ""
		default:
			t.path = f.out
		}
		out = append(out, t)
	}
	return out, nil
}

type scanFlags struct {
	reportFlags
	awsFlags
	snapshot     string
	saveSnapshot string
}

func newScanCommand(g *globalFlags) *cobra.Command {
	f := &scanFlags{}
	cmd := &cobra.Command{
		Use:   "scan",
		Short: "Scan an AWS account (or a saved snapshot) and report recovery problems",
		Long: `Scan collects a snapshot of the given regions with the standard AWS credential
chain (environment, profiles, SSO, web identity, instance roles; AWS_ENDPOINT_URL
is honoured) and evaluates the rules against it as it streams in. With
--snapshot it evaluates a snapshot taken earlier by 'recoverscan collect', offline.

Without --region or --pool, the scan section of the configuration file says what
to scan: several accounts (profiles or roles to assume), regions (or all), and
pool include/exclude patterns; one failing account or region is reported and
the others are still scanned.` + exitCodesHelp,
		Example: `  recoverscan scan --region us-east-1
  recoverscan scan --region us-east-1 --region eu-west-1 --pool us-east-1_AbCdEf123
  recoverscan scan --region us-east-1 --format sarif -o results.sarif --fail-on high
  recoverscan scan --region us-east-1 --format sarif,html,markdown --output-dir results
  recoverscan scan --snapshot snap.json --format json
  recoverscan scan --config accounts.yaml --format sarif -o results.sarif`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := f.check(); err != nil {
				return err
			}
			return f.run(cmd, g)
		},
	}
	f.reportFlags.register(cmd)
	f.awsFlags.register(cmd)
	f.awsFlags.registerAccount(cmd)
	cmd.Flags().StringVar(&f.snapshot, "snapshot", "", "evaluate this snapshot file instead of scanning AWS")
	cmd.Flags().StringVar(&f.saveSnapshot, "save-snapshot", "", "also keep the collected snapshot in this file")
	return cmd
}

// check refuses flags that do not go together and, for a live scan,
// settles what it reads.
func (f *scanFlags) check() error {
	if err := f.validate(); err != nil {
		return err
	}
	if f.snapshot != "" && (len(f.regions) > 0 || len(f.pools) > 0 || f.account != "" || f.withMFA || f.saveSnapshot != "") {
		return &flagError{errors.New("--snapshot evaluates a saved snapshot: it cannot be combined with --region, --pool, --account, --with-mfa or --save-snapshot")}
	}
	if f.snapshot != "" && f.pseudonymize {
		return &flagError{errors.New("--pseudonymize works while collecting, where the real names are at hand: a saved snapshot is evaluated as it was collected (collect it with --pseudonymize to share it)")}
	}
	if err := f.checkFiles([]namedPath{{"--snapshot", f.snapshot}}, "--save-snapshot", f.saveSnapshot); err != nil {
		return err
	}
	if f.snapshot == "" {
		return f.liveScope()
	}
	return nil
}

// liveScope settles what a live scan reads: the configuration's scan
// section, or else the regions and pools of the flags.
func (f *scanFlags) liveScope() error {
	fromConfig, err := f.useConfigScope(&f.config)
	if err != nil {
		return err
	}
	if fromConfig {
		return nil
	}
	if len(f.regions) == 0 && len(f.pools) == 0 {
		return &flagError{errors.New("say what to scan: --region REGION (repeatable), --pool POOL-ID, --snapshot FILE, or a scan section in the configuration file")}
	}
	return f.resolveRegions()
}

// run evaluates the saved snapshot or scans live, and writes the reports.
func (f *scanFlags) run(cmd *cobra.Command, g *globalFlags) error {
	var opts policies.Options
	if f.snapshot != "" {
		// A live scan shows the collection's progress instead.
		opts.Progress = evalProgress(os.Stderr)
	}
	engine, err := newEngineWith(cmd.Context(), f.policies, &f.config, opts)
	if err != nil {
		return err
	}
	sink, err := newReportSink(cmd, g, &f.reportFlags)
	if err != nil {
		return err
	}
	defer sink.Close()
	var report *policies.Report
	if f.snapshot != "" {
		report, err = evaluateFile(cmd.Context(), engine, f.snapshot, f.evaluationLimits(), sink.add)
	} else {
		report, err = scanLive(cmd.Context(), engine, &f.awsFlags, f.saveSnapshot, f.evaluationLimits(), sink.add)
	}
	if err != nil {
		return err
	}
	return sink.finish(cmd, report)
}

// evaluateFile evaluates a saved snapshot within the limits.
func evaluateFile(ctx context.Context, e *policies.Engine, path string, limits evalLimits, emit func(*policies.Finding) error) (*policies.Report, error) {
	f, err := openInput(ctx, "snapshot", path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	r, err := evaluate(ctx, e, f, limits, emit)
	if err != nil {
		return nil, evalError(path, err)
	}
	return r, nil
}

// evalError classifies an evaluation error: a malformed snapshot is bad
// input, anything else means the scan could not be evaluated.
func evalError(path string, err error) error {
	if badInput(err) {
		return &exitError{code: exitUsage, err: fmt.Errorf("%s: %w", path, err)}
	}
	return &exitError{code: exitIncomplete, err: err}
}

// errEvaluationStopped tells the collector its reader went away.
var errEvaluationStopped = errors.New("evaluation stopped")

// scanLive collects and evaluates at once: the collector writes the snapshot
// into a pipe the engine reads, so users stream from AWS to findings.
func scanLive(ctx context.Context, e *policies.Engine, af *awsFlags, savePath string, limits evalLimits, emit func(*policies.Finding) error) (*policies.Report, error) {
	ctx, cancel := af.deadline(ctx)
	defer cancel()
	collect, err := af.collector(ctx)
	if err != nil {
		return nil, err
	}
	pr, pw := io.Pipe()
	var sink io.Writer = pw
	var (
		saved      *atomicfile.File
		compressed io.WriteCloser // into saved, as its name says
	)
	if savePath != "" {
		if saved, err = atomicfile.Create(savePath); err != nil {
			return nil, &exitError{code: exitUsage, err: err}
		}
		defer saved.Abort()
		compressed = snapshot.NewCompressor(saved, snapshot.CompressionFor(savePath))
		sink = io.MultiWriter(pw, compressed)
	}
	collected := make(chan error, 1)
	go func() {
		w := snapshot.NewWriter(sink)
		// Accounts that could not be read are in the snapshot, so the
		// report shows them as problems and the scan as incomplete.
		_, err := collect(ctx, w)
		pw.CloseWithError(err)
		collected <- err
	}()
	report, evalErr := evaluate(ctx, e, pr, limits, emit)
	_ = pr.CloseWithError(errEvaluationStopped)
	collectErr := <-collected
	switch {
	case collectErr != nil && !errors.Is(collectErr, errEvaluationStopped):
		return nil, collectError(ctx, collectErr, savePath)
	case evalErr != nil:
		return nil, &exitError{code: exitIncomplete, err: evalErr}
	}
	if saved != nil {
		if err := compressed.Close(); err != nil {
			return nil, &exitError{code: exitIncomplete, err: fmt.Errorf("%s: %w", savePath, err)}
		}
		if err := saved.Commit(); err != nil {
			return nil, &exitError{code: exitIncomplete, err: err}
		}
	}
	return report, nil
}
