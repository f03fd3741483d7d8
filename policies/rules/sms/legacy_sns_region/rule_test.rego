package recoverscan.rules.sms.legacy_sns_region_test

import data.recoverscan.lib.fixtures
import data.recoverscan.rules.sms.legacy_sns_region as rule

# A pool in region whose texts are read in sms_region, with the legacy
# alternate SNS region the collector found ("" for none).
in_region(region, sns_region, sms_region, alternate) := fixtures.channel_input({
	"pool": {"region": region, "sms": {"sns_region": sns_region, "region": sms_region, "alternate_region": alternate}},
	"sms": {"region": sms_region},
})

frankfurt := in_region("eu-central-1", "", "eu-central-1", "eu-west-1")

test_fails_for_legacy_region_without_sns_region if {
	r := rule.report with input as frankfurt
	count(r) == 1
	some f in r
	f.verdict == "fail"
	f.evidence == {"pool_region": "eu-central-1", "sns_region": "", "sms_region": "eu-central-1", "legacy_sns_region": "eu-west-1"}
	contains(f.message, "through eu-central-1 or through the legacy SNS Region eu-west-1")

	# A risk to pin SnsRegion: the regions' own problems reach the users
	# through the rules judged in each; this one has no effect.
	f.effect == "none"
}

test_same_finding_in_either_region if {
	# The engine evaluates SMS rules again with the alternate region's state.
	r := rule.report with input as frankfurt
	r == rule.report with input as object.union(frankfurt, {"sms": {"region": "eu-west-1"}})
}

test_fails_for_seoul_not_using_tokyo if {
	{f.effect | some f in rule.report} == {"none"} with input as in_region("ap-northeast-2", "ap-northeast-2", "ap-northeast-2", "")
	r := rule.report with input as in_region("ap-northeast-2", "us-east-1", "us-east-1", "")
	some f in r
	f.evidence.sms_region == "us-east-1"
}

test_passes if {
	count(rule.report) == 0 with input as in_region("eu-central-1", "eu-central-1", "eu-central-1", "")
	count(rule.report) == 0 with input as in_region("eu-central-1", "eu-west-1", "eu-west-1", "")
	count(rule.report) == 0 with input as in_region("us-east-1", "", "us-east-1", "")

	# Seoul without SnsRegion reads (and sends through) Tokyo.
	count(rule.report) == 0 with input as in_region("ap-northeast-2", "", "ap-northeast-1", "")
	count(rule.report) == 0 with input as in_region("ap-northeast-2", "ap-northeast-1", "ap-northeast-1", "")

	# No SNS: a custom sender, End User Messaging direct, or no SMS at all.
	count(rule.report) == 0 with input as object.union(frankfurt, {"pool": {"triggers": {"custom_sms_sender": "arn:aws:lambda:eu-central-1:111122223333:function:sms"}}})
	count(rule.report) == 0 with input as object.union(frankfurt, {"pool": {"sms": {"eums": true}}})
	count(rule.report) == 0 with input as object.union(frankfurt, {"pool": {"sms": {"configured": false, "sns_caller_arn": ""}}})
}

test_indeterminate_when_the_alternate_region_was_not_collected if {
	# A snapshot written before the alternate region was read.
	r := rule.report with input as in_region("us-east-2", "", "us-east-2", "")
	{f.verdict | some f in r} == {"indeterminate"}
	{f.evidence.source.action | some f in r} == {"sns:GetSMSAttributes"}
	some f in r
	contains(f.evidence.source.error, "us-east-1")

	# The declared effect (endangers) applies to it: the texts may go
	# through a region nobody checked.
	not "effect" in object.keys(f)
}

test_indeterminate_when_pool_unread if {
	src := fixtures.denied("cognito-idp:DescribeUserPool")
	r := rule.report with input as fixtures.channel_input({"pool": {"read": src}})
	{f.verdict | some f in r} == {"indeterminate"}
	{f.evidence.source | some f in r} == {src}
}
