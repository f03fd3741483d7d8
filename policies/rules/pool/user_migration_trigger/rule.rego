# METADATA
# title: "UserMigration trigger: users not yet migrated recover only through it"
# description: |
#   The pool has a UserMigration trigger. "When a user doesn't exist in the
#   user pool at sign-in with a password, or in the forgot-password flow,
#   Amazon Cognito invokes this trigger" (UserMigration_ForgotPassword), and
#   "to reset their passwords in the forgot-password flow, a user must have
#   either a verified email address or a verified phone number" among the
#   attributes it returns. Users still in the legacy directory are not in
#   ListUsers, so the scanner cannot judge them (RC-USER-017): if the function
#   fails or returns no verified email_verified / phone_number_verified, they
#   cannot recover. Not reported for admin_only pools.
# related_resources:
#   - ref: https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-lambda-migrate-user.html
#     description: Migrate user Lambda trigger
# custom:
#   id: RC-POOL-013
#   severity: medium
#   remediation: |
#     Make sure the function answers UserMigration_ForgotPassword with email_verified or phone_number_verified
#     set to "true" for the channel the pool recovers through, and test it with a known legacy user. Check it:
#     aws lambda get-function --function-name <function-arn> --region <region>
package recoverscan.rules.pool.user_migration_trigger

import data.recoverscan.lib.recovery
import data.recoverscan.lib.report
import data.recoverscan.lib.sources

report contains report.fail(
	"A UserMigration trigger creates users in the forgot-password flow: users not yet migrated are invisible to this scan and get a code only if the trigger returns a verified email address or phone number.",
	{
		"user_migration_trigger": input.pool.triggers.user_migration,
		"recovery_order": recovery.order,
		"users_listed": input.users.listed,
	},
) if {
	sources.ok(input.pool.read)
	input.pool.triggers.user_migration != ""
	count(recovery.order) > 0
}

report contains report.indeterminate(
	"The pool's settings were not read, so it is unknown whether users still to be migrated depend on a UserMigration trigger for recovery.",
	input.pool.read,
) if {
	sources.unread(input.pool.read)
}
