package recoverscan.rules.pool.sms_configuration_failure_test

import data.recoverscan.lib.fixtures
import data.recoverscan.rules.pool.sms_configuration_failure as rule

failing(value) := fixtures.channel_input({"pool": {"sms_configuration_failure": value}})

effects(r) := {object.get(f, "effect", "declared") | some f in r}

test_blocks_for_role_failure if {
	r := rule.report with input as failing("InvalidSmsRoleAccessPolicyException")
	count(r) == 1
	some finding in r
	finding.verdict == "fail"
	finding.message == "Cognito reports SmsConfigurationFailure \"InvalidSmsRoleAccessPolicyException\" for the pool: the SMS role may not publish, so every text message fails with InvalidSmsRoleAccessPolicyException."

	# The declared effect, blocks.
	not "effect" in object.keys(finding)
}

test_role_failure_outweighs_the_sandbox if {
	effects(rule.report) == {"declared"} with input as failing("SNSSandbox,InvalidSmsRoleAccessPolicyException")
}

test_sandbox_is_a_risk if {
	# Each number is judged by RC-USER-013: verified destinations still receive.
	r := rule.report with input as failing("SNSSandbox")
	count(r) == 1
	effects(r) == {"none"}
	some finding in r
	finding.verdict == "fail"
	contains(finding.message, "SMS sandbox")
}

test_unknown_value_endangers if {
	r := rule.report with input as failing("SomethingNew")
	effects(r) == {"endangers"}
	{f.verdict | some f in r} == {"fail"}
}

test_passes_without_failure_or_sms_recovery if {
	count(rule.report) == 0 with input as fixtures.channel_input({})
	count(rule.report) == 0 with input as object.union(failing("SNSSandbox"), fixtures.mechanisms(["verified_email"]))
	count(rule.report) == 0 with input as object.union(
		failing("InvalidSmsRoleAccessPolicyException"),
		{"pool": {"triggers": {"custom_sms_sender": "arn:aws:lambda:us-east-1:111122223333:function:sms"}}},
	)
}

test_indeterminate_when_pool_unread if {
	src := fixtures.denied("cognito-idp:DescribeUserPool")
	r := rule.report with input as fixtures.channel_input({"pool": {"read": src}})
	{f.verdict | some f in r} == {"indeterminate"}
	{f.evidence.source | some f in r} == {src}
}
