package main

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestJobSummaryEscapesNames runs the action's job-summary script with a
// previous snapshot, so it reports what changed, on a diff whose pool name
// and rule title carry Markdown and HTML: the summary shows them as text,
// and the table keeps its columns. (The scan's own Markdown report escapes
// names in output.Markdown, tested there.)
func TestJobSummaryEscapesNames(t *testing.T) {
	if _, err := exec.LookPath("jq"); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("jq is missing; the action's job summary needs it")
		}
		t.Skip("no jq")
	}
	dir := t.TempDir()
	hostile := "<img src=x onerror=alert(1)> [click](https://evil.example) | *bold* `code` @team\n# heading"
	diff := map[string]any{
		"old":    map[string]any{"snapshot_taken_at": "2026-11-01T09:00:00Z"},
		"counts": map[string]any{"resolved": 0, "users_changed": 1},
		"totals": []any{map[string]int{"can": 1, "total": 1}, map[string]int{"can": 0, "total": 1}},
		"appeared": []any{map[string]any{"severity": "high", "rule_id": "ACME-POOL-001", "title": hostile,
			"resource": map[string]any{"pool_name": hostile, "pool_id": "us-east-1_Ab|c"}}},
		"users_changed": []any{map[string]any{"pool_name": hostile, "pool_id": "us-east-1_Ab|c", "before": "can", "after": "cannot"}},
	}
	data, _ := json.Marshal(diff)
	// A stand-in recoverscan on PATH answers the script's diff call.
	bin := filepath.Join(dir, "bin")
	if err := os.MkdirAll(bin, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "diff.json"), data, 0o600); err != nil {
		t.Fatal(err)
	}
	stub := "#!/bin/sh\ncat " + filepath.Join(dir, "diff.json") + "\n"
	if err := os.WriteFile(filepath.Join(bin, "recoverscan"), []byte(stub), 0o755); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "out")
	if err := os.MkdirAll(out, 0o755); err != nil {
		t.Fatal(err)
	}
	for name, body := range map[string]string{
		"recoverscan.md":   "## recoverscan\n",
		"recoverscan.json": `{"summary": {"incomplete": false}}`,
		"previous.json":    "{}",
		"current.json":     "{}",
	} {
		if err := os.WriteFile(filepath.Join(out, name), []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	summary := filepath.Join(dir, "summary.md")
	script, err := filepath.Abs("../../.github/action/summary.sh")
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("bash", script)
	cmd.Env = append(os.Environ(), "PATH="+bin+string(os.PathListSeparator)+os.Getenv("PATH"),
		"RUNNER_TEMP="+dir, "GITHUB_STEP_SUMMARY="+summary, "GITHUB_OUTPUT="+filepath.Join(dir, "output"),
		"OUTPUT_DIR="+out, "PREVIOUS="+filepath.Join(out, "previous.json"), "SNAPSHOT_FILE="+filepath.Join(out, "current.json"),
		"CONFIG=", "POLICY=", "SEVERITY=")
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("job summary: %v\n%s", err, b)
	}
	got, err := os.ReadFile(summary)
	if err != nil {
		t.Fatal(err)
	}
	text := string(got)
	if !strings.Contains(text, "Since the previous run") {
		t.Fatalf("the summary reports no changes:\n%s", text)
	}
	for _, bad := range []string{"<img", "](", "[click]", "*bold*", "`code`", " @team", "\n# heading"} {
		if strings.Contains(text, bad) {
			t.Errorf("the summary carries %q unescaped:\n%s", bad, text)
		}
	}
	for _, line := range strings.Split(text, "\n") {
		if strings.HasPrefix(line, "| high") {
			if n := strings.Count(line, "|") - strings.Count(line, `\|`); n != 5 {
				t.Errorf("the findings row has %d column separators, want 5: %s", n, line)
			}
		}
	}
}
