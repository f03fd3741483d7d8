# METADATA
# title: Per-recipient conditions
# description: |
#   The last hop of a code's path: the conditions of input.user's own address
#   or number that stop delivery on a channel (blockers) or that could not be
#   settled (unknown), whichever channel Cognito chooses; the user rules that
#   report them pair them with recovery.chosen (recovery.on_channel), and
#   RC-USER-009 collects them for users who cannot sign in without a reset.
#   Each entry names the user rule that reports it, for evidence.
#
#   SMS conditions are judged in every SNS region Cognito may send through:
#   the pool's SMS region and, for a pool without SnsRegion in a Region with
#   a legacy alternate, that alternate too (input.sms_alternate). A condition
#   that holds in both blocks; one that holds in only one of them leaves the
#   outcome unknown, since which region sends is not documented.
#
#   Reads input.user, input.sms, input.sms_alternate and input.email, and
#   input.pool through lib.channel (only where SNS or the account's SES send).
package recoverscan.lib.recipient

import data.recoverscan.lib.channel
import data.recoverscan.lib.recovery
import data.recoverscan.lib.sources

# The SNS regions Cognito may send this pool's texts through, with the
# user's joins against each region's lists.
sms_regions contains {
	"sms": input.sms,
	"opted_out": input.user.phone.opted_out,
	"sandbox_verified": input.user.phone.sandbox_verified,
}

sms_regions contains {
	"sms": input.sms_alternate,
	"opted_out": input.user.phone.alternate_opted_out,
	"sandbox_verified": input.user.phone.alternate_sandbox_verified,
} if {
	input.pool.sms.alternate_region != ""
}

# Why each SMS condition stops a text, by the user rule that reports it.
sms_reason := {
	"RC-USER-012": "The phone number has opted out of SMS in the SMS region.",
	"RC-USER-013": "The SMS region is in the SMS sandbox and the number is not a verified sandbox destination.",
	"RC-USER-016": "The number is a US number and the SMS region has no active US origination identity, in SNS or in End User Messaging.",
}

# holds(r, rule): the SMS condition holds in the region r of sms_regions.
holds(r, "RC-USER-012") if {
	sources.ok(r.sms.opt_outs.read)
	r.opted_out
}

holds(r, "RC-USER-013") if {
	sources.ok(r.sms.sandbox.read)
	r.sms.sandbox.in_sandbox
	sources.ok(r.sms.sandbox.destinations_read)
	not r.sandbox_verified
}

holds(r, "RC-USER-016") if {
	input.user.phone.country == "US"
	sources.ok(r.sms.origination_numbers.read)
	sources.ok(r.sms.eums.phone_numbers.read)
	not channel.us_origination(r.sms)
}

# METADATA
# scope: document
# title: sms_where
# description: |
#   Where an SMS condition that blocks holds, for a message: the pool's SMS
#   region, or both regions Cognito may send through for a pool without
#   SnsRegion.
default sms_where := "in the pool's SMS region"

sms_where := sprintf(
	"in both SNS regions Cognito may send the pool's texts through (%s and %s)",
	[input.pool.sms.region, input.pool.sms.alternate_region],
) if {
	input.pool.sms.alternate_region != ""
}

# The regions of sms_regions where the condition holds.
sms_blocked_in(rule) := {r.sms.region | some r in sms_regions; holds(r, rule)}

# Why each email condition stops a message, by the user rule that reports it.
email_reason := {
	"RC-USER-011": "The email address is on the SES account-level suppression list.",
	"RC-USER-014": "The account's SES is in the sandbox and sends only to verified identities, and neither the address nor its domain is one.",
}

# email_holds(rule): the email condition holds for the account's SES.
email_holds("RC-USER-011") if {
	sources.ok(input.email.suppression.read)
	input.user.email.suppressed
}

email_holds("RC-USER-014") if {
	sources.ok(input.email.account.read)
	input.email.account.production_access_enabled == false
	sources.ok(input.email.verified_identities.read)
	not input.user.email.recipient_verified
}

# METADATA
# scope: document
# title: blockers
# description: |
#   Conditions of this user's own address or number that certainly stop a
#   message on a channel, as {"rule", "channel", "reason"}. Only where SNS or
#   the account's SES actually send.
blockers contains {"rule": rule, "channel": "sms", "reason": reason} if {
	channel.sns_used
	some rule, reason in sms_reason
	count(sms_blocked_in(rule)) == count(sms_regions)
}

blockers contains {"rule": rule, "channel": "email", "reason": reason} if {
	channel.ses_account_used
	some rule, reason in email_reason
	email_holds(rule)
}

# METADATA
# title: blocked
# description: The per-recipient condition of the rule with this id holds for the user.
blocked(rule) if {
	some blocker in blockers
	blocker.rule == rule
}

# METADATA
# title: stops
# description: |
#   The per-recipient condition of the rule with this id holds for a user
#   whose status allows a reset: the body of the rule's failing finding.
stops(rule) if {
	recovery.status_allows_reset
	blocked(rule)
}

# METADATA
# title: unsettled
# description: |
#   The unread sources that leave the per-recipient condition of the rule
#   with this id unknown, for a user whose status allows a reset and whose
#   code Cognito sends, or may send, on the condition's channel: the body of
#   the rule's indeterminate findings.
unsettled(rule) := {entry.source |
	recovery.status_allows_reset
	some entry in unknown
	entry.rule == rule
	recovery.routes(entry.channel)
}

# Which region sends is not documented for a pool without SnsRegion.
region_choice := {
	"status": "unavailable",
	"action": "cognito-idp:DescribeUserPool",
	"error": sprintf(
		"the pool sets no SnsRegion, and which of %s and %s Cognito sends its texts through is not documented",
		[input.pool.sms.region, input.pool.sms.alternate_region],
	),
}

# METADATA
# scope: document
# title: unknown
# description: |
#   Unread sources (or undocumented behaviour) that leave a per-recipient
#   condition unknown, as {"rule", "channel", "source"}.
unknown contains {"rule": entry.rule, "channel": "sms", "source": entry.source} if {
	channel.sns_used
	some entry in sms_unread
	not blocked(entry.rule)
}

unknown contains {"rule": entry.rule, "channel": "email", "source": entry.source} if {
	channel.ses_account_used
	some entry in email_unread
}

# The unread sources that leave an SMS condition unknown in a region of
# sms_regions, as {"rule", "source"}; and the region choice where a
# condition holds in one region only.
sms_unread contains {"rule": "RC-USER-012", "source": r.sms.opt_outs.read} if {
	some r in sms_regions
	sources.unread(r.sms.opt_outs.read)
}

sms_unread contains {"rule": "RC-USER-013", "source": r.sms.sandbox.read} if {
	some r in sms_regions
	sources.unread(r.sms.sandbox.read)
}

sms_unread contains {"rule": "RC-USER-013", "source": r.sms.sandbox.destinations_read} if {
	some r in sms_regions
	sources.ok(r.sms.sandbox.read)
	r.sms.sandbox.in_sandbox
	sources.unread(r.sms.sandbox.destinations_read)
}

sms_unread contains {"rule": "RC-USER-016", "source": src} if {
	input.user.phone.country == "US"
	some r in sms_regions
	some src in channel.us_origination_unknown(r.sms)
}

sms_unread contains {"rule": rule, "source": region_choice} if {
	some rule, _ in sms_reason
	count(sms_blocked_in(rule)) > 0
	count(sms_blocked_in(rule)) < count(sms_regions)
}

# The unread sources that leave an email condition unknown, as
# {"rule", "source"}.
email_unread contains {"rule": "RC-USER-011", "source": input.email.suppression.read} if {
	sources.unread(input.email.suppression.read)
}

email_unread contains {"rule": "RC-USER-014", "source": input.email.account.read} if {
	sources.unread(input.email.account.read)
}

email_unread contains {"rule": "RC-USER-014", "source": input.email.verified_identities.read} if {
	sources.ok(input.email.account.read)
	input.email.account.production_access_enabled == false
	sources.unread(input.email.verified_identities.read)
}
