package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/spf13/cobra"

	conffile "github.com/recoverscan/recoverscan/cmd/recoverscan/internal/config"
	"github.com/recoverscan/recoverscan/collector"
	"github.com/recoverscan/recoverscan/collector/snapshot"
)

// awsFlags select what to collect and how to reach AWS.
type awsFlags struct {
	regions []string
	pools   []string
	profile string
	withMFA bool
	// pseudonymize replaces usernames and subs with a keyed hash.
	pseudonymize bool
	keyFile      string // --pseudonym-key-file
	key          []byte // the pseudonym key, once load checked it
	callTimeout  time.Duration
	timeout      time.Duration
	rateLimits   string // --rate-limits
	limits       collector.RateLimits
	// scope, when set, is the configuration file's scan section, used
	// because no --region or --pool was given, or because --account was.
	scope *conffile.Scan
	// account is --account: one account of the scan section.
	account string
}

// pseudonymKeyEnv names the environment variable holding the key that
// --pseudonymize hashes usernames and subs with.
const pseudonymKeyEnv = "RECOVERSCAN_PSEUDONYM_KEY"

func (f *awsFlags) register(cmd *cobra.Command) {
	cmd.Flags().StringArrayVar(&f.regions, "region", nil, "AWS region to scan (repeatable, or comma-separated: us-east-1,eu-west-1)")
	cmd.Flags().StringArrayVar(&f.pools, "pool", nil, "only this user pool id (repeatable, or comma-separated; default: every pool in the region)")
	cmd.Flags().StringVar(&f.profile, "profile", "", "AWS shared-config profile (default: the standard credential chain)")
	cmd.Flags().BoolVar(&f.pseudonymize, "pseudonymize", false, "replace usernames and subs with a keyed hash (key from $"+pseudonymKeyEnv+" or --pseudonym-key-file), so a snapshot or report can be shared; the same key gives the same pseudonyms")
	cmd.Flags().StringVar(&f.keyFile, "pseudonym-key-file", "", "file holding the --pseudonymize key (when $"+pseudonymKeyEnv+" is unset)")
	cmd.Flags().DurationVar(&f.callTimeout, "call-timeout", collector.DefaultCallTimeout, "give up on one AWS call attempt after this long (the source is recorded as unread)")
	cmd.Flags().DurationVar(&f.timeout, "timeout", 0, "give up on the whole collection after this long (0: no limit); nothing partial is written")
	cmd.Flags().StringVar(&f.rateLimits, "rate-limits", "", "request rates per Cognito quota category, shared by every pool of an account and region,\nas CATEGORY=RPS pairs: ListUsers, PoolRead, ClientRead, UserRead, Messaging\n(e.g. ListUsers=20; default ListUsers=10,PoolRead=5,ClientRead=5,UserRead=20,Messaging=5, or $"+collector.RateLimitsEnv+")")
	cmd.Flags().BoolVar(&f.withMFA, "with-mfa", false, "read each user's MFA settings with AdminGetUser where a verdict depends on them\n(counts towards monthly active users; without it such verdicts are indeterminate)")
}

// registerAccount adds --account, which narrows the scan section to one
// account (one job of a GitHub Actions matrix).
func (f *awsFlags) registerAccount(cmd *cobra.Command) {
	cmd.Flags().StringVar(&f.account, "account", "", "scan only this account of the configuration's scan section: its id, name or profile, as 'recoverscan accounts' lists it\n(with --region: only those regions of it); an organization's account is reached directly, without listing the organization")
}

// regionPattern is the shape of an AWS region name: us-east-1,
// us-gov-west-1, cn-north-1, eusc-de-east-1.
var regionPattern = regexp.MustCompile(`^[a-z]{2,4}(-[a-z]+)+-[0-9]{1,2}$`)

// poolIDPattern is the shape of a user pool id: the region, "_", then
// letters and digits.
var poolIDPattern = regexp.MustCompile(`^([a-z0-9-]+)_[0-9a-zA-Z]+$`)

// parseLists splits comma-separated --region and --pool values and checks
// each: a malformed region or pool id is a usage error, not a scan that
// then fails to reach it.
func (f *awsFlags) parseLists() error {
	var err error
	if f.regions, err = splitList("--region", f.regions, func(r string) error {
		if !regionPattern.MatchString(r) {
			return errors.New("a region looks like us-east-1")
		}
		return nil
	}); err != nil {
		return err
	}
	f.pools, err = splitList("--pool", f.pools, func(id string) error {
		m := poolIDPattern.FindStringSubmatch(id)
		if m == nil || len(id) > 55 || !regionPattern.MatchString(m[1]) {
			return errors.New("a user pool id looks like us-east-1_AbCdEf123")
		}
		return nil
	})
	return err
}

// splitList splits the values of a repeatable flag at commas, drops
// duplicates and checks each with valid.
func splitList(flag string, values []string, valid func(string) error) ([]string, error) {
	var out []string
	seen := map[string]bool{}
	for _, v := range values {
		for _, item := range strings.Split(v, ",") {
			item = strings.TrimSpace(item)
			if item == "" {
				return nil, &flagError{fmt.Errorf("%s %q: empty item in the list", flag, v)}
			}
			if err := valid(item); err != nil {
				return nil, &flagError{fmt.Errorf("%s %q: %w", flag, item, err)}
			}
			if !seen[item] {
				seen[item] = true
				out = append(out, item)
			}
		}
	}
	return out, nil
}

// resolveRegions fills the regions from --pool ids (whose prefix is their
// region) when no --region was given.
func (f *awsFlags) resolveRegions() error {
	if len(f.regions) > 0 {
		return nil
	}
	seen := map[string]bool{}
	for _, id := range f.pools {
		region, _, ok := strings.Cut(id, "_")
		if !ok || region == "" {
			return &flagError{fmt.Errorf("--pool %q: a user pool id looks like us-east-1_AbCdEf123", id)}
		}
		if !seen[region] {
			seen[region] = true
			f.regions = append(f.regions, region)
		}
	}
	if len(f.regions) == 0 {
		return &flagError{errors.New("say which regions to scan: --region REGION (repeatable) or --pool POOL-ID")}
	}
	return nil
}

// useConfigScope checks --region and --pool, and takes what to scan from
// the configuration file's scan section when neither was given. It reports
// whether it did.
func (f *awsFlags) useConfigScope(cf *configFlags) (bool, error) {
	if err := f.parseLists(); err != nil {
		return false, err
	}
	if f.account == "" && (len(f.regions) > 0 || len(f.pools) > 0) {
		return false, nil
	}
	if f.account != "" && len(f.pools) > 0 {
		return false, &flagError{errors.New("--pool does not combine with --account: select pools with scan.pools")}
	}
	conf, err := cf.load()
	if err != nil {
		return false, err
	}
	if conf == nil || conf.Scan == nil {
		if f.account != "" {
			return false, &flagError{errors.New("--account selects an account of the configuration's scan section, and there is none (--config FILE)")}
		}
		return false, nil
	}
	if !conf.Scan.AllRegions && len(conf.Scan.Regions) == 0 {
		return false, &exitError{code: exitUsage, err: &conffile.Error{File: conf.Path, Line: conf.Scan.Line, Msg: "scan: say which regions to scan: regions: [us-east-1, ...] or regions: all"}}
	}
	sc := *conf.Scan
	if err := f.narrowRegions(&sc); err != nil {
		return false, err
	}
	f.scope = &sc
	return true, nil
}

// narrowRegions narrows the scan section to the --region flags (given with
// --account), which must be regions of it.
func (f *awsFlags) narrowRegions(sc *conffile.Scan) error {
	if len(f.regions) == 0 {
		return nil
	}
	for _, r := range f.regions {
		if !sc.AllRegions && !slices.Contains(sc.Regions, r) {
			return &flagError{fmt.Errorf("--region %s: not a region of the scan section (%s)", r, strings.Join(sc.Regions, ", "))}
		}
	}
	sc.Regions, sc.AllRegions = f.regions, false
	return nil
}

// configScope is the scan section as a collector.Scope that loads AWS
// configurations the way the command line does (--profile for accounts
// without one), narrowed to --account if given.
func (f *awsFlags) configScope(ctx context.Context) (collector.Scope, error) {
	scope := f.scope.Scope
	home := scope.RegionList()[0]
	scope.LoadConfig = func(ctx context.Context, profile string) (aws.Config, error) {
		if profile == "" {
			profile = f.profile
		}
		opts := []func(*config.LoadOptions) error{config.WithRegion(home)}
		if profile != "" {
			opts = append(opts, config.WithSharedConfigProfile(profile))
		}
		return config.LoadDefaultConfig(ctx, opts...)
	}
	if f.account == "" {
		return scope, nil
	}
	return narrowScope(ctx, scope, f.account)
}

// defaultAccount is how 'recoverscan accounts' and --account name the
// account of the standard credential chain (a scan section without
// accounts or organization).
const defaultAccount = "default"

// accountSelector is how 'recoverscan accounts' and --account name a: its
// id when known, else its name, else its profile.
func accountSelector(a collector.Account) string {
	switch {
	case a.KnownID() != "":
		return a.KnownID()
	case a.Name != "":
		return a.Name
	case a.Profile != "":
		return a.Profile
	}
	return defaultAccount
}

// accountIDPattern is an AWS account id.
var accountIDPattern = regexp.MustCompile(`^[0-9]{12}$`)

// narrowScope narrows scope to the account sel names: an entry of
// Accounts by id, name or profile, or, by id, an account of the
// Organization, reached the way ListOrganization would reach it but
// without listing the organization again (each job of a matrix would).
func narrowScope(ctx context.Context, scope collector.Scope, sel string) (collector.Scope, error) {
	for _, a := range scope.Accounts {
		if sel == a.KnownID() || sel == a.Name || sel == a.Profile {
			scope.Accounts, scope.Organization = []collector.Account{a}, nil
			return scope, nil
		}
	}
	if len(scope.Accounts) == 0 && scope.Organization == nil && sel == defaultAccount {
		return scope, nil
	}
	if scope.Organization == nil || !accountIDPattern.MatchString(sel) {
		return scope, &flagError{fmt.Errorf("--account %s: not an account of the scan section (see recoverscan accounts)", sel)}
	}
	org := *scope.Organization
	cfg, err := scope.LoadConfig(ctx, org.Profile)
	if err != nil {
		return scope, &exitError{code: exitIncomplete, err: fmt.Errorf("AWS configuration: %w", err)}
	}
	a, err := collector.ReachOrgAccount(ctx, cfg, org, sel)
	if err != nil {
		return scope, &exitError{code: exitIncomplete, err: err}
	}
	scope.Accounts, scope.Organization = []collector.Account{a}, nil
	return scope, nil
}

// collectFunc writes a snapshot into w and returns the labels of the
// accounts that could not be read.
type collectFunc func(ctx context.Context, w *snapshot.Writer) (failedAccounts []string, err error)

// collector sets up the collection the flags (or the configuration file's
// scan section) ask for. Without a scan section it loads the AWS
// configuration and checks the credentials first, so a missing login is
// one clear error.
func (f *awsFlags) collector(ctx context.Context) (collectFunc, error) {
	if f.scope == nil {
		cfg, err := f.load(ctx)
		if err != nil {
			return nil, err
		}
		return func(ctx context.Context, w *snapshot.Writer) ([]string, error) {
			return nil, collector.Collect(ctx, cfg, f.options(), w)
		}, nil
	}
	key, err := f.pseudonymKey()
	if err != nil {
		return nil, err
	}
	f.key = key
	scope, err := f.configScope(ctx)
	if err != nil {
		return nil, err
	}
	return func(ctx context.Context, w *snapshot.Writer) ([]string, error) {
		res, err := collector.CollectScope(ctx, scope, f.options(), w)
		return res.FailedAccounts, err
	}, nil
}

// load builds the AWS configuration and checks that credentials exist, so a
// missing login is one clear error instead of every source being denied.
func (f *awsFlags) load(ctx context.Context) (aws.Config, error) {
	key, err := f.pseudonymKey()
	if err != nil {
		return aws.Config{}, err
	}
	f.key = key
	if f.limits, err = f.parseRateLimits(); err != nil {
		return aws.Config{}, err
	}
	opts := []func(*config.LoadOptions) error{config.WithRegion(f.regions[0])}
	if f.profile != "" {
		opts = append(opts, config.WithSharedConfigProfile(f.profile))
	}
	cfg, err := config.LoadDefaultConfig(ctx, opts...)
	if err != nil {
		return aws.Config{}, &exitError{code: exitIncomplete, err: fmt.Errorf("AWS configuration: %w", err)}
	}
	if _, err := cfg.Credentials.Retrieve(ctx); err != nil {
		return aws.Config{}, &exitError{code: exitIncomplete, err: fmt.Errorf("no usable AWS credentials (set AWS_PROFILE, run 'aws sso login', or export AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY): %w", err)}
	}
	return cfg, nil
}

// pseudonymKey returns the key for --pseudonymize, or an error when the
// flag is set without one: pseudonyms from a guessable key would not hide
// anything.
func (f *awsFlags) pseudonymKey() ([]byte, error) {
	if !f.pseudonymize {
		return nil, nil
	}
	key := os.Getenv(pseudonymKeyEnv)
	if key == "" && f.keyFile != "" {
		b, err := os.ReadFile(f.keyFile)
		if err != nil {
			return nil, &flagError{fmt.Errorf("--pseudonym-key-file: %w", err)}
		}
		key = strings.TrimSpace(string(b))
	}
	if len(key) < 16 {
		return nil, &flagError{fmt.Errorf("--pseudonymize needs a secret key of at least 16 characters in $%s or --pseudonym-key-file", pseudonymKeyEnv)}
	}
	return []byte(key), nil
}

// parseRateLimits reads --rate-limits, and checks $RECOVERSCAN_RATE_LIMITS
// so that a typo there is an error rather than the defaults.
func (f *awsFlags) parseRateLimits() (collector.RateLimits, error) {
	if _, err := collector.RateLimitsFromEnv(); err != nil {
		return collector.RateLimits{}, &flagError{err}
	}
	if f.rateLimits == "" {
		return collector.RateLimits{}, nil
	}
	l, err := collector.ParseRateLimits(f.rateLimits)
	if err != nil {
		return collector.RateLimits{}, &flagError{fmt.Errorf("--rate-limits: %w", err)}
	}
	return l, nil
}

func (f *awsFlags) options() collector.Options {
	return collector.Options{
		Limits:       f.limits,
		Regions:      f.regions,
		PoolIDs:      f.pools,
		WithMFA:      f.withMFA,
		PseudonymKey: f.key,
		CallTimeout:  f.callTimeout,
		Progress:     newProgress(os.Stderr),
		Version:      version(),
		Logger:       slog.Default(),
	}
}

// deadline applies --timeout to ctx.
func (f *awsFlags) deadline(ctx context.Context) (context.Context, context.CancelFunc) {
	if f.timeout <= 0 {
		return context.WithCancel(ctx)
	}
	return context.WithTimeout(ctx, f.timeout)
}

// collectError explains why a collection stopped: interrupted, out of time,
// or failed. Nothing partial was written in any case.
func collectError(ctx context.Context, err error, wrote string) error {
	switch {
	case errors.Is(ctx.Err(), context.DeadlineExceeded):
		err = fmt.Errorf("collection stopped at the --timeout limit: %w", err)
	case ctx.Err() != nil:
		err = fmt.Errorf("interrupted: %w", err)
	default:
		err = fmt.Errorf("collect: %w", err)
	}
	if wrote != "" {
		err = fmt.Errorf("%w (nothing was written to %s)", err, wrote)
	}
	return &exitError{code: exitIncomplete, err: err}
}
