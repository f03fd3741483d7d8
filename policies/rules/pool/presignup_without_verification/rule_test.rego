package recoverscan.rules.pool.presignup_without_verification_test

import data.recoverscan.lib.fixtures
import data.recoverscan.rules.pool.presignup_without_verification as rule

trigger := {"pool": {"triggers": {"pre_sign_up": "arn:aws:lambda:us-east-1:111122223333:function:presignup"}}}

test_fails_with_trigger_and_unverified_confirmed_users if {
	inp := fixtures.pool_input(object.union(trigger, {"users": {"confirmed_without_verified_contact": 3}}))
	some r in rule.report with input as inp
	r.verdict == "fail"
	r.evidence.confirmed_without_verified_contact == 3
}

test_passes_when_every_confirmed_user_has_a_verified_contact if {
	inp := fixtures.pool_input(trigger)
	count(rule.report) == 0 with input as inp
}

test_passes_without_trigger if {
	inp := fixtures.pool_input({"users": {"confirmed_without_verified_contact": 3}})
	count(rule.report) == 0 with input as inp
}

test_indeterminate_when_users_were_not_all_listed if {
	inp := fixtures.pool_input(object.union(trigger, {"users": {"read": fixtures.denied("cognito-idp:ListUsers")}}))
	some r in rule.report with input as inp
	r.verdict == "indeterminate"
	r.evidence.source.action == "cognito-idp:ListUsers"
}
