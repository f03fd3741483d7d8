package main

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"

	"github.com/recoverscan/recoverscan/collector/awstest"
)

// deliveryWorld is one pool with one user, in a region of its own (or
// sharing the SES state of the email worlds), whose verdict depends only
// on the delivery path the code would travel.
type deliveryWorld struct {
	name, region string
	// email: recover by email (DEVELOPER, SES identity in region);
	// otherwise by phone.
	email     bool
	identity  string
	snsRegion string // "" leaves SnsRegion unset (a legacy pool)
	sender    string // a CustomSMSSender function ARN
	kms       bool
	address   string // the user's email address
	phone     string // the user's phone number
	want      string // can | cannot | may not
	// rule is a finding the user must have ("" when the user must have none).
	rule string
}

// TestDeliveryWorlds runs the built binary against moto and the stand-in,
// one world per documented hop state, and checks each user's verdict: no
// user may be reported as able to receive a code while a hop of the path
// Cognito would use is broken, endangered or unread.
func TestDeliveryWorlds(t *testing.T) {
	endpoint := awstest.StartMoto(t)
	const (
		gb = "+447700900123"
		us = "+12025550143"
	)
	worlds := []deliveryWorld{
		{name: "spend-below-80", region: "us-west-2", snsRegion: "us-west-2", phone: gb, want: "can"},
		{name: "spend-at-80", region: "eu-west-3", snsRegion: "eu-west-3", phone: gb, want: "may not", rule: "RC-USER-020"},
		{name: "spend-at-limit", region: "eu-north-1", snsRegion: "eu-north-1", phone: gb, want: "cannot", rule: "RC-USER-018"},
		{name: "spend-unread", region: "sa-east-1", snsRegion: "sa-east-1", phone: gb, want: "may not", rule: "RC-USER-018?"},
		{name: "unset-limit-default-quota", region: "ap-southeast-2", snsRegion: "ap-southeast-2", phone: gb, want: "cannot", rule: "RC-USER-018"},
		{name: "unset-limit-raised-quota", region: "ap-northeast-1", snsRegion: "ap-northeast-1", phone: gb, want: "can"},
		{name: "legacy-region", region: "us-east-2", phone: gb, want: "may not", rule: "RC-USER-020"},
		{name: "us-origination-in-eums", region: "ca-central-1", snsRegion: "ca-central-1", phone: us, want: "can"},
		{name: "custom-sender-without-key", region: "eu-central-1", snsRegion: "eu-central-1", phone: gb,
			sender: "arn:aws:lambda:eu-central-1:123456789012:function:sms-sender", want: "cannot", rule: "RC-USER-018"},
		{name: "custom-sender-with-key", region: "eu-central-1", snsRegion: "eu-central-1", phone: gb,
			sender: "arn:aws:lambda:eu-central-1:123456789012:function:sms-sender", kms: true, want: "may not", rule: "RC-USER-020"},
		{name: "sandbox-recipient-in-verified-domain", region: "eu-west-1", email: true, identity: "example.org",
			address: "pat@partner.example.net", want: "can"},
		{name: "sandbox-recipient-not-verified", region: "eu-west-1", email: true, identity: "example.org",
			address: "sam@elsewhere.example", want: "cannot", rule: "RC-USER-014"},
		{name: "contradictory-identity", region: "eu-west-1", email: true, identity: "contra.example.org",
			address: "kim@partner.example.net", want: "may not", rule: "RC-USER-018?"},
	}

	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	ids := map[string]string{} // pool id → world name
	regions := map[string]bool{}
	for _, w := range worlds {
		id, err := seedDeliveryWorld(ctx, endpoint, w)
		if err != nil {
			t.Fatalf("seed %s: %v", w.name, err)
		}
		ids[id] = w.name
		regions[w.region] = true
	}

	healthy := func(spend ...float64) awstest.SMSFixture {
		return awstest.SMSFixture{
			OptedOut:   []string{},
			Attributes: map[string]string{"MonthlySpendLimit": "10", "DefaultSMSType": "Transactional", "DeliveryStatusIAMRole": "arn:aws:iam::123456789012:role/sns-logs"},
			OriginationNumbers: []awstest.OriginationNumber{{PhoneNumber: "+447700900999", Iso2CountryCode: "GB", Status: "ACTIVE",
				RouteType: "Transactional", Capabilities: []string{"SMS"}}},
			Spend: spend,
			EUMS:  awstest.EUMSFixture{SpendLimits: []awstest.EUMSSpendLimit{{Name: "TEXT_MESSAGE_MONTHLY_SPEND_LIMIT", Enforced: 10, Max: 10}}},
		}
	}
	unsetLimit := func(quota int64) awstest.SMSFixture {
		f := healthy(0.4, 1.0)
		f.Attributes = map[string]string{"DefaultSMSType": "Transactional", "DeliveryStatusIAMRole": "arn:aws:iam::123456789012:role/sns-logs"}
		f.EUMS.SpendLimits = []awstest.EUMSSpendLimit{{Name: "TEXT_MESSAGE_MONTHLY_SPEND_LIMIT", Enforced: quota, Max: quota}}
		return f
	}
	unread := healthy(3)
	unread.SpendStatus = "PartialData"
	usEUMS := healthy(1)
	usEUMS.OriginationNumbers = []awstest.OriginationNumber{}
	usEUMS.EUMS.PhoneNumbers = []awstest.EUMSPhoneNumber{{PhoneNumber: "+12025550100", IsoCountryCode: "US", Status: "ACTIVE",
		Capabilities: []string{"SMS"}, MessageType: "TRANSACTIONAL", NumberType: "TOLL_FREE"}}
	state := awstest.StandInState{
		SMSByRegion: map[string]awstest.SMSFixture{
			"us-west-2":      healthy(0.5, 2, 7.9),
			"eu-west-3":      healthy(3, 8),
			"eu-north-1":     healthy(4, 10),
			"sa-east-1":      unread,
			"ap-southeast-2": unsetLimit(1),
			"ap-northeast-1": unsetLimit(100),
			"us-east-2":      healthy(1),
			"us-east-1":      healthy(10), // us-east-2's legacy alternate, at its limit
			"ca-central-1":   usEUMS,
			"eu-central-1":   healthy(1),
		},
		Email: awstest.EmailFixture{
			Account: awstest.SESAccount{ProductionAccessEnabled: false, SendingEnabled: true, EnforcementStatus: "HEALTHY",
				Max24HourSend: 200, MaxSendRate: 1},
			Suppressed: []awstest.SuppressedAddress{},
			Identities: map[string]awstest.EmailIdentity{
				"example.org":        {VerifiedForSending: true, VerificationStatus: "SUCCESS", DKIMStatus: "SUCCESS"},
				"contra.example.org": {VerifiedForSending: false, VerificationStatus: "SUCCESS", DKIMStatus: "SUCCESS"},
			},
			ListedIdentities: []awstest.ListedIdentity{
				{Name: "example.org", VerificationStatus: "SUCCESS"},
				{Name: "partner.example.net", VerificationStatus: "SUCCESS"},
				{Name: "elsewhere.example", VerificationStatus: "PENDING"},
			},
		},
	}
	standIn := awstest.StartStandIn(t, endpoint, state)

	args := []string{"scan", "--format", "json"}
	for r := range regions {
		args = append(args, "--region", r)
	}
	code, stdout, stderr := runBinary(t, standIn, args...)
	if code != exitOK && code != exitIncomplete {
		t.Fatalf("scan: exit %d\n%s", code, stderr)
	}
	report := decodeReport(t, []byte(stdout))

	got := map[string]string{}
	findings := map[string][]string{}
	for _, s := range report.Scopes {
		for _, p := range s.Pools {
			name := ids[p.ID]
			if name == "" {
				continue
			}
			switch u := p.Users; {
			case u.Total != 1:
				t.Errorf("%s: %d users, want 1", name, u.Total)
			case u.Can == 1:
				got[name] = "can"
			case u.Cannot == 1:
				got[name] = "cannot"
			default:
				got[name] = "may not"
			}
		}
	}
	for _, f := range report.Findings {
		if name := ids[f.Resource.PoolID]; name != "" && f.Resource.Username != "" {
			id := f.RuleID
			if f.Verdict == "indeterminate" {
				id += "?"
			}
			findings[name] = append(findings[name], id)
		}
	}
	for _, w := range worlds {
		fs := strings.Join(findings[w.name], " ")
		if got[w.name] != w.want {
			t.Errorf("%s: verdict %q, want %q (findings: %s)", w.name, got[w.name], w.want, fs)
		}
		if w.rule == "" && fs != "" {
			t.Errorf("%s: findings %s, want none", w.name, fs)
		}
		if w.rule != "" && !strings.Contains(" "+fs+" ", " "+w.rule+" ") {
			t.Errorf("%s: findings %s, want %s among them", w.name, fs, w.rule)
		}
		t.Logf("%-38s %-8s %s", w.name, got[w.name], fs)
	}
}

// seedDeliveryWorld creates the world's pool and user in moto and returns
// the pool id.
func seedDeliveryWorld(ctx context.Context, endpoint string, w deliveryWorld) (string, error) {
	cfg, err := awstest.Config(ctx, endpoint, w.region, 1)
	if err != nil {
		return "", err
	}
	c := cip.NewFromConfig(cfg)
	in := &cip.CreateUserPoolInput{
		PoolName:               aws.String(w.name),
		AutoVerifiedAttributes: []types.VerifiedAttributeType{types.VerifiedAttributeTypeEmail, types.VerifiedAttributeTypePhoneNumber},
		UserAttributeUpdateSettings: &types.UserAttributeUpdateSettingsType{AttributesRequireVerificationBeforeUpdate: []types.VerifiedAttributeType{
			types.VerifiedAttributeTypeEmail, types.VerifiedAttributeTypePhoneNumber}},
		AccountRecoverySetting: &types.AccountRecoverySettingType{RecoveryMechanisms: []types.RecoveryOptionType{
			{Name: types.RecoveryOptionNameTypeVerifiedPhoneNumber, Priority: aws.Int32(1)}}},
		SmsConfiguration: &types.SmsConfigurationType{SnsCallerArn: aws.String("arn:aws:iam::123456789012:role/cognito-sms"), ExternalId: aws.String("ext")},
	}
	if w.snsRegion != "" {
		in.SmsConfiguration.SnsRegion = aws.String(w.snsRegion)
	}
	if w.email {
		in.AccountRecoverySetting.RecoveryMechanisms[0].Name = types.RecoveryOptionNameTypeVerifiedEmail
		in.EmailConfiguration = &types.EmailConfigurationType{
			EmailSendingAccount: types.EmailSendingAccountTypeDeveloper,
			SourceArn:           aws.String(fmt.Sprintf("arn:aws:ses:%s:123456789012:identity/%s", w.region, w.identity)),
			From:                aws.String("no-reply@" + w.identity),
		}
	}
	if w.sender != "" {
		in.LambdaConfig = &types.LambdaConfigType{CustomSMSSender: &types.CustomSMSLambdaVersionConfigType{
			LambdaArn: aws.String(w.sender), LambdaVersion: types.CustomSMSSenderLambdaVersionTypeV10}}
		if w.kms {
			in.LambdaConfig.KMSKeyID = aws.String("arn:aws:kms:" + w.region + ":123456789012:key/00000000-0000-4000-8000-000000000001")
		}
	}
	out, err := c.CreateUserPool(ctx, in)
	if err != nil {
		return "", fmt.Errorf("create pool: %w", err)
	}
	pool := out.UserPool.Id
	var attrs []types.AttributeType
	add := func(k, v string) {
		attrs = append(attrs, types.AttributeType{Name: aws.String(k), Value: aws.String(v)})
	}
	if w.address != "" {
		add("email", w.address)
		add("email_verified", "true")
	}
	if w.phone != "" {
		add("phone_number", w.phone)
		add("phone_number_verified", "true")
	}
	if _, err := c.AdminCreateUser(ctx, &cip.AdminCreateUserInput{UserPoolId: pool, Username: aws.String("pat"), UserAttributes: attrs,
		MessageAction: types.MessageActionTypeSuppress, TemporaryPassword: aws.String("Fixture-Passw0rd!")}); err != nil {
		return "", fmt.Errorf("create user: %w", err)
	}
	if _, err := c.AdminSetUserPassword(ctx, &cip.AdminSetUserPasswordInput{UserPoolId: pool, Username: aws.String("pat"),
		Password: aws.String("Fixture-Passw0rd!"), Permanent: true}); err != nil {
		return "", fmt.Errorf("set password: %w", err)
	}
	return aws.ToString(pool), nil
}
