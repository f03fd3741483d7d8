# METADATA
# title: No AccountRecoverySetting (legacy phone-first recovery)
# description: |
#   Without an AccountRecoverySetting Cognito uses the legacy behaviour: "a
#   verified phone first. If the verified phone is not found for the user,
#   Cognito falls back and will use verified email next", and SMS MFA does not
#   disqualify the phone. Every user with a verified phone is sent a text,
#   even when SMS is broken or costly and email would work. AWS advises
#   configuring both mechanisms with explicit priorities.
# related_resources:
#   - ref: https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_AccountRecoverySettingType.html
#     description: AccountRecoverySettingType
#   - ref: https://docs.aws.amazon.com/cognito/latest/developerguide/how-to-recover-a-user-account.html
#     description: Recovering user accounts
#   - ref: https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_UpdateUserPool.html
#     description: UpdateUserPool
# custom:
#   id: RC-POOL-002
#   severity: medium
#   remediation: |
#     Set an explicit recovery setting (email first shown):
#     aws cognito-idp update-user-pool --user-pool-id <pool-id> \
#       --account-recovery-setting 'RecoveryMechanisms=[{Priority=1,Name=verified_email},{Priority=2,Name=verified_phone_number}]'
#     WARNING: update-user-pool resets every setting you omit to its default (an omitted LambdaConfig
#     removes every trigger, an omitted SmsConfiguration removes SMS). Read the pool with
#     aws cognito-idp describe-user-pool --user-pool-id <pool-id>
#     and pass its full current configuration along with the change.
package recoverscan.rules.pool.legacy_recovery

import data.recoverscan.lib.recovery
import data.recoverscan.lib.report
import data.recoverscan.lib.sources

report contains report.fail(
	"The pool has no AccountRecoverySetting, so Cognito uses the legacy order: a verified phone number first (even with SMS MFA), then a verified email address.",
	{"account_recovery_configured": false, "users_by_channel": input.users.by_channel},
) if {
	recovery.legacy
}

report contains report.indeterminate(
	"The pool's settings were not read, so its recovery setting is unknown.",
	input.pool.read,
) if {
	sources.unread(input.pool.read)
}
