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

# A pool without SnsRegion in us-east-2, which may also send through the
# legacy alternate region us-east-1 (input.sms_alternate), healthy in both.
legacy := {
	"pool": {"region": "us-east-2", "sms": {"region": "us-east-2", "alternate_region": "us-east-1"}},
	"sms": {"region": "us-east-2"},
	"sms_alternate": fixtures.sms,
}

sandboxed := {"in_sandbox": true, "verified_destination_count": 2}

test_fails_in_the_sandbox_of_both_regions if {
	r := rule.report with input as fixtures.user_input(object.union_n([legacy, sms_user, {"sms": {"sandbox": sandboxed}, "sms_alternate": {"sandbox": sandboxed}}]))
	count(r) == 1
	some f in r
	f.verdict == "fail"
	f.evidence.sms_regions == ["us-east-1", "us-east-2"]
	contains(f.message, "in both SNS regions")
}

test_indeterminate_in_the_sandbox_of_one_region if {
	r := rule.report with input as fixtures.user_input(object.union_n([legacy, sms_user, {"sms_alternate": {"sandbox": sandboxed}}]))
	{f.verdict | some f in r} == {"indeterminate"}
	{f.evidence.source.action | some f in r} == {"cognito-idp:DescribeUserPool"}
	some f in r
	contains(f.message, "two possible SNS regions differ")
}

test_passes_for_a_number_verified_in_both_sandboxes if {
	count(rule.report) == 0 with input as fixtures.user_input(object.union_n([
		legacy, sms_user,
		{"sms": {"sandbox": sandboxed}, "sms_alternate": {"sandbox": sandboxed}},
		{"user": {"phone": {"sandbox_verified": true, "alternate_sandbox_verified": true}}},
	]))
}

test_indeterminate_when_the_alternate_sandbox_is_unread if {
	src := fixtures.denied("sns:GetSMSSandboxAccountStatus")
	r := rule.report with input as fixtures.user_input(object.union_n([legacy, sms_user, {"sms_alternate": {"sandbox": {"read": src}}}]))
	{f.verdict | some f in r} == {"indeterminate"}
	{f.evidence.source | some f in r} == {src}
}
