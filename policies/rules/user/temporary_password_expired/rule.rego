# METADATA
# title: Temporary password expired (FORCE_CHANGE_PASSWORD)
# description: |
#   The user is in FORCE_CHANGE_PASSWORD, so ForgotPassword is refused
#   ("User password cannot be reset in the current state."), and the
#   temporary password has expired: "If the user doesn't sign in before the
#   temporary password expires, they can no longer sign in and you must
#   repeat this operation". The user can neither sign in nor reset the
#   password until an administrator issues a new temporary password or sets
#   one. Expired means last modification + TemporaryPasswordValidityDays is
#   before the snapshot time. Cognito does not expose when the temporary
#   password was issued; issuing it modifies the user and later attribute
#   edits only move the last modification later, so this estimate errs
#   towards "not yet expired" (RC-USER-005) and never reports a password that
#   may still be valid. Indeterminate when the pool's validity setting or the
#   user's modification time is unknown.
# related_resources:
#   - ref: https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_AdminCreateUser.html
#     description: AdminCreateUser (MessageAction RESEND)
#   - ref: https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_AdminSetUserPassword.html
#     description: AdminSetUserPassword
#   - ref: https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_PasswordPolicyType.html
#     description: PasswordPolicyType (TemporaryPasswordValidityDays)
# custom:
#   id: RC-USER-019
#   severity: critical
#   effect: blocks
#   explain: status
#   remediation: |
#     Send the user a new temporary password (this restarts the validity window):
#     aws cognito-idp admin-create-user --user-pool-id <pool-id> --username <username> --message-action RESEND
#     or set a password for the user:
#     aws cognito-idp admin-set-user-password --user-pool-id <pool-id> --username <username> --password <password> --permanent
package recoverscan.rules.user.temporary_password_expired

import data.recoverscan.lib.recovery
import data.recoverscan.lib.report

report contains report.fail(
	sprintf(
		concat("", [
			"The user must change a temporary password (FORCE_CHANGE_PASSWORD), so ForgotPassword is refused, and the ",
			"temporary password has expired (last change %d days ago, validity %d days), so the user cannot sign in either.",
		]),
		[recovery.days_since_change, input.pool.temporary_password_validity_days],
	),
	{
		"status": input.user.status,
		"temporary_password_validity_days": input.pool.temporary_password_validity_days,
		"days_since_last_change": recovery.days_since_change,
		"recovery_channel_after_status_fixed": recovery.chosen,
	},
) if {
	input.user.status == "FORCE_CHANGE_PASSWORD"
	recovery.temporary_password_expired
}

report contains report.indeterminate(
	"The user must change a temporary password (FORCE_CHANGE_PASSWORD), and whether it has expired is unknown.",
	recovery.temporary_password_unknown_source,
) if {
	input.user.status == "FORCE_CHANGE_PASSWORD"
}
