package recoverscan.rules.sms.spend_limit_test

import data.recoverscan.lib.fixtures
import data.recoverscan.rules.sms.spend_limit as rule

# The fixture: MonthlySpendLimit 50 USD, quota 50 USD, 4.20 USD spent.
at(limit, spend) := fixtures.channel_input({"sms": {
	"attributes": {"monthly_spend_limit": limit},
	"spend": {"month_to_date_usd": spend},
}})

verdicts(r) := {f.verdict | some f in r}

effects(r) := {object.get(f, "effect", "declared") | some f in r}

test_passes_below_80_percent if {
	count(rule.report) == 0 with input as at("50", 4.2)
	count(rule.report) == 0 with input as at("50", 39.99)
	count(rule.report) == 0 with input as at("1.01", 0)
}

test_blocks_at_the_limit if {
	effects(rule.report) == {"blocks"} with input as at("50", 61.5)
	r := rule.report with input as at("50", 50)
	count(r) == 1
	verdicts(r) == {"fail"}
	effects(r) == {"blocks"}
	some f in r
	f.evidence.limit_usd == 50
	f.evidence.month_to_date_usd == 50
	f.evidence.sms_region == "us-east-1"
	contains(f.message, "50.00 USD, at or above the limit of 50 USD")
}

test_endangers_from_80_percent if {
	r := rule.report with input as at("50", 40)
	count(r) == 1
	effects(r) == {"endangers"}
	some f in r
	f.message == "The SMS spend this month in the pool's SMS region is 40.00 USD, 80 % of the limit of 50 USD: SNS stops sending texts once a message would exceed it."

	some g in rule.report with input as at("50", 44.567)
	contains(g.message, "is 44.57 USD, 89 % of the limit")
}

test_unset_limit_means_the_quota if {
	# No MonthlySpendLimit: the account's quota (End User Messaging MaxLimit) is in force.
	effects(rule.report) == {"endangers"} with input as at("", 45)
	effects(rule.report) == {"blocks"} with input as at("", 50)
	count(rule.report) == 0 with input as at("", 4.2)

	# The default quota of 1 USD.
	effects(rule.report) == {"blocks"} with input as object.union(at("", 1), {"sms": {"eums": {"spend_limit": {"max_usd": 1, "enforced_usd": 1}}}})
}

test_blocks_a_limit_above_the_quota if {
	r := rule.report with input as at("100", 4.2)
	count(r) == 1
	effects(r) == {"blocks"}
	some f in r
	f.evidence.quota_usd == 50
	contains(f.message, "above the account's spend quota")
}

test_risk_at_one_usd if {
	effects(rule.report) == {"none"} with input as at("0.50", 0)

	# Near the low limit, only the endangering finding.
	effects(rule.report) == {"endangers"} with input as at("1", 0.9)

	r := rule.report with input as at("1", 0.2)
	count(r) == 1
	effects(r) == {"none"}
	some f in r
	f.evidence.monthly_spend_limit == "1"
}

test_not_for_a_custom_sms_sender if {
	count(rule.report) == 0 with input as object.union(at("50", 50), {"pool": {"triggers": {"custom_sms_sender": "arn:aws:lambda:us-east-1:111122223333:function:sms"}}})
}

test_indeterminate_when_the_quota_of_an_unset_limit_is_unknown if {
	r := rule.report with input as object.union(at("", 4.2), {"sms": {"eums": {"spend_limit": {"found": false}}}})
	verdicts(r) == {"indeterminate"}
	{f.evidence.source.action | some f in r} == {"sms-voice:DescribeSpendLimits"}

	src := fixtures.denied("sms-voice:DescribeSpendLimits")
	r2 := rule.report with input as object.union(at("", 4.2), {"sms": {"eums": {"spend_limit": {"read": src}}}})
	{f.evidence.source | some f in r2} == {src}
}

test_indeterminate_when_a_limit_above_one_usd_meets_an_unread_quota if {
	src := fixtures.denied("sms-voice:DescribeSpendLimits")
	r := rule.report with input as object.union(at("50", 4.2), {"sms": {"eums": {"spend_limit": {"read": src}}}})
	verdicts(r) == {"indeterminate"}
	{f.evidence.source | some f in r} == {src}

	# A limit of 1 USD or less cannot exceed any quota.
	effects(rule.report) == {"none"} with input as object.union(at("1", 0), {"sms": {"eums": {"spend_limit": {"read": src}}}})
}

test_indeterminate_when_attributes_unread if {
	src := fixtures.denied("sns:GetSMSAttributes")
	r := rule.report with input as fixtures.channel_input({"sms": {"attributes": {"read": src, "monthly_spend_limit": ""}}})
	verdicts(r) == {"indeterminate"}

	# The declared effect (blocks) applies to indeterminate findings.
	effects(r) == {"declared"}
	{f.evidence.source | some f in r} == {src}
}

test_indeterminate_when_the_limit_is_not_a_number if {
	r := rule.report with input as at("lots", 4.2)
	verdicts(r) == {"indeterminate"}
	{f.evidence.source.action | some f in r} == {"sns:GetSMSAttributes"}
}

test_indeterminate_when_spend_unread if {
	src := fixtures.denied("cloudwatch:GetMetricData")
	r := rule.report with input as fixtures.channel_input({"sms": {"spend": {"read": src}}})
	verdicts(r) == {"indeterminate"}
	{f.evidence.source | some f in r} == {src}

	# With the limit unknown too, that finding alone.
	r3 := rule.report with input as fixtures.channel_input({"sms": {"attributes": {"read": fixtures.denied("sns:GetSMSAttributes")}, "spend": {"read": src}}})
	{f.evidence.source.action | some f in r3} == {"sns:GetSMSAttributes"}

	# The limit above the quota does not need the spend.
	r2 := rule.report with input as object.union(at("100", 0), {"sms": {"spend": {"read": src}}})
	verdicts(r2) == {"fail", "indeterminate"}
}
