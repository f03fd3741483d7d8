// Package collector reads Amazon Cognito user pools and the account's SMS
// (SNS) and email (SES) state through the AWS SDK and writes them as a
// snapshot (package snapshot).
//
// The collector only calls read operations (List, Describe, Get). A source
// that cannot be read (access denied, not offered by the endpoint,
// throttled) is recorded in the snapshot and never stops the scan. End-user
// email addresses and phone numbers stay in memory only long enough to join
// them against the account's lists; the snapshot keeps masked forms.
package collector

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/pinpointsmsvoicev2"
	"github.com/aws/aws-sdk-go-v2/service/sesv2"
	"github.com/aws/aws-sdk-go-v2/service/sns"
	"github.com/aws/aws-sdk-go-v2/service/sts"

	"github.com/recoverscan/recoverscan/collector/snapshot"
)

// ToolName is the name written into snapshot headers.
const ToolName = "recoverscan"

// Options configure a collection.
type Options struct {
	// Regions to scan; at least one.
	Regions []string
	// PoolIDs restricts the scan to these pools (each read with
	// DescribeUserPool in every region of Regions whose prefix it
	// carries). Empty means every pool ListUserPools returns.
	PoolIDs []string
	// PoolFilter, if set, keeps only the pools ListUserPools returns that
	// it accepts, by id and name (see PoolPatterns). Pools named in
	// PoolIDs are read regardless.
	PoolFilter func(id, name string) bool
	// WithMFA reads each user's MFA settings with AdminGetUser when the
	// user's recovery verdict depends on them. AdminGetUser counts
	// towards monthly active users, so it is opt-in; without it those
	// users' mfa.read is "skipped".
	WithMFA bool
	// Version is the tool version recorded in the header.
	Version string
	// Now gives the snapshot time, which also fixes the month whose SMS
	// spend is read; default time.Now.
	Now func() time.Time
	// Logger receives diagnostics; default discards them. Contact data
	// is never logged.
	Logger *slog.Logger
	// Progress, if set, is called as users are listed.
	Progress func(ev ProgressEvent)
	// UserFilter, if set, is a ListUsers filter expression (see
	// UserFilter) that limits the users listed, e.g. to explain one user.
	UserFilter string
	// PseudonymKey, if set, replaces usernames and subs with a keyed
	// hash so that a snapshot can be shared.
	PseudonymKey []byte
	// MaxAttempts bounds the attempts per request (first try plus
	// retries). Zero takes the AWS config's RetryMaxAttempts (which
	// AWS_MAX_ATTEMPTS sets), else DefaultMaxAttempts.
	MaxAttempts int
	// CallTimeout bounds each attempt of an AWS call; default
	// DefaultCallTimeout, negative for none.
	CallTimeout time.Duration
	// Concurrency is how many pools' settings are read at once; default 4.
	Concurrency int
	// Limits caps request rates; zero fields take DefaultRateLimits.
	// The ListUsers rate also sets how many partitions of a big pool are
	// listed at once (see partition.go).
	Limits RateLimits

	// listing forces sequential or partitioned listing (tests).
	listing listingMode
}

// ProgressEvent reports progress listing a pool's users.
type ProgressEvent struct {
	Account string
	Region  string
	PoolID  string
	// UsersDone is how many users of the pool have been written.
	UsersDone int64
	// EstimatedTotal is the pool's EstimatedNumberOfUsers (0 if unknown).
	EstimatedTotal int64
	// Done is true on the pool's last event.
	Done bool
}

func (o Options) validate() error {
	if len(o.Regions) == 0 {
		return errors.New("collector: at least one region is required")
	}
	for _, r := range o.Regions {
		if r == "" {
			return errors.New("collector: empty region name")
		}
	}
	for _, id := range o.PoolIDs {
		if r := poolRegion(id); !slices.Contains(o.Regions, r) {
			return fmt.Errorf("collector: pool %q is not in any of the regions %v", id, o.Regions)
		}
	}
	return nil
}

// Header returns the snapshot header for a collection with opts.
func Header(opts Options) snapshot.Header {
	now := time.Now
	if opts.Now != nil {
		now = opts.Now
	}
	return snapshot.Header{
		SchemaVersion: snapshot.SchemaVersion,
		TakenAt:       now().UTC(),
		Tool:          snapshot.Tool{Name: ToolName, Version: opts.Version},
		Pseudonymized: len(opts.PseudonymKey) > 0,
	}
}

// Collect writes a complete snapshot of the account cfg's credentials
// belong to: the header, the account, and Close. cfg is an AWS config
// loaded by the caller (config.LoadDefaultConfig honours AWS_ENDPOINT_URL);
// its region is not used, opts.Regions are.
//
// Collect returns an error only when the snapshot could not be written or
// ctx ended; AWS read failures are recorded in the snapshot.
func Collect(ctx context.Context, cfg aws.Config, opts Options, w *snapshot.Writer) error {
	if err := opts.validate(); err != nil {
		return err
	}
	if err := w.Begin(Header(opts)); err != nil {
		return fmt.Errorf("write snapshot: %w", err)
	}
	if err := CollectAccount(ctx, cfg, opts, w); err != nil {
		return err
	}
	if err := w.Close(); err != nil {
		return fmt.Errorf("write snapshot: %w", err)
	}
	return nil
}

// CollectAccount writes one account into a snapshot whose header the
// caller has written (use Header), so that several accounts can go into
// one snapshot.
func CollectAccount(ctx context.Context, cfg aws.Config, opts Options, w *snapshot.Writer) error {
	if err := opts.validate(); err != nil {
		return err
	}
	a := newAccount(cfg, opts)
	id, identity := a.identity(ctx)
	a.id = id
	if err := w.BeginAccount(id, identity); err != nil {
		return fmt.Errorf("write snapshot: %w", err)
	}
	for _, region := range opts.Regions {
		if err := a.collectRegion(ctx, region, w); err != nil {
			return err
		}
	}
	if err := w.EndAccount(); err != nil {
		return fmt.Errorf("write snapshot: %w", err)
	}
	return nil
}

// account holds what is shared while collecting one account: clients and
// rate limiters per region, and the messaging state already read (pools
// of several regions may send through the same SNS or SES region).
type account struct {
	cfg         aws.Config
	opts        Options
	log         *slog.Logger
	maxAttempts int
	id          string

	mu      sync.Mutex
	clients map[string]*clients
	sms     map[string]*smsData
	ses     map[string]*sesData
	idents  map[[2]string]snapshot.EmailIdentity
	// configSets are the SES configuration sets read, by region and name.
	configSets map[[2]string]snapshot.ConfigurationSet
}

func newAccount(cfg aws.Config, opts Options) *account {
	log := opts.Logger
	if log == nil {
		log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	if opts.Concurrency <= 0 {
		opts.Concurrency = 4
	}
	opts.Limits = opts.Limits.withDefaults()
	n := opts.MaxAttempts
	if n <= 0 {
		n = cfg.RetryMaxAttempts
	}
	if n <= 0 {
		n = DefaultMaxAttempts
	}
	return &account{
		cfg: cfg, opts: opts, log: log, maxAttempts: n,
		clients: map[string]*clients{},
		sms:     map[string]*smsData{},
		ses:     map[string]*sesData{},
		idents:  map[[2]string]snapshot.EmailIdentity{},

		configSets: map[[2]string]snapshot.ConfigurationSet{},
	}
}

// clients are the service clients of one region. They share one set of
// rate limiters, because Cognito quotas are per account and region.
type clients struct {
	cfg        aws.Config
	cognito    *cip.Client
	sns        *sns.Client
	ses        *sesv2.Client
	cloudwatch *cloudwatch.Client
	// smsVoice is AWS End User Messaging SMS (pinpoint-sms-voice-v2).
	smsVoice *pinpointsmsvoicev2.Client
}

// clientsFor returns the clients for region.
func (a *account) clientsFor(region string) *clients {
	a.mu.Lock()
	defer a.mu.Unlock()
	if c, found := a.clients[region]; found {
		return c
	}
	timeout := a.opts.CallTimeout
	if timeout == 0 {
		timeout = DefaultCallTimeout
	}
	cfg := regionConfig(a.cfg, region, a.maxAttempts, newLimiters(a.opts.Limits), timeout)
	c := &clients{
		cfg:        cfg,
		cognito:    cip.NewFromConfig(cfg),
		sns:        sns.NewFromConfig(cfg),
		ses:        sesv2.NewFromConfig(cfg),
		cloudwatch: cloudwatch.NewFromConfig(cfg),
		smsVoice:   pinpointsmsvoicev2.NewFromConfig(cfg),
	}
	a.clients[region] = c
	return c
}

// now is the collection's clock (Options.Now, else time.Now).
func (a *account) now() time.Time {
	if a.opts.Now != nil {
		return a.opts.Now()
	}
	return time.Now()
}

// identity reads the account id with sts:GetCallerIdentity.
func (a *account) identity(ctx context.Context) (string, snapshot.Source) {
	const action = "sts:GetCallerIdentity"
	out, err := sts.NewFromConfig(a.clientsFor(a.opts.Regions[0]).cfg).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	if err != nil {
		src := failed(action, err)
		a.report(src)
		return "", src
	}
	return aws.ToString(out.Account), ok(action)
}

// report logs a source that was not read.
func (a *account) report(src snapshot.Source, attrs ...any) {
	if src.OK() || src.Status == snapshot.SourceSkipped || src.Status == snapshot.SourceNotApplicable {
		return
	}
	args := append([]any{"action", src.Action, "status", string(src.Status), "error", src.Error}, attrs...)
	a.log.Warn("source not read", args...)
}

// UserFilter returns the ListUsers filter that finds one user by username,
// or by sub when the value looks like one.
func UserFilter(user string) string {
	attr := "username"
	if looksLikeSub(user) {
		attr = "sub"
	}
	escaped := strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(user)
	return fmt.Sprintf(`%s = "%s"`, attr, escaped)
}

// looksLikeSub reports whether s has the shape of a Cognito sub (a UUID).
func looksLikeSub(s string) bool {
	if len(s) != 36 {
		return false
	}
	for i, c := range s {
		switch {
		case i == 8 || i == 13 || i == 18 || i == 23:
			if c != '-' {
				return false
			}
		case !strings.ContainsRune("0123456789abcdefABCDEF", c):
			return false
		}
	}
	return true
}
