# METADATA
# title: User must change a temporary password (FORCE_CHANGE_PASSWORD)
# description: |
#   "If the user status is FORCE_CHANGE_PASSWORD, then the user can't use the
#   ForgotPassword API call and doesn't receive the verification code":
#   ForgotPassword answers NotAuthorizedException "User password cannot be
#   reset in the current state." The user must sign in with the temporary
#   password; once it expires (TemporaryPasswordValidityDays, default 7) the
#   user cannot sign in either until an administrator issues a new one. The
#   snapshot does not say when the temporary password was issued: the last
#   modification date is used as an estimate (attribute edits also move it),
#   and the message says when it has probably expired. The finding's evidence
#   names the channel Cognito would use once the status allows a reset.
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
#   blocks_recovery: true
#   remediation: |
#     Send the user a new temporary password (this also restarts the validity window):
#     aws cognito-idp admin-create-user --user-pool-id <pool-id> --username <username> --message-action RESEND
#     or set a password for the user:
#     aws cognito-idp admin-set-user-password --user-pool-id <pool-id> --username <username> --password <password> --permanent
package recoverscan.rules.user.force_change_password

import data.recoverscan.lib.recovery
import data.recoverscan.lib.report
import data.recoverscan.lib.sources

ns_per_day := ((24 * 60) * 60) * 1000000000

# Only timestamps from 1970 on parse to nanoseconds; the zero time does not.
parseable(ts) if regex.match(`^(19[7-9][0-9]|2[0-9]{3})-[0-9]{2}-[0-9]{2}T`, ts)

days_since_change := floor((time.parse_rfc3339_ns(input.snapshot.taken_at) - changed) / ns_per_day) if {
	parseable(input.snapshot.taken_at)
	parseable(input.user.last_modified_at)
	changed := time.parse_rfc3339_ns(input.user.last_modified_at)
}

default probably_expired := false

probably_expired if {
	sources.ok(input.pool.read)
	input.pool.temporary_password_validity_days > 0
	days_since_change > input.pool.temporary_password_validity_days
}

default expiry_note := ""

expiry_note := sprintf(
	" The temporary password has probably expired (last change %d days ago, validity %d days), so the user cannot sign in either.",
	[days_since_change, input.pool.temporary_password_validity_days],
) if {
	probably_expired
}

report contains report.fail(
	concat("", [
		"The user must first sign in with a temporary password and set a new one (FORCE_CHANGE_PASSWORD), so ",
		"ForgotPassword is refused with NotAuthorizedException \"User password cannot be reset in the current state.\"",
		expiry_note,
	]),
	{
		"status": input.user.status,
		"last_modified_at": input.user.last_modified_at,
		"temporary_password_validity_days": input.pool.temporary_password_validity_days,
		"temporary_password_probably_expired": probably_expired,
		"recovery_channel_after_status_fixed": recovery.chosen,
	},
) if {
	input.user.status == "FORCE_CHANGE_PASSWORD"
}
