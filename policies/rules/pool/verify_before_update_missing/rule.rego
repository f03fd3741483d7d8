# METADATA
# title: Recovery attributes are not verified before an update
# description: |
#   UserAttributeUpdateSettings.AttributesRequireVerificationBeforeUpdate does
#   not list an attribute the AccountRecoverySetting relies on. "When you
#   don't require that users verify an updated attribute, a user can't sign
#   in or receive messages at either the new or the original attribute value
#   until they verify the new value": a user who changes the address or number
#   loses recovery on that channel until verifying it (and never gets it back
#   if the new value is wrong). With the setting, "Amazon Cognito doesn't
#   change the value of the attribute until your user responds to the
#   verification message". Not reported for admin_only pools.
# related_resources:
#   - ref: https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-settings-email-phone-verification.html
#     description: Verifying updates to email addresses and phone numbers
#   - ref: https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_UserAttributeUpdateSettingsType.html
#     description: UserAttributeUpdateSettingsType
# custom:
#   id: RC-POOL-007
#   severity: medium
#   remediation: |
#     Keep the old value until the new one is verified (the attributes must also be auto-verified):
#     aws cognito-idp update-user-pool --user-pool-id <pool-id> --auto-verified-attributes email phone_number \
#       --user-attribute-update-settings AttributesRequireVerificationBeforeUpdate=email,phone_number
#     WARNING: update-user-pool resets every setting you omit to its default (an omitted LambdaConfig
#     removes every trigger, an omitted SmsConfiguration removes SMS). Read the pool with
#     aws cognito-idp describe-user-pool --user-pool-id <pool-id>
#     and pass its full current configuration along with the change.
package recoverscan.rules.pool.verify_before_update_missing

import data.recoverscan.lib.recovery
import data.recoverscan.lib.report
import data.recoverscan.lib.sources

attribute := {"email": "email", "sms": "phone_number"}

missing := [attr |
	some name in recovery.order
	attr := attribute[name]
	not attr in {a | some a in input.pool.verify_before_update}
]

report contains report.fail(
	sprintf(
		"Changes to %s take effect before they are verified, so a user who changes one loses recovery on that channel until the new value is verified.",
		[concat(" and ", missing)],
	),
	{
		"recovery_order": recovery.order,
		"verify_before_update": input.pool.verify_before_update,
		"not_verified_before_update": missing,
	},
) if {
	sources.ok(input.pool.read)
	count(missing) > 0
}

report contains report.indeterminate(
	"The pool's settings were not read, so it is unknown whether changes to recovery attributes are verified before they take effect.",
	input.pool.read,
) if {
	sources.unread(input.pool.read)
}
