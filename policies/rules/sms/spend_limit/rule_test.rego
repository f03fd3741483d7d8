package recoverscan.rules.sms.spend_limit_test

import data.recoverscan.lib.fixtures
import data.recoverscan.rules.sms.spend_limit as rule

sms_users := {"users": {"by_channel": {"sms": 5}}}

with_limit(value) := fixtures.pool_input(object.union(sms_users, {"sms": {"attributes": {"monthly_spend_limit": value}}}))

test_fails_at_one_usd if {
	r := rule.report with input as with_limit("1")
	some finding in r
	finding.verdict == "fail"
	finding.evidence.monthly_spend_limit == "1"
}

test_fails_below_one_usd if {
	r := rule.report with input as with_limit("0.50")
	{f.verdict | some f in r} == {"fail"}
}

test_passes_above_one_usd if {
	count(rule.report) == 0 with input as with_limit("50")
	count(rule.report) == 0 with input as with_limit("1.01")
}

test_ignores_unparseable_values if {
	count(rule.report) == 0 with input as with_limit("lots")
}

test_passes_when_nobody_uses_sms if {
	count(rule.report) == 0 with input as fixtures.pool_input({"sms": {"attributes": {"monthly_spend_limit": "1"}}})
}

test_indeterminate_when_unset if {
	r := rule.report with input as with_limit("")
	some finding in r
	finding.verdict == "indeterminate"
	finding.evidence.source.action == "sms-voice:DescribeSpendLimits"
}

test_indeterminate_when_unread if {
	src := fixtures.denied("sns:GetSMSAttributes")
	r := rule.report with input as fixtures.pool_input(object.union(sms_users, {"sms": {"attributes": {"read": src, "monthly_spend_limit": ""}}}))
	{f.evidence.source | some f in r} == {src}
}
