package recoverscan.rules.user.sms_sandbox_destination_test

import data.recoverscan.lib.fixtures
import data.recoverscan.rules.user.sms_sandbox_destination as rule

sms_user := object.union(
	fixtures.mechanisms(["verified_phone_number"]),
	{"user": {"email": fixtures.no_email, "phone": fixtures.phone}},
)

in_sandbox := object.union(sms_user, {"sms": {"sandbox": {"in_sandbox": true, "verified_destination_count": 2}}})

test_fails_in_sandbox_for_unverified_destination if {
	r := rule.report with input as fixtures.user_input(in_sandbox)
	some finding in r
	finding.verdict == "fail"
	finding.evidence.verified_destination_count == 2
}

test_passes_for_verified_destination if {
	count(rule.report) == 0 with input as fixtures.user_input(object.union(in_sandbox, {"user": {"phone": {"sandbox_verified": true}}}))
}

test_passes_out_of_sandbox if {
	count(rule.report) == 0 with input as fixtures.user_input(sms_user)
}

test_only_for_sms_users if {
	count(rule.report) == 0 with input as fixtures.user_input({"sms": {"sandbox": {"in_sandbox": true}}})
}

test_indeterminate_when_status_unread if {
	src := fixtures.denied("sns:GetSMSSandboxAccountStatus")
	r := rule.report with input as fixtures.user_input(object.union(sms_user, {"sms": {"sandbox": {"read": src}}}))
	{f.evidence.source | some f in r} == {src}
	{f.verdict | some f in r} == {"indeterminate"}
}

test_indeterminate_when_destinations_unread if {
	src := fixtures.denied("sns:ListSMSSandboxPhoneNumbers")
	r := rule.report with input as fixtures.user_input(object.union(in_sandbox, {"sms": {"sandbox": {"destinations_read": src}}}))
	{f.evidence.source | some f in r} == {src}
}

test_unread_destinations_do_not_matter_out_of_sandbox if {
	count(rule.report) == 0 with input as fixtures.user_input(object.union(sms_user, {"sms": {"sandbox": {"destinations_read": fixtures.denied("sns:ListSMSSandboxPhoneNumbers")}}}))
}
