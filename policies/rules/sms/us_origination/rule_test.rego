package recoverscan.rules.sms.us_origination_test

import data.recoverscan.lib.fixtures
import data.recoverscan.rules.sms.us_origination as rule

us_users := {"users": {"by_channel": {"sms": 7}, "sms_by_country": {"US": 4, "GB": 3}}}

gb_only := {"sms": {"origination_numbers": {"numbers": [{"country": "GB", "status": "ACTIVE", "route_type": "Transactional", "sms": true}]}}}

test_fails_without_us_number if {
	r := rule.report with input as fixtures.pool_input(object.union(us_users, gb_only))
	some finding in r
	finding.verdict == "fail"
	startswith(finding.message, "Users with US numbers (4) are routed to SMS")
	finding.evidence.origination_countries == ["GB"]
}

test_passes_with_us_number if {
	count(rule.report) == 0 with input as fixtures.pool_input(us_users)
}

test_passes_without_us_recipients if {
	count(rule.report) == 0 with input as fixtures.pool_input(object.union(
		{"users": {"by_channel": {"sms": 3}, "sms_by_country": {"GB": 3}}},
		gb_only,
	))
}

test_indeterminate_when_unread if {
	src := fixtures.denied("sns:ListOriginationNumbers")
	r := rule.report with input as fixtures.pool_input(object.union(us_users, {"sms": {"origination_numbers": {"read": src, "numbers": []}}}))
	{f.evidence.source | some f in r} == {src}
}
