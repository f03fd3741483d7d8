package sarifcheck_test

import (
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/recoverscan/recoverscan/output/sarifcheck"
)

// goldenSARIF is the output package's SARIF rendering of its fixture report
// (kept current by output's TestGolden): a log GitHub accepts.
const goldenSARIF = "../testdata/report.sarif.golden"

func readGolden(t *testing.T) []byte {
	t.Helper()
	data, err := os.ReadFile(goldenSARIF)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func TestGoldenSARIFPasses(t *testing.T) {
	for _, err := range sarifcheck.Validate(readGolden(t)) {
		t.Error(err)
	}
}

func TestRejects(t *testing.T) {
	tests := map[string]string{
		"not json":    `{`,
		"no runs":     `{"$schema":"https://json.schemastore.org/sarif-2.1.0.json","version":"2.1.0"}`,
		"bad version": `{"$schema":"https://json.schemastore.org/sarif-2.1.0.json","version":"2.0.0","runs":[]}`,
		"result without location": `{"$schema":"https://json.schemastore.org/sarif-2.1.0.json","version":"2.1.0","runs":[{
			"tool":{"driver":{"name":"x","rules":[{"id":"R1","shortDescription":{"text":"s"},"fullDescription":{"text":"f"},"help":{"text":"h"}}]}},
			"automationDetails":{"id":"x/"},
			"results":[{"ruleId":"R1","message":{"text":"m"},"partialFingerprints":{"primaryLocationLineHash":"a:1"}}]}]}`,
	}
	for name, doc := range tests {
		if errs := sarifcheck.Validate([]byte(doc)); len(errs) == 0 {
			t.Errorf("%s: accepted", name)
		} else if strings.TrimSpace(errs[0].Error()) == "" {
			t.Errorf("%s: empty error", name)
		}
	}
}

// The validators must actually reject what GitHub rejects.
func TestValidatorsCatchViolations(t *testing.T) {
	good := readGolden(t)
	mutations := map[string]func(log map[string]any){
		"no location": func(log map[string]any) {
			delete(firstResult(log), "locations")
		},
		"absolute uri": func(log map[string]any) {
			loc := firstResult(log)["locations"].([]any)[0].(map[string]any)
			obj(obj(loc, "physicalLocation"), "artifactLocation")["uri"] = "file:///etc/x y"
		},
		"no fingerprint": func(log map[string]any) {
			delete(firstResult(log), "partialFingerprints")
		},
		"numeric security-severity": func(log map[string]any) {
			obj(firstRule(log), "properties")["security-severity"] = 9.5
		},
		"empty help": func(log map[string]any) {
			delete(firstRule(log), "help")
		},
		"duplicate category": func(log map[string]any) {
			runs := log["runs"].([]any)
			obj(runs[1].(map[string]any), "automationDetails")["id"] = obj(runs[0].(map[string]any), "automationDetails")["id"]
		},
		"too many tags": func(log map[string]any) {
			tags := []any{}
			for i := 0; i < 11; i++ {
				tags = append(tags, fmt.Sprintf("t%d", i))
			}
			obj(firstRule(log), "properties")["tags"] = tags
		},
	}
	for name, mutate := range mutations {
		var log map[string]any
		if err := json.Unmarshal(good, &log); err != nil {
			t.Fatal(err)
		}
		mutate(log)
		bad, _ := json.Marshal(log)
		if errs := sarifcheck.ValidateGitHub(bad); len(errs) == 0 {
			t.Errorf("%s: GitHub validator accepted it", name)
		}
	}

	// The schema itself rejects a malformed uri-reference and a bad level.
	var log map[string]any
	_ = json.Unmarshal(good, &log)
	firstResult(log)["level"] = "fatal"
	bad, _ := json.Marshal(log)
	if err := sarifcheck.ValidateSchema(bad); err == nil {
		t.Error("schema accepted level \"fatal\"")
	}
}

func firstResult(log map[string]any) map[string]any {
	run := log["runs"].([]any)[0].(map[string]any)
	return run["results"].([]any)[0].(map[string]any)
}

func firstRule(log map[string]any) map[string]any {
	run := log["runs"].([]any)[0].(map[string]any)
	return obj(obj(run, "tool"), "driver")["rules"].([]any)[0].(map[string]any)
}

// obj returns m[key] as an object, creating it if missing.
func obj(m map[string]any, key string) map[string]any {
	if v, ok := m[key].(map[string]any); ok {
		return v
	}
	v := map[string]any{}
	m[key] = v
	return v
}
