package recoverscan.rules.sms.default_sms_type_test

import data.recoverscan.lib.fixtures
import data.recoverscan.rules.sms.default_sms_type as rule

with_type(value) := fixtures.channel_input({"sms": {"attributes": {"default_sms_type": value}}})

test_fails_for_promotional_or_unset if {
	r := rule.report with input as with_type("Promotional")
	{f.verdict | some f in r} == {"fail"}
	r2 := rule.report with input as with_type("")
	some finding in r2
	contains(finding.message, "unset (Promotional)")
	finding.evidence == {"sms_region": "us-east-1", "default_sms_type": ""}

	# Lower reliability, not a certain loss: no effect on any user's verdict.
	not "effect" in object.keys(finding)
}

test_passes_for_transactional if {
	count(rule.report) == 0 with input as with_type("Transactional")
}

test_passes_when_sns_does_not_send if {
	# A CustomSMSSender sends the texts, or nothing does (RC-POOL-004).
	count(rule.report) == 0 with input as object.union(with_type("Promotional"), {"pool": {"triggers": {"custom_sms_sender": "arn:aws:lambda:us-east-1:111122223333:function:sms"}}})
	count(rule.report) == 0 with input as object.union(with_type("Promotional"), {"pool": {"sms": {"configured": false, "sns_caller_arn": ""}}})
}

test_indeterminate_when_unread if {
	src := fixtures.denied("sns:GetSMSAttributes")
	r := rule.report with input as fixtures.channel_input({"sms": {"attributes": {"read": src}}})
	{f.verdict | some f in r} == {"indeterminate"}
	{f.evidence.source | some f in r} == {src}
}
