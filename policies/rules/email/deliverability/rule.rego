# METADATA
# title: Recovery email deliverability (default FROM address or no DKIM)
# description: |
#   Recovery emails are more likely to land in spam, the first thing both AWS
#   troubleshooting articles tell users to check. Either the pool has no
#   SourceArn, so Cognito sends from its default address
#   no-reply@verificationemail.com, not from the organisation's domain; or the
#   SES identity named by the SourceArn has DKIM that is not SUCCESS, so the
#   messages are not DKIM-signed for the domain. No certain failure.
#   Evaluated when users are or may be routed to email and no
#   CustomEmailSender sends the pool's email.
# related_resources:
#   - ref: https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_EmailConfigurationType.html
#     description: EmailConfigurationType (SourceArn, From)
#   - ref: https://docs.aws.amazon.com/ses/latest/dg/send-email-authentication-dkim.html
#     description: Authenticating email with DKIM in Amazon SES
# custom:
#   id: RC-EMAIL-011
#   severity: low
#   channel: email
#   remediation: |
#     Send from your own verified domain:
#     aws cognito-idp update-user-pool --user-pool-id <pool-id> \
#       --email-configuration EmailSendingAccount=DEVELOPER,SourceArn=<ses-identity-arn>,From=<from-address>
#     WARNING: update-user-pool resets every setting you omit to its default (an omitted LambdaConfig
#     removes every trigger, an omitted SmsConfiguration removes SMS). Read the pool with
#     aws cognito-idp describe-user-pool --user-pool-id <pool-id>
#     and pass its full current configuration along with the change.
#     For a domain identity without DKIM, publish its DKIM records and check:
#     aws sesv2 get-email-identity --email-identity <identity> --region <ses-region>
package recoverscan.rules.email.deliverability

import data.recoverscan.lib.channel
import data.recoverscan.lib.report
import data.recoverscan.lib.sources

applies if {
	sources.ok(input.pool.read)
	not channel.custom_email_sender
}

report contains report.fail(
	"The pool has no SourceArn, so recovery emails come from Cognito's default address rather than your domain and are more likely to be filed as spam.",
	{"sending_account": input.pool.email.sending_account, "source_arn_set": false},
) if {
	applies
	input.pool.email.source_arn == ""
}

report contains report.fail(
	sprintf(
		"The SES identity the pool sends from has DKIM status %s, so recovery emails are not DKIM-signed for your domain and are more likely to be filed as spam.",
		[status],
	),
	{"identity": input.pool.email.identity, "dkim_status": status, "ses_region": input.email.region},
) if {
	applies
	channel.identity_checked
	sources.ok(channel.identity_read)
	channel.identity.exists
	channel.identity.dkim_status != "SUCCESS"
	status := object.get({"": "not started"}, channel.identity.dkim_status, channel.identity.dkim_status)
}

report contains report.indeterminate(
	"The SES identity the pool sends from was not read, so whether its emails are DKIM-signed is unknown.",
	channel.identity_read,
) if {
	applies
	channel.identity_checked
	sources.unread(channel.identity_read)
}

report contains report.indeterminate(
	"The pool's settings were not read, so whether its recovery emails come from your own domain is unknown.",
	input.pool.read,
) if {
	sources.unread(input.pool.read)
}
