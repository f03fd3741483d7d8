package collector

import "testing"

func TestCognitoMaySend(t *testing.T) {
	const (
		region  = "us-east-1"
		account = "111122223333"
	)
	recommended := `{
	  "Version": "2012-10-17",
	  "Statement": [{
	    "Sid": "stmnt1234567891234",
	    "Effect": "Allow",
	    "Principal": {"Service": ["email.cognito-idp.amazonaws.com"]},
	    "Action": ["SES:SendEmail", "SES:SendRawEmail"],
	    "Resource": "arn:aws:ses:us-east-1:111122223333:identity/example.com",
	    "Condition": {"StringEquals": {"aws:SourceAccount": "111122223333"}}
	  }]
	}`
	for name, tc := range map[string]struct {
		policies map[string]string
		account  string
		want     bool
	}{
		"the documented policy":   {map[string]string{"cognito": recommended}, account, true},
		"no policies":             {nil, account, false},
		"unknown account id":      {map[string]string{"cognito": recommended}, "", true},
		"another account's ARN":   {map[string]string{"p": stmt(`"Allow"`, `{"Service":"email.cognito-idp.amazonaws.com"}`, `["ses:SendEmail","ses:SendRawEmail"]`, `"arn:aws:ses:us-east-1:444455556666:identity/example.com"`)}, account, false},
		"another identity":        {map[string]string{"p": stmt(`"Allow"`, `{"Service":"email.cognito-idp.amazonaws.com"}`, `"ses:*"`, `"arn:aws:ses:us-east-1:111122223333:identity/example.org"`)}, account, false},
		"another region":          {map[string]string{"p": stmt(`"Allow"`, `{"Service":"email.cognito-idp.amazonaws.com"}`, `"ses:*"`, `"arn:aws:ses:eu-west-1:111122223333:identity/example.com"`)}, account, false},
		"ses:* on a wildcard ARN": {map[string]string{"p": stmt(`"Allow"`, `{"Service":"email.cognito-idp.amazonaws.com"}`, `"ses:*"`, `"arn:aws:ses:*:*:identity/*"`)}, account, true},
		"ses:Send* on *":          {map[string]string{"p": stmt(`"Allow"`, `{"Service":"email.cognito-idp.amazonaws.com"}`, `"ses:send*"`, `"*"`)}, account, true},
		"principal *":             {map[string]string{"p": stmt(`"Allow"`, `"*"`, `["ses:SendEmail","ses:SendRawEmail"]`, `"*"`)}, account, true},
		"AWS principal *":         {map[string]string{"p": stmt(`"Allow"`, `{"AWS":"*"}`, `["ses:SendEmail","ses:SendRawEmail"]`, `"*"`)}, account, true},
		"another principal":       {map[string]string{"p": stmt(`"Allow"`, `{"AWS":"arn:aws:iam::444455556666:root"}`, `"ses:*"`, `"*"`)}, account, false},
		"SendEmail only":          {map[string]string{"p": stmt(`"Allow"`, `{"Service":"email.cognito-idp.amazonaws.com"}`, `"ses:SendEmail"`, `"*"`)}, account, false},
		"actions split over two policies": {map[string]string{
			"a": stmt(`"Allow"`, `{"Service":"email.cognito-idp.amazonaws.com"}`, `"ses:SendEmail"`, `"*"`),
			"b": stmt(`"Allow"`, `{"Service":"email.cognito-idp.amazonaws.com"}`, `"ses:SendRawEmail"`, `"*"`),
		}, account, true},
		"an unconditional Deny": {map[string]string{
			"cognito": recommended,
			"deny":    stmt(`"Deny"`, `"*"`, `"ses:SendRawEmail"`, `"*"`),
		}, account, false},
		"a conditional Deny is not judged": {map[string]string{
			"cognito": recommended,
			"deny":    `{"Statement":{"Effect":"Deny","Principal":"*","Action":"ses:*","Resource":"*","Condition":{"Bool":{"aws:SecureTransport":"false"}}}}`,
		}, account, true},
		"a Deny of the other principal": {map[string]string{
			"cognito": recommended,
			"deny":    stmt(`"Deny"`, `{"AWS":"arn:aws:iam::444455556666:root"}`, `"ses:*"`, `"*"`),
		}, account, true},
		"a document that does not parse": {map[string]string{"p": "{"}, account, false},
	} {
		t.Run(name, func(t *testing.T) {
			if got := cognitoMaySend(tc.policies, region, tc.account, "example.com"); got != tc.want {
				t.Errorf("got %v, want %v", got, tc.want)
			}
		})
	}
}

// stmt is a policy with one statement (Statement as an object, not a list).
func stmt(effect, principal, action, resource string) string {
	return `{"Version":"2012-10-17","Statement":{"Effect":` + effect + `,"Principal":` + principal +
		`,"Action":` + action + `,"Resource":` + resource + `}}`
}

func TestGlobMatch(t *testing.T) {
	for _, tc := range []struct {
		pattern, s string
		want       bool
	}{
		{"identity/*", "identity/example.com", true},
		{"*", "identity/a/b", true},
		{"identity/example.co?", "identity/example.com", true},
		{"identity/[x]", "identity/[x]", true},
		{"identity/example.com", "identity/example.org", false},
	} {
		if got := globMatch(tc.pattern, tc.s); got != tc.want {
			t.Errorf("globMatch(%q, %q) = %v, want %v", tc.pattern, tc.s, got, tc.want)
		}
	}
}
