package recoverscan.lib.channel_test

import data.recoverscan.lib.channel
import data.recoverscan.lib.fixtures

patched(patch) := fixtures.pool_input(patch)

test_healthy_pool_has_no_blockers if {
	inp := patched({})
	count(channel.sms_blockers) == 0 with input as inp
	count(channel.email_blockers) == 0 with input as inp
	count(channel.sms_unknown) == 0 with input as inp
	count(channel.email_unknown) == 0 with input as inp
	channel.sns_used with input as inp
	channel.ses_identity_used with input as inp
	channel.ses_account_used with input as inp
	channel.us_origination with input as inp
	not channel.custom_sms_sender with input as inp
	not channel.custom_email_sender with input as inp
}

test_no_sms_sender if {
	channel.sms_blockers == {{
		"rule": "RC-POOL-004",
		"reason": "The pool has no SMS configuration and no CustomSMSSender trigger, so Cognito cannot send text messages.",
	}} with input as patched({"pool": {"sms": {"configured": false, "sns_caller_arn": ""}}})
}

# Without an SMS configuration nothing goes through SNS, so the account's
# SNS state (sandbox, spend limit) must not be judged for the pool.
test_no_sms_configuration_means_sns_unused if {
	not channel.sns_used with input as patched({"pool": {"sms": {"configured": false, "sns_caller_arn": ""}}})
}

test_custom_sms_sender_replaces_sns if {
	inp := patched({"pool": {
		"sms": {"configured": false},
		"sms_configuration_failure": "InvalidSmsRoleAccessPolicyException",
		"triggers": {"custom_sms_sender": "arn:aws:lambda:us-east-1:111122223333:function:sender"},
	}})
	channel.custom_sms_sender with input as inp
	not channel.sns_used with input as inp
	count(channel.sms_blockers) == 0 with input as inp
}

test_sms_role_failure if {
	blockers := channel.sms_blockers with input as patched({"pool": {"sms_configuration_failure": "SNSSandbox,InvalidSmsRoleAccessPolicyException"}})
	{b.rule | some b in blockers} == {"RC-POOL-008"}
}

test_sns_sandbox_failure_is_not_a_blocker if {
	count(channel.sms_blockers) == 0 with input as patched({"pool": {"sms_configuration_failure": "SNSSandbox"}})
}

test_identity_not_verified if {
	blockers := channel.email_blockers with input as patched({"email": {"identities": [{
		"name": "example.com", "read": fixtures.ok("ses:GetEmailIdentity"), "exists": true,
		"verified_for_sending": false, "verification_status": "PENDING", "dkim_status": "PENDING",
	}]}})
	blockers == {{
		"rule": "RC-EMAIL-003",
		"reason": "The SES identity named by the pool's SourceArn is not verified for sending (verification status PENDING).",
	}}
}

test_identity_missing if {
	blockers := channel.email_blockers with input as patched({"email": {"identities": [{
		"name": "example.com", "read": fixtures.ok("ses:GetEmailIdentity"), "exists": false,
		"verified_for_sending": false, "verification_status": "", "dkim_status": "",
	}]}})
	{b.rule | some b in blockers} == {"RC-EMAIL-003"}
}

test_identity_unread if {
	src := fixtures.denied("ses:GetEmailIdentity")
	inp := patched({"email": {"identities": [object.union(fixtures.email.identities[0], {"read": src, "verified_for_sending": false})]}})
	count(channel.email_blockers) == 0 with input as inp
	channel.email_unknown == {src} with input as inp
}

test_identity_absent_from_snapshot_is_unknown if {
	unknown := channel.email_unknown with input as patched({"email": {"identities": []}})
	{s.action | some s in unknown} == {"ses:GetEmailIdentity"}
}

test_ses_shutdown if {
	blockers := channel.email_blockers with input as patched({"email": {"account": {"enforcement_status": "SHUTDOWN"}}})
	{b.rule | some b in blockers} == {"RC-EMAIL-005"}
}

test_ses_sending_disabled if {
	blockers := channel.email_blockers with input as patched({"email": {"account": {"sending_enabled": false}}})
	blockers == {{"rule": "RC-EMAIL-005", "reason": "The account's SES sending is disabled (SendingEnabled is false)."}}
}

test_ses_quota_exhausted if {
	blockers := channel.email_blockers with input as patched({"email": {"account": {"max_24_hour_send": 200, "sent_last_24_hours": 200}}})
	{b.rule | some b in blockers} == {"RC-EMAIL-006"}
}

test_ses_quota_unlimited_or_not_reported_is_not_a_blocker if {
	count(channel.email_blockers) == 0 with input as patched({"email": {"account": {"max_24_hour_send": -1, "sent_last_24_hours": 900}}})
	count(channel.email_blockers) == 0 with input as patched({"email": {"account": {"max_24_hour_send": 0, "sent_last_24_hours": 0}}})
	count(channel.email_blockers) == 0 with input as patched({"email": {"account": {"max_24_hour_send": 200, "sent_last_24_hours": 199}}})
}

test_ses_probation_is_not_a_blocker if {
	count(channel.email_blockers) == 0 with input as patched({"email": {"account": {"enforcement_status": "PROBATION"}}})
}

test_ses_account_unread if {
	src := fixtures.denied("ses:GetAccount")
	inp := patched({"email": {"account": {"read": src, "sending_enabled": false}}})
	count(channel.email_blockers) == 0 with input as inp
	channel.email_unknown == {src} with input as inp
}

test_custom_email_sender_replaces_ses if {
	inp := patched({
		"pool": {"triggers": {"custom_email_sender": "arn:aws:lambda:us-east-1:111122223333:function:sender"}},
		"email": {"account": {"enforcement_status": "SHUTDOWN", "read": fixtures.denied("ses:GetAccount")}},
	})
	channel.custom_email_sender with input as inp
	not channel.ses_identity_used with input as inp
	count(channel.email_blockers) == 0 with input as inp
	count(channel.email_unknown) == 0 with input as inp
}

test_cognito_default_without_source_arn if {
	inp := patched({
		"pool": {"email": {"sending_account": "COGNITO_DEFAULT", "source_arn": "", "ses_region": "", "identity": ""}},
		"email": fixtures.email_not_applicable,
	})
	not channel.ses_identity_used with input as inp
	count(channel.email_blockers) == 0 with input as inp
	count(channel.email_unknown) == 0 with input as inp
}

test_cognito_default_with_custom_from if {
	# SES state of the identity applies only if the collector read it; the
	# account's own SES state never does (Cognito's account sends).
	inp := patched({
		"pool": {"email": {"sending_account": "COGNITO_DEFAULT"}},
		"email": {"account": {"enforcement_status": "SHUTDOWN"}, "identities": [object.union(
			fixtures.email.identities[0],
			{"read": fixtures.not_applicable("ses:GetEmailIdentity"), "verified_for_sending": false},
		)]},
	})
	channel.ses_identity_used with input as inp
	not channel.ses_account_used with input as inp
	count(channel.email_blockers) == 0 with input as inp
	count(channel.email_unknown) == 0 with input as inp
}

test_developer_treats_not_applicable_identity_as_unknown if {
	src := fixtures.not_applicable("ses:GetEmailIdentity")
	inp := patched({"email": {"identities": [object.union(fixtures.email.identities[0], {"read": src})]}})
	{s.status | some s in channel.email_unknown} == {"not_applicable"} with input as inp
}

test_unread_pool if {
	src := fixtures.denied("cognito-idp:DescribeUserPool")
	inp := patched({"pool": {"read": src, "sms": {"configured": false}}})
	count(channel.sms_blockers) == 0 with input as inp
	channel.sms_unknown == {src} with input as inp
	channel.email_unknown == {src} with input as inp
}

test_us_origination if {
	not channel.us_origination with input as patched({"sms": {"origination_numbers": {"numbers": [
		{"country": "US", "status": "PENDING", "route_type": "Transactional", "sms": true},
		{"country": "US", "status": "ACTIVE", "route_type": "Transactional", "sms": false},
		{"country": "GB", "status": "ACTIVE", "route_type": "Transactional", "sms": true},
	]}}})
}

test_in_use_by_counts if {
	channel.email_in_use with input as patched({})
	not channel.sms_in_use with input as patched({})
	channel.sms_in_use with input as patched({"users": {"by_channel": {"sms": 3}}})
	channel.sms_in_use with input as patched({"users": {"by_channel": {"unknown": 1}}})
}

test_in_use_when_users_not_all_listed if {
	channel.sms_in_use with input as patched({"users": {"read": fixtures.denied("cognito-idp:ListUsers")}})
	channel.sms_in_use with input as patched({"users": {
		"listed": 0, "by_status": {},
		"by_channel": {"email": 0},
	}})
	not channel.sms_in_use with input as patched({
		"pool": {"account_recovery": {"mechanisms": [{"name": "verified_email", "priority": 1}]}},
		"users": {"read": fixtures.denied("cognito-idp:ListUsers")},
	})
}
