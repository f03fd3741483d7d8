package recoverscan.rules.user.ses_sandbox_recipient_test

import data.recoverscan.lib.fixtures
import data.recoverscan.rules.user.ses_sandbox_recipient as rule

sandbox := {"email": {"account": {"production_access_enabled": false}}}

test_fails_in_ses_sandbox if {
	r := rule.report with input as fixtures.user_input(sandbox)
	some finding in r
	finding.verdict == "fail"
	finding.evidence.ses_region == "us-east-1"
	finding.evidence.recipient_verified == false
	not contains(finding.message, "u***")
}

test_passes_for_a_verified_recipient if {
	# The address, or its domain, is a verified identity of the SES region.
	count(rule.report) == 0 with input as fixtures.user_input(object.union(sandbox, {"user": {"email": {"recipient_verified": true}}}))
}

test_passes_in_production if {
	count(rule.report) == 0 with input as fixtures.user_input({})
}

test_only_for_email_users if {
	count(rule.report) == 0 with input as fixtures.user_input(object.union_n([
		sandbox,
		fixtures.mechanisms(["verified_phone_number", "verified_email"]),
		{"user": {"phone": fixtures.phone}},
	]))
}

test_not_with_cognito_default if {
	count(rule.report) == 0 with input as fixtures.user_input({
		"pool": {"email": {"sending_account": "COGNITO_DEFAULT", "source_arn": "", "identity": ""}},
		"email": fixtures.email_not_applicable,
	})
}

test_indeterminate_when_account_unread if {
	src := fixtures.denied("ses:GetAccount")
	r := rule.report with input as fixtures.user_input({"email": {"account": {"read": src}}})
	{f.verdict | some f in r} == {"indeterminate"}
	{f.evidence.source | some f in r} == {src}
}

test_indeterminate_when_verified_identities_unread if {
	src := fixtures.denied("ses:ListEmailIdentities")
	r := rule.report with input as fixtures.user_input(object.union(sandbox, {"email": {"verified_identities": {"read": src}}}))
	{f.verdict | some f in r} == {"indeterminate"}
	{f.evidence.source | some f in r} == {src}

	# Out of the sandbox the identities do not matter.
	count(rule.report) == 0 with input as fixtures.user_input({"email": {"verified_identities": {"read": src}}})
}
