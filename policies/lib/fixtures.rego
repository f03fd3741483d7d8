# METADATA
# title: Test fixtures
# description: |
#   Synthetic inputs for rule tests: a healthy world where every user can
#   receive a code, and helpers that patch it with object.union (a deep merge:
#   objects merge, arrays and scalars replace). All names, addresses and
#   numbers are invented; contact data appears only in masked form.
package recoverscan.lib.fixtures

# METADATA
# title: ok
# description: A source that was read.
ok(action) := {"status": "ok", "action": action}

# METADATA
# title: denied
# description: A source the scanning role was not allowed to read.
denied(action) := {
	"status": "denied",
	"action": action,
	"error": sprintf("AccessDenied: not authorized to perform %s", [action]),
}

# METADATA
# title: not_applicable
# description: A source with nothing to read.
not_applicable(action) := {"status": "not_applicable", "action": action}

snapshot := {"taken_at": "2026-11-01T09:00:00Z"}

account := {"id": "111122223333", "region": "us-east-1"}

# METADATA
# title: pool
# description: |
#   A healthy pool: email-then-phone recovery, SMS through an SNS role,
#   DEVELOPER email from a verified SES domain, optional MFA with SMS, email
#   and TOTP factors, no triggers; email and phone numbers auto-verified and
#   verified before an update takes effect.
pool := {
	"id": "us-east-1_Fixture01",
	"name": "fixture-pool",
	"arn": "arn:aws:cognito-idp:us-east-1:111122223333:userpool/us-east-1_Fixture01",
	"region": "us-east-1",
	"read": ok("cognito-idp:DescribeUserPool"),
	"estimated_users": 120,
	"tier": "ESSENTIALS",
	"account_recovery": {
		"configured": true,
		"mechanisms": [
			{"name": "verified_email", "priority": 1},
			{"name": "verified_phone_number", "priority": 2},
		],
	},
	"auto_verified_attributes": ["email", "phone_number"],
	"alias_attributes": [],
	"username_attributes": ["email"],
	"verify_before_update": ["email", "phone_number"],
	"temporary_password_validity_days": 7,
	"allow_admin_create_user_only": false,
	"mfa": {
		"configuration": "OPTIONAL",
		"read": ok("cognito-idp:GetUserPoolMfaConfig"),
		"sms_enabled": true,
		"email_enabled": true,
		"totp_enabled": true,
	},
	"email": {
		"sending_account": "DEVELOPER",
		"source_arn": "arn:aws:ses:us-east-1:111122223333:identity/example.com",
		"ses_region": "us-east-1",
		"identity": "example.com",
		"configuration_set": "",
	},
	"sms": {
		"configured": true,
		"sns_caller_arn": "arn:aws:iam::111122223333:role/service-role/CognitoSMSRole",
		"external_id_set": true,
		"sns_region": "",
		"region": "us-east-1",
		"alternate_region": "",
		"eums": false,
	},
	"sms_configuration_failure": "",
	"email_configuration_failure": "",
	"triggers": {
		"pre_sign_up": "",
		"custom_message": "",
		"user_migration": "",
		"custom_sms_sender": "",
		"custom_email_sender": "",
		"kms_key_set": false,
	},
	"log_delivery": {"read": ok("cognito-idp:GetLogDeliveryConfiguration"), "user_notification_errors": true},
	"clients": {"read": ok("cognito-idp:ListUserPoolClients"), "items": []},
}

# METADATA
# title: sms
# description: Healthy SNS state (production, 50 USD limit, Transactional, a US number, everything read).
sms := {
	"region": "us-east-1",
	"attributes": {
		"read": ok("sns:GetSMSAttributes"),
		"monthly_spend_limit": "50",
		"default_sms_type": "Transactional",
		"delivery_status_iam_role_set": true,
	},
	"sandbox": {
		"read": ok("sns:GetSMSSandboxAccountStatus"),
		"in_sandbox": false,
		"destinations_read": ok("sns:ListSMSSandboxPhoneNumbers"),
		"verified_destination_count": 0,
	},
	"origination_numbers": {
		"read": ok("sns:ListOriginationNumbers"),
		"numbers": [{"country": "US", "status": "ACTIVE", "route_type": "Transactional", "sms": true}],
	},
	"opt_outs": {"read": ok("sns:ListPhoneNumbersOptedOut"), "count": 0},
	"spend": {"read": ok("cloudwatch:GetMetricData"), "month_to_date_usd": 4.2, "month": "2026-11"},
	"eums": {
		"account": {"read": ok("sms-voice:DescribeAccountAttributes"), "tier": "PRODUCTION"},
		"spend_limit": {"read": ok("sms-voice:DescribeSpendLimits"), "found": true, "enforced_usd": 50, "max_usd": 50, "overridden": false},
		"phone_numbers": {"read": ok("sms-voice:DescribePhoneNumbers"), "numbers": []},
		"sender_ids": {"read": ok("sms-voice:DescribeSenderIds"), "items": []},
	},
}

# sms_none is the SMS state of a region that does not apply (no legacy
# alternate region): every read not_applicable.
sms_none := {
	"region": "",
	"attributes": {"read": not_applicable("sns:GetSMSAttributes"), "monthly_spend_limit": "", "default_sms_type": "", "delivery_status_iam_role_set": false},
	"sandbox": {"read": not_applicable("sns:GetSMSSandboxAccountStatus"), "in_sandbox": false, "destinations_read": not_applicable("sns:ListSMSSandboxPhoneNumbers"), "verified_destination_count": 0},
	"origination_numbers": {"read": not_applicable("sns:ListOriginationNumbers"), "numbers": []},
	"opt_outs": {"read": not_applicable("sns:ListPhoneNumbersOptedOut"), "count": 0},
	"spend": {"read": not_applicable("cloudwatch:GetMetricData"), "month_to_date_usd": 0, "month": ""},
	"eums": {
		"account": {"read": not_applicable("sms-voice:DescribeAccountAttributes"), "tier": ""},
		"spend_limit": {"read": not_applicable("sms-voice:DescribeSpendLimits"), "found": false, "enforced_usd": 0, "max_usd": 0, "overridden": false},
		"phone_numbers": {"read": not_applicable("sms-voice:DescribePhoneNumbers"), "numbers": []},
		"sender_ids": {"read": not_applicable("sms-voice:DescribeSenderIds"), "items": []},
	},
}

# delivery is input.delivery of a pool whose channel rules found nothing.
delivery := {
	"sms": {"blocks": [], "endangers": [], "unread": []},
	"email": {"blocks": [], "endangers": [], "unread": []},
}

# METADATA
# title: email
# description: |
#   Healthy SES state (production access, sending, the pool's identity
#   verified with a sending authorization policy for Cognito, no
#   configuration sets, everything read).
email := {
	"region": "us-east-1",
	"account": {
		"read": ok("ses:GetAccount"),
		"production_access_enabled": true,
		"sending_enabled": true,
		"enforcement_status": "HEALTHY",
		"max_24_hour_send": 50000,
		"sent_last_24_hours": 120,
	},
	"identities": [{
		"name": "example.com",
		"read": ok("ses:GetEmailIdentity"),
		"exists": true,
		"verified_for_sending": true,
		"verification_status": "SUCCESS",
		"dkim_status": "SUCCESS",
		"cognito_may_send": true,
	}],
	"configuration_sets": [],
	"suppression": {"read": ok("ses:ListSuppressedDestinations"), "count": 0},
	"verified_identities": {"read": ok("ses:ListEmailIdentities"), "count": 1},
}

# METADATA
# title: email_not_applicable
# description: The email state of a pool that does not send through its own SES identity.
email_not_applicable := {
	"region": "",
	"account": {
		"read": not_applicable("ses:GetAccount"),
		"production_access_enabled": false,
		"sending_enabled": false,
		"enforcement_status": "",
		"max_24_hour_send": 0,
		"sent_last_24_hours": 0,
	},
	"identities": [],
	"configuration_sets": [],
	"suppression": {"read": not_applicable("ses:ListSuppressedDestinations"), "count": 0},
	"verified_identities": {"read": not_applicable("ses:ListEmailIdentities"), "count": 0},
}

# METADATA
# title: user
# description: A healthy confirmed user with a verified email address only, MFA read and no factor set.
user := {
	"username": "fixture-user",
	"sub": "00000000-0000-4000-8000-000000000001",
	"status": "CONFIRMED",
	"enabled": true,
	"created_at": "2026-05-01T09:00:00Z",
	"last_modified_at": "2026-10-01T09:00:00Z",
	"email": {
		"present": true,
		"verified": true,
		"masked": "u***@e***.com",
		"suppressed": false,
		"suppression_reason": "",
		"recipient_verified": false,
	},
	"phone": {
		"present": false,
		"verified": false,
		"masked": "",
		"calling_code": "",
		"country": "",
		"opted_out": false,
		"sandbox_verified": false,
		"alternate_opted_out": false,
		"alternate_sandbox_verified": false,
	},
	"mfa": {"read": ok("cognito-idp:AdminGetUser"), "methods": [], "preferred": ""},
}

# METADATA
# title: phone
# description: A verified US phone number, to merge into user.phone.
phone := {
	"present": true,
	"verified": true,
	"masked": "+*******0100",
	"calling_code": "1",
	"country": "US",
	"opted_out": false,
	"sandbox_verified": false,
}

# METADATA
# title: no_email
# description: No email address, to merge into user.email.
no_email := {"present": false, "verified": false, "masked": "", "suppressed": false, "suppression_reason": ""}

# METADATA
# title: users
# description: User counts of a pool whose users all go to email.
users := {
	"listed": 120,
	"read": ok("cognito-idp:ListUsers"),
	"by_status": {"CONFIRMED": 120},
	"by_channel": {"email": 120, "sms": 0, "none": 0, "unknown": 0},
	"sms_by_country": {},
	"confirmed_without_verified_contact": 0,
}

client := {
	"id": "1example23456789web",
	"name": "web-app",
	"read": ok("cognito-idp:DescribeUserPoolClient"),
	"has_secret": false,
	"prevent_user_existence_errors": "LEGACY",
	"explicit_auth_flows": ["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
	"write_attributes": [],
}

# METADATA
# title: user_input
# description: The input of a user rule, patched with object.union.
user_input(patch) := object.union(
	{
		"snapshot": snapshot, "account": account, "pool": pool, "sms": sms, "sms_alternate": sms_none,
		"email": email, "delivery": delivery, "user": user,
	},
	patch,
)

# METADATA
# title: pool_input
# description: The input of a pool, SMS or email rule, patched with object.union.
pool_input(patch) := object.union(
	{"snapshot": snapshot, "account": account, "pool": pool, "sms": sms, "email": email, "users": users},
	patch,
)

# METADATA
# title: channel_input
# description: |
#   The input of a channel rule (a pool, SMS or email rule that declares
#   custom.channel), patched with object.union. The engine evaluates channel
#   rules before the pool's users are counted, so there is no input.users;
#   for a pool with a legacy alternate SNS region it evaluates them once more
#   with that region's state as input.sms.
channel_input(patch) := object.union(
	{"snapshot": snapshot, "account": account, "pool": pool, "sms": sms, "email": email},
	patch,
)

# METADATA
# title: client_input
# description: The input of a client rule, patched with object.union.
client_input(patch) := object.union(
	{"snapshot": snapshot, "account": account, "pool": pool, "client": client},
	patch,
)

# METADATA
# title: mechanisms
# description: A pool patch setting the AccountRecoverySetting to the given mechanism names, in priority order.
mechanisms(names) := {"pool": {"account_recovery": {
	"configured": true,
	"mechanisms": [{"name": name, "priority": i + 1} | some i, name in names],
}}}

# METADATA
# title: legacy_recovery
# description: A pool patch removing the AccountRecoverySetting.
legacy_recovery := {"pool": {"account_recovery": {"configured": false, "mechanisms": []}}}
