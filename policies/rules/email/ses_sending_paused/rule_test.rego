package recoverscan.rules.email.ses_sending_paused_test

import data.recoverscan.lib.fixtures
import data.recoverscan.rules.email.ses_sending_paused as rule

test_fails_for_shutdown if {
	r := rule.report with input as fixtures.channel_input({"email": {"account": {"enforcement_status": "SHUTDOWN", "sending_enabled": false}}})
	count(r) == 1
	some finding in r
	finding.verdict == "fail"
	finding.message == "The account's SES sending is shut down by SES enforcement (SHUTDOWN). No recovery email leaves SES."

	# The declared effect, blocks.
	not "effect" in object.keys(finding)
}

test_fails_when_sending_disabled if {
	r := rule.report with input as fixtures.channel_input({"email": {"account": {"sending_enabled": false}}})
	{f.verdict | some f in r} == {"fail"}
}

test_passes_when_healthy if {
	count(rule.report) == 0 with input as fixtures.channel_input({})
}

test_probation_endangers if {
	r := rule.report with input as fixtures.channel_input({"email": {"account": {"enforcement_status": "PROBATION"}}})
	count(r) == 1
	some finding in r
	finding.verdict == "fail"
	finding.effect == "endangers"
	finding.evidence.enforcement_status == "PROBATION"
}

test_paused_under_probation_blocks if {
	r := rule.report with input as fixtures.channel_input({"email": {"account": {"enforcement_status": "PROBATION", "sending_enabled": false}}})
	count(r) == 1
	some finding in r
	not "effect" in object.keys(finding)
	contains(finding.message, "SendingEnabled is false")
}

test_passes_for_cognito_default if {
	count(rule.report) == 0 with input as fixtures.channel_input({
		"pool": {"email": {"sending_account": "COGNITO_DEFAULT"}},
		"email": {"account": {"enforcement_status": "SHUTDOWN"}},
	})
}

test_indeterminate_when_unread if {
	src := fixtures.denied("ses:GetAccount")
	r := rule.report with input as fixtures.channel_input({"email": {"account": {"read": src}}})
	{f.verdict | some f in r} == {"indeterminate"}
	{f.evidence.source | some f in r} == {src}
}
