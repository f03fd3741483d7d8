package policies

import (
	"bytes"
	"encoding/json"
	"fmt"
	"time"

	"github.com/open-policy-agent/opa/v1/ast"

	"github.com/recoverscan/recoverscan/collector/snapshot"
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

// userTerm builds a user's input directly, field by field: it runs once per
// user, where a JSON round trip would dominate evaluation time. Keep it in
// step with snapshot.User (a test compares it with the JSON form).
func userTerm(u *snapshot.User) *ast.Term {
	methods := make([]*ast.Term, len(u.MFA.Methods))
	for i, m := range u.MFA.Methods {
		methods[i] = ast.StringTerm(m)
	}
	return ast.ObjectTerm(
		item("username", ast.StringTerm(u.Username)),
		item("sub", ast.StringTerm(u.Sub)),
		item("status", ast.StringTerm(u.Status)),
		item("enabled", ast.BooleanTerm(u.Enabled)),
		item("created_at", timeTerm(u.CreatedAt)),
		item("last_modified_at", timeTerm(u.LastModifiedAt)),
		item("email", ast.ObjectTerm(
			item("present", ast.BooleanTerm(u.Email.Present)),
			item("verified", ast.BooleanTerm(u.Email.Verified)),
			item("masked", ast.StringTerm(u.Email.Masked)),
			item("suppressed", ast.BooleanTerm(u.Email.Suppressed)),
			item("suppression_reason", ast.StringTerm(u.Email.SuppressionReason)),
		)),
		item("phone", ast.ObjectTerm(
			item("present", ast.BooleanTerm(u.Phone.Present)),
			item("verified", ast.BooleanTerm(u.Phone.Verified)),
			item("masked", ast.StringTerm(u.Phone.Masked)),
			item("calling_code", ast.StringTerm(u.Phone.CallingCode)),
			item("country", ast.StringTerm(u.Phone.Country)),
			item("opted_out", ast.BooleanTerm(u.Phone.OptedOut)),
			item("sandbox_verified", ast.BooleanTerm(u.Phone.SandboxVerified)),
		)),
		item("mfa", ast.ObjectTerm(
			item("read", sourceTerm(u.MFA.Read)),
			item("methods", ast.ArrayTerm(methods...)),
			item("preferred", ast.StringTerm(u.MFA.Preferred)),
		)),
	)
}

func sourceTerm(s snapshot.Source) *ast.Term {
	items := [][2]*ast.Term{
		item("status", ast.StringTerm(string(s.Status))),
		item("action", ast.StringTerm(s.Action)),
	}
	if s.Error != "" {
		items = append(items, item("error", ast.StringTerm(s.Error)))
	}
	return ast.ObjectTerm(items...)
}

// timeTerm formats t as encoding/json does.
func timeTerm(t time.Time) *ast.Term {
	return ast.StringTerm(t.Format(time.RFC3339Nano))
}

func item(k string, v *ast.Term) [2]*ast.Term { return ast.Item(ast.StringTerm(k), v) }

func bytesReader(b []byte) *bytes.Reader { return bytes.NewReader(b) }
