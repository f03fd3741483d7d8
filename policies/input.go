package policies

import (
	"bytes"
	"encoding/json"
	"fmt"

	"github.com/open-policy-agent/opa/v1/ast"
)

// toTerm converts a value to a Rego term through its JSON form, so rules
// see exactly the snapshot's field names. Used once per pool, not per user.
func toTerm(v any) (*ast.Term, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return nil, fmt.Errorf("build rule input: %w", err)
	}
	val, err := ast.ValueFromReader(bytesReader(b))
	if err != nil {
		return nil, fmt.Errorf("build rule input: %w", err)
	}
	return ast.NewTerm(val), nil
}

func bytesReader(b []byte) *bytes.Reader { return bytes.NewReader(b) }
