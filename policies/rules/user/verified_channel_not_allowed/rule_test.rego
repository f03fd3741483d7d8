package recoverscan.rules.user.verified_channel_not_allowed_test

import data.recoverscan.lib.fixtures
import data.recoverscan.rules.user.verified_channel_not_allowed as rule

phone_only_user := {"user": {"email": fixtures.no_email, "phone": fixtures.phone}}

test_fails_when_only_the_phone_is_verified_and_recovery_is_email_only if {
	r := rule.report with input as fixtures.user_input(object.union(
		fixtures.mechanisms(["verified_email"]),
		phone_only_user,
	))
	some finding in r
	finding.verdict == "fail"
	finding.message == concat("", [
		"The user's verified phone number is not a channel the pool's AccountRecoverySetting allows (email), ",
		"so ForgotPassword sends no code and fails with InvalidParameterException.",
	])
	finding.evidence.verified == ["sms"]
	finding.evidence.recovery_order == ["email"]
}

test_fails_when_only_the_email_is_verified_and_recovery_is_phone_only if {
	r := rule.report with input as fixtures.user_input(fixtures.mechanisms(["verified_phone_number"]))
	{f.verdict | some f in r} == {"fail"}
}

test_fails_for_admin_only_pools if {
	r := rule.report with input as fixtures.user_input(fixtures.mechanisms(["admin_only"]))
	count(r) == 1
	some finding in r
	finding.verdict == "fail"
	contains(finding.message, "admin_only")
	finding.evidence.admin_only
}

test_passes_when_a_verified_channel_is_allowed if {
	count(rule.report) == 0 with input as fixtures.user_input({})
	count(rule.report) == 0 with input as fixtures.user_input(phone_only_user)
	count(rule.report) == 0 with input as fixtures.user_input(fixtures.legacy_recovery)
}

test_leaves_users_without_verified_contact_to_rc_user_001 if {
	count(rule.report) == 0 with input as fixtures.user_input(object.union(
		fixtures.mechanisms(["admin_only"]),
		{"user": {"email": {"verified": false}}},
	))
}

test_leaves_other_statuses_to_status_rules if {
	count(rule.report) == 0 with input as fixtures.user_input(object.union(
		fixtures.mechanisms(["admin_only"]),
		{"user": {"status": "FORCE_CHANGE_PASSWORD"}},
	))
}

test_indeterminate_when_pool_unread if {
	src := fixtures.denied("cognito-idp:DescribeUserPool")
	r := rule.report with input as fixtures.user_input({"pool": {"read": src}})
	r == {{
		"verdict": "indeterminate",
		"message": "The pool's settings were not read, so it is unknown whether its recovery setting allows the user's verified contact.",
		"evidence": {"source": src},
	}}
}
