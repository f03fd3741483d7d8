# METADATA
# title: User must change a temporary password (FORCE_CHANGE_PASSWORD)
# description: |
#   "If the user status is FORCE_CHANGE_PASSWORD, then the user can't use the
#   ForgotPassword API call and doesn't receive the verification code":
#   ForgotPassword answers NotAuthorizedException "User password cannot be
#   reset in the current state." The user must sign in with the temporary
#   password before it expires (TemporaryPasswordValidityDays, default 7).
#   Reported while the temporary password may still be valid; once it has
#   certainly expired RC-USER-019 reports the user instead (the two never both
#   fail). The snapshot does not say when the temporary password was issued:
#   the expiry is estimated from the last modification date, which attribute
#   edits also move later, so a user reported here may already be past the
#   real expiry. The finding's evidence names the channel Cognito would use
#   once the status allows a reset.
# related_resources:
#   - ref: https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_AdminCreateUser.html
#     description: AdminCreateUser (MessageAction RESEND)
#   - ref: https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_AdminSetUserPassword.html
#     description: AdminSetUserPassword
#   - ref: https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_PasswordPolicyType.html
#     description: PasswordPolicyType (TemporaryPasswordValidityDays)
# custom:
#   id: RC-USER-005
#   severity: high
#   effect: blocks
#   explain: status
#   remediation: |
#     Send the user a new temporary password (this also restarts the validity window):
#     aws cognito-idp admin-create-user --user-pool-id <pool-id> --username <username> --message-action RESEND
#     or set a password for the user:
#     aws cognito-idp admin-set-user-password --user-pool-id <pool-id> --username <username> --password <password> --permanent
package recoverscan.rules.user.force_change_password

import data.recoverscan.lib.recovery
import data.recoverscan.lib.report

report contains report.fail(
	concat("", [
		"The user must first sign in with a temporary password and set a new one (FORCE_CHANGE_PASSWORD), so ",
		"ForgotPassword is refused with NotAuthorizedException \"User password cannot be reset in the current state.\"",
	]),
	{
		"status": input.user.status,
		"temporary_password_validity_days": input.pool.temporary_password_validity_days,
		"recovery_channel_after_status_fixed": recovery.chosen,
	},
) if {
	input.user.status == "FORCE_CHANGE_PASSWORD"
	not recovery.temporary_password_expired
}
