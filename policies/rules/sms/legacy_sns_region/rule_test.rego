package recoverscan.rules.sms.legacy_sns_region_test

import data.recoverscan.lib.fixtures
import data.recoverscan.rules.sms.legacy_sns_region as rule

sms_users := {"users": {"by_channel": {"sms": 5}}}

in_region(region, sns_region) := fixtures.pool_input(object.union(sms_users, {"pool": {"region": region, "sms": {"sns_region": sns_region, "region": region}}, "sms": {"region": region}}))

test_fails_for_legacy_region_without_sns_region if {
	r := rule.report with input as in_region("eu-central-1", "")
	some f in r
	f.verdict == "fail"
	f.evidence.legacy_sns_region == "eu-west-1"
}

test_fails_for_seoul_not_using_tokyo if {
	{f.verdict | some f in rule.report} == {"fail"} with input as in_region("ap-northeast-2", "")
	{f.verdict | some f in rule.report} == {"fail"} with input as in_region("ap-northeast-2", "ap-northeast-2")
}

test_passes if {
	count(rule.report) == 0 with input as in_region("eu-central-1", "eu-central-1")
	count(rule.report) == 0 with input as in_region("ap-northeast-2", "ap-northeast-1")
	count(rule.report) == 0 with input as in_region("us-east-1", "")
	count(rule.report) == 0 with input as fixtures.pool_input({"pool": {"region": "us-east-2"}})
}

test_indeterminate_when_pool_unread if {
	r := rule.report with input as fixtures.pool_input({"pool": {"read": fixtures.denied("cognito-idp:DescribeUserPool")}})
	{f.verdict | some f in r} == {"indeterminate"}
}
