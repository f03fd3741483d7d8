package recoverscan.rules.user.reset_required_no_channel_test

import data.recoverscan.lib.fixtures
import data.recoverscan.rules.user.reset_required_no_channel as rule

reset(patch) := fixtures.user_input(object.union({"user": {"status": "RESET_REQUIRED"}}, patch))

verdicts(r) := {f.verdict | some f in r}

test_fails_without_verified_contact if {
	r := rule.report with input as reset({"user": {"email": {"verified": false}}})
	verdicts(r) == {"fail"}
	some f in r
	f.evidence.channel == "none"
	not contains(f.message, "u***")
}

test_fails_for_admin_only_pool if {
	verdicts(rule.report) == {"fail"} with input as reset(fixtures.mechanisms(["admin_only"]))
}

paused := {"rule": "RC-EMAIL-005", "title": "SES sending paused for the account", "message": "SES sending is disabled."}

test_fails_when_the_channel_is_broken_for_the_pool if {
	r := rule.report with input as reset({"delivery": {"email": {"blocks": [paused]}}})
	some f in r
	f.verdict == "fail"
	f.evidence.blocked_by == ["RC-EMAIL-005"]
	f.evidence.reasons == ["SES sending is disabled."]
}

test_indeterminate_when_a_hop_of_the_channel_is_unread if {
	src := fixtures.denied("ses:GetAccount")
	r := rule.report with input as reset({"delivery": {"email": {"unread": [object.union(paused, {"source": src})]}}})
	verdicts(r) == {"indeterminate"}
	{f.evidence.source | some f in r} == {src}

	# Unread hops of a channel Cognito does not choose do not matter.
	count(rule.report) == 0 with input as reset({"delivery": {"sms": {"unread": [object.union(paused, {"source": src})]}}})
}

test_fails_when_the_address_is_suppressed if {
	r := rule.report with input as reset({"user": {"email": {"suppressed": true, "suppression_reason": "BOUNCE"}}})
	some f in r
	f.evidence.blocked_by == ["RC-USER-011"]
}

test_fails_for_us_number_without_origination if {
	r := rule.report with input as reset(object.union_n([
		fixtures.mechanisms(["verified_phone_number"]),
		{"user": {"phone": fixtures.phone}},
		{"sms": {"origination_numbers": {"numbers": []}}},
	]))
	some f in r
	f.evidence.channel == "sms"
	f.evidence.blocked_by == ["RC-USER-016"]
}

test_passes_when_the_channel_works if {
	count(rule.report) == 0 with input as reset({})
}

test_passes_for_other_statuses if {
	count(rule.report) == 0 with input as fixtures.user_input({"user": {"email": {"verified": false}}})
	count(rule.report) == 0 with input as reset({"user": {"enabled": false, "email": {"verified": false}}})
}

# A broken channel Cognito does not choose is not this user's problem.
test_no_fallback_confusion if {
	count(rule.report) == 0 with input as reset({
		"pool": {"sms": {"configured": false}},
		"user": {"phone": fixtures.phone},
	})
}

test_indeterminate_when_suppression_list_unread if {
	src := fixtures.denied("ses:ListSuppressedDestinations")
	r := rule.report with input as reset({"email": {"suppression": {"read": src}}})
	verdicts(r) == {"indeterminate"}
	{f.evidence.source | some f in r} == {src}
}

test_indeterminate_when_pool_unread if {
	src := fixtures.denied("cognito-idp:DescribeUserPool")
	r := rule.report with input as reset({"pool": {"read": src}})
	verdicts(r) == {"indeterminate"}
	{f.evidence.source | some f in r} == {src}
}

test_indeterminate_when_mfa_decides if {
	src := {"status": "skipped", "action": "cognito-idp:AdminGetUser"}
	r := rule.report with input as reset(object.union_n([
		fixtures.mechanisms(["verified_phone_number"]),
		{"user": {"phone": fixtures.phone, "mfa": {"read": src}}},
	]))
	verdicts(r) == {"indeterminate"}
	{f.evidence.source | some f in r} == {src}
}
