package recoverscan.rules.sms.default_sms_type_test

import data.recoverscan.lib.fixtures
import data.recoverscan.rules.sms.default_sms_type as rule

sms_users := {"users": {"by_channel": {"sms": 5}}}

with_type(value) := fixtures.pool_input(object.union(sms_users, {"sms": {"attributes": {"default_sms_type": value}}}))

test_fails_for_promotional_or_unset if {
	r := rule.report with input as with_type("Promotional")
	{f.verdict | some f in r} == {"fail"}
	r2 := rule.report with input as with_type("")
	some finding in r2
	contains(finding.message, "unset (Promotional)")
}

test_passes_for_transactional if {
	count(rule.report) == 0 with input as with_type("Transactional")
}

test_passes_when_nobody_uses_sms if {
	count(rule.report) == 0 with input as fixtures.pool_input({"sms": {"attributes": {"default_sms_type": "Promotional"}}})
}

test_indeterminate_when_unread if {
	src := fixtures.denied("sns:GetSMSAttributes")
	r := rule.report with input as fixtures.pool_input(object.union(sms_users, {"sms": {"attributes": {"read": src}}}))
	{f.evidence.source | some f in r} == {src}
}
