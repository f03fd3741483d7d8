package collector_test

import (
	"bytes"
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"

	"github.com/recoverscan/recoverscan/collector"
	"github.com/recoverscan/recoverscan/collector/awstest"
	"github.com/recoverscan/recoverscan/collector/snapshot"
	"github.com/recoverscan/recoverscan/policies"
)

// changeWorld is a moto of its own, for tests that add and remove users
// and pools while a pool is being listed (the shared fixture world must
// stay as seeded).
type changeWorld struct {
	moto string
	c    *cip.Client
}

func newChangeWorld(t *testing.T) *changeWorld {
	t.Helper()
	moto := awstest.StartMoto(t)
	cfg, err := awstest.Config(context.Background(), moto, testRegion, 1)
	if err != nil {
		t.Fatal(err)
	}
	return &changeWorld{moto: moto, c: cip.NewFromConfig(cfg)}
}

// pool creates a pool with users named prefix+"10", prefix+"11", ... and
// returns its id.
func (cw *changeWorld) pool(t *testing.T, name, prefix string, users int) string {
	t.Helper()
	out, err := cw.c.CreateUserPool(context.Background(), &cip.CreateUserPoolInput{PoolName: aws.String(name)})
	if err != nil {
		t.Fatalf("create pool %s: %v", name, err)
	}
	id := aws.ToString(out.UserPool.Id)
	for i := range users {
		cw.addUser(t, id, fmt.Sprintf("%s%d", prefix, 10+i))
	}
	return id
}

func (cw *changeWorld) addUser(t *testing.T, pool, username string) {
	t.Helper()
	_, err := cw.c.AdminCreateUser(context.Background(), &cip.AdminCreateUserInput{
		UserPoolId: aws.String(pool), Username: aws.String(username),
		MessageAction: types.MessageActionTypeSuppress, TemporaryPassword: aws.String("Fixture-Passw0rd!"),
	})
	if err != nil {
		t.Errorf("add user %s: %v", username, err)
	}
}

func (cw *changeWorld) deleteUser(t *testing.T, pool, username string) {
	t.Helper()
	_, err := cw.c.AdminDeleteUser(context.Background(), &cip.AdminDeleteUserInput{UserPoolId: aws.String(pool), Username: aws.String(username)})
	if err != nil {
		t.Errorf("delete user %s: %v", username, err)
	}
}

// onPage returns a BeforeListUsers hook that runs fn once, before the
// call'th ListUsers request for pool (a later page of its listing).
func onPage(pool string, call int, fn func()) func(string, int) {
	var once sync.Once
	return func(p string, n int) {
		if p == pool && n == call {
			once.Do(fn)
		}
	}
}

// changeState is the stand-in state of the change tests: ListUsers in
// pages of 3, and the hook.
func changeState(hook func(string, int)) awstest.StandInState {
	return awstest.StandInState{ListUsersLimit: 3, BeforeListUsers: hook, Log: &awstest.CallLog{}}
}

// poolByID finds a pool of the only region of r.
func poolByID(t *testing.T, r *result, id string) *snapshot.Pool {
	t.Helper()
	reg := r.region(t)
	for i := range reg.Pools {
		if reg.Pools[i].ID == id {
			return &reg.Pools[i]
		}
	}
	t.Fatalf("pool %s not in snapshot", id)
	return nil
}

func usernames(p *snapshot.Pool) []string {
	var names []string
	for _, u := range p.Users {
		names = append(names, u.Username)
	}
	slices.Sort(names)
	return names
}

// wantChanged checks that a pool is recorded as changed while it was being
// read, with the counts in the error text, and that its users are the
// listed ones, each written once.
func wantChanged(t *testing.T, r *result, id string, counts []string, users []string) {
	t.Helper()
	checkNoDuplicateUsers(t, r)
	p := poolByID(t, r, id)
	wantStatus(t, p.Name+" users", p.UsersRead, snapshot.SourceError, "cognito-idp:ListUsers")
	if !strings.Contains(p.UsersRead.Error, "changed while it was being read") {
		t.Errorf("%s: users_read error %q does not say the pool changed while it was being read", p.Name, p.UsersRead.Error)
	}
	for _, c := range counts {
		if !strings.Contains(p.UsersRead.Error, c) {
			t.Errorf("%s: users_read error %q does not say %q", p.Name, p.UsersRead.Error, c)
		}
	}
	if got := usernames(p); !slices.Equal(got, users) {
		t.Errorf("%s: users %v, want %v", p.Name, got, users)
	}
	if !strings.Contains(r.logs, "changed while it was being read") {
		t.Errorf("the change is not logged:\n%s", r.logs)
	}
}

// wantComplete checks that a pool was listed completely with want users.
func wantComplete(t *testing.T, r *result, id string, want int) {
	t.Helper()
	p := poolByID(t, r, id)
	wantStatus(t, p.Name+" users", p.UsersRead, snapshot.SourceOK, "cognito-idp:ListUsers")
	if p.UsersListed != int64(want) || len(p.Users) != want {
		t.Errorf("%s: %d users written, users_listed %d, want %d", p.Name, len(p.Users), p.UsersListed, want)
	}
}

// wantReportIncomplete evaluates the snapshot and checks that the report
// marks exactly the pools in incomplete as incomplete, names their
// listing among its problems with errText, and has findings for the
// complete pools.
func wantReportIncomplete(t *testing.T, r *result, errText string, incomplete ...string) {
	t.Helper()
	e, err := policies.New(context.Background(), policies.Options{Workers: 1})
	if err != nil {
		t.Fatal(err)
	}
	rep, err := e.Evaluate(context.Background(), bytes.NewReader(r.raw))
	if err != nil {
		t.Fatalf("evaluate: %v", err)
	}
	if !rep.Incomplete() {
		t.Error("report not incomplete")
	}
	for _, s := range rep.Scopes {
		for _, p := range s.Pools {
			if p.Complete == slices.Contains(incomplete, p.ID) {
				t.Errorf("pool %s: complete %v in the report", p.ID, p.Complete)
			}
		}
		for _, id := range incomplete {
			if !slices.ContainsFunc(s.Problems, func(pr policies.SourceProblem) bool {
				return pr.Where == "pool "+id+" users" && strings.Contains(pr.Error, errText)
			}) {
				t.Errorf("report problems do not name pool %s's listing with %q: %+v", id, errText, s.Problems)
			}
		}
	}
}

// names returns prefix+n for each n.
func names(prefix string, ns ...int) []string {
	var out []string
	for _, n := range ns {
		out = append(out, fmt.Sprintf("%s%d", prefix, n))
	}
	slices.Sort(out)
	return out
}

// TestPoolChangesWhileListed changes pools in moto between the pages of
// their listing: users added and removed, users shifting the pages of a
// listing by position, a pool deleted. A changed pool is recorded as
// incompletely read with what changed, never as a short or duplicated
// listing that looks complete, and the scan goes on.
func TestPoolChangesWhileListed(t *testing.T) {
	cw := newChangeWorld(t)

	t.Run("UsersAdded", func(t *testing.T) {
		grows := cw.pool(t, "grows", "g-", 8)
		quiet := cw.pool(t, "quiet-a", "qa-", 5)
		hook := onPage(grows, 2, func() {
			cw.addUser(t, grows, "g-90")
			cw.addUser(t, grows, "g-91")
		})
		r := collect(t, awstest.StartStandIn(t, cw.moto, changeState(hook)), collector.Options{PoolIDs: []string{grows, quiet}})
		// moto lists the added users at the end.
		wantChanged(t, r, grows, []string{"8 when", "10 after", "10 users listed"}, names("g-", 10, 11, 12, 13, 14, 15, 16, 17, 90, 91))
		wantComplete(t, r, quiet, 5)
		wantReportIncomplete(t, r, "changed while it was being read", grows)
	})

	t.Run("UsersRemoved", func(t *testing.T) {
		shrinks := cw.pool(t, "shrinks", "s-", 8)
		quiet := cw.pool(t, "quiet-b", "qb-", 4)
		// After the first page (s-10..s-12): remove a listed user and
		// one not listed yet (not the next page's first).
		hook := onPage(shrinks, 2, func() {
			cw.deleteUser(t, shrinks, "s-11")
			cw.deleteUser(t, shrinks, "s-16")
		})
		r := collect(t, awstest.StartStandIn(t, cw.moto, changeState(hook)), collector.Options{PoolIDs: []string{shrinks, quiet}})
		wantChanged(t, r, shrinks, []string{"8 when", "6 after", "7 users listed"}, names("s-", 10, 11, 12, 13, 14, 15, 17))
		wantComplete(t, r, quiet, 4)
		wantReportIncomplete(t, r, "changed while it was being read", shrinks)
	})

	// A service that pages by position: a user added ahead of the
	// listing's position makes the next page start with the previous
	// page's last user again; one removed ahead makes it skip a user.
	t.Run("PagesShiftedByAddition", func(t *testing.T) {
		pool := cw.pool(t, "shifted-up", "u-", 8)
		hook := onPage(pool, 2, func() { cw.addUser(t, pool, "u-00") })
		st := changeState(hook)
		st.ListUsersByPosition = true
		r := collect(t, awstest.StartStandIn(t, cw.moto, st), collector.Options{PoolIDs: []string{pool}})
		// u-12 comes again first on page 2; u-00 sorts before the
		// position and is not listed.
		wantChanged(t, r, pool, []string{"8 when", "9 after", "8 users listed", "1 user returned again"}, names("u-", 10, 11, 12, 13, 14, 15, 16, 17))
	})

	t.Run("PagesShiftedByRemoval", func(t *testing.T) {
		pool := cw.pool(t, "shifted-down", "d-", 8)
		hook := onPage(pool, 2, func() { cw.deleteUser(t, pool, "d-10") })
		st := changeState(hook)
		st.ListUsersByPosition = true
		r := collect(t, awstest.StartStandIn(t, cw.moto, st), collector.Options{PoolIDs: []string{pool}})
		// d-13 moves to position 2, on the page already read: skipped.
		wantChanged(t, r, pool, []string{"8 when", "7 after", "7 users listed"}, names("d-", 10, 11, 12, 14, 15, 16, 17))
	})

	// The stand-in's position paging without changes lists every user:
	// the shifts above come from the changes.
	t.Run("PagesByPositionUnchanged", func(t *testing.T) {
		pool := cw.pool(t, "steady", "st-", 8)
		st := changeState(nil)
		st.ListUsersByPosition = true
		r := collect(t, awstest.StartStandIn(t, cw.moto, st), collector.Options{PoolIDs: []string{pool}})
		wantComplete(t, r, pool, 8)
		checkNoDuplicateUsers(t, r)
	})

	t.Run("PoolDeleted", func(t *testing.T) {
		doomed := cw.pool(t, "doomed", "x-", 8)
		survivor := cw.pool(t, "survivor", "v-", 5)
		hook := onPage(doomed, 2, func() {
			if _, err := cw.c.DeleteUserPool(context.Background(), &cip.DeleteUserPoolInput{UserPoolId: aws.String(doomed)}); err != nil {
				t.Errorf("delete pool: %v", err)
			}
		})
		r := collect(t, awstest.StartStandIn(t, cw.moto, changeState(hook)), collector.Options{PoolIDs: []string{doomed, survivor}, MaxAttempts: 3})
		checkNoDuplicateUsers(t, r)
		p := poolByID(t, r, doomed)
		wantStatus(t, "doomed users", p.UsersRead, snapshot.SourceError, "cognito-idp:ListUsers")
		if !strings.Contains(p.UsersRead.Error, "ResourceNotFoundException") || !strings.Contains(p.UsersRead.Error, "deleted while it was being read") {
			t.Errorf("doomed: users_read error %q does not say the pool was deleted while it was being read", p.UsersRead.Error)
		}
		if got, want := usernames(p), names("x-", 10, 11, 12); !slices.Equal(got, want) {
			t.Errorf("doomed: users %v, want the first page's %v", got, want)
		}
		wantComplete(t, r, survivor, 5)
		wantReportIncomplete(t, r, "ResourceNotFoundException", doomed)
	})
}
