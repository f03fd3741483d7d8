# METADATA
# title: Verified contact not allowed by the recovery setting
# description: |
#   The user has a verified email address or phone number, but the pool's
#   AccountRecoverySetting does not allow any channel the user has verified
#   (for example "Email only" and only the phone is verified), or the setting
#   is admin_only, which disables self-service recovery for everybody.
#   Cognito sends to one of the permitted mechanisms only, so ForgotPassword
#   gets no code (InvalidParameterException, as for a user with no verified
#   contact; admin_only has no documented error text).
# related_resources:
#   - ref: https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_RecoveryOptionType.html
#     description: RecoveryOptionType
#   - ref: https://docs.aws.amazon.com/cognito/latest/developerguide/how-to-recover-a-user-account.html
#     description: Recovering user accounts
#   - ref: https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_UpdateUserPool.html
#     description: UpdateUserPool
# custom:
#   id: RC-USER-002
#   severity: critical
#   effect: blocks
#   remediation: |
#     Verify a contact the setting allows, as for RC-USER-001:
#     aws cognito-idp admin-update-user-attributes --user-pool-id <pool-id> --username <username> \
#       --user-attributes Name=email_verified,Value=true
#     or allow both channels:
#     aws cognito-idp update-user-pool --user-pool-id <pool-id> \
#       --account-recovery-setting 'RecoveryMechanisms=[{Priority=1,Name=verified_email},{Priority=2,Name=verified_phone_number}]'
#     WARNING: update-user-pool resets every setting you omit to its default (an omitted LambdaConfig
#     removes every trigger). Read the pool with describe-user-pool and pass its full current
#     configuration along with the change. For admin_only pools an administrator sets a password:
#     aws cognito-idp admin-set-user-password --user-pool-id <pool-id> --username <username> --password <password> --permanent
package recoverscan.rules.user.verified_channel_not_allowed

import data.recoverscan.lib.recovery
import data.recoverscan.lib.report
import data.recoverscan.lib.sources

contact := {"email": "email address", "sms": "phone number"}

verified_contacts := concat(" and ", sort([contact[channel] | some channel in recovery.verified]))

allowed := concat(", ", [recovery.channel_label[channel] | some channel in recovery.order])

evidence := {
	"status": input.user.status,
	"verified": sort([channel | some channel in recovery.verified]),
	"recovery_order": recovery.order,
	"admin_only": recovery.admin_only,
	"recovery": recovery.why,
}

report contains report.fail(
	sprintf(
		"The pool allows password recovery through an administrator only (admin_only), so ForgotPassword sends no code although the user has a verified %s.%s",
		[verified_contacts, recovery.lockout_note],
	),
	evidence,
) if {
	recovery.status_allows_reset
	recovery.admin_only
	count(recovery.verified) > 0
}

report contains report.fail(
	sprintf(
		"The user's verified %s is not a channel the pool's AccountRecoverySetting allows (%s), so ForgotPassword sends no code and fails with InvalidParameterException.%s",
		[verified_contacts, allowed, recovery.lockout_note],
	),
	evidence,
) if {
	recovery.status_allows_reset
	sources.ok(input.pool.read)
	not recovery.admin_only
	count(recovery.verified) > 0
	every channel in recovery.verified {
		not channel in recovery.order
	}
}

report contains report.indeterminate(
	"The pool's settings were not read, so it is unknown whether its recovery setting allows the user's verified contact.",
	input.pool.read,
) if {
	recovery.status_allows_reset
	sources.unread(input.pool.read)
	count(recovery.verified) > 0
}
