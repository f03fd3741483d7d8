package recoverscan.rules.user.email_suppressed_test

import data.recoverscan.lib.fixtures
import data.recoverscan.rules.user.email_suppressed as rule

suppressed := {"user": {"email": {"suppressed": true, "suppression_reason": "BOUNCE"}}}

test_fails_when_suppressed if {
	r := rule.report with input as fixtures.user_input(suppressed)
	r == {{
		"verdict": "fail",
		"message": "The user's email address is on the SES account-level suppression list (reason BOUNCE), so SES accepts the recovery email and silently drops it.",
		"evidence": {"email_masked": "u***@e***.com", "suppression_reason": "BOUNCE", "ses_region": "us-east-1"},
	}}
}

test_passes_when_not_suppressed if {
	count(rule.report) == 0 with input as fixtures.user_input({})
}

test_only_for_the_chosen_channel if {
	# Phone first: the code goes by SMS, the suppressed address is not used.
	count(rule.report) == 0 with input as fixtures.user_input(object.union_n([
		suppressed,
		fixtures.mechanisms(["verified_phone_number", "verified_email"]),
		{"user": {"phone": fixtures.phone}},
	]))
}

test_only_for_users_whose_status_allows_a_reset if {
	count(rule.report) == 0 with input as fixtures.user_input(object.union(suppressed, {"user": {"status": "UNCONFIRMED"}}))
}

test_not_with_cognito_default_or_custom_sender if {
	count(rule.report) == 0 with input as fixtures.user_input(object.union_n([
		suppressed,
		{"pool": {"email": {"sending_account": "COGNITO_DEFAULT", "source_arn": "", "identity": ""}}},
		{"email": fixtures.email_not_applicable},
	]))
	count(rule.report) == 0 with input as fixtures.user_input(object.union(
		suppressed,
		{"pool": {"triggers": {"custom_email_sender": "arn:aws:lambda:us-east-1:111122223333:function:sender"}}},
	))
}

test_indeterminate_when_list_unread if {
	src := fixtures.denied("ses:ListSuppressedDestinations")
	r := rule.report with input as fixtures.user_input({"email": {"suppression": {"read": src}}})
	r == {{
		"verdict": "indeterminate",
		"message": "The SES suppression list of the pool's SES region was not read, so it is unknown whether the recovery email would be dropped.",
		"evidence": {"source": src},
	}}
}

test_indeterminate_when_mfa_decides_the_channel if {
	r := rule.report with input as fixtures.user_input(object.union_n([
		suppressed,
		{"user": {"phone": fixtures.phone, "mfa": {"read": {"status": "skipped", "action": "cognito-idp:AdminGetUser"}}}},
	]))
	some finding in r
	finding.verdict == "indeterminate"
	startswith(finding.message, "Whether Cognito sends this user's code by email depends on MFA state")
}
