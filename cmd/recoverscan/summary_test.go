package main

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

// TestJobSummaryEscapesNames runs the action's job-summary step on a
// report whose pool name carries Markdown and HTML: the summary shows the
// name as text, and the table keeps its columns.
func TestJobSummaryEscapesNames(t *testing.T) {
	if _, err := exec.LookPath("jq"); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("jq is missing; the action's job summary needs it")
		}
		t.Skip("no jq")
	}
	b, err := os.ReadFile("../../.github/actions/recoverscan/action.yml")
	if err != nil {
		t.Fatal(err)
	}
	var action struct {
		Runs struct {
			Steps []struct {
				Name string `yaml:"name"`
				Run  string `yaml:"run"`
			} `yaml:"steps"`
		} `yaml:"runs"`
	}
	if err := yaml.Unmarshal(b, &action); err != nil {
		t.Fatal(err)
	}
	var script string
	for _, s := range action.Runs.Steps {
		if s.Name == "Job summary" {
			script = s.Run
		}
	}
	if script == "" {
		t.Fatal("no Job summary step")
	}
	dir := t.TempDir()
	hostile := "<img src=x onerror=alert(1)> [click](https://evil.example) | *bold* `code`\n# heading"
	report := map[string]any{
		"summary": map[string]any{"users": map[string]int{"total": 1}, "incomplete": true, "missing_permissions": []string{"sns:<b>x</b>"}},
		"scopes": []any{map[string]any{"account": "111122223333", "region": "us-east-1", "pools": []any{
			map[string]any{"id": "us-east-1_Ab|c", "name": hostile, "users": map[string]int{"total": 1}},
		}}},
	}
	data, _ := json.Marshal(report)
	if err := os.WriteFile(filepath.Join(dir, "recoverscan-report.json"), data, 0o600); err != nil {
		t.Fatal(err)
	}
	summary := filepath.Join(dir, "summary.md")
	cmd := exec.Command("bash", "-c", script)
	cmd.Env = append(os.Environ(), "RUNNER_TEMP="+dir, "GITHUB_STEP_SUMMARY="+summary)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("job summary: %v\n%s", err, out)
	}
	got, err := os.ReadFile(summary)
	if err != nil {
		t.Fatal(err)
	}
	text := string(got)
	for _, bad := range []string{"<img", "<b>", "](", "[click]", "*bold*", "`code`", "\n# heading"} {
		if strings.Contains(text, bad) {
			t.Errorf("the summary carries %q unescaped:\n%s", bad, text)
		}
	}
	for _, line := range strings.Split(text, "\n") {
		if strings.HasPrefix(line, "| 111122223333") {
			if n := strings.Count(line, "|") - strings.Count(line, `\|`); n != 8 {
				t.Errorf("the pool row has %d column separators, want 8: %s", n, line)
			}
		}
	}
}
