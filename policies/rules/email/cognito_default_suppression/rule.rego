# METADATA
# title: Cognito default email keeps bounced addresses on a list you cannot see
# description: |
#   The pool sends email with Cognito's built-in sender (COGNITO_DEFAULT), and
#   users are or may be routed to email. Hard bounces put an address on an
#   AWS-managed suppression list: "If an undeliverable email address becomes
#   deliverable later, you can't control its removal from the suppression list
#   while your user pool is configured to use the default functionality. An
#   email address can remain on the AWS-managed suppression list
#   indefinitely." Such users silently get no recovery email, and the scanner
#   (like the administrator) cannot see which users are affected. With your
#   own SES (DEVELOPER) the account-level list can be read and cleared
#   (RC-USER-011). Advisory; not reported when a CustomEmailSender sends the
#   pool's email.
# related_resources:
#   - ref: https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-email.html
#     description: Email settings for user pools (default email functionality)
# custom:
#   id: RC-EMAIL-010
#   severity: medium
#   channel: email
#   remediation: |
#     Send through your own Amazon SES identity, whose suppression list you can inspect and clear:
#     aws cognito-idp update-user-pool --user-pool-id <pool-id> \
#       --email-configuration EmailSendingAccount=DEVELOPER,SourceArn=<ses-identity-arn>,From=<from-address>
#     WARNING: update-user-pool resets every setting you omit to its default (an omitted LambdaConfig
#     removes every trigger, an omitted SmsConfiguration removes SMS). Read the pool with
#     aws cognito-idp describe-user-pool --user-pool-id <pool-id>
#     and pass its full current configuration along with the change.
package recoverscan.rules.email.cognito_default_suppression

import data.recoverscan.lib.channel
import data.recoverscan.lib.report
import data.recoverscan.lib.sources

report contains report.fail(
	"The pool sends email with Cognito's default sender: addresses that bounced stay on an AWS-managed suppression list you cannot inspect or clear, and their users silently get no recovery email.",
	{
		"sending_account": input.pool.email.sending_account,
	},
) if {
	sources.ok(input.pool.read)
	input.pool.email.sending_account in {"COGNITO_DEFAULT", ""}
	not channel.custom_email_sender
}

report contains report.indeterminate(
	"The pool's settings were not read, so it is unknown whether its email goes through Cognito's default sender and its unreadable suppression list.",
	input.pool.read,
) if {
	sources.unread(input.pool.read)
}
