# METADATA
# title: Cognito reports an SMS configuration failure
# description: |
#   DescribeUserPool's SmsConfigurationFailure is set. InvalidSmsRoleAccessPolicyException
#   means "the Identity and Access Management role that Amazon Cognito uses to
#   send SMS messages isn't properly configured": every text fails. SNSSandbox
#   means the account is in the SMS sandbox and "messages will only reach
#   verified end users": a risk here, since each number is judged by
#   RC-USER-013; a value the rule does not know endangers SMS delivery.
#   Evaluated when recovery can route users to SMS and no CustomSMSSender
#   replaces SNS. Absence proves nothing: Cognito does not
#   fill SNSSandbox when the pool's creator lacked SNS permissions (RC-SMS-001
#   checks SNS directly).
# related_resources:
#   - ref: https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_UserPoolType.html
#     description: UserPoolType (SmsConfigurationFailure)
#   - ref: https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-sms-settings.html
#     description: SMS message settings for user pools
# custom:
#   id: RC-POOL-008
#   severity: critical
#   channel: sms
#   effect: blocks
#   remediation: |
#     InvalidSmsRoleAccessPolicyException: let the pool's SMS role publish (sns:Publish) and trust
#     cognito-idp.amazonaws.com with the pool's external id; inspect it with
#     aws cognito-idp describe-user-pool --user-pool-id <pool-id> --query UserPool.SmsConfiguration
#     aws iam get-role --role-name <role-name>
#     SNSSandbox: move the SMS region out of the SMS sandbox (see RC-SMS-001).
package recoverscan.rules.pool.sms_configuration_failure

import data.recoverscan.lib.channel
import data.recoverscan.lib.recovery
import data.recoverscan.lib.report
import data.recoverscan.lib.sources

failure := input.pool.sms_configuration_failure

role_broken if contains(failure, "InvalidSmsRoleAccessPolicyException")

sandbox_only if {
	not role_broken
	contains(failure, "SNSSandbox")
}

evidence := {
	"sms_configuration_failure": failure,
	"recovery_order": recovery.order,
}

applies if {
	failure != ""
	"sms" in recovery.order
	channel.sns_used
}

# The role may not publish: every text fails (the declared effect, blocks).
report contains report.fail(
	sprintf(
		"Cognito reports SmsConfigurationFailure %q for the pool: the SMS role may not publish, so every text message fails with InvalidSmsRoleAccessPolicyException.",
		[failure],
	),
	object.union(evidence, {"exception": "InvalidSmsRoleAccessPolicyException"}),
) if {
	applies
	role_broken
}

# The sandbox stops only unverified numbers, which RC-USER-013 judges per
# recipient; Cognito's own flag is a risk.
report contains report.risk(
	sprintf(
		"Cognito reports SmsConfigurationFailure %q for the pool: the account is in the SMS sandbox, so texts reach only verified sandbox destinations.",
		[failure],
	),
	evidence,
) if {
	applies
	sandbox_only
}

# A value this rule does not know: texts may fail.
report contains report.endangers(
	sprintf("Cognito reports SmsConfigurationFailure %q for the pool: SMS delivery may fail.", [failure]),
	evidence,
) if {
	applies
	not role_broken
	not sandbox_only
}

report contains report.indeterminate(
	"The pool's settings were not read, so it is unknown whether Cognito reports an SMS configuration failure.",
	input.pool.read,
) if {
	sources.unread(input.pool.read)
}
