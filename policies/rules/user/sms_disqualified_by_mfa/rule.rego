# METADATA
# title: Phone disqualified by SMS MFA, no other recovery channel
# description: |
#   With an AccountRecoverySetting, "SMS doesn't qualify for a valid password
#   recovery mechanism if the user also has SMS multi-factor authentication
#   (MFA) activated". Cognito then tries the next mechanism; when none
#   qualifies (no second mechanism, or its attribute is not verified or also
#   disqualified) ForgotPassword sends no code. The user's MFA factors are
#   only returned by AdminGetUser, which the collector reads on request: when
#   it was not read and it decides the outcome, the verdict is indeterminate.
#   Pools without an AccountRecoverySetting (legacy) never disqualify SMS.
# related_resources:
#   - ref: https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_CreateUserPool.html
#     description: CreateUserPool, AccountRecoverySetting
#   - ref: https://docs.aws.amazon.com/cognito/latest/developerguide/how-to-recover-a-user-account.html
#     description: Recovering user accounts
#   - ref: https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_AdminGetUser.html
#     description: AdminGetUser (UserMFASettingList)
# custom:
#   id: RC-USER-003
#   severity: critical
#   effect: blocks
#   remediation: |
#     Give the user a channel SMS MFA does not disqualify: verify the user's email address
#     (aws cognito-idp admin-update-user-attributes --user-pool-id <pool-id> --username <username> \
#       --user-attributes Name=email_verified,Value=true)
#     and make verified_email a recovery mechanism (update-user-pool --account-recovery-setting; WARNING:
#     update-user-pool resets every setting you omit to its default, so pass the pool's full current
#     configuration from describe-user-pool), or move the user to TOTP MFA:
#     aws cognito-idp admin-set-user-mfa-preference --user-pool-id <pool-id> --username <username> \
#       --software-token-mfa-settings Enabled=true,PreferredMfa=true --sms-mfa-settings Enabled=false
#     To settle an indeterminate verdict, let the collector read MFA state (cognito-idp:AdminGetUser).
package recoverscan.rules.user.sms_disqualified_by_mfa

import data.recoverscan.lib.recovery
import data.recoverscan.lib.report

report contains report.fail(
	concat("", [
		"The user's verified phone number is disqualified for recovery because the user has SMS MFA, and the ",
		"pool's recovery setting offers no other usable channel, so ForgotPassword sends no code.",
		recovery.lockout_note,
	]),
	recovery.mfa_evidence,
) if {
	recovery.disqualified_by_mfa("sms")
}

report contains report.indeterminate(
	concat("", [
		"The user's MFA state was not read. If the user has SMS MFA, the verified phone number is disqualified ",
		"for recovery and no other channel is certain to qualify, so the user may get no code.",
	]),
	recovery.mfa_unknown_source,
) if {
	recovery.may_be_disqualified_by_mfa("sms")
}
