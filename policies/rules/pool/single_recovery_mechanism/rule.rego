# METADATA
# title: Single recovery mechanism, no fallback
# description: |
#   The AccountRecoverySetting names one mechanism (email only or phone only).
#   Users without that verified attribute, or whose MFA disqualifies it (SMS
#   MFA for the phone, email MFA for email), have no channel at all
#   (RC-USER-002/003/004). "As a best practice, configure both verified_email
#   and verified_phone_number, with one having a higher priority than the
#   other."
# related_resources:
#   - ref: https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_CreateUserPool.html
#     description: CreateUserPool, AccountRecoverySetting
#   - ref: https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_RecoveryOptionType.html
#     description: RecoveryOptionType
#   - ref: https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_UpdateUserPool.html
#     description: UpdateUserPool
# custom:
#   id: RC-POOL-003
#   severity: medium
#   remediation: |
#     Add the second mechanism:
#     aws cognito-idp update-user-pool --user-pool-id <pool-id> \
#       --account-recovery-setting 'RecoveryMechanisms=[{Priority=1,Name=verified_email},{Priority=2,Name=verified_phone_number}]'
#     WARNING: update-user-pool resets every setting you omit to its default (an omitted LambdaConfig
#     removes every trigger, an omitted SmsConfiguration removes SMS). Read the pool with
#     aws cognito-idp describe-user-pool --user-pool-id <pool-id>
#     and pass its full current configuration along with the change.
package recoverscan.rules.pool.single_recovery_mechanism

import data.recoverscan.lib.recovery
import data.recoverscan.lib.report
import data.recoverscan.lib.sources

report contains report.fail(
	sprintf(
		"The pool's recovery setting allows %s only, so users without that verified contact, or whose MFA disqualifies it, have no recovery channel.",
		[recovery.channel_label[recovery.order[0]]],
	),
	{"mechanisms": input.pool.account_recovery.mechanisms, "users_without_channel": input.users.by_channel.none},
) if {
	input.pool.account_recovery.configured
	not recovery.admin_only
	count(recovery.order) == 1
}

report contains report.indeterminate(
	"The pool's settings were not read, so its recovery setting is unknown.",
	input.pool.read,
) if {
	sources.unread(input.pool.read)
}
