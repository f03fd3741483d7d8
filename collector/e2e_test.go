package collector_test

import (
	"bytes"
	"context"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/recoverscan/recoverscan/collector"
	"github.com/recoverscan/recoverscan/collector/awstest"
	"github.com/recoverscan/recoverscan/collector/snapshot"
)

const testRegion = "us-east-1"

var fixedNow = time.Date(2026, 11, 5, 10, 0, 0, 0, time.UTC)

// loadEnvConfig points the standard AWS config chain at endpoint, as a user would
// with AWS_ENDPOINT_URL, and loads it the way the CLI does.
func loadEnvConfig(t *testing.T, endpoint string, maxAttempts string) aws.Config {
	t.Helper()
	t.Setenv("AWS_ENDPOINT_URL", endpoint)
	t.Setenv("AWS_ACCESS_KEY_ID", "testing")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "testing")
	t.Setenv("AWS_SESSION_TOKEN", "")
	t.Setenv("AWS_REGION", testRegion)
	t.Setenv("AWS_PROFILE", "")
	t.Setenv("AWS_CONFIG_FILE", t.TempDir()+"/none")
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", t.TempDir()+"/none")
	t.Setenv("AWS_MAX_ATTEMPTS", maxAttempts)
	cfg, err := config.LoadDefaultConfig(context.Background())
	if err != nil {
		t.Fatalf("load AWS config: %v", err)
	}
	return cfg
}

// seed starts moto and seeds the fixture world.
func seed(t *testing.T) (moto string, w *awstest.World) {
	t.Helper()
	moto = awstest.StartMoto(t)
	ctx := context.Background()
	cfg, err := awstest.Config(ctx, moto, testRegion, 1)
	if err != nil {
		t.Fatal(err)
	}
	w, err = awstest.SeedWorld(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	return moto, w
}

// schema is the compiled snapshot JSON Schema.
var schema = sync.OnceValues(func() (*jsonschema.Schema, error) {
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(snapshot.Schema))
	if err != nil {
		return nil, err
	}
	c := jsonschema.NewCompiler()
	c.DefaultDraft(jsonschema.Draft7)
	c.AssertFormat()
	if err := c.AddResource("snapshot.schema.json", doc); err != nil {
		return nil, err
	}
	return c.Compile("snapshot.schema.json")
})

func validateSchema(b []byte) error {
	sch, err := schema()
	if err != nil {
		return err
	}
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(b))
	if err != nil {
		return err
	}
	return sch.Validate(inst)
}

// result is one collection's output.
type result struct {
	raw  []byte
	logs string
	snap *snapshot.Snapshot
}

// collect runs Collect against endpoint, with AWS_MAX_ATTEMPTS=1 so that
// unimplemented operations are not retried, and reads the snapshot back.
func collect(t *testing.T, endpoint string, opts collector.Options) *result {
	t.Helper()
	return collectAttempts(t, endpoint, opts, "1")
}

// collectAttempts is collect with the SDK making up to maxAttempts
// attempts of each call.
func collectAttempts(t *testing.T, endpoint string, opts collector.Options, maxAttempts string) *result {
	t.Helper()
	cfg := loadEnvConfig(t, endpoint, maxAttempts)
	if opts.Regions == nil {
		opts.Regions = []string{testRegion}
	}
	opts.Version = "test"
	if opts.Limits == (collector.RateLimits{}) {
		// Fast limits; the StandIn case runs with the defaults.
		opts.Limits = collector.RateLimits{ListUsers: 500, PoolRead: 500, ClientRead: 500, UserRead: 500, Messaging: 500}
	}
	opts.Now = func() time.Time { return fixedNow }
	var logs bytes.Buffer
	opts.Logger = slog.New(slog.NewTextHandler(&logs, nil))
	var buf bytes.Buffer
	w := snapshot.NewWriter(&buf)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	if err := collector.Collect(ctx, cfg, opts, w); err != nil {
		t.Fatalf("Collect: %v\nlogs:\n%s", err, logs.String())
	}
	if err := validateSchema(buf.Bytes()); err != nil {
		t.Fatalf("snapshot does not match snapshot.schema.json: %v", err)
	}
	snap, err := snapshot.Read(bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatalf("read snapshot back: %v\n%s", err, buf.String())
	}
	return &result{raw: buf.Bytes(), logs: logs.String(), snap: snap}
}

// region returns the only region of the only account.
func (r *result) region(t *testing.T) *snapshot.Region {
	t.Helper()
	if len(r.snap.Accounts) != 1 || len(r.snap.Accounts[0].Regions) != 1 {
		t.Fatalf("want one account with one region, got %+v", r.snap.Accounts)
	}
	return &r.snap.Accounts[0].Regions[0]
}

func (r *result) pool(t *testing.T, name string) *snapshot.Pool {
	t.Helper()
	reg := r.region(t)
	for i := range reg.Pools {
		if reg.Pools[i].Name == name {
			return &reg.Pools[i]
		}
	}
	t.Fatalf("pool %q not in snapshot", name)
	return nil
}

func (r *result) user(t *testing.T, pool, username string) *snapshot.User {
	t.Helper()
	p := r.pool(t, pool)
	for i := range p.Users {
		if p.Users[i].Username == username {
			return &p.Users[i]
		}
	}
	t.Fatalf("user %q not in pool %q", username, pool)
	return nil
}

func wantStatus(t *testing.T, what string, src snapshot.Source, want snapshot.SourceStatus, action string) {
	t.Helper()
	if src.Status != want || src.Action != action {
		t.Errorf("%s: got %s/%s (%s), want %s/%s", what, src.Status, src.Action, src.Error, want, action)
	}
}

// TestCollect runs the collector through the real SDK against one seeded
// moto, with and without the stand-in for the operations moto lacks.
func TestCollect(t *testing.T) {
	moto, world := seed(t)

	t.Run("StandIn", func(t *testing.T) {
		calls := &awstest.CallLog{}
		st := world.StandInState()
		st.Log = calls
		st.ListUsersLimit = 3 // page ListUsers
		r := collect(t, awstest.StartStandIn(t, moto, st), collector.Options{WithMFA: true, Limits: collector.DefaultRateLimits})
		checkFullSnapshot(t, world, r)
		checkReadOnly(t, calls.Calls())
		checkNoContactData(t, world, r)
	})

	t.Run("BareMoto", func(t *testing.T) {
		r := collect(t, moto, collector.Options{})
		reg := r.region(t)
		if len(reg.SMS) != 1 || len(reg.Email) != 1 {
			t.Fatalf("want one SMS and one email state, got %d, %d", len(reg.SMS), len(reg.Email))
		}
		sms, email := reg.SMS[0], reg.Email[0]
		// moto 5.2.1 lacks these: recorded as unavailable, not fatal.
		wantStatus(t, "sandbox", sms.Sandbox.Read, snapshot.SourceUnavailable, "sns:GetSMSSandboxAccountStatus")
		wantStatus(t, "sandbox destinations", sms.Sandbox.DestinationsRead, snapshot.SourceUnavailable, "sns:ListSMSSandboxPhoneNumbers")
		wantStatus(t, "origination numbers", sms.OriginationNumbers.Read, snapshot.SourceUnavailable, "sns:ListOriginationNumbers")
		wantStatus(t, "SES account", email.Account.Read, snapshot.SourceUnavailable, "ses:GetAccount")
		wantStatus(t, "suppression list", email.Suppression.Read, snapshot.SourceUnavailable, "ses:ListSuppressedDestinations")
		// Nor these (moto routes neither CloudWatch's RPC v2 CBOR, nor End
		// User Messaging, nor Cognito's log delivery, nor SESv2's
		// ListEmailIdentities as the SDK now sends it, a POST).
		wantStatus(t, "spend", sms.Spend.Read, snapshot.SourceUnavailable, "cloudwatch:GetMetricData")
		wantStatus(t, "EUMS account", sms.EUMS.Account.Read, snapshot.SourceUnavailable, "sms-voice:DescribeAccountAttributes")
		wantStatus(t, "EUMS spend limit", sms.EUMS.SpendLimit.Read, snapshot.SourceUnavailable, "sms-voice:DescribeSpendLimits")
		wantStatus(t, "EUMS phone numbers", sms.EUMS.PhoneNumbers.Read, snapshot.SourceUnavailable, "sms-voice:DescribePhoneNumbers")
		wantStatus(t, "EUMS sender ids", sms.EUMS.SenderIDs.Read, snapshot.SourceUnavailable, "sms-voice:DescribeSenderIds")
		wantStatus(t, "verified identities", email.VerifiedIdentities.Read, snapshot.SourceUnavailable, "ses:ListEmailIdentities")
		wantStatus(t, "log delivery", r.pool(t, awstest.PoolPhoneOnly).LogDelivery.Read, snapshot.SourceUnavailable, "cognito-idp:GetLogDeliveryConfiguration")
		if u := r.user(t, awstest.PoolDeveloper, "deliverable"); u.Email.RecipientVerified {
			t.Errorf("recipient verified without the identities listed: %+v", u.Email)
		}
		// moto implements these.
		wantStatus(t, "SMS attributes", sms.Attributes.Read, snapshot.SourceOK, "sns:GetSMSAttributes")
		wantStatus(t, "opt-outs", sms.OptOuts.Read, snapshot.SourceOK, "sns:ListPhoneNumbersOptedOut")
		// moto implements GetEmailIdentity with the policies the seed
		// attached.
		if len(email.Identities) != 2 || !email.Identities[0].Exists || !email.Identities[0].CognitoMaySend ||
			!email.Identities[1].Exists || email.Identities[1].CognitoMaySend {
			t.Errorf("identities: %+v", email.Identities)
		}
		// moto 5.2.1 answers GetConfigurationSet with SendingOptions
		// nested twice, which the SDK cannot decode: an error, never a
		// guess.
		if cs := email.ConfigurationSets; len(cs) != 1 || cs[0].Read.OK() || cs[0].Read.Action != "ses:GetConfigurationSet" || cs[0].Exists {
			t.Errorf("configuration sets: %+v", cs)
		}
		// The scan completed: every pool and user is there.
		for name := range world.Pools {
			p := r.pool(t, name)
			wantStatus(t, name+" users", p.UsersRead, snapshot.SourceOK, "cognito-idp:ListUsers")
		}
		if got := len(r.pool(t, awstest.PoolEmailOnly).Users); got != 8 {
			t.Errorf("email-only pool: %d users, want 8", got)
		}
		// Without the suppression list the join says nothing.
		if u := r.user(t, awstest.PoolDeveloper, "suppressed"); u.Email.Suppressed {
			t.Errorf("suppressed without a suppression list: %+v", u.Email)
		}
		// MFA not requested: skipped where it matters.
		wantStatus(t, "us-sms mfa", r.user(t, awstest.PoolPhoneOnly, "us-sms").MFA.Read, snapshot.SourceSkipped, "cognito-idp:AdminGetUser")
		checkNoContactData(t, world, r)
	})

	t.Run("RegionDenied", func(t *testing.T) {
		// The role may not read Cognito in the region at all.
		st := world.StandInState()
		st.Errors = map[string]string{"ListUserPools": "AccessDeniedException", "DescribeUserPoolClient": "AccessDeniedException"}
		r := collect(t, awstest.StartStandIn(t, moto, st), collector.Options{})
		reg := r.region(t)
		wantStatus(t, "pools", reg.PoolsRead, snapshot.SourceDenied, "cognito-idp:ListUserPools")
		if len(reg.Pools) != 0 {
			t.Errorf("%d pools written although the pools could not be listed", len(reg.Pools))
		}
	})

	t.Run("Denied", func(t *testing.T) {
		st := world.StandInState()
		st.Errors = map[string]string{
			"GetSMSSandboxAccountStatus": "AuthorizationError",
			"ListPhoneNumbersOptedOut":   "AuthorizationError",
			"ListSuppressedDestinations": "AccessDeniedException",
			"GetEmailIdentity":           "AccessDeniedException",
			"GetConfigurationSet":        "AccessDeniedException",
			"AdminGetUser":               "AccessDeniedException",
			"ListUserPoolClients":        "AccessDeniedException",
		}
		r := collect(t, awstest.StartStandIn(t, moto, st), collector.Options{WithMFA: true})
		reg := r.region(t)
		sms, email := reg.SMS[0], reg.Email[0]
		wantStatus(t, "sandbox", sms.Sandbox.Read, snapshot.SourceDenied, "sns:GetSMSSandboxAccountStatus")
		wantStatus(t, "opt-outs", sms.OptOuts.Read, snapshot.SourceDenied, "sns:ListPhoneNumbersOptedOut")
		wantStatus(t, "suppression", email.Suppression.Read, snapshot.SourceDenied, "ses:ListSuppressedDestinations")
		wantStatus(t, "identity", email.Identities[0].Read, snapshot.SourceDenied, "ses:GetEmailIdentity")
		wantStatus(t, "configuration set", email.ConfigurationSets[0].Read, snapshot.SourceDenied, "ses:GetConfigurationSet")
		if cs := email.ConfigurationSets[0]; cs.Exists || cs.SendingEnabled || email.Identities[0].CognitoMaySend {
			t.Errorf("facts set although not read: %+v %+v", cs, email.Identities[0])
		}
		wantStatus(t, "origination numbers", sms.OriginationNumbers.Read, snapshot.SourceOK, "sns:ListOriginationNumbers")
		wantStatus(t, "clients", r.pool(t, awstest.PoolEmailOnly).Clients.Read, snapshot.SourceDenied, "cognito-idp:ListUserPoolClients")
		u := r.user(t, awstest.PoolPhoneOnly, "us-sms")
		wantStatus(t, "us-sms mfa", u.MFA.Read, snapshot.SourceDenied, "cognito-idp:AdminGetUser")
		if u.Phone.OptedOut {
			t.Error("opted_out set although the opt-out list was not read")
		}
		if !strings.Contains(r.logs, "AdminGetUser") || strings.Count(r.logs, "cognito-idp:AdminGetUser") != 1 {
			t.Errorf("want AdminGetUser failure logged once per pool, logs:\n%s", r.logs)
		}
	})

	t.Run("DeliveryPathDenied", func(t *testing.T) {
		st := world.StandInState()
		st.Errors = map[string]string{
			"GetMetricData":               "AccessDenied",
			"DescribeAccountAttributes":   "AccessDeniedException",
			"DescribeSpendLimits":         "AccessDeniedException",
			"DescribePhoneNumbers":        "AccessDeniedException",
			"DescribeSenderIds":           "AccessDeniedException",
			"ListEmailIdentities":         "AccessDeniedException",
			"GetLogDeliveryConfiguration": "AccessDeniedException",
		}
		r := collect(t, awstest.StartStandIn(t, moto, st), collector.Options{})
		reg := r.region(t)
		sms, email := reg.SMS[0], reg.Email[0]
		wantStatus(t, "spend", sms.Spend.Read, snapshot.SourceDenied, "cloudwatch:GetMetricData")
		wantStatus(t, "EUMS account", sms.EUMS.Account.Read, snapshot.SourceDenied, "sms-voice:DescribeAccountAttributes")
		wantStatus(t, "EUMS spend limit", sms.EUMS.SpendLimit.Read, snapshot.SourceDenied, "sms-voice:DescribeSpendLimits")
		wantStatus(t, "EUMS phone numbers", sms.EUMS.PhoneNumbers.Read, snapshot.SourceDenied, "sms-voice:DescribePhoneNumbers")
		wantStatus(t, "EUMS sender ids", sms.EUMS.SenderIDs.Read, snapshot.SourceDenied, "sms-voice:DescribeSenderIds")
		wantStatus(t, "verified identities", email.VerifiedIdentities.Read, snapshot.SourceDenied, "ses:ListEmailIdentities")
		for _, p := range reg.Pools {
			wantStatus(t, p.Name+" log delivery", p.LogDelivery.Read, snapshot.SourceDenied, "cognito-idp:GetLogDeliveryConfiguration")
			if p.LogDelivery.UserNotificationErrors {
				t.Errorf("%s: user_notification_errors set although not read", p.Name)
			}
		}
		// Nothing unread is filled in.
		if sms.Spend.MonthToDateUSD != 0 || sms.EUMS.Account.Tier != "" || sms.EUMS.SpendLimit.Found ||
			len(sms.EUMS.PhoneNumbers.Numbers) != 0 || len(sms.EUMS.SenderIDs.Items) != 0 || email.VerifiedIdentities.Count != 0 {
			t.Errorf("facts set although not read: %+v %+v", sms, email.VerifiedIdentities)
		}
		if u := r.user(t, awstest.PoolDeveloper, "deliverable"); u.Email.RecipientVerified {
			t.Errorf("recipient verified although the identities were not listed: %+v", u.Email)
		}
		// The other SMS and SES sources are read as usual.
		wantStatus(t, "SMS attributes", sms.Attributes.Read, snapshot.SourceOK, "sns:GetSMSAttributes")
		wantStatus(t, "suppression", email.Suppression.Read, snapshot.SourceOK, "ses:ListSuppressedDestinations")
	})

	t.Run("SpendNoDataPoints", func(t *testing.T) {
		// Nothing sent this month: CloudWatch has no data point.
		st := world.StandInState()
		st.SMS.Spend = nil
		r := collect(t, awstest.StartStandIn(t, moto, st), collector.Options{PoolIDs: []string{world.Pools[awstest.PoolPhoneOnly].ID}})
		sp := r.region(t).SMS[0].Spend
		wantStatus(t, "spend", sp.Read, snapshot.SourceOK, "cloudwatch:GetMetricData")
		if sp.MonthToDateUSD != 0 || sp.Month != "2026-11" {
			t.Errorf("spend: %+v", sp)
		}
	})

	t.Run("SpendIncomplete", func(t *testing.T) {
		for status, want := range map[string]snapshot.SourceStatus{
			"InternalError": snapshot.SourceError,
			"Forbidden":     snapshot.SourceDenied,
			"PartialData":   snapshot.SourceError, // no more pages, yet partial
		} {
			st := world.StandInState()
			st.SMS.SpendStatus = status
			r := collect(t, awstest.StartStandIn(t, moto, st), collector.Options{PoolIDs: []string{world.Pools[awstest.PoolPhoneOnly].ID}})
			sp := r.region(t).SMS[0].Spend
			wantStatus(t, "spend "+status, sp.Read, want, "cloudwatch:GetMetricData")
			if !strings.Contains(sp.Read.Error, status) || sp.MonthToDateUSD != 0 {
				t.Errorf("spend %s: %+v", status, sp)
			}
		}
	})

	// Pools in other regions: a legacy alternate SNS region and Seoul.
	t.Run("LegacyAlternateRegion", func(t *testing.T) { testLegacyAlternateRegion(t, moto) })

	t.Run("ListUsersFailsPartWay", func(t *testing.T) {
		st := world.StandInState()
		st.ListUsersLimit = 3
		st.Errors = map[string]string{"ListUsers": "TooManyRequestsException"}
		st.ErrorsAfter = map[string]int{"ListUsers": 1}
		r := collect(t, awstest.StartStandIn(t, moto, st), collector.Options{})
		partial := 0
		for _, p := range r.region(t).Pools {
			wantStatus(t, p.Name+" users", p.UsersRead, snapshot.SourceThrottled, "cognito-idp:ListUsers")
			if int64(len(p.Users)) != p.UsersListed {
				t.Errorf("%s: %d users written, users_listed %d", p.Name, len(p.Users), p.UsersListed)
			}
			if p.UsersListed == 3 {
				partial++
			} else if p.UsersListed != 0 {
				t.Errorf("%s: users_listed %d", p.Name, p.UsersListed)
			}
		}
		if partial != 1 {
			t.Errorf("want exactly one pool listed part way, got %d", partial)
		}
	})

	t.Run("PageNeverAnswers", func(t *testing.T) {
		st := world.StandInState()
		st.ListUsersLimit = 3
		st.Hang = map[string]bool{"ListUsers": true}
		st.HangAfter = map[string]int{"ListUsers": 1}
		// Without the call timeout this would hang until go test gives up.
		r := collect(t, awstest.StartStandIn(t, moto, st), collector.Options{CallTimeout: 300 * time.Millisecond, MaxAttempts: 1})
		hung := 0
		for _, p := range r.region(t).Pools {
			if p.UsersRead.OK() {
				t.Errorf("%s: users listed as complete although ListUsers hung", p.Name)
				continue
			}
			if !strings.Contains(p.UsersRead.Error, "no answer within") {
				t.Errorf("%s: users_read error %q does not say the call timed out", p.Name, p.UsersRead.Error)
			}
			if int64(len(p.Users)) != p.UsersListed {
				t.Errorf("%s: %d users written, users_listed %d", p.Name, len(p.Users), p.UsersListed)
			}
			hung++
		}
		if hung == 0 {
			t.Error("no pool recorded the hung listing")
		}
	})

	// Throttling bursts and 5xx on every read operation, retried.
	t.Run("RetriedFaults", func(t *testing.T) { testRetriedFaults(t, moto, world) })
	// The same faults on every attempt: recorded, attempts bounded.
	t.Run("FaultsBeyondRetries", func(t *testing.T) { testFaultsBeyondRetries(t, moto, world) })
	// A connection reset part way through every ListUsers page.
	t.Run("ConnectionReset", func(t *testing.T) { testConnectionReset(t, moto, world) })
	// ListUsers pagination tokens expire part way through a listing.
	t.Run("PaginationTokenExpires", func(t *testing.T) { testPaginationTokenExpires(t, moto, world) })

	t.Run("PoolIDs", func(t *testing.T) {
		dev := world.Pools[awstest.PoolDeveloper].ID
		missing := testRegion + "_doesNotExist"
		r := collect(t, moto, collector.Options{PoolIDs: []string{dev, missing}})
		reg := r.region(t)
		if len(reg.Pools) != 2 || reg.Pools[0].ID != dev || reg.Pools[1].ID != missing {
			t.Fatalf("pools: %+v", reg.Pools)
		}
		wantStatus(t, "named pools", reg.PoolsRead, snapshot.SourceError, "cognito-idp:DescribeUserPool")
		wantStatus(t, "developer pool", reg.Pools[0].Read, snapshot.SourceOK, "cognito-idp:DescribeUserPool")
		if len(reg.Pools[0].Users) != 2 {
			t.Errorf("developer pool users: %d", len(reg.Pools[0].Users))
		}
		m := reg.Pools[1]
		wantStatus(t, "missing pool", m.Read, snapshot.SourceError, "cognito-idp:DescribeUserPool")
		wantStatus(t, "missing pool users", m.UsersRead, snapshot.SourceSkipped, "cognito-idp:ListUsers")
		wantStatus(t, "missing pool log delivery", m.LogDelivery.Read, snapshot.SourceSkipped, "cognito-idp:GetLogDeliveryConfiguration")
		if m.Region != testRegion || !strings.Contains(m.Read.Error, "ResourceNotFound") {
			t.Errorf("missing pool: %+v", m.PoolSettings)
		}
	})

	t.Run("IdentityMissing", func(t *testing.T) {
		st := world.StandInState()
		st.Email.Identities = map[string]awstest.EmailIdentity{}           // every identity answers NotFound
		st.Email.ConfigurationSets = map[string]awstest.ConfigurationSet{} // and every configuration set
		r := collect(t, awstest.StartStandIn(t, moto, st), collector.Options{PoolIDs: []string{world.Pools[awstest.PoolDeveloper].ID}})
		ids := r.region(t).Email[0].Identities
		if len(ids) != 1 || ids[0].Exists || ids[0].CognitoMaySend || !ids[0].Read.OK() || ids[0].Name != awstest.SESIdentity {
			t.Errorf("identities: %+v", ids)
		}
		sets := r.region(t).Email[0].ConfigurationSets
		if len(sets) != 1 || sets[0].Exists || sets[0].SendingEnabled || !sets[0].Read.OK() || sets[0].Name != awstest.SESConfigurationSet {
			t.Errorf("configuration sets: %+v", sets)
		}
	})

	t.Run("ConfigurationSetSendingDisabled", func(t *testing.T) {
		st := world.StandInState()
		st.Email.ConfigurationSets = map[string]awstest.ConfigurationSet{awstest.SESConfigurationSet: {SendingDisabled: true}}
		r := collect(t, awstest.StartStandIn(t, moto, st), collector.Options{PoolIDs: []string{world.Pools[awstest.PoolDeveloper].ID}})
		sets := r.region(t).Email[0].ConfigurationSets
		if len(sets) != 1 || !sets[0].Exists || sets[0].SendingEnabled || !sets[0].Read.OK() {
			t.Errorf("configuration sets: %+v", sets)
		}
	})

	t.Run("Pseudonymized", func(t *testing.T) {
		var events []collector.ProgressEvent
		r := collect(t, moto, collector.Options{
			PoolIDs:      []string{world.Pools[awstest.PoolEmailOnly].ID},
			PseudonymKey: []byte("secret"),
			Progress:     func(ev collector.ProgressEvent) { events = append(events, ev) },
		})
		if !r.snap.Pseudonymized {
			t.Error("header not marked pseudonymized")
		}
		for _, u := range r.pool(t, awstest.PoolEmailOnly).Users {
			if !strings.HasPrefix(u.Username, "p-") || !strings.HasPrefix(u.Sub, "p-") {
				t.Errorf("not pseudonymized: %s %s", u.Username, u.Sub)
			}
		}
		for name := range world.Users {
			if bytes.Contains(r.raw, []byte(`"username":"`+name+`"`)) {
				t.Errorf("username %q in pseudonymized snapshot", name)
			}
		}
		if len(events) == 0 || !events[len(events)-1].Done || events[len(events)-1].UsersDone != 8 {
			t.Errorf("progress events: %+v", events)
		}
	})
}

// checkFullSnapshot checks a collection against moto plus the stand-in.
func checkFullSnapshot(t *testing.T, w *awstest.World, r *result) {
	t.Helper()
	a := r.snap.Accounts[0]
	if a.ID != w.AccountID {
		t.Errorf("account id %q, want %q", a.ID, w.AccountID)
	}
	wantStatus(t, "identity", a.Identity, snapshot.SourceOK, "sts:GetCallerIdentity")
	if !r.snap.TakenAt.Equal(fixedNow) || r.snap.Tool.Version != "test" || r.snap.Pseudonymized {
		t.Errorf("header: %+v", r.snap.Header)
	}
	reg := r.region(t)
	wantStatus(t, "pools", reg.PoolsRead, snapshot.SourceOK, "cognito-idp:ListUserPools")
	if len(reg.Pools) != len(w.Pools) {
		t.Errorf("%d pools, want %d", len(reg.Pools), len(w.Pools))
	}

	// SMS state.
	if len(reg.SMS) != 1 {
		t.Fatalf("sms states: %+v", reg.SMS)
	}
	sms := reg.SMS[0]
	for what, src := range map[string]snapshot.Source{
		"attributes": sms.Attributes.Read, "sandbox": sms.Sandbox.Read, "destinations": sms.Sandbox.DestinationsRead,
		"origination": sms.OriginationNumbers.Read, "opt-outs": sms.OptOuts.Read,
	} {
		if !src.OK() {
			t.Errorf("sms %s: %+v", what, src)
		}
	}
	if sms.Region != testRegion || !sms.Sandbox.InSandbox || sms.Sandbox.VerifiedDestinationCount != 2 ||
		sms.OptOuts.Count != 3 || sms.Attributes.MonthlySpendLimit != "1" || sms.Attributes.DefaultSMSType != "Transactional" {
		t.Errorf("sms state: %+v", sms)
	}
	wantNumbers := []snapshot.OriginationNumber{
		{Country: "US", Status: "ACTIVE", RouteType: "Transactional", SMS: true},
		{Country: "GB", Status: "PENDING", RouteType: "Promotional", SMS: false},
		{Country: "US", Status: "ACTIVE", RouteType: "Transactional", SMS: true},
	}
	if !slices.Equal(sms.OriginationNumbers.Numbers, wantNumbers) {
		t.Errorf("origination numbers: %+v", sms.OriginationNumbers.Numbers)
	}
	// The month's highest spend (not its last point), over two pages.
	wantStatus(t, "spend", sms.Spend.Read, snapshot.SourceOK, "cloudwatch:GetMetricData")
	if sms.Spend.MonthToDateUSD != awstest.SMSSpendUSD || sms.Spend.Month != "2026-11" {
		t.Errorf("spend: %+v", sms.Spend)
	}
	eums := sms.EUMS
	wantStatus(t, "EUMS account", eums.Account.Read, snapshot.SourceOK, "sms-voice:DescribeAccountAttributes")
	wantStatus(t, "EUMS spend limit", eums.SpendLimit.Read, snapshot.SourceOK, "sms-voice:DescribeSpendLimits")
	wantStatus(t, "EUMS phone numbers", eums.PhoneNumbers.Read, snapshot.SourceOK, "sms-voice:DescribePhoneNumbers")
	wantStatus(t, "EUMS sender ids", eums.SenderIDs.Read, snapshot.SourceOK, "sms-voice:DescribeSenderIds")
	if eums.Account.Tier != "SANDBOX" {
		t.Errorf("EUMS account: %+v", eums.Account)
	}
	if l := eums.SpendLimit; !l.Found || l.EnforcedUSD != 1 || l.MaxUSD != 10 || !l.Overridden {
		t.Errorf("EUMS spend limit: %+v", l)
	}
	wantEUMSNumbers := []snapshot.OriginationNumber{
		{Country: "US", Status: "ACTIVE", RouteType: "TRANSACTIONAL", SMS: true},
		{Country: "GB", Status: "PENDING", RouteType: "PROMOTIONAL", SMS: false},
		{Country: "US", Status: "ACTIVE", RouteType: "TRANSACTIONAL", SMS: true},
	}
	if !slices.Equal(eums.PhoneNumbers.Numbers, wantEUMSNumbers) {
		t.Errorf("EUMS phone numbers: %+v", eums.PhoneNumbers.Numbers)
	}
	if want := []snapshot.SenderID{{Country: "GB"}, {Country: "IN", Registered: true}}; !slices.Equal(eums.SenderIDs.Items, want) {
		t.Errorf("EUMS sender ids: %+v", eums.SenderIDs.Items)
	}

	// Email state.
	if len(reg.Email) != 1 {
		t.Fatalf("email states: %+v", reg.Email)
	}
	em := reg.Email[0]
	if !em.Account.Read.OK() || !em.Account.ProductionAccessEnabled || !em.Account.SendingEnabled ||
		em.Account.EnforcementStatus != "HEALTHY" || em.Account.Max24HourSend != 50000 || em.Account.SentLast24Hours != 12 {
		t.Errorf("SES account: %+v", em.Account)
	}
	if !em.Suppression.Read.OK() || em.Suppression.Count != 3 {
		t.Errorf("suppression: %+v", em.Suppression)
	}
	// Two identities verified, one pending.
	wantStatus(t, "verified identities", em.VerifiedIdentities.Read, snapshot.SourceOK, "ses:ListEmailIdentities")
	if em.VerifiedIdentities.Count != 2 {
		t.Errorf("verified identities: %+v", em.VerifiedIdentities)
	}
	identRead := snapshot.Source{Status: snapshot.SourceOK, Action: "ses:GetEmailIdentity"}
	wantIdents := []snapshot.EmailIdentity{
		// The stand-in serves the policy Cognito's documentation asks for.
		{Name: awstest.SESIdentity, Read: identRead, Exists: true, VerifiedForSending: true, VerificationStatus: "SUCCESS", DKIMStatus: "SUCCESS", CognitoMaySend: true},
		// Verified, but without a policy Cognito may not send from it.
		{Name: awstest.SESIdentityNoPolicy, Read: identRead, Exists: true, VerifiedForSending: true, VerificationStatus: "SUCCESS", DKIMStatus: "SUCCESS"},
	}
	if !slices.Equal(em.Identities, wantIdents) {
		t.Errorf("identities: %+v", em.Identities)
	}
	wantSets := []snapshot.ConfigurationSet{{Name: awstest.SESConfigurationSet,
		Read: snapshot.Source{Status: snapshot.SourceOK, Action: "ses:GetConfigurationSet"}, Exists: true, SendingEnabled: true}}
	if !slices.Equal(em.ConfigurationSets, wantSets) {
		t.Errorf("configuration sets: %+v", em.ConfigurationSets)
	}

	// Pools.
	eo := r.pool(t, awstest.PoolEmailOnly)
	if eo.ID != w.Pools[awstest.PoolEmailOnly].ID || !strings.HasSuffix(eo.ARN, ":userpool/"+eo.ID) || eo.Region != testRegion {
		t.Errorf("email-only ids: %s %s %s", eo.ID, eo.ARN, eo.Region)
	}
	if !eo.AccountRecovery.Configured || !slices.Equal(eo.AccountRecovery.Mechanisms, []snapshot.RecoveryMechanism{{Name: "verified_email", Priority: 1}}) {
		t.Errorf("email-only recovery: %+v", eo.AccountRecovery)
	}
	if eo.TemporaryPasswordValidityDays != awstest.TempPasswordDays || eo.EstimatedUsers != 8 || eo.MFA.Configuration != "OFF" ||
		eo.Email.SendingAccount != "COGNITO_DEFAULT" || eo.SMS.Configured || eo.SMS.Region != testRegion {
		t.Errorf("email-only settings: %+v", eo.PoolSettings)
	}
	if eo.UsersListed != 8 || !eo.UsersRead.OK() {
		t.Errorf("email-only listing: %d %+v", eo.UsersListed, eo.UsersRead)
	}
	clients := map[string]snapshot.Client{}
	for _, c := range eo.Clients.Items {
		clients[c.Name] = c
	}
	if c := clients["web-secret"]; !c.HasSecret || c.PreventUserExistenceErrors != "ENABLED" || !c.Read.OK() ||
		!slices.Contains(c.ExplicitAuthFlows, "ALLOW_USER_SRP_AUTH") {
		t.Errorf("web-secret client: %+v", c)
	}
	if c := clients["public"]; c.HasSecret || c.PreventUserExistenceErrors != "LEGACY" || !slices.Equal(c.WriteAttributes, []string{"email", "name"}) {
		t.Errorf("public client: %+v", c)
	}

	po := r.pool(t, awstest.PoolPhoneOnly)
	if !po.SMS.Configured || !strings.HasSuffix(po.SMS.SNSCallerARN, ":role/"+awstest.SNSCallerRole) || !po.SMS.ExternalIDSet ||
		po.SMS.SNSRegion != testRegion || po.SMS.Region != testRegion || po.TemporaryPasswordValidityDays != 7 {
		t.Errorf("phone-only sms: %+v", po.SMS)
	}
	if po.MFA.Configuration != "OPTIONAL" || !po.MFA.Read.OK() || !po.MFA.SMSEnabled || po.MFA.TOTPEnabled || po.MFA.EmailEnabled {
		t.Errorf("phone-only mfa: %+v", po.MFA)
	}
	if lg := r.pool(t, awstest.PoolLegacy); lg.AccountRecovery.Configured || len(lg.AccountRecovery.Mechanisms) != 0 {
		t.Errorf("legacy recovery: %+v", lg.AccountRecovery)
	}
	if ep := r.pool(t, awstest.PoolEmailThenPhone); len(ep.AccountRecovery.Mechanisms) != 2 ||
		ep.AccountRecovery.Mechanisms[1] != (snapshot.RecoveryMechanism{Name: "verified_phone_number", Priority: 2}) {
		t.Errorf("email-then-phone recovery: %+v", ep.AccountRecovery)
	}
	if ao := r.pool(t, awstest.PoolAdminOnly); !ao.AllowAdminCreateUserOnly || ao.AccountRecovery.Mechanisms[0].Name != "admin_only" {
		t.Errorf("admin-only: %+v", ao.PoolSettings)
	}
	dev := r.pool(t, awstest.PoolDeveloper)
	wantEmail := snapshot.EmailConfig{SendingAccount: "DEVELOPER",
		SourceARN: "arn:aws:ses:" + testRegion + ":" + w.AccountID + ":identity/" + awstest.SESIdentity,
		SESRegion: testRegion, Identity: awstest.SESIdentity, ConfigurationSet: awstest.SESConfigurationSet}
	if dev.Email != wantEmail {
		t.Errorf("developer email: %+v", dev.Email)
	}
	cf := r.pool(t, awstest.PoolCustomFrom)
	wantEmail = snapshot.EmailConfig{SendingAccount: "COGNITO_DEFAULT",
		SourceARN: "arn:aws:ses:" + testRegion + ":" + w.AccountID + ":identity/" + awstest.SESIdentityNoPolicy,
		SESRegion: testRegion, Identity: awstest.SESIdentityNoPolicy}
	if cf.Email != wantEmail || cf.UsersListed != 0 || !cf.UsersRead.OK() {
		t.Errorf("custom-from pool: %+v", cf.PoolSettings)
	}

	// Users: every seeded user is there with the right facts.
	for _, fu := range w.Users {
		u := r.user(t, fu.Pool, fu.Username)
		if u.Status != fu.Status || u.Enabled == fu.Disabled || u.Sub == "" || u.CreatedAt.IsZero() {
			t.Errorf("%s: status %s enabled %v sub %q created %v", fu.Username, u.Status, u.Enabled, u.Sub, u.CreatedAt)
		}
		if u.Email.Present != (fu.Email != "") || u.Email.Verified != (fu.Email != "" && fu.EmailVerified) {
			t.Errorf("%s email: %+v", fu.Username, u.Email)
		}
		if u.Phone.Present != (fu.Phone != "") || u.Phone.Verified != (fu.Phone != "" && fu.PhoneVerified) {
			t.Errorf("%s phone: %+v", fu.Username, u.Phone)
		}
	}
	if u := r.user(t, awstest.PoolEmailOnly, "confirmed-verified"); u.Email.Masked != "a***@e***.com" || u.Email.Suppressed {
		t.Errorf("confirmed-verified: %+v", u.Email)
	}
	if u := r.user(t, awstest.PoolEmailOnly, "unconfirmed"); u.Email.Masked != "d***@e***.net" {
		t.Errorf("unconfirmed: %+v", u.Email)
	}
	if u := r.user(t, awstest.PoolEmailOnly, "phone-only-user"); u.Phone.Masked != "+*******0101" || u.Phone.CallingCode != "1" || u.Phone.Country != "US" {
		t.Errorf("phone-only-user: %+v", u.Phone)
	}
	wantMFA := func(username string, status snapshot.SourceStatus, methods []string, preferred string) {
		t.Helper()
		u := r.user(t, w.Users[username].Pool, username)
		if u.MFA.Read.Status != status || !slices.Equal(u.MFA.Methods, methods) || u.MFA.Preferred != preferred {
			t.Errorf("%s mfa: %+v", username, u.MFA)
		}
	}
	wantMFA("us-sms", snapshot.SourceOK, []string{"SMS_MFA"}, "SMS_MFA")
	wantMFA("sandbox-verified", snapshot.SourceOK, []string{}, "")
	wantMFA("email-in-phone-pool", snapshot.SourceNotApplicable, []string{}, "") // email MFA off in the pool
	wantMFA("confirmed-verified", snapshot.SourceNotApplicable, []string{}, "")  // pool MFA off
	wantMFA("legacy-both", snapshot.SourceNotApplicable, []string{}, "")         // legacy: MFA does not disqualify

	us := r.user(t, awstest.PoolPhoneOnly, "us-sms")
	if us.Phone.SandboxVerified || us.Phone.OptedOut || us.Phone.Country != "US" { // Pending in the sandbox
		t.Errorf("us-sms: %+v", us.Phone)
	}
	if u := r.user(t, awstest.PoolPhoneOnly, "sandbox-verified"); !u.Phone.SandboxVerified || u.Phone.OptedOut {
		t.Errorf("sandbox-verified: %+v", u.Phone)
	}
	if u := r.user(t, awstest.PoolPhoneOnly, "opted-out"); !u.Phone.OptedOut || u.Phone.Country != "GB" ||
		u.Phone.CallingCode != "44" || u.Phone.Masked != "+********0123" {
		t.Errorf("opted-out: %+v", u.Phone)
	}
	if u := r.user(t, awstest.PoolDeveloper, "suppressed"); !u.Email.Suppressed || u.Email.SuppressionReason != "BOUNCE" || u.Email.Masked != "j***@e***.net" {
		t.Errorf("suppressed: %+v", u.Email)
	}
	if u := r.user(t, awstest.PoolDeveloper, "deliverable"); u.Email.Suppressed || !u.Email.RecipientVerified {
		// Its domain is a verified identity.
		t.Errorf("deliverable: %+v", u.Email)
	}
	if u := r.user(t, awstest.PoolDeveloper, "suppressed"); u.Email.RecipientVerified {
		t.Errorf("suppressed: recipient verified although neither address nor domain is an identity: %+v", u.Email)
	}

	// Log delivery: message delivery errors exported from two pools.
	wantLogs := map[string]bool{awstest.PoolPhoneOnly: true, awstest.PoolDeveloper: true}
	for name := range w.Pools {
		p := r.pool(t, name)
		wantStatus(t, name+" log delivery", p.LogDelivery.Read, snapshot.SourceOK, "cognito-idp:GetLogDeliveryConfiguration")
		if p.LogDelivery.UserNotificationErrors != wantLogs[name] {
			t.Errorf("%s: user_notification_errors %v, want %v", name, p.LogDelivery.UserNotificationErrors, wantLogs[name])
		}
		// No pool of the region has a legacy alternate SNS region.
		if p.SMS.AlternateRegion != "" {
			t.Errorf("%s: alternate SNS region %q", name, p.SMS.AlternateRegion)
		}
	}
}

// checkReadOnly checks that the collector only called read operations.
func checkReadOnly(t *testing.T, calls []string) {
	t.Helper()
	if len(calls) == 0 {
		t.Fatal("no calls recorded")
	}
	for _, c := range calls {
		_, op, _ := strings.Cut(c, ":")
		if !(strings.HasPrefix(op, "List") || strings.HasPrefix(op, "Describe") ||
			strings.HasPrefix(op, "Get") || op == "AdminGetUser") {
			t.Errorf("non-read operation called: %s", c)
		}
	}
}

// checkNoContactData checks that no fixture address or number appears in
// the snapshot or the logs, in any common spelling.
func checkNoContactData(t *testing.T, w *awstest.World, r *result) {
	t.Helper()
	for _, c := range w.Contacts() {
		forms := []string{c, strings.ToLower(c), strings.ToUpper(c)}
		if strings.HasPrefix(c, "+") {
			forms = append(forms, c[1:], c[len(c)-10:]) // without plus; national part
		} else {
			local, _, _ := strings.Cut(c, "@")
			forms = append(forms, local+"@")
		}
		for _, f := range forms {
			if bytes.Contains(bytes.ToLower(r.raw), []byte(strings.ToLower(f))) {
				t.Errorf("snapshot contains contact data %q", f)
			}
			if strings.Contains(strings.ToLower(r.logs), strings.ToLower(f)) {
				t.Errorf("log contains contact data %q", f)
			}
		}
	}
}
