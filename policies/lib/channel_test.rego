package recoverscan.lib.channel_test

import data.recoverscan.lib.channel
import data.recoverscan.lib.fixtures

patched(patch) := fixtures.pool_input(patch)

test_healthy_pool if {
	inp := patched({})
	not channel.sms_no_sender with input as inp
	not channel.sms_role_broken with input as inp
	not channel.ses_identity_problem with input as inp
	not channel.identity_contradiction with input as inp
	not channel.ses_account_problem with input as inp
	not channel.ses_quota_exhausted with input as inp
	not channel.configuration_set_problem with input as inp
	channel.sns_used with input as inp
	channel.ses_identity_used with input as inp
	channel.ses_account_used with input as inp
	channel.us_origination(inp.sms) with input as inp
	not channel.custom_sms_sender with input as inp
	not channel.custom_email_sender with input as inp
}

test_no_sms_sender if {
	channel.sms_no_sender with input as patched({"pool": {"sms": {"configured": false, "sns_caller_arn": ""}}})
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
	not channel.sms_no_sender with input as inp
	not channel.sms_role_broken with input as inp
}

test_sms_role_failure if {
	channel.sms_role_broken with input as patched({"pool": {"sms_configuration_failure": "SNSSandbox,InvalidSmsRoleAccessPolicyException"}})
	not channel.sms_role_broken with input as patched({"pool": {"sms_configuration_failure": "SNSSandbox"}})
}

test_identity_not_verified if {
	channel.ses_identity_problem == "The SES identity named by the pool's SourceArn is not verified for sending (verification status PENDING)." with input as patched({"email": {"identities": [{
		"name": "example.com", "read": fixtures.ok("ses:GetEmailIdentity"), "exists": true,
		"verified_for_sending": false, "verification_status": "PENDING", "dkim_status": "PENDING",
	}]}})
}

test_identity_missing if {
	channel.ses_identity_problem == "The SES identity named by the pool's SourceArn does not exist in the SES region." with input as patched({"email": {"identities": [{
		"name": "example.com", "read": fixtures.ok("ses:GetEmailIdentity"), "exists": false,
		"verified_for_sending": false, "verification_status": "", "dkim_status": "",
	}]}})
}

test_identity_contradiction if {
	inp := patched({"email": {"identities": [object.union(fixtures.email.identities[0], {"verified_for_sending": false, "verification_status": "SUCCESS"})]}})
	channel.identity_contradiction with input as inp
	not channel.ses_identity_problem with input as inp
	inp2 := patched({"email": {"identities": [object.union(fixtures.email.identities[0], {"verified_for_sending": true, "verification_status": "FAILED"})]}})
	channel.identity_contradiction with input as inp2
}

test_identity_unread if {
	inp := patched({"email": {"identities": [object.union(fixtures.email.identities[0], {"read": fixtures.denied("ses:GetEmailIdentity"), "verified_for_sending": false})]}})
	not channel.ses_identity_problem with input as inp
	not channel.identity_contradiction with input as inp
	channel.identity_read.status == "denied" with input as inp
}

test_identity_absent_from_snapshot_is_unread if {
	channel.identity_read.action == "ses:GetEmailIdentity" with input as patched({"email": {"identities": []}})
	channel.identity_read.status == "error" with input as patched({"email": {"identities": []}})
}

test_ses_shutdown if {
	channel.ses_account_problem == "The account's SES sending is shut down by SES enforcement (SHUTDOWN)." with input as patched({"email": {"account": {"enforcement_status": "SHUTDOWN"}}})
}

test_ses_sending_disabled if {
	channel.ses_account_problem == "The account's SES sending is disabled (SendingEnabled is false)." with input as patched({"email": {"account": {"sending_enabled": false}}})
}

test_ses_quota_exhausted if {
	channel.ses_quota_exhausted with input as patched({"email": {"account": {"max_24_hour_send": 200, "sent_last_24_hours": 200}}})
	not channel.ses_quota_exhausted with input as patched({"email": {"account": {"max_24_hour_send": -1, "sent_last_24_hours": 900}}})
	not channel.ses_quota_exhausted with input as patched({"email": {"account": {"max_24_hour_send": 0, "sent_last_24_hours": 0}}})
	not channel.ses_quota_exhausted with input as patched({"email": {"account": {"max_24_hour_send": 200, "sent_last_24_hours": 199}}})
}

test_ses_probation_is_not_an_account_problem if {
	not channel.ses_account_problem with input as patched({"email": {"account": {"enforcement_status": "PROBATION"}}})
}

test_custom_email_sender_replaces_ses if {
	inp := patched({
		"pool": {"triggers": {"custom_email_sender": "arn:aws:lambda:us-east-1:111122223333:function:sender"}},
		"email": {"account": {"enforcement_status": "SHUTDOWN"}},
	})
	channel.custom_email_sender with input as inp
	not channel.ses_identity_used with input as inp
	not channel.ses_account_problem with input as inp
}

test_cognito_default_without_source_arn if {
	inp := patched({
		"pool": {"email": {"sending_account": "COGNITO_DEFAULT", "source_arn": "", "ses_region": "", "identity": ""}},
		"email": fixtures.email_not_applicable,
	})
	not channel.ses_identity_used with input as inp
	not channel.identity_checked with input as inp
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
	not channel.ses_account_problem with input as inp
	not channel.identity_checked with input as inp
}

test_us_origination_in_sns_or_end_user_messaging if {
	none := {"read": fixtures.ok("sns:ListOriginationNumbers"), "numbers": []}
	us := {"country": "US", "status": "ACTIVE", "route_type": "Transactional", "sms": true}
	sms_only_eums := {"origination_numbers": none, "eums": {"phone_numbers": {"read": fixtures.ok("sms-voice:DescribePhoneNumbers"), "numbers": [us]}}}
	channel.us_origination(sms_only_eums)
	sms_neither := {"origination_numbers": none, "eums": {"phone_numbers": {"read": fixtures.ok("sms-voice:DescribePhoneNumbers"), "numbers": []}}}
	not channel.us_origination(sms_neither)
	channel.us_origination_unknown(sms_neither) == set()
	sms_unread := {"origination_numbers": none, "eums": {"phone_numbers": {"read": fixtures.denied("sms-voice:DescribePhoneNumbers"), "numbers": []}}}
	{s.action | some s in channel.us_origination_unknown(sms_unread)} == {"sms-voice:DescribePhoneNumbers"}
	not channel.us_origination({
		"origination_numbers": {"read": fixtures.ok("sns:ListOriginationNumbers"), "numbers": [
			{"country": "US", "status": "PENDING", "route_type": "Transactional", "sms": true},
			{"country": "US", "status": "ACTIVE", "route_type": "Transactional", "sms": false},
			{"country": "GB", "status": "ACTIVE", "route_type": "Transactional", "sms": true},
		]},
		"eums": {"phone_numbers": {"read": fixtures.ok("sms-voice:DescribePhoneNumbers"), "numbers": []}},
	})
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
