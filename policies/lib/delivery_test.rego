package recoverscan.lib.delivery_test

import data.recoverscan.lib.delivery
import data.recoverscan.lib.fixtures

entry(id, message) := {"rule": id, "title": "A channel rule", "message": message}

with_delivery(d) := fixtures.user_input({"delivery": d})

test_nothing_found if {
	inp := fixtures.user_input({})
	not delivery.blocked("sms") with input as inp
	not delivery.blocked("email") with input as inp
	not delivery.endangered("sms") with input as inp
	not delivery.endangered("email") with input as inp
}

test_blocked_and_endangered_per_channel if {
	inp := with_delivery({"sms": {"blocks": [entry("RC-POOL-004", "No sender.")]}, "email": {"endangers": [entry("RC-EMAIL-004", "Region.")]}})
	delivery.blocked("sms") with input as inp
	not delivery.blocked("email") with input as inp
	delivery.endangered("email") with input as inp
	not delivery.endangered("sms") with input as inp
}

test_blocked_is_not_endangered if {
	inp := with_delivery({"email": {"blocks": [entry("RC-EMAIL-005", "Paused.")], "endangers": [entry("RC-EMAIL-004", "Region.")]}})
	delivery.blocked("email") with input as inp
	not delivery.endangered("email") with input as inp
}

test_rules_and_reasons_in_rule_order if {
	entries := [entry("RC-SMS-002", "Spend."), entry("RC-POOL-008", "Role."), entry("RC-SMS-002", "Spend in the other region.")]
	delivery.rules(entries) == ["RC-POOL-008", "RC-SMS-002"]
	delivery.reasons(entries) == ["Role.", "Spend.", "Spend in the other region."]
}

test_label if {
	delivery.label("sms") == "SMS"
	delivery.label("email") == "email"
}
