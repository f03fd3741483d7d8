# METADATA
# title: Custom FROM identity lacks Cognito's sending authorization policy
# description: |
#   The pool sends email with COGNITO_DEFAULT and a custom FROM address
#   (EmailConfiguration.SourceArn), and no sending authorization policy of that
#   SES identity lets the service principal email.cognito-idp.amazonaws.com send
#   from it with ses:SendEmail and ses:SendRawEmail. Cognito then fails every
#   email with InvalidEmailRoleAccessPolicyException. Outside the console the
#   policy must be attached by hand. Policy conditions (aws:SourceAccount,
#   aws:SourceArn) are not judged. DEVELOPER pools are not concerned: Cognito
#   sends for them through its service-linked role. Evaluated when users are or
#   may be routed to email and no CustomEmailSender replaces Cognito's email.
# related_resources:
#   - ref: https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-email.html
#     description: Email settings for user pools (custom FROM with COGNITO_DEFAULT)
#   - ref: https://docs.aws.amazon.com/ses/latest/APIReference-V2/API_GetEmailIdentity.html
#     description: GetEmailIdentity (Policies)
#   - ref: https://docs.aws.amazon.com/ses/latest/APIReference-V2/API_CreateEmailIdentityPolicy.html
#     description: CreateEmailIdentityPolicy
# custom:
#   id: RC-EMAIL-007
#   severity: critical
#   channel: email
#   effect: blocks
#   remediation: |
#     Attach a sending authorization policy for Cognito to the identity (policy.json: Effect Allow,
#     Principal {"Service": "email.cognito-idp.amazonaws.com"}, Action ["ses:SendEmail", "ses:SendRawEmail"],
#     Resource the identity's ARN, Condition aws:SourceAccount <account-id> and aws:SourceArn <pool-arn>):
#     aws sesv2 create-email-identity-policy --email-identity <identity> --policy-name cognito \
#       --policy file://policy.json --region <ses-region>
package recoverscan.rules.email.cognito_sending_policy_missing

import data.recoverscan.lib.channel
import data.recoverscan.lib.report
import data.recoverscan.lib.sources

report contains report.fail(
	sprintf("%s Cognito's emails fail with InvalidEmailRoleAccessPolicyException.", [channel.cognito_send_problem]),
	{
		"identity": input.pool.email.identity,
		"ses_region": input.pool.email.ses_region,
		"sending_account": input.pool.email.sending_account,
		"cognito_may_send": channel.identity.cognito_may_send,
		"exception": "InvalidEmailRoleAccessPolicyException",
	},
) if {
	channel.cognito_send_problem
}

report contains report.indeterminate(
	"The pool's custom FROM identity was not read, so it is unknown whether its sending authorization policy lets Cognito send from it.",
	channel.identity_read,
) if {
	channel.cognito_sends_from_identity
	channel.identity_checked
	sources.unread(channel.identity_read)
}
