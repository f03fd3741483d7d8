package recoverscan.rules.email.deliverability_test

import data.recoverscan.lib.fixtures
import data.recoverscan.rules.email.deliverability as rule

test_fails_without_source_arn if {
	r := rule.report with input as fixtures.channel_input({
		"pool": {"email": {"sending_account": "COGNITO_DEFAULT", "source_arn": "", "ses_region": "", "identity": ""}},
		"email": fixtures.email_not_applicable,
	})
	some f in r
	f.verdict == "fail"
	not contains(f.message, "@")
}

test_fails_without_dkim if {
	r := rule.report with input as fixtures.channel_input({"email": {"identities": [object.union(fixtures.email.identities[0], {"dkim_status": "PENDING"})]}})
	some f in r
	f.evidence.dkim_status == "PENDING"
}

test_passes if {
	count(rule.report) == 0 with input as fixtures.channel_input({})
}

# A missing identity is RC-EMAIL-003's.
test_silent_for_missing_identity if {
	count(rule.report) == 0 with input as fixtures.channel_input({"email": {"identities": [object.union(fixtures.email.identities[0], {"exists": false, "dkim_status": ""})]}})
}

test_indeterminate_when_identity_unread if {
	src := fixtures.denied("ses:GetEmailIdentity")
	r := rule.report with input as fixtures.channel_input({"email": {"identities": [object.union(fixtures.email.identities[0], {"read": src, "dkim_status": ""})]}})
	{f.verdict | some f in r} == {"indeterminate"}
	{f.evidence.source | some f in r} == {src}
}
