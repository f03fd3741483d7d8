# METADATA
# title: Default SMS type is Promotional
# description: |
#   The account's DefaultSMSType in the pool's SMS region is Promotional, or
#   unset, which SNS treats as Promotional: "Noncritical messages ... optimizes
#   the message delivery to incur the lowest cost", whereas Transactional
#   ("critical messages ... such as one-time passcodes") is optimised for
#   reliability. Whether Cognito's own messages override this default is not
#   documented, so the finding is medium. Evaluated when users are or may be
#   routed to SMS and no CustomSMSSender replaces SNS.
# related_resources:
#   - ref: https://docs.aws.amazon.com/sns/latest/api/API_SetSMSAttributes.html
#     description: SetSMSAttributes (DefaultSMSType)
#   - ref: https://docs.aws.amazon.com/sns/latest/dg/sms_preferences.html
#     description: Setting SMS messaging preferences
# custom:
#   id: RC-SMS-004
#   severity: medium
#   channel: sms
#   remediation: |
#     aws sns set-sms-attributes --attributes DefaultSMSType=Transactional --region <sms-region>
package recoverscan.rules.sms.default_sms_type

import data.recoverscan.lib.channel
import data.recoverscan.lib.report
import data.recoverscan.lib.sources

sms_type := input.sms.attributes.default_sms_type

shown := "unset (Promotional)" if sms_type == ""

else := sms_type

report contains report.fail(
	sprintf(
		"The default SMS type of the pool's SMS region is %s, which SNS optimises for cost rather than reliable delivery of one-time codes.",
		[shown],
	),
	{"sms_region": input.sms.region, "default_sms_type": sms_type},
) if {
	channel.sns_used
	sources.ok(input.sms.attributes.read)
	sms_type != "Transactional"
}

report contains report.indeterminate(
	"The SMS attributes of the pool's SMS region were not read, so the default SMS type is unknown.",
	input.sms.attributes.read,
) if {
	channel.sns_used
	sources.unread(input.sms.attributes.read)
}
