package recoverscan.rules.pool.legacy_recovery_test

import data.recoverscan.lib.fixtures
import data.recoverscan.rules.pool.legacy_recovery as rule

test_fails_without_setting if {
	r := rule.report with input as fixtures.pool_input(fixtures.legacy_recovery)
	{f.verdict | some f in r} == {"fail"}
}

test_passes_with_setting if {
	count(rule.report) == 0 with input as fixtures.pool_input({})
	count(rule.report) == 0 with input as fixtures.pool_input(fixtures.mechanisms(["admin_only"]))
}

test_indeterminate_when_pool_unread if {
	src := fixtures.denied("cognito-idp:DescribeUserPool")
	r := rule.report with input as fixtures.pool_input(object.union(fixtures.legacy_recovery, {"pool": {"read": src}}))
	{f.verdict | some f in r} == {"indeterminate"}
}
