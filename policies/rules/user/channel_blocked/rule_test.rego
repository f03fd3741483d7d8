package recoverscan.rules.user.channel_blocked_test

import data.recoverscan.lib.fixtures
import data.recoverscan.rules.user.channel_blocked as rule

sms_user := object.union(
	fixtures.mechanisms(["verified_phone_number", "verified_email"]),
	{"user": {"phone": fixtures.phone}},
)

no_sms := {"pool": {"sms": {"configured": false, "sns_caller_arn": "", "external_id_set": false}}}

test_fails_for_sms_without_sender if {
	r := rule.report with input as fixtures.user_input(object.union(sms_user, no_sms))
	some finding in r
	finding.verdict == "fail"
	finding.evidence.channel == "sms"
	finding.evidence.blocked_by == ["RC-POOL-004"]
	finding.message == "Cognito would send the recovery code by SMS, which cannot deliver anything for this pool (RC-POOL-004), and it does not fall back to another channel."
}

test_fails_for_email_from_unverified_identity_and_shut_down_ses if {
	r := rule.report with input as fixtures.user_input({"email": {
		"account": {"enforcement_status": "SHUTDOWN"},
		"identities": [object.union(fixtures.email.identities[0], {"verified_for_sending": false, "verification_status": "FAILED"})],
	}})
	some finding in r
	finding.verdict == "fail"
	finding.evidence.blocked_by == ["RC-EMAIL-003", "RC-EMAIL-005"]
	count(finding.evidence.reasons) == 2
}

test_no_fallback_to_the_working_channel if {
	# Email is broken; the user's phone would work, but Cognito picks email.
	r := rule.report with input as fixtures.user_input(object.union(
		{"user": {"phone": fixtures.phone}},
		{"email": {"account": {"sending_enabled": false}}},
	))
	{f.evidence.channel | some f in r} == {"email"}
}

test_passes_when_the_chosen_channel_works if {
	count(rule.report) == 0 with input as fixtures.user_input({})
	count(rule.report) == 0 with input as fixtures.user_input(no_sms)
}

test_passes_with_custom_sms_sender if {
	count(rule.report) == 0 with input as fixtures.user_input(object.union_n([
		sms_user, no_sms,
		{"pool": {"triggers": {"custom_sms_sender": "arn:aws:lambda:us-east-1:111122223333:function:sms"}}},
	]))
}

test_indeterminate_when_identity_unread if {
	src := fixtures.denied("ses:GetEmailIdentity")
	r := rule.report with input as fixtures.user_input({"email": {"identities": [object.union(fixtures.email.identities[0], {"read": src})]}})
	{f.verdict | some f in r} == {"indeterminate"}
	{f.evidence.source | some f in r} == {src}
}

test_indeterminate_when_mfa_decides_and_sms_is_blocked if {
	r := rule.report with input as fixtures.user_input(object.union_n([
		sms_user, no_sms,
		{"user": {"mfa": {"read": {"status": "skipped", "action": "cognito-idp:AdminGetUser"}}}},
	]))
	{f.verdict | some f in r} == {"indeterminate"}
	{f.evidence.source.action | some f in r} == {"cognito-idp:AdminGetUser"}
}

test_only_for_users_whose_status_allows_a_reset if {
	count(rule.report) == 0 with input as fixtures.user_input(object.union_n([sms_user, no_sms, {"user": {"enabled": false}}]))
}
