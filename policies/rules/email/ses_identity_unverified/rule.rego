# METADATA
# title: SES sending identity missing or not verified
# description: |
#   The pool sends email from the SES identity named by EmailConfiguration.SourceArn
#   (DEVELOPER, or COGNITO_DEFAULT with a custom FROM address), and that
#   identity does not exist or is not verified for sending in the SES region.
#   Cognito then fails every email with InvalidEmailRoleAccessPolicyException
#   ("returned when you have an unverified email address or the identity
#   policy isn't set"). When SES's answer contradicts itself (verification
#   status SUCCESS but not verified for sending, or the reverse) the finding
#   is indeterminate and names the contradiction. Reported when users are or
#   may be routed to email and no CustomEmailSender replaces SES.
# related_resources:
#   - ref: https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_EmailConfigurationType.html
#     description: EmailConfigurationType (SourceArn)
#   - ref: https://docs.aws.amazon.com/ses/latest/APIReference-V2/API_GetEmailIdentity.html
#     description: GetEmailIdentity
#   - ref: https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-email.html
#     description: Email settings for user pools
# custom:
#   id: RC-EMAIL-003
#   severity: critical
#   channel: email
#   effect: blocks
#   remediation: |
#     Verify the identity in the pool's SES region (or create it), then check it:
#     aws sesv2 create-email-identity --email-identity <identity> --region <ses-region>
#     aws sesv2 get-email-identity --email-identity <identity> --region <ses-region>
package recoverscan.rules.email.ses_identity_unverified

import data.recoverscan.lib.channel
import data.recoverscan.lib.report
import data.recoverscan.lib.sources

report contains report.fail(
	sprintf("%s Cognito's emails fail with InvalidEmailRoleAccessPolicyException.", [channel.ses_identity_problem]),
	{
		"identity": input.pool.email.identity,
		"ses_region": input.pool.email.ses_region,
		"sending_account": input.pool.email.sending_account,
		"exists": channel.identity.exists,
		"verified_for_sending": channel.identity.verified_for_sending,
		"verification_status": channel.identity.verification_status,
		"exception": "InvalidEmailRoleAccessPolicyException",
	},
) if {
	channel.ses_identity_problem
}

# SES's answer contradicts itself: neither half settles the identity.
report contains report.indeterminate(
	sprintf("It is unknown whether the pool's SES sending identity is verified for sending: %s", [channel.identity_contradiction]),
	{
		"status": "error",
		"action": "ses:GetEmailIdentity",
		"error": channel.identity_contradiction,
	},
) if {
	channel.identity_contradiction
}

report contains report.indeterminate(
	"The pool's SES sending identity was not read, so it is unknown whether it is verified for sending.",
	channel.identity_read,
) if {
	channel.identity_checked
	sources.unread(channel.identity_read)
}
