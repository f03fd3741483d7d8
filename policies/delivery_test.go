package policies

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/recoverscan/recoverscan/collector/snapshot"
)

// The delivery-path model: a user is "can" only when every hop of the path
// Cognito would use for them was read and is healthy. Each world is one
// pool whose users recover by phone (or email) only, so the verdict depends
// on that one path.

func okSrc(action string) snapshot.Source {
	return snapshot.Source{Status: snapshot.SourceOK, Action: action}
}

func deniedSrc(action string) snapshot.Source {
	return snapshot.Source{Status: snapshot.SourceDenied, Action: action, Error: "AccessDenied"}
}

// healthySMS is an SNS region out of the sandbox, a 10 USD limit with 1 USD
// spent, a GB origination number and Transactional texts.
func healthySMS(region string) snapshot.SMSState {
	return snapshot.SMSState{
		Region:             region,
		Attributes:         snapshot.SMSAttributes{Read: okSrc("sns:GetSMSAttributes"), MonthlySpendLimit: "10", DefaultSMSType: "Transactional", DeliveryStatusIAMRoleSet: true},
		Sandbox:            snapshot.SMSSandbox{Read: okSrc("sns:GetSMSSandboxAccountStatus"), DestinationsRead: okSrc("sns:ListSMSSandboxPhoneNumbers")},
		OriginationNumbers: snapshot.OriginationNumbers{Read: okSrc("sns:ListOriginationNumbers"), Numbers: []snapshot.OriginationNumber{{Country: "GB", Status: "ACTIVE", RouteType: "Transactional", SMS: true}}},
		OptOuts:            snapshot.OptOuts{Read: okSrc("sns:ListPhoneNumbersOptedOut")},
		Spend:              snapshot.SMSSpend{Read: okSrc("cloudwatch:GetMetricData"), MonthToDateUSD: 1, Month: "2026-11"},
		EUMS: snapshot.EUMSState{
			Account:      snapshot.EUMSAccount{Read: okSrc("sms-voice:DescribeAccountAttributes"), Tier: "PRODUCTION"},
			SpendLimit:   snapshot.EUMSSpendLimit{Read: okSrc("sms-voice:DescribeSpendLimits"), Found: true, EnforcedUSD: 10, MaxUSD: 10},
			PhoneNumbers: snapshot.OriginationNumbers{Read: okSrc("sms-voice:DescribePhoneNumbers"), Numbers: []snapshot.OriginationNumber{}},
			SenderIDs:    snapshot.SenderIDs{Read: okSrc("sms-voice:DescribeSenderIds"), Items: []snapshot.SenderID{}},
		},
	}
}

// healthySES is an SES account in production with a verified identity.
func healthySES(region string) snapshot.EmailState {
	return snapshot.EmailState{
		Region: region,
		Account: snapshot.SESAccount{Read: okSrc("ses:GetAccount"), ProductionAccessEnabled: true, SendingEnabled: true,
			EnforcementStatus: "HEALTHY", Max24HourSend: 50000, SentLast24Hours: 10},
		Identities: []snapshot.EmailIdentity{{Name: "example.com", Read: okSrc("ses:GetEmailIdentity"), Exists: true,
			VerifiedForSending: true, VerificationStatus: "SUCCESS", DKIMStatus: "SUCCESS"}},
		ConfigurationSets:  []snapshot.ConfigurationSet{},
		Suppression:        snapshot.Suppression{Read: okSrc("ses:ListSuppressedDestinations")},
		VerifiedIdentities: snapshot.VerifiedIdentities{Read: okSrc("ses:ListEmailIdentities"), Count: 1},
	}
}

// world is one region with one pool; sms and email adjust it.
type world struct {
	region string
	sms    []snapshot.SMSState
	email  []snapshot.EmailState
	pool   snapshot.Pool
}

func newWorld(region, mechanism string) *world {
	p := snapshot.Pool{PoolSettings: snapshot.PoolSettings{
		ID: region + "_World", Name: "world", ARN: "arn:aws:cognito-idp:" + region + ":111122223333:userpool/" + region + "_World",
		Region: region, Read: okSrc("cognito-idp:DescribeUserPool"), Tier: "ESSENTIALS", EstimatedUsers: 1,
		AccountRecovery:               snapshot.AccountRecovery{Configured: true, Mechanisms: []snapshot.RecoveryMechanism{{Name: mechanism, Priority: 1}}},
		AutoVerifiedAttributes:        []string{"email", "phone_number"},
		VerifyBeforeUpdate:            []string{"email", "phone_number"},
		TemporaryPasswordValidityDays: 7,
		MFA:                           snapshot.PoolMFA{Configuration: "OFF", Read: okSrc("cognito-idp:GetUserPoolMfaConfig")},
		Email: snapshot.EmailConfig{SendingAccount: snapshot.EmailDeveloper, SourceARN: "arn:aws:ses:" + region + ":111122223333:identity/example.com",
			SESRegion: region, Identity: "example.com"},
		SMS: snapshot.SMSConfig{Configured: true, SNSCallerARN: "arn:aws:iam::111122223333:role/sms", ExternalIDSet: true,
			SNSRegion: region, Region: region},
		LogDelivery: snapshot.LogDelivery{Read: okSrc("cognito-idp:GetLogDeliveryConfiguration"), UserNotificationErrors: true},
		Clients:     snapshot.Clients{Read: okSrc("cognito-idp:ListUserPoolClients"), Items: []snapshot.Client{}},
	}}
	u := snapshot.User{Username: "pat", Sub: "00000000-0000-4000-8000-000000000001", Status: snapshot.StatusConfirmed, Enabled: true,
		CreatedAt: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), LastModifiedAt: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC),
		Email: snapshot.Email{Present: true, Verified: true, Masked: "p***@e***.com"},
		Phone: snapshot.Phone{Present: true, Verified: true, Masked: "+*******0100", CallingCode: "44", Country: "GB"},
		MFA:   snapshot.UserMFA{Read: snapshot.Source{Status: snapshot.SourceNotApplicable, Action: "cognito-idp:AdminGetUser"}, Methods: []string{}}}
	p.Users = []snapshot.User{u}
	p.UsersRead, p.UsersListed = okSrc("cognito-idp:ListUsers"), 1
	return &world{region: region, sms: []snapshot.SMSState{healthySMS(region)}, email: []snapshot.EmailState{healthySES(region)}, pool: p}
}

func (w *world) user() *snapshot.User { return &w.pool.Users[0] }

func (w *world) marshal(t *testing.T) []byte {
	t.Helper()
	s := &snapshot.Snapshot{
		Header: snapshot.Header{SchemaVersion: snapshot.SchemaVersion, TakenAt: time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC),
			Tool: snapshot.Tool{Name: "recoverscan", Version: "test"}},
		Accounts: []snapshot.Account{{ID: "111122223333", Identity: okSrc("sts:GetCallerIdentity"), Regions: []snapshot.Region{{
			Name: w.region, PoolsRead: okSrc("cognito-idp:ListUserPools"), SMS: w.sms, Email: w.email, Pools: []snapshot.Pool{w.pool},
		}}}},
	}
	b, err := snapshot.Marshal(s)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// verdict evaluates data and returns the user's verdict ("can", "cannot",
// "may not") and the ids of the user's findings ("?" marks indeterminate).
func verdict(t *testing.T, e *Engine, data []byte) (string, []string) {
	t.Helper()
	r, err := e.Evaluate(context.Background(), bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, f := range r.Findings {
		if f.Resource.Username == "pat" {
			id := f.RuleID
			if f.Verdict == Indeterminate {
				id += "?"
			}
			ids = append(ids, id)
		}
	}
	c := r.Totals()
	switch {
	case c.Total != 1:
		t.Fatalf("%d users evaluated, want 1", c.Total)
	case c.Can == 1:
		return "can", ids
	case c.Cannot == 1:
		return "cannot", ids
	}
	return "may not", ids
}

func TestDeliveryPath(t *testing.T) {
	e, err := New(context.Background(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	sms := func(change func(w *world)) *world {
		w := newWorld("eu-west-1", snapshot.MechanismPhone)
		change(w)
		return w
	}
	email := func(change func(w *world)) *world {
		w := newWorld("eu-west-1", snapshot.MechanismEmail)
		change(w)
		return w
	}
	cases := []struct {
		name  string
		world *world
		want  string
		rule  string // a finding the user must have ("" for none at all)
	}{
		{"sms healthy", sms(func(*world) {}), "can", ""},
		{"spend below 80 %", sms(func(w *world) { w.sms[0].Spend.MonthToDateUSD = 7.9 }), "can", ""},
		{"spend at 80 %", sms(func(w *world) { w.sms[0].Spend.MonthToDateUSD = 8 }), "may not", "RC-USER-020"},
		{"spend at the limit", sms(func(w *world) { w.sms[0].Spend.MonthToDateUSD = 10 }), "cannot", "RC-USER-018"},
		{"spend above the limit", sms(func(w *world) { w.sms[0].Spend.MonthToDateUSD = 10.02 }), "cannot", "RC-USER-018"},
		{"spend unread", sms(func(w *world) { w.sms[0].Spend.Read = deniedSrc("cloudwatch:GetMetricData") }), "may not", "RC-USER-018?"},
		{"sms attributes unread", sms(func(w *world) { w.sms[0].Attributes.Read = deniedSrc("sns:GetSMSAttributes") }), "may not", "RC-USER-018?"},
		{"unset limit, quota 1 USD, spent 1 USD", sms(func(w *world) {
			w.sms[0].Attributes.MonthlySpendLimit = ""
			w.sms[0].EUMS.SpendLimit = snapshot.EUMSSpendLimit{Read: okSrc("sms-voice:DescribeSpendLimits"), Found: true, EnforcedUSD: 1, MaxUSD: 1}
		}), "cannot", "RC-USER-018"},
		{"unset limit, quota 100 USD, spent 1 USD", sms(func(w *world) {
			w.sms[0].Attributes.MonthlySpendLimit = ""
			w.sms[0].EUMS.SpendLimit = snapshot.EUMSSpendLimit{Read: okSrc("sms-voice:DescribeSpendLimits"), Found: true, EnforcedUSD: 100, MaxUSD: 100}
		}), "can", ""},
		{"unset limit, quota unread", sms(func(w *world) {
			w.sms[0].Attributes.MonthlySpendLimit = ""
			w.sms[0].EUMS.SpendLimit = snapshot.EUMSSpendLimit{Read: deniedSrc("sms-voice:DescribeSpendLimits")}
		}), "may not", "RC-USER-018?"},
		{"limit above the quota", sms(func(w *world) {
			w.sms[0].EUMS.SpendLimit = snapshot.EUMSSpendLimit{Read: okSrc("sms-voice:DescribeSpendLimits"), Found: true, EnforcedUSD: 5, MaxUSD: 5}
		}), "cannot", "RC-USER-018"},
		{"no sms sender", sms(func(w *world) { w.pool.SMS = snapshot.SMSConfig{Region: w.region} }), "cannot", "RC-USER-018"},
		{"custom sms sender without a key", sms(func(w *world) {
			w.pool.Triggers.CustomSMSSender = "arn:aws:lambda:eu-west-1:111122223333:function:sender"
		}), "cannot", "RC-USER-018"},
		{"custom sms sender with a key", sms(func(w *world) {
			w.pool.Triggers.CustomSMSSender = "arn:aws:lambda:eu-west-1:111122223333:function:sender"
			w.pool.Triggers.KMSKeySet = true
		}), "may not", "RC-USER-020"},
		{"US number, origination only in End User Messaging", sms(func(w *world) {
			w.user().Phone.CallingCode, w.user().Phone.Country = "1", "US"
			w.sms[0].EUMS.PhoneNumbers.Numbers = []snapshot.OriginationNumber{{Country: "US", Status: "ACTIVE", RouteType: "Transactional", SMS: true}}
		}), "can", ""},
		{"US number, no origination anywhere", sms(func(w *world) {
			w.user().Phone.CallingCode, w.user().Phone.Country = "1", "US"
		}), "cannot", "RC-USER-016"},
		{"US number, End User Messaging numbers unread", sms(func(w *world) {
			w.user().Phone.CallingCode, w.user().Phone.Country = "1", "US"
			w.sms[0].EUMS.PhoneNumbers = snapshot.OriginationNumbers{Read: deniedSrc("sms-voice:DescribePhoneNumbers"), Numbers: []snapshot.OriginationNumber{}}
		}), "may not", "RC-USER-016?"},
		{"email healthy", email(func(*world) {}), "can", ""},
		{"ses sandbox, recipient in a verified domain", email(func(w *world) {
			w.email[0].Account.ProductionAccessEnabled = false
			w.user().Email.RecipientVerified = true
		}), "can", ""},
		{"ses sandbox, recipient not verified", email(func(w *world) {
			w.email[0].Account.ProductionAccessEnabled = false
		}), "cannot", "RC-USER-014"},
		{"ses sandbox, verified identities unread", email(func(w *world) {
			w.email[0].Account.ProductionAccessEnabled = false
			w.email[0].VerifiedIdentities.Read = deniedSrc("ses:ListEmailIdentities")
		}), "may not", "RC-USER-014?"},
		{"contradictory identity", email(func(w *world) {
			w.email[0].Identities[0].VerifiedForSending = false
		}), "may not", "RC-USER-018?"},
		{"identity not verified", email(func(w *world) {
			w.email[0].Identities[0].VerifiedForSending = false
			w.email[0].Identities[0].VerificationStatus = "PENDING"
		}), "cannot", "RC-USER-018"},
		{"ses identity in a region the pool may not use", func() *world {
			w := newWorld("eu-west-3", snapshot.MechanismEmail)
			w.pool.Email.SESRegion, w.pool.Email.SourceARN = "eu-west-1", "arn:aws:ses:eu-west-1:111122223333:identity/example.com"
			w.email = []snapshot.EmailState{healthySES("eu-west-1")}
			return w
		}(), "may not", "RC-USER-020"},
		{"custom email sender with a key", email(func(w *world) {
			w.pool.Triggers.CustomEmailSender = "arn:aws:lambda:eu-west-1:111122223333:function:mailer"
			w.pool.Triggers.KMSKeySet = true
		}), "may not", "RC-USER-020"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, ids := verdict(t, e, c.world.marshal(t))
			if got != c.want {
				t.Errorf("verdict %s, want %s (findings %v)", got, c.want, ids)
			}
			if c.rule == "" && len(ids) > 0 {
				t.Errorf("findings %v, want none", ids)
			}
			if c.rule != "" && !slices.Contains(ids, c.rule) {
				t.Errorf("findings %v, want %s among them", ids, c.rule)
			}
		})
	}
}

// A pool without SnsRegion in us-east-2 may send through us-east-1 too:
// SMS is judged in both.
func TestDeliveryLegacyAlternateRegion(t *testing.T) {
	e, err := New(context.Background(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	legacy := func(change func(w *world)) *world {
		w := newWorld("us-east-2", snapshot.MechanismPhone)
		w.pool.SMS.SNSRegion, w.pool.SMS.AlternateRegion = "", "us-east-1"
		w.sms = append(w.sms, healthySMS("us-east-1"))
		change(w)
		return w
	}
	cases := []struct {
		name  string
		world *world
		want  string
	}{
		{"both healthy", legacy(func(*world) {}), "can"},
		{"alternate at its limit", legacy(func(w *world) { w.sms[1].Spend.MonthToDateUSD = 10 }), "may not"},
		{"both at their limit", legacy(func(w *world) { w.sms[0].Spend.MonthToDateUSD = 10; w.sms[1].Spend.MonthToDateUSD = 10 }), "cannot"},
		{"alternate not collected", legacy(func(w *world) { w.sms = w.sms[:1] }), "may not"},
		{"opted out in the alternate only", legacy(func(w *world) { w.user().Phone.AlternateOptedOut = true }), "may not"},
		{"opted out in both", legacy(func(w *world) { w.user().Phone.AlternateOptedOut, w.user().Phone.OptedOut = true, true }), "cannot"},
		{"alternate in the sandbox", legacy(func(w *world) { w.sms[1].Sandbox.InSandbox = true }), "may not"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got, ids := verdict(t, e, c.world.marshal(t)); got != c.want {
				t.Errorf("verdict %s, want %s (findings %v)", got, c.want, ids)
			}
		})
	}
}

// A custom pool rule that declares effect blocks on SMS makes the pool's
// SMS users "cannot"; on email, it leaves them alone.
func TestCustomChannelRuleBlocks(t *testing.T) {
	dir := t.TempDir()
	rule := `# METADATA
# title: Texts go through an unapproved SNS region
# custom:
#   id: ACME-SMS-001
#   severity: high
#   channel: sms
#   effect: blocks
package custom.rules.pool.unapproved_region

import data.recoverscan.lib.report

report contains report.fail("The pool sends texts through a region our carrier contract does not cover.", {"sms_region": input.sms.region}) if {
	input.sms.region == "eu-west-1"
}
`
	if err := os.MkdirAll(filepath.Join(dir, "unapproved_region"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "unapproved_region", "rule.rego"), []byte(rule), 0o644); err != nil {
		t.Fatal(err)
	}
	e, err := New(context.Background(), Options{PolicyDirs: []string{dir}})
	if err != nil {
		t.Fatal(err)
	}
	got, ids := verdict(t, e, newWorld("eu-west-1", snapshot.MechanismPhone).marshal(t))
	if got != "cannot" || !slices.Contains(ids, "RC-USER-018") {
		t.Errorf("sms user: verdict %s, findings %v; want cannot with RC-USER-018", got, ids)
	}
	r, err := e.Evaluate(context.Background(), bytes.NewReader(newWorld("eu-west-1", snapshot.MechanismPhone).marshal(t)))
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, f := range r.Findings {
		if f.RuleID == "RC-USER-018" && strings.Contains(f.Message, "ACME-SMS-001") {
			found = true
		}
	}
	if !found {
		t.Error("RC-USER-018 does not name ACME-SMS-001")
	}
	if got, ids := verdict(t, e, newWorld("eu-west-1", snapshot.MechanismEmail).marshal(t)); got != "can" {
		t.Errorf("email user: verdict %s, findings %v; want can", got, ids)
	}
}

// A channel rule may not read input.users: it runs before they are counted.
func TestChannelRuleReadingUsersIsRefused(t *testing.T) {
	dir := t.TempDir()
	rule := `# METADATA
# title: Many texts
# custom:
#   id: ACME-SMS-002
#   severity: low
#   channel: sms
package custom.rules.sms.many

import data.recoverscan.lib.report

report contains report.fail("many", {}) if input.users.by_channel.sms > 100
`
	if err := os.WriteFile(filepath.Join(dir, "many.rego"), []byte(rule), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := New(context.Background(), Options{PolicyDirs: []string{dir}})
	if err == nil || !strings.Contains(err.Error(), "input.users") || !strings.Contains(err.Error(), "many.rego") {
		t.Fatalf("got %v, want an error naming the file and input.users", err)
	}
}
