package recoverscan.rules.email.ses_quota_near_test

import data.recoverscan.lib.fixtures
import data.recoverscan.rules.email.ses_quota_near as rule

quota(limit, sent) := fixtures.channel_input({"email": {"account": {"max_24_hour_send": limit, "sent_last_24_hours": sent}}})

test_fails_at_or_above_threshold if {
	r := rule.report with input as quota(50000, 42000)
	{f.verdict | some f in r} == {"fail"}
	count(rule.report) == 1 with input as quota(200, 160)
	some f in r
	contains(f.message, "84% used")
}

# Exhausted is RC-EMAIL-006's.
test_passes if {
	count(rule.report) == 0 with input as fixtures.channel_input({})
	count(rule.report) == 0 with input as quota(200, 159)
	count(rule.report) == 0 with input as quota(200, 200)
	count(rule.report) == 0 with input as quota(-1, 5000)
}

test_indeterminate_when_account_unread if {
	src := fixtures.denied("ses:GetAccount")
	r := rule.report with input as fixtures.channel_input({"email": {"account": {"read": src}}})
	{f.evidence.source | some f in r} == {src}
}
