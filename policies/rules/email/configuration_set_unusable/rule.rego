# METADATA
# title: SES configuration set missing or sending disabled
# description: |
#   The pool sends email with the account's own SES (DEVELOPER) through the
#   configuration set named by EmailConfiguration.ConfigurationSet, and that
#   set does not exist in the SES region or has email sending disabled
#   (SendingOptions.SendingEnabled false: "If false, email sending is disabled
#   for the configuration set"). That every recovery email then fails is
#   inferred: the fact sheet names no Cognito error for it. With COGNITO_DEFAULT
#   Cognito sends from its own account and the set is not read. Evaluated when
#   users are or may be routed to email and no CustomEmailSender replaces SES.
# related_resources:
#   - ref: https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_EmailConfigurationType.html
#     description: EmailConfigurationType (ConfigurationSet)
#   - ref: https://docs.aws.amazon.com/ses/latest/APIReference-V2/API_GetConfigurationSet.html
#     description: GetConfigurationSet (SendingOptions)
#   - ref: https://docs.aws.amazon.com/ses/latest/APIReference-V2/API_PutConfigurationSetSendingOptions.html
#     description: PutConfigurationSetSendingOptions
# custom:
#   id: RC-EMAIL-009
#   severity: high
#   channel: email
#   effect: blocks
#   remediation: |
#     Create the set in the pool's SES region, or re-enable sending through it:
#     aws sesv2 create-configuration-set --configuration-set-name <configuration-set> --region <ses-region>
#     aws sesv2 put-configuration-set-sending-options --configuration-set-name <configuration-set> \
#       --sending-enabled --region <ses-region>
#     Or name an existing set (or none) in the pool's EmailConfiguration (aws cognito-idp update-user-pool).
package recoverscan.rules.email.configuration_set_unusable

import data.recoverscan.lib.channel
import data.recoverscan.lib.report
import data.recoverscan.lib.sources

report contains report.fail(
	sprintf("%s SES refuses the pool's emails.", [channel.configuration_set_problem]),
	{
		"configuration_set": input.pool.email.configuration_set,
		"ses_region": input.pool.email.ses_region,
		"exists": channel.configuration_set.exists,
		"sending_enabled": channel.configuration_set.sending_enabled,
	},
) if {
	channel.configuration_set_problem
}

report contains report.indeterminate(
	"The pool's SES configuration set was not read, so it is unknown whether it exists and allows sending.",
	channel.configuration_set_read,
) if {
	channel.configuration_set_used
	sources.unread(channel.configuration_set_read)
}
