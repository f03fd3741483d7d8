# METADATA
# title: Recovery channel is broken for the whole pool
# description: |
#   Cognito would send this user's code on a channel that cannot deliver
#   anything for this pool: a channel rule (a pool, SMS or email rule that
#   declares custom.channel and custom.effect blocks), built-in or custom,
#   failed for that channel, for example SMS with no SMS configuration
#   (RC-POOL-004), an SMS spend limit reached (RC-SMS-002), or an SES
#   identity that is not verified (RC-EMAIL-003). Also indeterminate when a
#   hop of that channel could not be read.
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
#   effect: blocks
#   remediation: |
#     Fix the pool-level findings named in the evidence (blocked_by). Until then, an administrator can
#     set a password for an affected user:
#     aws cognito-idp admin-set-user-password --user-pool-id <pool-id> --username <username> --password <password> --permanent
package recoverscan.rules.user.channel_blocked

import data.recoverscan.lib.delivery
import data.recoverscan.lib.recovery

report contains recovery.on_channel(
	name,
	sprintf(
		"Cognito would send the recovery code by %s, which cannot deliver anything for this pool (%s), and it does not fall back to another channel.%s",
		[delivery.label(name), concat(", ", delivery.rules(entries)), recovery.lockout_note],
	),
	{
		"channel": name,
		"blocked_by": delivery.rules(entries),
		"reasons": delivery.reasons(entries),
	},
) if {
	recovery.status_allows_reset
	some name in {"email", "sms"}
	delivery.blocked(name)
	entries := delivery.blocks(name)
}

# One finding per channel for every hop that could not be read; the
# evidence's source is the first of them, unread lists them all.
report contains {
	"verdict": "indeterminate",
	"message": sprintf(
		"Cognito would send the recovery code by %s, and whether that channel works for this pool was not settled (%s): %s",
		[delivery.label(name), concat(", ", delivery.rules(entries)), concat(" ", delivery.reasons(entries))],
	),
	"evidence": {"source": first.source, "unread": delivery.rules(entries)},
} if {
	recovery.status_allows_reset
	some name in {"email", "sms"}
	recovery.routes(name)
	not delivery.blocked(name)
	entries := delivery.unread(name)
	count(entries) > 0
	first := [entry | some id in delivery.rules(entries); some entry in entries; entry.rule == id][0]
}
