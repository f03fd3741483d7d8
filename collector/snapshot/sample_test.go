package snapshot_test

import (
	"time"

	"github.com/recoverscan/recoverscan/collector/snapshot"
)

// The sample snapshot: two accounts with data, one whose identity could not
// be read, one with no regions; regions with several pools, with no pools,
// and with a listing that failed; pools with users, without users and
// whose settings could not be read. It uses every list in the model, so a
// round trip exercises every field.

var takenAt = time.Date(2026, 11, 1, 9, 30, 0, 0, time.UTC)

func ok(action string) snapshot.Source {
	return snapshot.Source{Status: snapshot.SourceOK, Action: action}
}

func failed(status snapshot.SourceStatus, action, msg string) snapshot.Source {
	return snapshot.Source{Status: status, Action: action, Error: msg}
}

func sampleSnapshot() *snapshot.Snapshot {
	return &snapshot.Snapshot{
		Header: snapshot.Header{
			SchemaVersion: snapshot.SchemaVersion,
			TakenAt:       takenAt,
			Tool:          snapshot.Tool{Name: "recoverscan", Version: "test"},
			Pseudonymized: false,
		},
		Accounts: []snapshot.Account{
			{
				ID:       "111122223333",
				Identity: ok("sts:GetCallerIdentity"),
				Regions: []snapshot.Region{
					{
						Name:      "us-east-1",
						PoolsRead: ok("cognito-idp:ListUserPools"),
						SMS:       []snapshot.SMSState{smsState("us-east-1", false), smsState("us-west-2", true)},
						Email:     []snapshot.EmailState{emailState("us-east-1")},
						Pools: []snapshot.Pool{
							{
								PoolSettings: poolSettings("us-east-1", "us-east-1_Customers", "customers"),
								Users: []snapshot.User{
									user("alice", snapshot.StatusConfirmed, true, false),
									user("bob", snapshot.StatusForceChangePassword, false, true),
									user("carol", snapshot.StatusUnconfirmed, false, false),
								},
								UsersRead:   ok("cognito-idp:ListUsers"),
								UsersListed: 3,
							},
							{
								PoolSettings: poolSettings("us-east-1", "us-east-1_Empty", "empty"),
								Users:        []snapshot.User{},
								UsersRead:    ok("cognito-idp:ListUsers"),
							},
							{
								// DescribeUserPool was denied: only id and region are known.
								PoolSettings: snapshot.PoolSettings{
									ID:          "us-east-1_Locked",
									Region:      "us-east-1",
									Read:        failed(snapshot.SourceDenied, "cognito-idp:DescribeUserPool", "AccessDeniedException: not authorized"),
									MFA:         snapshot.PoolMFA{Read: failed(snapshot.SourceSkipped, "", "DescribeUserPool failed")},
									LogDelivery: snapshot.LogDelivery{Read: failed(snapshot.SourceSkipped, "cognito-idp:GetLogDeliveryConfiguration", "DescribeUserPool failed")},
									Clients: snapshot.Clients{
										Read:  failed(snapshot.SourceSkipped, "", "DescribeUserPool failed"),
										Items: []snapshot.Client{},
									},
									AccountRecovery:        snapshot.AccountRecovery{Mechanisms: []snapshot.RecoveryMechanism{}},
									AutoVerifiedAttributes: []string{},
									AliasAttributes:        []string{},
									UsernameAttributes:     []string{},
									VerifyBeforeUpdate:     []string{},
								},
								Users:     []snapshot.User{},
								UsersRead: failed(snapshot.SourceDenied, "cognito-idp:ListUsers", "AccessDeniedException: not authorized"),
							},
						},
					},
					{
						Name:      "eu-west-1",
						PoolsRead: ok("cognito-idp:ListUserPools"),
						SMS:       []snapshot.SMSState{smsState("eu-west-1", false)},
						Email:     []snapshot.EmailState{},
						Pools: []snapshot.Pool{{
							PoolSettings: poolSettings("eu-west-1", "eu-west-1_Staff", "staff"),
							Users:        []snapshot.User{user("dave", snapshot.StatusResetRequired, true, true)},
							// The listing was throttled after the first user.
							UsersRead:   failed(snapshot.SourceThrottled, "cognito-idp:ListUsers", "TooManyRequestsException: rate exceeded"),
							UsersListed: 1,
						}},
					},
				},
			},
			{
				// An account whose identity could not be read, and whose
				// pools could not be listed.
				ID:       "",
				Identity: failed(snapshot.SourceError, "sts:GetCallerIdentity", "ExpiredToken: the security token included in the request is expired"),
				Regions: []snapshot.Region{{
					Name:      "ap-southeast-2",
					PoolsRead: failed(snapshot.SourceUnavailable, "cognito-idp:ListUserPools", "not offered by this endpoint"),
					SMS:       []snapshot.SMSState{},
					Email:     []snapshot.EmailState{},
					Pools:     []snapshot.Pool{},
				}},
			},
			{
				ID:       "444455556666",
				Identity: ok("sts:GetCallerIdentity"),
				Regions:  []snapshot.Region{},
			},
		},
	}
}

func smsState(region string, sandbox bool) snapshot.SMSState {
	st := snapshot.SMSState{
		Region: region,
		Attributes: snapshot.SMSAttributes{
			Read:              ok("sns:GetSMSAttributes"),
			MonthlySpendLimit: "1",
			DefaultSMSType:    "Transactional",
		},
		Sandbox: snapshot.SMSSandbox{
			Read:                     ok("sns:GetSMSSandboxAccountStatus"),
			InSandbox:                sandbox,
			DestinationsRead:         ok("sns:ListSMSSandboxPhoneNumbers"),
			VerifiedDestinationCount: 2,
		},
		OriginationNumbers: snapshot.OriginationNumbers{
			Read: ok("sns:ListOriginationNumbers"),
			Numbers: []snapshot.OriginationNumber{
				{Country: "US", Status: "ACTIVE", RouteType: "Transactional", SMS: true},
				{Country: "GB", Status: "PENDING", RouteType: "Promotional", SMS: false},
			},
		},
		OptOuts: snapshot.OptOuts{Read: ok("sns:ListPhoneNumbersOptedOut"), Count: 8},
		Spend:   snapshot.SMSSpend{Read: ok("cloudwatch:GetMetricData"), MonthToDateUSD: 0.42, Month: "2026-11"},
		EUMS: snapshot.EUMSState{
			Account:    snapshot.EUMSAccount{Read: ok("sms-voice:DescribeAccountAttributes"), Tier: "PRODUCTION"},
			SpendLimit: snapshot.EUMSSpendLimit{Read: ok("sms-voice:DescribeSpendLimits"), Found: true, EnforcedUSD: 1, MaxUSD: 1},
			PhoneNumbers: snapshot.OriginationNumbers{
				Read:    ok("sms-voice:DescribePhoneNumbers"),
				Numbers: []snapshot.OriginationNumber{{Country: "US", Status: "ACTIVE", RouteType: "Transactional", SMS: true}},
			},
			SenderIDs: snapshot.SenderIDs{Read: ok("sms-voice:DescribeSenderIds"), Items: []snapshot.SenderID{{Country: "GB", Registered: true}}},
		},
	}
	if sandbox {
		st.Sandbox.DestinationsRead = failed(snapshot.SourceDenied, "sns:ListSMSSandboxPhoneNumbers", "AuthorizationError")
		st.OriginationNumbers.Numbers = []snapshot.OriginationNumber{}
	}
	return st
}

func emailState(region string) snapshot.EmailState {
	return snapshot.EmailState{
		Region: region,
		Account: snapshot.SESAccount{
			Read:                    ok("ses:GetAccount"),
			ProductionAccessEnabled: true,
			SendingEnabled:          true,
			EnforcementStatus:       "HEALTHY",
			Max24HourSend:           50000,
			SentLast24Hours:         12.5,
		},
		Identities: []snapshot.EmailIdentity{
			{Name: "example.com", Read: ok("ses:GetEmailIdentity"), Exists: true, VerifiedForSending: true, VerificationStatus: "SUCCESS", DKIMStatus: "SUCCESS", CognitoMaySend: true},
			{Name: "no-reply@example.org", Read: ok("ses:GetEmailIdentity"), VerificationStatus: "NOT_STARTED"},
		},
		ConfigurationSets: []snapshot.ConfigurationSet{
			{Name: "events", Read: ok("ses:GetConfigurationSet"), Exists: true, SendingEnabled: true},
			{Name: "paused", Read: ok("ses:GetConfigurationSet"), Exists: true},
		},
		Suppression:        snapshot.Suppression{Read: ok("ses:ListSuppressedDestinations"), Count: 3},
		VerifiedIdentities: snapshot.VerifiedIdentities{Read: ok("ses:ListEmailIdentities"), Count: 2},
	}
}

func poolSettings(region, id, name string) snapshot.PoolSettings {
	return snapshot.PoolSettings{
		ID:             id,
		Name:           name,
		ARN:            "arn:aws:cognito-idp:" + region + ":111122223333:userpool/" + id,
		Region:         region,
		Read:           ok("cognito-idp:DescribeUserPool"),
		EstimatedUsers: 3,
		Tier:           "ESSENTIALS",
		AccountRecovery: snapshot.AccountRecovery{
			Configured: true,
			Mechanisms: []snapshot.RecoveryMechanism{
				{Name: snapshot.MechanismEmail, Priority: 1},
				{Name: snapshot.MechanismPhone, Priority: 2},
			},
		},
		AutoVerifiedAttributes:        []string{"email", "phone_number"},
		AliasAttributes:               []string{"preferred_username"},
		UsernameAttributes:            []string{},
		VerifyBeforeUpdate:            []string{"email"},
		TemporaryPasswordValidityDays: 7,
		MFA: snapshot.PoolMFA{
			Configuration: "OPTIONAL",
			Read:          ok("cognito-idp:GetUserPoolMfaConfig"),
			SMSEnabled:    true,
			TOTPEnabled:   true,
		},
		Email: snapshot.EmailConfig{
			SendingAccount: snapshot.EmailDeveloper,
			SourceARN:      "arn:aws:ses:" + region + ":111122223333:identity/example.com",
			SESRegion:      region,
			Identity:       "example.com",
		},
		SMS: snapshot.SMSConfig{
			Configured:    true,
			SNSCallerARN:  "arn:aws:iam::111122223333:role/cognito-sms",
			ExternalIDSet: true,
			Region:        region,
		},
		Triggers: snapshot.Triggers{
			CustomMessage: "arn:aws:lambda:" + region + ":111122223333:function:custom-message",
		},
		LogDelivery: snapshot.LogDelivery{Read: ok("cognito-idp:GetLogDeliveryConfiguration"), UserNotificationErrors: true},
		Clients: snapshot.Clients{
			Read: ok("cognito-idp:ListUserPoolClients"),
			Items: []snapshot.Client{
				{
					ID:                         "1example23456789",
					Name:                       "web",
					Read:                       ok("cognito-idp:DescribeUserPoolClient"),
					PreventUserExistenceErrors: "ENABLED",
					ExplicitAuthFlows:          []string{"ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"},
					WriteAttributes:            []string{"email", "phone_number"},
				},
				{
					ID:                "2example23456789",
					Name:              "backend",
					Read:              ok("cognito-idp:DescribeUserPoolClient"),
					HasSecret:         true,
					ExplicitAuthFlows: []string{},
					WriteAttributes:   []string{},
				},
			},
		},
	}
}

func user(name, status string, emailVerified, phone bool) snapshot.User {
	u := snapshot.User{
		Username:       name,
		Sub:            "sub-" + name,
		Status:         status,
		Enabled:        true,
		CreatedAt:      takenAt.Add(-48 * time.Hour),
		LastModifiedAt: takenAt.Add(-time.Hour),
		Email: snapshot.Email{
			Present:  true,
			Verified: emailVerified,
			Masked:   name[:1] + "***@e***.com",
		},
		MFA: snapshot.UserMFA{
			Read:    failed(snapshot.SourceSkipped, "cognito-idp:AdminGetUser", "not requested"),
			Methods: []string{},
		},
	}
	if phone {
		u.Phone = snapshot.Phone{
			Present:     true,
			Verified:    true,
			Masked:      "+*******1234",
			CallingCode: "44",
			Country:     "GB",
			OptedOut:    name == "dave",
		}
		u.MFA = snapshot.UserMFA{
			Read:      ok("cognito-idp:AdminGetUser"),
			Methods:   []string{snapshot.MFASMS, snapshot.MFATOTP},
			Preferred: snapshot.MFATOTP,
		}
	}
	if !emailVerified && !phone {
		u.Email.Suppressed = true
		u.Email.SuppressionReason = "BOUNCE"
	}
	return u
}
