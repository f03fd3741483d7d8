# METADATA
# title: Self-service password recovery is disabled (admin_only)
# description: |
#   The pool's AccountRecoverySetting is admin_only ("None - users will have
#   to contact an administrator"): ForgotPassword sends no code to any user,
#   and only an administrator can restore access with AdminSetUserPassword.
#   This may be intended (staff pools), so the finding is high, not critical.
# related_resources:
#   - ref: https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_RecoveryOptionType.html
#     description: RecoveryOptionType
#   - ref: https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_ForgotPassword.html
#     description: ForgotPassword
#   - ref: https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_UpdateUserPool.html
#     description: UpdateUserPool
# custom:
#   id: RC-POOL-001
#   severity: high
#   remediation: |
#     If intended, document the administrator procedure:
#     aws cognito-idp admin-set-user-password --user-pool-id <pool-id> --username <username> --password <password> --permanent
#     Otherwise enable self-service recovery:
#     aws cognito-idp update-user-pool --user-pool-id <pool-id> \
#       --account-recovery-setting 'RecoveryMechanisms=[{Priority=1,Name=verified_email},{Priority=2,Name=verified_phone_number}]'
#     WARNING: update-user-pool resets every setting you omit to its default (an omitted LambdaConfig
#     removes every trigger, an omitted SmsConfiguration removes SMS). Read the pool with
#     aws cognito-idp describe-user-pool --user-pool-id <pool-id>
#     and pass its full current configuration along with the change.
package recoverscan.rules.pool.admin_only_recovery

import data.recoverscan.lib.recovery
import data.recoverscan.lib.report
import data.recoverscan.lib.sources

report contains report.fail(
	"The pool's recovery setting is admin_only, so no user can reset a forgotten password with ForgotPassword; only an administrator can set a new one.",
	{"mechanisms": input.pool.account_recovery.mechanisms, "users_listed": input.users.listed},
) if {
	recovery.admin_only
}

report contains report.indeterminate(
	"The pool's settings were not read, so its recovery setting is unknown.",
	input.pool.read,
) if {
	sources.unread(input.pool.read)
}
