# METADATA
# title: No SMS delivery status logging
# description: |
#   The SMS region's SNS attributes have no DeliveryStatusIAMRole, so SNS
#   writes no delivery status logs to CloudWatch: when a recovery text does
#   not arrive, nobody can see whether the carrier rejected it, the number
#   opted out or the spend limit stopped it. Observability only; nothing
#   fails because of it. (Cognito's own export of its delivery errors,
#   userNotification logs, is RC-POOL-019.) Reported when users are or may
#   be routed to SMS through SNS.
# related_resources:
#   - ref: https://docs.aws.amazon.com/sns/latest/dg/sms_preferences.html
#     description: Setting SMS messaging preferences (delivery status logging)
#   - ref: https://docs.aws.amazon.com/sns/latest/api/API_SetSMSAttributes.html
#     description: SetSMSAttributes (DeliveryStatusIAMRole)
# custom:
#   id: RC-SMS-008
#   severity: low
#   channel: sms
#   remediation: |
#     Give SNS a role that may write CloudWatch Logs and turn on delivery status logging in the SMS region:
#     aws sns set-sms-attributes --region <sms-region> \
#       --attributes DeliveryStatusIAMRole=<role-arn>,DeliveryStatusSuccessSamplingRate=100
package recoverscan.rules.sms.no_delivery_status_logging

import data.recoverscan.lib.channel
import data.recoverscan.lib.report
import data.recoverscan.lib.sources

applies if {
	channel.sns_used
}

report contains report.fail(
	"SNS delivery status logging is off in the pool's SMS region, so undelivered recovery texts leave no trace to diagnose.",
	{
		"sms_region": input.sms.region,
		"delivery_status_iam_role_set": false,
	},
) if {
	applies
	sources.ok(input.sms.attributes.read)
	not input.sms.attributes.delivery_status_iam_role_set
}

report contains report.indeterminate(
	"The SMS attributes of the pool's SMS region were not read, so it is unknown whether SMS delivery status is logged.",
	input.sms.attributes.read,
) if {
	applies
	sources.unread(input.sms.attributes.read)
}
