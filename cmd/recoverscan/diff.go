package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"os"

	"github.com/spf13/cobra"

	"github.com/recoverscan/recoverscan/collector/snapshot"
	"github.com/recoverscan/recoverscan/output"
	"github.com/recoverscan/recoverscan/policies"
)

func newDiffCommand(g *globalFlags) *cobra.Command {
	var (
		format string
		failOn string
		dirs   []string
		cf     configFlags
	)
	cmd := &cobra.Command{
		Use:   "diff OLD NEW",
		Short: "Show what changed between two scans: new and resolved findings, users whose recovery changed",
		Long: `Diff compares two scans, each given as a snapshot (recoverscan collect) or a JSON
report (recoverscan scan --format json). Snapshots are evaluated with the current
rules (and --policy), so a diff of two snapshots shows what changed in AWS, not
in the rules. It lists findings that appeared and disappeared, and users whose
ability to receive a recovery code changed, so a scheduled job can report only
what is new. With --fail-on it exits 1 when a new finding is at or above that
severity.`,
		Example: `  recoverscan diff yesterday.json today.json
  recoverscan diff last-week.snap.json snap.json --format json
  recoverscan diff old-report.json new-report.json --fail-on high`,
		Args: func(_ *cobra.Command, args []string) error {
			if len(args) != 2 {
				return &flagError{fmt.Errorf("diff takes two files, OLD and NEW; got %d", len(args))}
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			if format != "table" && format != "json" {
				return &flagError{fmt.Errorf("--format %q: want table or json", format)}
			}
			var threshold policies.Severity
			if failOn != "none" {
				s, err := policies.ParseSeverity(failOn)
				if err != nil {
					return &flagError{fmt.Errorf("--fail-on: %w", err)}
				}
				threshold = s
			}
			var engine *policies.Engine
			load := func(path string) (*policies.Report, error) {
				r, err := readReport(cmd.Context(), path, func() (*policies.Engine, error) {
					if engine != nil {
						return engine, nil
					}
					e, err := newEngine(cmd.Context(), dirs, &cf)
					engine = e
					return e, err
				})
				return r, err
			}
			oldReport, err := load(args[0])
			if err != nil {
				return err
			}
			newReport, err := load(args[1])
			if err != nil {
				return err
			}
			d := policies.Compare(args[0], oldReport, args[1], newReport)
			opts := output.Options{Color: useColor(cmd.OutOrStdout(), g.noColor)}
			if err := output.WriteDiff(cmd.OutOrStdout(), format, d, opts); err != nil {
				return &exitError{code: exitIncomplete, err: err}
			}
			if threshold != "" {
				n := 0
				for _, f := range d.Appeared {
					if f.Verdict == policies.Fail && f.Severity.Rank() >= threshold.Rank() {
						n++
					}
				}
				if n > 0 {
					return &exitError{code: exitFindings, err: fmt.Errorf("%d new findings at or above %s", n, threshold)}
				}
			}
			return nil
		},
	}
	cmd.Flags().StringVarP(&format, "format", "f", "table", "table or json")
	cmd.Flags().StringVar(&failOn, "fail-on", "none", "exit 1 when a NEW finding is at or above this severity: critical, high, medium, low or none")
	cmd.Flags().StringArrayVar(&dirs, "policy", nil, "directory of custom Rego rules, for snapshots (repeatable)")
	cf.register(cmd)
	return cmd
}

// readReport reads a JSON report, or evaluates a snapshot: the first key of
// the document tells which it is.
func readReport(ctx context.Context, path string, engine func() (*policies.Engine, error)) (*policies.Report, error) {
	if fi, err := os.Stat(path); err == nil && !fi.Mode().IsRegular() {
		// The file is read twice: once for its first key, then whole.
		return nil, &exitError{code: exitUsage, err: fmt.Errorf("%s: not a regular file; diff reads files, not pipes or devices", path)}
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, &exitError{code: exitUsage, err: err}
	}
	defer f.Close()
	// Either may be compressed (gzip or zstd, told by the first bytes).
	in, err := snapshot.Decompress(f)
	if err != nil {
		return nil, &exitError{code: exitUsage, err: fmt.Errorf("%s: %w", path, err)}
	}
	first, err := firstKey(bufio.NewReader(in), path)
	in.Close()
	if err != nil {
		return nil, err
	}
	if _, err := f.Seek(0, 0); err != nil {
		return nil, &exitError{code: exitUsage, err: err}
	}
	if first == "schema_version" {
		e, err := engine()
		if err != nil {
			return nil, err
		}
		r, err := e.Evaluate(ctx, f)
		if err != nil {
			return nil, evalError(path, err)
		}
		return r, nil
	}
	if in, err = snapshot.Decompress(f); err != nil {
		return nil, &exitError{code: exitUsage, err: fmt.Errorf("%s: %w", path, err)}
	}
	defer in.Close()
	var r policies.Report
	if err := json.NewDecoder(in).Decode(&r); err != nil {
		return nil, &exitError{code: exitUsage, err: fmt.Errorf("%s: not a recoverscan JSON report or snapshot: %w", path, err)}
	}
	if r.Tool != "recoverscan" {
		return nil, &exitError{code: exitUsage, err: fmt.Errorf("%s: not a recoverscan JSON report or snapshot", path)}
	}
	return &r, nil
}

func firstKey(br *bufio.Reader, path string) (string, error) {
	dec := json.NewDecoder(br)
	bad := &exitError{code: exitUsage, err: fmt.Errorf("%s: not a recoverscan JSON report or snapshot", path)}
	if t, err := dec.Token(); err != nil || t != json.Delim('{') {
		return "", bad
	}
	t, err := dec.Token()
	if err != nil {
		return "", bad
	}
	k, ok := t.(string)
	if !ok {
		return "", bad
	}
	return k, nil
}
