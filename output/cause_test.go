package output

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/recoverscan/recoverscan/policies"
)

func TestCauseOf(t *testing.T) {
	for _, tc := range []struct {
		status, err string
		want        Cause
	}{
		{"denied", "AccessDeniedException: User: arn:aws:sts::1:assumed-role/x is not authorized", CausePermission},
		{"denied", "UnrecognizedClientException: The security token included in the request is invalid", CauseCredentials},
		{"error", "failed to get shared config profile, nosuch", CauseCredentials},
		{"error", `operation error SNS: GetSMSAttributes, dial tcp 127.0.0.1:1: connect: connection refused`, CauseConnection},
		{"unavailable", "UnknownOperationException: not implemented", CauseNotOffered},
		{"throttled", "TooManyRequestsException", CauseThrottled},
		{"error", "InternalErrorException", CauseOther},
	} {
		if got := CauseOf(tc.status, tc.err); got != tc.want {
			t.Errorf("CauseOf(%q, %q) = %s, want %s", tc.status, tc.err, got, tc.want)
		}
	}
}

// TestAdviceNamesTheCause: an incomplete scan says what settles it by
// cause, and asks for a grant only where access was denied.
func TestAdviceNamesTheCause(t *testing.T) {
	scope := func(ps ...policies.SourceProblem) *policies.Report {
		return &policies.Report{Scopes: []policies.Scope{{Account: "1", Region: "us-east-1", Problems: ps}}}
	}
	for name, tc := range map[string]struct {
		r          *policies.Report
		want, deny string
	}{
		"connection refused": {scope(policies.SourceProblem{Where: "region us-east-1 pools", Status: "error", Action: "cognito-idp:ListUserPools",
			Error: "dial tcp 127.0.0.1:1: connect: connection refused"}), "could not be reached", "grant"},
		"not offered": {scope(policies.SourceProblem{Where: "sms us-east-1 sandbox", Status: "unavailable", Action: "sns:GetSMSSandboxAccountStatus",
			Error: "UnknownOperationException"}), "does not offer sns:GetSMSSandboxAccountStatus", "grant"},
		"missing profile": {scope(policies.SourceProblem{Where: "account identity", Status: "denied", Action: "sts:GetCallerIdentity",
			Error: "failed to get shared config profile, nosuch"}), "credentials or profile did not work", "sts:GetCallerIdentity"},
		"denied": {scope(policies.SourceProblem{Where: "sms", Status: "denied", Action: "sns:GetSMSAttributes",
			Error: "AuthorizationError: not authorized"}), "permission denied: grant sns:GetSMSAttributes", "credentials"},
	} {
		t.Run(name, func(t *testing.T) {
			got := strings.Join(Advice(tc.r, nil), "; ")
			if !strings.Contains(got, tc.want) || strings.Contains(got, tc.deny) {
				t.Errorf("advice %q: want %q, not %q", got, tc.want, tc.deny)
			}
			d := newDigest(0)
			table := summaryText(tc.r, d)
			if !strings.Contains(strings.ToLower(table), strings.ToLower(tc.want)) || strings.Contains(table, tc.deny) {
				t.Errorf("table summary %q: want %q, not %q", table, tc.want, tc.deny)
			}
			if perms := missingPermissions(tc.r, d); name != "denied" && len(perms) > 0 {
				t.Errorf("missing permissions %v for a %s", perms, name)
			}
		})
	}
}

// TestCauseSetRemembers: a CauseSet classifies a repeated error text as
// the first time, past its bound too, and gathers the denied actions of
// indeterminate findings only.
func TestCauseSetRemembers(t *testing.T) {
	finding := func(v policies.Verdict, status, action, errText string) *policies.Finding {
		return &policies.Finding{Verdict: v, Evidence: map[string]any{"source": map[string]any{"status": status, "action": action, "error": errText}}}
	}
	u := NewCauseSet()
	var denied []string
	deny := func(a string) { denied = append(denied, a) }
	for i := range maxKnownCauses + 10 {
		// Distinct texts fill the memory; the last ten are past its bound.
		u.addFinding(finding(policies.Indeterminate, "error", "sns:GetSMSAttributes", fmt.Sprintf("InternalErrorException %d", i)), deny)
	}
	for range 3 {
		u.addFinding(finding(policies.Indeterminate, "denied", "cognito-idp:ListUsers", "AccessDeniedException"), deny)
		u.addFinding(finding(policies.Indeterminate, "denied", "sts:GetCallerIdentity", "ExpiredToken: the token has expired"), deny)
		u.addFinding(finding(policies.Indeterminate, "ok", "sesv2:GetAccount", ""), deny)
		u.addFinding(finding(policies.Fail, "denied", "sesv2:GetAccount", "AccessDeniedException"), deny)
	}
	if len(u.known) != maxKnownCauses {
		t.Errorf("%d causes kept, want the bound %d", len(u.known), maxKnownCauses)
	}
	if want := []string{"cognito-idp:ListUsers", "cognito-idp:ListUsers", "cognito-idp:ListUsers"}; !slices.Equal(denied, want) {
		t.Errorf("denied %v, want %v", denied, want)
	}
	got := strings.Join(Advice(&policies.Report{}, u), "; ")
	for _, want := range []string{"credentials or profile did not work", "permission denied: grant cognito-idp:ListUsers and", "sns:GetSMSAttributes failed"} {
		if !strings.Contains(got, want) {
			t.Errorf("advice %q lacks %q", got, want)
		}
	}
	if strings.Contains(got, "sesv2") {
		t.Errorf("advice %q names a source that was read, or a failed finding's", got)
	}
}
