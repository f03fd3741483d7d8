package recoverscan.rules.user.channel_blocked_test

import data.recoverscan.lib.fixtures
import data.recoverscan.rules.user.channel_blocked as rule

sms_user := object.union(
	fixtures.mechanisms(["verified_phone_number", "verified_email"]),
	{"user": {"phone": fixtures.phone}},
)

entry(id, message) := {"rule": id, "title": "A channel rule", "message": message}

no_sender := entry("RC-POOL-004", "The pool has no SMS configuration.")

# input.delivery with the given entries for one channel.
delivery(name, kind, entries) := {"delivery": {name: {kind: entries}}}

test_fails_for_sms_without_sender if {
	r := rule.report with input as fixtures.user_input(object.union(sms_user, delivery("sms", "blocks", [no_sender])))
	count(r) == 1
	some finding in r
	finding.verdict == "fail"
	finding.evidence == {"channel": "sms", "blocked_by": ["RC-POOL-004"], "reasons": ["The pool has no SMS configuration."]}
	finding.message == "Cognito would send the recovery code by SMS, which cannot deliver anything for this pool (RC-POOL-004), and it does not fall back to another channel."
}

test_fails_with_every_blocking_finding if {
	r := rule.report with input as fixtures.user_input(delivery("email", "blocks", [
		entry("RC-EMAIL-005", "SES is shut down."),
		entry("RC-EMAIL-003", "The identity is not verified."),
	]))
	some finding in r
	finding.verdict == "fail"
	finding.evidence.blocked_by == ["RC-EMAIL-003", "RC-EMAIL-005"]
	finding.evidence.reasons == ["The identity is not verified.", "SES is shut down."]
}

test_fails_for_a_custom_rule_that_blocks if {
	# Any channel rule's declared effect, not a list of built-in ids.
	r := rule.report with input as fixtures.user_input(delivery("email", "blocks", [entry("ACME-001", "Outbound mail is frozen.")]))
	{f.evidence.blocked_by | some f in r} == {["ACME-001"]}
}

test_no_fallback_to_the_working_channel if {
	# Email is broken; the user's phone would work, but Cognito picks email.
	r := rule.report with input as fixtures.user_input(object.union(
		{"user": {"phone": fixtures.phone}},
		delivery("email", "blocks", [entry("RC-EMAIL-005", "SES is shut down.")]),
	))
	{f.evidence.channel | some f in r} == {"email"}
}

test_passes_when_the_chosen_channel_works if {
	count(rule.report) == 0 with input as fixtures.user_input({})

	# A broken channel the user is not routed to.
	count(rule.report) == 0 with input as fixtures.user_input(delivery("sms", "blocks", [no_sender]))
	count(rule.report) == 0 with input as fixtures.user_input(delivery("sms", "unread", [object.union(no_sender, {"source": fixtures.denied("sns:GetSMSAttributes")})]))

	# Endangered is RC-USER-020's finding, not this rule's.
	count(rule.report) == 0 with input as fixtures.user_input(delivery("email", "endangers", [entry("RC-EMAIL-004", "The SES region may not be allowed.")]))
}

test_indeterminate_when_a_hop_is_unread if {
	src := fixtures.denied("ses:GetEmailIdentity")
	r := rule.report with input as fixtures.user_input(delivery("email", "unread", [object.union(
		entry("RC-EMAIL-003", "The pool's SES sending identity was not read."),
		{"source": src},
	)]))
	{f.verdict | some f in r} == {"indeterminate"}
	{f.evidence.source | some f in r} == {src}
	some f in r
	contains(f.message, "RC-EMAIL-003")
}

test_blocked_outweighs_unread if {
	r := rule.report with input as fixtures.user_input({"delivery": {"email": {
		"blocks": [entry("RC-EMAIL-005", "SES is shut down.")],
		"unread": [object.union(entry("RC-EMAIL-003", "Not read."), {"source": fixtures.denied("ses:GetEmailIdentity")})],
	}}})
	{f.verdict | some f in r} == {"fail"}
}

test_indeterminate_when_mfa_decides_and_sms_is_blocked if {
	r := rule.report with input as fixtures.user_input(object.union_n([
		sms_user, delivery("sms", "blocks", [no_sender]),
		{"user": {"mfa": {"read": {"status": "skipped", "action": "cognito-idp:AdminGetUser"}}}},
	]))
	{f.verdict | some f in r} == {"indeterminate"}
	{f.evidence.source.action | some f in r} == {"cognito-idp:AdminGetUser"}
}

test_only_for_users_whose_status_allows_a_reset if {
	count(rule.report) == 0 with input as fixtures.user_input(object.union_n([sms_user, delivery("sms", "blocks", [no_sender]), {"user": {"enabled": false}}]))
}
