# METADATA
# title: Federated user (EXTERNAL_PROVIDER)
# description: |
#   The user signs in through a third-party identity provider, which holds the
#   password: ForgotPassword is refused ("User password cannot be reset in the
#   current state."). This is expected; the finding explains why the user
#   cannot recover a password in Cognito.
# related_resources:
#   - ref: https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_UserType.html
#     description: UserType (UserStatus)
#   - ref: https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_AdminSetUserPassword.html
#     description: AdminSetUserPassword
# custom:
#   id: RC-USER-007
#   severity: low
#   effect: blocks
#   explain: status
#   remediation: |
#     None in Cognito: the user resets the password at the identity provider. (AdminSetUserPassword would
#     turn the profile into a native CONFIRMED user, which AWS advises against.)
package recoverscan.rules.user.external_provider

import data.recoverscan.lib.report

report contains report.fail(
	"The user signs in through an external identity provider, which holds the password, so ForgotPassword is refused (\"User password cannot be reset in the current state.\").",
	{"status": input.user.status},
) if {
	input.user.status == "EXTERNAL_PROVIDER"
}
