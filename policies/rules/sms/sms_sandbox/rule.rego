# METADATA
# title: SMS region is in the SMS sandbox
# description: |
#   The account is in the SMS sandbox of the region the pool sends texts
#   through, and users are (or may be) routed to SMS. In the sandbox texts
#   reach only verified destination numbers (at most ten): "When you're in the
#   sandbox, Amazon Cognito can't send messages to your users' phone numbers."
#   The sandbox is per region. Not evaluated when a CustomSMSSender trigger
#   sends the pool's texts.
# related_resources:
#   - ref: https://docs.aws.amazon.com/sns/latest/dg/sns-sms-sandbox.html
#     description: The SMS sandbox
#   - ref: https://docs.aws.amazon.com/sns/latest/dg/sns-sms-sandbox-moving-to-production.html
#     description: Moving out of the SMS sandbox
#   - ref: https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-sms-settings.html
#     description: SMS message settings for user pools
# custom:
#   id: RC-SMS-001
#   severity: critical
#   channel: sms
#   remediation: |
#     Request production access for SMS in the pool's SMS region (SNS console, Text messaging (SMS), Exit SMS
#     sandbox, or an AWS End User Messaging SMS support case). Check the status with:
#     aws sns get-sms-sandbox-account-status --region <sms-region>
package recoverscan.rules.sms.sms_sandbox

import data.recoverscan.lib.channel
import data.recoverscan.lib.report
import data.recoverscan.lib.sources

report contains report.fail(
	"The account is in the SMS sandbox of the pool's SMS region, so recovery texts reach only the few verified sandbox numbers.",
	{
		"sms_region": input.sms.region,
		"in_sandbox": true,
		"verified_destination_count": input.sms.sandbox.verified_destination_count,
	},
) if {
	channel.sns_used
	sources.ok(input.sms.sandbox.read)
	input.sms.sandbox.in_sandbox
}

report contains report.indeterminate(
	"The SMS sandbox status of the pool's SMS region was not read, so it is unknown whether recovery texts reach users.",
	input.sms.sandbox.read,
) if {
	channel.sns_used
	sources.unread(input.sms.sandbox.read)
}
