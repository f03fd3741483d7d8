package sarifcheck

import (
	"os"
	"strings"
	"testing"
)

func TestGoldenSARIFPasses(t *testing.T) {
	data, err := os.ReadFile("../testdata/report.sarif.golden")
	if err != nil {
		t.Fatal(err)
	}
	for _, err := range Validate(data) {
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
		if errs := Validate([]byte(doc)); len(errs) == 0 {
			t.Errorf("%s: accepted", name)
		} else if strings.TrimSpace(errs[0].Error()) == "" {
			t.Errorf("%s: empty error", name)
		}
	}
}
