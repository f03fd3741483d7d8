# METADATA
# title: Per-recipient conditions
# description: |
#   The per-recipient conditions that stop delivery to input.user's own
#   address or number (blockers, unknown: RC-USER-011..014, 016, and
#   RC-USER-009 on top), whichever channel Cognito chooses: the user
#   rules that report them pair them with recovery.chosen (recovery.on_channel).
#   Reads input.user, input.sms and input.email, and input.pool through
#   lib.channel (only where SNS or the account's SES actually send).
package recoverscan.lib.recipient

import data.recoverscan.lib.channel
import data.recoverscan.lib.sources

# METADATA
# scope: document
# title: blockers
# description: |
#   Conditions of this user's own address or number that certainly stop a
#   message on a channel, as {"rule", "channel", "reason"}, whichever channel
#   Cognito chooses: the user rules that report them pair them with
#   recovery.chosen (recovery.on_channel). Only where SNS or the account's SES actually send.
blockers contains {
	"rule": "RC-USER-011",
	"channel": "email",
	"reason": "The email address is on the SES account-level suppression list.",
} if {
	channel.ses_account_used
	sources.ok(input.email.suppression.read)
	input.user.email.suppressed
}

blockers contains {
	"rule": "RC-USER-014",
	"channel": "email",
	"reason": "The account's SES is in the sandbox and sends only to verified identities.",
} if {
	channel.ses_account_used
	sources.ok(input.email.account.read)
	input.email.account.production_access_enabled == false
}

blockers contains {
	"rule": "RC-USER-012",
	"channel": "sms",
	"reason": "The phone number has opted out of SMS in the SMS region.",
} if {
	channel.sns_used
	sources.ok(input.sms.opt_outs.read)
	input.user.phone.opted_out
}

blockers contains {
	"rule": "RC-USER-013",
	"channel": "sms",
	"reason": "The SMS region is in the SMS sandbox and the number is not a verified sandbox destination.",
} if {
	channel.sns_used
	sources.ok(input.sms.sandbox.read)
	input.sms.sandbox.in_sandbox
	sources.ok(input.sms.sandbox.destinations_read)
	not input.user.phone.sandbox_verified
}

blockers contains {
	"rule": "RC-USER-016",
	"channel": "sms",
	"reason": "The number is a US number and the SMS region has no active US origination number.",
} if {
	channel.sns_used
	input.user.phone.country == "US"
	sources.ok(input.sms.origination_numbers.read)
	not channel.us_origination
}

# METADATA
# title: blocked
# description: The per-recipient condition of the rule with this id holds for the user.
blocked(rule) if {
	some blocker in blockers
	blocker.rule == rule
}

# METADATA
# scope: document
# title: unknown
# description: |
#   Unread sources that leave a per-recipient condition unknown, as
#   {"rule", "channel", "source"}.
unknown contains {"rule": "RC-USER-011", "channel": "email", "source": input.email.suppression.read} if {
	channel.ses_account_used
	sources.unread(input.email.suppression.read)
}

unknown contains {"rule": "RC-USER-014", "channel": "email", "source": input.email.account.read} if {
	channel.ses_account_used
	sources.unread(input.email.account.read)
}

unknown contains {"rule": "RC-USER-012", "channel": "sms", "source": input.sms.opt_outs.read} if {
	channel.sns_used
	sources.unread(input.sms.opt_outs.read)
}

unknown contains {"rule": "RC-USER-013", "channel": "sms", "source": input.sms.sandbox.read} if {
	channel.sns_used
	sources.unread(input.sms.sandbox.read)
}

unknown contains {"rule": "RC-USER-013", "channel": "sms", "source": input.sms.sandbox.destinations_read} if {
	channel.sns_used
	sources.ok(input.sms.sandbox.read)
	input.sms.sandbox.in_sandbox
	sources.unread(input.sms.sandbox.destinations_read)
}

unknown contains {"rule": "RC-USER-016", "channel": "sms", "source": input.sms.origination_numbers.read} if {
	channel.sns_used
	input.user.phone.country == "US"
	sources.unread(input.sms.origination_numbers.read)
}
