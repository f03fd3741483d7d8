# METADATA
# title: Recovery email sent from an SES account in the sandbox
# description: |
#   Cognito sends this user's code by email through the account's own SES
#   (DEVELOPER), and the account is still in the SES sandbox of the SES
#   region. "When your account is in the sandbox, you can only send email to
#   verified identities", so Cognito "can't send messages to your users' email
#   addresses" unless the address, or its domain, is itself a verified SES
#   identity. The collector joins each address against the SES region's
#   verified identities (ses:ListEmailIdentities) in memory and keeps only
#   the answer (email.recipient_verified); when those identities were not
#   read, the finding is indeterminate. Not evaluated when a
#   CustomEmailSender trigger sends the pool's email.
# related_resources:
#   - ref: https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-email.html
#     description: Email settings for user pools
#   - ref: https://docs.aws.amazon.com/ses/latest/dg/request-production-access.html
#     description: Request production access (moving out of the SES sandbox)
#   - ref: https://docs.aws.amazon.com/ses/latest/APIReference-V2/API_GetAccount.html
#     description: GetAccount (ProductionAccessEnabled)
# custom:
#   id: RC-USER-014
#   severity: high
#   channel: email
#   effect: blocks
#   remediation: |
#     Request SES production access in the pool's SES region (see RC-EMAIL-002):
#     aws sesv2 put-account-details --production-access-enabled --mail-type TRANSACTIONAL \
#       --website-url <url> --use-case-description <text> --region <ses-region>
package recoverscan.rules.user.ses_sandbox_recipient

import data.recoverscan.lib.recipient
import data.recoverscan.lib.recovery
import data.recoverscan.lib.report

report contains recovery.on_channel(
	"email",
	sprintf(
		"The pool sends email with the account's own SES, which is in the SES sandbox, so the recovery email reaches only verified identities, and neither this user's address nor its domain is one.%s",
		[recovery.lockout_note],
	),
	{
		"email_masked": input.user.email.masked,
		"ses_region": input.email.region,
		"sending_account": input.pool.email.sending_account,
		"production_access_enabled": false,
		"recipient_verified": false,
	},
) if {
	recipient.stops("RC-USER-014")
}

report contains report.indeterminate(
	sprintf("It is unknown whether the recovery email can reach this address from the SES sandbox: %s was not read.", [source.action]),
	source,
) if {
	some source in recipient.unsettled("RC-USER-014")
}
