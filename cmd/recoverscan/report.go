package main

import (
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/recoverscan/recoverscan/collector/atomicfile"
	"github.com/recoverscan/recoverscan/output"
	"github.com/recoverscan/recoverscan/policies"
)

// reportSink takes findings as the engine makes them: it drops the
// severities --severity leaves out, applies the suppressions, counts what
// --fail-on counts and feeds one renderer per requested format, so that no
// finding is kept.
type reportSink struct {
	flags      *reportFlags
	shown      map[policies.Severity]bool // nil: every severity
	suppressor *policies.Suppressor
	targets    []reportTarget
	renderers  []output.Renderer
	threshold  policies.Severity
	failing    int
	// causes are why the sources of indeterminate findings were unread.
	causes *output.CauseSet
}

// newReportSink reads the suppression file, if any, and starts the
// renderers. Close it when done.
func newReportSink(cmd *cobra.Command, g *globalFlags, f *reportFlags) (*reportSink, error) {
	s := &reportSink{flags: f, causes: output.NewCauseSet()}
	shown, err := f.shown()
	if err != nil {
		return nil, err
	}
	s.shown = shown
	if f.failOn != "none" {
		s.threshold, _ = policies.ParseSeverity(f.failOn)
	}
	if f.suppressions != "" {
		entries, err := policies.LoadSuppressions(f.suppressions)
		if err != nil {
			return nil, &exitError{code: exitUsage, err: err}
		}
		// Expiry is about today, not about when the snapshot was taken.
		s.suppressor = policies.NewSuppressor(f.suppressions, entries, time.Now())
	}
	targets, err := f.targets()
	if err != nil {
		return nil, &exitError{code: exitUsage, err: err}
	}
	s.targets = targets
	for _, t := range targets {
		opts := output.Options{IncludePassed: f.includePassed}
		if t.path == "" {
			opts.Color = useColor(cmd.OutOrStdout(), g.noColor)
		}
		rd, err := output.New(t.format, opts)
		if err != nil {
			s.Close()
			return nil, &exitError{code: exitIncomplete, err: err}
		}
		s.renderers = append(s.renderers, rd)
	}
	return s, nil
}

// add takes one finding.
func (s *reportSink) add(f *policies.Finding) error {
	if s.shown != nil && !s.shown[f.Severity] {
		return nil
	}
	if s.suppressor != nil {
		s.suppressor.Apply(f)
	}
	output.AddFindingCauses(s.causes, f)
	if s.threshold != "" && f.Suppressed == nil && f.Verdict == policies.Fail && f.Severity.Rank() >= s.threshold.Rank() {
		s.failing++
	}
	for _, rd := range s.renderers {
		if err := rd.Add(f); err != nil {
			return err
		}
	}
	return nil
}

// Close removes what the renderers kept on disk.
func (s *reportSink) Close() error {
	var errs []error
	for _, rd := range s.renderers {
		errs = append(errs, rd.Close())
	}
	return errors.Join(errs...)
}

// finish renders the reports whose findings went through add, and decides
// the exit code.
func (s *reportSink) finish(cmd *cobra.Command, r *policies.Report) error {
	r.Version = version()
	if s.suppressor != nil {
		r.Suppressions = s.suppressor.Report()
		for _, e := range r.Suppressions.Expired {
			slog.Warn("suppression expired; its findings are reported again", "where", e.Where, "rule", e.Rule, "expired", e.Expires.Format(time.DateOnly))
		}
		for _, e := range r.Suppressions.Unused {
			slog.Warn("suppression matched no finding", "where", e.Where, "rule", e.Rule)
		}
	}
	if s.flags.outputDir != "" {
		if err := os.MkdirAll(s.flags.outputDir, 0o755); err != nil {
			return &exitError{code: exitUsage, err: fmt.Errorf("--output-dir: %w", err)}
		}
	}
	for i, t := range s.targets {
		if err := writeReport(cmd, t, s.renderers[i], r); err != nil {
			return err
		}
	}
	return s.verdict(r)
}

// errScanIncomplete marks the exit of a scan that was evaluated and
// reported but could not read everything.
var errScanIncomplete = errors.New("the scan is incomplete")

// verdict is the exit status of a reported scan. Findings at or above
// --fail-on (exit 1) win over an incomplete scan (exit 3): they are real
// whatever could not be read, and a gate on them must fail. The
// incompleteness is reported either way.
func (s *reportSink) verdict(r *policies.Report) error {
	incomplete := r.Incomplete()
	if s.failing > 0 {
		err := fmt.Errorf("%d findings at or above %s", s.failing, s.threshold)
		if incomplete {
			err = fmt.Errorf("%w; %w too (exit code 1 wins over 3): %s", err, errScanIncomplete, s.incompleteAdvice(r))
		}
		return &exitError{code: exitFindings, err: err}
	}
	if incomplete {
		return &exitError{code: exitIncomplete, err: fmt.Errorf("%w: %s", errScanIncomplete, s.incompleteAdvice(r))}
	}
	return nil
}

// incompleteAdvice says why a scan is incomplete, by cause (credentials,
// connection, permission, an operation the endpoint does not offer,
// throttling), and what settles each.
func (s *reportSink) incompleteAdvice(r *policies.Report) string {
	advice := output.Advice(r, s.causes)
	if len(advice) == 0 {
		return "not every pool's users could be listed (see the report): scan again"
	}
	return strings.Join(advice, "; ")
}

// writeReport writes one format's report to its file or to stdout. A
// report that needs several files (SARIF of many scopes, ASFF of many
// findings) is written as PATH, then PATH-2, PATH-3, ... (before the
// extension).
func writeReport(cmd *cobra.Command, t reportTarget, rd output.Renderer, r *policies.Report) error {
	parts := 1
	pr, parted := rd.(output.PartedRenderer)
	if parted {
		parts = pr.Parts(r)
	}
	if parts > 1 && t.path == "" {
		return &exitError{code: exitUsage, err: fmt.Errorf("--format %s: the report needs %d files (%s): give -o FILE and recoverscan writes FILE, FILE-2 and so on", t.format, parts, pr.PartLimit())}
	}
	if parts == 1 {
		// Standard output, a device or FIFO written directly, or a
		// regular file written atomically.
		out, err := createOutput(t.path, cmd.OutOrStdout())
		if err != nil {
			return err
		}
		defer out.abort()
		if err := rd.Render(out, r); err != nil {
			return &exitError{code: exitIncomplete, err: fmt.Errorf("write report: %w", err)}
		}
		return out.commit()
	}
	for i := 0; i < parts; i++ {
		name := partName(t, i)
		file, err := atomicfile.Create(name)
		if err != nil {
			return &exitError{code: exitUsage, err: err}
		}
		if err := pr.RenderPart(file, r, i); err != nil {
			file.Abort()
			return &exitError{code: exitIncomplete, err: fmt.Errorf("write report %s: %w", name, err)}
		}
		if err := file.Commit(); err != nil {
			return &exitError{code: exitIncomplete, err: err}
		}
		if parts > 1 {
			slog.Info("wrote part of the report", "format", t.format, "file", name, "part", i+1, "of", parts)
		}
	}
	return nil
}

// partName is the file of part i: the target's path, then with "-2",
// "-3", ... before the extension (the format's own, like ".asff.json",
// when the path ends in it).
func partName(t reportTarget, i int) string {
	if i == 0 {
		return t.path
	}
	ext := filepath.Ext(t.path)
	if f, err := output.Lookup(t.format); err == nil && strings.HasSuffix(t.path, f.Ext) && len(t.path) > len(f.Ext) {
		ext = f.Ext
	}
	return fmt.Sprintf("%s-%d%s", strings.TrimSuffix(t.path, ext), i+1, ext)
}
