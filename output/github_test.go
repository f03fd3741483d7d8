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
