package recoverscan.rules.pool.sms_configuration_failure_test

import data.recoverscan.lib.fixtures
import data.recoverscan.rules.pool.sms_configuration_failure as rule

test_fails_for_role_failure if {
	r := rule.report with input as fixtures.channel_input({"pool": {"sms_configuration_failure": "InvalidSmsRoleAccessPolicyException"}})
	some finding in r
	finding.verdict == "fail"
	finding.message == "Cognito reports SmsConfigurationFailure \"InvalidSmsRoleAccessPolicyException\" for the pool: the SMS role may not publish, so every text message fails with InvalidSmsRoleAccessPolicyException."
}

test_fails_for_sandbox if {
	r := rule.report with input as fixtures.channel_input({"pool": {"sms_configuration_failure": "SNSSandbox"}})
	some finding in r
	contains(finding.message, "SMS sandbox")
}

test_passes_without_failure_or_sms_recovery if {
	count(rule.report) == 0 with input as fixtures.channel_input({})
	count(rule.report) == 0 with input as fixtures.channel_input(object.union(
		{"pool": {"sms_configuration_failure": "SNSSandbox"}},
		fixtures.mechanisms(["verified_email"]),
	))
}

test_indeterminate_when_pool_unread if {
	r := rule.report with input as fixtures.channel_input({"pool": {"read": fixtures.denied("cognito-idp:DescribeUserPool")}})
	{f.verdict | some f in r} == {"indeterminate"}
}
