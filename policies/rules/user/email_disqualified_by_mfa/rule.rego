# METADATA
# title: Email disqualified by email MFA, no other recovery channel
# description: |
#   With an AccountRecoverySetting, "Email MFA is also disqualifying for
#   account recovery with email": a user with the EMAIL_OTP factor cannot
#   recover by email. Cognito then tries the next mechanism; when none
#   qualifies (no second mechanism, or its attribute is not verified or also
#   disqualified) ForgotPassword sends no code. The user's MFA factors are
#   only returned by AdminGetUser, which the collector reads on request: when
#   it was not read and it decides the outcome, the verdict is indeterminate.
#   Email MFA needs the Essentials tier or higher.
# related_resources:
#   - ref: https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_CreateUserPool.html
#     description: CreateUserPool, AccountRecoverySetting
#   - ref: https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_EmailMfaConfigType.html
#     description: EmailMfaConfigType
#   - ref: https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_AdminGetUser.html
#     description: AdminGetUser (UserMFASettingList)
# custom:
#   id: RC-USER-004
#   severity: critical
#   effect: blocks
#   remediation: |
#     Give the user a channel email MFA does not disqualify: verify the user's phone number
#     (aws cognito-idp admin-update-user-attributes --user-pool-id <pool-id> --username <username> \
#       --user-attributes Name=phone_number_verified,Value=true)
#     and make verified_phone_number a recovery mechanism (update-user-pool --account-recovery-setting;
#     WARNING: update-user-pool resets every setting you omit to its default, so pass the pool's full
#     current configuration from describe-user-pool), or change the user's MFA factor:
#     aws cognito-idp admin-set-user-mfa-preference --user-pool-id <pool-id> --username <username> \
#       --software-token-mfa-settings Enabled=true,PreferredMfa=true --email-mfa-settings Enabled=false
#     To settle an indeterminate verdict, let the collector read MFA state (cognito-idp:AdminGetUser).
package recoverscan.rules.user.email_disqualified_by_mfa

import data.recoverscan.lib.recovery
import data.recoverscan.lib.report

report contains report.fail(
	concat("", [
		"The user's verified email address is disqualified for recovery because the user has email MFA ",
		"(EMAIL_OTP), and the pool's recovery setting offers no other usable channel, so ForgotPassword sends no code.",
		recovery.lockout_note,
	]),
	recovery.mfa_evidence,
) if {
	recovery.disqualified_by_mfa("email")
}

report contains report.indeterminate(
	concat("", [
		"The user's MFA state was not read. If the user has email MFA (EMAIL_OTP), the verified email address is ",
		"disqualified for recovery and no other channel is certain to qualify, so the user may get no code.",
	]),
	recovery.mfa_unknown_source,
) if {
	recovery.may_be_disqualified_by_mfa("email")
}
