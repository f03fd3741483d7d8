package recoverscan.rules.email.cognito_sending_policy_missing_test

import data.recoverscan.lib.fixtures
import data.recoverscan.rules.email.cognito_sending_policy_missing as rule

# A COGNITO_DEFAULT pool with a custom FROM address, its identity patched.
custom_from(identity_patch) := fixtures.channel_input({
	"pool": {"email": {"sending_account": "COGNITO_DEFAULT"}},
	"email": {"identities": [object.union(fixtures.email.identities[0], identity_patch)]},
})

test_fails_without_policy if {
	r := rule.report with input as custom_from({"cognito_may_send": false})
	count(r) == 1
	some finding in r
	finding.verdict == "fail"
	finding.message == concat(" ", [
		"No sending authorization policy of the SES identity named by the pool's SourceArn lets email.cognito-idp.amazonaws.com",
		"send from it (ses:SendEmail and ses:SendRawEmail). Cognito's emails fail with InvalidEmailRoleAccessPolicyException.",
	])
	finding.evidence.identity == "example.com"
	finding.evidence.cognito_may_send == false
}

# The finding keeps the rule's declared effect (blocks): no entry overrides it.
test_blocks_every_email if {
	r := rule.report with input as custom_from({"cognito_may_send": false})
	count(r) == 1
	every f in r {
		not "effect" in object.keys(f)
	}
}

test_passes_with_policy if {
	count(rule.report) == 0 with input as custom_from({})
}

test_passes_for_developer if {
	# DEVELOPER sends through Cognito's service-linked role, not a policy.
	count(rule.report) == 0 with input as fixtures.channel_input({"email": {"identities": [object.union(
		fixtures.email.identities[0],
		{"cognito_may_send": false},
	)]}})
}

test_passes_without_custom_from if {
	count(rule.report) == 0 with input as fixtures.channel_input({
		"pool": {"email": {"sending_account": "COGNITO_DEFAULT", "source_arn": "", "ses_region": "", "identity": ""}},
		"email": fixtures.email_not_applicable,
	})
}

test_passes_for_a_missing_identity if {
	# RC-EMAIL-003 reports a missing identity.
	count(rule.report) == 0 with input as custom_from({"exists": false, "verified_for_sending": false, "cognito_may_send": false})
}

test_passes_with_custom_email_sender if {
	count(rule.report) == 0 with input as object.union(
		custom_from({"cognito_may_send": false}),
		{"pool": {"triggers": {"custom_email_sender": "arn:aws:lambda:us-east-1:111122223333:function:mail"}}},
	)
}

test_indeterminate_when_unread if {
	src := fixtures.denied("ses:GetEmailIdentity")
	r := rule.report with input as custom_from({"read": src, "exists": false, "cognito_may_send": false})
	{f.verdict | some f in r} == {"indeterminate"}
	{f.evidence.source | some f in r} == {src}
}

test_indeterminate_when_the_snapshot_has_no_record if {
	r := rule.report with input as object.union(custom_from({}), {"email": {"identities": []}})
	{f.evidence.source.action | some f in r} == {"ses:GetEmailIdentity"}
}
