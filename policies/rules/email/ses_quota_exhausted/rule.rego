# METADATA
# title: SES daily sending quota used up
# description: |
#   The pool sends email with the account's own SES (DEVELOPER), where "the
#   email delivery limits are the same limits that apply to your Amazon SES
#   verified email address", and the SES Region's 24-hour quota
#   (SendQuota.Max24HourSend) is used up: SentLast24Hours has reached it. SES
#   refuses every further email, recovery codes included, until the rolling
#   window frees capacity, so at the snapshot time every user routed to email
#   gets no code (RC-USER-018 names them). Max24HourSend -1 means unlimited.
#   Near the quota see RC-EMAIL-012. Evaluated when users are or may be
#   routed to email and no CustomEmailSender replaces SES.
# related_resources:
#   - ref: https://docs.aws.amazon.com/ses/latest/APIReference-V2/API_GetAccount.html
#     description: GetAccount (SendQuota)
#   - ref: https://docs.aws.amazon.com/ses/latest/dg/manage-sending-quotas.html
#     description: Managing your Amazon SES sending quotas
# custom:
#   id: RC-EMAIL-006
#   severity: critical
#   channel: email
#   effect: blocks
#   remediation: |
#     Request a higher SES sending quota in the SES region (Service Quotas, "Sending quota"):
#     aws service-quotas request-service-quota-increase --service-code ses --quota-code <quota-code> \
#       --desired-value <emails-per-day> --region <ses-region>
#     and find what is sending so much: aws sesv2 get-account --region <ses-region>
package recoverscan.rules.email.ses_quota_exhausted

import data.recoverscan.lib.channel
import data.recoverscan.lib.report
import data.recoverscan.lib.sources

report contains report.fail(
	sprintf(
		"The account's SES 24-hour sending quota in the pool's SES region is used up (%v of %v sent), so SES refuses every recovery email until the window frees capacity.",
		[input.email.account.sent_last_24_hours, input.email.account.max_24_hour_send],
	),
	{
		"ses_region": input.email.region,
		"max_24_hour_send": input.email.account.max_24_hour_send,
		"sent_last_24_hours": input.email.account.sent_last_24_hours,
	},
) if {
	channel.ses_quota_exhausted
}

report contains report.indeterminate(
	"The SES account status of the pool's SES region was not read, so it is unknown whether the SES sending quota is used up.",
	input.email.account.read,
) if {
	channel.ses_account_used
	sources.unread(input.email.account.read)
}
