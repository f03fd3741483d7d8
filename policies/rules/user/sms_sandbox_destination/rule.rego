# METADATA
# title: Recovery phone number is not a verified SMS sandbox destination
# description: |
#   Cognito sends this user's code by SMS, the account is in the SMS sandbox
#   of the pool's SMS region, and the user's number is not one of the (at most
#   ten) verified sandbox destinations. "In sandbox mode, you can send
#   messages only to verified phone numbers": no code arrives. Not evaluated
#   when a CustomSMSSender trigger sends the pool's text messages.
#   For a pool without SnsRegion that may also send through a legacy
#   alternate SNS region, the condition is judged in both: it fails when it
#   holds in both, and is indeterminate when it holds in only one, since
#   which region sends is not documented.
# related_resources:
#   - ref: https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_ForgotPassword.html
#     description: ForgotPassword
#   - ref: https://docs.aws.amazon.com/sns/latest/dg/sns-sms-sandbox.html
#     description: The SMS sandbox
#   - ref: https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-sms-settings.html
#     description: SMS message settings for user pools
# custom:
#   id: RC-USER-013
#   severity: high
#   channel: sms
#   effect: blocks
#   remediation: |
#     Move the account out of the SMS sandbox in the pool's SMS region (SNS console, Text messaging (SMS),
#     Exit SMS sandbox; or an End User Messaging support case), see RC-SMS-001. Verifying individual
#     numbers does not scale (at most 10):
#     aws sns create-sms-sandbox-phone-number --phone-number <phone-number-e164> --region <sms-region>
package recoverscan.rules.user.sms_sandbox_destination

import data.recoverscan.lib.recipient
import data.recoverscan.lib.recovery
import data.recoverscan.lib.report

sandbox := input.sms.sandbox

region_message := "The pool sets no SnsRegion, its two possible SNS regions differ on whether this number can receive texts, and which one Cognito uses is not documented."

unknown_message := {
	"sns:GetSMSSandboxAccountStatus": "The SMS sandbox status of the pool's SMS region was not read, so it is unknown whether the recovery text can reach the user's number.",
	"sns:ListSMSSandboxPhoneNumbers": "The account is in the SMS sandbox, and its verified destinations were not read, so it is unknown whether the recovery text can reach the user's number.",
}

report contains recovery.on_channel(
	"sms",
	sprintf(
		"The account is in the SMS sandbox %s and the user's number is not a verified sandbox destination there, so the recovery text is not delivered.%s",
		[recipient.sms_where, recovery.lockout_note],
	),
	{
		"phone_masked": input.user.phone.masked,
		"sms_region": input.sms.region,
		"sms_regions": sort(recipient.sms_blocked_in("RC-USER-013")),
		"in_sandbox": true,
		"sandbox_verified": false,
		"verified_destination_count": sandbox.verified_destination_count,
	},
) if {
	recipient.stops("RC-USER-013")
}

report contains report.indeterminate(object.get(unknown_message, source.action, region_message), source) if {
	some source in recipient.unsettled("RC-USER-013")
}
