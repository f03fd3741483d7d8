package recoverscan.rules.email.configuration_set_unusable_test

import data.recoverscan.lib.channel
import data.recoverscan.lib.fixtures
import data.recoverscan.rules.email.configuration_set_unusable as rule

healthy_set := {"name": "events", "read": fixtures.ok("ses:GetConfigurationSet"), "exists": true, "sending_enabled": true}

# A DEVELOPER pool sending through the set "events"; the region's sets
# include another pool's broken set, which must not matter.
with_set(patch) := fixtures.channel_input({
	"pool": {"email": {"configuration_set": "events"}},
	"email": {"configuration_sets": [
		{"name": "other", "read": fixtures.ok("ses:GetConfigurationSet"), "exists": false, "sending_enabled": false},
		object.union(healthy_set, patch),
	]},
})

test_fails_when_missing if {
	r := rule.report with input as with_set({"exists": false, "sending_enabled": false})
	count(r) == 1
	some finding in r
	finding.verdict == "fail"
	finding.message == "The SES configuration set named by the pool's EmailConfiguration does not exist in the SES region. SES refuses the pool's emails."
	finding.evidence.configuration_set == "events"
	finding.evidence.exists == false
}

test_fails_when_sending_disabled if {
	r := rule.report with input as with_set({"sending_enabled": false})
	some finding in r
	finding.verdict == "fail"
	contains(finding.message, "SendingOptions.SendingEnabled is false")
}

# The finding keeps the rule's declared effect (blocks): no entry overrides it.
test_blocks_every_email if {
	r := rule.report with input as with_set({"sending_enabled": false})
	count(r) == 1
	every f in r {
		not "effect" in object.keys(f)
	}
}

test_passes_when_sending if {
	count(rule.report) == 0 with input as with_set({})
}

test_passes_without_a_set if {
	# The fixture pool names no configuration set.
	count(rule.report) == 0 with input as fixtures.channel_input({"email": {"configuration_sets": [
		{"name": "other", "read": fixtures.ok("ses:GetConfigurationSet"), "exists": false, "sending_enabled": false},
	]}})
}

test_passes_for_cognito_default if {
	count(rule.report) == 0 with input as object.union(
		with_set({"exists": false, "sending_enabled": false}),
		{"pool": {"email": {"sending_account": "COGNITO_DEFAULT"}}},
	)
}

test_passes_with_custom_email_sender if {
	count(rule.report) == 0 with input as object.union(
		with_set({"sending_enabled": false}),
		{"pool": {"triggers": {"custom_email_sender": "arn:aws:lambda:us-east-1:111122223333:function:mail"}}},
	)
}

test_indeterminate_when_unread if {
	src := fixtures.denied("ses:GetConfigurationSet")
	inp := with_set({"read": src, "exists": false, "sending_enabled": false})
	r := rule.report with input as inp
	{f.verdict | some f in r} == {"indeterminate"}
	{f.evidence.source | some f in r} == {src}
	channel.configuration_set_read == src with input as inp
}

test_indeterminate_when_the_snapshot_has_no_record if {
	r := rule.report with input as object.union(with_set({}), {"email": {"configuration_sets": []}})
	{f.evidence.source.action | some f in r} == {"ses:GetConfigurationSet"}
}
