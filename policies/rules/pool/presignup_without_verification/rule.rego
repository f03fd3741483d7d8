# METADATA
# title: PreSignUp trigger confirms users without verifying a contact
# description: |
#   The pool has a PreSignUp trigger and CONFIRMED users with neither a
#   verified email address nor a verified phone number. A PreSignUp trigger
#   that sets autoConfirmUser without autoVerifyEmail or autoVerifyPhone
#   confirms users who then have no recovery channel ("If the user account was
#   confirmed by the administrator or a pre sign-up Lambda trigger, there might
#   not be a verified email or phone number associated with the account").
#   The trigger's code cannot be read, so this relates the two facts; each such
#   user is reported by RC-USER-001. The three flags are ignored for users made
#   with AdminCreateUser.
# related_resources:
#   - ref: https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-lambda-pre-sign-up.html
#     description: Pre sign-up Lambda trigger
#   - ref: https://docs.aws.amazon.com/cognito/latest/developerguide/signing-up-users-in-your-app.html
#     description: Signing up and confirming user accounts
# custom:
#   id: RC-POOL-014
#   severity: low
#   remediation: |
#     Have the PreSignUp function set autoVerifyEmail (or autoVerifyPhone) to true whenever it sets
#     autoConfirmUser, for an attribute the user supplied. Fix the users already confirmed (RC-USER-001):
#     aws cognito-idp admin-update-user-attributes --user-pool-id <pool-id> --username <username> \
#       --user-attributes Name=email_verified,Value=true
package recoverscan.rules.pool.presignup_without_verification

import data.recoverscan.lib.report
import data.recoverscan.lib.sources

trigger_set if input.pool.triggers.pre_sign_up != ""

# METADATA
# title: CONFIRMED users with neither a verified email address nor a verified phone number.
# description: |
#   The users this rule counts, declared per user: the engine evaluates
#   aggregate for every user of the pool, with the per-user rules' input,
#   and gives the report the number of users for whom
#   aggregate.<name> holds as input.users.<name>. The title describes
#   input.users.<name> in the input schema (go generate ./policies).
# schemas:
#   - input: schema.input.user
aggregate["confirmed_without_verified_contact"] if {
	input.user.status == "CONFIRMED"
	not verified(input.user.email.present, input.user.email.verified)
	not verified(input.user.phone.present, input.user.phone.verified)
}

# A contact is verified when it is present and verified. It takes the two
# flags, not the contact: the masked form is no part of the count.
verified(present, flag) if {
	present == true
	flag == true
}

report contains report.fail(
	sprintf(
		"The pool has a PreSignUp trigger and %d CONFIRMED users without a verified email address or phone number: the trigger may confirm users without verifying a contact, leaving them no recovery channel.",
		[input.users.confirmed_without_verified_contact],
	),
	{
		"pre_sign_up_trigger": input.pool.triggers.pre_sign_up,
		"confirmed_without_verified_contact": input.users.confirmed_without_verified_contact,
	},
) if {
	sources.ok(input.pool.read)
	trigger_set
	input.users.confirmed_without_verified_contact > 0
}

report contains report.indeterminate(
	"The pool has a PreSignUp trigger, but not all of its users were listed, so it is unknown whether it confirms users without a verified contact.",
	input.users.read,
) if {
	sources.ok(input.pool.read)
	trigger_set
	input.users.confirmed_without_verified_contact == 0
	sources.unread(input.users.read)
}
