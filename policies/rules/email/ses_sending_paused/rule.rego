# METADATA
# title: SES sending paused for the account
# description: |
#   The pool sends email with the account's own SES (DEVELOPER), and SES
#   sending is paused in the SES region: the account is under enforcement
#   SHUTDOWN ("Your account's ability to send email is currently paused") or
#   SendingEnabled is false. No recovery email leaves SES. Under PROBATION
#   sending continues, but SES shuts it down if the account's bounce or
#   complaint rates do not improve, so that finding endangers the pool's
#   email rather than blocking it. Reported when users are or may be routed
#   to email and no CustomEmailSender replaces SES.
# related_resources:
#   - ref: https://docs.aws.amazon.com/ses/latest/APIReference-V2/API_GetAccount.html
#     description: GetAccount (SendingEnabled, EnforcementStatus)
#   - ref: https://docs.aws.amazon.com/ses/latest/APIReference-V2/API_PutAccountSendingAttributes.html
#     description: PutAccountSendingAttributes
# custom:
#   id: RC-EMAIL-005
#   severity: critical
#   channel: email
#   effect: blocks
#   remediation: |
#     If sending was disabled by the account (not by SES enforcement), re-enable it:
#     aws sesv2 put-account-sending-attributes --sending-enabled --region <ses-region>
#     Under SHUTDOWN or PROBATION, resolve the enforcement case with AWS (SES console, Reputation metrics)
#     first; check the account's status with:
#     aws sesv2 get-account --region <ses-region>
package recoverscan.rules.email.ses_sending_paused

import data.recoverscan.lib.channel
import data.recoverscan.lib.report
import data.recoverscan.lib.sources

report contains report.fail(
	sprintf("%s No recovery email leaves SES.", [channel.ses_account_problem]),
	{
		"ses_region": input.email.region,
		"sending_enabled": input.email.account.sending_enabled,
		"enforcement_status": input.email.account.enforcement_status,
	},
) if {
	channel.ses_account_problem
}

report contains report.endangers(
	"The account's SES is under enforcement PROBATION in the pool's SES region: recovery emails still leave SES, but SES pauses sending if the account's bounce and complaint rates do not improve.",
	{
		"ses_region": input.email.region,
		"sending_enabled": input.email.account.sending_enabled,
		"enforcement_status": "PROBATION",
	},
) if {
	channel.ses_account_used
	sources.ok(input.email.account.read)
	input.email.account.enforcement_status == "PROBATION"
	not channel.ses_account_problem
}

report contains report.indeterminate(
	"The SES account status of the pool's SES region was not read, so it is unknown whether SES sending is paused.",
	input.email.account.read,
) if {
	channel.ses_account_used
	sources.unread(input.email.account.read)
}
