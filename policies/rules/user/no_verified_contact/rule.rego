# METADATA
# title: No verified email address or phone number
# description: |
#   ForgotPassword sends a code only to a verified email address or phone
#   number. A user with neither gets no code: Cognito answers
#   InvalidParameterException "Cannot reset password for the user as there is
#   no registered/verified email or phone_number" (hidden behind a simulated
#   delivery when the app client's PreventUserExistenceErrors is ENABLED).
#   Typical causes are admin-created users whose attributes were not marked
#   verified and users confirmed by AdminConfirmSignUp or a PreSignUp trigger.
#   Evaluated for users whose status allows a reset; the status rules report
#   the others.
# related_resources:
#   - ref: https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_ForgotPassword.html
#     description: ForgotPassword
#   - ref: https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_AdminUpdateUserAttributes.html
#     description: AdminUpdateUserAttributes
#   - ref: https://docs.aws.amazon.com/cognito/latest/developerguide/signing-up-users-in-your-app.html
#     description: Signing up and confirming user accounts
# custom:
#   id: RC-USER-001
#   severity: critical
#   effect: blocks
#   remediation: |
#     Once the address or number is known to belong to the user, mark it verified:
#     aws cognito-idp admin-update-user-attributes --user-pool-id <pool-id> --username <username> \
#       --user-attributes Name=email_verified,Value=true
#     (or Name=phone_number_verified,Value=true). Alternatively the user signs in and verifies it with
#     GetUserAttributeVerificationCode and VerifyUserAttribute, or an administrator sets a password:
#     aws cognito-idp admin-set-user-password --user-pool-id <pool-id> --username <username> --password <password> --permanent
package recoverscan.rules.user.no_verified_contact

import data.recoverscan.lib.recovery
import data.recoverscan.lib.report

report contains report.fail(
	concat("", [
		"The user has neither a verified email address nor a verified phone number, so ForgotPassword fails with ",
		"InvalidParameterException \"Cannot reset password for the user as there is no registered/verified email ",
		"or phone_number\".",
		recovery.lockout_note,
	]),
	{
		"status": input.user.status,
		"email_present": input.user.email.present,
		"email_verified": input.user.email.verified,
		"email_masked": input.user.email.masked,
		"phone_present": input.user.phone.present,
		"phone_verified": input.user.phone.verified,
		"phone_masked": input.user.phone.masked,
	},
) if {
	recovery.status_allows_reset
	count(recovery.verified) == 0
}
