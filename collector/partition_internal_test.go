package collector

import (
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/recoverscan/recoverscan/collector/snapshot"
)

func TestSubPrefixesCover(t *testing.T) {
	for _, n := range []int{1, 2} {
		p := subPrefixes(n)
		if want := map[int]int{1: 16, 2: 256}[n]; len(p) != want {
			t.Fatalf("subPrefixes(%d): %d prefixes, want %d", n, len(p), want)
		}
		if err := checkCover(p); err != nil {
			t.Errorf("subPrefixes(%d): %v", n, err)
		}
	}
	// A mixed cover is a cover too: "0" whole, "1" split in two digits.
	mixed := append([]string{"0"}, subPrefixes(2)[16:]...)
	if err := checkCover(mixed); err != nil {
		t.Errorf("mixed cover: %v", err)
	}
}

func TestCheckCoverRejects(t *testing.T) {
	one := subPrefixes(1)
	for name, tc := range map[string]struct {
		prefixes []string
		want     string
	}{
		"a digit missing":     {one[:15], `no partition holds the subs that begin with "f0"`},
		"overlap":             {append(append([]string(nil), one...), "3a"), `2 partitions hold the subs that begin with "3a"`},
		"a digit twice":       {append(append([]string(nil), one...), "7"), `2 partitions hold the subs that begin with "70"`},
		"upper case":          {append(append([]string(nil), one[:10]...), "A", "B", "C", "D", "E", "F"), `"A" is not`},
		"three digits":        {append(append([]string(nil), one...), "abc"), `"abc" is not`},
		"empty prefix":        {[]string{""}, `"" is not`},
		"no partitions":       {nil, "no partition holds"},
		"a non-hex partition": {append(append([]string(nil), one...), "g"), `"g" is not`},
	} {
		err := checkCover(tc.prefixes)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: checkCover = %v, want an error with %q", name, err, tc.want)
		}
	}
}

func TestIsLowerUUID(t *testing.T) {
	for s, want := range map[string]bool{
		"3f2b8c1e-9a4d-4c7e-8b1a-2d3e4f5a6b7c":  true,
		"00000000-0000-0000-0000-000000000000":  true,
		"3F2B8C1E-9A4D-4C7E-8B1A-2D3E4F5A6B7C":  false, // upper case
		"3f2b8c1e9a4d4c7e8b1a2d3e4f5a6b7c":      false, // no hyphens
		"3f2b8c1e-9a4d-4c7e-8b1a-2d3e4f5a6b7":   false,
		"3f2b8c1e-9a4d-4c7e-8b1a-2d3e4f5a6b7cd": false,
		"g f2b8c1e-9a4d-4c7e-8b1a-2d3e4f5a6b7":  false,
		"":                                      false,
		"user0001":                              false,
	} {
		if got := isLowerUUID(s); got != want {
			t.Errorf("isLowerUUID(%q) = %v, want %v", s, got, want)
		}
	}
}

func TestPlan(t *testing.T) {
	big := &snapshot.PoolSettings{EstimatedUsers: 1_000_000}
	acct := func(rate float64, mode listingMode, filter string) *account {
		return newAccount(aws.Config{}, Options{Limits: RateLimits{ListUsers: rate}, listing: mode, UserFilter: filter})
	}
	for _, tc := range []struct {
		name     string
		a        *account
		pool     *snapshot.PoolSettings
		latency  time.Duration
		uuids    bool
		parts    int // 0: sequential
		workers  int
		whyMatch string
	}{
		{"R·L ≤ 1: sequential reaches the rate", acct(10, listAuto, ""), big, 50 * time.Millisecond, true, 0, 0, "sequential paging is the fastest"},
		{"latency unknown", acct(10, listAuto, ""), big, 0, true, 0, 0, "sequential paging is the fastest"},
		{"R·L a little above 1, small pool", acct(10, listAuto, ""), &snapshot.PoolSettings{EstimatedUsers: 1000}, 110 * time.Millisecond, true, 0, 0, "sequential"},
		{"R·L a little above 1, big pool", acct(10, listAuto, ""), big, 110 * time.Millisecond, true, 16, 4, "16 partitions"},
		{"R=10, 150 ms", acct(10, listAuto, ""), big, 150 * time.Millisecond, true, 16, 4, "16 partitions"},
		{"R=10, 300 ms", acct(10, listAuto, ""), big, 300 * time.Millisecond, true, 16, 7, "16 partitions"},
		{"R=30, 300 ms: 16 suffice", acct(30, listAuto, ""), big, 300 * time.Millisecond, true, 16, 16, "16 partitions"},
		{"R=100, 300 ms: two-digit partitions", acct(100, listAuto, ""), big, 300 * time.Millisecond, true, 256, 61, "256 partitions"},
		{"R=100, 300 ms, too small for 256", acct(100, listAuto, ""), &snapshot.PoolSettings{EstimatedUsers: 5000}, 300 * time.Millisecond, true, 16, 16, "16 partitions"},
		{"R=1000, 1 s: capped", acct(1000, listAuto, ""), big, time.Second, true, 256, maxListWorkers, "256 partitions"},
		{"small pool", acct(10, listPartitioned, ""), &snapshot.PoolSettings{EstimatedUsers: 120}, time.Second, true, 0, 0, "two pages"},
		{"user filter", acct(10, listPartitioned, `username = "x"`), big, time.Second, true, 0, 0, "one filter"},
		{"a sub that is not a UUID", acct(10, listPartitioned, ""), big, time.Second, false, 0, 0, "not a lower-case UUID"},
		{"forced sequential", acct(10, listSequential, ""), big, time.Second, true, 0, 0, "requested"},
		{"forced partitioned, low latency", acct(10, listPartitioned, ""), big, time.Millisecond, true, 16, 2, "16 partitions"},
	} {
		pl := tc.a.plan(tc.pool, tc.latency, tc.uuids)
		if len(pl.prefixes) != tc.parts || pl.workers != tc.workers || !strings.Contains(pl.why, tc.whyMatch) {
			t.Errorf("%s: %d partitions, %d workers (%s); want %d, %d, %q", tc.name, len(pl.prefixes), pl.workers, pl.why, tc.parts, tc.workers, tc.whyMatch)
		}
	}
}
