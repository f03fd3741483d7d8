# METADATA
# title: SMS may go through a legacy SNS Region that was not checked
# description: |
#   The pool has no SmsConfiguration.SnsRegion and its Region has a legacy
#   alternate SNS Region: "When you programmatically create an Amazon Cognito
#   user pools resource in an Amazon Cognito Region from the following table
#   and you do not provide an SnsRegion parameter, your user pool can send SMS
#   messages with Amazon SNS resources in a legacy Amazon SNS Region"
#   (us-east-2 > us-east-1, ap-south-1 > ap-southeast-1, ca-central-1 >
#   us-east-1, eu-central-1 > eu-west-1, eu-west-2 > eu-west-1). Which Region
#   Cognito actually uses is not documented, and the scan judged SNS only in
#   the pool's own Region, so the sandbox, spend limit and origination numbers
#   of the other one are unchecked. Also reported when a pool in Seoul
#   (ap-northeast-2) is not set to Tokyo: Seoul pools "must use your Amazon
#   SNS configuration in the Asia Pacific (Tokyo) Region". Evaluated when
#   users are or may be routed to SMS through SNS.
# related_resources:
#   - ref: https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-sms-settings.html
#     description: SMS message settings for user pools (legacy SNS Regions)
#   - ref: https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_SmsConfigurationType.html
#     description: SmsConfigurationType (SnsRegion)
# custom:
#   id: RC-SMS-005
#   severity: medium
#   blocks_recovery: false
#   remediation: |
#     Pin the SNS Region whose SMS state you maintain (Tokyo, ap-northeast-1, for Seoul pools):
#     aws cognito-idp update-user-pool --user-pool-id <pool-id> \
#       --sms-configuration SnsCallerArn=<role-arn>,ExternalId=<external-id>,SnsRegion=<sms-region>
#     WARNING: update-user-pool resets every setting you omit to its default (an omitted LambdaConfig
#     removes every trigger, an omitted SmsConfiguration removes SMS). Read the pool with
#     aws cognito-idp describe-user-pool --user-pool-id <pool-id>
#     and pass its full current configuration along with the change.
#     A new SNS Region needs its own spend limit, production access and origination numbers.
package recoverscan.rules.sms.legacy_sns_region

import data.recoverscan.lib.channel
import data.recoverscan.lib.report
import data.recoverscan.lib.sources

# Cognito Region -> legacy alternate SNS Region (facts B.4). Seoul is separate.
legacy_alternate := {
	"us-east-2": "us-east-1",
	"ap-south-1": "ap-southeast-1",
	"ca-central-1": "us-east-1",
	"eu-central-1": "eu-west-1",
	"eu-west-2": "eu-west-1",
}

applies if {
	channel.sns_used
	channel.sms_in_use
}

report contains report.fail(
	sprintf(
		"The pool sets no SnsRegion, so Cognito may send its text messages through the legacy SNS Region %s, whose SMS state this scan did not check (it checked %s).",
		[alternate, input.sms.region],
	),
	{
		"pool_region": input.pool.region,
		"sns_region": "",
		"legacy_sns_region": alternate,
		"checked_sms_region": input.sms.region,
		"users_routed_to_sms": input.users.by_channel.sms,
	},
) if {
	applies
	input.pool.sms.sns_region == ""
	alternate := legacy_alternate[input.pool.region]
}

report contains report.fail(
	"The pool is in Seoul (ap-northeast-2), whose pools must send SMS with the SNS configuration of Tokyo (ap-northeast-1), and its SnsRegion is not Tokyo.",
	{
		"pool_region": input.pool.region,
		"sns_region": input.pool.sms.sns_region,
		"checked_sms_region": input.sms.region,
		"users_routed_to_sms": input.users.by_channel.sms,
	},
) if {
	applies
	input.pool.region == "ap-northeast-2"
	input.pool.sms.sns_region != "ap-northeast-1"
}

report contains report.indeterminate(
	"The pool's settings were not read, so it is unknown which SNS Region its text messages go through.",
	input.pool.read,
) if {
	sources.unread(input.pool.read)
}
