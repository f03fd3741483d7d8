package recoverscan.rules.email.ses_identity_unverified_test

import data.recoverscan.lib.fixtures
import data.recoverscan.rules.email.ses_identity_unverified as rule

identity(patch) := {"email": {"identities": [object.union(fixtures.email.identities[0], patch)]}}

test_fails_when_not_verified if {
	r := rule.report with input as fixtures.channel_input(identity({"verified_for_sending": false, "verification_status": "PENDING"}))
	some finding in r
	finding.verdict == "fail"
	finding.message == "The SES identity named by the pool's SourceArn is not verified for sending (verification status PENDING). Cognito's emails fail with InvalidEmailRoleAccessPolicyException."
	finding.evidence.identity == "example.com"
}

test_fails_when_missing if {
	r := rule.report with input as fixtures.channel_input(identity({"exists": false, "verified_for_sending": false}))
	some finding in r
	contains(finding.message, "does not exist")
}

test_passes_when_verified if {
	count(rule.report) == 0 with input as fixtures.channel_input({})
}

test_passes_with_custom_email_sender if {
	count(rule.report) == 0 with input as fixtures.channel_input(object.union(
		identity({"verified_for_sending": false}),
		{"pool": {"triggers": {"custom_email_sender": "arn:aws:lambda:us-east-1:111122223333:function:mail"}}},
	))
}

test_indeterminate_when_unread if {
	src := fixtures.denied("ses:GetEmailIdentity")
	r := rule.report with input as fixtures.channel_input(identity({"read": src}))
	{f.evidence.source | some f in r} == {src}
	{f.verdict | some f in r} == {"indeterminate"}
}

test_indeterminate_when_the_snapshot_has_no_record if {
	r := rule.report with input as fixtures.channel_input({"email": {"identities": []}})
	{f.evidence.source.action | some f in r} == {"ses:GetEmailIdentity"}
}

test_indeterminate_when_ses_contradicts_itself if {
	# Verified for sending with a failed status, or the reverse: never fail or pass.
	{x.verdict | some x in rule.report} == {"indeterminate"} with input as fixtures.channel_input(identity({"verified_for_sending": true, "verification_status": "FAILED"}))

	r := rule.report with input as fixtures.channel_input(identity({"verified_for_sending": false, "verification_status": "SUCCESS"}))
	count(r) == 1
	{f.verdict | some f in r} == {"indeterminate"}
	some f in r
	f.evidence.source.status == "error"
	f.evidence.source.action == "ses:GetEmailIdentity"
	contains(f.evidence.source.error, "SUCCESS but VerifiedForSendingStatus as false")
	contains(f.message, "contradict each other")
}
