package recoverscan.rules.pool.custom_sender_unverifiable_test

import data.recoverscan.lib.fixtures
import data.recoverscan.rules.pool.custom_sender_unverifiable as rule

sms_arn := "arn:aws:lambda:us-east-1:111122223333:function:sms"

mail_arn := "arn:aws:lambda:us-east-1:111122223333:function:mail"

sms_sender := {"pool": {"triggers": {"custom_sms_sender": sms_arn, "kms_key_set": true}}}

both := object.union(sms_sender, {"pool": {"triggers": {"custom_email_sender": mail_arn}}})

test_fails_for_a_sender_with_a_key if {
	r := rule.report with input as fixtures.channel_input(sms_sender)
	count(r) == 1
	some f in r
	f.verdict == "fail"
	f.evidence == {"channel": "sms", "trigger": "CustomSMSSender", "function_arn": sms_arn, "kms_key_set": true}
	contains(f.message, "by SMS")

	# The rule's declared effect (endangers) applies: never "can receive".
	not "effect" in object.keys(f)
}

test_one_finding_per_sender if {
	r := rule.report with input as fixtures.channel_input(both)
	count(r) == 2
	{f.evidence.channel | some f in r} == {"sms", "email"}
	{f.evidence.function_arn | some f in r} == {sms_arn, mail_arn}
}

test_passes if {
	# No custom sender: SNS and SES are judged by their own rules.
	count(rule.report) == 0 with input as fixtures.channel_input({})

	# Without a key the trigger cannot work at all: RC-POOL-012's finding.
	count(rule.report) == 0 with input as fixtures.channel_input(object.union(both, {"pool": {"triggers": {"kms_key_set": false}}}))
}

test_indeterminate_when_pool_unread if {
	src := fixtures.denied("cognito-idp:DescribeUserPool")
	r := rule.report with input as fixtures.channel_input(object.union(both, {"pool": {"read": src}}))
	{f.verdict | some f in r} == {"indeterminate"}
	{f.evidence.source | some f in r} == {src}
}
