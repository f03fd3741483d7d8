# METADATA
# title: RESET_REQUIRED user whose recovery channel is absent or broken
# description: |
#   The user is in RESET_REQUIRED ("the user must request a code and reset
#   their password before they can sign in"): sign-in answers
#   PasswordResetRequiredException, so ForgotPassword is the user's only way
#   back in. Cognito would send the code on no channel (no verified contact
#   the recovery setting allows, a channel disqualified by MFA, or admin_only)
#   or on a channel that cannot deliver to this user: broken for the whole
#   pool (RC-POOL-004, RC-POOL-008, RC-EMAIL-003, RC-EMAIL-005, RC-EMAIL-006)
#   or for this address or number (RC-USER-011..014, RC-USER-016). The user
#   is locked out until an administrator acts. Reported in addition to the
#   finding that names the channel problem. Users come to RESET_REQUIRED
#   through CSV import, AdminResetUserPassword or a UserMigration trigger.
# related_resources:
#   - ref: https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_UserType.html
#     description: UserType (UserStatus RESET_REQUIRED)
#   - ref: https://docs.aws.amazon.com/cognito/latest/developerguide/cognito-user-pools-using-import-tool-password-reset.html
#     description: Requiring imported users to reset their passwords
#   - ref: https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_AdminSetUserPassword.html
#     description: AdminSetUserPassword
# custom:
#   id: RC-USER-009
#   severity: critical
#   effect: blocks
#   remediation: |
#     Fix the channel problem named in the evidence (blocked_by), or, once the address is known to be the
#     user's, mark it verified so ForgotPassword can reach it:
#     aws cognito-idp admin-update-user-attributes --user-pool-id <pool-id> --username <username> \
#       --user-attributes Name=email_verified,Value=true
#     or let the user in with a password set by an administrator:
#     aws cognito-idp admin-set-user-password --user-pool-id <pool-id> --username <username> --password <password> --permanent
package recoverscan.rules.user.reset_required_no_channel

import data.recoverscan.lib.delivery
import data.recoverscan.lib.recipient
import data.recoverscan.lib.recovery
import data.recoverscan.lib.report
import data.recoverscan.lib.sources

gate if {
	recovery.status_allows_reset
	input.user.status == "RESET_REQUIRED"
}

prefix := "The user is in RESET_REQUIRED, so ForgotPassword is the only way back in"

# What stops delivery on a channel, for this user.
problems(name) := {p |
	some entry in delivery.blocks(name)
	p := {"rule": entry.rule, "reason": entry.message}
} | {p |
	some blocker in recipient.blockers
	blocker.channel == name
	p := {"rule": blocker.rule, "reason": blocker.reason}
}

broken(name) if count(problems(name)) > 0

unknown_outcome_fails if not sources.ok(input.pool.read)

unknown_outcome_fails if "none" in recovery.outcomes

unknown_outcome_fails if {
	some name in recovery.may_use
	broken(name)
}

report contains report.fail(
	sprintf("%s, and no recovery channel qualifies, so Cognito sends no code.", [prefix]),
	{
		"status": input.user.status,
		"channel": "none",
		"blocked_by": [],
		"recovery": recovery.why,
	},
) if {
	gate
	recovery.chosen == "none"
}

report contains report.fail(
	sprintf(
		"%s, and Cognito would send the code by %s, which cannot deliver to this user (%s).",
		[prefix, label, concat(", ", rules)],
	),
	{
		"status": input.user.status,
		"channel": name,
		"blocked_by": rules,
		"reasons": [p.reason | some p in problems(name)],
		"recovery": recovery.why,
	},
) if {
	gate
	name := recovery.chosen
	name in {"email", "sms"}
	label := recovery.channel_label[name]
	broken(name)
	rules := sort({p.rule | some p in problems(name)})
}

# The choice depends on unread settings or MFA state, and one outcome fails.
report contains report.indeterminate(
	sprintf("%s, and whether Cognito can send the user a code depends on a source that was not read.", [prefix]),
	recovery.unknown_source,
) if {
	gate
	recovery.chosen == "unknown"
	unknown_outcome_fails
}

# The chosen channel is not known to be broken, but a source that says so was not read.
report contains report.indeterminate(
	sprintf(
		"%s, Cognito would send the code by %s, and a source that says whether it can reach this user was not read.",
		[prefix, label],
	),
	source,
) if {
	gate
	name := recovery.chosen
	name in {"email", "sms"}
	label := recovery.channel_label[name]
	not broken(name)
	some source in unknown_sources(name)
}

unknown_sources(name) := {entry.source | some entry in delivery.unread(name)} | {u.source |
	some u in recipient.unknown
	u.channel == name
}
