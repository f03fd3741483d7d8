package recoverscan.lib.recovery_test

import data.recoverscan.lib.fixtures
import data.recoverscan.lib.recovery

phone_too := {"user": {"phone": fixtures.phone}}

skipped_mfa := {"user": {"mfa": {"read": {"status": "skipped", "action": "cognito-idp:AdminGetUser"}}}}

with_mfa(methods) := {"user": {"mfa": {"methods": methods, "preferred": methods[0]}}}

phone_first := fixtures.mechanisms(["verified_phone_number", "verified_email"])

patched(patches) := fixtures.user_input(object.union_n(patches))

test_default_is_email if {
	recovery.chosen == "email" with input as fixtures.user_input({})
	recovery.order == ["email", "sms"] with input as fixtures.user_input({})
	recovery.verified == {"email"} with input as fixtures.user_input({})
	not recovery.legacy with input as fixtures.user_input({})
	not recovery.admin_only with input as fixtures.user_input({})
	recovery.why == "Recovery order: email (verified), then SMS (not verified). Cognito would send the code by email." with input as fixtures.user_input({})
}

test_priorities_sort_regardless_of_array_order if {
	inp := patched([
		{"pool": {"account_recovery": {"mechanisms": [
			{"name": "verified_email", "priority": 2},
			{"name": "verified_phone_number", "priority": 1},
		]}}},
		phone_too,
	])
	recovery.order == ["sms", "email"] with input as inp
	recovery.chosen == "sms" with input as inp
}

test_legacy_prefers_phone_and_ignores_sms_mfa if {
	inp := patched([fixtures.legacy_recovery, phone_too, with_mfa(["SMS_MFA"])])
	recovery.legacy with input as inp
	recovery.order == ["sms", "email"] with input as inp
	recovery.chosen == "sms" with input as inp
	count(recovery.disqualified) == 0 with input as inp
}

test_legacy_falls_back_to_email if {
	recovery.chosen == "email" with input as patched([fixtures.legacy_recovery])
}

test_admin_only if {
	inp := patched([fixtures.mechanisms(["admin_only"])])
	recovery.admin_only with input as inp
	recovery.chosen == "none" with input as inp
	recovery.order == [] with input as inp
	recovery.why == "The pool allows password recovery through an administrator only (admin_only)." with input as inp
}

test_sms_mfa_disqualifies_phone if {
	inp := patched([phone_first, phone_too, with_mfa(["SMS_MFA"])])
	recovery.chosen == "email" with input as inp
	recovery.disqualified == {"sms"} with input as inp
}

test_sms_mfa_without_fallback if {
	inp := patched([fixtures.mechanisms(["verified_phone_number"]), phone_too, with_mfa(["SMS_MFA"])])
	recovery.chosen == "none" with input as inp
	recovery.why == "Recovery order: SMS (disqualified by SMS_MFA). No channel qualifies, so Cognito sends no code." with input as inp
}

test_email_mfa_disqualifies_email if {
	inp := patched([phone_too, with_mfa(["EMAIL_OTP"])])
	recovery.chosen == "sms" with input as inp
	recovery.disqualified == {"email"} with input as inp
}

test_totp_does_not_disqualify if {
	recovery.chosen == "email" with input as patched([with_mfa(["SOFTWARE_TOKEN_MFA"])])
}

test_unverified_first_channel_falls_through if {
	inp := patched([phone_first])
	recovery.chosen == "email" with input as inp
}

test_only_disallowed_channel_verified if {
	inp := patched([fixtures.mechanisms(["verified_email"]), {"user": {"email": fixtures.no_email}}, phone_too])
	recovery.chosen == "none" with input as inp
	recovery.verified == {"sms"} with input as inp
}

test_no_verified_contact if {
	recovery.chosen == "none" with input as patched([{"user": {"email": {"verified": false}}}])
}

test_unread_mfa_that_matters_is_unknown if {
	inp := patched([phone_first, phone_too, skipped_mfa])
	recovery.chosen == "unknown" with input as inp
	recovery.mfa_unknown == {"sms", "email"} with input as inp
	recovery.outcomes == {"sms", "email", "none"} with input as inp
	recovery.may_use == {"sms", "email"} with input as inp
	recovery.mfa_unknown_source.status == "skipped" with input as inp
	recovery.mfa_unknown_source.action == "cognito-idp:AdminGetUser" with input as inp
	recovery.unknown_source.action == "cognito-idp:AdminGetUser" with input as inp
	recovery.routes("sms") with input as inp
}

test_unread_mfa_with_certain_fallback if {
	inp := patched([
		phone_first, phone_too, skipped_mfa,
		{"pool": {"mfa": {"email_enabled": false}}},
	])
	recovery.chosen == "unknown" with input as inp
	recovery.outcomes == {"sms", "email"} with input as inp
}

test_unread_mfa_pool_mfa_off if {
	inp := patched([phone_first, phone_too, skipped_mfa, {"pool": {"mfa": {"configuration": "OFF"}}}])
	recovery.chosen == "sms" with input as inp
	not recovery.mfa_unknown_source with input as inp
}

test_unread_mfa_factor_not_enabled_in_pool if {
	inp := patched([phone_first, phone_too, skipped_mfa, {"pool": {"mfa": {"sms_enabled": false}}}])
	recovery.chosen == "sms" with input as inp
}

test_unread_mfa_and_unread_pool_mfa_is_unknown if {
	inp := patched([
		phone_first, phone_too, skipped_mfa,
		{"pool": {"mfa": {"sms_enabled": false, "read": fixtures.denied("cognito-idp:GetUserPoolMfaConfig")}}},
	])
	recovery.chosen == "unknown" with input as inp
}

test_unread_mfa_of_unverified_channel_does_not_matter if {
	inp := patched([phone_first, skipped_mfa, {"pool": {"mfa": {"email_enabled": false}}}])
	recovery.chosen == "email" with input as inp
}

test_unread_pool if {
	src := fixtures.denied("cognito-idp:DescribeUserPool")
	inp := patched([{"pool": {"read": src}}])
	recovery.chosen == "unknown" with input as inp
	recovery.order == [] with input as inp
	recovery.unknown_source == src with input as inp
	not recovery.mfa_unknown_source with input as inp
	count(recovery.may_use) == 0 with input as inp
	recovery.why == "The pool's settings were not read, so the recovery channel is unknown." with input as inp
}

test_why_has_no_contact_data if {
	inp := patched([phone_first, phone_too, skipped_mfa])
	why := recovery.why with input as inp
	why == concat("", [
		"Recovery order: SMS (verified, SMS_MFA state not read), then email (verified, EMAIL_OTP state not read). ",
		"The channel depends on MFA state that was not read.",
	])
	not contains(why, "***")
}

test_status_allows_reset if {
	recovery.status_allows_reset with input as fixtures.user_input({})
	recovery.status_allows_reset with input as patched([{"user": {"status": "RESET_REQUIRED"}}])
	not recovery.status_allows_reset with input as patched([{"user": {"status": "FORCE_CHANGE_PASSWORD"}}])
	not recovery.status_allows_reset with input as patched([{"user": {"enabled": false}}])
}

test_on_channel_fails_for_the_chosen_channel if {
	r := recovery.on_channel("email", "m", {"a": 1}) with input as fixtures.user_input({})
	r == {"verdict": "fail", "message": "m", "evidence": {"a": 1}}
	not recovery.on_channel("sms", "m", {}) with input as fixtures.user_input({})
}

test_on_channel_is_indeterminate_when_mfa_decides if {
	inp := patched([phone_first, phone_too, skipped_mfa])
	r := recovery.on_channel("email", "m.", {}) with input as inp
	r.verdict == "indeterminate"
	r.evidence.source == {"status": "skipped", "action": "cognito-idp:AdminGetUser"}
	r.message == "Whether Cognito sends this user's code by email depends on MFA state that was not read. If it does: m."
}

test_lockout_note if {
	recovery.lockout_note == "" with input as fixtures.user_input({})
	startswith(recovery.lockout_note, " The user is in RESET_REQUIRED") with input as patched([{"user": {"status": "RESET_REQUIRED"}}])
}
