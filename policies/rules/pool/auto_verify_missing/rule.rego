# METADATA
# title: Auto-verification does not cover the recovery attributes
# description: |
#   "Amazon Cognito must verify a phone number or email address to confirm
#   users and help them to recover forgotten passwords." AutoVerifiedAttributes
#   names the attributes Cognito verifies when a user signs up. Two cases fail:
#   none of the attributes the AccountRecoverySetting relies on is
#   auto-verified, so self-signed-up users never obtain a verified recovery
#   attribute; or recovery relies on email only while both email and phone
#   number are auto-verified: "If a user signs up with both a phone number and
#   an email address ... Amazon Cognito sends a verification code to the phone
#   number", so users who give both are left without a verified email.
#   Not reported when self sign-up is off (AllowAdminCreateUserOnly):
#   administrators then create every user and set the verified flags
#   themselves, and RC-USER-001 reports each user they left unverified. A
#   PreSignUp trigger may auto-verify (autoVerifyEmail/autoVerifyPhone); the
#   scanner cannot see its code, so the finding stands and its evidence says
#   whether one exists. Not reported for admin_only pools.
# related_resources:
#   - ref: https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-settings-email-phone-verification.html
#     description: Verifying contact information at sign-up
#   - ref: https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_UpdateUserPool.html
#     description: UpdateUserPool (AutoVerifiedAttributes)
# custom:
#   id: RC-POOL-006
#   severity: high
#   remediation: |
#     Auto-verify the attributes recovery relies on:
#     aws cognito-idp update-user-pool --user-pool-id <pool-id> --auto-verified-attributes email phone_number
#     WARNING: update-user-pool resets every setting you omit to its default (an omitted LambdaConfig
#     removes every trigger, an omitted SmsConfiguration removes SMS). Read the pool with
#     aws cognito-idp describe-user-pool --user-pool-id <pool-id>
#     and pass its full current configuration along with the change.
#     Alternatively a PreSignUp trigger can return autoVerifyEmail / autoVerifyPhone for new users.
package recoverscan.rules.pool.auto_verify_missing

import data.recoverscan.lib.recovery
import data.recoverscan.lib.report
import data.recoverscan.lib.sources

attribute := {"email": "email", "sms": "phone_number"}

auto := {a | some a in input.pool.auto_verified_attributes}

relies_on := [attribute[name] | some name in recovery.order]

applies if {
	sources.ok(input.pool.read)
	not input.pool.allow_admin_create_user_only
	count(recovery.order) > 0
}

evidence := {
	"recovery_order": recovery.order,
	"auto_verified_attributes": input.pool.auto_verified_attributes,
	"allow_admin_create_user_only": false,
	"pre_sign_up_trigger": input.pool.triggers.pre_sign_up != "",
	"users_without_channel": input.users.by_channel.none,
}

report contains report.fail(
	sprintf(
		"Self sign-up is on and none of the attributes recovery relies on (%s) is auto-verified, so users who sign up themselves get no verified recovery attribute unless a PreSignUp trigger verifies it.",
		[concat(", ", relies_on)],
	),
	evidence,
) if {
	applies
	every a in relies_on {
		not a in auto
	}
}

report contains report.fail(
	"Recovery relies on email only, and both email and phone number are auto-verified, so users who sign up with both get only the phone number verified and cannot recover by email.",
	evidence,
) if {
	applies
	recovery.order == ["email"]
	auto == {"email", "phone_number"}
}

report contains report.indeterminate(
	"The pool's settings were not read, so it is unknown whether sign-up verifies the attributes recovery relies on.",
	input.pool.read,
) if {
	sources.unread(input.pool.read)
}
