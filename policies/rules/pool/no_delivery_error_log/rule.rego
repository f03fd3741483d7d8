# METADATA
# title: No export of the pool's message delivery errors
# description: |
#   The pool's log delivery configuration (GetLogDeliveryConfiguration) has
#   no userNotification export: "When you want to stream logs of SMS and
#   email notification errors, your user pool sends ERROR-level logs to a
#   CloudWatch log group." Without it, the errors Cognito meets while
#   sending a recovery code through SNS or SES leave no trace the account
#   can read, and ForgotPassword's answer does not show them. Observability
#   only; nothing fails because of it, so it has no effect on the users'
#   verdicts. Indeterminate when the configuration was not read.
# related_resources:
#   - ref: https://docs.aws.amazon.com/cognito/latest/developerguide/exporting-quotas-and-usage.html
#     description: Exporting logs from Amazon Cognito user pools
#   - ref: https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_SetLogDeliveryConfiguration.html
#     description: SetLogDeliveryConfiguration
# custom:
#   id: RC-POOL-019
#   severity: low
#   channel: [sms, email]
#   remediation: |
#     Export the pool's message delivery errors to a CloudWatch log group (it replaces the pool's log
#     configurations, so include any user-activity export it already has):
#     aws cognito-idp get-log-delivery-configuration --user-pool-id <pool-id>
#     aws cognito-idp set-log-delivery-configuration --user-pool-id <pool-id> \
#       --log-configurations LogLevel=ERROR,EventSource=userNotification,CloudWatchLogsConfiguration={LogGroupArn=<arn>}
package recoverscan.rules.pool.no_delivery_error_log

import data.recoverscan.lib.report
import data.recoverscan.lib.sources

log_delivery := input.pool.log_delivery

report contains report.fail(
	"The pool exports no userNotification logs, so the errors Cognito meets while sending recovery codes by SMS or email leave no trace to diagnose.",
	{"user_notification_errors": false},
) if {
	sources.ok(log_delivery.read)
	not log_delivery.user_notification_errors
}

report contains report.indeterminate(
	"The pool's log delivery configuration was not read, so it is unknown whether message delivery errors are exported.",
	log_delivery.read,
) if {
	sources.unread(log_delivery.read)
}
