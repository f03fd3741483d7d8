# METADATA
# title: Cognito's default email sending on a large pool
# description: |
#   The pool sends email with Cognito's built-in sender (COGNITO_DEFAULT).
#   "Amazon Cognito allows only a limited number of emails each day for your
#   user pool. For typical production environments, the default email limit
#   is less than the required delivery volume" (50 a day per account in the
#   2023 quota table, not adjustable). Once it is used up every email code
#   fails until the next day with LimitExceededException "Exceeded daily email
#   limit". Reported for pools with at least max_users users (estimated or
#   listed; a parameter, 1000 by default) whose users are or may be routed
#   to email; not when a CustomEmailSender sends the pool's email.
# related_resources:
#   - ref: https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_EmailConfigurationType.html
#     description: EmailConfigurationType
#   - ref: https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-email.html
#     description: Email settings for user pools
#   - ref: https://docs.aws.amazon.com/cognito/latest/developerguide/limits.html
#     description: Quotas in Amazon Cognito
# custom:
#   id: RC-EMAIL-001
#   severity: high
#   channel: email
#   effect: endangers
#   params:
#     max_users: 1000
#   remediation: |
#     Send through your own Amazon SES identity (verified, out of the SES sandbox):
#     aws cognito-idp update-user-pool --user-pool-id <pool-id> \
#       --email-configuration EmailSendingAccount=DEVELOPER,SourceArn=<ses-identity-arn>,From=<from-address>
#     WARNING: update-user-pool resets every setting you omit to its default (an omitted LambdaConfig
#     removes every trigger, an omitted SmsConfiguration removes SMS). Read the pool with
#     aws cognito-idp describe-user-pool --user-pool-id <pool-id>
#     and pass its full current configuration along with the change.
package recoverscan.rules.email.cognito_default_volume

import data.recoverscan.lib.channel
import data.recoverscan.lib.params
import data.recoverscan.lib.report
import data.recoverscan.lib.sources

# The pool size from which the default sender is reported (custom.params).
max_users := params.of(rego.metadata.chain()).max_users

large if input.pool.estimated_users >= max_users

report contains report.fail(
	"The pool sends email with Cognito's default sender, whose small daily quota a pool of this size can exhaust, after which every recovery email fails until the next day.",
	{
		"sending_account": input.pool.email.sending_account,
		"estimated_users": input.pool.estimated_users,
		"threshold": max_users,
	},
) if {
	sources.ok(input.pool.read)
	not channel.custom_email_sender
	input.pool.email.sending_account in {"COGNITO_DEFAULT", ""}
	large
}

report contains report.indeterminate(
	"The pool's settings were not read, so it is unknown whether this large pool sends email with Cognito's daily-capped default sender.",
	input.pool.read,
) if {
	sources.unread(input.pool.read)
}
