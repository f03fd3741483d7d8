# METADATA
# title: SMS may go through either of two SNS Regions
# description: |
#   The pool has no SmsConfiguration.SnsRegion and its Region has a legacy
#   alternate SNS Region: "When you programmatically create an Amazon Cognito
#   user pools resource in an Amazon Cognito Region from the following table
#   and you do not provide an SnsRegion parameter, your user pool can send SMS
#   messages with Amazon SNS resources in a legacy Amazon SNS Region"
#   (us-east-2 > us-east-1, ap-south-1 > ap-southeast-1, ca-central-1 >
#   us-east-1, eu-central-1 > eu-west-1, eu-west-2 > eu-west-1). Which Region
#   Cognito actually uses is not documented, so the scan reads SNS in both
#   and judges the pool's texts in both: a problem in only one of them makes
#   the users' outcome uncertain, and every SMS setting (sandbox, spend
#   limit, origination numbers) has to be kept in two Regions. That finding
#   is the risk itself, with no effect on the users' verdicts: pin SnsRegion.
#   When the snapshot holds no state of the alternate Region (one written by
#   a version that did not read it), the finding is indeterminate, since
#   the texts may go through a Region nobody checked: the declared effect
#   (endangers) is that finding's, so the pool's SMS users may not receive
#   a code. Also reported when a
#   pool in Seoul (ap-northeast-2) reads its SNS state anywhere but Tokyo:
#   Seoul pools "must use your Amazon SNS configuration in the Asia Pacific
#   (Tokyo) Region".
# related_resources:
#   - ref: https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-sms-settings.html
#     description: SMS message settings for user pools (legacy SNS Regions)
#   - ref: https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_SmsConfigurationType.html
#     description: SmsConfigurationType (SnsRegion)
# custom:
#   id: RC-SMS-005
#   severity: medium
#   channel: sms
#   effect: endangers
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

# The engine evaluates SMS rules once per SNS region (input.sms), so the
# findings here read only the pool, and are the same in both.
evidence := {
	"pool_region": input.pool.region,
	"sns_region": input.pool.sms.sns_region,
	"sms_region": input.pool.sms.region,
}

# End User Messaging direct (EumsSms) sends in the pool's own Region.
unpinned if {
	channel.sns_used
	not input.pool.sms.eums
	input.pool.sms.sns_region == ""
}

report contains report.risk(
	sprintf(
		concat(" ", [
			"The pool sets no SnsRegion, so Cognito may send its text messages through %s or through the legacy SNS Region %s,",
			"and which one is not documented: SMS is judged in both, a problem in either makes recovery texts uncertain,",
			"and both Regions' SMS settings must be kept.",
		]),
		[input.pool.sms.region, alternate],
	),
	object.union(evidence, {"legacy_sns_region": alternate}),
) if {
	unpinned
	alternate := input.pool.sms.alternate_region
	alternate != ""
	alternate != input.pool.sms.region
}

report contains report.indeterminate(
	sprintf(
		"The pool sets no SnsRegion, so Cognito may send its text messages through the legacy SNS Region %s, and the snapshot holds no SMS state of that Region.",
		[alternate],
	),
	{
		"status": "skipped",
		"action": "sns:GetSMSAttributes",
		"error": sprintf("the snapshot holds no SNS state of the legacy alternate region %s", [alternate]),
	},
) if {
	unpinned
	input.pool.sms.alternate_region == ""
	alternate := legacy_alternate[input.pool.region]
	alternate != input.pool.sms.region
}

report contains report.risk(
	"The pool is in Seoul (ap-northeast-2), whose pools must send SMS with the SNS configuration of Tokyo (ap-northeast-1), and its SNS Region is not Tokyo.",
	evidence,
) if {
	channel.sns_used
	input.pool.region == "ap-northeast-2"
	input.pool.sms.region != "ap-northeast-1"
}

report contains report.indeterminate(
	"The pool's settings were not read, so it is unknown which SNS Region its text messages go through.",
	input.pool.read,
) if {
	sources.unread(input.pool.read)
}
