package recoverscan.rules.pool.email_configuration_failure_test

import data.recoverscan.lib.fixtures
import data.recoverscan.rules.pool.email_configuration_failure as rule

failing := {"pool": {"email_configuration_failure": "InvalidEmailRoleAccessPolicyException"}}

test_fails if {
	r := rule.report with input as fixtures.channel_input(failing)
	{f.verdict | some f in r} == {"fail"}
	some f in r
	not contains(f.message, "InvalidEmailRoleAccessPolicyException")

	# A weak, deprecated signal: no effect on any user's verdict.
	not "effect" in object.keys(f)
}

test_passes if {
	count(rule.report) == 0 with input as fixtures.channel_input({})
	count(rule.report) == 0 with input as fixtures.channel_input(object.union(failing, {"pool": {"triggers": {"custom_email_sender": "arn:aws:lambda:us-east-1:111122223333:function:mail"}}}))
}

test_indeterminate_when_pool_unread if {
	r := rule.report with input as fixtures.channel_input({"pool": {"read": fixtures.denied("cognito-idp:DescribeUserPool")}})
	{f.verdict | some f in r} == {"indeterminate"}
}
