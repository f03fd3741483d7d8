package output

import (
	"bufio"
	"bytes"
	"encoding/json"
	"io"

	"github.com/recoverscan/recoverscan/policies"
)

// jsonHead is the JSON document without its findings: the summary, then
// every field of the Report in struct order. Findings is shadowed by an
// always-empty field so the report's findings can be streamed after it.
type jsonHead struct {
	Summary Summary `json:"summary"`
	*policies.Report
	Findings []policies.Finding `json:"findings,omitempty"`
}

// writeJSON writes the whole report as indented JSON with a top-level
// "summary". Findings, which can number millions, are encoded one at a
// time instead of building the whole document in memory. The bytes equal
// those of encoding the document in one go.
func writeJSON(w io.Writer, r *policies.Report, sum Summary) error {
	return writeJSONWith(w, r, sum, len(r.Findings), func(bw *bufio.Writer) error {
		enc := newFindingEncoder(bw)
		for i := range r.Findings {
			if err := enc.encode(&r.Findings[i]); err != nil {
				return err
			}
		}
		return nil
	})
}

// writeJSONWith writes the document around n findings that body writes,
// as findingEncoder encodes them.
func writeJSONWith(w io.Writer, r *policies.Report, sum Summary, n int, body func(bw *bufio.Writer) error) error {
	bw := bufio.NewWriterSize(w, 64<<10)
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	// Remediation commands hold <pool-id> and the like; keep them legible.
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(jsonHead{Summary: sum, Report: r}); err != nil {
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
