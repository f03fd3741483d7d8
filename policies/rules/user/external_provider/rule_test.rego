package recoverscan.rules.user.external_provider_test

import data.recoverscan.lib.fixtures
import data.recoverscan.rules.user.external_provider as rule

test_fails_for_federated_users if {
	r := rule.report with input as fixtures.user_input({"user": {"status": "EXTERNAL_PROVIDER"}})
	r == {{
		"verdict": "fail",
		"message": "The user signs in through an external identity provider, which holds the password, so ForgotPassword is refused (\"User password cannot be reset in the current state.\").",
		"evidence": {"status": "EXTERNAL_PROVIDER"},
	}}
}

test_passes_for_native_users if {
	count(rule.report) == 0 with input as fixtures.user_input({})
}

# The user's status is always read.
test_not_misled_by_unread_sources if {
	count(rule.report) == 0 with input as fixtures.user_input({"pool": {"read": fixtures.denied("cognito-idp:DescribeUserPool")}})
	r := rule.report with input as fixtures.user_input({
		"pool": {"read": fixtures.denied("cognito-idp:DescribeUserPool")},
		"user": {"status": "EXTERNAL_PROVIDER"},
	})
	count(r) == 1
}
