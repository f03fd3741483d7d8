package recoverscan.rules.user.force_change_password_test

import data.recoverscan.lib.fixtures
import data.recoverscan.rules.user.force_change_password as rule

fcp(patch) := fixtures.user_input(object.union({"user": {"status": "FORCE_CHANGE_PASSWORD"}}, patch))

test_fails_for_force_change_password if {
	# Fixture user last changed 2026-10-01, snapshot 2026-11-01: 31 days > 7.
	r := rule.report with input as fcp({})
	some finding in r
	finding.verdict == "fail"
	contains(finding.message, "User password cannot be reset in the current state.")
	contains(finding.message, "probably expired (last change 31 days ago, validity 7 days)")
	finding.evidence.temporary_password_probably_expired
	finding.evidence.recovery_channel_after_status_fixed == "email"
}

test_fresh_temporary_password if {
	r := rule.report with input as fcp({"user": {"last_modified_at": "2026-10-30T09:00:00Z"}})
	some finding in r
	not contains(finding.message, "expired")
	not finding.evidence.temporary_password_probably_expired
}

test_zero_time_does_not_break_evaluation if {
	r := rule.report with input as fcp({"user": {"last_modified_at": "0001-01-01T00:00:00Z"}})
	some finding in r
	not finding.evidence.temporary_password_probably_expired
}

test_passes_for_confirmed_users if {
	count(rule.report) == 0 with input as fixtures.user_input({})
}

# The user's status is always read; without the pool's settings the expiry
# is simply not estimated.
test_not_misled_by_unread_pool if {
	r := rule.report with input as fcp({"pool": {"read": fixtures.denied("cognito-idp:DescribeUserPool")}})
	some finding in r
	finding.verdict == "fail"
	not finding.evidence.temporary_password_probably_expired
	finding.evidence.recovery_channel_after_status_fixed == "unknown"
}
