package output

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"

	"github.com/recoverscan/recoverscan/policies"
)

// FormatJSON names the JSON format.
const FormatJSON = "json"

func init() {
	register(Format{Name: FormatJSON, Ext: ".json", New: newJSONRenderer, ListsPassed: true})
}

// jsonRenderer writes every finding, suppressed ones with their reason.
// Findings come after the summary, which is only known at the end, so
// they are encoded into a temporary file as they arrive.
type jsonRenderer struct {
	aggregated
	spill   *spill
	encoder *findingEncoder
}

func newJSONRenderer(opts Options) (Renderer, error) {
	sp, err := newSpill()
	if err != nil {
		return nil, err
	}
	j := &jsonRenderer{aggregated: newAggregated(0, opts), spill: sp, encoder: newFindingEncoder(sp.w)}
	j.digest.countsOnly = true
	j.keepSuppressed = true
	return j, nil
}

func (j *jsonRenderer) Add(f *policies.Finding) error {
	if err := j.aggregated.Add(f); err != nil {
		return err
	}
	if err := j.encoder.encode(f); err != nil {
		return fmt.Errorf("output: spill findings: %w", err)
	}
	return nil
}

func (j *jsonRenderer) Render(w io.Writer, r *policies.Report) error {
	return writeJSONWith(w, r, summarize(r, j.digest), j.passed(r), j.encoder.n, j.spill.copyTo)
}

func (j *jsonRenderer) Close() error { return j.spill.close() }

// jsonHead is the JSON document without its findings: the summary, then
// every field of the Report in struct order. Findings is shadowed by an
// always-empty field so the report's findings can be streamed after it.
type jsonHead struct {
	Summary Summary `json:"summary"`
	*policies.Report
	// Passed is there with --include-passed.
	Passed   []Passed           `json:"passed,omitempty"`
	Findings []policies.Finding `json:"findings,omitempty"`
}

// writeJSONWith writes the document around n findings that body writes,
// as findingEncoder encodes them.
func writeJSONWith(w io.Writer, r *policies.Report, sum Summary, passed []Passed, n int, body func(w io.Writer) error) error {
	bw := bufio.NewWriterSize(w, 64<<10)
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	// Remediation commands hold <pool-id> and the like; keep them legible.
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(jsonHead{Summary: sum, Report: r, Passed: passed}); err != nil {
		return err
	}
	head := bytes.TrimSuffix(bytes.TrimRight(buf.Bytes(), "\n"), []byte("}"))
	head = bytes.TrimRight(head, "\n")
	if _, err := bw.Write(head); err != nil {
		return err
	}
	if _, err := bw.WriteString(",\n  \"findings\": ["); err != nil {
		return err
	}
	if err := body(bw); err != nil {
		return err
	}
	closing := "]\n}\n"
	if n > 0 {
		closing = "\n  ]\n}\n"
	}
	if _, err := bw.WriteString(closing); err != nil {
		return err
	}
	return bw.Flush()
}

// findingEncoder writes findings as the elements of the "findings" array,
// indented as in the whole document.
type findingEncoder struct {
	w   io.Writer
	buf bytes.Buffer
	enc *json.Encoder
	n   int
}

func newFindingEncoder(w io.Writer) *findingEncoder {
	e := &findingEncoder{w: w}
	e.enc = json.NewEncoder(&e.buf)
	e.enc.SetEscapeHTML(false)
	e.enc.SetIndent("    ", "  ")
	return e
}

func (e *findingEncoder) encode(f *policies.Finding) error {
	e.buf.Reset()
	if err := e.enc.Encode(f); err != nil {
		return err
	}
	sep := ",\n    "
	if e.n == 0 {
		sep = "\n    "
	}
	e.n++
	if _, err := io.WriteString(e.w, sep); err != nil {
		return err
	}
	_, err := e.w.Write(bytes.TrimRight(e.buf.Bytes(), "\n"))
	return err
}
