package collector

import (
	"context"
	"errors"
	"fmt"
	"math"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsmiddleware "github.com/aws/aws-sdk-go-v2/aws/middleware"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/smithy-go/middleware"
	"golang.org/x/time/rate"
)

// RateLimits caps the request rate per account and region for each Cognito
// quota category the collector uses, in requests per second. Cognito's
// quotas are shared with the account's production traffic, so the defaults
// stay well below them. Zero fields take the defaults.
type RateLimits struct {
	ListUsers  float64 // UserList category (quota 30): ListUsers
	PoolRead   float64 // UserPoolRead (quota 15): ListUserPools, DescribeUserPool, GetUserPoolMfaConfig
	ClientRead float64 // UserPoolClientRead (quota 15, 5 per pool): ListUserPoolClients, DescribeUserPoolClient
	UserRead   float64 // UserRead (quota 120): AdminGetUser
	Messaging  float64 // SNS and SES reads
}

// DefaultRateLimits are the limits used for zero fields of RateLimits.
var DefaultRateLimits = RateLimits{ListUsers: 10, PoolRead: 5, ClientRead: 5, UserRead: 20, Messaging: 5}

func (l RateLimits) withDefaults() RateLimits {
	d := DefaultRateLimits
	if env, err := RateLimitsFromEnv(); err == nil {
		// A malformed value keeps the defaults, the slower choice; a
		// caller that wants to reject it calls RateLimitsFromEnv first.
		d = env.over(d)
	}
	return l.over(d)
}

// RateLimitsEnv names the environment variable that replaces the default
// rate limits: comma-separated CATEGORY=RPS pairs, the categories named as
// the fields of RateLimits, e.g. "ListUsers=20,PoolRead=8" (for an account
// whose quotas were raised, or to go gentler than the defaults). Fields set
// in Options.Limits take precedence over it.
const RateLimitsEnv = "RECOVERSCAN_RATE_LIMITS"

// RateLimitsFromEnv parses $RECOVERSCAN_RATE_LIMITS (see RateLimitsEnv);
// unset or empty gives zero limits (the defaults).
func RateLimitsFromEnv() (RateLimits, error) {
	s := strings.TrimSpace(os.Getenv(RateLimitsEnv))
	if s == "" {
		return RateLimits{}, nil
	}
	l, err := ParseRateLimits(s)
	if err != nil {
		return RateLimits{}, fmt.Errorf("$%s: %w", RateLimitsEnv, err)
	}
	return l, nil
}

// ParseRateLimits parses comma-separated CATEGORY=RPS pairs, the
// categories named as the fields of RateLimits (case does not matter) and
// each rate a positive number of requests per second. Categories not
// named are zero.
func ParseRateLimits(s string) (RateLimits, error) {
	var l RateLimits
	fields := map[string]*float64{
		"listusers": &l.ListUsers, "poolread": &l.PoolRead, "clientread": &l.ClientRead,
		"userread": &l.UserRead, "messaging": &l.Messaging,
	}
	for pair := range strings.SplitSeq(s, ",") {
		name, value, found := strings.Cut(strings.TrimSpace(pair), "=")
		f, known := fields[strings.ToLower(strings.TrimSpace(name))]
		if !found || !known {
			return RateLimits{}, fmt.Errorf("%q: want CATEGORY=RPS with CATEGORY one of ListUsers, PoolRead, ClientRead, UserRead, Messaging", pair)
		}
		v, err := strconv.ParseFloat(strings.TrimSpace(value), 64)
		if err != nil || !(v > 0) || math.IsInf(v, 1) {
			return RateLimits{}, fmt.Errorf("%q: the rate must be a positive number of requests per second", pair)
		}
		*f = v
	}
	return l, nil
}

// over returns l with its zero fields taken from d.
func (l RateLimits) over(d RateLimits) RateLimits {
	pick := func(v, def float64) float64 {
		if v > 0 {
			return v
		}
		return def
	}
	return RateLimits{
		ListUsers:  pick(l.ListUsers, d.ListUsers),
		PoolRead:   pick(l.PoolRead, d.PoolRead),
		ClientRead: pick(l.ClientRead, d.ClientRead),
		UserRead:   pick(l.UserRead, d.UserRead),
		Messaging:  pick(l.Messaging, d.Messaging),
	}
}

// limiters holds one token bucket per quota category for one region of
// one account; every client for that region shares it.
type limiters struct {
	listUsers, poolRead, clientRead, userRead, messaging *rate.Limiter
}

func newLimiters(l RateLimits) *limiters {
	mk := func(rps float64) *rate.Limiter { return rate.NewLimiter(rate.Limit(rps), 1) }
	return &limiters{
		listUsers:  mk(l.ListUsers),
		poolRead:   mk(l.PoolRead),
		clientRead: mk(l.ClientRead),
		userRead:   mk(l.UserRead),
		messaging:  mk(l.Messaging),
	}
}

// forOperation returns the limiter for an operation name as the SDK
// reports it.
func (l *limiters) forOperation(service, op string) *rate.Limiter {
	if service != "Cognito Identity Provider" {
		return l.messaging
	}
	switch op {
	case "ListUsers":
		return l.listUsers
	case "ListUserPoolClients", "DescribeUserPoolClient":
		return l.clientRead
	case "AdminGetUser":
		return l.userRead
	default:
		return l.poolRead
	}
}

// rateLimitMiddleware waits for the operation's limiter before every
// attempt, retries included: it sits after the retry middleware.
type rateLimitMiddleware struct{ l *limiters }

func (rateLimitMiddleware) ID() string { return "recoverscan.RateLimit" }

func (m rateLimitMiddleware) HandleFinalize(ctx context.Context, in middleware.FinalizeInput, next middleware.FinalizeHandler) (middleware.FinalizeOutput, middleware.Metadata, error) {
	lim := m.l.forOperation(awsmiddleware.GetServiceID(ctx), awsmiddleware.GetOperationName(ctx))
	if err := lim.Wait(ctx); err != nil {
		return middleware.FinalizeOutput{}, middleware.Metadata{}, err
	}
	if clk := attemptClockFrom(ctx); clk != nil {
		start := time.Now()
		defer func() { clk.add(time.Since(start)) }()
	}
	return next.HandleFinalize(ctx, in)
}

// Retry timing, the SDK's defaults. Tests lower the backoff and turn off
// adaptive mode's client-side pacing (which drops to 0.5 requests per
// second after a throttle) so that injected faults do not take seconds
// each; the attempts and their outcome are unchanged.
var (
	retryMaxBackoff = retry.DefaultMaxBackoff
	adaptivePacing  = true
)

// DefaultMaxAttempts is the number of attempts per request (first try plus
// retries) when neither Options nor the AWS config set one.
const DefaultMaxAttempts = 5

// regionConfig returns cfg for one region with the collector's retryer and
// rate limiting installed.
func regionConfig(cfg aws.Config, region string, maxAttempts int, l *limiters, callTimeout time.Duration) aws.Config {
	c := cfg.Copy()
	c.Region = region
	c.RetryMaxAttempts = maxAttempts
	c.RetryMode = aws.RetryModeAdaptive
	// Adaptive mode backs off client-side when throttled, which is what a
	// scanner sharing quotas with production traffic should do.
	c.Retryer = func() aws.Retryer {
		return retry.NewAdaptiveMode(func(o *retry.AdaptiveModeOptions) {
			if !adaptivePacing {
				o.RequestCost = 0
			}
			o.StandardOptions = append(o.StandardOptions, func(so *retry.StandardOptions) {
				so.MaxAttempts = maxAttempts
				so.MaxBackoff = retryMaxBackoff
			})
		})
	}
	c.APIOptions = append(append([]func(*middleware.Stack) error(nil), cfg.APIOptions...),
		func(s *middleware.Stack) error {
			mw := rateLimitMiddleware{l}
			if err := s.Finalize.Insert(mw, "Retry", middleware.After); err != nil {
				if err := s.Finalize.Add(mw, middleware.After); err != nil {
					return err
				}
			}
			// Innermost, so the rate limiter's wait does not count.
			return s.Finalize.Add(attemptTimeout{callTimeout}, middleware.After)
		})
	return c
}

// DefaultCallTimeout bounds one attempt of one AWS call: a page that never
// answers fails that source (recorded, never a silently short list) instead
// of hanging the scan.
const DefaultCallTimeout = 60 * time.Second

// attemptTimeout gives each attempt of a call its own deadline.
type attemptTimeout struct{ d time.Duration }

func (attemptTimeout) ID() string { return "recoverscanAttemptTimeout" }

func (m attemptTimeout) HandleFinalize(ctx context.Context, in middleware.FinalizeInput, next middleware.FinalizeHandler) (middleware.FinalizeOutput, middleware.Metadata, error) {
	if m.d <= 0 {
		return next.HandleFinalize(ctx, in)
	}
	ctx, cancel := context.WithTimeout(ctx, m.d)
	defer cancel()
	out, md, err := next.HandleFinalize(ctx, in)
	if err != nil && errors.Is(ctx.Err(), context.DeadlineExceeded) {
		err = fmt.Errorf("no answer within %s: %w", m.d, err)
	}
	return out, md, err
}
