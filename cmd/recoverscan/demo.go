package main

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/spf13/cobra"

	"github.com/recoverscan/recoverscan/collector/atomicfile"
	"github.com/recoverscan/recoverscan/collector/demo"
	"github.com/recoverscan/recoverscan/collector/snapshot"
	"github.com/recoverscan/recoverscan/collector/synth"
	"github.com/recoverscan/recoverscan/policies"
)

func newDemoCommand(g *globalFlags) *cobra.Command {
	f := &reportFlags{}
	var (
		writeSnapshot string
		users         int
	)
	cmd := &cobra.Command{
		Use:   "demo",
		Short: "Scan the built-in example world (no AWS account needed)",
		Long: `Demo evaluates a built-in snapshot of an invented account whose pools and
users show the recovery problems recoverscan finds, and prints the report
exactly as 'scan' would. --write-snapshot saves that snapshot, a handy
starting point for writing and testing rules. --users N fills the same pools
with N synthetic users of every status and channel instead, to see how
recoverscan handles a large account.`,
		Example: `  recoverscan demo
  recoverscan demo --format sarif -o demo.sarif
  recoverscan demo --write-snapshot demo.json && recoverscan scan --snapshot demo.json
  recoverscan demo --users 1000000`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := f.validate(); err != nil {
				return err
			}
			if err := f.checkFiles(nil, "--write-snapshot", writeSnapshot); err != nil {
				return err
			}
			if users < 0 {
				return &flagError{fmt.Errorf("--users must not be negative, got %d", users)}
			}
			data, err := demoSnapshot(users, writeSnapshot)
			if err != nil {
				return err
			}
			var opts policies.Options
			if users > 0 {
				opts.Progress = evalProgress(os.Stderr)
			}
			engine, err := newEngineWith(cmd.Context(), f.policies, &f.config, opts)
			if err != nil {
				return err
			}
			sink, err := newReportSink(cmd, g, f)
			if err != nil {
				return err
			}
			defer sink.Close()
			defer data.Close()
			report, err := evaluate(cmd.Context(), engine, data, f.evaluationLimits(), sink.add)
			if err != nil {
				return evalError("demo snapshot", err)
			}
			err = sink.finish(cmd, report)
			// The demo is meant to show problems; only --fail-on makes
			// them an exit status.
			var ee *exitError
			if errors.As(err, &ee) && ee.code == exitIncomplete && errors.Is(err, errScanIncomplete) && f.failOn == "none" {
				return nil
			}
			return err
		},
	}
	f.register(cmd)
	cmd.Flags().StringVar(&writeSnapshot, "write-snapshot", "", "also write the demo snapshot to this file")
	cmd.Flags().IntVar(&users, "users", 0, "fill the demo pools with this many synthetic users instead of the hand-made ones")
	return cmd
}

// demoSnapshot returns a reader of the demo snapshot, written to path too
// when path is set: the hand-made world, or with users > 0 the same pools
// with that many synthetic users, generated as they are read.
func demoSnapshot(users int, path string) (io.ReadCloser, error) {
	if users == 0 {
		data, err := snapshot.Marshal(demo.Snapshot())
		if err != nil {
			return nil, fmt.Errorf("build the demo snapshot: %w", err)
		}
		if path != "" {
			if err := writeSnapshotFile(path, func(w io.Writer) error { _, err := w.Write(data); return err }); err != nil {
				return nil, err
			}
		}
		return io.NopCloser(bytes.NewReader(data)), nil
	}
	if path != "" {
		if err := writeSnapshotFile(path, func(w io.Writer) error { return synth.Write(w, synth.Options{Users: users, Seed: 1}) }); err != nil {
			return nil, err
		}
		return os.Open(path)
	}
	pr, pw := io.Pipe()
	go func() {
		bw := bufio.NewWriterSize(pw, 1<<20)
		err := synth.Write(bw, synth.Options{Users: users, Seed: 1})
		if err == nil {
			err = bw.Flush()
		}
		pw.CloseWithError(err)
	}()
	return pr, nil
}

// writeSnapshotFile writes a snapshot file atomically with write,
// compressed as its name says (.gz, .zst).
func writeSnapshotFile(path string, write func(io.Writer) error) error {
	f, err := atomicfile.Create(path)
	if err != nil {
		return &exitError{code: exitUsage, err: err}
	}
	defer f.Abort()
	cw := snapshot.NewCompressor(f, snapshot.CompressionFor(path))
	bw := bufio.NewWriterSize(cw, 1<<20)
	if err := write(bw); err != nil {
		return fmt.Errorf("build the demo snapshot: %w", err)
	}
	if err := bw.Flush(); err != nil {
		return &exitError{code: exitUsage, err: err}
	}
	if err := cw.Close(); err != nil {
		return &exitError{code: exitUsage, err: fmt.Errorf("%s: %w", path, err)}
	}
	if err := f.Commit(); err != nil {
		return &exitError{code: exitUsage, err: err}
	}
	return nil
}
