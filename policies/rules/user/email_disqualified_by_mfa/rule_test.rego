package recoverscan.rules.user.email_disqualified_by_mfa_test

import data.recoverscan.lib.fixtures
import data.recoverscan.rules.user.email_disqualified_by_mfa as rule

email_only := fixtures.mechanisms(["verified_email"])

email_mfa := {"user": {"mfa": {"methods": ["EMAIL_OTP"], "preferred": "EMAIL_OTP"}}}

unread_mfa := {"user": {"mfa": {"read": fixtures.denied("cognito-idp:AdminGetUser")}}}

test_fails_without_fallback if {
	r := rule.report with input as fixtures.user_input(object.union(email_only, email_mfa))
	some finding in r
	finding.verdict == "fail"
	contains(finding.message, "EMAIL_OTP")
}

test_fails_when_both_channels_are_disqualified if {
	r := rule.report with input as fixtures.user_input(object.union_n([
		{"user": {"phone": fixtures.phone}},
		{"user": {"mfa": {"methods": ["EMAIL_OTP", "SMS_MFA"]}}},
	]))
	{f.verdict | some f in r} == {"fail"}
}

test_passes_with_phone_fallback if {
	count(rule.report) == 0 with input as fixtures.user_input(object.union({"user": {"phone": fixtures.phone}}, email_mfa))
}

test_passes_without_email_mfa if {
	count(rule.report) == 0 with input as fixtures.user_input(email_only)
}

test_indeterminate_when_mfa_unread if {
	r := rule.report with input as fixtures.user_input(object.union(email_only, unread_mfa))
	some finding in r
	finding.verdict == "indeterminate"
	finding.evidence.source == fixtures.denied("cognito-idp:AdminGetUser")
}

test_unread_mfa_does_not_matter_when_pool_mfa_is_off if {
	count(rule.report) == 0 with input as fixtures.user_input(object.union_n([
		email_only, unread_mfa, {"pool": {"mfa": {"configuration": "OFF"}}},
	]))
}
