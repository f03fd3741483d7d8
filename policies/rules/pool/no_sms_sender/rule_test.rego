package recoverscan.rules.pool.no_sms_sender_test

import data.recoverscan.lib.fixtures
import data.recoverscan.rules.pool.no_sms_sender as rule

no_sms := {"pool": {"sms": {"configured": false, "sns_caller_arn": "", "external_id_set": false}}}

test_fails_when_sms_is_a_mechanism if {
	r := rule.report with input as fixtures.channel_input(no_sms)
	some finding in r
	finding.verdict == "fail"
	finding.evidence.recovery_order == ["email", "sms"]
}

test_fails_in_legacy_mode if {
	r := rule.report with input as fixtures.channel_input(object.union(no_sms, fixtures.legacy_recovery))
	some finding in r
	finding.evidence.legacy
}

test_passes_when_configured_or_email_only_or_custom_sender if {
	count(rule.report) == 0 with input as fixtures.channel_input({})
	count(rule.report) == 0 with input as fixtures.channel_input(object.union(no_sms, fixtures.mechanisms(["verified_email"])))
	count(rule.report) == 0 with input as fixtures.channel_input(object.union(
		no_sms,
		{"pool": {"triggers": {"custom_sms_sender": "arn:aws:lambda:us-east-1:111122223333:function:sms"}}},
	))
}

test_indeterminate_when_pool_unread if {
	r := rule.report with input as fixtures.channel_input(object.union(no_sms, {"pool": {"read": fixtures.denied("cognito-idp:DescribeUserPool")}}))
	{f.verdict | some f in r} == {"indeterminate"}
}
