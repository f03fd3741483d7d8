package collector_test

import (
	"bytes"
	"context"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/recoverscan/recoverscan/collector"
	"github.com/recoverscan/recoverscan/collector/awstest"
	"github.com/recoverscan/recoverscan/collector/snapshot"
	"github.com/recoverscan/recoverscan/policies"
)

// readOperation is one read operation the collector calls, with the error
// codes its service answers for throttling and for an internal error.
type readOperation struct {
	service, op        string
	throttle, internal string
}

func (o readOperation) action() string { return o.service + ":" + o.op }

// readOperations are every read operation a scan of the fixture world
// calls (sts:GetCallerIdentity aside).
var readOperations = func() []readOperation {
	var ops []readOperation
	for _, op := range []string{"ListUserPools", "DescribeUserPool", "GetUserPoolMfaConfig", "ListUserPoolClients",
		"DescribeUserPoolClient", "ListUsers", "AdminGetUser", "GetLogDeliveryConfiguration"} {
		ops = append(ops, readOperation{"cognito-idp", op, "TooManyRequestsException", "InternalErrorException"})
	}
	for _, op := range []string{"GetSMSAttributes", "GetSMSSandboxAccountStatus", "ListSMSSandboxPhoneNumbers",
		"ListOriginationNumbers", "ListPhoneNumbersOptedOut"} {
		ops = append(ops, readOperation{"sns", op, "Throttling", "InternalError"})
	}
	for _, op := range []string{"GetAccount", "GetEmailIdentity", "ListSuppressedDestinations", "GetConfigurationSet",
		"ListEmailIdentities"} {
		ops = append(ops, readOperation{"ses", op, "TooManyRequestsException", "InternalErrorException"})
	}
	// CloudWatch is awsQueryCompatible: its query-protocol codes.
	ops = append(ops, readOperation{"cloudwatch", "GetMetricData", "Throttling", "InternalServiceError"})
	for _, op := range []string{"DescribeAccountAttributes", "DescribeSpendLimits", "DescribePhoneNumbers", "DescribeSenderIds"} {
		ops = append(ops, readOperation{"sms-voice", op, "ThrottlingException", "InternalServerException"})
	}
	return ops
}()

// faultOptions are the collector options of the fault tests: MFA read (so
// that AdminGetUser is called), and few attempts.
func faultOptions(maxAttempts int) collector.Options {
	return collector.Options{WithMFA: true, MaxAttempts: maxAttempts}
}

// baseline is a fault-free collection and the requests it made.
type baseline struct {
	r        *result
	attempts map[string]int
}

func collectBaseline(t *testing.T, moto string, world *awstest.World, maxAttempts int) *baseline {
	t.Helper()
	st := world.StandInState()
	st.Log = &awstest.CallLog{}
	st.ListUsersLimit = 3
	r := collect(t, awstest.StartStandIn(t, moto, st), faultOptions(maxAttempts))
	checkAllSourcesRead(t, r)
	attempts := st.Log.Attempts()
	for _, o := range readOperations {
		if countAttempts(attempts, o.action()) == 0 {
			t.Fatalf("baseline scan never called %s", o.action())
		}
	}
	if retried := st.Log.Retried(); len(retried) > 0 {
		t.Fatalf("baseline scan retried %v", retried)
	}
	// Each request is made once, but DescribeUserPool: it is read again
	// for the user count after a listing of several pages.
	for key, n := range attempts {
		if n != 1 && !(strings.HasPrefix(key, "cognito-idp:DescribeUserPool ") && n == 2) {
			t.Fatalf("baseline scan attempted %s %d times", key, n)
		}
	}
	return &baseline{r: r, attempts: attempts}
}

// countAttempts sums the attempts of action's requests.
func countAttempts(attempts map[string]int, action string) int {
	n := 0
	for key, c := range attempts {
		if a, _, _ := strings.Cut(key, " "); a == action {
			n += c
		}
	}
	return n
}

// checkAttemptsBounded checks that no request was attempted more than
// maxAttempts times per time the fault-free scan made it (once for a
// request the fault-free scan did not make: a failed read can make the
// collector read something else, e.g. MFA settings when the pool's MFA
// configuration is unknown).
func checkAttemptsBounded(t *testing.T, clean, faulty map[string]int, maxAttempts int) {
	t.Helper()
	for key, n := range faulty {
		if calls := max(clean[key], 1); n > maxAttempts*calls {
			t.Errorf("%s: %d attempts, want at most %d (MaxAttempts %d × %d calls)", key, n, maxAttempts*calls, maxAttempts, calls)
		}
	}
}

// walkSources calls fn for every Source in v, with its path.
func walkSources(v reflect.Value, path string, fn func(path string, s snapshot.Source)) {
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if !v.IsNil() {
			walkSources(v.Elem(), path, fn)
		}
	case reflect.Struct:
		if s, ok := v.Interface().(snapshot.Source); ok {
			fn(path, s)
			return
		}
		for i := 0; i < v.NumField(); i++ {
			if v.Type().Field(i).IsExported() {
				walkSources(v.Field(i), path+"."+v.Type().Field(i).Name, fn)
			}
		}
	case reflect.Slice, reflect.Array:
		for i := 0; i < v.Len(); i++ {
			walkSources(v.Index(i), fmt.Sprintf("%s[%d]", path, i), fn)
		}
	case reflect.Map:
		for _, k := range v.MapKeys() {
			walkSources(v.MapIndex(k), fmt.Sprintf("%s[%v]", path, k), fn)
		}
	}
}

// sources lists every source of a snapshot by path.
func sources(snap *snapshot.Snapshot) map[string]snapshot.Source {
	m := map[string]snapshot.Source{}
	walkSources(reflect.ValueOf(snap), "snapshot", func(path string, s snapshot.Source) { m[path] = s })
	return m
}

// checkAllSourcesRead checks that no source of the snapshot failed.
func checkAllSourcesRead(t *testing.T, r *result) {
	t.Helper()
	for path, s := range sources(r.snap) {
		switch s.Status {
		case snapshot.SourceOK, snapshot.SourceSkipped, snapshot.SourceNotApplicable:
		default:
			t.Errorf("%s (%s): %s: %s", path, s.Action, s.Status, s.Error)
		}
	}
}

// checkSameSnapshot checks that a collection equals the fault-free one,
// byte for byte, and has no duplicate users.
func checkSameSnapshot(t *testing.T, want, got *result) {
	t.Helper()
	checkNoDuplicateUsers(t, got)
	if bytes.Equal(want.raw, got.raw) {
		return
	}
	i := 0
	for i < len(want.raw) && i < len(got.raw) && want.raw[i] == got.raw[i] {
		i++
	}
	excerpt := func(b []byte) string { return string(b[max(i-200, 0):min(i+200, len(b))]) }
	t.Errorf("snapshot differs from the fault-free one at byte %d:\nwant …%s…\n got …%s…\nlogs:\n%s", i, excerpt(want.raw), excerpt(got.raw), got.logs)
}

func checkNoDuplicateUsers(t *testing.T, r *result) {
	t.Helper()
	for _, p := range r.region(t).Pools {
		seen := map[string]bool{}
		for _, u := range p.Users {
			if seen[u.Username] {
				t.Errorf("pool %s: user %s written twice", p.Name, u.Username)
			}
			seen[u.Username] = true
		}
		if int64(len(p.Users)) != p.UsersListed {
			t.Errorf("pool %s: %d users written, users_listed %d", p.Name, len(p.Users), p.UsersListed)
		}
	}
}

// testRetriedFaults fails the first calls of every read operation, part
// way through listings too, and checks that the retried scan is the
// fault-free one.
func testRetriedFaults(t *testing.T, moto string, world *awstest.World) {
	const maxAttempts = 3
	const burst = maxAttempts - 1
	defer collector.SetFastRetries(time.Millisecond)()
	base := collectBaseline(t, moto, world, maxAttempts)
	for _, kind := range []string{"throttle", "internal"} {
		t.Run(kind, func(t *testing.T) {
			st := world.StandInState()
			st.Log = &awstest.CallLog{}
			st.ListUsersLimit = 3
			st.Errors, st.ErrorsFirst = map[string]string{}, map[string]int{}
			for _, o := range readOperations {
				st.Errors[o.op] = map[string]string{"throttle": o.throttle, "internal": o.internal}[kind]
				st.ErrorsFirst[o.op] = burst
			}
			// Fail ListUsers on a later page of a listing, and MFA reads
			// after the first user.
			st.ErrorsAfter = map[string]int{"ListUsers": 1, "AdminGetUser": 1}
			r := collect(t, awstest.StartStandIn(t, moto, st), faultOptions(maxAttempts))
			checkAllSourcesRead(t, r)
			checkSameSnapshot(t, base.r, r)
			attempts := st.Log.Attempts()
			checkAttemptsBounded(t, base.attempts, attempts, maxAttempts)
			for _, o := range readOperations {
				// Every request made, and the failed attempts on top.
				if got, want := countAttempts(attempts, o.action()), countAttempts(base.attempts, o.action())+burst; got != want {
					t.Errorf("%s: %d attempts, want %d (the fault-free scan's plus %d retries)", o.action(), got, want, burst)
				}
			}
			for key := range base.attempts {
				if attempts[key] == 0 {
					t.Errorf("request %s of the fault-free scan not made", key)
				}
			}
		})
	}
}

// testFaultsBeyondRetries makes each read operation fail on every attempt
// and checks that the scan completes with its sources recorded as
// throttled or failed, within MaxAttempts attempts per call.
func testFaultsBeyondRetries(t *testing.T, moto string, world *awstest.World) {
	const maxAttempts = 2
	defer collector.SetFastRetries(time.Millisecond)()
	base := collectBaseline(t, moto, world, maxAttempts)
	for _, o := range readOperations {
		for _, kind := range []string{"throttle", "internal"} {
			t.Run(o.op+"/"+kind, func(t *testing.T) {
				code, want := o.throttle, snapshot.SourceThrottled
				if kind == "internal" {
					code, want = o.internal, snapshot.SourceError
				}
				st := world.StandInState()
				st.Log = &awstest.CallLog{}
				st.ListUsersLimit = 3
				st.Errors = map[string]string{o.op: code}
				r := collect(t, awstest.StartStandIn(t, moto, st), faultOptions(maxAttempts))
				n := 0
				for path, s := range sources(r.snap) {
					if s.Action != o.action() || s.Status == snapshot.SourceNotApplicable || s.Status == snapshot.SourceSkipped {
						continue
					}
					n++
					if s.Status != want || !strings.Contains(s.Error, code) {
						t.Errorf("%s: %s (%s), want %s with %s", path, s.Status, s.Error, want, code)
					}
				}
				if n == 0 {
					t.Errorf("no source records %s", o.action())
				}
				checkNoDuplicateUsers(t, r)
				attempts := st.Log.Attempts()
				checkAttemptsBounded(t, base.attempts, attempts, maxAttempts)
				// The failing calls were retried up to the budget.
				for key, c := range attempts {
					if a, _, _ := strings.Cut(key, " "); a == o.action() && c != maxAttempts {
						t.Errorf("%s: %d attempts, want %d", key, c, maxAttempts)
					}
				}
			})
		}
	}
}

// testConnectionReset resets the connection of the first attempt of every
// ListUsers page part way through the answer.
func testConnectionReset(t *testing.T, moto string, world *awstest.World) {
	const maxAttempts = 3
	defer collector.SetFastRetries(time.Millisecond)()
	base := collectBaseline(t, moto, world, maxAttempts)
	st := world.StandInState()
	st.Log = &awstest.CallLog{}
	st.ListUsersLimit = 3
	st.ResetFirst = map[string]bool{"ListUsers": true}
	r := collect(t, awstest.StartStandIn(t, moto, st), faultOptions(maxAttempts))
	checkAllSourcesRead(t, r)
	checkSameSnapshot(t, base.r, r)
	attempts := st.Log.Attempts()
	checkAttemptsBounded(t, base.attempts, attempts, maxAttempts)
	pages := 0
	for key, n := range attempts {
		if a, _, _ := strings.Cut(key, " "); a == "cognito-idp:ListUsers" {
			pages++
			if n != 2 {
				t.Errorf("%s: %d attempts, want 2 (reset, then answered)", key, n)
			}
		}
	}
	if pages <= len(world.Pools) {
		t.Errorf("only %d ListUsers pages for %d pools: paging not exercised", pages, len(world.Pools))
	}
}

// testPaginationTokenExpires expires ListUsers pagination tokens after the
// first page: a pool with more users than a page is recorded as
// incompletely listed, and the report says so.
func testPaginationTokenExpires(t *testing.T, moto string, world *awstest.World) {
	st := world.StandInState()
	st.ListUsersLimit = 3
	st.ListUsersTokenExpiresAfter = 1
	r := collect(t, awstest.StartStandIn(t, moto, st), collector.Options{MaxAttempts: 3})
	checkNoDuplicateUsers(t, r)
	short := map[string]bool{}
	for _, p := range r.region(t).Pools {
		if p.UsersRead.OK() {
			if p.UsersListed > 3 {
				t.Errorf("%s: %d users listed complete although tokens expire after one page", p.Name, p.UsersListed)
			}
			continue
		}
		short[p.ID] = true
		wantStatus(t, p.Name+" users", p.UsersRead, snapshot.SourceError, "cognito-idp:ListUsers")
		if !strings.Contains(p.UsersRead.Error, "InvalidParameterException") || !strings.Contains(p.UsersRead.Error, "Pagination token expired") {
			t.Errorf("%s: users_read error %q does not say the token expired", p.Name, p.UsersRead.Error)
		}
		if p.UsersListed != 3 {
			t.Errorf("%s: users_listed %d, want the first page's 3", p.Name, p.UsersListed)
		}
	}
	if !short[world.Pools[awstest.PoolEmailOnly].ID] {
		t.Fatalf("the %s pool (8 users) was not recorded as incompletely listed", awstest.PoolEmailOnly)
	}

	// The report marks those pools incomplete and names the failure.
	e, err := policies.New(context.Background(), policies.Options{Workers: 1})
	if err != nil {
		t.Fatal(err)
	}
	rep, err := e.Evaluate(context.Background(), bytes.NewReader(r.raw))
	if err != nil {
		t.Fatal(err)
	}
	if !rep.Incomplete() {
		t.Error("report not incomplete")
	}
	for _, s := range rep.Scopes {
		for _, p := range s.Pools {
			if p.Complete == short[p.ID] {
				t.Errorf("pool %s: complete %v in the report", p.ID, p.Complete)
			}
		}
		for id := range short {
			if !slices.ContainsFunc(s.Problems, func(pr policies.SourceProblem) bool {
				return pr.Where == "pool "+id+" users" && strings.Contains(pr.Error, "Pagination token expired")
			}) {
				t.Errorf("report problems do not name pool %s's listing: %+v", id, s.Problems)
			}
		}
	}
}
