package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/recoverscan/recoverscan/output/sarifcheck"
)

// TestSeveralFormats: one run writes a report per format, from one scan:
// -o BASE names BASE.EXT, --output-dir DIR writes DIR/recoverscan.EXT, and
// each is the report that format alone writes.
func TestSeveralFormats(t *testing.T) {
	dir := t.TempDir()
	base := filepath.Join(dir, "results")
	if code, _, stderr := runCLI(t, "demo", "--format", "sarif,markdown,json,html,csv,ocsf,asff", "-o", base); code != exitOK {
		t.Fatalf("demo: exit %d\n%s", code, stderr)
	}
	for _, ext := range []string{".html", ".csv", ".ocsf.json", ".asff.json"} {
		data, err := os.ReadFile(base + ext)
		if err != nil {
			t.Fatal(err)
		}
		if strings.HasSuffix(ext, ".json") {
			var events []map[string]any
			if err := json.Unmarshal(data, &events); err != nil || len(events) == 0 {
				t.Errorf("%s: %v, %d records", ext, err, len(events))
			}
			if ext == ".asff.json" && len(events) > 100 {
				t.Errorf("%s: %d findings in one batch-import file", ext, len(events))
			}
		}
	}
	sarif, err := os.ReadFile(base + ".sarif")
	if err != nil {
		t.Fatal(err)
	}
	for _, err := range sarifcheck.Validate(sarif) {
		t.Error(err)
	}
	md, err := os.ReadFile(base + ".md")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(md), "## recoverscan: password recovery") {
		t.Errorf("markdown report:\n%s", md)
	}
	data, err := os.ReadFile(base + ".json")
	if err != nil {
		t.Fatal(err)
	}
	var report struct {
		Summary struct {
			Findings int `json:"findings"`
		} `json:"summary"`
	}
	if err := json.Unmarshal(data, &report); err != nil || report.Summary.Findings == 0 {
		t.Fatalf("json report: %v, %d findings", err, report.Summary.Findings)
	}

	// Each equals what its format alone writes.
	for format, ext := range map[string]string{"markdown": ".md", "json": ".json", "html": ".html", "csv": ".csv", "ocsf": ".ocsf.json"} {
		_, alone, _ := runCLI(t, "demo", "--format", format)
		file := base + ext
		got, _ := os.ReadFile(file)
		if string(got) != alone {
			t.Errorf("%s written with other formats differs from %s alone", file, format)
		}
	}

	out := filepath.Join(dir, "reports", "nested")
	if code, _, stderr := runCLI(t, "demo", "--format", "markdown,sarif", "--output-dir", out); code != exitOK {
		t.Fatalf("demo --output-dir: exit %d\n%s", code, stderr)
	}
	for _, name := range []string{"recoverscan.md", "recoverscan.sarif"} {
		if _, err := os.Stat(filepath.Join(out, name)); err != nil {
			t.Error(err)
		}
	}
	if code, _, stderr := runCLI(t, "demo", "--format", "markdown", "--output-dir", out, "-o", "summary"); code != exitOK {
		t.Fatalf("demo --output-dir -o: exit %d\n%s", code, stderr)
	}
	if _, err := os.Stat(filepath.Join(out, "summary.md")); err != nil {
		t.Error(err)
	}
}

// TestPartName: the parts of a report go before the format's extension.
func TestPartName(t *testing.T) {
	for _, c := range []struct {
		format, path string
		i            int
		want         string
	}{
		{"sarif", "out/results.sarif", 0, "out/results.sarif"},
		{"sarif", "out/results.sarif", 1, "out/results-2.sarif"},
		{"asff", "findings.asff.json", 2, "findings-3.asff.json"},
		{"asff", "findings.json", 1, "findings-2.json"},
		{"asff", "findings", 1, "findings-2"},
	} {
		if got := partName(reportTarget{format: c.format, path: c.path}, c.i); got != c.want {
			t.Errorf("partName(%s, %s, %d) = %s, want %s", c.format, c.path, c.i, got, c.want)
		}
	}
}
