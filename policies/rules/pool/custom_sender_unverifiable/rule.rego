# METADATA
# title: Recovery codes delivered by a custom sender function
# description: |
#   A CustomSMSSender or CustomEmailSender trigger with the pool's KMS key
#   replaces SNS or SES for its channel: "Amazon Cognito always sends user
#   attributes ... and the one-time code to your Lambda function" instead of
#   sending the message, and the function delivers it. Whether it does is
#   beyond what recoverscan reads (the function's code, errors, the key's
#   policy and the function's kms:Decrypt permission). Custom senders are
#   invoked asynchronously, so ForgotPassword reports success even when the
#   function fails: a code on that channel may not arrive, and nobody is
#   told. One finding per sender. Without a KMS key the trigger cannot work
#   at all (RC-POOL-012).
# related_resources:
#   - ref: https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-lambda-custom-sender-triggers.html
#     description: Custom sender Lambda triggers
#   - ref: https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_LambdaConfigType.html
#     description: LambdaConfigType (KMSKeyID, CustomSMSSender, CustomEmailSender)
# custom:
#   id: RC-POOL-018
#   severity: low
#   channel: [sms, email]
#   effect: endangers
#   remediation: |
#     Check that the function delivers: its errors and logs, and a test recovery on the channel.
#     aws logs tail /aws/lambda/<function> --since 7d --filter-pattern ERROR --region <region>
#     aws cloudwatch get-metric-statistics --namespace AWS/Lambda --metric-name Errors \
#       --dimensions Name=FunctionName,Value=<function> --statistics Sum --period 86400 \
#       --start-time <start> --end-time <now> --region <region>
#     The function's role needs kms:Decrypt on the pool's key, and the key policy must let
#     cognito-idp.amazonaws.com create grants.
package recoverscan.rules.pool.custom_sender_unverifiable

import data.recoverscan.lib.channel
import data.recoverscan.lib.report
import data.recoverscan.lib.sources

# The custom sender triggers the pool has, by the channel they send on.
senders["sms"] := {"trigger": "CustomSMSSender", "function_arn": input.pool.triggers.custom_sms_sender} if {
	channel.custom_sms_sender
}

senders["email"] := {"trigger": "CustomEmailSender", "function_arn": input.pool.triggers.custom_email_sender} if {
	channel.custom_email_sender
}

name_of := {"sms": "SMS", "email": "email"}

# One finding per sender; evidence.channel files it under that channel.
report contains report.fail(
	sprintf(
		"The pool's %s trigger delivers its recovery codes by %s in place of Cognito, through a function recoverscan cannot check; it runs asynchronously, so ForgotPassword reports success even when the function fails.",
		[sender.trigger, label],
	),
	{
		"channel": name,
		"trigger": sender.trigger,
		"function_arn": sender.function_arn,
		"kms_key_set": true,
	},
) if {
	sources.ok(input.pool.read)
	input.pool.triggers.kms_key_set
	some name, sender in senders
	label := name_of[name]
}

report contains report.indeterminate(
	"The pool's settings were not read, so it is unknown whether a custom sender function delivers its recovery codes.",
	input.pool.read,
) if {
	sources.unread(input.pool.read)
}
