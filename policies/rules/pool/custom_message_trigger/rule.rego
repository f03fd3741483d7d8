# METADATA
# title: CustomMessage trigger shapes recovery messages (verify it)
# description: |
#   The pool has a CustomMessage Lambda trigger. Cognito invokes it for every
#   ForgotPassword (triggerSource CustomMessage_ForgotPassword), synchronously,
#   5 seconds per attempt and three attempts; an error, a timeout or a missing
#   invoke permission aborts ForgotPassword (UserLambdaValidationException,
#   UnexpectedLambdaException), and the returned smsMessage / emailMessage
#   "must include the codeParameter value" ({####}) or the user gets a message
#   without a code. Static templates are checked for {####} by the API; only
#   the trigger can lose it. When the pool does not send email through its own
#   SES (EmailSendingAccount is not DEVELOPER), returning emailMessage or
#   emailSubject fails with InvalidLambdaResponseException, and the message
#   says so. The scanner cannot read the function's code or run it, so this is
#   a "verify" finding: the fact sheet's high rests on the trigger being
#   wrong, which the scan cannot show; the finding is medium (failure depends
#   on a condition the scanner cannot see). Not reported for admin_only pools.
# related_resources:
#   - ref: https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-lambda-custom-message.html
#     description: Custom message Lambda trigger
#   - ref: https://docs.aws.amazon.com/cognito/latest/developerguide/cognito-user-identity-pools-working-with-aws-lambda-triggers.html
#     description: Customizing user pool workflows with Lambda triggers
# custom:
#   id: RC-POOL-011
#   severity: medium
#   channel: [sms, email]
#   effect: endangers
#   remediation: |
#     Check that the function exists, is Active, may be invoked by the pool and answers within 5 seconds:
#     aws lambda get-function --function-name <function-arn> --region <region>
#     aws lambda add-permission --function-name <function-arn> --statement-id cognito-custom-message \
#       --action lambda:InvokeFunction --principal cognito-idp.amazonaws.com --source-arn <pool-arn>
#     Make sure its CustomMessage_ForgotPassword response keeps {####} in smsMessage and emailMessage, and returns
#     emailMessage / emailSubject only when the pool's EmailSendingAccount is DEVELOPER.
package recoverscan.rules.pool.custom_message_trigger

import data.recoverscan.lib.recovery
import data.recoverscan.lib.report
import data.recoverscan.lib.sources

default developer := false

developer if input.pool.email.sending_account == "DEVELOPER"

default email_note := ""

email_note := " The pool does not send email through its own SES (not DEVELOPER), so a response with emailMessage or emailSubject fails with InvalidLambdaResponseException." if {
	not developer
	"email" in recovery.order
}

report contains report.fail(
	sprintf(
		"A CustomMessage trigger runs for every ForgotPassword: if it fails, times out or drops the {####} code parameter, the user gets no usable code. The scanner cannot check its code; verify it.%s",
		[email_note],
	),
	{
		"custom_message_trigger": input.pool.triggers.custom_message,
		"sending_account": input.pool.email.sending_account,
		"email_message_allowed": developer,
		"recovery_order": recovery.order,
	},
) if {
	sources.ok(input.pool.read)
	input.pool.triggers.custom_message != ""
	count(recovery.order) > 0
}

report contains report.indeterminate(
	"The pool's settings were not read, so it is unknown whether a CustomMessage trigger shapes its recovery messages.",
	input.pool.read,
) if {
	sources.unread(input.pool.read)
}
