package recoverscan.rules.email.cognito_default_suppression_test

import data.recoverscan.lib.fixtures
import data.recoverscan.rules.email.cognito_default_suppression as rule

default_sender := {
	"pool": {"email": {"sending_account": "COGNITO_DEFAULT", "source_arn": "", "ses_region": "", "identity": ""}},
	"email": fixtures.email_not_applicable,
}

test_fails_for_cognito_default if {
	{f.verdict | some f in rule.report} == {"fail"} with input as fixtures.pool_input(default_sender)
}

test_passes if {
	count(rule.report) == 0 with input as fixtures.pool_input({})

	# Nobody routed to email.
	count(rule.report) == 0 with input as fixtures.pool_input(object.union_n([
		default_sender,
		fixtures.mechanisms(["verified_phone_number"]),
		{"users": {"by_channel": {"email": 0, "sms": 120}}},
	]))
	count(rule.report) == 0 with input as fixtures.pool_input(object.union(default_sender, {"pool": {"triggers": {"custom_email_sender": "arn:aws:lambda:us-east-1:111122223333:function:mail"}}}))
}

test_indeterminate_when_pool_unread if {
	r := rule.report with input as fixtures.pool_input({"pool": {"read": fixtures.denied("cognito-idp:DescribeUserPool")}})
	{f.verdict | some f in r} == {"indeterminate"}
}
