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

test_counts_a_confirmed_user_without_a_verified_contact if {
	inp := fixtures.user_input({"user": {"email": {"verified": false}, "phone": object.union(fixtures.phone, {"verified": false})}})
	rule.aggregate.confirmed_without_verified_contact with input as inp
}

test_does_not_count_a_user_with_a_verified_contact if {
	not rule.aggregate.confirmed_without_verified_contact with input as fixtures.user_input({})
	phone_only := fixtures.user_input({"user": {"email": fixtures.no_email, "phone": fixtures.phone}})
	not rule.aggregate.confirmed_without_verified_contact with input as phone_only
}

test_does_not_count_a_user_who_is_not_confirmed if {
	inp := fixtures.user_input({"user": {"status": "UNCONFIRMED", "email": fixtures.no_email}})
	not rule.aggregate.confirmed_without_verified_contact with input as inp
}
