package output

import (
	"testing"

	"github.com/recoverscan/recoverscan/output/sarifcheck"
)

// assertValidSARIF checks data against the SARIF schema and GitHub's rules.
func assertValidSARIF(t testing.TB, data []byte) {
	t.Helper()
	errs := sarifcheck.Validate(data)
	for i, err := range errs {
		if i == 20 {
			t.Errorf("... and %d more", len(errs)-20)
			break
		}
		t.Error(err)
	}
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
