# METADATA
# title: SMS monthly spend limit at the 1 USD default
# description: |
#   SNS stops sending texts "within minutes" once a message would exceed the
#   account's monthly SMS spend limit, and "by default, the spend quota is set
#   to 1.00 USD" - a handful of messages. When MonthlySpendLimit is 1 or less
#   recovery texts stop early every month. When it is unset SNS uses the
#   account's spend quota, which is 1 USD unless it was raised; the snapshot
#   does not hold the quota (sms-voice:DescribeSpendLimits), so that case is
#   indeterminate. Evaluated when users are or may be routed to SMS and no
#   CustomSMSSender replaces SNS.
# related_resources:
#   - ref: https://docs.aws.amazon.com/sns/latest/api/API_SetSMSAttributes.html
#     description: SetSMSAttributes (MonthlySpendLimit)
#   - ref: https://docs.aws.amazon.com/sns/latest/dg/sms_preferences.html
#     description: Setting SMS messaging preferences
#   - ref: https://docs.aws.amazon.com/pinpoint/latest/apireference_smsvoicev2/API_DescribeSpendLimits.html
#     description: DescribeSpendLimits
# custom:
#   id: RC-SMS-002
#   severity: high
#   blocks_recovery: false
#   remediation: |
#     Request a higher SMS spend quota (Service Quotas or an AWS support case), then raise the limit in the
#     pool's SMS region:
#     aws sns set-sms-attributes --attributes MonthlySpendLimit=<usd> --region <sms-region>
#     Check the quota with: aws pinpoint-sms-voice-v2 describe-spend-limits --region <sms-region>
package recoverscan.rules.sms.spend_limit

import data.recoverscan.lib.channel
import data.recoverscan.lib.report
import data.recoverscan.lib.sources

limit := input.sms.attributes.monthly_spend_limit

# The snapshot does not read the account's spend quota.
quota_source := {
	"status": "skipped",
	"action": "sms-voice:DescribeSpendLimits",
	"error": "the snapshot does not hold the account's SMS spend quota, which applies when MonthlySpendLimit is unset",
}

applies if {
	channel.sns_used
	channel.sms_in_use
}

report contains report.fail(
	sprintf(
		"The account's monthly SMS spend limit in the pool's SMS region is %s USD, so SNS stops sending recovery texts after a handful of messages each month.",
		[limit],
	),
	{
		"sms_region": input.sms.region,
		"monthly_spend_limit": limit,
		"users_routed_to_sms": input.users.by_channel.sms,
	},
) if {
	applies
	sources.ok(input.sms.attributes.read)
	regex.match(`^[0-9]+(\.[0-9]+)?$`, limit)
	to_number(limit) <= 1
}

report contains report.indeterminate(
	"The account's monthly SMS spend limit is unset, so SNS applies the account's spend quota, which is 1 USD unless it was raised and was not read.",
	quota_source,
) if {
	applies
	sources.ok(input.sms.attributes.read)
	limit == ""
}

report contains report.indeterminate(
	"The SMS attributes of the pool's SMS region were not read, so the monthly SMS spend limit is unknown.",
	input.sms.attributes.read,
) if {
	applies
	sources.unread(input.sms.attributes.read)
}
