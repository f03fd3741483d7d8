package collector_test

import (
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/recoverscan/recoverscan/collector"
	"github.com/recoverscan/recoverscan/collector/awstest"
	"github.com/recoverscan/recoverscan/collector/snapshot"
)

const syntheticPool = testRegion + "_Synthetic1"

// listSynthetic collects the synthetic pool of srv with opts (listing
// partitioned unless opts say otherwise) and returns its pool.
func listSynthetic(t *testing.T, srv *awstest.UserListServer, opts collector.Options) (*snapshot.Pool, *result) {
	t.Helper()
	opts.PoolIDs = []string{srv.PoolID}
	// With retries, as a scan makes them (it allows DefaultMaxAttempts;
	// three here). Under many concurrent keep-alive connections to one
	// endpoint, a call now and then reads a response on a reused connection before net/http has
	// written its request body; the SDK has closed that body by then, the
	// write fails, and net/http closes the connection under the response:
	// "use of closed network connection", a connection error the SDK
	// retries. With one attempt it would fail the listing under test.
	r := collectAttempts(t, srv.URL, opts, "3")
	reg := r.region(t)
	if len(reg.Pools) != 1 {
		t.Fatalf("want one pool, got %d", len(reg.Pools))
	}
	return &reg.Pools[0], r
}

// checkUsersOnce checks that the pool holds exactly the users want, each
// once.
func checkUsersOnce(t *testing.T, p *snapshot.Pool, want []awstest.ListedUser) {
	t.Helper()
	got := map[string]int{}
	for _, u := range p.Users {
		got[u.Username]++
	}
	for _, u := range want {
		if got[u.Username] != 1 {
			t.Errorf("user %s written %d times, want once", u.Username, got[u.Username])
		}
		delete(got, u.Username)
	}
	for name := range got {
		t.Errorf("user %s written but not in the pool", name)
	}
	if p.UsersListed != int64(len(p.Users)) {
		t.Errorf("users_listed %d, %d users written", p.UsersListed, len(p.Users))
	}
}

// checkListedSequentially checks that srv saw no partition and that the
// sequential listing was logged with why.
func checkListedSequentially(t *testing.T, srv *awstest.UserListServer, r *result, why string) {
	t.Helper()
	if got := subFilters(srv); len(got) != 0 {
		t.Errorf("partitions %v listed; want a sequential listing (%s)", got, why)
	}
	if !strings.Contains(r.logs, "listing users sequentially") || !strings.Contains(r.logs, why) {
		t.Errorf("the sequential listing (%s) is not logged:\n%s", why, r.logs)
	}
}

// subFilters returns the sub ^= filters srv saw, sorted.
func subFilters(srv *awstest.UserListServer) []string {
	var out []string
	for f := range srv.Filters() {
		if strings.HasPrefix(f, "sub ^=") {
			out = append(out, f)
		}
	}
	slices.Sort(out)
	return out
}

func TestPartitionedListingComplete(t *testing.T) {
	users := awstest.SyntheticUsers(3000)
	srv := awstest.StartUserListServer(t, syntheticPool, users)
	p, _ := listSynthetic(t, srv, collector.ListPartitioned(collector.Options{}))
	if !p.UsersRead.OK() {
		t.Fatalf("users_read %+v, want ok", p.UsersRead)
	}
	checkUsersOnce(t, p, users)
	f := srv.Filters()
	if got := subFilters(srv); len(got) != 16 || f[""] != 1 {
		t.Errorf("filters %v: want the first page unfiltered and 16 sub partitions", f)
	}
	// Every user's sub is kept, and none is written by two partitions.
	subs := map[string]bool{}
	for _, u := range p.Users {
		if subs[u.Sub] {
			t.Errorf("sub %s written twice", u.Sub)
		}
		subs[u.Sub] = true
	}
}

func TestPartitionedListingSameAsSequential(t *testing.T) {
	users := awstest.SyntheticUsers(1000)
	srv := awstest.StartUserListServer(t, syntheticPool, users)
	seq, _ := listSynthetic(t, srv, collector.ListSequentially(collector.Options{}))
	par, _ := listSynthetic(t, srv, collector.ListPartitioned(collector.Options{}))
	if !seq.UsersRead.OK() || !par.UsersRead.OK() {
		t.Fatalf("users_read sequential %+v, partitioned %+v", seq.UsersRead, par.UsersRead)
	}
	checkSameUsers(t, seq, par)
}

// checkSameUsers checks that two listings wrote the same users, each
// identical, whatever their order.
func checkSameUsers(t *testing.T, a, b *snapshot.Pool) {
	t.Helper()
	byName := func(p *snapshot.Pool) []snapshot.User {
		us := slices.Clone(p.Users)
		slices.SortFunc(us, func(x, y snapshot.User) int { return strings.Compare(x.Username, y.Username) })
		return us
	}
	x, y := byName(a), byName(b)
	if len(x) != len(y) {
		t.Fatalf("sequential listing wrote %d users, partitioned %d", len(x), len(y))
	}
	for i := range x {
		if !usersEqual(x[i], y[i]) {
			t.Fatalf("user %d differs:\nsequential  %+v\npartitioned %+v", i, x[i], y[i])
		}
	}
}

func usersEqual(a, b snapshot.User) bool {
	return a.Username == b.Username && a.Sub == b.Sub && a.Status == b.Status && a.Enabled == b.Enabled &&
		a.Email.Masked == b.Email.Masked && a.Email.Verified == b.Email.Verified && a.Phone.Masked == b.Phone.Masked &&
		a.Phone.Country == b.Phone.Country && a.MFA.Read == b.MFA.Read && a.CreatedAt.Equal(b.CreatedAt)
}

func TestPartitionUserOutsideItsPartition(t *testing.T) {
	users := awstest.SyntheticUsers(3000)
	srv := awstest.StartUserListServer(t, syntheticPool, users)
	// An endpoint that does not apply the filter: partition 3 returns a
	// user whose sub begins with another digit.
	var stray awstest.ListedUser
	for _, u := range users {
		if u.Sub[0] == 'a' {
			stray = u
			break
		}
	}
	srv.Tamper(func(filter string, call int, page []awstest.ListedUser) []awstest.ListedUser {
		if filter == `sub ^= "3"` && call == 2 {
			return append(page, stray)
		}
		return page
	})
	p, r := listSynthetic(t, srv, collector.ListPartitioned(collector.Options{}))
	if p.UsersRead.Status != snapshot.SourceError || p.UsersRead.Action != "cognito-idp:ListUsers" ||
		!strings.Contains(p.UsersRead.Error, `partition sub ^= "3" returned a user whose sub does not begin with "3"`) {
		t.Fatalf("users_read %+v, want an error for partition 3\nlogs:\n%s", p.UsersRead, r.logs)
	}
	checkNoDuplicateUsers(t, r)
}

func TestPartitionFailingMarksPoolIncomplete(t *testing.T) {
	users := awstest.SyntheticUsers(3000)
	srv := awstest.StartUserListServer(t, syntheticPool, users)
	srv.Fail(`sub ^= "7"`, "NotAuthorizedException")
	p, r := listSynthetic(t, srv, collector.ListPartitioned(collector.Options{}))
	// The same Source as a failed sequential listing, naming the
	// partition.
	if p.UsersRead.Status != snapshot.SourceError || p.UsersRead.Action != "cognito-idp:ListUsers" ||
		!strings.HasPrefix(p.UsersRead.Error, `partition sub ^= "7": `) || !strings.Contains(p.UsersRead.Error, "NotAuthorizedException") {
		t.Fatalf("users_read %+v, want the failure of partition 7", p.UsersRead)
	}
	if len(p.Users) >= len(users) {
		t.Errorf("%d users written of %d with a partition failing", len(p.Users), len(users))
	}
	// The first page (the first 60 users, unfiltered) is written before
	// the partitions start; no user of partition 7 after it is.
	first := map[string]bool{}
	for _, u := range users[:60] {
		first[u.Username] = true
	}
	for _, u := range p.Users {
		if u.Sub[0] == '7' && !first[u.Username] {
			t.Errorf("user %s of the failing partition written", u.Username)
		}
	}
	checkNoDuplicateUsers(t, r)
	if !strings.Contains(r.logs, `partition="sub ^= \"7\""`) {
		t.Errorf("the failing partition is not logged:\n%s", r.logs)
	}
}

func TestPartitionNonUUIDSubOnFirstPageListsSequentially(t *testing.T) {
	users := awstest.SyntheticUsers(3000)
	users[5].Sub = "legacy-5"
	srv := awstest.StartUserListServer(t, syntheticPool, users)
	p, r := listSynthetic(t, srv, collector.ListPartitioned(collector.Options{}))
	if !p.UsersRead.OK() {
		t.Fatalf("users_read %+v, want ok", p.UsersRead)
	}
	checkUsersOnce(t, p, users)
	checkListedSequentially(t, srv, r, "not a lower-case UUID")
}

func TestPartitionNonUUIDSubInPartitionFallsBack(t *testing.T) {
	users := awstest.SyntheticUsers(3000)
	// A sub in partition 3 that is not a UUID, and one no partition
	// holds: the sequential listing after the partitions finds both.
	users[1500].Sub = "3-legacy"
	users[2000].Sub = "LEGACY-UPPER"
	srv := awstest.StartUserListServer(t, syntheticPool, users)
	p, r := listSynthetic(t, srv, collector.ListPartitioned(collector.Options{}))
	if !p.UsersRead.OK() {
		t.Fatalf("users_read %+v, want ok\nlogs:\n%s", p.UsersRead, r.logs)
	}
	checkUsersOnce(t, p, users)
	f := srv.Filters()
	if len(subFilters(srv)) != 16 || f[""] < 2 {
		t.Errorf("filters %v: want 16 partitions and a sequential listing after them", f)
	}
	if !strings.Contains(r.logs, "listing the pool sequentially for the users whose sub is not one") {
		t.Errorf("the fallback is not logged:\n%s", r.logs)
	}
}

func TestPartitionSubOutsideEveryPartitionIsCaughtByTheCount(t *testing.T) {
	users := awstest.SyntheticUsers(3000)
	// Only a sub no partition returns: nothing flags it but the count.
	users[2000].Sub = "LEGACY-UPPER"
	srv := awstest.StartUserListServer(t, syntheticPool, users)
	p, _ := listSynthetic(t, srv, collector.ListPartitioned(collector.Options{}))
	if p.UsersRead.Status != snapshot.SourceError || !strings.Contains(p.UsersRead.Error, "2999 users listed") ||
		!strings.Contains(p.UsersRead.Error, "listed in partitions by sub prefix") {
		t.Fatalf("users_read %+v, want the count to disagree", p.UsersRead)
	}
}

func TestPartitionDuplicateAcrossPagesWrittenOnce(t *testing.T) {
	users := awstest.SyntheticUsers(3000)
	srv := awstest.StartUserListServer(t, syntheticPool, users)
	// Partition 5 returns the last user of its first page again at the
	// start of its second, as a listing does when the pool shifts under
	// it.
	var mu sync.Mutex
	var last awstest.ListedUser
	srv.Tamper(func(filter string, call int, page []awstest.ListedUser) []awstest.ListedUser {
		if filter != `sub ^= "5"` {
			return page
		}
		mu.Lock()
		defer mu.Unlock()
		switch call {
		case 1:
			last = page[len(page)-1]
		case 2:
			return append([]awstest.ListedUser{last}, page...)
		}
		return page
	})
	p, r := listSynthetic(t, srv, collector.ListPartitioned(collector.Options{}))
	checkUsersOnce(t, p, users)
	// As in a sequential listing, a user returned again means the pool
	// changed while it was read.
	if p.UsersRead.Status != snapshot.SourceError || !strings.Contains(p.UsersRead.Error, "1 user returned again on a later page, written once") {
		t.Errorf("users_read %+v, want the repeated user recorded\nlogs:\n%s", p.UsersRead, r.logs)
	}
}

func TestPartitionUserFilterListsSequentially(t *testing.T) {
	users := awstest.SyntheticUsers(3000)
	srv := awstest.StartUserListServer(t, syntheticPool, users)
	// 1000 users match, several pages.
	p, r := listSynthetic(t, srv, collector.ListPartitioned(collector.Options{UserFilter: `username ^= "user0000"`}))
	if !p.UsersRead.OK() || len(p.Users) != 1000 {
		t.Fatalf("users_read %+v, %d users; want ok, 1000", p.UsersRead, len(p.Users))
	}
	checkListedSequentially(t, srv, r, "one filter")
}

func TestPartitionSmallPoolListsSequentially(t *testing.T) {
	users := awstest.SyntheticUsers(120)
	srv := awstest.StartUserListServer(t, syntheticPool, users)
	p, _ := listSynthetic(t, srv, collector.ListPartitioned(collector.Options{}))
	if !p.UsersRead.OK() {
		t.Fatalf("users_read %+v, want ok", p.UsersRead)
	}
	checkUsersOnce(t, p, users)
	if f := srv.Filters(); len(f) != 1 || f[""] != 2 {
		t.Errorf("filters %v: want two unfiltered pages", f)
	}
}

// TestPartitionedListingMotoEquality lists a moto pool (the real SDK
// against moto_server, whose ListUsers applies `sub ^=`) sequentially and
// in partitions, and checks that both write exactly the same users.
// RECOVERSCAN_MOTO_EQUALITY_USERS sets the pool size (default 1000; 10000
// takes about a minute, most of it seeding).
func TestPartitionedListingMotoEquality(t *testing.T) {
	n := 1000
	if s := os.Getenv("RECOVERSCAN_MOTO_EQUALITY_USERS"); s != "" {
		v, err := strconv.Atoi(s)
		if err != nil || v <= 0 {
			t.Fatalf("RECOVERSCAN_MOTO_EQUALITY_USERS=%q: want a positive number", s)
		}
		n = v
	}
	moto, poolID := seedBenchPool(t, n)
	// A proxy without latency counts the requests.
	proxy := awstest.StartLatencyProxy(t, moto, 0)
	opts := collector.Options{PoolIDs: []string{poolID}}

	start := time.Now()
	seq := collect(t, proxy.URL, collector.ListSequentially(opts))
	seqCalls, seqTime := proxy.Calls("ListUsers"), time.Since(start)
	proxy.Reset()
	start = time.Now()
	par := collect(t, proxy.URL, collector.ListPartitioned(opts))
	parCalls, parTime := proxy.Calls("ListUsers"), time.Since(start)

	sp, pp := &seq.region(t).Pools[0], &par.region(t).Pools[0]
	if !sp.UsersRead.OK() || !pp.UsersRead.OK() {
		t.Fatalf("users_read sequential %+v, partitioned %+v", sp.UsersRead, pp.UsersRead)
	}
	if len(sp.Users) != n {
		t.Fatalf("sequential listing wrote %d users, want %d", len(sp.Users), n)
	}
	checkNoDuplicateUsers(t, par)
	checkSameUsers(t, sp, pp)
	// One unfiltered page, then 16 partitions of at least one page each.
	if pages := int64((n + 59) / 60); seqCalls != pages || parCalls < 1+16 {
		t.Errorf("ListUsers requests: sequential %d (want %d), partitioned %d (want at least 17)", seqCalls, pages, parCalls)
	}
	t.Logf("%d users: sequential %d requests in %s, partitioned %d requests in %s, the same %d users",
		n, seqCalls, seqTime.Round(time.Millisecond), parCalls, parTime.Round(time.Millisecond), len(pp.Users))
}
