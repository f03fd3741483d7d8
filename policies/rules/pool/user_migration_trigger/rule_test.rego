package recoverscan.rules.pool.user_migration_trigger_test

import data.recoverscan.lib.fixtures
import data.recoverscan.rules.pool.user_migration_trigger as rule

trigger := {"pool": {"triggers": {"user_migration": "arn:aws:lambda:us-east-1:111122223333:function:migrate"}}}

test_fails_with_trigger if {
	{f.verdict | some f in rule.report} == {"fail"} with input as fixtures.pool_input(trigger)
}

test_passes if {
	count(rule.report) == 0 with input as fixtures.pool_input({})
	count(rule.report) == 0 with input as fixtures.pool_input(object.union(trigger, fixtures.mechanisms(["admin_only"])))
}

test_indeterminate_when_pool_unread if {
	r := rule.report with input as fixtures.pool_input({"pool": {"read": fixtures.denied("cognito-idp:DescribeUserPool")}})
	{f.verdict | some f in r} == {"indeterminate"}
}
