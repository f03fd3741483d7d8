package recoverscan.rules.sms.sms_sandbox_test

import data.recoverscan.lib.fixtures
import data.recoverscan.rules.sms.sms_sandbox as rule

sms_users := {"users": {"by_channel": {"email": 100, "sms": 20}}}

sandbox := {"sms": {"sandbox": {"in_sandbox": true, "verified_destination_count": 1}}}

test_fails_in_sandbox_with_sms_users if {
	r := rule.report with input as fixtures.pool_input(object.union(sms_users, sandbox))
	some finding in r
	finding.verdict == "fail"
	finding.evidence.users_routed_to_sms == 20
}

test_fails_when_channels_are_unknown if {
	r := rule.report with input as fixtures.pool_input(object.union({"users": {"by_channel": {"unknown": 3}}}, sandbox))
	{f.verdict | some f in r} == {"fail"}
}

test_passes_out_of_sandbox if {
	count(rule.report) == 0 with input as fixtures.pool_input(sms_users)
}

test_passes_when_nobody_uses_sms if {
	count(rule.report) == 0 with input as fixtures.pool_input(sandbox)
}

test_passes_with_custom_sms_sender if {
	count(rule.report) == 0 with input as fixtures.pool_input(object.union_n([
		sms_users, sandbox,
		{"pool": {"triggers": {"custom_sms_sender": "arn:aws:lambda:us-east-1:111122223333:function:sms"}}},
	]))
}

test_indeterminate_when_unread if {
	src := fixtures.denied("sns:GetSMSSandboxAccountStatus")
	r := rule.report with input as fixtures.pool_input(object.union(sms_users, {"sms": {"sandbox": {"read": src}}}))
	r == {{
		"verdict": "indeterminate",
		"message": "The SMS sandbox status of the pool's SMS region was not read, so it is unknown whether recovery texts reach users.",
		"evidence": {"source": src},
	}}
}
