# METADATA
# title: Recovery channel endangered for the whole pool
# description: |
#   Cognito would send this user's code on a channel that may not deliver it:
#   a channel rule (a pool, SMS or email rule that declares custom.channel and
#   custom.effect endangers), built-in or custom, failed for that channel, for
#   example an SMS spend at 80 % of its limit (RC-SMS-002), a custom sender
#   trigger whose delivery cannot be checked (RC-POOL-018), or an SES
#   identity in a Region the pool may not use (RC-EMAIL-004). The user may
#   not receive a code; the evidence names the pool findings to look at.
# related_resources:
#   - ref: https://docs.aws.amazon.com/cognito/latest/developerguide/how-to-recover-a-user-account.html
#     description: Recovering user accounts
#   - ref: https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-sms-settings.html
#     description: SMS message settings for user pools
#   - ref: https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-email.html
#     description: Email settings for user pools
# custom:
#   id: RC-USER-020
#   severity: high
#   effect: endangers
#   remediation: |
#     Fix the pool-level findings named in the evidence (endangered_by); recoverscan explain walks the
#     user's path hop by hop:
#     recoverscan explain --pool <pool-id> --user <username>
package recoverscan.rules.user.channel_endangered

import data.recoverscan.lib.delivery
import data.recoverscan.lib.recovery

report contains recovery.on_channel(
	name,
	sprintf(
		"Cognito would send the recovery code by %s, and for this pool that channel may not deliver it (%s).%s",
		[delivery.label(name), concat(", ", delivery.rules(entries)), recovery.lockout_note],
	),
	{
		"channel": name,
		"endangered_by": delivery.rules(entries),
		"reasons": delivery.reasons(entries),
	},
) if {
	recovery.status_allows_reset
	some name in {"email", "sms"}
	delivery.endangered(name)
	entries := delivery.endangers(name)
}
