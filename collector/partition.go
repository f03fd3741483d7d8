package collector

import (
	"context"
	"errors"
	"fmt"
	"math"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"

	"github.com/recoverscan/recoverscan/collector/snapshot"
)

// Listing a big pool in parallel.
//
// Sequential paging reads one ListUsers page per round trip: at a latency
// L it reaches 1/L pages a second whatever rate R the ListUsers limiter
// allows. ListUsers accepts one filter, and `sub ^= "3"` lists the users
// whose sub begins with 3. A sub is a lower-case UUID, so the 16 prefixes
// 0…f (or the 256 prefixes 00…ff) split a pool into disjoint partitions
// that together hold every user, and the partitions can be paged at once.
// The shared ListUsers limiter paces all of them: with enough partitions
// in flight (R·L of them), the listing runs at R.
//
// The listing is proven complete, or the pool is recorded as incompletely
// read:
//   - the partitions' prefixes are checked to cover every string of two
//     hex digits exactly once (checkCover), so every lower-case UUID
//     falls in exactly one partition;
//   - every user a partition returns must have a lower-case UUID sub that
//     begins with the partition's prefix; a user outside its partition
//     means the endpoint did not apply the filter as documented, and the
//     pool is marked incompletely read;
//   - any partition whose listing fails marks the pool incompletely read;
//   - a user whose sub is not a lower-case UUID could lie outside every
//     partition: when one appears, the users with such subs are listed by
//     a sequential listing of the whole pool (see listPartitioned);
//   - the completed listing is checked against the pool's user count, as
//     a sequential one is (listingChange).
//
// De-duplication with bounded memory: partitions are disjoint, and a
// user's sub never changes, so no user can come from two partitions and
// no set across partitions is needed (one would grow with the pool: some
// 40 MB for a million subs). Within one partition a user can be returned
// again on the next page when the pool changes under the listing, as in a
// sequential listing; each partition keeps the window of its last two
// pages (pageWindow). The users of the unfiltered first page, which are
// written before the partitions start, are remembered (one page of subs)
// and skipped when a partition returns them. Memory stays bounded by the
// pages in flight (one per worker) and two pages of subs per worker.

// hexDigits are the characters a lower-case UUID is written in.
const hexDigits = "0123456789abcdef"

// Tuning of the parallel listing.
const (
	// partitionMinUsers: a pool whose EstimatedNumberOfUsers is at most
	// this (two pages) is listed sequentially; partitions would cost more
	// requests than they save.
	partitionMinUsers = 2 * listUsersPageSize
	// maxListWorkers caps the partitions listed at once.
	maxListWorkers = 64
	// inFlightUse is the share of k partitions in flight counted on when
	// estimating their pace (k/L pages a second at best): latency varies,
	// and the partitions' last pages end unevenly.
	inFlightUse = 0.75
)

// subPrefixes returns the partition prefixes of n hex digits (1 or 2).
func subPrefixes(n int) []string {
	if n <= 1 {
		out := make([]string, len(hexDigits))
		for i := range hexDigits {
			out[i] = hexDigits[i : i+1]
		}
		return out
	}
	out := make([]string, 0, len(hexDigits)*len(hexDigits))
	for i := range hexDigits {
		for j := range hexDigits {
			out = append(out, string([]byte{hexDigits[i], hexDigits[j]}))
		}
	}
	return out
}

// checkCover checks that prefixes (of one or two hex digits each) are
// disjoint and cover every possible first character of a lower-case UUID:
// every string of two hex digits begins with exactly one of them. Every
// lower-case UUID then falls in exactly one partition.
func checkCover(prefixes []string) error {
	for _, p := range prefixes {
		if len(p) < 1 || len(p) > 2 || strings.Trim(p, hexDigits) != "" {
			return fmt.Errorf("partition prefix %q is not one or two lower-case hex digits", p)
		}
	}
	for i := range hexDigits {
		for j := range hexDigits {
			s := string([]byte{hexDigits[i], hexDigits[j]})
			n := 0
			for _, p := range prefixes {
				if strings.HasPrefix(s, p) {
					n++
				}
			}
			switch {
			case n == 0:
				return fmt.Errorf("no partition holds the subs that begin with %q", s)
			case n > 1:
				return fmt.Errorf("%d partitions hold the subs that begin with %q", n, s)
			}
		}
	}
	return nil
}

// isLowerUUID reports whether s is a UUID in lower-case hex, the form of
// every sub Cognito assigns.
func isLowerUUID(s string) bool {
	if len(s) != 36 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch i {
		case 8, 13, 18, 23:
			if c != '-' {
				return false
			}
		default:
			if (c < '0' || c > '9') && (c < 'a' || c > 'f') {
				return false
			}
		}
	}
	return true
}

// subFilter is the ListUsers filter of the partition prefix.
func subFilter(prefix string) string { return `sub ^= "` + prefix + `"` }

// subOf returns a listed user's sub attribute, "" when it has none.
func subOf(u *types.UserType) string {
	for _, at := range u.Attributes {
		if aws.ToString(at.Name) == "sub" {
			return aws.ToString(at.Value)
		}
	}
	return ""
}

// listingMode chooses how pools are listed; tests force one.
type listingMode int

const (
	listAuto        listingMode = iota // partitioned when it pays, see plan
	listSequential                     // always page sequentially
	listPartitioned                    // partition whenever the pool allows it
)

// listPlan is how a pool's listing goes on after its first page.
type listPlan struct {
	prefixes []string // nil: sequentially
	workers  int
	why      string // why it is sequential, or how it is partitioned
}

// plan decides how to list p after its first page, which took latency
// (the round trip, without waiting for the limiter) and held only
// lower-case UUID subs when uuids.
//
// At ListUsers rate R and latency L, sequential paging reaches
// min(R, 1/L) pages a second, and k partitions in flight min(R, k/L), so
// the listing needs R·L partitions in flight to reach R. Partitions cost
// requests, though: each ends with a partial page. plan estimates the
// time of the pool's pages (from EstimatedNumberOfUsers) sequentially, in
// the 16 one-digit partitions and in the 256 two-digit ones, and takes
// the fastest. The workers (partitions listed at once) are twice R·L plus
// one, at least two and at most maxListWorkers: the limiter paces them,
// so extra workers only wait, and the headroom absorbs latency jitter and
// the unequal ends of the partitions.
func (a *account) plan(p *snapshot.PoolSettings, latency time.Duration, uuids bool) listPlan {
	mode := a.opts.listing
	switch {
	case mode == listSequential:
		return listPlan{why: "sequential listing requested"}
	case a.opts.UserFilter != "":
		return listPlan{why: "a user filter is set and ListUsers accepts only one filter"}
	case !uuids:
		return listPlan{why: "a sub that is not a lower-case UUID was listed, so sub prefixes cannot be proven to cover the pool"}
	case p.EstimatedUsers <= partitionMinUsers:
		return listPlan{why: fmt.Sprintf("EstimatedNumberOfUsers %d is at most two pages", p.EstimatedUsers)}
	}
	r, l := a.opts.Limits.ListUsers, latency.Seconds()
	pages := math.Ceil(float64(p.EstimatedUsers) / listUsersPageSize)
	workers := min(int(math.Ceil(2*r*l))+1, maxListWorkers)
	// pace is the pages a second k requests in flight reach.
	pace := func(k float64) float64 {
		if l <= 0 {
			return r
		}
		return min(r, k/l)
	}
	seconds := func(partitions int) float64 {
		k := float64(max(min(workers, partitions), 2))
		return (pages + float64(partitions)) / pace(inFlightUse*k)
	}
	sequential, coarse, fine := pages/pace(1), seconds(16), seconds(256)
	rates := fmt.Sprintf("ListUsers %g/s at %s a page", r, latency.Round(time.Millisecond))
	if mode == listAuto && sequential <= min(coarse, fine) {
		return listPlan{why: fmt.Sprintf("sequential paging is the fastest (%s)", rates)}
	}
	digits := 1
	if fine < coarse {
		digits = 2
	}
	prefixes := subPrefixes(digits)
	workers = max(min(workers, len(prefixes)), 2)
	return listPlan{
		prefixes: prefixes, workers: workers,
		why: fmt.Sprintf("%d partitions by sub prefix, %d at once (%s)", len(prefixes), workers, rates),
	}
}

// poolListing is the state of one pool's listing shared by its
// partitions. mu serialises writes: the snapshot writer is not safe for
// concurrent use.
type poolListing struct {
	a  *account
	c  *clients
	p  *snapshot.PoolSettings
	ur *userReader
	w  *snapshot.Writer

	mu       sync.Mutex
	listed   int64
	repeated int64
	fatal    error           // a write failure or the end of ctx
	read     snapshot.Source // the first listing failure; Status "" while none

	pages     atomic.Int64 // ListUsers pages read
	nonUUID   atomic.Bool  // a partition returned a sub that is not a lower-case UUID
	firstSubs map[string]struct{}
}

// write converts and writes one listed user. The conversion (and any
// AdminGetUser it makes, under the limiter) runs outside the lock.
func (l *poolListing) write(ctx context.Context, ur *userReader, in *types.UserType) error {
	u, err := ur.user(ctx, in)
	if err != nil {
		return err
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.fatal != nil {
		return l.fatal
	}
	if err := l.w.WriteUser(u); err != nil {
		l.fatal = fmt.Errorf("write snapshot: %w", err)
		return l.fatal
	}
	l.listed++
	return nil
}

func (l *poolListing) progress() {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.a.progress(l.p, l.listed, false)
}

// failPartition records the first failure of a partition.
func (l *poolListing) failPartition(src snapshot.Source) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.read.Status == "" {
		l.read = src
	}
}

// listPartitioned lists the pool by the plan's partitions, the first
// page's users written already, and returns how the listing ended. Only
// a write failure or the end of ctx is returned as an error.
func (l *poolListing) listPartitioned(ctx context.Context, pl listPlan) (snapshot.Source, error) {
	if err := checkCover(pl.prefixes); err != nil {
		// Cannot happen with subPrefixes; never list on an unproven cover.
		return snapshot.Source{}, fmt.Errorf("partitions of pool %s: %w", l.p.ID, err)
	}
	lctx, cancel := context.WithCancel(ctx)
	defer cancel()
	queue := make(chan string, len(pl.prefixes))
	for _, pfx := range pl.prefixes {
		queue <- pfx
	}
	close(queue)
	var wg sync.WaitGroup
	for range pl.workers {
		ur := l.ur.fork()
		wg.Go(func() {
			for pfx := range queue {
				if lctx.Err() != nil {
					return
				}
				if err := l.partition(lctx, ur, pfx); err != nil {
					l.mu.Lock()
					if l.fatal == nil && ctx.Err() == nil {
						l.fatal = err
					}
					l.mu.Unlock()
					cancel()
					return
				}
				l.mu.Lock()
				failedNow := l.read.Status != ""
				l.mu.Unlock()
				if failedNow {
					cancel()
					return
				}
			}
		})
	}
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return snapshot.Source{}, err
	}
	if l.fatal != nil {
		return snapshot.Source{}, l.fatal
	}
	if l.read.Status != "" {
		return l.read, nil
	}
	if l.nonUUID.Load() {
		return l.listOthers(ctx)
	}
	return ok(actListUsers), nil
}

// partition lists the users whose sub begins with pfx. A listing failure
// is recorded with failPartition and ends the partition with nil; an
// error is a write failure or the end of ctx.
func (l *poolListing) partition(ctx context.Context, ur *userReader, pfx string) error {
	filter := subFilter(pfx)
	in := &cip.ListUsersInput{UserPoolId: aws.String(l.p.ID), Limit: aws.Int32(listUsersPageSize), Filter: aws.String(filter)}
	pager := cip.NewListUsersPaginator(l.c.cognito, in)
	seen := newPageWindow(listUsersPageSize)
	for pager.HasMorePages() {
		out, err := pager.NextPage(ctx)
		if err != nil {
			if ctx.Err() != nil {
				// Another partition failed, or the scan ends: the caller
				// tells which.
				return nil
			}
			src := failed(actListUsers, err)
			src.Error = "partition " + filter + ": " + src.Error
			if _, gone := errors.AsType[*types.ResourceNotFoundException](err); gone {
				src.Error = "the pool was deleted while it was being read: " + src.Error
			}
			l.a.report(src, "region", l.p.Region, "pool", l.p.ID, "partition", filter)
			l.failPartition(src)
			return nil
		}
		l.pages.Add(1)
		for i := range out.Users {
			u := &out.Users[i]
			sub := subOf(u)
			switch {
			case !isLowerUUID(sub):
				// Listed by listOthers, with every such user.
				l.nonUUID.Store(true)
				continue
			case !strings.HasPrefix(sub, pfx):
				src := snapshot.Source{Status: snapshot.SourceError, Action: actListUsers, Error: fmt.Sprintf(
					"partition %s returned a user whose sub does not begin with %q: the endpoint did not apply the filter, so the partitions cannot be proven to hold every user once", filter, pfx)}
				l.a.report(src, "region", l.p.Region, "pool", l.p.ID, "partition", filter)
				l.failPartition(src)
				return nil
			}
			if _, first := l.firstSubs[sub]; first {
				continue // written with the first page
			}
			if !seen.add(sub) {
				l.mu.Lock()
				l.repeated++
				l.mu.Unlock()
				continue
			}
			if err := l.write(ctx, ur, u); err != nil {
				if ctx.Err() != nil {
					return nil
				}
				return err
			}
		}
		seen.next()
		l.progress()
	}
	return nil
}

// listOthers lists the whole pool sequentially and writes the users whose
// sub is not a lower-case UUID: the partitions, complete, hold every
// other user and wrote them, so together the two write every user once.
func (l *poolListing) listOthers(ctx context.Context) (snapshot.Source, error) {
	l.a.log.Warn("a sub that is not a lower-case UUID was listed: listing the pool sequentially for the users whose sub is not one",
		"region", l.p.Region, "pool", l.p.ID)
	in := &cip.ListUsersInput{UserPoolId: aws.String(l.p.ID), Limit: aws.Int32(listUsersPageSize)}
	pager := cip.NewListUsersPaginator(l.c.cognito, in)
	seen := newPageWindow(listUsersPageSize)
	for pager.HasMorePages() {
		out, err := pager.NextPage(ctx)
		if err != nil {
			if ctx.Err() != nil {
				return snapshot.Source{}, ctx.Err()
			}
			src := failed(actListUsers, err)
			src.Error = "sequential listing of the users whose sub is not a lower-case UUID: " + src.Error
			l.a.report(src, "region", l.p.Region, "pool", l.p.ID)
			return src, nil
		}
		l.pages.Add(1)
		for i := range out.Users {
			u := &out.Users[i]
			if isLowerUUID(subOf(u)) {
				continue
			}
			if !seen.add(aws.ToString(u.Username)) {
				l.repeated++
				continue
			}
			if err := l.write(ctx, l.ur, u); err != nil {
				return snapshot.Source{}, err
			}
		}
		seen.next()
		l.progress()
	}
	return ok(actListUsers), nil
}

// attemptClock measures the time ListUsers attempts take without the
// limiter's wait: a context carrying one has the rate limit middleware
// add each attempt's duration.
type attemptClock struct {
	mu    sync.Mutex
	total time.Duration
	n     int
}

type attemptClockKey struct{}

func withAttemptClock(ctx context.Context, c *attemptClock) context.Context {
	return context.WithValue(ctx, attemptClockKey{}, c)
}

func attemptClockFrom(ctx context.Context) *attemptClock {
	c, _ := ctx.Value(attemptClockKey{}).(*attemptClock)
	return c
}

func (c *attemptClock) add(d time.Duration) {
	c.mu.Lock()
	c.total += d
	c.n++
	c.mu.Unlock()
}

// mean is the mean attempt duration; 0 when none was measured.
func (c *attemptClock) mean() time.Duration {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.n == 0 {
		return 0
	}
	return c.total / time.Duration(c.n)
}
