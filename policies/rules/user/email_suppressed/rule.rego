# METADATA
# title: Recovery email address is on the SES suppression list
# description: |
#   Cognito sends this user's code by email through the account's own SES
#   (DEVELOPER), and the address is on the account-level SES suppression list
#   of the SES region (after a bounce or complaint). "SES accepts the message,
#   but doesn't send it": ForgotPassword reports success and no email arrives.
#   Cognito does not fall back to SMS when delivery fails. Not evaluated when a
#   CustomEmailSender trigger sends the pool's email.
# related_resources:
#   - ref: https://docs.aws.amazon.com/ses/latest/dg/sending-email-suppression-list.html
#     description: Using the Amazon SES account-level suppression list
#   - ref: https://docs.aws.amazon.com/ses/latest/APIReference-V2/API_ListSuppressedDestinations.html
#     description: ListSuppressedDestinations
# custom:
#   id: RC-USER-011
#   severity: high
#   channel: email
#   effect: blocks
#   remediation: |
#     After confirming the address is valid, remove it from the suppression list in the pool's SES region:
#     aws sesv2 delete-suppressed-destination --email-address <email-address> --region <ses-region>
package recoverscan.rules.user.email_suppressed

import data.recoverscan.lib.recipient
import data.recoverscan.lib.recovery
import data.recoverscan.lib.report

report contains recovery.on_channel(
	"email",
	sprintf(
		"The user's email address is on the SES account-level suppression list (reason %s), so SES accepts the recovery email and silently drops it.%s",
		[reason, recovery.lockout_note],
	),
	{
		"email_masked": input.user.email.masked,
		"suppression_reason": input.user.email.suppression_reason,
		"ses_region": input.email.region,
	},
) if {
	recipient.stops("RC-USER-011")
	reason := object.get({"": "not given"}, input.user.email.suppression_reason, input.user.email.suppression_reason)
}

report contains report.indeterminate(
	"The SES suppression list of the pool's SES region was not read, so it is unknown whether the recovery email would be dropped.",
	source,
) if {
	some source in recipient.unsettled("RC-USER-011")
}
