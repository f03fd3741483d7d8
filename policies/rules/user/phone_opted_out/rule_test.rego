package recoverscan.rules.user.phone_opted_out_test

import data.recoverscan.lib.fixtures
import data.recoverscan.rules.user.phone_opted_out as rule

sms_user := object.union(
	fixtures.mechanisms(["verified_phone_number", "verified_email"]),
	{"user": {"phone": fixtures.phone}},
)

opted_out := object.union(sms_user, {"user": {"phone": {"opted_out": true}}})

test_fails_when_opted_out if {
	r := rule.report with input as fixtures.user_input(opted_out)
	some finding in r
	finding.verdict == "fail"
	finding.evidence == {"phone_masked": "+*******0100", "sms_region": "us-east-1"}
	not contains(finding.message, "+")
}

test_passes_when_not_opted_out if {
	count(rule.report) == 0 with input as fixtures.user_input(sms_user)
}

test_only_for_the_chosen_channel if {
	count(rule.report) == 0 with input as fixtures.user_input(object.union({"user": {"phone": fixtures.phone}}, {"user": {"phone": {"opted_out": true}}}))
}

test_not_with_a_custom_sms_sender if {
	count(rule.report) == 0 with input as fixtures.user_input(object.union(
		opted_out,
		{"pool": {"triggers": {"custom_sms_sender": "arn:aws:lambda:us-east-1:111122223333:function:sms"}}},
	))
}

test_indeterminate_when_list_unread if {
	src := fixtures.denied("sns:ListPhoneNumbersOptedOut")
	r := rule.report with input as fixtures.user_input(object.union(sms_user, {"sms": {"opt_outs": {"read": src}}}))
	{f.verdict | some f in r} == {"indeterminate"}
	{f.evidence.source | some f in r} == {src}
}

test_unread_list_does_not_matter_for_email_users if {
	count(rule.report) == 0 with input as fixtures.user_input({"sms": {"opt_outs": {"read": fixtures.denied("sns:ListPhoneNumbersOptedOut")}}})
}
