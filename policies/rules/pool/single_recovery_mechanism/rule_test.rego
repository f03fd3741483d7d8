package recoverscan.rules.pool.single_recovery_mechanism_test

import data.recoverscan.lib.fixtures
import data.recoverscan.rules.pool.single_recovery_mechanism as rule

test_fails_for_email_only if {
	r := rule.report with input as fixtures.pool_input(fixtures.mechanisms(["verified_email"]))
	some finding in r
	finding.verdict == "fail"
	contains(finding.message, "allows email only")
}

test_fails_for_phone_only if {
	r := rule.report with input as fixtures.pool_input(fixtures.mechanisms(["verified_phone_number"]))
	some finding in r
	contains(finding.message, "allows SMS only")
}

test_passes_with_two_mechanisms_legacy_or_admin_only if {
	count(rule.report) == 0 with input as fixtures.pool_input({})
	count(rule.report) == 0 with input as fixtures.pool_input(fixtures.legacy_recovery)
	count(rule.report) == 0 with input as fixtures.pool_input(fixtures.mechanisms(["admin_only"]))
}

test_indeterminate_when_pool_unread if {
	r := rule.report with input as fixtures.pool_input({"pool": {"read": fixtures.denied("cognito-idp:DescribeUserPool")}})
	{f.verdict | some f in r} == {"indeterminate"}
}
