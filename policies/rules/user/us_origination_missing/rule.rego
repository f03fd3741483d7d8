# METADATA
# title: No US origination number for a US recovery number
# description: |
#   Cognito sends this user's code by SMS to a US number, and the pool's SMS
#   region has no active, SMS-capable US origination identity (short code,
#   10DLC or registered toll-free number). "Starting June 1, 2021, US telecom
#   carriers require you to register an origination phone number before you
#   can send SMS messages to US phone numbers", in the sandbox and in
#   production alike: without one the text is not delivered. Not evaluated
#   when a CustomSMSSender trigger sends the pool's text messages.
#   For a pool without SnsRegion that may also send through a legacy
#   alternate SNS region, the condition is judged in both: it fails when it
#   holds in both, and is indeterminate when it holds in only one, since
#   which region sends is not documented.
# related_resources:
#   - ref: https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_ForgotPassword.html
#     description: ForgotPassword
#   - ref: https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-sms-settings.html
#     description: SMS message settings for user pools
#   - ref: https://docs.aws.amazon.com/sns/latest/api/API_ListOriginationNumbers.html
#     description: ListOriginationNumbers
# custom:
#   id: RC-USER-016
#   severity: high
#   channel: sms
#   effect: blocks
#   remediation: |
#     Obtain and register a US origination identity (10DLC, toll-free or short code) in the pool's SMS
#     region through AWS End User Messaging SMS; Cognito uses it automatically. Check with:
#     aws sns list-origination-numbers --region <sms-region>
package recoverscan.rules.user.us_origination_missing

import data.recoverscan.lib.recipient
import data.recoverscan.lib.recovery
import data.recoverscan.lib.report

report contains recovery.on_channel(
	"sms",
	sprintf(
		"The user's number is a US number and there is no active, SMS-capable US origination identity (in SNS or End User Messaging) %s, so US carriers do not deliver the recovery text.%s",
		[recipient.sms_where, recovery.lockout_note],
	),
	{
		"phone_masked": input.user.phone.masked,
		# recipient.blocked holds for US numbers only.
		"phone_country": "US",
		"sms_region": input.sms.region,
		"sms_regions": sort(recipient.sms_blocked_in("RC-USER-016")),
		"origination_countries": sort({number.country | some number in input.sms.origination_numbers.numbers}),
	},
) if {
	recipient.stops("RC-USER-016")
}

report contains report.indeterminate(
	sprintf("It is unknown whether the SMS region has a US origination identity for this US number: %s (%s).", [source.action, source.error]),
	source,
) if {
	some source in recipient.unsettled("RC-USER-016")
}
