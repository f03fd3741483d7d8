package collector_test

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"

	"github.com/recoverscan/recoverscan/collector"
	"github.com/recoverscan/recoverscan/collector/awstest"
	"github.com/recoverscan/recoverscan/collector/snapshot"
)

// Synthetic numbers of the other-region pools (+1 555 fiction range).
const (
	altOptedOutPhone  = "+15555550166" // opted out only in the legacy alternate region
	altSandboxPhone   = "+15555550155" // a sandbox destination only there
	homeOptedOutPhone = "+15555550144" // opted out only in the pool's own region
	seoulPhone        = "+15555550133" // opted out in Tokyo
)

// seedRegionPool creates, in region, a pool that recovers by SMS and has
// an SMS configuration without SnsRegion, and users with the phones.
func seedRegionPool(t *testing.T, moto, region, name string, users map[string]string) string {
	t.Helper()
	ctx := context.Background()
	cfg, err := awstest.Config(ctx, moto, region, 1)
	if err != nil {
		t.Fatal(err)
	}
	c := cip.NewFromConfig(cfg)
	out, err := c.CreateUserPool(ctx, &cip.CreateUserPoolInput{
		PoolName: aws.String(name),
		AccountRecoverySetting: &types.AccountRecoverySettingType{RecoveryMechanisms: []types.RecoveryOptionType{
			{Name: types.RecoveryOptionNameTypeVerifiedPhoneNumber, Priority: aws.Int32(1)},
		}},
		SmsConfiguration: &types.SmsConfigurationType{
			SnsCallerArn: aws.String("arn:aws:iam::123456789012:role/" + awstest.SNSCallerRole),
			ExternalId:   aws.String("recoverscan-test"),
		},
	})
	if err != nil {
		t.Fatalf("create pool %s in %s: %v", name, region, err)
	}
	id := aws.ToString(out.UserPool.Id)
	for username, phone := range users {
		_, err := c.AdminCreateUser(ctx, &cip.AdminCreateUserInput{
			UserPoolId: aws.String(id), Username: aws.String(username), MessageAction: types.MessageActionTypeSuppress,
			UserAttributes: []types.AttributeType{
				{Name: aws.String("phone_number"), Value: aws.String(phone)},
				{Name: aws.String("phone_number_verified"), Value: aws.String("true")},
			},
		})
		if err != nil {
			t.Fatalf("create user %s: %v", username, err)
		}
	}
	return id
}

// testLegacyAlternateRegion collects a us-east-2 pool without SnsRegion
// (legacy alternate us-east-1) and a Seoul pool without SnsRegion (Tokyo),
// with different SMS state in each SNS region.
func testLegacyAlternateRegion(t *testing.T, moto string) {
	seedRegionPool(t, moto, "us-east-2", "legacy-alternate", map[string]string{
		"alt-opted-out": altOptedOutPhone, "alt-sandbox": altSandboxPhone, "home-opted-out": homeOptedOutPhone,
	})
	seedRegionPool(t, moto, "ap-northeast-2", "seoul", map[string]string{"seoul-user": seoulPhone})

	st := awstest.StandInState{SMSByRegion: map[string]awstest.SMSFixture{
		"us-east-2": {OptedOut: []string{homeOptedOutPhone}, Spend: []float64{0.2}, EUMS: awstest.EUMSFixture{Tier: "SANDBOX"}},
		"us-east-1": {
			InSandbox:      true,
			OptedOut:       []string{altOptedOutPhone},
			SandboxNumbers: []awstest.SandboxNumber{{PhoneNumber: altSandboxPhone, Status: "Verified"}},
			Spend:          []float64{0.9, 0.7},
			EUMS:           awstest.EUMSFixture{Tier: "PRODUCTION"},
		},
		"ap-northeast-1": {OptedOut: []string{seoulPhone}, Spend: []float64{0.1}},
		// Seoul's own SNS state must not be read.
		"ap-northeast-2": {OptedOut: []string{}},
	}}
	r := collect(t, awstest.StartStandIn(t, moto, st), collector.Options{Regions: []string{"us-east-2", "ap-northeast-2"}})
	regions := r.snap.Accounts[0].Regions
	if len(regions) != 2 {
		t.Fatalf("regions: %+v", regions)
	}
	smsRegions := func(reg snapshot.Region) string {
		var names []string
		for _, s := range reg.SMS {
			names = append(names, s.Region)
		}
		return strings.Join(names, ",")
	}
	byRegion := func(reg snapshot.Region) map[string]snapshot.SMSState {
		m := map[string]snapshot.SMSState{}
		for _, s := range reg.SMS {
			m[s.Region] = s
		}
		return m
	}
	findUser := func(p *snapshot.Pool, name string) *snapshot.User {
		t.Helper()
		for i := range p.Users {
			if p.Users[i].Username == name {
				return &p.Users[i]
			}
		}
		t.Fatalf("user %s not in pool %s", name, p.Name)
		return nil
	}

	// us-east-2: its own SNS state and the legacy alternate's.
	ohio := regions[0]
	if ohio.Name != "us-east-2" || len(ohio.Pools) != 1 {
		t.Fatalf("us-east-2: %+v", ohio)
	}
	if got := smsRegions(ohio); got != "us-east-2,us-east-1" {
		t.Errorf("us-east-2 SMS states: %s, want us-east-2,us-east-1", got)
	}
	p := &ohio.Pools[0]
	if p.SMS.SNSRegion != "" || p.SMS.Region != "us-east-2" || p.SMS.AlternateRegion != "us-east-1" {
		t.Errorf("legacy pool SMS: %+v", p.SMS)
	}
	states := byRegion(ohio)
	// Each region's state comes from that region's clients.
	if home, alt := states["us-east-2"], states["us-east-1"]; home.Spend.MonthToDateUSD != 0.2 || alt.Spend.MonthToDateUSD != 0.9 ||
		home.EUMS.Account.Tier != "SANDBOX" || alt.EUMS.Account.Tier != "PRODUCTION" || home.Sandbox.InSandbox || !alt.Sandbox.InSandbox ||
		home.OptOuts.Count != 1 || alt.OptOuts.Count != 1 || alt.Sandbox.VerifiedDestinationCount != 1 {
		t.Errorf("SMS states: home %+v\nalternate %+v", home, alt)
	}
	for _, s := range ohio.SMS {
		for what, src := range map[string]snapshot.Source{"attributes": s.Attributes.Read, "sandbox": s.Sandbox.Read,
			"opt-outs": s.OptOuts.Read, "spend": s.Spend.Read, "EUMS": s.EUMS.Account.Read} {
			if !src.OK() {
				t.Errorf("%s %s: %+v", s.Region, what, src)
			}
		}
	}
	for name, want := range map[string][4]bool{ // opted out, alternate opted out, sandbox, alternate sandbox
		"alt-opted-out":  {false, true, false, false},
		"alt-sandbox":    {false, false, false, true},
		"home-opted-out": {true, false, false, false},
	} {
		u := findUser(p, name)
		got := [4]bool{u.Phone.OptedOut, u.Phone.AlternateOptedOut, u.Phone.SandboxVerified, u.Phone.AlternateSandboxVerified}
		if got != want {
			t.Errorf("%s: opted_out, alternate_opted_out, sandbox_verified, alternate_sandbox_verified = %v, want %v", name, got, want)
		}
	}

	// Seoul: Tokyo's SNS state only.
	seoul := regions[1]
	if seoul.Name != "ap-northeast-2" || len(seoul.Pools) != 1 {
		t.Fatalf("ap-northeast-2: %+v", seoul)
	}
	if got := smsRegions(seoul); got != "ap-northeast-1" {
		t.Errorf("Seoul SMS states: %s, want ap-northeast-1", got)
	}
	sp := &seoul.Pools[0]
	if sp.SMS.Region != "ap-northeast-1" || sp.SMS.AlternateRegion != "" {
		t.Errorf("Seoul pool SMS: %+v", sp.SMS)
	}
	if u := findUser(sp, "seoul-user"); !u.Phone.OptedOut || u.Phone.AlternateOptedOut {
		t.Errorf("seoul-user: %+v", u.Phone)
	}
	if s := seoul.SMS[0]; s.Spend.MonthToDateUSD != 0.1 || !s.Spend.Read.OK() {
		t.Errorf("Tokyo spend: %+v", s.Spend)
	}

	for _, phone := range []string{altOptedOutPhone, altSandboxPhone, homeOptedOutPhone, seoulPhone} {
		if bytes.Contains(r.raw, []byte(phone[1:])) || strings.Contains(r.logs, phone[1:]) {
			t.Errorf("snapshot or log contains %s", phone)
		}
	}
}
