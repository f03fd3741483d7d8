package recoverscan.rules.user.unconfirmed_test

import data.recoverscan.lib.fixtures
import data.recoverscan.rules.user.unconfirmed as rule

test_fails_for_unconfirmed if {
	r := rule.report with input as fixtures.user_input({"user": {"status": "UNCONFIRMED", "email": {"verified": false}}})
	some finding in r
	finding.verdict == "fail"
	finding.evidence.recovery_channel_after_status_fixed == "none"
}

test_passes_for_confirmed if {
	count(rule.report) == 0 with input as fixtures.user_input({})
}

# The user's status is always read.
test_not_misled_by_unread_sources if {
	r := rule.report with input as fixtures.user_input({
		"pool": {"read": fixtures.denied("cognito-idp:DescribeUserPool")},
		"user": {"status": "UNCONFIRMED", "mfa": {"read": fixtures.denied("cognito-idp:AdminGetUser")}},
	})
	{f.verdict | some f in r} == {"fail"}
	count(rule.report) == 0 with input as fixtures.user_input({"pool": {"read": fixtures.denied("cognito-idp:DescribeUserPool")}})
}
