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
