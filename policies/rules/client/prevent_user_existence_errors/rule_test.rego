package recoverscan.rules.client.prevent_user_existence_errors_test

import data.recoverscan.lib.fixtures
import data.recoverscan.rules.client.prevent_user_existence_errors as rule

test_fails_when_enabled if {
	r := rule.report with input as fixtures.client_input({"client": {"prevent_user_existence_errors": "ENABLED"}})
	{f.verdict | some f in r} == {"fail"}
}

test_passes_for_legacy if {
	count(rule.report) == 0 with input as fixtures.client_input({})
}

test_indeterminate_when_unread if {
	src := fixtures.denied("cognito-idp:DescribeUserPoolClient")
	r := rule.report with input as fixtures.client_input({"client": {"read": src}})
	{f.evidence.source | some f in r} == {src}
}
