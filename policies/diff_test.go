package policies

import (
	"testing"
)

func TestCompare(t *testing.T) {
	res := func(user string) Resource {
		return Resource{Account: "1", Region: "us-east-1", PoolID: "us-east-1_P", PoolName: "p", Username: user}
	}
	f := func(id, user string, v Verdict, blocks bool) Finding {
		return Finding{RuleID: id, Kind: KindUser, Verdict: v, Resource: res(user), BlocksRecovery: blocks, Severity: Critical}
	}
	pool := Finding{RuleID: "RC-POOL-002", Kind: KindPool, Verdict: Fail, Resource: res(""), Severity: Medium}
	old := &Report{Findings: []Finding{
		f("RC-USER-001", "bob", Fail, true),
		f("RC-USER-012", "carol", Indeterminate, true),
		pool,
	}}
	changed := pool
	changed.Message = "a different message about the same thing"
	new := &Report{Findings: []Finding{
		f("RC-USER-001", "alice", Fail, true),
		f("RC-USER-012", "carol", Fail, true),
		changed,
	}}
	d := Compare("old", old, "new", new)
	if d.Counts != (DiffCounts{Appeared: 2, Resolved: 2, UsersChanged: 3}) {
		t.Fatalf("counts %+v", d.Counts)
	}
	want := map[string][2]string{"alice": {UserCan, UserCannot}, "bob": {UserCannot, UserCan}, "carol": {UserMayNot, UserCannot}}
	for _, u := range d.Users {
		if w := want[u.Username]; w != [2]string{u.Before, u.After} {
			t.Errorf("%s: %s → %s, want %s → %s", u.Username, u.Before, u.After, w[0], w[1])
		}
	}
	if same := Compare("a", old, "b", old); same.Counts != (DiffCounts{}) {
		t.Errorf("a report compared with itself changed: %+v", same.Counts)
	}
}
