package output

import (
	"fmt"
	"strings"
	"time"

	"github.com/recoverscan/recoverscan/policies"
)

// Synthetic report used by the golden and property tests. Identities are
// distinctive so a leak is easy to spot.
const (
	acctA = "111111111111"
	acctB = "222222222222"
	poolA = "us-east-1_AAAAAAAAA"
	poolB = "us-east-1_BBBBBBBBB"
	poolC = "eu-west-1_CCCCCCCCC"
)

// fixtureContacts are the contact details (raw and masked) the fixture's
// evidence holds; none may appear in SARIF.
var fixtureContacts = []string{
	"alice.liddell@example.com", "a***@e***.com",
	"+14155550123", "+*******0123", "+1******0123",
	"bob.builder@example.org", "b***@e***.org",
	"jane.doe@example.com",
}

func fixtureRules() []policies.Rule {
	long := strings.Repeat("Custom rules may carry long descriptions that go well past GitHub's limit. ", 20)
	return []policies.Rule{
		{ID: "RC-CLIENT-001", Title: "App client cannot start a password reset", Severity: policies.Medium, Kind: policies.KindClient,
			Package: "recoverscan.rules.client.no_forgot_password", File: "policies/rules/client/no_forgot_password/rule.rego",
			Description: "The app client does not allow the flows ForgotPassword needs, so users of this client cannot start a reset.",
			Remediation: "aws cognito-idp update-user-pool-client --user-pool-id <pool-id> --client-id <client-id> ...",
			Related:     []policies.Link{{URL: "https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_ForgotPassword.html", Description: "ForgotPassword"}}},
		{ID: "RC-EMAIL-001", Title: "SES identity of the pool is not verified", Severity: policies.Critical, Kind: policies.KindEmail, BlocksRecovery: true,
			Package: "recoverscan.rules.email.identity_unverified", File: "policies/rules/email/identity_unverified/rule.rego",
			Description: "The pool sends email through an SES identity that is not verified; SES rejects every message.",
			Remediation: "aws sesv2 get-email-identity --email-identity <identity> --region <region>"},
		{ID: "RC-POOL-001", Title: "Only administrators can recover accounts", Severity: policies.High, Kind: policies.KindPool, BlocksRecovery: true,
			Package: "recoverscan.rules.pool.admin_only", File: "policies/rules/pool/admin_only/rule.rego",
			Description: "AccountRecoverySetting lists only admin_only, so ForgotPassword never sends a code.",
			Remediation: "aws cognito-idp update-user-pool --user-pool-id <pool-id> --account-recovery-setting ...",
			Related: []policies.Link{
				{URL: "not a url", Description: "ignored"},
				{URL: "https://docs.aws.amazon.com/cognito/latest/developerguide/how-to-recover-a-user-account.html", Description: "Recovering accounts [guide]"},
			}},
		{ID: "RC-SMS-001", Title: "SNS account is in the SMS sandbox", Severity: policies.High, Kind: policies.KindSMS,
			Package: "recoverscan.rules.sms.sandbox", File: "policies/rules/sms/sandbox/rule.rego",
			Description: "In the SMS sandbox SNS only delivers to verified destination numbers.",
			Remediation: "Request production access for SMS in the SNS console."},
		{ID: "RC-USER-001", Title: "No verified email address or phone number", Severity: policies.Critical, Kind: policies.KindUser, BlocksRecovery: true,
			Package: "recoverscan.rules.user.no_verified_contact", File: "policies/rules/user/no_verified_contact/rule.rego",
			Description: "ForgotPassword sends a code only to a verified email address or phone number.",
			Remediation: "aws cognito-idp admin-update-user-attributes --user-pool-id <pool-id> --username <username> \\\n  --user-attributes Name=email_verified,Value=true",
			Related:     []policies.Link{{URL: "https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_ForgotPassword.html", Description: "ForgotPassword"}}},
		{ID: "RC-USER-002", Title: "Recovery phone number has opted out of SMS", Severity: policies.High, Kind: policies.KindUser, BlocksRecovery: true,
			Package: "recoverscan.rules.user.phone_opted_out", File: "policies/rules/user/phone_opted_out/rule.rego",
			Description: "SNS drops messages to numbers that opted out, so the code never arrives.",
			Remediation: "aws sns opt-in-phone-number --phone-number <phone>"},
		{ID: "RC-USER-003", Title: "Recovery channel depends on MFA settings that were not read", Severity: policies.Medium, Kind: policies.KindUser,
			Package: "recoverscan.rules.user.mfa_unknown", File: "policies/rules/user/mfa_unknown/rule.rego",
			Description: "Which channel Cognito uses depends on the user's MFA settings, which could not be read."},
		{ID: "XX-CUSTOM-001", Title: "Username is an email address (custom)", Severity: policies.Low, Kind: policies.KindUser, Custom: true,
			Package: "recoverscan.rules.user.custom_email_username", File: "/home/me/rules/custom.rego",
			Description: long},
	}
}

// fixtureReport builds a report of two accounts, three scopes (one
// empty), pools with per-user findings for many users, pool, client, SMS
// and email findings, indeterminate findings and scope problems.
func fixtureReport() *policies.Report {
	rules := fixtureRules()
	rule := func(id string) policies.Rule {
		for _, r := range rules {
			if r.ID == id {
				return r
			}
		}
		panic("no rule " + id)
	}
	var fs []policies.Finding
	add := func(id string, v policies.Verdict, res policies.Resource, msg string, ev map[string]any) {
		r := rule(id)
		fs = append(fs, policies.Finding{
			RuleID: r.ID, Title: r.Title, Severity: r.Severity, Kind: r.Kind, Verdict: v, Message: msg,
			Resource: res, Remediation: policies.RemediationText(strings.ReplaceAll(r.Remediation, "<pool-id>", res.PoolID)),
			Evidence: ev, BlocksRecovery: r.BlocksRecovery,
		})
	}
	user := func(account, region, pool, name, username string, i int) policies.Resource {
		return policies.Resource{Account: account, Region: region, PoolID: pool, PoolName: name,
			Username: username, Sub: fmt.Sprintf("0000%04d-5d1c-4f1e-9a7e-%012d", i, i)}
	}
	mfaSource := map[string]any{"source": map[string]any{
		"status": "denied", "action": "cognito-idp:AdminGetUser",
		"error": "User: arn:aws:sts::111111111111:assumed-role/Auditor/jane.doe@example.com is not authorized",
	}}

	// Pool A: many users without a verified contact.
	userNames := []string{"alice.liddell@example.com", "bob.builder"}
	for i := 1; i <= 55; i++ {
		userNames = append(userNames, fmt.Sprintf("user%03d", i))
	}
	for i, u := range userNames {
		add("RC-USER-001", policies.Fail, user(acctA, "us-east-1", poolA, "prod-customers", u, i),
			"The user has neither a verified email address nor a verified phone number.",
			map[string]any{"email_present": true, "email_verified": false, "email_masked": "a***@e***.com", "phone_present": false})
	}
	for i := 1; i <= 12; i++ {
		add("RC-USER-002", policies.Fail, user(acctA, "us-east-1", poolA, "prod-customers", fmt.Sprintf("sms-user%02d", i), 100+i),
			"The recovery phone number has opted out of SMS.",
			map[string]any{"phone": "+14155550123", "phone_masked": "+1******0123", "opted_out": true})
	}
	for i := 1; i <= 8; i++ {
		add("RC-USER-003", policies.Indeterminate, user(acctA, "us-east-1", poolA, "prod-customers", fmt.Sprintf("mfa-user%02d", i), 200+i),
			"The user's MFA settings could not be read.", mfaSource)
	}
	add("RC-POOL-001", policies.Fail, policies.Resource{Account: acctA, Region: "us-east-1", PoolID: poolA, PoolName: "prod-customers"},
		"AccountRecoverySetting is admin_only: ForgotPassword sends no code to anyone.", map[string]any{"recovery": []any{"admin_only"}})
	for _, c := range []string{"7lq2b8mcfk1example0client2", "3n1a9v0example0client1"} {
		add("RC-CLIENT-001", policies.Fail, policies.Resource{Account: acctA, Region: "us-east-1", PoolID: poolA, PoolName: "prod-customers", ClientID: c},
			"ExplicitAuthFlows lacks the flows ForgotPassword needs.", map[string]any{"flows": []any{"ALLOW_REFRESH_TOKEN_AUTH"}})
	}
	add("RC-SMS-001", policies.Fail, policies.Resource{Account: acctA, Region: "us-east-1", PoolID: poolA, PoolName: "prod-customers"},
		"The SNS account of us-east-1 is in the SMS sandbox with 2 verified destinations.", map[string]any{"sandbox": true, "verified_destinations": 2})

	// Pool B: users could not all be listed; SES state unread.
	add("RC-EMAIL-001", policies.Indeterminate, policies.Resource{Account: acctA, Region: "us-east-1", PoolID: poolB, PoolName: "staff"},
		"The SES identity could not be read.", map[string]any{"source": map[string]string{
			"status": "denied", "action": "ses:GetEmailIdentity", "error": "AccessDenied"}})
	for i, u := range []string{"carol.staff", "dave.staff"} {
		add("RC-USER-001", policies.Fail, user(acctA, "us-east-1", poolB, "staff", u, 300+i),
			"The user has neither a verified email address nor a verified phone number.", map[string]any{"email_present": false})
	}

	// Pool C, another account.
	add("RC-USER-001", policies.Fail, user(acctB, "eu-west-1", poolC, "partners", "erin.partner", 400),
		"The user has neither a verified email address nor a verified phone number.", map[string]any{"email_present": false})
	for i, u := range []string{"bob.builder@example.org", "frank@example.net", "grace@example.net"} {
		add("XX-CUSTOM-001", policies.Fail, user(acctB, "eu-west-1", poolC, "partners", u, 500+i),
			"The username is an email address.", map[string]any{"email_masked": "b***@e***.org"})
	}
	policies.SortFindings(fs)

	return &policies.Report{
		Tool:            "recoverscan",
		Version:         "1.2.3",
		SnapshotTakenAt: time.Date(2025, 3, 4, 5, 6, 7, 0, time.UTC),
		Rules:           rules,
		Scopes: []policies.Scope{
			{Account: acctA, Region: "us-east-1",
				Pools: []policies.PoolSummary{
					{ID: poolA, Name: "prod-customers", Complete: true, Users: policies.UserCounts{Total: 1234567, Can: 1234480, Cannot: 79, MayNot: 8}},
					{ID: poolB, Name: "staff", Complete: false, Users: policies.UserCounts{Total: 40, Can: 38, Cannot: 2}},
				},
				Problems: []policies.SourceProblem{
					{Where: "email us-east-1 identity mail.example.com", Status: "denied", Action: "ses:GetEmailIdentity", Error: "AccessDenied"},
					{Where: "pool " + poolB + " users", Status: "denied", Action: "cognito-idp:ListUsers",
						Error: "User: arn:aws:sts::111111111111:assumed-role/Auditor/jane.doe@example.com is not authorized to perform: cognito-idp:ListUsers"},
				}},
			{Account: acctB, Region: "eu-west-1",
				Pools: []policies.PoolSummary{
					{ID: poolC, Name: "partners", Complete: true, Users: policies.UserCounts{Total: 5, Can: 1, Cannot: 1, MayNot: 3}},
				}},
			{Account: acctB, Region: "eu-west-2"},
		},
		Findings: fs,
	}
}

// fixtureIdentities lists every username and sub of the report's findings.
func fixtureIdentities(r *policies.Report) []string {
	set := map[string]bool{}
	for _, f := range r.Findings {
		if f.Resource.Username != "" {
			set[f.Resource.Username] = true
		}
		if f.Resource.Sub != "" {
			set[f.Resource.Sub] = true
		}
	}
	return sortedKeys(set)
}
