# METADATA
# title: Recovery channel selection
# description: |
#   Which channel ForgotPassword would use for input.user, from the pool's
#   AccountRecoverySetting, the user's verified attributes and MFA
#   (facts §0.1-0.4). Cognito sends the code to exactly one destination and
#   falls back to the next mechanism only when a channel is unavailable (not
#   verified, or disqualified by MFA), never when delivery fails later.
#
#   order, legacy, admin_only and status_allows_reset read nothing but
#   input.pool (and input.user for the last), so pool rules may use the first
#   three too: keep it that way.
#
#   Also the per-user facts several rules share: whether a temporary password
#   has expired (RC-USER-005 / RC-USER-019). The per-recipient conditions that
#   stop delivery to this user's address (RC-USER-011..014, 016, and
#   RC-USER-009 on top) are lib.recipient's blockers and unknown.
package recoverscan.lib.recovery

import data.recoverscan.lib.report
import data.recoverscan.lib.sources

# Cognito's mechanism names, by the channel they stand for.
mechanism_channel := {"verified_email": "email", "verified_phone_number": "sms"}

# The MFA factor that disqualifies a channel when AccountRecoverySetting is set.
mfa_factor := {"email": "EMAIL_OTP", "sms": "SMS_MFA"}

channel_label := {"email": "email", "sms": "SMS"}

# The statuses ForgotPassword sends a code for (the status gate, facts §0.5).
reset_statuses := {"CONFIRMED", "RESET_REQUIRED"}

pool_read if sources.ok(input.pool.read)

# METADATA
# scope: document
# title: admin_only
# description: The pool allows recovery through an administrator only.
default admin_only := false

admin_only if {
	pool_read
	some mechanism in input.pool.account_recovery.mechanisms
	mechanism.name == "admin_only"
}

# METADATA
# scope: document
# title: legacy
# description: |
#   The pool has no AccountRecoverySetting: Cognito tries a verified phone
#   first, then a verified email, and SMS MFA does not disqualify the phone.
default legacy := false

legacy if {
	pool_read
	not input.pool.account_recovery.configured
}

# METADATA
# scope: document
# title: order
# description: |
#   The channels ("email", "sms") in the order Cognito tries them: [] for
#   admin_only pools and for pools whose settings were not read.
default order := []

order := ["sms", "email"] if legacy

order := [channel |
	some priority in sort({m.priority | some m in input.pool.account_recovery.mechanisms})
	some mechanism in input.pool.account_recovery.mechanisms
	mechanism.priority == priority
	channel := mechanism_channel[mechanism.name]
] if {
	pool_read
	input.pool.account_recovery.configured
	not admin_only
}

# METADATA
# scope: document
# title: status_allows_reset
# description: The user's status and enabled flag let ForgotPassword send a code at all.
default status_allows_reset := false

status_allows_reset if {
	input.user.status in reset_statuses
	input.user.enabled == true
}

# METADATA
# scope: document
# title: verified
# description: The channels the user has a present and verified attribute for.
verified contains "email" if {
	input.user.email.present
	input.user.email.verified
}

verified contains "sms" if {
	input.user.phone.present
	input.user.phone.verified
}

# MFA disqualifies only under an explicit AccountRecoverySetting.
mfa_disqualifies if {
	pool_read
	input.pool.account_recovery.configured
	not admin_only
}

user_mfa_read if sources.ok(input.user.mfa.read)

# METADATA
# title: disqualified
# description: The channels of order that MFA certainly disqualifies for this user.
disqualified contains channel if {
	mfa_disqualifies
	user_mfa_read
	some channel in order
	mfa_factor[channel] in input.user.mfa.methods
}

# The channels of order that MFA certainly does not disqualify.
mfa_clear contains channel if {
	legacy
	some channel in order
}

mfa_clear contains channel if {
	mfa_disqualifies
	user_mfa_read
	some channel in order
	not mfa_factor[channel] in input.user.mfa.methods
}

mfa_clear contains channel if {
	mfa_disqualifies
	not user_mfa_read
	input.pool.mfa.configuration == "OFF"
	some channel in order
}

mfa_clear contains channel if {
	mfa_disqualifies
	not user_mfa_read
	sources.ok(input.pool.mfa.read)
	some channel in order
	not pool_factor_enabled(channel)
}

pool_factor_enabled("email") if input.pool.mfa.email_enabled == true

pool_factor_enabled("sms") if input.pool.mfa.sms_enabled == true

# METADATA
# title: mfa_unknown
# description: |
#   Verified channels of order whose MFA disqualification is unknown, because
#   the user's MFA state was not read and the pool's MFA settings allow it.
mfa_unknown contains channel if {
	some channel in order
	channel in verified
	not channel in disqualified
	not channel in mfa_clear
}

# Channels of order that certainly qualify, and that certainly do not.
eligible contains channel if {
	some channel in order
	channel in verified
	channel in mfa_clear
}

ineligible contains channel if {
	some channel in order
	not channel in verified
}

ineligible contains channel if {
	some channel in disqualified
}

# The channels Cognito might still try, in order.
candidates := [channel | some channel in order; not channel in ineligible]

# METADATA
# scope: document
# title: chosen
# description: |
#   The channel Cognito would send the code to: "email", "sms", "none" (no
#   channel qualifies, or admin_only) or "unknown" (the pool's settings, or
#   MFA state that decides it, were not read). Only the status-independent
#   choice: rules apply the status gate themselves.
default chosen := "none"

chosen := "unknown" if {
	not pool_read
} else := "none" if {
	admin_only
} else := candidates[0] if {
	candidates[0] in eligible
} else := "unknown" if {
	count(candidates) > 0
}

# METADATA
# scope: document
# title: outcomes
# description: |
#   Every value chosen could take once the unknown MFA state is known
#   (a subset of "email", "sms", "none"); {chosen} when chosen is known.
outcomes contains chosen if chosen != "unknown"

outcomes contains channel if {
	chosen == "unknown"
	pool_read
	some i, channel in candidates
	every earlier in array.slice(candidates, 0, i) {
		not earlier in eligible
	}
}

outcomes contains "none" if {
	chosen == "unknown"
	pool_read
	every channel in candidates {
		not channel in eligible
	}
}

# METADATA
# title: may_use
# description: |
#   When chosen is "unknown" only because MFA state was not read: the
#   channels Cognito might use, depending on that state.
may_use contains channel if {
	chosen == "unknown"
	some channel in outcomes
	channel != "none"
}

# METADATA
# scope: document
# title: routes
# description: Cognito uses, or may use (depending on unread MFA state), the channel for this user.
routes(channel) if chosen == channel

routes(channel) if channel in may_use

# METADATA
# title: mfa_unknown_source
# description: The user's MFA source, when the choice depends on MFA state that was not read.
mfa_unknown_source := input.user.mfa.read if {
	pool_read
	chosen == "unknown"
}

# METADATA
# scope: document
# title: unknown_source
# description: The source whose absence leaves chosen "unknown" (the pool's settings or the user's MFA).
unknown_source := input.pool.read if not pool_read

unknown_source := mfa_unknown_source if pool_read

# METADATA
# title: why
# description: A sentence explaining chosen, without contact data.
why := "The pool's settings were not read, so the recovery channel is unknown." if {
	not pool_read
} else := "The pool allows password recovery through an administrator only (admin_only)." if {
	admin_only
} else := sprintf("%s: %s. %s", [mode, steps, outcome_text])

mode := "Legacy recovery order (no AccountRecoverySetting)" if legacy

mode := "Recovery order" if not legacy

steps := "no self-service channel" if count(order) == 0

steps := concat(", then ", [sprintf("%s (%s)", [channel_label[channel], step_state(channel)]) | some channel in order]) if {
	count(order) > 0
}

step_state(channel) := "not verified" if {
	not channel in verified
} else := sprintf("disqualified by %s", [mfa_factor[channel]]) if {
	channel in disqualified
} else := sprintf("verified, %s state not read", [mfa_factor[channel]]) if {
	channel in mfa_unknown
} else := "verified"

default outcome_text := "The channel depends on MFA state that was not read."

outcome_text := sprintf("Cognito would send the code by %s.", [channel_label[chosen]]) if {
	chosen in {"email", "sms"}
} else := "No channel qualifies, so Cognito sends no code." if {
	chosen == "none"
}

# METADATA
# scope: document
# title: on_channel
# description: |
#   The report entry of a per-recipient channel condition that holds for this
#   user: fail when Cognito certainly uses the channel, indeterminate (naming
#   the user's MFA source) when it may, depending on MFA state not read.
on_channel(channel, message, evidence) := report.fail(message, evidence) if {
	chosen == channel
}

on_channel(channel, message, _) := report.indeterminate(
	sprintf(
		"Whether Cognito sends this user's code by %s depends on MFA state that was not read. If it does: %s",
		[channel_label[channel], message],
	),
	mfa_unknown_source,
) if {
	channel in may_use
}

# METADATA
# title: disqualified_by_mfa
# description: |
#   The user's verified channel is disqualified for recovery by the user's
#   MFA factor, and the recovery setting offers no other usable channel.
disqualified_by_mfa(channel) if {
	status_allows_reset
	chosen == "none"
	channel in disqualified
}

# METADATA
# title: may_be_disqualified_by_mfa
# description: |
#   The user's MFA state was not read, and if it disqualifies the channel no
#   other channel is certain to qualify.
may_be_disqualified_by_mfa(channel) if {
	status_allows_reset
	"none" in outcomes
	channel in mfa_unknown
}

# METADATA
# title: mfa_evidence
# description: The evidence of an MFA disqualification (disqualified_by_mfa).
mfa_evidence := {
	"status": input.user.status,
	"mfa_methods": input.user.mfa.methods,
	"recovery_order": order,
	"verified": sort([channel | some channel in verified]),
	"recovery": why,
}

# METADATA
# scope: document
# title: lockout_note
# description: A sentence to append to a blocking message when the user cannot sign in without a reset.
default lockout_note := ""

lockout_note := " The user is in RESET_REQUIRED, so the user cannot sign in until a reset succeeds." if {
	input.user.status == "RESET_REQUIRED"
}

# METADATA
# title: ns_per_day
# description: Nanoseconds in a day.
ns_per_day := ((24 * 60) * 60) * 1000000000

# Only timestamps from 1970 on parse to nanoseconds; the zero time does not.
parseable(ts) if regex.match(`^(19[7-9][0-9]|2[0-9]{3})-[0-9]{2}-[0-9]{2}T`, ts)

taken_ns := time.parse_rfc3339_ns(input.snapshot.taken_at) if parseable(input.snapshot.taken_at)

changed_ns := time.parse_rfc3339_ns(input.user.last_modified_at) if parseable(input.user.last_modified_at)

# METADATA
# title: days_since_change
# description: Whole days between the user's last modification and the snapshot.
days_since_change := floor((taken_ns - changed_ns) / ns_per_day)

# METADATA
# title: temporary_password_expires_ns
# description: |
#   When the user's temporary password expires, estimated from the last
#   modification (the issue time is not exposed; issuing a temporary password
#   modifies the user, and later attribute edits only move the estimate
#   later, so an estimate in the past means the password has certainly
#   expired). Undefined when the pool's settings or the time were not read.
temporary_password_expires_ns := changed_ns + temporary_password_validity_ns

# The pool's temporary password validity; undefined when not read.
temporary_password_validity_ns := input.pool.temporary_password_validity_days * ns_per_day if {
	pool_read
	input.pool.temporary_password_validity_days > 0
}

# A temporary password last changed before this has expired at the
# snapshot time (expires_ns < taken_ns, with the pool's part computed once).
temporary_password_issued_before_ns := taken_ns - temporary_password_validity_ns

# METADATA
# scope: document
# title: temporary_password_expired
# description: The temporary password (FORCE_CHANGE_PASSWORD) expired before the snapshot was taken.
temporary_password_expired if changed_ns < temporary_password_issued_before_ns

# METADATA
# scope: document
# title: temporary_password_valid
# description: The temporary password may still be valid at the snapshot time.
temporary_password_valid if changed_ns >= temporary_password_issued_before_ns

# METADATA
# title: temporary_password_unknown_source
# description: The source whose absence leaves the temporary password's expiry unknown.
temporary_password_unknown_source := input.pool.read if {
	not pool_read
} else := {
	"status": "error",
	"action": "cognito-idp:ListUsers",
	"error": "the user's last modification time or the snapshot time is missing",
} if {
	not temporary_password_expired
	not temporary_password_valid
}
