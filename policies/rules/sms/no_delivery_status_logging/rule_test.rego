package recoverscan.rules.sms.no_delivery_status_logging_test

import data.recoverscan.lib.fixtures
import data.recoverscan.rules.sms.no_delivery_status_logging as rule

logging_off := {"sms": {"attributes": {"delivery_status_iam_role_set": false}}}

test_fails if {
	r := rule.report with input as fixtures.channel_input(logging_off)
	{f.verdict | some f in r} == {"fail"}
	some f in r
	f.evidence == {"sms_region": "us-east-1", "delivery_status_iam_role_set": false}

	# Observability only: no effect on any user's verdict.
	not "effect" in object.keys(f)
}

test_passes if {
	count(rule.report) == 0 with input as fixtures.channel_input({})

	# SNS not used.
	count(rule.report) == 0 with input as fixtures.channel_input(object.union(logging_off, {"pool": {"triggers": {"custom_sms_sender": "arn:aws:lambda:us-east-1:111122223333:function:sms"}}}))
	count(rule.report) == 0 with input as fixtures.channel_input(object.union(logging_off, {"pool": {"sms": {"configured": false, "sns_caller_arn": ""}}}))
}

test_indeterminate_when_attributes_unread if {
	src := fixtures.denied("sns:GetSMSAttributes")
	r := rule.report with input as fixtures.channel_input({"sms": {"attributes": {"read": src}}})
	{f.verdict | some f in r} == {"indeterminate"}
	{f.evidence.source | some f in r} == {src}
}
