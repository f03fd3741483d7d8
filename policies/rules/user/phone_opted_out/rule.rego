# METADATA
# title: Recovery phone number has opted out of SMS
# description: |
#   Cognito sends this user's code by SMS, and the number is on the SNS
#   opt-out list of the pool's SMS region (the recipient replied STOP).
#   "You cannot send SMS messages to a number that is opted out": no code
#   arrives, and Cognito does not fall back to email when delivery fails. Not
#   evaluated when a CustomSMSSender trigger sends the pool's text messages.
#   For a pool without SnsRegion that may also send through a legacy
#   alternate SNS region, the condition is judged in both: it fails when it
#   holds in both, and is indeterminate when it holds in only one, since
#   which region sends is not documented.
# related_resources:
#   - ref: https://docs.aws.amazon.com/sns/latest/api/API_CheckIfPhoneNumberIsOptedOut.html
#     description: CheckIfPhoneNumberIsOptedOut
#   - ref: https://docs.aws.amazon.com/sns/latest/dg/sms_manage.html
#     description: Managing phone numbers and subscriptions (opt-out)
# custom:
#   id: RC-USER-012
#   severity: high
#   channel: sms
#   effect: blocks
#   remediation: |
#     If the user agrees to receive texts again, opt the number back in, in the pool's SMS region
#     (possible once every 30 days):
#     aws sns opt-in-phone-number --phone-number <phone-number-e164> --region <sms-region>
#     or give the user a verified email address and an email recovery mechanism.
package recoverscan.rules.user.phone_opted_out

import data.recoverscan.lib.recipient
import data.recoverscan.lib.recovery
import data.recoverscan.lib.report

report contains recovery.on_channel(
	"sms",
	sprintf(
		"The user's phone number has opted out of SMS %s, so the recovery text is not delivered.%s",
		[recipient.sms_where, recovery.lockout_note],
	),
	{
		"phone_masked": input.user.phone.masked,
		"sms_region": input.sms.region,
		"sms_regions": sort(recipient.sms_blocked_in("RC-USER-012")),
	},
) if {
	recipient.stops("RC-USER-012")
}

report contains report.indeterminate(
	sprintf("It is unknown whether the user's number has opted out of SMS where Cognito sends the recovery text: %s.", [source.error]),
	source,
) if {
	some source in recipient.unsettled("RC-USER-012")
}
