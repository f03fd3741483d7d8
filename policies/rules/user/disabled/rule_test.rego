package recoverscan.rules.user.disabled_test

import data.recoverscan.lib.fixtures
import data.recoverscan.rules.user.disabled as rule

test_fails_for_disabled_users if {
	r := rule.report with input as fixtures.user_input({"user": {"enabled": false}})
	some finding in r
	finding.verdict == "fail"
	finding.evidence == {"enabled": false, "status": "CONFIRMED", "recovery_channel_after_status_fixed": "email"}
}

test_passes_for_enabled_users if {
	count(rule.report) == 0 with input as fixtures.user_input({})
}

# The enabled flag is always read.
test_not_misled_by_unread_sources if {
	unread := {"pool": {"read": fixtures.denied("cognito-idp:DescribeUserPool")}}
	count(rule.report) == 0 with input as fixtures.user_input(unread)
	r := rule.report with input as fixtures.user_input(object.union(unread, {"user": {"enabled": false}}))
	{f.verdict | some f in r} == {"fail"}
}
