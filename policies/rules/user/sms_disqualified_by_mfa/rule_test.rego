package recoverscan.rules.user.sms_disqualified_by_mfa_test

import data.recoverscan.lib.fixtures
import data.recoverscan.rules.user.sms_disqualified_by_mfa as rule

phone_only := object.union(fixtures.mechanisms(["verified_phone_number"]), {"user": {
	"email": fixtures.no_email,
	"phone": fixtures.phone,
}})

sms_mfa := {"user": {"mfa": {"methods": ["SMS_MFA"], "preferred": "SMS_MFA"}}}

unread_mfa := {"user": {"mfa": {"read": {"status": "skipped", "action": "cognito-idp:AdminGetUser"}}}}

test_fails_without_fallback if {
	r := rule.report with input as fixtures.user_input(object.union(phone_only, sms_mfa))
	some finding in r
	finding.verdict == "fail"
	finding.evidence.mfa_methods == ["SMS_MFA"]
	finding.evidence.recovery_order == ["sms"]
}

test_fails_when_the_fallback_is_not_verified if {
	r := rule.report with input as fixtures.user_input(object.union_n([
		fixtures.mechanisms(["verified_phone_number", "verified_email"]),
		{"user": {"phone": fixtures.phone, "email": {"verified": false}}},
		sms_mfa,
	]))
	{f.verdict | some f in r} == {"fail"}
}

test_passes_with_email_fallback if {
	count(rule.report) == 0 with input as fixtures.user_input(object.union_n([
		fixtures.mechanisms(["verified_phone_number", "verified_email"]),
		{"user": {"phone": fixtures.phone}},
		sms_mfa,
	]))
}

test_passes_in_legacy_pools if {
	count(rule.report) == 0 with input as fixtures.user_input(object.union_n([
		phone_only, fixtures.legacy_recovery, sms_mfa,
	]))
}

test_passes_without_sms_mfa if {
	count(rule.report) == 0 with input as fixtures.user_input(phone_only)
}

test_indeterminate_when_mfa_unread if {
	r := rule.report with input as fixtures.user_input(object.union(phone_only, unread_mfa))
	r == {{
		"verdict": "indeterminate",
		"message": concat("", [
			"The user's MFA state was not read. If the user has SMS MFA, the verified phone number is disqualified ",
			"for recovery and no other channel is certain to qualify, so the user may get no code.",
		]),
		"evidence": {"source": {"status": "skipped", "action": "cognito-idp:AdminGetUser"}},
	}}
}

test_unread_mfa_does_not_matter_when_the_pool_has_no_sms_mfa if {
	count(rule.report) == 0 with input as fixtures.user_input(object.union_n([
		phone_only, unread_mfa, {"pool": {"mfa": {"sms_enabled": false}}},
	]))
}

test_unread_mfa_does_not_matter_with_a_certain_fallback if {
	count(rule.report) == 0 with input as fixtures.user_input(object.union_n([
		fixtures.mechanisms(["verified_phone_number", "verified_email"]),
		{"user": {"phone": fixtures.phone}},
		unread_mfa,
		{"pool": {"mfa": {"email_enabled": false}}},
	]))
}
