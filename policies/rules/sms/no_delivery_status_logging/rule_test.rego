package recoverscan.rules.sms.no_delivery_status_logging_test

import data.recoverscan.lib.fixtures
import data.recoverscan.rules.sms.no_delivery_status_logging as rule

sms_users := {"users": {"by_channel": {"sms": 5}}}

test_fails if {
	r := rule.report with input as fixtures.pool_input(object.union(sms_users, {"sms": {"attributes": {"delivery_status_iam_role_set": false}}}))
	{f.verdict | some f in r} == {"fail"}
}

test_passes if {
	count(rule.report) == 0 with input as fixtures.pool_input(sms_users)

	# Nobody routed to SMS.
	count(rule.report) == 0 with input as fixtures.pool_input({"sms": {"attributes": {"delivery_status_iam_role_set": false}}})

	# SNS not used.
	count(rule.report) == 0 with input as fixtures.pool_input(object.union(sms_users, {
		"sms": {"attributes": {"delivery_status_iam_role_set": false}},
		"pool": {"triggers": {"custom_sms_sender": "arn:aws:lambda:us-east-1:111122223333:function:sms"}},
	}))
}

test_indeterminate_when_attributes_unread if {
	src := fixtures.denied("sns:GetSMSAttributes")
	r := rule.report with input as fixtures.pool_input(object.union(sms_users, {"sms": {"attributes": {"read": src}}}))
	{f.verdict | some f in r} == {"indeterminate"}
	{f.evidence.source | some f in r} == {src}
}
