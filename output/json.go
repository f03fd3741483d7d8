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
func writeJSON(w io.Writer, r *policies.Report) error {
	bw := bufio.NewWriterSize(w, 64<<10)
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	// Remediation commands hold <pool-id> and the like; keep them legible.
	enc.SetEscapeHTML(false)

	enc.SetIndent("", "  ")
	if err := enc.Encode(jsonHead{Summary: Summarize(r), Report: r}); err != nil {
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
	enc.SetIndent("    ", "  ")
	for i := range r.Findings {
		buf.Reset()
		if err := enc.Encode(&r.Findings[i]); err != nil {
			return err
		}
		sep := ",\n    "
		if i == 0 {
			sep = "\n    "
		}
		if _, err := bw.WriteString(sep); err != nil {
			return err
		}
		if _, err := bw.Write(bytes.TrimRight(buf.Bytes(), "\n")); err != nil {
			return err
		}
	}
	closing := "]\n}\n"
	if len(r.Findings) > 0 {
		closing = "\n  ]\n}\n"
	}
	if _, err := bw.WriteString(closing); err != nil {
		return err
	}
	return bw.Flush()
}
