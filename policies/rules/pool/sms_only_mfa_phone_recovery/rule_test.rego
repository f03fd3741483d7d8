package recoverscan.rules.pool.sms_only_mfa_phone_recovery_test

import data.recoverscan.lib.fixtures
import data.recoverscan.rules.pool.sms_only_mfa_phone_recovery as rule

sms_only := object.union(
	fixtures.mechanisms(["verified_phone_number"]),
	{"pool": {"mfa": {"configuration": "ON", "email_enabled": false, "totp_enabled": false}}},
)

test_fails if {
	r := rule.report with input as fixtures.pool_input(sms_only)
	{f.verdict | some f in r} == {"fail"}
}

test_passes_with_another_factor_or_mechanism if {
	count(rule.report) == 0 with input as fixtures.pool_input(object.union(sms_only, {"pool": {"mfa": {"totp_enabled": true}}}))
	count(rule.report) == 0 with input as fixtures.pool_input(object.union(sms_only, fixtures.mechanisms(["verified_phone_number", "verified_email"])))
	count(rule.report) == 0 with input as fixtures.pool_input(object.union(sms_only, {"pool": {"mfa": {"configuration": "OPTIONAL"}}}))
	count(rule.report) == 0 with input as fixtures.pool_input({})
}

# Legacy recovery (no AccountRecoverySetting) does not disqualify the phone.
test_passes_in_legacy_mode if {
	count(rule.report) == 0 with input as fixtures.pool_input(object.union(sms_only, fixtures.legacy_recovery))
}

test_indeterminate_when_mfa_factors_unread if {
	src := fixtures.denied("cognito-idp:GetUserPoolMfaConfig")
	r := rule.report with input as fixtures.pool_input(object.union(sms_only, {"pool": {"mfa": {"read": src}}}))
	{f.verdict | some f in r} == {"indeterminate"}
	{f.evidence.source | some f in r} == {src}
}

test_indeterminate_when_pool_unread if {
	src := fixtures.denied("cognito-idp:DescribeUserPool")
	r := rule.report with input as fixtures.pool_input(object.union(sms_only, {"pool": {"read": src}}))
	{f.evidence.source | some f in r} == {src}
}
