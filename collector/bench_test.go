package collector_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
	"golang.org/x/time/rate"

	"github.com/recoverscan/recoverscan/collector"
	"github.com/recoverscan/recoverscan/collector/awstest"
	"github.com/recoverscan/recoverscan/collector/snapshot"
)

// The collector benchmarks list one moto pool of benchUsers users through a
// proxy that adds a fixed latency to every request, standing in for the
// round trip to a real Cognito endpoint:
//
//	go test ./collector -run '^$' -bench . -benchtime 1x
//
// RECOVERSCAN_BENCH_USERS sets the pool size (default 2000, about a minute
// for the whole run; seeding runs at a few hundred users a second, so
// 10000 users take some 40 seconds to seed).
// Like the end-to-end tests, they fail when CI=true and moto_server is
// missing.
const defaultBenchUsers = 2000

func benchUsers(b *testing.B) int {
	b.Helper()
	s := os.Getenv("RECOVERSCAN_BENCH_USERS")
	if s == "" {
		return defaultBenchUsers
	}
	n, err := strconv.Atoi(s)
	if err != nil || n <= 0 {
		b.Fatalf("RECOVERSCAN_BENCH_USERS=%q: want a positive number", s)
	}
	return n
}

// unlimited is far above any rate moto serves, so the limiter never waits.
var unlimited = collector.RateLimits{ListUsers: 1e6, PoolRead: 1e6, ClientRead: 1e6, UserRead: 1e6, Messaging: 1e6}

// seedBenchPool starts moto and creates one pool of n users, several at a
// time (moto answers AdminCreateUser in a few milliseconds; one at a time
// the seeding would dominate the run).
func seedBenchPool(b *testing.B, n int) (moto, poolID string) {
	b.Helper()
	moto = awstest.StartMoto(b)
	ctx := context.Background()
	cfg, err := awstest.Config(ctx, moto, testRegion, 0)
	if err != nil {
		b.Fatal(err)
	}
	c := cip.NewFromConfig(cfg)
	out, err := c.CreateUserPool(ctx, &cip.CreateUserPoolInput{
		PoolName: aws.String("bench"),
		AccountRecoverySetting: &types.AccountRecoverySettingType{RecoveryMechanisms: []types.RecoveryOptionType{
			{Name: types.RecoveryOptionNameTypeVerifiedEmail, Priority: aws.Int32(1)},
			{Name: types.RecoveryOptionNameTypeVerifiedPhoneNumber, Priority: aws.Int32(2)},
		}},
	})
	if err != nil {
		b.Fatalf("create pool: %v", err)
	}
	poolID = aws.ToString(out.UserPool.Id)

	start := time.Now()
	const workers = 8
	next := atomic.Int64{}
	errs := make(chan error, workers)
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for {
				i := int(next.Add(1)) - 1
				if i >= n {
					return
				}
				if _, err := c.AdminCreateUser(ctx, benchUser(poolID, i)); err != nil {
					errs <- fmt.Errorf("create user %d: %w", i, err)
					return
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	if err := <-errs; err != nil {
		b.Fatal(err)
	}
	b.Logf("seeded %d users in %s (%.0f users/s)", n, time.Since(start).Round(time.Millisecond), float64(n)/time.Since(start).Seconds())
	return moto, poolID
}

// benchUser is user i: every user has an email address (most verified),
// every third also a phone number, so the per-user joins and masking run.
func benchUser(poolID string, i int) *cip.AdminCreateUserInput {
	attrs := []types.AttributeType{
		{Name: aws.String("email"), Value: aws.String(fmt.Sprintf("user%06d@example.com", i))},
		{Name: aws.String("email_verified"), Value: aws.String(strconv.FormatBool(i%10 != 0))},
	}
	if i%3 == 0 {
		attrs = append(attrs,
			types.AttributeType{Name: aws.String("phone_number"), Value: aws.String(fmt.Sprintf("+1555%07d", i))},
			types.AttributeType{Name: aws.String("phone_number_verified"), Value: aws.String("true")})
	}
	return &cip.AdminCreateUserInput{
		UserPoolId: aws.String(poolID), Username: aws.String(fmt.Sprintf("user%06d", i)),
		UserAttributes: attrs, MessageAction: types.MessageActionTypeSuppress,
	}
}

// BenchmarkCollect runs collector.Collect on the seeded pool, as
// `recoverscan collect --pool` does, and reports users per second and the
// bytes and allocations per user. Those include the fixed cost of a
// collection (clients, pool settings, SMS and email state), and two costs
// a real endpoint does not have: moto closes every connection, so each
// request dials anew, and with rtt > 0 the latency proxy runs in the same
// process (together a few hundred bytes per user).
//
// rtt=0 with unlimited rates measures the collector against moto alone;
// rtt=0 with the default limits is bound by the ListUsers limiter
// (DefaultRateLimits.ListUsers pages of 60 a second); a long rtt is bound
// by latency, one page at a time.
func BenchmarkCollect(b *testing.B) {
	n := benchUsers(b)
	moto, poolID := seedBenchPool(b, n)
	cases := []struct {
		rtt    time.Duration
		name   string
		limits collector.RateLimits
	}{
		{0, "unlimited", unlimited},
		{0, "default", collector.DefaultRateLimits},
		{50 * time.Millisecond, "default", collector.DefaultRateLimits},
		{200 * time.Millisecond, "default", collector.DefaultRateLimits},
	}
	for _, tc := range cases {
		b.Run(fmt.Sprintf("users=%d/rtt=%s/limits=%s", n, tc.rtt, tc.name), func(b *testing.B) {
			endpoint := moto
			var proxy *awstest.LatencyProxy
			if tc.rtt > 0 {
				proxy = awstest.StartLatencyProxy(b, moto, tc.rtt)
				endpoint = proxy.URL
			}
			ctx := context.Background()
			cfg, err := awstest.Config(ctx, endpoint, testRegion, 0)
			if err != nil {
				b.Fatal(err)
			}
			opts := collector.Options{
				Regions: []string{testRegion},
				PoolIDs: []string{poolID},
				Version: "bench",
				Limits:  tc.limits,
				// moto answers the SNS and SESv2 reads it lacks with a
				// 500; one attempt records them as unavailable instead of
				// retrying with backoff for most of a minute.
				MaxAttempts: 1,
			}
			// The snapshot goes to a file, as with `collect -o`.
			path := filepath.Join(b.TempDir(), "snap.json")
			var before, after runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&before)
			iterations := 0
			for b.Loop() {
				if err := collectToFile(ctx, cfg, opts, path); err != nil {
					b.Fatal(err)
				}
				iterations++
			}
			runtime.ReadMemStats(&after)
			users := float64(n * iterations)
			b.ReportMetric(users/b.Elapsed().Seconds(), "users/s")
			b.ReportMetric(float64(after.TotalAlloc-before.TotalAlloc)/users, "B/user")
			b.ReportMetric(float64(after.Mallocs-before.Mallocs)/users, "allocs/user")
			checkBenchSnapshot(b, path, n)
		})
	}
}

func collectToFile(ctx context.Context, cfg aws.Config, opts collector.Options, path string) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := collector.Collect(ctx, cfg, opts, snapshot.NewWriter(f)); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// checkBenchSnapshot checks that the last collection listed every user of
// the pool once, and completely.
func checkBenchSnapshot(b *testing.B, path string, n int) {
	b.Helper()
	f, err := os.Open(path)
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	snap, err := snapshot.Read(f)
	if err != nil {
		b.Fatal(err)
	}
	p := snap.Accounts[0].Regions[0].Pools[0]
	names := map[string]bool{}
	for _, u := range p.Users {
		names[u.Username] = true
	}
	if !p.UsersRead.OK() || len(p.Users) != n || len(names) != n || p.UsersListed != int64(n) {
		b.Fatalf("snapshot: %d users (%d distinct), users_listed %d, users_read %+v; want %d, ok",
			len(p.Users), len(names), p.UsersListed, p.UsersRead, n)
	}
}

// BenchmarkListUsersPartitioned weighs listing one pool in parallel
// against paging it: the pool is split by `sub ^= "0"` … `sub ^= "f"` (a
// sub is a lower-case UUID, so every user falls in exactly one part), the
// parts are paged concurrently, and the union must hold every seeded user
// exactly once. Every request waits for one shared token bucket, as the
// collector's requests do. The collector itself pages sequentially; this
// benchmark measures what partitioning would buy and at what cost in
// requests.
func BenchmarkListUsersPartitioned(b *testing.B) {
	n := benchUsers(b)
	moto, poolID := seedBenchPool(b, n)
	cases := []struct {
		rtt time.Duration
		rps float64
	}{
		{50 * time.Millisecond, collector.DefaultRateLimits.ListUsers},
		{200 * time.Millisecond, collector.DefaultRateLimits.ListUsers},
		{200 * time.Millisecond, 25},
	}
	for _, tc := range cases {
		for _, parts := range []int{1, 16} {
			b.Run(fmt.Sprintf("users=%d/rtt=%s/rps=%g/parts=%d", n, tc.rtt, tc.rps, parts), func(b *testing.B) {
				proxy := awstest.StartLatencyProxy(b, moto, tc.rtt)
				cfg, err := awstest.Config(context.Background(), proxy.URL, testRegion, 0)
				if err != nil {
					b.Fatal(err)
				}
				c := cip.NewFromConfig(cfg)
				iterations := 0
				for b.Loop() {
					lim := rate.NewLimiter(rate.Limit(tc.rps), 1)
					seen, err := listPartitioned(context.Background(), c, lim, poolID, parts)
					if err != nil {
						b.Fatal(err)
					}
					if len(seen) != n {
						b.Fatalf("listed %d distinct users, want %d", len(seen), n)
					}
					iterations++
				}
				perOp := b.Elapsed().Seconds() / float64(iterations)
				requests := float64(proxy.Calls("ListUsers")) / float64(iterations)
				b.ReportMetric(float64(n)/perOp, "users/s")
				b.ReportMetric(requests, "requests/op")
				b.ReportMetric(requests/perOp, "requests/s")
			})
		}
	}
}

// listPartitioned lists poolID in parts (1: no filter; 16: one part per
// leading hex digit of sub) and returns each username's count; it fails
// if a user is listed twice.
func listPartitioned(ctx context.Context, c *cip.Client, lim *rate.Limiter, poolID string, parts int) (map[string]int, error) {
	var filters []string
	switch parts {
	case 1:
		filters = []string{""}
	case 16:
		for _, d := range "0123456789abcdef" {
			filters = append(filters, fmt.Sprintf(`sub ^= "%c"`, d))
		}
	default:
		return nil, fmt.Errorf("parts %d: want 1 or 16", parts)
	}
	var (
		mu   sync.Mutex
		seen = map[string]int{}
		dup  string
		wg   sync.WaitGroup
	)
	errs := make(chan error, len(filters))
	for _, f := range filters {
		wg.Go(func() {
			in := &cip.ListUsersInput{UserPoolId: aws.String(poolID), Limit: aws.Int32(60)}
			if f != "" {
				in.Filter = aws.String(f)
			}
			pager := cip.NewListUsersPaginator(c, in)
			for pager.HasMorePages() {
				if err := lim.Wait(ctx); err != nil {
					errs <- err
					return
				}
				out, err := pager.NextPage(ctx)
				if err != nil {
					errs <- fmt.Errorf("ListUsers %q: %w", f, err)
					return
				}
				mu.Lock()
				for _, u := range out.Users {
					name := aws.ToString(u.Username)
					if seen[name]++; seen[name] > 1 {
						dup = name
					}
				}
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	close(errs)
	if err := <-errs; err != nil {
		return nil, err
	}
	if dup != "" {
		return nil, fmt.Errorf("user %q listed more than once", dup)
	}
	return seen, nil
}
