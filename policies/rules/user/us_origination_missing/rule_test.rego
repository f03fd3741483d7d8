package recoverscan.rules.user.us_origination_missing_test

import data.recoverscan.lib.fixtures
import data.recoverscan.rules.user.us_origination_missing as rule

sms_user := object.union(
	fixtures.mechanisms(["verified_phone_number"]),
	{"user": {"email": fixtures.no_email, "phone": fixtures.phone}},
)

gb_only := {"sms": {"origination_numbers": {"numbers": [{"country": "GB", "status": "ACTIVE", "route_type": "Transactional", "sms": true}]}}}

test_fails_without_us_number if {
	r := rule.report with input as fixtures.user_input(object.union(sms_user, gb_only))
	some finding in r
	finding.verdict == "fail"
	finding.evidence.origination_countries == ["GB"]
}

test_passes_with_us_number if {
	count(rule.report) == 0 with input as fixtures.user_input(sms_user)
}

test_passes_for_other_countries if {
	count(rule.report) == 0 with input as fixtures.user_input(object.union_n([
		sms_user, gb_only,
		{"user": {"phone": {"calling_code": "44", "country": "GB", "masked": "+*******0957"}}},
	]))
}

test_only_for_sms_users if {
	count(rule.report) == 0 with input as fixtures.user_input(object.union({"user": {"phone": fixtures.phone}}, gb_only))
}

test_indeterminate_when_unread if {
	src := fixtures.denied("sns:ListOriginationNumbers")
	r := rule.report with input as fixtures.user_input(object.union(sms_user, {"sms": {"origination_numbers": {"read": src, "numbers": []}}}))
	{f.verdict | some f in r} == {"indeterminate"}
	{f.evidence.source | some f in r} == {src}
}

# A pool without SnsRegion in us-east-2, which may also send through the
# legacy alternate region us-east-1 (input.sms_alternate), healthy in both.
legacy := {
	"pool": {"region": "us-east-2", "sms": {"region": "us-east-2", "alternate_region": "us-east-1"}},
	"sms": {"region": "us-east-2"},
	"sms_alternate": fixtures.sms,
}

no_numbers := {"origination_numbers": {"numbers": []}}

test_fails_without_us_number_in_both_regions if {
	r := rule.report with input as fixtures.user_input(object.union_n([legacy, sms_user, {"sms": no_numbers, "sms_alternate": no_numbers}]))
	count(r) == 1
	some f in r
	f.verdict == "fail"
	f.evidence.sms_regions == ["us-east-1", "us-east-2"]
	contains(f.message, "in both SNS regions")
}

test_indeterminate_without_us_number_in_one_region if {
	r := rule.report with input as fixtures.user_input(object.union_n([legacy, sms_user, {"sms": no_numbers}]))
	{f.verdict | some f in r} == {"indeterminate"}
	{f.evidence.source.action | some f in r} == {"cognito-idp:DescribeUserPool"}
}

test_passes_with_an_end_user_messaging_number if {
	# A US number held by End User Messaging settles it as well.
	eums := {"eums": {"phone_numbers": {"numbers": [{"country": "US", "status": "ACTIVE", "route_type": "Transactional", "sms": true}]}}}
	count(rule.report) == 0 with input as fixtures.user_input(object.union_n([sms_user, {"sms": object.union(no_numbers, eums)}]))
	count(rule.report) == 0 with input as fixtures.user_input(object.union_n([legacy, sms_user, {"sms": object.union(no_numbers, eums)}]))
}

test_indeterminate_when_end_user_messaging_is_unread if {
	src := fixtures.denied("sms-voice:DescribePhoneNumbers")
	r := rule.report with input as fixtures.user_input(object.union(sms_user, {"sms": object.union(no_numbers, {"eums": {"phone_numbers": {"read": src}}})}))
	{f.verdict | some f in r} == {"indeterminate"}
	{f.evidence.source | some f in r} == {src}
}
