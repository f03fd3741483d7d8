# METADATA
# title: Custom sender trigger without a KMS key
# description: |
#   A CustomSMSSender or CustomEmailSender trigger replaces SNS or SES for its
#   channel: "Amazon Cognito always sends user attributes ... and the one-time
#   code to your Lambda function" instead of sending the message. The code is
#   encrypted with LambdaConfig.KMSKeyID, which the custom sender triggers
#   require, and the pool has none, so the trigger cannot receive a code it
#   can decrypt and deliver. Custom senders run asynchronously, so
#   ForgotPassword still reports success. One finding per sender, filed
#   under its channel. The scanner does not read the key's state, its
#   policy or the function's permissions (see COVERAGE.md); with a key, the
#   sender is RC-POOL-018's finding.
# related_resources:
#   - ref: https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_LambdaConfigType.html
#     description: LambdaConfigType (KMSKeyID, CustomSMSSender, CustomEmailSender)
#   - ref: https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-lambda-custom-sender-triggers.html
#     description: Custom sender Lambda triggers
# custom:
#   id: RC-POOL-012
#   severity: high
#   channel: [sms, email]
#   effect: blocks
#   remediation: |
#     Give the pool a symmetric KMS key that allows cognito-idp.amazonaws.com kms:CreateGrant and the function
#     kms:Decrypt, in the pool's LambdaConfig together with every existing trigger:
#     aws cognito-idp update-user-pool --user-pool-id <pool-id> \
#       --lambda-config 'KMSKeyID=<kms-key-arn>,CustomSMSSender={LambdaArn=<function-arn>,LambdaVersion=V1_0},...'
#     WARNING: update-user-pool resets every setting you omit to its default (an omitted LambdaConfig
#     removes every trigger, an omitted SmsConfiguration removes SMS). Read the pool with
#     aws cognito-idp describe-user-pool --user-pool-id <pool-id>
#     and pass its full current configuration along with the change.
package recoverscan.rules.pool.custom_sender_without_kms

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
		"The pool's %s trigger replaces Cognito's own sending, but the pool has no KMS key to encrypt the codes it hands to the trigger, so recovery codes cannot be delivered by %s.",
		[sender.trigger, label],
	),
	{
		"channel": name,
		"trigger": sender.trigger,
		"function_arn": sender.function_arn,
		"kms_key_set": false,
	},
) if {
	sources.ok(input.pool.read)
	not input.pool.triggers.kms_key_set
	some name, sender in senders
	label := name_of[name]
}

report contains report.indeterminate(
	"The pool's settings were not read, so it is unknown whether a custom sender trigger lacks its KMS key.",
	input.pool.read,
) if {
	sources.unread(input.pool.read)
}
