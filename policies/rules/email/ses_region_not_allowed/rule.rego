# METADATA
# title: SES identity Region not allowed for the pool's Region
# description: |
#   "The Region value of the SourceArn parameter must indicate a supported
#   Amazon Web Services Region of your user pool." The SES Region of the
#   pool's SourceArn is not one the Cognito guide's table allows for the
#   pool's Region (us-east-1, us-west-2 and eu-west-1 pools: those three;
#   us-east-2: itself and those three; us-west-1: itself only; ca-central-1,
#   ap-northeast-1, ap-northeast-2, ap-south-1, ap-southeast-1,
#   ap-southeast-2, eu-west-2, eu-central-1: itself and those three;
#   eu-west-3, eu-north-1, eu-south-1, me-south-1, sa-east-1: itself only).
#   Cognito likely rejects such a configuration when it is set, so a finding
#   means drift or a table that moved on; the table is the 2023 guide's.
#   Pools in Regions the table does not list are judged only when the SES
#   Region differs from the pool's (indeterminate).
# related_resources:
#   - ref: https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-email.html
#     description: Email settings for user pools (SES Regions)
#   - ref: https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_EmailConfigurationType.html
#     description: EmailConfigurationType (SourceArn)
# custom:
#   id: RC-EMAIL-004
#   severity: medium
#   channel: email
#   effect: endangers
#   remediation: |
#     Verify a sending identity in an SES Region allowed for the pool's Region and point the pool at it:
#     aws cognito-idp update-user-pool --user-pool-id <pool-id> \
#       --email-configuration EmailSendingAccount=DEVELOPER,SourceArn=<ses-identity-arn>,From=<from-address>
#     WARNING: update-user-pool resets every setting you omit to its default (an omitted LambdaConfig
#     removes every trigger, an omitted SmsConfiguration removes SMS). Read the pool with
#     aws cognito-idp describe-user-pool --user-pool-id <pool-id>
#     and pass its full current configuration along with the change.
package recoverscan.rules.email.ses_region_not_allowed

import data.recoverscan.lib.channel
import data.recoverscan.lib.report
import data.recoverscan.lib.sources

shared := {"us-east-1", "us-west-2", "eu-west-1"}

own_and_shared := {
	"us-east-2", "ca-central-1", "ap-northeast-1", "ap-northeast-2", "ap-south-1",
	"ap-southeast-1", "ap-southeast-2", "eu-west-2", "eu-central-1",
}

own_only := {"us-west-1", "eu-west-3", "eu-north-1", "eu-south-1", "me-south-1", "sa-east-1"}

# Pool Region -> allowed SES Regions (facts B.5).
allowed[region] := shared if some region in shared

allowed[region] := shared | {region} if some region in own_and_shared

allowed[region] := {region} if some region in own_only

pool_region := input.pool.region

ses_region := input.pool.email.ses_region

applies if {
	channel.ses_identity_used
}

evidence := {
	"pool_region": pool_region,
	"ses_region": ses_region,
	"sending_account": input.pool.email.sending_account,
}

# The table does not know the pool's Region.
table_source := {
	"status": "unavailable",
	"action": "cognito-idp:DescribeUserPool",
	"error": "the SES Region table of the Cognito guide (2023) does not list this pool Region",
}

report contains report.fail(
	sprintf(
		"The pool's SES identity is in %s, which is not an SES Region a pool in %s may send from, so Cognito may refuse to send its email.",
		[ses_region, pool_region],
	),
	object.union(evidence, {"allowed_ses_regions": sort(allowed[pool_region])}),
) if {
	applies
	not ses_region in allowed[pool_region]
}

report contains report.indeterminate(
	sprintf(
		"The pool in %s sends email from an SES identity in %s, and the scanner's table of allowed SES Regions does not list the pool's Region.",
		[pool_region, ses_region],
	),
	table_source,
) if {
	applies
	not allowed[pool_region]
	ses_region != pool_region
}

report contains report.indeterminate(
	"The pool's settings were not read, so it is unknown whether its SES identity is in an allowed Region.",
	input.pool.read,
) if {
	sources.unread(input.pool.read)
}
