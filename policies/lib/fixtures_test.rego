package recoverscan.lib.fixtures_test

import data.recoverscan.lib.fixtures
import data.recoverscan.lib.recovery

test_fixture_user_can_recover_by_email if {
	recovery.chosen == "email" with input as fixtures.user_input({})
	recovery.status_allows_reset with input as fixtures.user_input({})
}

test_patch_merges_deeply if {
	inp := fixtures.user_input({"user": {"phone": fixtures.phone}, "pool": {"mfa": {"configuration": "OFF"}}})
	inp.user.phone.verified
	inp.user.email.verified
	inp.pool.mfa.configuration == "OFF"
	inp.pool.mfa.sms_enabled
}

test_mechanisms_patch if {
	inp := fixtures.user_input(fixtures.mechanisms(["verified_phone_number"]))
	inp.pool.account_recovery.mechanisms == [{"name": "verified_phone_number", "priority": 1}]
}

test_inputs_have_every_part if {
	object.keys(fixtures.user_input({})) == {"snapshot", "account", "pool", "sms", "sms_alternate", "email", "delivery", "user"}
	object.keys(fixtures.pool_input({})) == {"snapshot", "account", "pool", "sms", "email", "users"}
	object.keys(fixtures.channel_input({})) == {"snapshot", "account", "pool", "sms", "email"}
	object.keys(fixtures.client_input({})) == {"snapshot", "account", "pool", "client"}
}

test_contact_data_is_masked if {
	contains(fixtures.user.email.masked, "***")
	contains(fixtures.phone.masked, "***")
}
