package recoverscan.rules.email.cognito_default_suppression_test

import data.recoverscan.lib.fixtures
import data.recoverscan.rules.email.cognito_default_suppression as rule

default_sender := {
	"pool": {"email": {"sending_account": "COGNITO_DEFAULT", "source_arn": "", "ses_region": "", "identity": ""}},
	"email": fixtures.email_not_applicable,
}

test_fails_for_cognito_default if {
	{f.verdict | some f in rule.report} == {"fail"} with input as fixtures.channel_input(default_sender)
}

test_fails_with_an_unset_sending_account if {
	r := rule.report with input as fixtures.channel_input(object.union(default_sender, {"pool": {"email": {"sending_account": ""}}}))
	{f.verdict | some f in r} == {"fail"}

	# A risk: no effect on any user's verdict (the rule declares none).
	every f in r {
		not "effect" in object.keys(f)
	}
}

test_passes if {
	count(rule.report) == 0 with input as fixtures.channel_input({})
	count(rule.report) == 0 with input as fixtures.channel_input(object.union(default_sender, {"pool": {"triggers": {"custom_email_sender": "arn:aws:lambda:us-east-1:111122223333:function:mail"}}}))
}

test_indeterminate_when_pool_unread if {
	r := rule.report with input as fixtures.channel_input({"pool": {"read": fixtures.denied("cognito-idp:DescribeUserPool")}})
	{f.verdict | some f in r} == {"indeterminate"}
}
