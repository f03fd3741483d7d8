package recoverscan.rules.client.write_attributes_exclude_contact_test

import data.recoverscan.lib.fixtures
import data.recoverscan.rules.client.write_attributes_exclude_contact as rule

test_fails_when_contact_not_writable if {
	r := rule.report with input as fixtures.client_input({"client": {"write_attributes": ["name", "email"]}})
	some f in r
	f.verdict == "fail"
	f.evidence.not_writable == ["phone_number"]
}

test_passes if {
	count(rule.report) == 0 with input as fixtures.client_input({})
	count(rule.report) == 0 with input as fixtures.client_input({"client": {"write_attributes": ["email", "phone_number", "name"]}})
	count(rule.report) == 0 with input as fixtures.client_input(object.union(fixtures.mechanisms(["verified_email"]), {"client": {"write_attributes": ["email"]}}))
	count(rule.report) == 0 with input as fixtures.client_input(object.union(fixtures.mechanisms(["admin_only"]), {"client": {"write_attributes": ["name"]}}))
}

test_indeterminate_when_client_unread if {
	r := rule.report with input as fixtures.client_input({"client": {"read": fixtures.denied("cognito-idp:DescribeUserPoolClient")}})
	{f.verdict | some f in r} == {"indeterminate"}
}
