package recoverscan.rules.user.force_change_password_test

import data.recoverscan.lib.fixtures
import data.recoverscan.rules.user.force_change_password as rule

fcp(patch) := fixtures.user_input(object.union({"user": {"status": "FORCE_CHANGE_PASSWORD"}}, patch))

# Snapshot 2026-11-01T09:00Z; validity 7 days.
fresh := {"user": {"last_modified_at": "2026-10-30T09:00:00Z"}}

test_fails_while_the_temporary_password_may_be_valid if {
	r := rule.report with input as fcp(fresh)
	some finding in r
	finding.verdict == "fail"
	contains(finding.message, "User password cannot be reset in the current state.")
	finding.evidence.recovery_channel_after_status_fixed == "email"
}

test_fails_on_the_last_valid_instant if {
	count(rule.report) == 1 with input as fcp({"user": {"last_modified_at": "2026-10-25T09:00:00Z"}})
}

# Expired temporary passwords are RC-USER-019's: the two never both fail.
test_silent_once_expired if {
	count(rule.report) == 0 with input as fcp({})
	count(rule.report) == 0 with input as fcp({"user": {"last_modified_at": "2026-10-25T08:59:59Z"}})
}

test_zero_time_does_not_break_evaluation if {
	r := rule.report with input as fcp({"user": {"last_modified_at": "0001-01-01T00:00:00Z"}})
	{f.verdict | some f in r} == {"fail"}
}

test_passes_for_confirmed_users if {
	count(rule.report) == 0 with input as fixtures.user_input({})
}

# The user's status is always read; without the pool's settings the expiry
# is unknown, so this rule reports the user (RC-USER-019 is indeterminate).
test_not_misled_by_unread_pool if {
	r := rule.report with input as fcp({"pool": {"read": fixtures.denied("cognito-idp:DescribeUserPool")}})
	some finding in r
	finding.verdict == "fail"
	finding.evidence.recovery_channel_after_status_fixed == "unknown"
}

# The evidence holds no date: users who differ only in when they were last
# changed share one evaluation.
test_evidence_has_no_date if {
	r := rule.report with input as fcp({"user": {"last_modified_at": "2026-10-29T09:00:00Z"}})
	some f in r
	not "last_modified_at" in object.keys(f.evidence)
	f.evidence.temporary_password_validity_days == 7
}
