package recoverscan.rules.pool.custom_message_trigger_test

import data.recoverscan.lib.fixtures
import data.recoverscan.rules.pool.custom_message_trigger as rule

trigger := {"pool": {"triggers": {"custom_message": "arn:aws:lambda:us-east-1:111122223333:function:messages"}}}

test_fails_with_trigger if {
	r := rule.report with input as fixtures.channel_input(trigger)
	{f.verdict | some f in r} == {"fail"}
	some f in r
	not contains(f.message, "InvalidLambdaResponseException")
	f.evidence.email_message_allowed
}

test_notes_cognito_default_email if {
	r := rule.report with input as fixtures.channel_input(object.union(trigger, {"pool": {"email": {"sending_account": "COGNITO_DEFAULT"}}}))
	some f in r
	contains(f.message, "InvalidLambdaResponseException")
}

test_passes if {
	count(rule.report) == 0 with input as fixtures.channel_input({})
	count(rule.report) == 0 with input as fixtures.channel_input(object.union(trigger, fixtures.mechanisms(["admin_only"])))
}

test_indeterminate_when_pool_unread if {
	r := rule.report with input as fixtures.channel_input({"pool": {"read": fixtures.denied("cognito-idp:DescribeUserPool")}})
	{f.verdict | some f in r} == {"indeterminate"}
}
