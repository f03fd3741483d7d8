package recoverscan.rules.email.ses_region_not_allowed_test

import data.recoverscan.lib.fixtures
import data.recoverscan.rules.email.ses_region_not_allowed as rule

at(pool_region, ses_region) := fixtures.channel_input({
	"pool": {"region": pool_region, "email": {
		"ses_region": ses_region,
		"source_arn": sprintf("arn:aws:ses:%s:111122223333:identity/example.com", [ses_region]),
	}},
	"email": {"region": ses_region},
})

test_fails if {
	{x.verdict | some x in rule.report} == {"fail"} with input as at("eu-west-2", "eu-central-1")
	{x.verdict | some x in rule.report} == {"fail"} with input as at("us-east-1", "us-east-2")
	r := rule.report with input as at("us-west-1", "us-east-1")
	some f in r
	f.verdict == "fail"
	f.evidence.allowed_ses_regions == ["us-west-1"]
}

test_passes if {
	count(rule.report) == 0 with input as fixtures.channel_input({})
	count(rule.report) == 0 with input as at("eu-central-1", "eu-west-1")
	count(rule.report) == 0 with input as at("us-east-2", "us-east-2")
	count(rule.report) == 0 with input as at("af-south-1", "af-south-1")
	count(rule.report) == 0 with input as fixtures.channel_input({
		"pool": {"email": {"sending_account": "COGNITO_DEFAULT", "source_arn": "", "ses_region": "", "identity": ""}},
		"email": fixtures.email_not_applicable,
	})
}

test_indeterminate_for_unknown_pool_region if {
	r := rule.report with input as at("af-south-1", "eu-west-1")
	{f.verdict | some f in r} == {"indeterminate"}
}

test_indeterminate_when_pool_unread if {
	r := rule.report with input as fixtures.channel_input({"pool": {"read": fixtures.denied("cognito-idp:DescribeUserPool")}})
	{f.verdict | some f in r} == {"indeterminate"}
}
