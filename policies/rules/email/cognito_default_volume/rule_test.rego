package recoverscan.rules.email.cognito_default_volume_test

import data.recoverscan.lib.fixtures
import data.recoverscan.rules.email.cognito_default_volume as rule

cognito_default := {
	"pool": {"email": {"sending_account": "COGNITO_DEFAULT", "source_arn": "", "ses_region": "", "identity": ""}},
	"email": fixtures.email_not_applicable,
}

large := {"pool": {"estimated_users": 25000}}

test_fails_for_large_pool if {
	r := rule.report with input as fixtures.channel_input(object.union(cognito_default, large))
	some finding in r
	finding.verdict == "fail"
	finding.evidence.estimated_users == 25000
	finding.evidence.threshold == 1000
}

test_fails_at_the_threshold if {
	r := rule.report with input as fixtures.channel_input(object.union(cognito_default, {"pool": {"estimated_users": 1000}}))
	{f.verdict | some f in r} == {"fail"}
	count(rule.report) == 0 with input as fixtures.channel_input(object.union(cognito_default, {"pool": {"estimated_users": 999}}))
}

test_passes_for_small_pools_developer_or_custom_sender if {
	count(rule.report) == 0 with input as fixtures.channel_input(cognito_default)
	count(rule.report) == 0 with input as fixtures.channel_input(large)
	count(rule.report) == 0 with input as fixtures.channel_input(object.union_n([
		cognito_default, large,
		{"pool": {"triggers": {"custom_email_sender": "arn:aws:lambda:us-east-1:111122223333:function:mail"}}},
	]))
}

test_indeterminate_when_pool_unread if {
	src := fixtures.denied("cognito-idp:DescribeUserPool")
	r := rule.report with input as fixtures.channel_input({"pool": {"read": src}})
	{f.verdict | some f in r} == {"indeterminate"}
	{f.evidence.source | some f in r} == {src}
}

test_threshold_is_a_parameter if {
	r := rule.report with input as fixtures.channel_input(object.union(cognito_default, {"pool": {"estimated_users": 200}}))
		with data.recoverscan.params["RC-EMAIL-001"].max_users as 100
	{f.evidence.threshold | some f in r} == {100}
	count(rule.report) == 0 with input as fixtures.channel_input(object.union(cognito_default, large))
		with data.recoverscan.params as {"RC-EMAIL-001": {"max_users": 50000}}
}
