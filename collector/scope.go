package collector

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"regexp"
	"slices"
	"strings"
	"sync"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials/stscreds"
	"github.com/aws/aws-sdk-go-v2/service/sts"

	"github.com/recoverscan/recoverscan/collector/glob"
	"github.com/recoverscan/recoverscan/collector/snapshot"
)

// DefaultSessionName is the RoleSessionName of assumed roles unless an
// Account sets one; it shows in the scanned account's CloudTrail.
const DefaultSessionName = "recoverscan"

// DefaultScopeConcurrency is how many account × region pairs CollectScope
// collects at once unless the Scope says otherwise.
const DefaultScopeConcurrency = 2

const actAssumeRole = "sts:AssumeRole"

// Account is one AWS account of a Scope and how to reach it: the
// credentials of Profile (or the standard chain), used directly or to
// assume RoleARN.
type Account struct {
	// ID is the account id when it is known before the account is read
	// (accounts of an Organization); else it is the role ARN's, or read
	// with sts:GetCallerIdentity.
	ID string
	// Name labels the account in logs.
	Name        string
	Profile     string
	RoleARN     string
	ExternalID  string
	SessionName string
}

// Label names the account in logs.
func (a Account) Label() string {
	switch {
	case a.Name != "":
		return a.Name
	case a.RoleARN != "":
		return a.RoleARN
	case a.Profile != "":
		return "profile " + a.Profile
	}
	return "default credentials"
}

// describe names the account and how it is reached.
func (a Account) describe() string {
	var how []string
	if a.Profile != "" {
		how = append(how, "profile "+a.Profile)
	}
	if a.RoleARN != "" {
		how = append(how, "role "+a.RoleARN)
	}
	if len(how) == 0 {
		how = append(how, "default credentials")
	}
	if a.Name == "" {
		return strings.Join(how, ", ")
	}
	return a.Name + " (" + strings.Join(how, ", ") + ")"
}

// roleAccountRE finds the account id in a role ARN.
var roleAccountRE = regexp.MustCompile(`^arn:[a-z-]+:iam::([0-9]{12}):role/`)

// KnownID is the account id known before the account is read: ID, else
// the role ARN's, else "".
func (a Account) KnownID() string {
	if a.ID != "" {
		return a.ID
	}
	return a.roleAccount()
}

// roleAccount is the account id in the role ARN, or "".
func (a Account) roleAccount() string {
	if m := roleAccountRE.FindStringSubmatch(a.RoleARN); m != nil {
		return m[1]
	}
	return ""
}

// AccountConfig returns base with the credentials of acct: base's own when
// acct has no RoleARN, else those of assuming the role with base's
// credentials (sts:AssumeRole with acct's ExternalID and SessionName),
// cached and refreshed before they expire.
func AccountConfig(base aws.Config, acct Account) aws.Config {
	if acct.RoleARN == "" {
		return base
	}
	cfg := base.Copy()
	session := acct.SessionName
	if session == "" {
		session = DefaultSessionName
	}
	provider := stscreds.NewAssumeRoleProvider(sts.NewFromConfig(base), acct.RoleARN, func(o *stscreds.AssumeRoleOptions) {
		o.RoleSessionName = session
		if acct.ExternalID != "" {
			o.ExternalID = aws.String(acct.ExternalID)
		}
	})
	cfg.Credentials = aws.NewCredentialsCache(provider)
	return cfg
}

// PoolPatterns select pools by id or name with glob patterns (package
// glob: * any run of characters, ? any one, [a-z] classes).
type PoolPatterns struct {
	// Include: a pool is scanned when its id or name matches one of
	// them; empty means every pool.
	Include []string
	// Exclude: a pool whose id or name matches one of them is not
	// scanned, even when included.
	Exclude []string
}

// Empty reports whether p selects every pool.
func (p PoolPatterns) Empty() bool { return len(p.Include) == 0 && len(p.Exclude) == 0 }

// Match reports whether the pool with id and name is selected.
func (p PoolPatterns) Match(id, name string) bool {
	matchAny := func(patterns []string) bool {
		for _, pat := range patterns {
			if glob.Match(pat, id) || (name != "" && glob.Match(pat, name)) {
				return true
			}
		}
		return false
	}
	if len(p.Include) > 0 && !matchAny(p.Include) {
		return false
	}
	return !matchAny(p.Exclude)
}

// cognitoRegions are the regions of the aws partition where Amazon Cognito
// user pools are offered: the cognito-idp endpoints of the partition
// metadata in aws-sdk-go-v2/service/cognitoidentityprovider
// (internal/endpoints/endpoints.go, v1.61.0), without the fips- aliases.
// That package is internal and cannot be imported, so the list is kept
// here; update it when the SDK module is upgraded. us-east-1 comes first
// because the account's identity is read in the first region, and
// us-east-1 is never an opt-in region. GovCloud, China and the European
// Sovereign Cloud are other partitions, with other credentials: name
// their regions explicitly.
var cognitoRegions = []string{
	"us-east-1",
	"af-south-1",
	"ap-east-1",
	"ap-east-2",
	"ap-northeast-1",
	"ap-northeast-2",
	"ap-northeast-3",
	"ap-south-1",
	"ap-south-2",
	"ap-southeast-1",
	"ap-southeast-2",
	"ap-southeast-3",
	"ap-southeast-4",
	"ap-southeast-5",
	"ap-southeast-6",
	"ap-southeast-7",
	"ca-central-1",
	"ca-west-1",
	"eu-central-1",
	"eu-central-2",
	"eu-north-1",
	"eu-south-1",
	"eu-south-2",
	"eu-west-1",
	"eu-west-2",
	"eu-west-3",
	"il-central-1",
	"me-central-1",
	"me-south-1",
	"mx-central-1",
	"sa-east-1",
	"us-east-2",
	"us-west-1",
	"us-west-2",
}

// CognitoRegions returns the regions "all regions" means: every region of
// the aws partition where Cognito user pools are offered, us-east-1 first.
func CognitoRegions() []string {
	return append([]string(nil), cognitoRegions...)
}

// Scope is what one run collects: several accounts, each in the same
// regions, optionally only some pools.
type Scope struct {
	// Accounts to collect, in order. Empty means one account: the
	// credentials LoadConfig("") gives.
	Accounts []Account
	// Regions to collect in every account, in order, unless AllRegions.
	Regions []string
	// AllRegions collects in CognitoRegions. A region the account has
	// not enabled (an opt-in region: Cognito answers
	// UnrecognizedClientException or OptInRequired while the account's
	// credentials work elsewhere) is recorded with pools_read
	// not_applicable, not as a problem.
	AllRegions bool
	// Organization, when set, adds the accounts of an AWS Organization
	// after Accounts (see Organization); an account Accounts already
	// names by id is not scanned twice.
	Organization *Organization
	// Pools selects pools by id or name.
	Pools PoolPatterns
	// Concurrency is how many account × region pairs are collected at
	// once; default DefaultScopeConcurrency.
	Concurrency int
	// LoadConfig loads the base AWS configuration of a shared-config
	// profile ("" for the standard credential chain). Required.
	LoadConfig func(ctx context.Context, profile string) (aws.Config, error)
}

// RegionList returns the regions the scope collects.
func (s Scope) RegionList() []string {
	if s.AllRegions {
		return CognitoRegions()
	}
	return s.Regions
}

// ScopeResult says how a CollectScope went.
type ScopeResult struct {
	// FailedAccounts are the labels of accounts whose credentials could
	// not be obtained (profile missing, role not assumable): they are in
	// the snapshot with their identity_read failed and nothing read.
	FailedAccounts []string
	// Skipped are the accounts of the Organization that were not
	// scanned (suspended, the management account, excluded): not
	// failures.
	Skipped []SkippedAccount
}

// CollectScope writes a complete snapshot of every account and region of
// scope: the header, the accounts in order (each with its regions in
// order), and Close. opts.Regions and opts.PoolFilter are taken from
// scope.
//
// Up to scope.Concurrency account × region pairs are collected at once,
// each into its own temporary file (users stream through it, so memory
// does not grow with them); the files are appended to w in order, as soon
// as those before them are, and removed. An account whose credentials
// fail is recorded (identity_read and every region's pools_read failed)
// and logged, and the others are collected. Like Collect, CollectScope
// returns an error only when the snapshot could not be written or ctx
// ended.
func CollectScope(ctx context.Context, scope Scope, opts Options, w *snapshot.Writer) (ScopeResult, error) {
	var res ScopeResult
	opts, err := scope.options(opts)
	if err != nil {
		return res, err
	}
	accounts, skipped, err := scope.Resolve(ctx)
	if err != nil {
		return res, err
	}
	res.Skipped = skipped
	for _, sk := range skipped {
		opts.Logger.Info("account of the organization not scanned", "account", sk.ID, "name", sk.Name, "reason", sk.Reason)
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	run := newScopeRun(&scope, accounts, opts)
	var wg sync.WaitGroup
	run.start(ctx, &wg, scope.concurrency())
	defer func() {
		cancel()
		wg.Wait()
		run.remove()
	}()
	err = run.write(ctx, w, &res)
	return res, err
}

// options are opts with what the scope decides: its regions and pool
// filter, and a logger.
func (s *Scope) options(opts Options) (Options, error) {
	if s.LoadConfig == nil {
		return opts, errors.New("collector: Scope.LoadConfig is required")
	}
	opts.Regions = s.RegionList()
	opts.PoolIDs = nil
	if !s.Pools.Empty() {
		opts.PoolFilter = s.Pools.Match
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	return opts, opts.validate()
}

// Resolve returns the accounts the scope covers, in order: Accounts (none
// and no Organization: the account of the standard credential chain),
// then the Organization's accounts that Accounts does not name by id; and
// the Organization's accounts that are skipped. Listing the organization
// needs LoadConfig; an error there is returned.
func (s *Scope) Resolve(ctx context.Context) ([]Account, []SkippedAccount, error) {
	if s.Organization == nil {
		if len(s.Accounts) == 0 {
			return []Account{{}}, nil, nil
		}
		return s.Accounts, nil, nil
	}
	if s.LoadConfig == nil {
		return nil, nil, errors.New("collector: Scope.LoadConfig is required")
	}
	cfg, err := s.LoadConfig(ctx, s.Organization.Profile)
	if err != nil {
		return nil, nil, fmt.Errorf("organization: AWS configuration: %w", err)
	}
	org, err := ListOrganization(ctx, cfg, *s.Organization)
	if err != nil {
		return nil, nil, fmt.Errorf("organization: %w", err)
	}
	accounts := slices.Clone(s.Accounts)
	named := map[string]bool{}
	for _, a := range accounts {
		if id := a.KnownID(); id != "" {
			named[id] = true
		}
	}
	skipped := org.Skipped
	for _, a := range org.Accounts {
		if named[a.ID] {
			skipped = append(skipped, SkippedAccount{ID: a.ID, Name: a.Name, Reason: SkipListed})
			continue
		}
		accounts = append(accounts, a)
	}
	return accounts, skipped, nil
}

// concurrency is how many account × region pairs are collected at once.
func (s *Scope) concurrency() int {
	if s.Concurrency <= 0 {
		return DefaultScopeConcurrency
	}
	return s.Concurrency
}

// scopeRun is one CollectScope: an account state per account, and a task
// per account and region, accounts in order, each with its regions in
// order.
type scopeRun struct {
	opts    Options
	all     bool // the scope's AllRegions
	states  []*scopeAccount
	tasks   []*scopeTask
	regions int
}

func newScopeRun(scope *Scope, accounts []Account, opts Options) *scopeRun {
	r := &scopeRun{opts: opts, all: scope.AllRegions, regions: len(opts.Regions)}
	r.states = make([]*scopeAccount, len(accounts))
	for i, acct := range accounts {
		r.states[i] = &scopeAccount{acct: acct, scope: scope, opts: opts, log: opts.Logger.With("account", acct.Label())}
		for _, region := range opts.Regions {
			r.tasks = append(r.tasks, &scopeTask{acct: r.states[i], region: region, done: make(chan struct{})})
		}
	}
	return r
}

// start runs the tasks in order, at most concurrency at once, until ctx
// ends; wg counts the goroutines.
func (r *scopeRun) start(ctx context.Context, wg *sync.WaitGroup, concurrency int) {
	wg.Go(func() {
		sem := make(chan struct{}, concurrency)
		for _, t := range r.tasks {
			select {
			case sem <- struct{}{}:
			case <-ctx.Done():
				t.err = ctx.Err()
				close(t.done)
				continue
			}
			wg.Go(func() {
				defer func() { <-sem }()
				defer close(t.done)
				t.run(ctx)
			})
		}
	})
}

// write writes the snapshot: the header, then each account's regions as
// their tasks finish, in order, then Close. Failed accounts go to res.
func (r *scopeRun) write(ctx context.Context, w *snapshot.Writer, res *ScopeResult) error {
	if err := w.Begin(Header(r.opts)); err != nil {
		return fmt.Errorf("write snapshot: %w", err)
	}
	for i, st := range r.states {
		if err := r.writeAccount(ctx, w, st, r.tasks[i*r.regions:(i+1)*r.regions], res); err != nil {
			return err
		}
	}
	if err := w.Close(); err != nil {
		return fmt.Errorf("write snapshot: %w", err)
	}
	return nil
}

// writeAccount writes one account: its identity once its first region is
// done, then its regions in order, each removed once appended.
func (r *scopeRun) writeAccount(ctx context.Context, w *snapshot.Writer, st *scopeAccount, tasks []*scopeTask, res *ScopeResult) error {
	for j, t := range tasks {
		select {
		case <-t.done:
		case <-ctx.Done():
			return ctx.Err()
		}
		if t.err != nil {
			return t.err
		}
		if j == 0 {
			if st.failed != nil {
				res.FailedAccounts = append(res.FailedAccounts, st.acct.Label())
			}
			if err := w.BeginAccount(st.id, st.identity); err != nil {
				return fmt.Errorf("write snapshot: %w", err)
			}
		}
		if err := t.appendTo(w, r.all); err != nil {
			return err
		}
		t.remove()
	}
	if err := w.EndAccount(); err != nil {
		return fmt.Errorf("write snapshot: %w", err)
	}
	return nil
}

// remove deletes the temporary files that are left.
func (r *scopeRun) remove() {
	for _, t := range r.tasks {
		t.remove()
	}
}

// scopeAccount is one account of a CollectScope: its credentials and
// identity are set up once, by whichever of its regions starts first.
type scopeAccount struct {
	acct  Account
	scope *Scope
	opts  Options
	log   *slog.Logger

	once     sync.Once
	a        *account // nil when failed
	id       string
	identity snapshot.Source
	failed   error
}

func (s *scopeAccount) prepare(ctx context.Context) {
	s.once.Do(func() {
		s.id = s.acct.KnownID()
		action := actGetCallerIdentity
		if s.acct.RoleARN != "" {
			action = actAssumeRole
		}
		base, err := s.scope.LoadConfig(ctx, s.acct.Profile)
		if err != nil {
			s.fail(snapshot.Source{Status: snapshot.SourceError, Action: action, Error: redact("AWS configuration: " + err.Error())}, err)
			return
		}
		cfg := AccountConfig(base, s.acct)
		if cfg.Credentials == nil {
			err := errors.New("no credentials")
			s.fail(snapshot.Source{Status: snapshot.SourceError, Action: action, Error: err.Error()}, err)
			return
		}
		if _, err := cfg.Credentials.Retrieve(ctx); err != nil {
			if ctx.Err() != nil {
				s.failed = ctx.Err()
				return
			}
			s.fail(failed(action, err), err)
			return
		}
		opts := s.opts
		opts.Logger = s.log
		s.a = newAccount(cfg, opts)
		id, identity := s.a.identity(ctx)
		if id == "" {
			id = s.acct.KnownID()
		}
		s.a.id, s.id, s.identity = id, id, identity
	})
}

// fail records that the account's credentials could not be obtained.
func (s *scopeAccount) fail(src snapshot.Source, err error) {
	if src.Status == snapshot.SourceOK {
		src.Status = snapshot.SourceError
	}
	// The account id may be unknown: name the account in the text.
	src.Error = redact("account " + s.acct.describe() + ": " + src.Error)
	s.identity, s.failed = src, err
	s.log.Error("account not scanned: its credentials could not be obtained", "status", string(src.Status), "action", src.Action, "error", src.Error)
}

const actGetCallerIdentity = "sts:GetCallerIdentity"

// scopeTask is one account and region of a CollectScope.
type scopeTask struct {
	acct   *scopeAccount
	region string
	done   chan struct{}

	// Set by run before done closes.
	file string // the region as a one-region snapshot
	err  error  // the snapshot could not be written, or ctx ended
}

func (t *scopeTask) run(ctx context.Context) {
	s := t.acct
	s.prepare(ctx)
	if err := ctx.Err(); err != nil {
		t.err = err
		return
	}
	if s.a == nil {
		return // failed account: appendTo writes a placeholder region
	}
	f, err := os.CreateTemp("", "recoverscan-region-*.json")
	if err != nil {
		t.err = fmt.Errorf("temporary file: %w", err)
		return
	}
	t.file = f.Name()
	tw := snapshot.NewWriter(f)
	err = tw.Begin(Header(s.opts))
	if err == nil {
		err = tw.BeginAccount(s.id, s.identity)
	}
	if err == nil {
		err = s.a.collectRegion(ctx, t.region, tw)
	}
	if err == nil {
		err = tw.EndAccount()
	}
	if err == nil {
		err = tw.Close()
	}
	if cerr := f.Close(); err == nil && cerr != nil {
		err = fmt.Errorf("write snapshot: %w", cerr)
	}
	t.err = err
}

// appendTo writes the task's region into w.
func (t *scopeTask) appendTo(w *snapshot.Writer, allRegions bool) error {
	s := t.acct
	if s.a == nil {
		reg := snapshot.Region{Name: t.region, PoolsRead: snapshot.Source{
			Status: s.identity.Status, Action: actListUserPools,
			Error: "not read: the account's credentials could not be obtained (see its identity_read)",
		}}
		if err := w.BeginRegion(reg); err != nil {
			return fmt.Errorf("write snapshot: %w", err)
		}
		if err := w.EndRegion(); err != nil {
			return fmt.Errorf("write snapshot: %w", err)
		}
		return nil
	}
	f, err := os.Open(t.file)
	if err != nil {
		return fmt.Errorf("temporary file: %w", err)
	}
	defer f.Close()
	regions := 0
	err = snapshot.Walk(f, snapshot.Visitor{
		Region: func(_ *snapshot.Account, r *snapshot.Region) error {
			regions++
			reg := *r
			if s.identity.OK() && notEnabled(reg.PoolsRead) {
				reg.PoolsRead = regionNotEnabled(reg.PoolsRead, allRegions)
				s.log.Info("region not enabled for the account", "region", reg.Name, "recorded_as", string(reg.PoolsRead.Status))
			}
			return w.BeginRegion(reg)
		},
		Pool: func(p *snapshot.PoolSettings) error { return w.BeginPool(*p) },
		User: func(u *snapshot.User) error { return w.WriteUser(u) },
		PoolEnd: func(_ *snapshot.PoolSettings, read snapshot.Source, listed int64) error {
			return w.EndPool(read, listed)
		},
	})
	if err == nil && regions != 1 {
		err = fmt.Errorf("%d regions in the temporary snapshot of %s", regions, t.region)
	}
	if err != nil {
		return fmt.Errorf("write snapshot: %w", err)
	}
	if err := w.EndRegion(); err != nil {
		return fmt.Errorf("write snapshot: %w", err)
	}
	return nil
}

// remove deletes the task's temporary file, if any.
func (t *scopeTask) remove() {
	if t.file != "" {
		_ = os.Remove(t.file)
		t.file = ""
	}
}

// notEnabled reports whether a ListUserPools failure says the region is
// not enabled for the account: an opt-in region answers requests signed
// with the account's (otherwise working) credentials with
// UnrecognizedClientException ("The security token included in the
// request is invalid"); some services answer OptInRequired.
func notEnabled(src snapshot.Source) bool {
	if src.Status == snapshot.SourceOK || src.Action != actListUserPools {
		return false
	}
	return strings.Contains(src.Error, "UnrecognizedClientException") || strings.Contains(src.Error, "OptInRequired")
}

// regionNotEnabled is the pools_read of a region the account has not
// enabled: not applicable when the scope asked for all regions (the
// account cannot have pools there), unavailable when the region was named.
func regionNotEnabled(src snapshot.Source, allRegions bool) snapshot.Source {
	status := snapshot.SourceUnavailable
	if allRegions {
		status = snapshot.SourceNotApplicable
	}
	return snapshot.Source{Status: status, Action: src.Action, Error: "region not enabled for the account (opt-in region): " + src.Error}
}
