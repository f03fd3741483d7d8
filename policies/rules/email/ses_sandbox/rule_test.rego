package recoverscan.rules.email.ses_sandbox_test

import data.recoverscan.lib.fixtures
import data.recoverscan.rules.email.ses_sandbox as rule

sandbox := {"email": {"account": {"production_access_enabled": false}}}

test_fails_in_sandbox if {
	r := rule.report with input as fixtures.channel_input(sandbox)
	some finding in r
	finding.verdict == "fail"
	finding.evidence.ses_region == "us-east-1"
}

test_passes_in_production if {
	count(rule.report) == 0 with input as fixtures.channel_input({})
}

test_passes_for_cognito_default_or_a_custom_sender if {
	count(rule.report) == 0 with input as fixtures.channel_input(object.union(sandbox, {"pool": {"email": {"sending_account": "COGNITO_DEFAULT"}}}))
	count(rule.report) == 0 with input as fixtures.channel_input(object.union(sandbox, {"pool": {"triggers": {"custom_email_sender": "arn:aws:lambda:us-east-1:111122223333:function:mail"}}}))
}

test_indeterminate_when_unread if {
	src := fixtures.denied("ses:GetAccount")
	r := rule.report with input as fixtures.channel_input({"email": {"account": {"read": src}}})
	r == {{
		"verdict": "indeterminate",
		"message": "The SES account status of the pool's SES region was not read, so it is unknown whether the account is in the SES sandbox.",
		"evidence": {"source": src},
	}}
}
