# METADATA
# title: User never confirmed the account (UNCONFIRMED)
# description: |
#   A self-registered user who never confirmed the account gets no recovery
#   code: reports show either InvalidParameterException or a silent success
#   with no message. Confirming the sign-up is also what verifies the email
#   address or phone number, so such users usually have no verified contact
#   either. The finding's evidence names the channel Cognito would use once
#   the user is confirmed.
# related_resources:
#   - ref: https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_UserType.html
#     description: UserType (UserStatus)
#   - ref: https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_AdminConfirmSignUp.html
#     description: AdminConfirmSignUp
#   - ref: https://docs.aws.amazon.com/cognito/latest/developerguide/signing-up-users-in-your-app.html
#     description: Signing up and confirming user accounts
# custom:
#   id: RC-USER-006
#   severity: high
#   effect: blocks
#   explain: status
#   remediation: |
#     Let the user confirm (aws cognito-idp resend-confirmation-code --client-id <client-id> --username <username>,
#     then confirm-sign-up), or confirm the user as an administrator:
#     aws cognito-idp admin-confirm-sign-up --user-pool-id <pool-id> --username <username>
#     and then verify a contact if none is verified (see RC-USER-001).
package recoverscan.rules.user.unconfirmed

import data.recoverscan.lib.recovery
import data.recoverscan.lib.report

report contains report.fail(
	"The user never confirmed the account (UNCONFIRMED), so ForgotPassword sends no code.",
	{
		"status": input.user.status,
		"email_verified": input.user.email.verified,
		"phone_verified": input.user.phone.verified,
		"recovery_channel_after_status_fixed": recovery.chosen,
	},
) if {
	input.user.status == "UNCONFIRMED"
}
