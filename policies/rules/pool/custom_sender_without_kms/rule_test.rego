package recoverscan.rules.pool.custom_sender_without_kms_test

import data.recoverscan.lib.fixtures
import data.recoverscan.rules.pool.custom_sender_without_kms as rule

sms_arn := "arn:aws:lambda:us-east-1:111122223333:function:sms"

mail_arn := "arn:aws:lambda:us-east-1:111122223333:function:mail"

sms_sender := {"pool": {"triggers": {"custom_sms_sender": sms_arn, "kms_key_set": false}}}

both := object.union(sms_sender, {"pool": {"triggers": {"custom_email_sender": mail_arn}}})

test_fails_without_key if {
	r := rule.report with input as fixtures.channel_input(sms_sender)
	count(r) == 1
	some f in r
	f.verdict == "fail"
	f.evidence == {"channel": "sms", "trigger": "CustomSMSSender", "function_arn": sms_arn, "kms_key_set": false}
	contains(f.message, "cannot be delivered by SMS")

	# The rule's declared effect (blocks) applies.
	not "effect" in object.keys(f)
}

test_one_finding_per_sender if {
	r := rule.report with input as fixtures.channel_input(both)
	count(r) == 2
	{[f.evidence.channel, f.evidence.trigger] | some f in r} == {["sms", "CustomSMSSender"], ["email", "CustomEmailSender"]}
	{f.verdict | some f in r} == {"fail"}
}

test_email_sender_only if {
	r := rule.report with input as fixtures.channel_input({"pool": {"triggers": {"custom_email_sender": mail_arn}}})
	{f.evidence.channel | some f in r} == {"email"}
}

test_passes if {
	count(rule.report) == 0 with input as fixtures.channel_input({})
	count(rule.report) == 0 with input as fixtures.channel_input(object.union(both, {"pool": {"triggers": {"kms_key_set": true}}}))
}

test_indeterminate_when_pool_unread if {
	src := fixtures.denied("cognito-idp:DescribeUserPool")
	r := rule.report with input as fixtures.channel_input(object.union(both, {"pool": {"read": src}}))
	{f.verdict | some f in r} == {"indeterminate"}
	{f.evidence.source | some f in r} == {src}
}
