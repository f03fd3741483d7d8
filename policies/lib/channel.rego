# METADATA
# title: Pool-wide channel health
# description: |
#   Facts about each delivery channel of the whole pool that channel rules
#   (pool, SMS and email rules that declare custom.channel) and per-user rules
#   share: who sends (SNS, a custom sender, Cognito, the account's SES) and
#   why an SES identity, configuration set or account cannot send. Which
#   finding blocks or endangers a channel is each rule's METADATA, not this
#   library's. Reads input.pool, input.sms and input.email (present for every
#   rule kind but client); sms_in_use and email_in_use also read input.users,
#   so only pool rules without custom.channel may use those two (the engine
#   reports a channel rule's findings only when its channel is in use).
#
#   A custom sender trigger replaces SNS or SES for its channel (facts
#   RC-POOL-012), so the SNS/SES state rules do not apply to that channel.
package recoverscan.lib.channel

import data.recoverscan.lib.recovery
import data.recoverscan.lib.sources

pool_read if sources.ok(input.pool.read)

# METADATA
# scope: document
# title: custom_sms_sender
# description: A CustomSMSSender trigger sends the pool's text messages instead of SNS.
default custom_sms_sender := false

custom_sms_sender if input.pool.triggers.custom_sms_sender != ""

# METADATA
# scope: document
# title: custom_email_sender
# description: A CustomEmailSender trigger sends the pool's email instead of SES or Cognito.
default custom_email_sender := false

custom_email_sender if input.pool.triggers.custom_email_sender != ""

# METADATA
# scope: document
# title: sns_used
# description: |
#   Cognito sends the pool's text messages through SNS / End User Messaging:
#   the pool has an SMS configuration and no CustomSMSSender. Without a
#   configuration nothing is sent (RC-POOL-004), so the account's SNS state
#   does not matter to the pool.
default sns_used := false

sns_used if {
	pool_read
	input.pool.sms.configured
	not custom_sms_sender
}

# METADATA
# scope: document
# title: ses_identity_used
# description: |
#   Cognito sends the pool's email from the SES identity named by
#   EmailConfiguration.SourceArn (DEVELOPER, or COGNITO_DEFAULT with a custom
#   FROM address).
default ses_identity_used := false

ses_identity_used if {
	pool_read
	input.pool.email.source_arn != ""
	not custom_email_sender
}

# METADATA
# scope: document
# title: ses_account_used
# description: |
#   Cognito sends the pool's email with the account's own SES (DEVELOPER), so
#   the account's SES sandbox, sending status and suppression list apply.
default ses_account_used := false

ses_account_used if {
	ses_identity_used
	input.pool.email.sending_account == "DEVELOPER"
}

# METADATA
# title: identity
# description: The snapshot's record of the SES identity the pool sends from.
identity := records[0] if {
	records := [record | some record in input.email.identities; record.name == input.pool.email.identity]
	count(records) > 0
}

# METADATA
# scope: document
# title: identity_read
# description: The source of the identity's record; a synthetic error when the snapshot has none.
default identity_read := {
	"status": "error",
	"action": "ses:GetEmailIdentity",
	"error": "the snapshot holds no record of the pool's SES identity",
}

identity_read := identity.read

# Whether the identity's state matters: always in DEVELOPER mode; with
# COGNITO_DEFAULT and a custom FROM only if the collector judged it
# applicable (it may not read SES for such pools).
identity_checked if {
	ses_identity_used
	input.pool.email.sending_account == "DEVELOPER"
}

identity_checked if {
	ses_identity_used
	identity_read.status != "not_applicable"
}

# METADATA
# title: identity_contradiction
# description: |
#   SES answered with a record of the identity that contradicts itself: a
#   verification status of SUCCESS while the identity is not verified for
#   sending, or verified for sending with another status. Neither half can
#   be trusted, so what depends on it is indeterminate.
identity_contradiction := sprintf(
	"SES reports the identity's verification status as %s but VerifiedForSendingStatus as %v, which contradict each other.",
	[identity.verification_status, identity.verified_for_sending],
) if {
	identity_checked
	sources.ok(identity_read)
	identity.exists
	identity.verification_status != ""
	success := identity.verification_status == "SUCCESS"
	success != identity.verified_for_sending
}

# METADATA
# title: ses_identity_problem
# description: Why the pool's SES identity cannot send (RC-EMAIL-003), when it certainly cannot.
ses_identity_problem := "The SES identity named by the pool's SourceArn does not exist in the SES region." if {
	identity_checked
	sources.ok(identity_read)
	not identity.exists
} else := sprintf("The SES identity named by the pool's SourceArn is not verified for sending (verification status %s).", [identity.verification_status]) if {
	identity_checked
	sources.ok(identity_read)
	not identity.verified_for_sending
	not identity_contradiction
}

# METADATA
# scope: document
# title: cognito_sends_from_identity
# description: |
#   COGNITO_DEFAULT with a custom FROM address: Cognito's own SES sends from
#   the identity named by SourceArn, which needs a sending authorization
#   policy for email.cognito-idp.amazonaws.com (RC-EMAIL-007). In DEVELOPER
#   mode Cognito uses its service-linked role instead.
default cognito_sends_from_identity := false

cognito_sends_from_identity if {
	ses_identity_used
	input.pool.email.sending_account == "COGNITO_DEFAULT"
}

# METADATA
# title: cognito_send_problem
# description: |
#   Why Cognito may not send from the pool's custom FROM identity
#   (RC-EMAIL-007), when it certainly may not. A missing identity is
#   RC-EMAIL-003's finding, not this one.
cognito_send_problem := "No sending authorization policy of the SES identity named by the pool's SourceArn lets email.cognito-idp.amazonaws.com send from it (ses:SendEmail and ses:SendRawEmail)." if {
	cognito_sends_from_identity
	identity_checked
	sources.ok(identity_read)
	identity.exists
	not identity.cognito_may_send
}

# METADATA
# scope: document
# title: configuration_set_used
# description: |
#   Cognito sends the pool's email with the account's own SES (DEVELOPER)
#   through the configuration set named by EmailConfiguration.ConfigurationSet.
default configuration_set_used := false

configuration_set_used if {
	ses_account_used
	input.pool.email.configuration_set != ""
}

# METADATA
# title: configuration_set
# description: |
#   The snapshot's record of the pool's SES configuration set, found by name
#   among the SES region's sets.
configuration_set := records[0] if {
	records := [record |
		some record in input.email.configuration_sets
		record.name == input.pool.email.configuration_set
	]
	count(records) > 0
}

# METADATA
# scope: document
# title: configuration_set_read
# description: The source of the configuration set's record; a synthetic error when the snapshot has none.
default configuration_set_read := {
	"status": "error",
	"action": "ses:GetConfigurationSet",
	"error": "the snapshot holds no record of the pool's SES configuration set",
}

configuration_set_read := configuration_set.read

# METADATA
# title: configuration_set_problem
# description: |
#   Why SES refuses every email sent through the pool's configuration set
#   (RC-EMAIL-009), when it certainly does.
configuration_set_problem := "The SES configuration set named by the pool's EmailConfiguration does not exist in the SES region." if {
	configuration_set_used
	sources.ok(configuration_set_read)
	not configuration_set.exists
} else := "The SES configuration set named by the pool's EmailConfiguration has email sending disabled (SendingOptions.SendingEnabled is false)." if {
	configuration_set_used
	sources.ok(configuration_set_read)
	configuration_set.sending_enabled == false
}

# METADATA
# title: ses_account_problem
# description: Why the account's SES cannot send at all (RC-EMAIL-005), when it certainly cannot.
ses_account_problem := "The account's SES sending is shut down by SES enforcement (SHUTDOWN)." if {
	ses_account_used
	sources.ok(input.email.account.read)
	input.email.account.enforcement_status == "SHUTDOWN"
} else := "The account's SES sending is disabled (SendingEnabled is false)." if {
	ses_account_used
	sources.ok(input.email.account.read)
	input.email.account.sending_enabled == false
}

# METADATA
# title: ses_quota_exhausted
# description: |
#   The account's SES 24-hour sending quota (RC-EMAIL-006) is used up at the
#   snapshot time: every email is refused until the rolling window frees
#   capacity. Max24HourSend -1 means unlimited; 0 (no quota reported) is not
#   judged.
ses_quota_exhausted if {
	ses_account_used
	sources.ok(input.email.account.read)
	input.email.account.max_24_hour_send > 0
	input.email.account.sent_last_24_hours >= input.email.account.max_24_hour_send
}

# METADATA
# title: sms_no_sender
# description: The pool has neither an SMS configuration nor a CustomSMSSender trigger (RC-POOL-004).
sms_no_sender if {
	pool_read
	not input.pool.sms.configured
	not custom_sms_sender
}

# METADATA
# title: sms_role_broken
# description: Cognito reports that the pool's SMS role may not publish (RC-POOL-008).
sms_role_broken if {
	sns_used
	contains(input.pool.sms_configuration_failure, "InvalidSmsRoleAccessPolicyException")
}

# METADATA
# scope: document
# title: us_origination
# description: |
#   The SMS state sms (input.sms, or input.sms_alternate) has an ACTIVE,
#   SMS-capable US origination identity in SNS or in End User Messaging:
#   either settles the carriers' requirement, since SNS passes texts through
#   End User Messaging.
us_origination(sms) if {
	sources.ok(sms.origination_numbers.read)
	us_number(sms.origination_numbers.numbers)
}

us_origination(sms) if {
	sources.ok(sms.eums.phone_numbers.read)
	us_number(sms.eums.phone_numbers.numbers)
}

us_number(identities) if {
	some number in identities
	number.country == "US"
	upper(number.status) == "ACTIVE"
	number.sms == true
}

# METADATA
# title: us_origination_unknown
# description: |
#   The sources that could settle whether sms has a US origination identity,
#   when none of the read ones shows one and some were not read.
us_origination_unknown(sms) := {src |
	some src in [sms.origination_numbers.read, sms.eums.phone_numbers.read]
	sources.unread(src)
} if {
	not us_origination(sms)
}

# METADATA
# title: sms_in_use
# description: |
#   Some user is, or may be, routed to SMS: counted users (by_channel sms or
#   unknown), or a pool that can route to SMS whose users were not all listed
#   or that has none yet. Pool, SMS and email rules only.
sms_in_use if in_use("sms")

# METADATA
# title: email_in_use
# description: As sms_in_use, for email.
email_in_use if in_use("email")

in_use(channel) if input.users.by_channel[channel] > 0

in_use(_) if input.users.by_channel.unknown > 0

in_use(channel) if {
	channel in recovery.order
	sources.unread(input.users.read)
}

in_use(channel) if {
	channel in recovery.order
	input.users.listed == 0
}
