package output

import (
	"bufio"
	"fmt"
	"io"
	"os"

	"github.com/recoverscan/recoverscan/collector/atomicfile"
	"github.com/recoverscan/recoverscan/policies"
)

// aggregated is the common part of the renderers that keep only a digest
// of the findings (table, SARIF, Markdown, HTML, OCSF, ASFF): per-user
// findings counted per pool, rule and verdict, the few others as they are.
// Their size depends on the pools and rules, not on the users.
type aggregated struct {
	digest *digest
	// keepSuppressed keeps suppressed findings in the digest (with their
	// reason, for formats that can say so); otherwise they are left out.
	keepSuppressed bool
	// passes sees every finding, suppressed or not, when --include-passed
	// asks what passed.
	passes *passTracker
}

func newAggregated(sampleCap int, opts Options) aggregated {
	a := aggregated{digest: newDigest(sampleCap)}
	if opts.IncludePassed {
		a.passes = newPassTracker()
	}
	return a
}

// Add takes one finding into the digest.
func (a *aggregated) Add(f *policies.Finding) error {
	if a.passes != nil {
		a.passes.add(f)
	}
	if f.Suppressed == nil || a.keepSuppressed {
		a.digest.add(f)
	}
	return nil
}

// Close has nothing to release.
func (a *aggregated) Close() error { return nil }

// passed lists what passed, or nothing when --include-passed is off.
func (a *aggregated) passed(r *policies.Report) []Passed {
	if a.passes == nil {
		return nil
	}
	return a.passes.passed(r)
}

// spill keeps encoded findings in a temporary file (owner-only, removed
// by close) for the formats that list every finding after something only
// known at the end.
type spill struct {
	file *os.File
	w    *bufio.Writer
}

func newSpill() (*spill, error) {
	f, err := atomicfile.CreateTemp("", "recoverscan-findings-*")
	if err != nil {
		return nil, fmt.Errorf("output: %w", err)
	}
	return &spill{file: f, w: bufio.NewWriterSize(f, 256<<10)}, nil
}

// copyTo writes what was spilled to w. Call it once.
func (s *spill) copyTo(w io.Writer) error {
	if err := s.w.Flush(); err != nil {
		return fmt.Errorf("output: spill findings: %w", err)
	}
	if _, err := s.file.Seek(0, io.SeekStart); err != nil {
		return fmt.Errorf("output: spill findings: %w", err)
	}
	if _, err := io.Copy(w, s.file); err != nil {
		return fmt.Errorf("output: spill findings: %w", err)
	}
	return nil
}

// close removes the temporary file.
func (s *spill) close() error {
	if s == nil || s.file == nil {
		return nil
	}
	name := s.file.Name()
	s.file.Close()
	s.file = nil
	return atomicfile.Remove(name)
}
