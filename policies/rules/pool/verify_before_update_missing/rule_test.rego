package recoverscan.rules.pool.verify_before_update_missing_test

import data.recoverscan.lib.fixtures
import data.recoverscan.rules.pool.verify_before_update_missing as rule

test_fails_for_missing_attribute if {
	r := rule.report with input as fixtures.pool_input({"pool": {"verify_before_update": ["email"]}})
	some f in r
	f.verdict == "fail"
	f.evidence.not_verified_before_update == ["phone_number"]
}

test_fails_when_empty if {
	r := rule.report with input as fixtures.pool_input({"pool": {"verify_before_update": []}})
	some f in r
	f.evidence.not_verified_before_update == ["email", "phone_number"]
}

test_passes if {
	count(rule.report) == 0 with input as fixtures.pool_input({})
	count(rule.report) == 0 with input as fixtures.pool_input(object.union(fixtures.mechanisms(["verified_email"]), {"pool": {"verify_before_update": ["email"]}}))
	count(rule.report) == 0 with input as fixtures.pool_input(object.union(fixtures.mechanisms(["admin_only"]), {"pool": {"verify_before_update": []}}))
}

test_indeterminate_when_pool_unread if {
	src := fixtures.denied("cognito-idp:DescribeUserPool")
	r := rule.report with input as fixtures.pool_input({"pool": {"read": src, "verify_before_update": []}})
	{f.verdict | some f in r} == {"indeterminate"}
}
