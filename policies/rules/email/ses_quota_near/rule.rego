# METADATA
# title: SES daily sending quota nearly used up
# description: |
#   The pool sends email with the account's own SES (DEVELOPER), and the SES
#   Region's 24-hour quota is at least near_ratio (80 %) used but not yet
#   exhausted (RC-EMAIL-006): a burst of other mail can use up the rest, after
#   which SES refuses recovery emails until the rolling window frees capacity.
#   Max24HourSend -1 means unlimited. Evaluated when users are or may be
#   routed to email and no CustomEmailSender replaces SES.
# related_resources:
#   - ref: https://docs.aws.amazon.com/ses/latest/APIReference-V2/API_GetAccount.html
#     description: GetAccount (SendQuota)
#   - ref: https://docs.aws.amazon.com/ses/latest/dg/manage-sending-quotas.html
#     description: Managing your Amazon SES sending quotas
# custom:
#   id: RC-EMAIL-012
#   severity: high
#   channel: email
#   effect: endangers
#   remediation: |
#     Request a higher SES sending quota in the SES region (Service Quotas, "Sending quota"):
#     aws service-quotas request-service-quota-increase --service-code ses --quota-code <quota-code> \
#       --desired-value <emails-per-day> --region <ses-region>
#     and watch usage: aws sesv2 get-account --region <ses-region>
package recoverscan.rules.email.ses_quota_near

import data.recoverscan.lib.channel
import data.recoverscan.lib.report
import data.recoverscan.lib.sources

# The share of the quota from which it counts as nearly used up: the one
# place to change (or to turn into a parameter).
near_ratio := 0.8

account := input.email.account

report contains report.fail(
	sprintf(
		"The account's SES 24-hour sending quota in the pool's SES region is %v%% used (%v of %v), so a burst of other mail can leave no room for recovery emails.",
		[round((account.sent_last_24_hours * 100) / account.max_24_hour_send), account.sent_last_24_hours, account.max_24_hour_send],
	),
	{
		"ses_region": input.email.region,
		"max_24_hour_send": account.max_24_hour_send,
		"sent_last_24_hours": account.sent_last_24_hours,
		"threshold": near_ratio,
	},
) if {
	channel.ses_account_used
	sources.ok(account.read)
	account.max_24_hour_send > 0
	account.sent_last_24_hours >= near_ratio * account.max_24_hour_send
	not channel.ses_quota_exhausted
}

report contains report.indeterminate(
	"The SES account status of the pool's SES region was not read, so it is unknown how much of the SES sending quota is used.",
	account.read,
) if {
	channel.ses_account_used
	sources.unread(account.read)
}
