package recoverscan.rules.user.temporary_password_expired_test

import data.recoverscan.lib.fixtures
import data.recoverscan.rules.user.force_change_password as rc005
import data.recoverscan.rules.user.temporary_password_expired as rule

fcp(patch) := fixtures.user_input(object.union({"user": {"status": "FORCE_CHANGE_PASSWORD"}}, patch))

test_fails_when_expired if {
	# Last change 2026-10-01, snapshot 2026-11-01: 31 days > 7.
	r := rule.report with input as fcp({})
	count(r) == 1
	some finding in r
	finding.verdict == "fail"
	contains(finding.message, "expired (last change 31 days ago, validity 7 days)")
	finding.evidence.recovery_channel_after_status_fixed == "email"
}

test_boundary if {
	# Expires 2026-11-01T09:00:00Z exactly: not yet expired at the snapshot.
	count(rule.report) == 0 with input as fcp({"user": {"last_modified_at": "2026-10-25T09:00:00Z"}})
	{f.verdict | some f in rule.report} == {"fail"} with input as fcp({"user": {"last_modified_at": "2026-10-25T08:59:59Z"}})
}

test_longer_validity if {
	count(rule.report) == 0 with input as fcp({"pool": {"temporary_password_validity_days": 60}})
}

test_passes_for_other_statuses if {
	count(rule.report) == 0 with input as fixtures.user_input({})
}

test_indeterminate_when_pool_unread if {
	src := fixtures.denied("cognito-idp:DescribeUserPool")
	r := rule.report with input as fcp({"pool": {"read": src}})
	{f.verdict | some f in r} == {"indeterminate"}
	{f.evidence.source | some f in r} == {src}
}

test_indeterminate_when_modification_time_missing if {
	r := rule.report with input as fcp({"user": {"last_modified_at": "0001-01-01T00:00:00Z"}})
	{f.verdict | some f in r} == {"indeterminate"}
	{f.evidence.source.action | some f in r} == {"cognito-idp:ListUsers"}
}

# RC-USER-005 and RC-USER-019 never both fail.
test_mutually_exclusive_with_rc005 if {
	every ts in ["2026-10-01T09:00:00Z", "2026-10-25T08:59:59Z", "2026-10-25T09:00:00Z", "2026-10-31T09:00:00Z"] {
		inp := fcp({"user": {"last_modified_at": ts}})
		a := {f | some f in rule.report; f.verdict == "fail"} with input as inp
		b := {f | some f in rc005.report; f.verdict == "fail"} with input as inp
		count(a) + count(b) == 1
	}
}
