package recoverscan.rules.user.obsolete_status_test

import data.recoverscan.lib.fixtures
import data.recoverscan.rules.user.obsolete_status as rule

test_fails_for_obsolete_statuses if {
	every status in ["ARCHIVED", "COMPROMISED", "UNKNOWN", ""] {
		r := rule.report with input as fixtures.user_input({"user": {"status": status}})
		{f.verdict | some f in r} == {"fail"}
	}
}

test_passes_for_current_statuses if {
	every status in ["CONFIRMED", "RESET_REQUIRED", "FORCE_CHANGE_PASSWORD", "UNCONFIRMED", "EXTERNAL_PROVIDER"] {
		count(rule.report) == 0 with input as fixtures.user_input({"user": {"status": status}})
	}
}

# The user's status is always read.
test_not_misled_by_unread_sources if {
	count(rule.report) == 0 with input as fixtures.user_input({"pool": {"read": fixtures.denied("cognito-idp:DescribeUserPool")}})
}
