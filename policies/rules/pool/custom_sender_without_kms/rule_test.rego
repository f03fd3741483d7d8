package recoverscan.rules.pool.custom_sender_without_kms_test

import data.recoverscan.lib.fixtures
import data.recoverscan.rules.pool.custom_sender_without_kms as rule

sms_sender := {"pool": {"triggers": {"custom_sms_sender": "arn:aws:lambda:us-east-1:111122223333:function:sms", "kms_key_set": false}}}

test_fails_without_key if {
	r := rule.report with input as fixtures.channel_input(sms_sender)
	r2 := rule.report with input as fixtures.channel_input(object.union(sms_sender, {"pool": {"triggers": {"custom_email_sender": "arn:aws:lambda:us-east-1:111122223333:function:mail"}}}))
	some f in r
	f.verdict == "fail"
	f.evidence.triggers == ["CustomSMSSender"]
	some g in r2
	g.evidence.triggers == ["CustomEmailSender", "CustomSMSSender"]
}

test_passes if {
	count(rule.report) == 0 with input as fixtures.channel_input({})
	count(rule.report) == 0 with input as fixtures.channel_input(object.union(sms_sender, {"pool": {"triggers": {"kms_key_set": true}}}))
}

test_indeterminate_when_pool_unread if {
	r := rule.report with input as fixtures.channel_input({"pool": {"read": fixtures.denied("cognito-idp:DescribeUserPool")}})
	{f.verdict | some f in r} == {"indeterminate"}
}
