package collector

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync/atomic"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"

	"github.com/recoverscan/recoverscan/collector/snapshot"
)

// collectPool writes one pool: settings, then its users as ListUsers pages
// arrive, then how the listing ended. Only a write failure or the end of
// ctx is returned; a failed listing is recorded and the scan goes on.
//
// The first page is read without a filter (or with the user filter). A
// big pool is then listed in partitions by sub prefix, several at once
// (see partition.go and plan); a small one, one listed with a user filter,
// or one whose first page holds a sub that is not a lower-case UUID is
// paged on sequentially.
//
// A listing is not atomic: users added or removed between its pages can
// make a paged service skip a user or return one again. A user returned
// again within two consecutive pages is written once (a listing whose
// position shifts by less than a page repeats users of the page before),
// and a completed listing is checked against the pool's user count (see
// listingChange): a pool that changed while it was being read is recorded
// as incompletely read, with what changed, rather than as a complete list
// that may be short or hold a user twice. Memory stays bounded by the page
// size times the pages in flight, not the pool's size.
func (a *account) collectPool(ctx context.Context, c *clients, p *snapshot.PoolSettings, j *joins, w *snapshot.Writer) error {
	if err := w.BeginPool(*p); err != nil {
		return fmt.Errorf("write snapshot: %w", err)
	}
	if !p.Read.OK() {
		// Without the pool's settings no user can be judged.
		src := snapshot.Source{Status: snapshot.SourceSkipped, Action: actListUsers, Error: "DescribeUserPool failed"}
		if err := w.EndPool(src, 0); err != nil {
			return fmt.Errorf("write snapshot: %w", err)
		}
		return nil
	}

	l := &poolListing{a: a, c: c, p: p, ur: a.newUserReader(c, p, j), w: w}
	seen := newPageWindow(listUsersPageSize)
	read := ok(actListUsers)
	// No AttributesToGet: asking for attributes some users lack fails.
	in := &cip.ListUsersInput{UserPoolId: aws.String(p.ID), Limit: aws.Int32(listUsersPageSize)}
	if a.opts.UserFilter != "" {
		in.Filter = aws.String(a.opts.UserFilter)
	}
	pager := cip.NewListUsersPaginator(c.cognito, in)
	partitioned := false
	for first := true; pager.HasMorePages(); first = false {
		pctx, clk := ctx, (*attemptClock)(nil)
		if first {
			clk = &attemptClock{}
			pctx = withAttemptClock(ctx, clk)
		}
		out, err := pager.NextPage(pctx)
		if err != nil {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			read = failed(actListUsers, err)
			if _, gone := errors.AsType[*types.ResourceNotFoundException](err); gone {
				read.Error = "the pool was deleted while it was being read: " + read.Error
			}
			a.report(read, "region", p.Region, "pool", p.ID, "users_listed", l.listed)
			break
		}
		l.pages.Add(1)
		uuids := true
		for i := range out.Users {
			if !isLowerUUID(subOf(&out.Users[i])) {
				uuids = false
			}
			if !seen.add(aws.ToString(out.Users[i].Username)) {
				l.repeated++
				continue
			}
			if err := l.write(ctx, l.ur, &out.Users[i]); err != nil {
				return err
			}
		}
		seen.next()
		a.progress(p, l.listed, false)
		if !first || !pager.HasMorePages() {
			continue
		}
		pl := a.plan(p, clk.mean(), uuids)
		if pl.prefixes == nil {
			level := slog.LevelDebug
			switch {
			case !uuids:
				level = slog.LevelWarn
			case a.opts.UserFilter != "":
				level = slog.LevelInfo
			}
			a.log.Log(ctx, level, "listing users sequentially", "region", p.Region, "pool", p.ID, "reason", pl.why)
			continue
		}
		a.log.Debug("listing users in partitions", "region", p.Region, "pool", p.ID, "plan", pl.why)
		l.firstSubs = make(map[string]struct{}, len(out.Users))
		for i := range out.Users {
			l.firstSubs[subOf(&out.Users[i])] = struct{}{}
		}
		read, err = l.listPartitioned(ctx, pl)
		if err != nil {
			return err
		}
		partitioned = true
		break
	}
	if read.OK() {
		change, err := a.listingChange(ctx, c, p, int(l.pages.Load()), l.listed, l.repeated, partitioned)
		if err != nil {
			return err
		}
		if change != "" {
			read = snapshot.Source{Status: snapshot.SourceError, Action: actListUsers, Error: change}
			a.log.Warn("pool changed while it was being read", "region", p.Region, "pool", p.ID,
				"action", read.Action, "status", string(read.Status), "error", read.Error)
		}
	}
	if err := w.EndPool(read, l.listed); err != nil {
		return fmt.Errorf("write snapshot: %w", err)
	}
	a.progress(p, l.listed, true)
	return nil
}

// listUsersPageSize is the Limit of ListUsers requests, Cognito's
// maximum.
const listUsersPageSize = 60

// pageWindow remembers the usernames of the current and the previous
// ListUsers page, so that a user returned again on the next page is
// written once. It holds at most two pages of names: a set of every
// username would grow with the pool.
type pageWindow struct{ prev, cur map[string]struct{} }

func newPageWindow(size int) *pageWindow {
	return &pageWindow{prev: make(map[string]struct{}, size), cur: make(map[string]struct{}, size)}
}

// add reports whether name is new to the window, and adds it.
func (w *pageWindow) add(name string) bool {
	if _, dup := w.prev[name]; dup {
		return false
	}
	if _, dup := w.cur[name]; dup {
		return false
	}
	w.cur[name] = struct{}{}
	return true
}

// next starts a new page.
func (w *pageWindow) next() {
	w.prev, w.cur = w.cur, w.prev
	clear(w.cur)
}

// listingChange checks a completed listing of p that wrote listed users
// in pages pages (partitioned: by sub prefix), after dropping repeated
// users returned again. It
// returns "" when the listing agrees with the pool, and otherwise what
// changed, for the listing's Source.
//
// The pool changed while it was being read when a user was returned
// again, or, for an unfiltered listing, when the listed count differs
// from EstimatedNumberOfUsers as DescribeUserPool reported it when the
// pool's settings were read, or as it reports it again after a listing of
// several pages (a single page is one answer: the count it lists is the
// pool's at that moment). The re-read also catches users removed after
// being listed, or added behind the listing's position. Changes that
// leave every count as it was (as many users added as removed, none
// repeated) cannot be seen.
func (a *account) listingChange(ctx context.Context, c *clients, p *snapshot.PoolSettings, pages int, listed, repeated int64, partitioned bool) (string, error) {
	var facts []string
	changed := repeated > 0
	if a.opts.UserFilter == "" {
		before := p.EstimatedUsers
		after, afterKnown := int64(0), false
		var afterErr string
		if pages > 1 {
			out, err := c.cognito.DescribeUserPool(ctx, &cip.DescribeUserPoolInput{UserPoolId: aws.String(p.ID)})
			switch {
			case err == nil && out.UserPool != nil:
				after, afterKnown = int64(out.UserPool.EstimatedNumberOfUsers), true
			case ctx.Err() != nil:
				return "", ctx.Err()
			default:
				if err == nil {
					err = errors.New("DescribeUserPool returned no pool")
				}
				src := failed(actDescribeUserPool, err)
				afterErr = src.Error
				a.report(src, "region", p.Region, "pool", p.ID, "note", "user count after the listing not read")
			}
		}
		count := fmt.Sprintf("EstimatedNumberOfUsers was %d when the pool's settings were read", before)
		if afterKnown {
			count += fmt.Sprintf(" and %d after the listing", after)
			changed = changed || after != before || listed != after
		} else {
			changed = changed || listed != before
		}
		facts = append(facts, count, listedFact(listed))
		if afterErr != "" {
			facts = append(facts, "the count after the listing could not be read: "+afterErr)
		}
	} else {
		facts = append(facts, listedFact(listed))
	}
	if !changed {
		return "", nil
	}
	if repeated > 0 {
		facts = append(facts, fmt.Sprintf("%d %s returned again on a later page, written once", repeated, plural(repeated, "user", "users")))
	}
	if partitioned {
		facts = append(facts, "listed in partitions by sub prefix")
	}
	return "the pool changed while it was being read: " + strings.Join(facts, "; ") +
		"; users added or removed meanwhile may be missing from the snapshot, or no longer exist", nil
}

func listedFact(listed int64) string {
	return fmt.Sprintf("%d %s listed", listed, plural(listed, "user", "users"))
}

func plural(n int64, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

func (a *account) progress(p *snapshot.PoolSettings, done int64, last bool) {
	if a.opts.Progress == nil {
		return
	}
	a.opts.Progress(ProgressEvent{
		Account: a.id, Region: p.Region, PoolID: p.ID,
		UsersDone: done, EstimatedTotal: p.EstimatedUsers, Done: last,
	})
}

// userReader turns ListUsers entries of one pool into snapshot users.
type userReader struct {
	a    *account
	c    *clients
	pool *snapshot.PoolSettings
	sms  *smsData // nil when the pool's SMS region state was not read
	alt  *smsData // the legacy alternate SNS region's; nil when none
	ses  *sesData // nil when the pool has no SES region
	u    snapshot.User
	// mfaFailed notes that an AdminGetUser failure was logged already,
	// so that a denied permission does not log once per user. The
	// readers of one pool's partitions share it.
	mfaFailed *atomic.Bool
}

func (a *account) newUserReader(c *clients, p *snapshot.PoolSettings, j *joins) *userReader {
	ur := &userReader{a: a, c: c, pool: p, sms: j.sms[p.SMS.Region], ses: j.ses[p.Email.SESRegion], mfaFailed: &atomic.Bool{}}
	if r := p.SMS.AlternateRegion; r != "" {
		ur.alt = j.sms[r]
	}
	return ur
}

// fork returns a reader of the same pool for another goroutine: the
// converted user lives in each reader, the lists it joins are read only.
func (r *userReader) fork() *userReader {
	c := *r
	c.u = snapshot.User{}
	return &c
}

// user converts one listed user. The returned pointer is valid until the
// next call. Raw contact values are used for the joins and dropped.
func (r *userReader) user(ctx context.Context, in *types.UserType) (*snapshot.User, error) {
	u := &r.u
	*u = snapshot.User{
		Username:       aws.ToString(in.Username),
		Status:         string(in.UserStatus),
		Enabled:        in.Enabled,
		CreatedAt:      aws.ToTime(in.UserCreateDate).UTC(),
		LastModifiedAt: aws.ToTime(in.UserLastModifiedDate).UTC(),
	}
	var email, phone string
	for _, at := range in.Attributes {
		v := aws.ToString(at.Value)
		switch aws.ToString(at.Name) {
		case "sub":
			u.Sub = v
		case "email":
			email = v
		case "email_verified":
			u.Email.Verified = v == "true"
		case "phone_number":
			phone = v
		case "phone_number_verified":
			u.Phone.Verified = v == "true"
		}
	}
	if email != "" {
		u.Email.Present = true
		u.Email.Masked = maskEmail(email)
		if r.ses != nil && r.ses.suppressed != nil {
			if reason, found := r.ses.suppressed[strings.ToLower(email)]; found {
				u.Email.Suppressed, u.Email.SuppressionReason = true, reason
			}
		}
		if r.ses != nil {
			u.Email.RecipientVerified = r.ses.recipientVerified(email)
		}
	} else {
		u.Email.Verified = false
	}
	if phone != "" {
		u.Phone.Present = true
		u.Phone.Masked = maskPhone(phone)
		u.Phone.CallingCode, u.Phone.Country = phoneCountry(phone)
		if r.sms != nil {
			key := phoneKey(phone)
			_, u.Phone.OptedOut = r.sms.optedOut[key]
			_, u.Phone.SandboxVerified = r.sms.sandboxVerified[key]
		}
		if r.alt != nil {
			key := phoneKey(phone)
			_, u.Phone.AlternateOptedOut = r.alt.optedOut[key]
			_, u.Phone.AlternateSandboxVerified = r.alt.sandboxVerified[key]
		}
	} else {
		u.Phone.Verified = false
	}

	if err := r.mfa(ctx, u); err != nil {
		return nil, err
	}
	if key := r.a.opts.PseudonymKey; len(key) > 0 {
		u.Username = pseudonym(key, "username", u.Username)
		if u.Sub != "" {
			u.Sub = pseudonym(key, "sub", u.Sub)
		}
	} else {
		// A username shaped like an address or number is contact data.
		u.MaskContactUsername()
	}
	return u, nil
}

// mfaMatters reports whether a user's recovery verdict can depend on their
// MFA factors: only with an AccountRecoverySetting, pool MFA on, and a
// verified attribute whose factor the pool offers (or factor settings
// unknown).
func mfaMatters(p *snapshot.PoolSettings, u *snapshot.User) bool {
	if !p.AccountRecovery.Configured || p.MFA.Configuration == "" || p.MFA.Configuration == string(types.UserPoolMfaTypeOff) {
		return false
	}
	known := p.MFA.Read.OK()
	sms := u.Phone.Present && u.Phone.Verified && (p.MFA.SMSEnabled || !known)
	email := u.Email.Present && u.Email.Verified && (p.MFA.EmailEnabled || !known)
	return sms || email
}

// mfa fills u.MFA, reading AdminGetUser only when it is requested and
// matters.
func (r *userReader) mfa(ctx context.Context, u *snapshot.User) error {
	u.MFA.Read.Action = actAdminGetUser
	switch {
	case !mfaMatters(r.pool, u):
		u.MFA.Read.Status = snapshot.SourceNotApplicable
		return nil
	case !r.a.opts.WithMFA:
		u.MFA.Read.Status = snapshot.SourceSkipped
		return nil
	}
	out, err := r.c.cognito.AdminGetUser(ctx, &cip.AdminGetUserInput{
		UserPoolId: aws.String(r.pool.ID), Username: aws.String(u.Username),
	})
	if err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		u.MFA.Read = failed(actAdminGetUser, err)
		if r.mfaFailed.CompareAndSwap(false, true) {
			r.a.report(u.MFA.Read, "region", r.pool.Region, "pool", r.pool.ID, "note", "further AdminGetUser failures in this pool are not logged")
		}
		return nil
	}
	u.MFA.Read = ok(actAdminGetUser)
	u.MFA.Methods = out.UserMFASettingList
	u.MFA.Preferred = aws.ToString(out.PreferredMfaSetting)
	return nil
}

// pseudonym is a keyed hash of v, stable for one key so that findings can
// still be correlated.
func pseudonym(key []byte, kind, v string) string {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(kind))
	m.Write([]byte{0})
	m.Write([]byte(v))
	return "p-" + hex.EncodeToString(m.Sum(nil)[:16])
}
