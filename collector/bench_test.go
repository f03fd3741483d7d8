package collector_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"

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
func seedBenchPool(b testing.TB, n int) (moto, poolID string) {
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
// (DefaultRateLimits.ListUsers pages of 60 a second); with a long rtt
// (rate × rtt above one page) the pool is listed in partitions by sub
// prefix, several pages in flight (BenchmarkListUsers weighs that against
// paging).
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

// BenchmarkListUsers weighs the collector's listing of one big pool, page
// by page (today's sequential listing, forced) against the listing it
// chooses (partitioned by sub prefix when the ListUsers rate times the
// latency exceeds one page in flight), side by side in one run:
//
//	go test ./collector -run '^$' -bench ListUsers -benchtime 1x
//
// The pool is synthetic (awstest.UserListServer, the real awsJson1_1
// protocol: moto creates users a few hundred a second) behind the latency
// proxy, which adds the round trip to every request. Users per second and
// ListUsers requests per second are measured from the first ListUsers
// request to the last answer, so the collection's fixed reads do not
// count; rate% is the requests per second against the configured
// ListUsers rate. RECOVERSCAN_BENCH_LIST_USERS sets the pool size (default
// 12000: 200 pages); RECOVERSCAN_BENCH_LIST_RATES the ListUsers rates
// (default "10,30"; e.g. "100" with 60000 users shows the 256 two-digit
// partitions).
func BenchmarkListUsers(b *testing.B) {
	n := envInt(b, "RECOVERSCAN_BENCH_LIST_USERS", 12000)
	rates := []float64{collector.DefaultRateLimits.ListUsers, 30}
	if s := os.Getenv("RECOVERSCAN_BENCH_LIST_RATES"); s != "" {
		l, err := parseRates(s)
		if err != nil {
			b.Fatalf("RECOVERSCAN_BENCH_LIST_RATES=%q: %v", s, err)
		}
		rates = l
	}
	users := awstest.SyntheticUsers(n)
	srv := awstest.StartUserListServer(b, "us-east-1_Bench1", users)
	for _, rps := range rates {
		for _, rtt := range []time.Duration{50 * time.Millisecond, 150 * time.Millisecond, 300 * time.Millisecond} {
			for _, mode := range []string{"sequential", "auto"} {
				b.Run(fmt.Sprintf("users=%d/rps=%g/rtt=%s/%s", n, rps, rtt, mode), func(b *testing.B) {
					proxy := awstest.StartLatencyProxy(b, srv.URL, rtt)
					ctx := context.Background()
					cfg, err := awstest.Config(ctx, proxy.URL, testRegion, 0)
					if err != nil {
						b.Fatal(err)
					}
					opts := collector.Options{
						Regions: []string{testRegion}, PoolIDs: []string{srv.PoolID}, Version: "bench",
						Limits: collector.RateLimits{ListUsers: rps}, MaxAttempts: 1,
					}
					if mode == "sequential" {
						opts = collector.ListSequentially(opts)
					}
					path := filepath.Join(b.TempDir(), "snap.json")
					var span time.Duration
					var calls int64
					iterations := 0
					for b.Loop() {
						proxy.Reset()
						if err := collectToFile(ctx, cfg, opts, path); err != nil {
							b.Fatal(err)
						}
						span += proxy.Span("ListUsers")
						calls += proxy.Calls("ListUsers")
						iterations++
					}
					secs := span.Seconds()
					b.ReportMetric(float64(n*iterations)/secs, "users/s")
					b.ReportMetric(float64(calls)/secs, "requests/s")
					b.ReportMetric(100*float64(calls)/secs/rps, "rate%")
					b.ReportMetric(float64(calls)/float64(iterations), "requests/op")
					b.ReportMetric(float64(proxy.MaxInFlight()), "max-in-flight")
					checkBenchSnapshot(b, path, n)
				})
			}
		}
	}
}

func envInt(b *testing.B, name string, def int) int {
	b.Helper()
	s := os.Getenv(name)
	if s == "" {
		return def
	}
	n, err := strconv.Atoi(s)
	if err != nil || n <= 0 {
		b.Fatalf("%s=%q: want a positive number", name, s)
	}
	return n
}

func parseRates(s string) ([]float64, error) {
	var out []float64
	for f := range strings.SplitSeq(s, ",") {
		v, err := strconv.ParseFloat(strings.TrimSpace(f), 64)
		if err != nil || !(v > 0) {
			return nil, fmt.Errorf("%q: want positive numbers", f)
		}
		out = append(out, v)
	}
	return out, nil
}
