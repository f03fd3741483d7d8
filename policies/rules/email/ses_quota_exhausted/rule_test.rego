package recoverscan.rules.email.ses_quota_exhausted_test

import data.recoverscan.lib.fixtures
import data.recoverscan.rules.email.ses_quota_exhausted as rule

quota(limit, sent) := fixtures.channel_input({"email": {"account": {"max_24_hour_send": limit, "sent_last_24_hours": sent}}})

test_fails_when_used_up if {
	r := rule.report with input as quota(200, 200)
	{f.verdict | some f in r} == {"fail"}
	some f in r
	contains(f.message, "(200 of 200 sent)")
}

test_passes if {
	count(rule.report) == 0 with input as fixtures.channel_input({})
	count(rule.report) == 0 with input as quota(200, 199)
	count(rule.report) == 0 with input as quota(-1, 5000)
}

test_indeterminate_when_account_unread if {
	src := fixtures.denied("ses:GetAccount")
	r := rule.report with input as fixtures.channel_input({"email": {"account": {"read": src, "max_24_hour_send": 0}}})
	{f.evidence.source | some f in r} == {src}
}
