package recoverscan.rules.client.client_secret_test

import data.recoverscan.lib.fixtures
import data.recoverscan.rules.client.client_secret as rule

test_fails_with_secret if {
	r := rule.report with input as fixtures.client_input({"client": {"has_secret": true}})
	r == {{
		"verdict": "fail",
		"message": "The app client has a client secret, so ForgotPassword calls through it fail with NotAuthorizedException unless they send a SECRET_HASH.",
		"evidence": {"client_name": "web-app", "has_secret": true},
	}}
}

test_passes_without_secret if {
	count(rule.report) == 0 with input as fixtures.client_input({})
}

test_passes_for_admin_only_pools if {
	count(rule.report) == 0 with input as fixtures.client_input(object.union(
		fixtures.mechanisms(["admin_only"]),
		{"client": {"has_secret": true}},
	))
}

test_indeterminate_when_unread if {
	src := fixtures.denied("cognito-idp:DescribeUserPoolClient")
	r := rule.report with input as fixtures.client_input({"client": {"read": src}})
	{f.evidence.source | some f in r} == {src}
	{f.verdict | some f in r} == {"indeterminate"}
}
