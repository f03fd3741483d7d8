package main

import (
	"errors"
	"fmt"
	"log/slog"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/recoverscan/recoverscan/collector/atomicfile"
	"github.com/recoverscan/recoverscan/output"
	"github.com/recoverscan/recoverscan/policies"
)

// reportSink takes findings as the engine makes them: it applies the
// suppressions, counts what --fail-on counts and feeds the output stream,
// so that no finding is kept.
type reportSink struct {
	flags      *reportFlags
	suppressor *policies.Suppressor
	stream     *output.Stream
	threshold  policies.Severity
	failing    int
	// causes are why the sources of indeterminate findings were unread.
	causes output.CauseSet
}

// newReportSink reads the suppression file, if any, and starts the output.
// Close it when done.
func newReportSink(f *reportFlags) (*reportSink, error) {
	s := &reportSink{flags: f, causes: output.NewCauseSet()}
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
	stream, err := output.NewStream(f.format)
	if err != nil {
		return nil, &exitError{code: exitIncomplete, err: err}
	}
	s.stream = stream
	return s, nil
}

// add takes one finding.
func (s *reportSink) add(f *policies.Finding) error {
	if s.suppressor != nil {
		s.suppressor.Apply(f)
	}
	output.AddFindingCauses(s.causes, f)
	if s.threshold != "" && f.Suppressed == nil && f.Verdict == policies.Fail && f.Severity.Rank() >= s.threshold.Rank() {
		s.failing++
	}
	return s.stream.Add(f)
}

// Close removes what the output stream kept on disk.
func (s *reportSink) Close() error { return s.stream.Close() }

// finish renders the report whose findings went through add, and decides
// the exit code.
func (s *reportSink) finish(cmd *cobra.Command, g *globalFlags, r *policies.Report) error {
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
	f := s.flags
	if f.format == output.FormatSARIF && len(r.Scopes) > output.MaxRunsPerFile {
		if err := s.writeSplitSARIF(r); err != nil {
			return err
		}
	} else {
		out, err := createOutput(f.out, cmd.OutOrStdout())
		if err != nil {
			return err
		}
		defer out.abort()
		var opts output.Options
		if out.file == nil {
			opts.Color = useColor(cmd.OutOrStdout(), g.noColor)
		}
		if err := s.stream.Render(out, r, opts); err != nil {
			return &exitError{code: exitIncomplete, err: fmt.Errorf("write report: %w", err)}
		}
		if err := out.commit(); err != nil {
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

// writeSplitSARIF writes a report of more account/region scopes than GitHub
// takes in one SARIF file as several files: OUT, then OUT-2, OUT-3, ...
// (before the extension), each with at most MaxRunsPerFile runs. Upload the
// directory with upload-sarif.
func (s *reportSink) writeSplitSARIF(r *policies.Report) error {
	out := s.flags.out
	if toStdout(out) {
		return &exitError{code: exitUsage, err: fmt.Errorf("the report covers %d account/region scopes, more than the %d runs GitHub takes in one SARIF file: give -o FILE and recoverscan writes FILE, FILE-2, ... (upload their directory)", len(r.Scopes), output.MaxRunsPerFile)}
	}
	ext := filepath.Ext(out)
	base := strings.TrimSuffix(out, ext)
	parts, streams := s.stream.SplitScopes(r, output.MaxRunsPerFile)
	for i, part := range parts {
		name := out
		if i > 0 {
			name = fmt.Sprintf("%s-%d%s", base, i+1, ext)
		}
		file, err := atomicfile.Create(name)
		if err != nil {
			return &exitError{code: exitUsage, err: err}
		}
		if err := streams[i].Render(file, part, output.Options{}); err != nil {
			file.Abort()
			return &exitError{code: exitIncomplete, err: fmt.Errorf("write report: %w", err)}
		}
		if err := file.Commit(); err != nil {
			return &exitError{code: exitIncomplete, err: err}
		}
		slog.Info("wrote SARIF", "file", name, "runs", len(part.Scopes))
	}
	return nil
}
