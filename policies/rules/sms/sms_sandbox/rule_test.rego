package recoverscan.rules.sms.sms_sandbox_test

import data.recoverscan.lib.fixtures
import data.recoverscan.rules.sms.sms_sandbox as rule

sandbox := {"sms": {"sandbox": {"in_sandbox": true, "verified_destination_count": 1}}}

test_fails_in_sandbox if {
	r := rule.report with input as fixtures.channel_input(sandbox)
	count(r) == 1
	some finding in r
	finding.verdict == "fail"
	finding.evidence == {"sms_region": "us-east-1", "in_sandbox": true, "verified_destination_count": 1}

	# Each number is judged by RC-USER-013: no effect on the users' verdicts here.
	not "effect" in object.keys(finding)
}

test_fails_in_the_region_it_is_given if {
	# The engine evaluates SMS channel rules again with a legacy alternate
	# region's state as input.sms.
	r := rule.report with input as fixtures.channel_input(object.union(sandbox, {"sms": {"region": "eu-west-1"}}))
	{f.evidence.sms_region | some f in r} == {"eu-west-1"}
}

test_passes_out_of_sandbox if {
	count(rule.report) == 0 with input as fixtures.channel_input({})
}

test_passes_with_custom_sms_sender if {
	count(rule.report) == 0 with input as fixtures.channel_input(object.union(
		sandbox,
		{"pool": {"triggers": {"custom_sms_sender": "arn:aws:lambda:us-east-1:111122223333:function:sms"}}},
	))
}

test_passes_without_sms_configuration if {
	count(rule.report) == 0 with input as fixtures.channel_input(object.union(sandbox, {"pool": {"sms": {"configured": false, "sns_caller_arn": ""}}}))
}

test_indeterminate_when_unread if {
	src := fixtures.denied("sns:GetSMSSandboxAccountStatus")
	r := rule.report with input as fixtures.channel_input({"sms": {"sandbox": {"read": src}}})
	r == {{
		"verdict": "indeterminate",
		"message": "The SMS sandbox status of the pool's SMS region was not read, so it is unknown whether recovery texts reach users.",
		"evidence": {"source": src},
	}}
}
