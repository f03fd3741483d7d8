# METADATA
# title: Recovery channel is broken for the whole pool
# description: |
#   Cognito would send this user's code on a channel that cannot deliver
#   anything for this pool: SMS with no SMS configuration and no
#   CustomSMSSender (RC-POOL-004) or with an SMS role that may not publish
#   (RC-POOL-008); email from an SES identity that is missing or not verified
#   (RC-EMAIL-003), an SES account whose sending is paused (RC-EMAIL-005) or
#   whose 24-hour sending quota is used up (RC-EMAIL-006).
#   Cognito picks the channel from verified attributes and MFA only and does
#   not fall back when delivery fails, so the user gets no code even when the
#   other channel works. The evidence names the pool rules to fix.
# related_resources:
#   - ref: https://docs.aws.amazon.com/cognito/latest/developerguide/how-to-recover-a-user-account.html
#     description: Recovering user accounts
#   - ref: https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-sms-settings.html
#     description: SMS message settings for user pools
#   - ref: https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-email.html
#     description: Email settings for user pools
# custom:
#   id: RC-USER-018
#   severity: critical
#   blocks_recovery: true
#   remediation: |
#     Fix the pool-level findings named in the evidence (blocked_by). Until then, an administrator can
#     set a password for an affected user:
#     aws cognito-idp admin-set-user-password --user-pool-id <pool-id> --username <username> --password <password> --permanent
package recoverscan.rules.user.channel_blocked

import data.recoverscan.lib.channel
import data.recoverscan.lib.recovery
import data.recoverscan.lib.report

report contains recovery.on_channel(
	name,
	sprintf(
		"Cognito would send the recovery code by %s, which cannot deliver anything for this pool (%s), and it does not fall back to another channel.%s",
		[label, concat(", ", rules), recovery.lockout_note],
	),
	{
		"channel": name,
		"blocked_by": rules,
		"reasons": [blocker.reason | some blocker in blockers],
	},
) if {
	recovery.status_allows_reset
	some name in {"email", "sms"}
	blockers := channel.blockers[name]
	count(blockers) > 0
	label := recovery.channel_label[name]
	rules := sort({blocker.rule | some blocker in blockers})
}

report contains report.indeterminate(
	sprintf(
		"Cognito would send the recovery code by %s, and a source that says whether that channel works for this pool was not read.",
		[label],
	),
	source,
) if {
	recovery.status_allows_reset
	some name in {"email", "sms"}
	recovery.routes(name)
	label := recovery.channel_label[name]
	count(channel.blockers[name]) == 0
	some source in channel.unknown[name]
}
