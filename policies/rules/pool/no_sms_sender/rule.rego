# METADATA
# title: Recovery can use SMS but the pool cannot send SMS
# description: |
#   The recovery setting can route users to SMS (a verified_phone_number
#   mechanism, or the legacy phone-first behaviour), but the pool has no
#   SmsConfiguration (no SNS caller role, no End User Messaging configuration)
#   and no CustomSMSSender trigger. Cognito sends text messages by assuming
#   that role, so every user routed to SMS gets no code (see RC-USER-018 for
#   the users affected).
# related_resources:
#   - ref: https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_SmsConfigurationType.html
#     description: SmsConfigurationType
#   - ref: https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-sms-settings.html
#     description: SMS message settings for user pools
#   - ref: https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_UpdateUserPool.html
#     description: UpdateUserPool
# custom:
#   id: RC-POOL-004
#   severity: critical
#   channel: sms
#   effect: blocks
#   remediation: |
#     Configure SMS with a role Cognito may assume (trust cognito-idp.amazonaws.com with the external id,
#     allow sns:Publish):
#     aws cognito-idp update-user-pool --user-pool-id <pool-id> \
#       --sms-configuration SnsCallerArn=<role-arn>,ExternalId=<external-id>,SnsRegion=<sms-region>
#     or route recovery to email only (--account-recovery-setting 'RecoveryMechanisms=[{Priority=1,Name=verified_email}]').
#     WARNING: update-user-pool resets every setting you omit to its default (an omitted LambdaConfig
#     removes every trigger, an omitted SmsConfiguration removes SMS). Read the pool with
#     aws cognito-idp describe-user-pool --user-pool-id <pool-id>
#     and pass its full current configuration along with the change.
package recoverscan.rules.pool.no_sms_sender

import data.recoverscan.lib.channel
import data.recoverscan.lib.recovery
import data.recoverscan.lib.report
import data.recoverscan.lib.sources

report contains report.fail(
	"The pool's recovery setting can send the code by SMS, but the pool has no SMS configuration and no CustomSMSSender trigger, so every user routed to SMS gets no code.",
	{
		"recovery_order": recovery.order,
		"legacy": recovery.legacy,
		"sms_configured": input.pool.sms.configured,
		"custom_sms_sender": false,
	},
) if {
	"sms" in recovery.order
	channel.sms_no_sender
}

report contains report.indeterminate(
	"The pool's settings were not read, so it is unknown whether it can send the text messages its recovery setting may need.",
	input.pool.read,
) if {
	sources.unread(input.pool.read)
}
