package recoverscan.rules.pool.no_delivery_error_log_test

import data.recoverscan.lib.fixtures
import data.recoverscan.rules.pool.no_delivery_error_log as rule

test_fails_without_a_user_notification_export if {
	r := rule.report with input as fixtures.channel_input({"pool": {"log_delivery": {"user_notification_errors": false}}})
	count(r) == 1
	some f in r
	f.verdict == "fail"
	f.evidence == {"user_notification_errors": false}

	# Observability only: no effect on any user's verdict.
	not "effect" in object.keys(f)
}

test_passes_with_the_export if {
	count(rule.report) == 0 with input as fixtures.channel_input({})
}

test_indeterminate_when_unread if {
	src := fixtures.denied("cognito-idp:GetLogDeliveryConfiguration")
	r := rule.report with input as fixtures.channel_input({"pool": {"log_delivery": {"read": src, "user_notification_errors": false}}})
	{f.verdict | some f in r} == {"indeterminate"}
	{f.evidence.source | some f in r} == {src}

	# A snapshot written before the configuration was read.
	old := {"status": "skipped", "action": "cognito-idp:GetLogDeliveryConfiguration", "error": "the snapshot was taken by a version that did not read this source"}
	{f.verdict | some f in rule.report} == {"indeterminate"} with input as fixtures.channel_input({"pool": {"log_delivery": {"read": old}}})
}
