package recoverscan.lib.recipient_test

import data.recoverscan.lib.fixtures
import data.recoverscan.lib.recipient

sms_user := object.union(fixtures.mechanisms(["verified_phone_number"]), {"user": {"phone": fixtures.phone}})

legacy := {
	"pool": {"region": "us-east-2", "sms": {"region": "us-east-2", "alternate_region": "us-east-1"}},
	"sms": {"region": "us-east-2"},
	"sms_alternate": fixtures.sms,
}

rules(set) := {x.rule | some x in set}

test_healthy_user_has_no_conditions if {
	inp := fixtures.user_input(sms_user)
	count(recipient.blockers) == 0 with input as inp
	count(recipient.unknown) == 0 with input as inp
	count(recipient.sms_regions) == 1 with input as inp
}

test_two_regions_for_a_legacy_pool if {
	{r.sms.region | some r in recipient.sms_regions} == {"us-east-1", "us-east-2"} with input as fixtures.user_input(object.union(legacy, sms_user))
}

test_sms_condition_in_both_regions_blocks if {
	inp := fixtures.user_input(object.union_n([legacy, sms_user, {"user": {"phone": {"opted_out": true, "alternate_opted_out": true}}}]))
	rules(recipient.blockers) == {"RC-USER-012"} with input as inp
	recipient.blocked("RC-USER-012") with input as inp
	count(recipient.unknown) == 0 with input as inp
}

test_sms_condition_in_one_region_is_unknown if {
	inp := fixtures.user_input(object.union_n([legacy, sms_user, {"user": {"phone": {"opted_out": true}}}]))
	count(recipient.blockers) == 0 with input as inp
	{[u.rule, u.source.action] | some u in recipient.unknown} == {["RC-USER-012", "cognito-idp:DescribeUserPool"]} with input as inp
}

test_no_sms_condition_without_sns if {
	inp := fixtures.user_input(object.union_n([
		sms_user,
		{"user": {"phone": {"opted_out": true}}},
		{"pool": {"triggers": {"custom_sms_sender": "arn:aws:lambda:us-east-1:111122223333:function:sms"}}},
	]))
	count(recipient.blockers) == 0 with input as inp
	count(recipient.unknown) == 0 with input as inp
}

test_us_origination_in_end_user_messaging if {
	no_sns := {"sms": {"origination_numbers": {"numbers": []}}}
	rules(recipient.blockers) == {"RC-USER-016"} with input as fixtures.user_input(object.union(sms_user, no_sns))
	eums := {"sms": {"eums": {"phone_numbers": {"numbers": [{"country": "US", "status": "ACTIVE", "route_type": "Transactional", "sms": true}]}}}}
	count(recipient.blockers) == 0 with input as fixtures.user_input(object.union_n([sms_user, no_sns, eums]))
}

test_ses_sandbox_recipient if {
	sandbox := {"email": {"account": {"production_access_enabled": false}}}
	rules(recipient.blockers) == {"RC-USER-014"} with input as fixtures.user_input(sandbox)
	count(recipient.blockers) == 0 with input as fixtures.user_input(object.union(sandbox, {"user": {"email": {"recipient_verified": true}}}))

	src := fixtures.denied("ses:ListEmailIdentities")
	inp := fixtures.user_input(object.union(sandbox, {"email": {"verified_identities": {"read": src}}}))
	count(recipient.blockers) == 0 with input as inp
	{u.source | some u in recipient.unknown} == {src} with input as inp
}

test_suppressed_address if {
	rules(recipient.blockers) == {"RC-USER-011"} with input as fixtures.user_input({"user": {"email": {"suppressed": true}}})
	src := fixtures.denied("ses:ListSuppressedDestinations")
	{u.source | some u in recipient.unknown} == {src} with input as fixtures.user_input({"email": {"suppression": {"read": src}}})
}
