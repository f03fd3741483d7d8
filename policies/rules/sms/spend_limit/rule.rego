# METADATA
# title: SMS monthly spend limit reached, near, or out of reach
# description: |
#   SNS stops sending texts "within minutes" once a message would exceed the
#   account's monthly SMS spend limit, and when the limit set exceeds the
#   account's spend quota SNS "doesn't publish SMS messages" at all. The rule
#   compares the month-to-date spend (CloudWatch AWS/SNS
#   SMSMonthToDateSpentUSD, Maximum) with the limit in force: MonthlySpendLimit,
#   or, when that is unset, the account's quota (End User Messaging
#   DescribeSpendLimits; 1 USD unless it was raised). Spend at or above the
#   limit blocks every recovery text; at or above 80 % endangers them; a limit
#   above the quota blocks them. A limit of 1 USD or less is reported as a
#   risk. When the spend, the limit or the quota the verdict needs was not
#   read (or the limit is not a number), the finding is indeterminate; a
#   limit above 1 USD with the quota unread is indeterminate too, since it
#   may exceed the quota. Each finding states its own effect; the declared
#   one (blocks) is that of the indeterminate findings, since an unknown
#   limit or spend may be one that stops every text. Not evaluated when a
#   CustomSMSSender trigger sends the pool's texts.
# related_resources:
#   - ref: https://docs.aws.amazon.com/sns/latest/api/API_SetSMSAttributes.html
#     description: SetSMSAttributes (MonthlySpendLimit)
#   - ref: https://docs.aws.amazon.com/sns/latest/dg/sms_preferences.html
#     description: Setting SMS messaging preferences
#   - ref: https://docs.aws.amazon.com/sns/latest/dg/sns-monitoring-using-cloudwatch.html
#     description: Monitoring Amazon SNS with CloudWatch (SMSMonthToDateSpentUSD)
#   - ref: https://docs.aws.amazon.com/pinpoint/latest/apireference_smsvoicev2/API_DescribeSpendLimits.html
#     description: DescribeSpendLimits
# custom:
#   id: RC-SMS-002
#   severity: high
#   channel: sms
#   effect: blocks
#   remediation: |
#     Request a higher SMS spend quota (Service Quotas or an AWS support case), then raise the limit in the
#     pool's SMS region:
#     aws sns set-sms-attributes --attributes MonthlySpendLimit=<usd> --region <sms-region>
#     Check the spend and the quota with:
#     aws cloudwatch get-metric-statistics --namespace AWS/SNS --metric-name SMSMonthToDateSpentUSD --statistics Maximum --period 86400 --start-time <first-of-month> --end-time <now> --region <sms-region>
#     aws pinpoint-sms-voice-v2 describe-spend-limits --region <sms-region>
package recoverscan.rules.sms.spend_limit

import data.recoverscan.lib.channel
import data.recoverscan.lib.report
import data.recoverscan.lib.sources

set_limit := input.sms.attributes.monthly_spend_limit

spend := input.sms.spend.month_to_date_usd

quota_read if {
	sources.ok(input.sms.eums.spend_limit.read)
	input.sms.eums.spend_limit.found
}

quota := input.sms.eums.spend_limit.max_usd if quota_read

# The limit in force, in USD, when it is known.
limit := to_number(set_limit) if {
	sources.ok(input.sms.attributes.read)
	regex.match(`^[0-9]+(\.[0-9]+)?$`, set_limit)
}

limit := quota if {
	sources.ok(input.sms.attributes.read)
	set_limit == ""
}

# USD with cents; sprintf's %f does not take numbers that happen to be whole.
usd(x) := sprintf("%d.%02d", [floor(cents / 100), cents % 100]) if cents := round(x * 100)

evidence := {
	"sms_region": input.sms.region,
	"monthly_spend_limit": set_limit,
	"month_to_date_usd": spend,
	"month": input.sms.spend.month,
}

# Why the limit in force is unknown, as a source.
limit_unknown_source := input.sms.attributes.read if {
	sources.unread(input.sms.attributes.read)
} else := input.sms.eums.spend_limit.read if {
	set_limit == ""
	sources.unread(input.sms.eums.spend_limit.read)
} else := {
	"status": "error",
	"action": "sms-voice:DescribeSpendLimits",
	"error": "End User Messaging reported no text-message spend limit, so the account's SMS spend quota is unknown",
} if {
	set_limit == ""
	not quota_read
} else := {
	"status": "error",
	"action": "sns:GetSMSAttributes",
	"error": "SNS reported a MonthlySpendLimit that is not a number of USD",
} if {
	set_limit != ""
}

# Why the account's spend quota is unknown, as a source: the read, or
# an answer without a text-message spend limit.
default quota_unknown_source := {
	"status": "error",
	"action": "sms-voice:DescribeSpendLimits",
	"error": "End User Messaging reported no text-message spend limit, so the account's SMS spend quota is unknown",
}

quota_unknown_source := input.sms.eums.spend_limit.read if sources.unread(input.sms.eums.spend_limit.read)

report contains report.blocks(
	sprintf(
		"The SMS spend this month in the pool's SMS region is %s USD, at or above the limit of %v USD, so SNS sends no more texts this month.",
		[usd(spend), limit],
	),
	object.union(evidence, {"limit_usd": limit}),
) if {
	channel.sns_used
	sources.ok(input.sms.spend.read)
	spend >= limit
}

report contains report.endangers(
	sprintf(
		"The SMS spend this month in the pool's SMS region is %s USD, %d %% of the limit of %v USD: SNS stops sending texts once a message would exceed it.",
		[usd(spend), floor((spend / limit) * 100), limit],
	),
	object.union(evidence, {"limit_usd": limit}),
) if {
	channel.sns_used
	sources.ok(input.sms.spend.read)
	limit > 0
	spend < limit
	spend >= 0.8 * limit
}

report contains report.blocks(
	sprintf(
		"The monthly SMS spend limit in the pool's SMS region (%v USD) is above the account's spend quota (%v USD), so SNS does not publish text messages.",
		[limit, quota],
	),
	object.union(evidence, {"limit_usd": limit, "quota_usd": quota}),
) if {
	channel.sns_used
	set_limit != ""
	limit > quota
}

report contains report.risk(
	sprintf(
		"The account's monthly SMS spend limit in the pool's SMS region is %v USD, so SNS stops sending recovery texts after a handful of messages each month.",
		[limit],
	),
	object.union(evidence, {"limit_usd": limit}),
) if {
	channel.sns_used
	limit <= 1
	sources.ok(input.sms.spend.read)
	spend < 0.8 * limit
}

report contains report.indeterminate(
	"The SMS spend limit in force in the pool's SMS region is unknown, so it is unknown whether SNS still sends recovery texts this month.",
	limit_unknown_source,
) if {
	channel.sns_used
	not limit
}

# A limit above the 1 USD default quota may exceed the account's quota,
# and then SNS publishes nothing.
report contains report.indeterminate(
	sprintf(
		"The monthly SMS spend limit in the pool's SMS region is %v USD, above the default spend quota of 1 USD, and the account's quota is unknown, so it is unknown whether SNS publishes text messages at all.",
		[limit],
	),
	quota_unknown_source,
) if {
	channel.sns_used
	set_limit != ""
	limit > 1
	not quota_read
}

# Reported once the limit is known: an unknown limit is already the finding.
report contains report.indeterminate(
	"The month-to-date SMS spend of the pool's SMS region was not read, so it is unknown whether the spend limit stops recovery texts.",
	input.sms.spend.read,
) if {
	channel.sns_used
	limit
	sources.unread(input.sms.spend.read)
}
