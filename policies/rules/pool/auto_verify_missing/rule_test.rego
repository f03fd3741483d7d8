package recoverscan.rules.pool.auto_verify_missing_test

import data.recoverscan.lib.fixtures
import data.recoverscan.rules.pool.auto_verify_missing as rule

auto(attrs) := {"pool": {"auto_verified_attributes": attrs}}

test_fails_when_no_recovery_attribute_is_auto_verified if {
	r := rule.report with input as fixtures.pool_input(object.union(fixtures.mechanisms(["verified_phone_number"]), auto(["email"])))
	{f.verdict | some f in r} == {"fail"}
	count(rule.report) == 1 with input as fixtures.pool_input(auto([]))
	some f in r
	contains(f.message, "(phone_number)")
}

test_fails_for_email_only_recovery_with_both_auto_verified if {
	r := rule.report with input as fixtures.pool_input(object.union(fixtures.mechanisms(["verified_email"]), auto(["email", "phone_number"])))
	some f in r
	contains(f.message, "only the phone number verified")
}

test_passes_when_one_recovery_attribute_is_auto_verified if {
	count(rule.report) == 0 with input as fixtures.pool_input({})
	count(rule.report) == 0 with input as fixtures.pool_input(auto(["phone_number"]))
	count(rule.report) == 0 with input as fixtures.pool_input(object.union(fixtures.mechanisms(["verified_email"]), auto(["email"])))
}

test_passes_when_self_sign_up_is_off if {
	count(rule.report) == 0 with input as fixtures.pool_input(object.union(auto([]), {"pool": {"allow_admin_create_user_only": true}}))
}

test_passes_for_admin_only if {
	count(rule.report) == 0 with input as fixtures.pool_input(object.union(auto([]), fixtures.mechanisms(["admin_only"])))
}

test_indeterminate_when_pool_unread if {
	src := fixtures.denied("cognito-idp:DescribeUserPool")
	r := rule.report with input as fixtures.pool_input({"pool": {"read": src, "auto_verified_attributes": []}})
	{f.verdict | some f in r} == {"indeterminate"}
}
