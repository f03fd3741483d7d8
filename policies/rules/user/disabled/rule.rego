# METADATA
# title: User is disabled
# description: |
#   A disabled user cannot reset a password: ForgotPassword answers
#   NotAuthorizedException ("User is disabled"), or, when the app client's
#   PreventUserExistenceErrors is ENABLED, pretends to have sent a code to a
#   simulated destination. The finding's evidence names the channel Cognito
#   would use once the user is enabled.
# related_resources:
#   - ref: https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_AdminEnableUser.html
#     description: AdminEnableUser
#   - ref: https://docs.aws.amazon.com/cognito/latest/developerguide/cognito-user-pool-managing-errors.html
#     description: Managing error responses
# custom:
#   id: RC-USER-008
#   severity: high
#   effect: blocks
#   explain: enabled
#   remediation: |
#     If the user should have access again:
#     aws cognito-idp admin-enable-user --user-pool-id <pool-id> --username <username>
package recoverscan.rules.user.disabled

import data.recoverscan.lib.recovery
import data.recoverscan.lib.report

report contains report.fail(
	"The user is disabled, so ForgotPassword sends no code (NotAuthorizedException \"User is disabled\", or a simulated delivery when PreventUserExistenceErrors is ENABLED).",
	{
		"enabled": input.user.enabled,
		"status": input.user.status,
		"recovery_channel_after_status_fixed": recovery.chosen,
	},
) if {
	input.user.enabled == false
}
