package collector

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"

	"github.com/recoverscan/recoverscan/collector/snapshot"
)

func TestParseSESIdentityARN(t *testing.T) {
	for _, tc := range []struct{ arn, region, name string }{
		{"arn:aws:ses:eu-west-1:123456789012:identity/example.com", "eu-west-1", "example.com"},
		{"arn:aws:ses:us-east-1:123456789012:identity/no-reply@example.com", "us-east-1", "no-reply@example.com"},
		{"arn:aws-cn:ses:cn-north-1:123456789012:identity/example.cn", "cn-north-1", "example.cn"},
		{"arn:aws:sns:us-east-1:123456789012:identity/x", "", ""},
		{"arn:aws:ses:us-east-1:123456789012:configuration-set/x", "", ""},
		{"", "", ""},
	} {
		r, n := parseSESIdentityARN(tc.arn)
		if r != tc.region || n != tc.name {
			t.Errorf("parseSESIdentityARN(%q) = %q, %q", tc.arn, r, n)
		}
	}
}

func TestFillPoolDefaults(t *testing.T) {
	p := snapshot.PoolSettings{ID: "eu-west-1_x", Region: "eu-west-1"}
	fillPool(&p, &types.UserPoolType{
		Policies:         &types.UserPoolPolicyType{PasswordPolicy: &types.PasswordPolicyType{}},
		SmsConfiguration: &types.SmsConfigurationType{SnsCallerArn: aws.String("arn:aws:iam::1:role/r")},
		EmailConfiguration: &types.EmailConfigurationType{
			SourceArn: aws.String("arn:aws:ses:us-east-1:1:identity/example.com"),
		},
		LambdaConfig: &types.LambdaConfigType{
			CustomSMSSender: &types.CustomSMSLambdaVersionConfigType{LambdaArn: aws.String("arn:aws:lambda:eu-west-1:1:function:s")},
			KMSKeyID:        aws.String("k"),
		},
		SmsConfigurationFailure: aws.String("SNS sandbox"),
	})
	if p.AccountRecovery.Configured || p.TemporaryPasswordValidityDays != 7 || p.MFA.Configuration != "OFF" {
		t.Errorf("defaults: %+v", p)
	}
	// COGNITO_DEFAULT with a custom From: the SES region still comes from SourceArn.
	if p.Email.SendingAccount != "COGNITO_DEFAULT" || p.Email.SESRegion != "us-east-1" || p.Email.Identity != "example.com" {
		t.Errorf("email: %+v", p.Email)
	}
	if !p.SMS.Configured || p.SMS.Region != "eu-west-1" || p.SMS.SNSRegion != "" || p.SMS.ExternalIDSet {
		t.Errorf("sms: %+v", p.SMS)
	}
	if p.Triggers.CustomSMSSender == "" || !p.Triggers.KMSKeySet || p.SMSConfigurationFailure != "SNS sandbox" {
		t.Errorf("triggers/failure: %+v %q", p.Triggers, p.SMSConfigurationFailure)
	}

	var m snapshot.PoolMFA
	fillMFA(&m, &cip.GetUserPoolMfaConfigOutput{
		MfaConfiguration:              types.UserPoolMfaTypeOn,
		SoftwareTokenMfaConfiguration: &types.SoftwareTokenMfaConfigType{Enabled: false},
		EmailMfaConfiguration:         &types.EmailMfaConfigType{},
	})
	if m.Configuration != "ON" || m.SMSEnabled || m.TOTPEnabled || !m.EmailEnabled {
		t.Errorf("mfa: %+v", m)
	}
}

func TestMFAMatters(t *testing.T) {
	pool := func(configured bool, mfa string, sms, email, known bool) *snapshot.PoolSettings {
		p := &snapshot.PoolSettings{}
		p.AccountRecovery.Configured = configured
		p.MFA = snapshot.PoolMFA{Configuration: mfa, SMSEnabled: sms, EmailEnabled: email}
		if known {
			p.MFA.Read.Status = snapshot.SourceOK
		} else {
			p.MFA.Read.Status = snapshot.SourceDenied
		}
		return p
	}
	phoneUser := &snapshot.User{Phone: snapshot.Phone{Present: true, Verified: true}}
	emailUser := &snapshot.User{Email: snapshot.Email{Present: true, Verified: true}}
	unverified := &snapshot.User{Phone: snapshot.Phone{Present: true}}
	for _, tc := range []struct {
		name string
		p    *snapshot.PoolSettings
		u    *snapshot.User
		want bool
	}{
		{"sms mfa, phone user", pool(true, "OPTIONAL", true, false, true), phoneUser, true},
		{"legacy pool", pool(false, "OPTIONAL", true, false, true), phoneUser, false},
		{"mfa off", pool(true, "OFF", true, true, true), phoneUser, false},
		{"sms mfa, email user", pool(true, "ON", true, false, true), emailUser, false},
		{"email mfa, email user", pool(true, "ON", false, true, true), emailUser, true},
		{"unverified phone", pool(true, "ON", true, true, true), unverified, false},
		{"factors unknown", pool(true, "ON", false, false, false), emailUser, true},
	} {
		if got := mfaMatters(tc.p, tc.u); got != tc.want {
			t.Errorf("%s: mfaMatters = %v, want %v", tc.name, got, tc.want)
		}
	}
}

func TestSMSRegions(t *testing.T) {
	for _, tc := range []struct{ pool, sns, region, alternate string }{
		// Without SnsRegion: the pool's region and its legacy alternate.
		{"us-east-2", "", "us-east-2", "us-east-1"},
		{"ap-south-1", "", "ap-south-1", "ap-southeast-1"},
		{"ca-central-1", "", "ca-central-1", "us-east-1"},
		{"eu-central-1", "", "eu-central-1", "eu-west-1"},
		{"eu-west-2", "", "eu-west-2", "eu-west-1"},
		// Seoul must use Tokyo, and only Tokyo.
		{"ap-northeast-2", "", "ap-northeast-1", ""},
		// Regions without a legacy alternate.
		{"us-east-1", "", "us-east-1", ""},
		{"eu-west-1", "", "eu-west-1", ""},
		// SnsRegion set: that region alone.
		{"us-east-2", "us-east-2", "us-east-2", ""},
		{"eu-west-2", "us-west-2", "us-west-2", ""},
		{"ap-northeast-2", "ap-northeast-1", "ap-northeast-1", ""},
	} {
		region, alternate := smsRegions(tc.pool, tc.sns)
		if region != tc.region || alternate != tc.alternate {
			t.Errorf("smsRegions(%q, %q) = %q, %q; want %q, %q", tc.pool, tc.sns, region, alternate, tc.region, tc.alternate)
		}
	}
}

func TestUserNotificationErrors(t *testing.T) {
	cw := &types.CloudWatchLogsConfigurationType{LogGroupArn: aws.String("arn:aws:logs:us-east-1:123456789012:log-group:g")}
	s3 := &types.S3ConfigurationType{BucketArn: aws.String("arn:aws:s3:::b")}
	fh := &types.FirehoseConfigurationType{StreamArn: aws.String("arn:aws:firehose:us-east-1:123456789012:deliverystream/s")}
	for _, tc := range []struct {
		name string
		lc   types.LogConfigurationType
		want bool
	}{
		{"errors to CloudWatch Logs", types.LogConfigurationType{EventSource: types.EventSourceNameUserNotification, LogLevel: types.LogLevelError, CloudWatchLogsConfiguration: cw}, true},
		{"info to S3", types.LogConfigurationType{EventSource: types.EventSourceNameUserNotification, LogLevel: types.LogLevelInfo, S3Configuration: s3}, true},
		{"errors to Firehose", types.LogConfigurationType{EventSource: types.EventSourceNameUserNotification, LogLevel: types.LogLevelError, FirehoseConfiguration: fh}, true},
		{"no destination", types.LogConfigurationType{EventSource: types.EventSourceNameUserNotification, LogLevel: types.LogLevelError}, false},
		{"empty destination", types.LogConfigurationType{EventSource: types.EventSourceNameUserNotification, LogLevel: types.LogLevelError, CloudWatchLogsConfiguration: &types.CloudWatchLogsConfigurationType{}}, false},
		{"authentication events", types.LogConfigurationType{EventSource: types.EventSourceNameUserAuthEvents, LogLevel: types.LogLevelInfo, S3Configuration: s3}, false},
		{"no level", types.LogConfigurationType{EventSource: types.EventSourceNameUserNotification, CloudWatchLogsConfiguration: cw}, false},
	} {
		if got := userNotificationErrors(tc.lc); got != tc.want {
			t.Errorf("%s: %v, want %v", tc.name, got, tc.want)
		}
	}
}
