# METADATA
# title: User has an obsolete or unknown status
# description: |
#   "The statuses ARCHIVED, UNKNOWN, and COMPROMISED are no longer used."
#   How ForgotPassword treats a user in one of them, or in a status this tool
#   does not know, is not documented: investigate. The finding does not claim
#   the user cannot recover, only that nothing here can say that they can.
# related_resources:
#   - ref: https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_UserType.html
#     description: UserType (UserStatus)
# custom:
#   id: RC-USER-010
#   severity: low
#   explain: status
#   remediation: |
#     Inspect the user and, if the account should be usable, set a password:
#     aws cognito-idp admin-get-user --user-pool-id <pool-id> --username <username>
#     aws cognito-idp admin-set-user-password --user-pool-id <pool-id> --username <username> --password <password> --permanent
package recoverscan.rules.user.obsolete_status

import data.recoverscan.lib.report

known_statuses := {"CONFIRMED", "RESET_REQUIRED", "FORCE_CHANGE_PASSWORD", "UNCONFIRMED", "EXTERNAL_PROVIDER"}

report contains report.fail(
	sprintf("The user's status %s is obsolete or unknown, so how ForgotPassword treats the user is not documented.", [status]),
	{"status": status},
) if {
	status := input.user.status
	not status in known_statuses
}
