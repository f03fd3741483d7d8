package collector

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"

	"github.com/recoverscan/recoverscan/collector/snapshot"
)

// collectPool writes one pool: settings, then its users as ListUsers pages
// arrive, then how the listing ended. Only a write failure or the end of
// ctx is returned; a failed listing is recorded and the scan goes on.
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

	ur := a.newUserReader(c, p, j)
	var listed int64
	read := ok(actListUsers)
	// No AttributesToGet: asking for attributes some users lack fails.
	in := &cip.ListUsersInput{UserPoolId: aws.String(p.ID), Limit: aws.Int32(60)}
	if a.opts.UserFilter != "" {
		in.Filter = aws.String(a.opts.UserFilter)
	}
	pager := cip.NewListUsersPaginator(c.cognito, in)
	for pager.HasMorePages() {
		out, err := pager.NextPage(ctx)
		if err != nil {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			read = failed(actListUsers, err)
			a.report(read, "region", p.Region, "pool", p.ID, "users_listed", listed)
			break
		}
		for i := range out.Users {
			u, err := ur.user(ctx, &out.Users[i])
			if err != nil {
				return err
			}
			if err := w.WriteUser(u); err != nil {
				return fmt.Errorf("write snapshot: %w", err)
			}
			listed++
		}
		a.progress(p, listed, false)
	}
	if err := w.EndPool(read, listed); err != nil {
		return fmt.Errorf("write snapshot: %w", err)
	}
	a.progress(p, listed, true)
	return nil
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
	ses  *sesData // nil when the pool has no SES region
	u    snapshot.User
	// mfaFailed notes that an AdminGetUser failure was logged already,
	// so that a denied permission does not log once per user.
	mfaFailed bool
}

func (a *account) newUserReader(c *clients, p *snapshot.PoolSettings, j *joins) *userReader {
	return &userReader{a: a, c: c, pool: p, sms: j.sms[p.SMS.Region], ses: j.ses[p.Email.SESRegion]}
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
		if !r.mfaFailed {
			r.mfaFailed = true
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
