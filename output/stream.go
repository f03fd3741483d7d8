package output

import (
	"bufio"
	"fmt"
	"io"
	"os"

	"github.com/recoverscan/recoverscan/collector/atomicfile"
	"github.com/recoverscan/recoverscan/policies"
)

// Stream renders a report whose findings arrive one at a time, as
// policies.Engine.Stream makes them, so that a scan of millions of users
// never holds their findings. The table and SARIF keep only their
// aggregates; JSON, which lists every finding, encodes each into a
// temporary file (owner-only, removed by Close) until the summary that
// precedes them is known. Add findings, then Render once, then Close.
type Stream struct {
	format string
	digest *digest
	// JSON only.
	spill   *os.File
	spillW  *bufio.Writer
	encoder *findingEncoder
}

// NewStream starts a stream in the named format.
func NewStream(format string) (*Stream, error) {
	s := &Stream{format: format}
	switch format {
	case FormatTable:
		s.digest = newDigest(tableSamples)
	case FormatSARIF:
		s.digest = newDigest(0)
	case FormatJSON:
		s.digest = newDigest(0)
		s.digest.countsOnly = true
		f, err := atomicfile.CreateTemp("", "recoverscan-findings-*.json")
		if err != nil {
			return nil, fmt.Errorf("output: %w", err)
		}
		s.spill = f
		s.spillW = bufio.NewWriterSize(f, 256<<10)
		s.encoder = newFindingEncoder(s.spillW)
	default:
		return nil, &UnknownFormatError{Format: format}
	}
	return s, nil
}

// Add takes one finding. The table and SARIF leave suppressed findings
// out, as Write does; JSON keeps them with their reason.
func (s *Stream) Add(f *policies.Finding) error {
	if s.encoder != nil {
		s.digest.add(f)
		if err := s.encoder.encode(f); err != nil {
			return fmt.Errorf("output: spill findings: %w", err)
		}
		return nil
	}
	if f.Suppressed == nil {
		s.digest.add(f)
	}
	return nil
}

// Render writes the report: r is everything but the findings, which came
// through Add (r.Findings is ignored).
func (s *Stream) Render(w io.Writer, r *policies.Report, opts Options) error {
	switch s.format {
	case FormatTable:
		return writeTable(w, r, s.digest, opts)
	case FormatSARIF:
		return writeSARIF(w, r, s.digest, maxResultsPerRun)
	}
	if err := s.spillW.Flush(); err != nil {
		return fmt.Errorf("output: spill findings: %w", err)
	}
	if _, err := s.spill.Seek(0, io.SeekStart); err != nil {
		return fmt.Errorf("output: spill findings: %w", err)
	}
	return writeJSONWith(w, r, summarize(r, s.digest), s.encoder.n, func(bw *bufio.Writer) error {
		_, err := io.Copy(bw, s.spill)
		return err
	})
}

// SplitScopes splits a SARIF stream of more account/region scopes than
// GitHub takes in one file into reports of at most n scopes each, with the
// streams that render them (see the package function SplitScopes).
func (s *Stream) SplitScopes(r *policies.Report, n int) ([]*policies.Report, []*Stream) {
	parts := SplitScopes(r, n)
	if len(parts) == 1 {
		return parts, []*Stream{s}
	}
	type key struct{ account, region string }
	index := map[key]int{}
	streams := make([]*Stream, len(parts))
	for i, p := range parts {
		streams[i] = &Stream{format: s.format, digest: newDigest(s.digest.sampleCap)}
		for _, sc := range p.Scopes {
			index[key{sc.Account, sc.Region}] = i
		}
	}
	partOf := func(account, region string) *digest {
		i, ok := index[key{account, region}]
		if !ok {
			i = len(parts) - 1 // outside every scope: keep it somewhere
		}
		return streams[i].digest
	}
	d := s.digest
	for k, g := range d.groups {
		partOf(k.Pool.Account, k.Pool.Region).groups[k] = g
	}
	for _, f := range d.others {
		pd := partOf(f.Resource.Account, f.Resource.Region)
		pd.others = append(pd.others, f)
	}
	for k, o := range d.overflow {
		partOf(k.Pool.Account, k.Pool.Region).overflow[k] = o
	}
	for k := range d.scopes {
		partOf(k[0], k[1]).scopes[k] = true
	}
	for _, sp := range streams {
		sp.digest.rules = d.rules
		sp.digest.permissions = d.permissions
	}
	return parts, streams
}

// Close removes the stream's temporary file, if any.
func (s *Stream) Close() error {
	if s.spill == nil {
		return nil
	}
	name := s.spill.Name()
	s.spill.Close()
	s.spill = nil
	return atomicfile.Remove(name)
}
