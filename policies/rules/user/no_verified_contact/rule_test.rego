package recoverscan.rules.user.no_verified_contact_test

import data.recoverscan.lib.fixtures
import data.recoverscan.rules.user.no_verified_contact

test_fails_without_verified_contact if {
	r := no_verified_contact.report with input as fixtures.user_input({"user": {
		"email": {"verified": false},
		"phone": object.union(fixtures.phone, {"verified": false}),
	}})
	count(r) == 1
	some finding in r
	finding.verdict == "fail"
	contains(finding.message, "InvalidParameterException")
	finding.evidence.email_present
	not finding.evidence.email_verified
	not finding.evidence.phone_verified
}

test_fails_without_any_contact if {
	r := no_verified_contact.report with input as fixtures.user_input({"user": {"email": fixtures.no_email}})
	some finding in r
	finding.verdict == "fail"
}

test_reset_required_user_is_locked_out if {
	r := no_verified_contact.report with input as fixtures.user_input({"user": {
		"status": "RESET_REQUIRED",
		"email": {"verified": false},
	}})
	some finding in r
	contains(finding.message, "RESET_REQUIRED")
}

test_passes_with_verified_email if {
	count(no_verified_contact.report) == 0 with input as fixtures.user_input({})
}

test_passes_with_verified_phone_only if {
	count(no_verified_contact.report) == 0 with input as fixtures.user_input({"user": {
		"email": fixtures.no_email,
		"phone": fixtures.phone,
	}})
}

test_status_rules_own_other_statuses if {
	count(no_verified_contact.report) == 0 with input as fixtures.user_input({"user": {
		"status": "UNCONFIRMED",
		"email": {"verified": false},
	}})
	count(no_verified_contact.report) == 0 with input as fixtures.user_input({"user": {
		"enabled": false,
		"email": {"verified": false},
	}})
}

# The user's attributes are always read: unread pool settings or MFA state
# neither hide nor invent the finding.
test_not_misled_by_unread_sources if {
	unread := {
		"pool": {"read": fixtures.denied("cognito-idp:DescribeUserPool")},
		"user": {"mfa": {"read": fixtures.denied("cognito-idp:AdminGetUser")}},
	}
	count(no_verified_contact.report) == 0 with input as fixtures.user_input(unread)
	r := no_verified_contact.report with input as fixtures.user_input(object.union(unread, {"user": {"email": {"verified": false}}}))
	{f.verdict | some f in r} == {"fail"}
}
