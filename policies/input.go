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
// user, where a JSON round trip would dominate evaluation time. Facts in
// ph (may be nil) get their placeholder instead of their value. Keep it in
// step with snapshot.User (a test compares it with the JSON form).
func userTerm(u *snapshot.User, ph *placeholders) *ast.Term {
	s := func(f fact) *ast.Term {
		if ph != nil && ph.set.has(f) {
			return ast.StringTerm(ph.values[f])
		}
		return ast.StringTerm(str(u, f))
	}
	methods := make([]*ast.Term, len(u.MFA.Methods))
	for i, m := range u.MFA.Methods {
		methods[i] = ast.StringTerm(m)
	}
	read := []*ast.Term{ast.StringTerm("status"), s(factMFAReadStatus), ast.StringTerm("action"), s(factMFAReadAction)}
	readItems := [][2]*ast.Term{{read[0], read[1]}, {read[2], read[3]}}
	if u.MFA.Read.Error != "" {
		readItems = append(readItems, item("error", s(factMFAReadError)))
	}
	return ast.ObjectTerm(
		item("username", s(factUsername)),
		item("sub", s(factSub)),
		item("status", s(factStatus)),
		item("enabled", ast.BooleanTerm(u.Enabled)),
		item("created_at", s(factCreatedAt)),
		item("last_modified_at", s(factLastModifiedAt)),
		item("email", ast.ObjectTerm(
			item("present", ast.BooleanTerm(u.Email.Present)),
			item("verified", ast.BooleanTerm(u.Email.Verified)),
			item("masked", s(factEmailMasked)),
			item("suppressed", ast.BooleanTerm(u.Email.Suppressed)),
			item("suppression_reason", s(factEmailSuppressionReason)),
			item("recipient_verified", ast.BooleanTerm(u.Email.RecipientVerified)),
		)),
		item("phone", ast.ObjectTerm(
			item("present", ast.BooleanTerm(u.Phone.Present)),
			item("verified", ast.BooleanTerm(u.Phone.Verified)),
			item("masked", s(factPhoneMasked)),
			item("calling_code", s(factPhoneCallingCode)),
			item("country", s(factPhoneCountry)),
			item("opted_out", ast.BooleanTerm(u.Phone.OptedOut)),
			item("sandbox_verified", ast.BooleanTerm(u.Phone.SandboxVerified)),
			item("alternate_opted_out", ast.BooleanTerm(u.Phone.AlternateOptedOut)),
			item("alternate_sandbox_verified", ast.BooleanTerm(u.Phone.AlternateSandboxVerified)),
		)),
		item("mfa", ast.ObjectTerm(
			item("read", ast.ObjectTerm(readItems...)),
			item("methods", ast.ArrayTerm(methods...)),
			item("preferred", s(factMFAPreferred)),
		)),
	)
}

// timeString formats t as encoding/json does.
func timeString(t time.Time) string {
	return t.Format(time.RFC3339Nano)
}

func item(k string, v *ast.Term) [2]*ast.Term { return ast.Item(ast.StringTerm(k), v) }

func bytesReader(b []byte) *bytes.Reader { return bytes.NewReader(b) }
