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
	finding.evidence == {"phone_masked": "+*******0100", "sms_region": "us-east-1", "sms_regions": ["us-east-1"]}
	contains(finding.message, "in the pool's SMS region")
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

# A pool without SnsRegion in us-east-2, which may also send through the
# legacy alternate region us-east-1 (input.sms_alternate), healthy in both.
legacy := {
	"pool": {"region": "us-east-2", "sms": {"region": "us-east-2", "alternate_region": "us-east-1"}},
	"sms": {"region": "us-east-2"},
	"sms_alternate": fixtures.sms,
}

test_fails_when_opted_out_in_both_regions if {
	r := rule.report with input as fixtures.user_input(object.union_n([legacy, opted_out, {"user": {"phone": {"alternate_opted_out": true}}}]))
	count(r) == 1
	some f in r
	f.verdict == "fail"
	f.evidence.sms_regions == ["us-east-1", "us-east-2"]
	contains(f.message, "in both SNS regions Cognito may send the pool's texts through (us-east-2 and us-east-1)")
}

test_indeterminate_when_opted_out_in_one_region if {
	# Only in the alternate region: the same.
	r2 := rule.report with input as fixtures.user_input(object.union_n([legacy, sms_user, {"user": {"phone": {"alternate_opted_out": true}}}]))
	{x.verdict | some x in r2} == {"indeterminate"}

	r := rule.report with input as fixtures.user_input(object.union(legacy, opted_out))
	{f.verdict | some f in r} == {"indeterminate"}
	{f.evidence.source.action | some f in r} == {"cognito-idp:DescribeUserPool"}
	some f in r
	contains(f.evidence.source.error, "which of us-east-2 and us-east-1")
}

test_passes_when_opted_out_in_neither_region if {
	count(rule.report) == 0 with input as fixtures.user_input(object.union(legacy, sms_user))
}

test_indeterminate_when_the_alternate_list_is_unread if {
	src := fixtures.denied("sns:ListPhoneNumbersOptedOut")
	r := rule.report with input as fixtures.user_input(object.union_n([legacy, sms_user, {"sms_alternate": {"opt_outs": {"read": src}}}]))
	{f.verdict | some f in r} == {"indeterminate"}
	{f.evidence.source | some f in r} == {src}
}
