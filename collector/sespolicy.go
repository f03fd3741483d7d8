package collector

import (
	"encoding/json"
	"path"
	"strings"
)

// cognitoEmailPrincipal is the service principal Cognito sends with when a
// COGNITO_DEFAULT pool has a custom FROM address (SourceArn).
const cognitoEmailPrincipal = "email.cognito-idp.amazonaws.com"

// cognitoSendActions are the actions an identity's sending authorization
// policy must allow Cognito (facts RC-EMAIL-007).
var cognitoSendActions = []string{"ses:sendemail", "ses:sendrawemail"}

// cognitoMaySend reports whether the identity's sending authorization
// policies (policy name → JSON document) let Cognito send from it: Allow
// statements for the principal email.cognito-idp.amazonaws.com (or "*")
// on the identity cover both ses:SendEmail and ses:SendRawEmail, and no
// unconditional Deny statement takes either away. Conditions of Allow
// statements (aws:SourceAccount, aws:SourceArn) are not judged: they are
// how the policy is meant to be written. Documents that do not parse are
// ignored. accountID may be "" when unknown; the resource's account is
// then not compared.
func cognitoMaySend(policies map[string]string, region, accountID, identity string) bool {
	allowed := map[string]bool{}
	denied := map[string]bool{}
	for _, doc := range policies {
		var p policyDocument
		if err := json.Unmarshal([]byte(doc), &p); err != nil {
			continue
		}
		for _, s := range p.Statement {
			if len(s.NotPrincipal) > 0 || len(s.NotAction) > 0 || len(s.NotResource) > 0 {
				continue // too indirect to credit or blame
			}
			if !s.principalMatches() || !s.resourceMatches(region, accountID, identity) {
				continue
			}
			for _, want := range cognitoSendActions {
				if !s.actionMatches(want) {
					continue
				}
				switch {
				case strings.EqualFold(s.Effect, "Allow"):
					allowed[want] = true
				case strings.EqualFold(s.Effect, "Deny") && len(s.Condition) == 0:
					denied[want] = true
				}
			}
		}
	}
	for _, want := range cognitoSendActions {
		if !allowed[want] || denied[want] {
			return false
		}
	}
	return true
}

// policyDocument is the part of an IAM-style policy document the check
// needs. Statement, Action and Resource may each be one value or a list.
type policyDocument struct {
	Statement oneOrMany[policyStatement] `json:"Statement"`
}

type policyStatement struct {
	Effect       string            `json:"Effect"`
	Principal    json.RawMessage   `json:"Principal"`
	NotPrincipal json.RawMessage   `json:"NotPrincipal"`
	Action       oneOrMany[string] `json:"Action"`
	NotAction    oneOrMany[string] `json:"NotAction"`
	Resource     oneOrMany[string] `json:"Resource"`
	NotResource  oneOrMany[string] `json:"NotResource"`
	Condition    map[string]any    `json:"Condition"`
}

// principalMatches reports whether the statement's principal is "*",
// {"AWS": "*"} or names Cognito's email service principal.
func (s policyStatement) principalMatches() bool {
	var star string
	if json.Unmarshal(s.Principal, &star) == nil {
		return star == "*"
	}
	var m map[string]oneOrMany[string]
	if json.Unmarshal(s.Principal, &m) != nil {
		return false
	}
	for kind, values := range m {
		for _, v := range values {
			switch {
			case strings.EqualFold(kind, "AWS") && v == "*":
				return true
			case strings.EqualFold(kind, "Service") && (v == "*" || strings.EqualFold(v, cognitoEmailPrincipal)):
				return true
			}
		}
	}
	return false
}

// actionMatches reports whether one of the statement's action patterns
// (case-insensitive, with * and ? wildcards) covers action.
func (s policyStatement) actionMatches(action string) bool {
	for _, pattern := range s.Action {
		if globMatch(strings.ToLower(pattern), action) {
			return true
		}
	}
	return false
}

// resourceMatches reports whether one of the statement's resource patterns
// covers the identity's ARN, arn:<partition>:ses:<region>:<account>:identity/<name>.
// A statement without Resource is taken to mean the identity the policy
// is attached to.
func (s policyStatement) resourceMatches(region, accountID, identity string) bool {
	if len(s.Resource) == 0 {
		return true
	}
	for _, pattern := range s.Resource {
		if pattern == "*" {
			return true
		}
		parts := strings.SplitN(pattern, ":", 6)
		if len(parts) != 6 || parts[0] != "arn" {
			continue
		}
		if globMatch(parts[2], "ses") && globMatch(parts[3], region) &&
			(accountID == "" || globMatch(parts[4], accountID)) &&
			globMatch(parts[5], "identity/"+identity) {
			return true
		}
	}
	return false
}

// globMatch matches s against an IAM pattern where * is any run of
// characters (also "/") and ? is one character.
func globMatch(pattern, s string) bool {
	// path.Match stops * at "/", so match "/"-free stand-ins instead.
	const slash = "\x00"
	pattern = strings.ReplaceAll(pattern, "/", slash)
	s = strings.ReplaceAll(s, "/", slash)
	// Escape the characters path.Match treats specially besides * and ?.
	pattern = strings.NewReplacer(`\`, `\\`, `[`, `\[`, `]`, `\]`).Replace(pattern)
	ok, err := path.Match(pattern, s)
	return err == nil && ok
}

// oneOrMany decodes a JSON value that is either one T or a list of T.
type oneOrMany[T any] []T

func (o *oneOrMany[T]) UnmarshalJSON(b []byte) error {
	var many []T
	if err := json.Unmarshal(b, &many); err == nil {
		*o = many
		return nil
	}
	var one T
	if err := json.Unmarshal(b, &one); err != nil {
		return err
	}
	*o = []T{one}
	return nil
}
