# METADATA
# title: MFA required with SMS as the only factor, phone-only recovery
# description: |
#   MFA is required (ON), SMS is the only MFA factor the pool offers (no TOTP,
#   no email), and the AccountRecoverySetting allows only
#   verified_phone_number. With an AccountRecoverySetting, "SMS doesn't
#   qualify for a valid password recovery mechanism if the user also has SMS
#   multi-factor authentication (MFA) activated", and every user who has
#   completed MFA setup in this pool has SMS MFA, so no such user can recover
#   a password by themselves. The pool-wide conclusion is inferred from the
#   documented per-user disqualification (per-user MFA state, read with
#   --with-mfa, confirms it user by user: RC-USER-003).
# related_resources:
#   - ref: https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_CreateUserPool.html#CognitoUserPools-CreateUserPool-request-AccountRecoverySetting
#     description: CreateUserPool (AccountRecoverySetting)
#   - ref: https://docs.aws.amazon.com/cognito/latest/developerguide/how-to-recover-a-user-account.html
#     description: Recovering user accounts
#   - ref: https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_SetUserPoolMfaConfig.html
#     description: SetUserPoolMfaConfig
# custom:
#   id: RC-POOL-005
#   severity: critical
#   remediation: |
#     Add email as a recovery mechanism:
#     aws cognito-idp update-user-pool --user-pool-id <pool-id> \
#       --account-recovery-setting 'RecoveryMechanisms=[{Priority=1,Name=verified_phone_number},{Priority=2,Name=verified_email}]'
#     WARNING: update-user-pool resets every setting you omit to its default (an omitted LambdaConfig
#     removes every trigger, an omitted SmsConfiguration removes SMS). Read the pool with
#     aws cognito-idp describe-user-pool --user-pool-id <pool-id>
#     and pass its full current configuration along with the change.
#     or offer TOTP as an MFA factor (set-user-pool-mfa-config replaces the pool's whole MFA configuration;
#     pass the current SMS settings too):
#     aws cognito-idp set-user-pool-mfa-config --user-pool-id <pool-id> --mfa-configuration ON \
#       --software-token-mfa-configuration Enabled=true --sms-mfa-configuration <current-sms-mfa-configuration>
package recoverscan.rules.pool.sms_only_mfa_phone_recovery

import data.recoverscan.lib.recovery
import data.recoverscan.lib.report
import data.recoverscan.lib.sources

phone_only_required if {
	sources.ok(input.pool.read)
	recovery.order == ["sms"]
	not recovery.legacy
	input.pool.mfa.configuration == "ON"
}

report contains report.fail(
	"MFA is required with SMS as the only factor and recovery allows only a verified phone number, which SMS MFA disqualifies, so no user who has set up MFA can recover a password by themselves.",
	{
		"mfa_configuration": input.pool.mfa.configuration,
		"sms_mfa": true,
		"totp_mfa": false,
		"email_mfa": false,
		"recovery_order": recovery.order,
		"users_routed_to_sms": input.users.by_channel.sms,
		"users_without_channel": input.users.by_channel.none,
	},
) if {
	phone_only_required
	sources.ok(input.pool.mfa.read)
	input.pool.mfa.sms_enabled == true
	input.pool.mfa.totp_enabled == false
	input.pool.mfa.email_enabled == false
}

report contains report.indeterminate(
	"MFA is required and recovery allows only a verified phone number, and the pool's MFA factors were not read, so it is unknown whether SMS MFA disqualifies every user's recovery.",
	input.pool.mfa.read,
) if {
	phone_only_required
	sources.unread(input.pool.mfa.read)
}

report contains report.indeterminate(
	"The pool's settings were not read, so it is unknown whether required SMS MFA disqualifies its only recovery channel.",
	input.pool.read,
) if {
	sources.unread(input.pool.read)
}
