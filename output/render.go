package output

import (
	"errors"
	"fmt"
	"io"
	"slices"
	"sort"
	"strings"

	"github.com/recoverscan/recoverscan/policies"
)

// Renderer writes one report in one format. Findings arrive one at a time
// through Add, as policies.Engine.Stream makes them, so that a scan of
// millions of users never holds their findings: a renderer keeps only
// aggregates, or spills what it must list to a temporary file. Add every
// finding, then Render once, then Close.
type Renderer interface {
	// Add takes one finding.
	Add(f *policies.Finding) error
	// Render writes the report: r is everything but the findings, which
	// came through Add (r.Findings is ignored).
	Render(w io.Writer, r *policies.Report) error
	// Close releases what the renderer kept on disk.
	Close() error
}

// PartedRenderer is a Renderer whose report may need several files: SARIF
// with more account/region scopes than GitHub takes in one file, ASFF with
// more findings than one batch-import call takes. Render writes a report
// of one part only.
type PartedRenderer interface {
	Renderer
	// Parts says how many files r needs, at least 1. Call it after the
	// last Add.
	Parts(r *policies.Report) int
	// RenderPart writes part i (0 first) of Parts(r).
	RenderPart(w io.Writer, r *policies.Report, i int) error
	// PartLimit says what one file may hold, for messages.
	PartLimit() string
}

// Options tunes rendering. The zero value is plain output.
type Options struct {
	// Color turns on ANSI severity colours in the table format. The caller
	// decides (TTY, NO_COLOR, --no-color); other formats ignore it.
	Color bool
	// IncludePassed also reports each rule and pool that was evaluated
	// and passed (users who passed, for per-user rules), in the formats
	// that list results one by one: JSON, CSV, OCSF, ASFF and HTML.
	IncludePassed bool
}

// Format describes one output format: its registration.
type Format struct {
	// Name is what --format takes.
	Name string
	// Ext is the file name extension of its reports, with the dot.
	Ext string
	// New starts a renderer.
	New func(opts Options) (Renderer, error)
	// ListsPassed says the format honours Options.IncludePassed: it lists
	// what was evaluated and passed when asked.
	ListsPassed bool
}

var formats = map[string]Format{}

// register adds a format; each format's file registers itself.
func register(f Format) {
	if _, dup := formats[f.Name]; dup {
		panic("output: format " + f.Name + " registered twice")
	}
	formats[f.Name] = f
}

// Formats lists the format names New accepts, the default (table) first,
// then the others in alphabetical order.
func Formats() []string {
	names := make([]string, 0, len(formats))
	for n := range formats {
		if n != FormatTable {
			names = append(names, n)
		}
	}
	sort.Strings(names)
	return append([]string{FormatTable}, names...)
}

// PassedFormats lists, in the order of Formats, the formats that list
// what passed when Options.IncludePassed asks.
func PassedFormats() []string {
	var names []string
	for _, n := range Formats() {
		if formats[n].ListsPassed {
			names = append(names, n)
		}
	}
	return names
}

// Lookup returns the registration of a format.
func Lookup(name string) (Format, error) {
	f, ok := formats[name]
	if !ok {
		return Format{}, &UnknownFormatError{Format: name}
	}
	return f, nil
}

// New starts a renderer of the named format.
func New(format string, opts Options) (Renderer, error) {
	f, err := Lookup(format)
	if err != nil {
		return nil, err
	}
	return f.New(opts)
}

// UnknownFormatError is returned for a format name that is not registered.
type UnknownFormatError struct {
	Format string
}

func (e *UnknownFormatError) Error() string {
	return fmt.Sprintf("unknown output format %q: want one of %s", e.Format, strings.Join(Formats(), ", "))
}

// ParseFormats splits a comma-separated list of format names, checking
// each and refusing duplicates.
func ParseFormats(list string) ([]string, error) {
	var out []string
	for _, name := range strings.Split(list, ",") {
		name = strings.TrimSpace(name)
		if name == "" {
			continue
		}
		if _, err := Lookup(name); err != nil {
			return nil, err
		}
		if slices.Contains(out, name) {
			return nil, fmt.Errorf("format %q given twice", name)
		}
		out = append(out, name)
	}
	if len(out) == 0 {
		return nil, errors.New("no output format given")
	}
	return out, nil
}

// Write renders r, findings included, to w in the named format.
func Write(w io.Writer, format string, r *policies.Report, opts Options) error {
	if r == nil {
		return errors.New("output: nil report")
	}
	rd, err := New(format, opts)
	if err != nil {
		return err
	}
	defer rd.Close()
	for i := range r.Findings {
		if err := rd.Add(&r.Findings[i]); err != nil {
			return err
		}
	}
	head := *r
	head.Findings = nil
	return rd.Render(w, &head)
}
