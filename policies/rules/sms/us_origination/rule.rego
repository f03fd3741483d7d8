# METADATA
# title: US recipients routed to SMS but no US origination number
# description: |
#   Users with US numbers are routed to SMS, and the pool's SMS region has no
#   active, SMS-capable US origination identity, in SNS or in End User
#   Messaging (SNS passes texts through it). US carriers require a
#   registered origination number (short code, 10DLC or toll-free) for every
#   text to a US number since June 2021, in the sandbox and in production:
#   these users' recovery texts are not delivered (RC-USER-016 lists them).
#   Not evaluated when a CustomSMSSender trigger sends the pool's texts.
# related_resources:
#   - ref: https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-sms-settings.html
#     description: SMS message settings for user pools
#   - ref: https://docs.aws.amazon.com/sns/latest/api/API_ListOriginationNumbers.html
#     description: ListOriginationNumbers
# custom:
#   id: RC-SMS-003
#   severity: high
#   remediation: |
#     Obtain and register a US origination identity (10DLC, toll-free or short code) in the pool's SMS region
#     through AWS End User Messaging SMS; Cognito uses it automatically. Check with:
#     aws sns list-origination-numbers --region <sms-region>
package recoverscan.rules.sms.us_origination

import data.recoverscan.lib.channel
import data.recoverscan.lib.report
import data.recoverscan.lib.sources

us_users := object.get(input.users.sms_by_country, "US", 0)

report contains report.fail(
	sprintf(
		"Users with US numbers (%d) are routed to SMS, but the pool's SMS region has no active, SMS-capable US origination number, so their recovery texts are not delivered.",
		[us_users],
	),
	{
		"sms_region": input.sms.region,
		"us_users_routed_to_sms": us_users,
		"origination_countries": sort({number.country | some number in input.sms.origination_numbers.numbers}),
	},
) if {
	channel.sns_used
	us_users > 0
	sources.ok(input.sms.origination_numbers.read)
	sources.ok(input.sms.eums.phone_numbers.read)
	not channel.us_origination(input.sms)
}

report contains report.indeterminate(
	"Users with US numbers are routed to SMS, and the origination identities of the pool's SMS region (in SNS or End User Messaging) were not all read.",
	source,
) if {
	channel.sns_used
	us_users > 0
	some source in channel.us_origination_unknown(input.sms)
}
