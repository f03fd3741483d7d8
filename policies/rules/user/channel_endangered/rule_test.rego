package recoverscan.rules.user.channel_endangered_test

import data.recoverscan.lib.fixtures
import data.recoverscan.rules.user.channel_endangered as rule

sms_user := object.union(
	fixtures.mechanisms(["verified_phone_number", "verified_email"]),
	{"user": {"phone": fixtures.phone}},
)

entry(id, message) := {"rule": id, "title": "A channel rule", "message": message}

near := entry("RC-SMS-002", "The SMS spend is at 85 % of the limit.")

region := entry("RC-EMAIL-004", "The SES identity's Region may not be allowed.")

sender := entry("RC-POOL-018", "A custom sender function delivers the codes.")

delivery(name, kind, entries) := {"delivery": {name: {kind: entries}}}

test_fails_when_the_chosen_channel_is_endangered if {
	r := rule.report with input as fixtures.user_input(object.union(sms_user, delivery("sms", "endangers", [near])))
	count(r) == 1
	some f in r
	f.verdict == "fail"
	f.evidence == {"channel": "sms", "endangered_by": ["RC-SMS-002"], "reasons": ["The SMS spend is at 85 % of the limit."]}
	f.message == "Cognito would send the recovery code by SMS, and for this pool that channel may not deliver it (RC-SMS-002)."
}

test_fails_with_every_endangering_finding if {
	r := rule.report with input as fixtures.user_input(delivery("email", "endangers", [sender, region]))
	some f in r
	f.evidence.endangered_by == ["RC-EMAIL-004", "RC-POOL-018"]
	f.evidence.reasons == ["The SES identity's Region may not be allowed.", "A custom sender function delivers the codes."]
}

test_notes_reset_required if {
	r := rule.report with input as fixtures.user_input(object.union(delivery("email", "endangers", [region]), {"user": {"status": "RESET_REQUIRED"}}))
	some f in r
	contains(f.message, "RESET_REQUIRED")
}

test_passes_when_the_chosen_channel_is_healthy if {
	count(rule.report) == 0 with input as fixtures.user_input({})

	# Endangered SMS does not matter to a user Cognito sends email.
	count(rule.report) == 0 with input as fixtures.user_input(delivery("sms", "endangers", [near]))
}

test_passes_when_the_channel_is_blocked if {
	# A blocked channel is RC-USER-018's finding; this one would only repeat it.
	count(rule.report) == 0 with input as fixtures.user_input({"delivery": {"email": {
		"blocks": [entry("RC-EMAIL-005", "SES is shut down.")],
		"endangers": [region],
	}}})
}

test_passes_for_users_whose_status_allows_no_reset if {
	count(rule.report) == 0 with input as fixtures.user_input(object.union(delivery("email", "endangers", [region]), {"user": {"enabled": false}}))
}

test_indeterminate_when_mfa_decides if {
	src := {"status": "skipped", "action": "cognito-idp:AdminGetUser"}
	r := rule.report with input as fixtures.user_input(object.union_n([
		sms_user, delivery("sms", "endangers", [near]),
		{"user": {"mfa": {"read": src}}},
	]))
	{f.verdict | some f in r} == {"indeterminate"}
	{f.evidence.source | some f in r} == {src}
}
