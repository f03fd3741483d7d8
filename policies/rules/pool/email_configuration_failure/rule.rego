# METADATA
# title: Cognito reports an email configuration failure (deprecated field)
# description: |
#   DescribeUserPool's EmailConfigurationFailure is set. The field is
#   "Deprecated. Review error codes from API requests with
#   EventSource:cognito-idp.amazonaws.com in CloudTrail for information about
#   problems with user pool email configuration", so it is a weak signal: it
#   may be stale, and its absence proves nothing. The decisive email checks
#   are RC-EMAIL-002, RC-EMAIL-003, RC-EMAIL-005 and RC-EMAIL-006. Evaluated
#   when users are or may be routed to email and no CustomEmailSender sends
#   the pool's email. The failure text is kept in the evidence only.
# related_resources:
#   - ref: https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_UserPoolType.html
#     description: UserPoolType (EmailConfigurationFailure)
#   - ref: https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-email.html
#     description: Email settings for user pools
# custom:
#   id: RC-POOL-010
#   severity: medium
#   channel: email
#   remediation: |
#     Look for the current error in CloudTrail (events with eventSource cognito-idp.amazonaws.com and an errorCode):
#     aws cloudtrail lookup-events --region <region> \
#       --lookup-attributes AttributeKey=EventSource,AttributeValue=cognito-idp.amazonaws.com
#     and check the pool's email configuration:
#     aws cognito-idp describe-user-pool --user-pool-id <pool-id> --query UserPool.EmailConfiguration
package recoverscan.rules.pool.email_configuration_failure

import data.recoverscan.lib.channel
import data.recoverscan.lib.report
import data.recoverscan.lib.sources

report contains report.fail(
	"Cognito reports an email configuration failure for the pool (a deprecated field that may be stale): recovery emails may fail; check CloudTrail for current errors.",
	{
		"email_configuration_failure": input.pool.email_configuration_failure,
		"sending_account": input.pool.email.sending_account,
	},
) if {
	sources.ok(input.pool.read)
	input.pool.email_configuration_failure != ""
	not channel.custom_email_sender
}

report contains report.indeterminate(
	"The pool's settings were not read, so it is unknown whether Cognito reports an email configuration failure.",
	input.pool.read,
) if {
	sources.unread(input.pool.read)
}
