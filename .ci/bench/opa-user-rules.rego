# Evaluates recoverscan's built-in per-user rules over a whole snapshot
# given as input, the way a plain `opa eval -d policies -i snapshot.json`
# user would: for each user, the input a rule sees is assembled as the
# engine assembles it (snapshot, account, pool settings, the SMS and SES
# state of the regions the pool uses, the user), and every rule package
# under data.recoverscan.rules.user is evaluated with it.
#
# Used by .ci/bench-eval to compare recoverscan with opa eval on the same
# snapshot; findings are [pool, username, rule, verdict], as recoverscan's
# SARIF counts them.
package bench

findings contains [pool.id, user.username, name, entry.verdict] if {
	some account in input.accounts
	some region in account.regions
	some pool in region.pools
	settings := object.remove(pool, {"users", "users_read", "users_listed"})
	base := {
		"snapshot": {"taken_at": input.taken_at},
		"account": {"id": account.id, "region": region.name},
		"pool": settings,
		"sms": sms_state(region, settings),
		"email": email_state(region, settings),
	}
	some user in pool.users
	rules := data.recoverscan.rules.user with input as object.union(base, {"user": user})
	some name, rule in rules
	some entry in rule.report
}

sms_region(pool) := pool.sms.region if pool.sms.region != ""

else := pool.region

sms_state(region, pool) := s if {
	some s in region.sms
	s.region == sms_region(pool)
} else := {
	"region": sms_region(pool),
	"attributes": {"read": missing("sns:GetSMSAttributes"), "monthly_spend_limit": "", "default_sms_type": "", "delivery_status_iam_role_set": false},
	"sandbox": {
		"read": missing("sns:GetSMSSandboxAccountStatus"), "in_sandbox": false,
		"destinations_read": missing("sns:ListSMSSandboxPhoneNumbers"), "verified_destination_count": 0,
	},
	"origination_numbers": {"read": missing("sns:ListOriginationNumbers"), "numbers": []},
	"opt_outs": {"read": missing("sns:ListPhoneNumbersOptedOut"), "count": 0},
}

missing(action) := {"status": "error", "action": action, "error": "not collected for this pool"}

email_state(_, pool) := no_email("not_applicable", "") if pool.email.source_arn == ""

email_state(region, pool) := object.union(s, {
	"identities": [id | some id in s.identities; id.name == pool.email.identity],
	"configuration_sets": [cs | some cs in s.configuration_sets; cs.name == pool.email.configuration_set],
}) if {
	pool.email.source_arn != ""
	some s in region.email
	s.region == pool.email.ses_region
}

email_state(region, pool) := no_email("error", pool.email.ses_region) if {
	pool.email.source_arn != ""
	not ses_region_read(region, pool.email.ses_region)
}

ses_region_read(region, name) if {
	some s in region.email
	s.region == name
}

no_email(status, name) := {
	"region": name,
	"account": {
		"read": source(status, "ses:GetAccount"), "production_access_enabled": false, "sending_enabled": false,
		"enforcement_status": "", "max_24_hour_send": 0, "sent_last_24_hours": 0,
	},
	"identities": [],
	"configuration_sets": [],
	"suppression": {"read": source(status, "ses:ListSuppressedDestinations"), "count": 0},
}

source(status, action) := {"status": status, "action": action} if status == "not_applicable"

else := missing(action)
