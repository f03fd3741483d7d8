# METADATA
# title: PreventUserExistenceErrors hides recovery failures
# description: |
#   With PreventUserExistenceErrors ENABLED, when "a user isn't found, is
#   deactivated, or doesn't have a verified delivery mechanism to recover
#   their password, Amazon Cognito returns CodeDeliveryDetails with a
#   simulated delivery medium". That is the right security posture, but it
#   means an app (and its support team) cannot tell a sent code from a
#   failure: absence of an error is not evidence of delivery, and this
#   scanner's findings are the reliable signal.
# related_resources:
#   - ref: https://docs.aws.amazon.com/cognito/latest/developerguide/cognito-user-pool-managing-errors.html
#     description: Managing error responses
#   - ref: https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_UserPoolClientType.html
#     description: UserPoolClientType (PreventUserExistenceErrors)
# custom:
#   id: RC-CLIENT-002
#   severity: low
#   remediation: |
#     Keep the setting (it prevents user enumeration), and tell support that a "code sent" answer does not
#     prove delivery; rely on this scan and on Cognito's userNotification logs. To inspect:
#     aws cognito-idp describe-user-pool-client --user-pool-id <pool-id> --client-id <client-id>
package recoverscan.rules.client.prevent_user_existence_errors

import data.recoverscan.lib.recovery
import data.recoverscan.lib.report
import data.recoverscan.lib.sources

report contains report.fail(
	"The app client has PreventUserExistenceErrors ENABLED, so ForgotPassword reports a simulated delivery when no code can be sent, and failures look like successes.",
	{"client_name": input.client.name, "prevent_user_existence_errors": "ENABLED"},
) if {
	not recovery.admin_only
	sources.ok(input.client.read)
	input.client.prevent_user_existence_errors == "ENABLED"
}

report contains report.indeterminate(
	"The app client's settings were not read, so it is unknown whether ForgotPassword failures are hidden behind simulated deliveries.",
	input.client.read,
) if {
	not recovery.admin_only
	sources.unread(input.client.read)
}
