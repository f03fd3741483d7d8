package recoverscan.rules.pool.admin_only_recovery_test

import data.recoverscan.lib.fixtures
import data.recoverscan.rules.pool.admin_only_recovery as rule

test_fails_for_admin_only if {
	r := rule.report with input as fixtures.pool_input(fixtures.mechanisms(["admin_only"]))
	some finding in r
	finding.verdict == "fail"
	finding.evidence.mechanisms == [{"name": "admin_only", "priority": 1}]
}

test_passes_for_self_service if {
	count(rule.report) == 0 with input as fixtures.pool_input({})
	count(rule.report) == 0 with input as fixtures.pool_input(fixtures.legacy_recovery)
}

test_indeterminate_when_pool_unread if {
	src := fixtures.denied("cognito-idp:DescribeUserPool")
	r := rule.report with input as fixtures.pool_input({"pool": {"read": src}})
	r == {{"verdict": "indeterminate", "message": "The pool's settings were not read, so its recovery setting is unknown.", "evidence": {"source": src}}}
}
