// Package demo builds the example world behind `recoverscan demo`: a
// synthetic account whose pools and users show every kind of recovery
// problem the built-in rules know, so a new user sees real output without
// an AWS account. All names are invented; no address or number is real.
package demo

import (
	"time"

	"github.com/recoverscan/recoverscan/collector/snapshot"
)

// Account is the demo account id.
const Account = "111122223333"

var takenAt = time.Date(2026, 11, 1, 9, 0, 0, 0, time.UTC)

// Snapshot returns the demo world.
func Snapshot() *snapshot.Snapshot {
	return &snapshot.Snapshot{
		Header: snapshot.Header{
			SchemaVersion: snapshot.SchemaVersion,
			TakenAt:       takenAt,
			Tool:          snapshot.Tool{Name: "recoverscan", Version: "demo"},
		},
		Accounts: []snapshot.Account{{
			ID:       Account,
			Identity: ok("sts:GetCallerIdentity"),
			Regions:  []snapshot.Region{usEast1(), euWest1(), euWest2()},
		}},
	}
}

func usEast1() snapshot.Region {
	return snapshot.Region{
		Name:      "us-east-1",
		PoolsRead: ok("cognito-idp:ListUserPools"),
		SMS: []snapshot.SMSState{
			// Production SMS, but with the 1 USD spend limit, Promotional
			// routing, no US origination number and no delivery status logs.
			{
				Region:             "us-east-1",
				Attributes:         snapshot.SMSAttributes{Read: ok("sns:GetSMSAttributes"), MonthlySpendLimit: "1", DefaultSMSType: "Promotional"},
				Sandbox:            snapshot.SMSSandbox{Read: ok("sns:GetSMSSandboxAccountStatus"), DestinationsRead: ok("sns:ListSMSSandboxPhoneNumbers")},
				OriginationNumbers: snapshot.OriginationNumbers{Read: ok("sns:ListOriginationNumbers"), Numbers: []snapshot.OriginationNumber{{Country: "GB", Status: "ACTIVE", RouteType: "Transactional", SMS: true}}},
				OptOuts:            snapshot.OptOuts{Read: ok("sns:ListPhoneNumbersOptedOut"), Count: 1},
				// 0.86 of the 1 USD: past 80 %, texts may stop this month.
				Spend: spend(0.86),
				EUMS:  eums(1, 1),
			},
			// Still in the SMS sandbox: only verified destinations get texts.
			{
				Region:             "us-west-2",
				Attributes:         snapshot.SMSAttributes{Read: ok("sns:GetSMSAttributes"), MonthlySpendLimit: "50", DefaultSMSType: "Transactional", DeliveryStatusIAMRoleSet: true},
				Sandbox:            snapshot.SMSSandbox{Read: ok("sns:GetSMSSandboxAccountStatus"), InSandbox: true, DestinationsRead: ok("sns:ListSMSSandboxPhoneNumbers"), VerifiedDestinationCount: 1},
				OriginationNumbers: snapshot.OriginationNumbers{Read: ok("sns:ListOriginationNumbers"), Numbers: []snapshot.OriginationNumber{{Country: "US", Status: "ACTIVE", RouteType: "Transactional", SMS: true}}},
				OptOuts:            snapshot.OptOuts{Read: ok("sns:ListPhoneNumbersOptedOut")},
				Spend:              spend(3.10),
				EUMS:               eums(50, 100),
			},
		},
		Email: []snapshot.EmailState{{
			Region: "us-east-1",
			Account: snapshot.SESAccount{
				Read: ok("ses:GetAccount"), ProductionAccessEnabled: true, SendingEnabled: true,
				EnforcementStatus: "HEALTHY", Max24HourSend: 50000, SentLast24Hours: 12000,
			},
			Identities: []snapshot.EmailIdentity{
				{Name: "example.com", Read: ok("ses:GetEmailIdentity"), Exists: true, VerifiedForSending: true, VerificationStatus: "SUCCESS", DKIMStatus: "SUCCESS"},
				{Name: "partners.example.net", Read: ok("ses:GetEmailIdentity"), Exists: true, VerificationStatus: "PENDING", DKIMStatus: "PENDING"},
				// Verified, but no policy lets Cognito send from it.
				{Name: "news.example.com", Read: ok("ses:GetEmailIdentity"), Exists: true, VerifiedForSending: true, VerificationStatus: "SUCCESS", DKIMStatus: "SUCCESS"},
			},
			ConfigurationSets: []snapshot.ConfigurationSet{
				// Sending through the set was switched off.
				{Name: "partners-events", Read: ok("ses:GetConfigurationSet"), Exists: true, SendingEnabled: false},
			},
			Suppression:        snapshot.Suppression{Read: ok("ses:ListSuppressedDestinations"), Count: 1},
			VerifiedIdentities: snapshot.VerifiedIdentities{Read: ok("ses:ListEmailIdentities"), Count: 3},
		}},
		Pools: []snapshot.Pool{customers(), staff(), legacyApp(), partners(), fieldOps(), newsletter()},
	}
}

// customers is a well-configured pool whose problems are the users'.
func customers() snapshot.Pool {
	p := pool("us-east-1_DemoCust1", "customers", "us-east-1", emailThenPhone())
	p.MFA = snapshot.PoolMFA{Configuration: "OPTIONAL", Read: ok("cognito-idp:GetUserPoolMfaConfig"), SMSEnabled: true, EmailEnabled: true, TOTPEnabled: true}
	p.AutoVerifiedAttributes = []string{"email", "phone_number"}
	p.VerifyBeforeUpdate = []string{"email", "phone_number"}
	p.SMS = smsConfig("us-east-1", "")
	// A PreSignUp trigger auto-confirms sign-ups; bob shows it does not
	// always verify a contact.
	p.Triggers.PreSignUp = "arn:aws:lambda:us-east-1:" + Account + ":function:auto-confirm"
	p.Email = developer("us-east-1", "example.com")
	p.Clients.Items = []snapshot.Client{
		client("1example23456789web", "web-app", false, "ENABLED"),
		client("4example56789backend", "backend-service", true, "LEGACY"),
	}
	// This pool's verdicts depend on MFA, so it was scanned with --with-mfa;
	// judy's MFA state could not be read.
	noMFA := mfaRead()
	p.Users = []snapshot.User{
		mfa(user("alice", confirmed, withEmail(true)), noMFA),
		user("bob", confirmed),
		mfa(user("carol", snapshot.StatusForceChangePassword, withEmail(true), modified(2)), noMFA),
		mfa(user("dave", snapshot.StatusUnconfirmed, withEmail(false)), noMFA),
		mfa(disabled(user("erin", confirmed, withEmail(true))), noMFA),
		mfa(suppressed(user("frank", confirmed, withEmail(true))), noMFA),
		mfa(user("grace", confirmed, withPhone("1", "US", "0142", true)), noMFA),
		mfa(optedOut(user("heidi", confirmed, withPhone("44", "GB", "0957", true))), noMFA),
		mfa(user("ivan", snapshot.StatusExternalProvider, withEmail(true)), noMFA),
		mfa(user("judy", confirmed, withPhone("44", "GB", "0311", true)), snapshot.UserMFA{Read: snapshot.Source{
			Status: snapshot.SourceThrottled, Action: "cognito-idp:AdminGetUser", Error: "TooManyRequestsException: Rate exceeded",
		}}),
		mfa(user("kate", confirmed, withPhone("44", "GB", "0412", true)), mfaRead(snapshot.MFASMS)),
		mfa(user("liam", confirmed, withEmail(true), withPhone("44", "GB", "0519", false)), mfaRead(snapshot.MFAEmail)),
		mfa(user("mallory", snapshot.StatusResetRequired, withEmail(true)), noMFA),
		mfa(user("nina", "COMPROMISED", withEmail(true)), noMFA),
	}
	return finish(p)
}

// staff turned self-service recovery off.
func staff() snapshot.Pool {
	p := pool("us-east-1_DemoStaf2", "staff", "us-east-1", []snapshot.RecoveryMechanism{{Name: snapshot.MechanismAdminOnly, Priority: 1}})
	p.AllowAdminCreateUserOnly = true
	// Invitations go through a custom email sender, set up without the KMS
	// key it needs.
	p.Triggers.CustomEmailSender = "arn:aws:lambda:us-east-1:" + Account + ":function:staff-mailer"
	p.Clients.Items = []snapshot.Client{client("7example89staffportal", "staff-portal", false, "ENABLED")}
	p.Users = []snapshot.User{
		user("olivia", confirmed, withEmail(true)),
		// Invited a month ago and never signed in: the temporary password
		// has expired.
		user("peggy", snapshot.StatusForceChangePassword, withEmail(false)),
	}
	return finish(p)
}

// legacyApp has no AccountRecoverySetting and no SMS configuration, and
// sends its large user base's email through Cognito's daily-capped default;
// it migrates users from an old directory and rewrites its messages.
func legacyApp() snapshot.Pool {
	p := pool("us-east-1_DemoLeg3", "legacy-app", "us-east-1", nil)
	p.AccountRecovery = snapshot.AccountRecovery{Configured: false}
	p.EstimatedUsers = 25000
	// Users still arrive from the old directory, and a trigger rewrites
	// every message.
	p.Triggers.UserMigration = "arn:aws:lambda:us-east-1:" + Account + ":function:legacy-migrate"
	p.Triggers.CustomMessage = "arn:aws:lambda:us-east-1:" + Account + ":function:legacy-messages"
	p.Clients.Items = []snapshot.Client{client("2example34legacyweb", "legacy-web", false, "LEGACY")}
	p.Users = []snapshot.User{
		user("quentin", confirmed, withEmail(true), withPhone("44", "GB", "0620", true)),
		user("rupert", confirmed, withEmail(true)),
	}
	return finish(p)
}

// partners sends from an SES identity that was never verified (without
// DKIM) through a configuration set whose sending is disabled, and its app
// client may not change the users' email addresses.
func partners() snapshot.Pool {
	p := pool("us-east-1_DemoPart4", "partners", "us-east-1", []snapshot.RecoveryMechanism{{Name: snapshot.MechanismEmail, Priority: 1}})
	p.Email = developer("us-east-1", "partners.example.net")
	p.Email.ConfigurationSet = "partners-events"
	p.EmailConfigurationFailure = "InvalidEmailRoleAccessPolicyException"
	portal := client("5example67partnerapi", "partner-portal", false, "ENABLED")
	portal.WriteAttributes = []string{"name", "given_name"}
	p.Clients.Items = []snapshot.Client{portal}
	p.Users = []snapshot.User{
		// Imported with a password reset: ForgotPassword is the only way in.
		user("sybil", snapshot.StatusResetRequired, withEmail(true)),
		user("trent", confirmed, withPhone("1", "US", "0177", true)),
	}
	return finish(p)
}

// fieldOps texts its users through a region still in the SMS sandbox.
func fieldOps() snapshot.Pool {
	p := pool("us-east-1_DemoFld5", "field-ops", "us-east-1", []snapshot.RecoveryMechanism{{Name: snapshot.MechanismPhone, Priority: 1}})
	p.SMS = smsConfig("us-west-2", "us-west-2")
	p.SMSConfigurationFailure = "SNSSandbox"
	// Nobody would see the delivery errors: the pool exports no logs.
	p.LogDelivery.UserNotificationErrors = false
	p.Clients.Items = []snapshot.Client{client("3example45fieldapp", "field-app", false, "ENABLED")}
	verifiedInSandbox := user("uma", confirmed, withPhone("1", "US", "0188", true))
	verifiedInSandbox.Phone.SandboxVerified = true
	p.Users = []snapshot.User{
		verifiedInSandbox,
		user("victor", confirmed, withPhone("1", "US", "0199", true)),
	}
	return finish(p)
}

// newsletter is a new pool, no users yet, that sends through Cognito's
// default email account from the company's own address, but nobody attached
// the sending authorization policy that lets Cognito use it.
func newsletter() snapshot.Pool {
	p := pool("us-east-1_DemoNews9", "newsletter", "us-east-1", []snapshot.RecoveryMechanism{{Name: snapshot.MechanismEmail, Priority: 1}})
	p.Email = developer("us-east-1", "news.example.com")
	p.Email.SendingAccount = snapshot.EmailCognitoDefault
	return finish(p)
}

// euWest1 is a region where the scanning role may not read SNS, and whose
// SES account never left the sandbox, used up its quota and has been shut
// down.
func euWest1() snapshot.Region {
	denied := func(action string) snapshot.Source {
		return snapshot.Source{Status: snapshot.SourceDenied, Action: action, Error: "AccessDenied: not authorized to perform " + action}
	}
	p := pool("eu-west-1_DemoShop6", "eu-shop", "eu-west-1", phoneThenEmail())
	p.AutoVerifiedAttributes = []string{"email", "phone_number"}
	p.VerifyBeforeUpdate = []string{"email", "phone_number"}
	p.SMS = smsConfig("eu-west-1", "")
	p.Email = developer("eu-west-1", "shop.example.org")
	p.Clients.Items = []snapshot.Client{client("6example78shopweb", "shop-web", false, "ENABLED")}
	p.Users = []snapshot.User{
		user("walter", confirmed, withPhone("33", "FR", "0231", true)),
		user("xena", confirmed, withEmail(true)),
	}
	return snapshot.Region{
		Name:      "eu-west-1",
		PoolsRead: ok("cognito-idp:ListUserPools"),
		SMS: []snapshot.SMSState{{
			Region:             "eu-west-1",
			Attributes:         snapshot.SMSAttributes{Read: denied("sns:GetSMSAttributes")},
			Sandbox:            snapshot.SMSSandbox{Read: denied("sns:GetSMSSandboxAccountStatus"), DestinationsRead: denied("sns:ListSMSSandboxPhoneNumbers")},
			OriginationNumbers: snapshot.OriginationNumbers{Read: denied("sns:ListOriginationNumbers")},
			OptOuts:            snapshot.OptOuts{Read: denied("sns:ListPhoneNumbersOptedOut")},
			Spend:              snapshot.SMSSpend{Read: denied("cloudwatch:GetMetricData")},
			EUMS: snapshot.EUMSState{
				Account:      snapshot.EUMSAccount{Read: denied("sms-voice:DescribeAccountAttributes")},
				SpendLimit:   snapshot.EUMSSpendLimit{Read: denied("sms-voice:DescribeSpendLimits")},
				PhoneNumbers: snapshot.OriginationNumbers{Read: denied("sms-voice:DescribePhoneNumbers")},
				SenderIDs:    snapshot.SenderIDs{Read: denied("sms-voice:DescribeSenderIds")},
			},
		}},
		Email: []snapshot.EmailState{{
			Region: "eu-west-1",
			Account: snapshot.SESAccount{
				Read: ok("ses:GetAccount"), ProductionAccessEnabled: false, SendingEnabled: false,
				EnforcementStatus: "SHUTDOWN", Max24HourSend: 200, SentLast24Hours: 200,
			},
			Identities:         []snapshot.EmailIdentity{{Name: "shop.example.org", Read: ok("ses:GetEmailIdentity"), Exists: true, VerifiedForSending: true, VerificationStatus: "SUCCESS", DKIMStatus: "SUCCESS"}},
			Suppression:        snapshot.Suppression{Read: ok("ses:ListSuppressedDestinations")},
			VerifiedIdentities: snapshot.VerifiedIdentities{Read: ok("ses:ListEmailIdentities"), Count: 1},
		}},
		Pools: []snapshot.Pool{finish(p)},
	}
}

// euWest2 is a legacy SNS region (eu-west-1 is its alternate) with healthy
// SMS and pools about to launch, so without users yet: a clinic that
// requires SMS MFA, recovers by phone only and sets no SnsRegion (so its
// texts may go through either region); a shop that sends email from an SES
// region London pools may not use and nearly used up; a kiosk whose texts
// go through its own sender function, which recoverscan cannot look into;
// and a mailer whose sender function has no KMS key to receive codes with.
func euWest2() snapshot.Region {
	clinic := pool("eu-west-2_DemoClin7", "uk-clinic", "eu-west-2", []snapshot.RecoveryMechanism{{Name: snapshot.MechanismPhone, Priority: 1}})
	clinic.AutoVerifiedAttributes = []string{"phone_number"}
	clinic.VerifyBeforeUpdate = []string{"phone_number"}
	clinic.MFA = snapshot.PoolMFA{Configuration: "ON", Read: ok("cognito-idp:GetUserPoolMfaConfig"), SMSEnabled: true}
	clinic.SMS = smsConfig("eu-west-2", "")
	clinic.SMS.AlternateRegion = "eu-west-1"

	kiosk := pool("eu-west-2_DemoKios9", "uk-kiosk", "eu-west-2", phoneThenEmail())
	kiosk.AutoVerifiedAttributes = []string{"email", "phone_number"}
	kiosk.VerifyBeforeUpdate = []string{"email", "phone_number"}
	kiosk.SMS = smsConfig("eu-west-2", "eu-west-2")
	kiosk.Triggers.CustomSMSSender = "arn:aws:lambda:eu-west-2:" + Account + ":function:kiosk-sms"
	kiosk.Triggers.KMSKeySet = true

	mailer := pool("eu-west-2_DemoMail0", "uk-mailer", "eu-west-2", []snapshot.RecoveryMechanism{{Name: snapshot.MechanismEmail, Priority: 1}})
	mailer.Triggers.CustomEmailSender = "arn:aws:lambda:eu-west-2:" + Account + ":function:mailer"

	shop := pool("eu-west-2_DemoShop8", "uk-shop", "eu-west-2", emailThenPhone())
	shop.AutoVerifiedAttributes = []string{"email", "phone_number"}
	shop.VerifyBeforeUpdate = []string{"email", "phone_number"}
	shop.SMS = smsConfig("eu-west-2", "eu-west-2")
	shop.Email = developer("eu-central-1", "shop.example.co.uk")

	return snapshot.Region{
		Name:      "eu-west-2",
		PoolsRead: ok("cognito-idp:ListUserPools"),
		SMS:       []snapshot.SMSState{ukSMS("eu-west-2", 12.40), ukSMS("eu-west-1", 3.75)},
		Email: []snapshot.EmailState{{
			Region: "eu-central-1",
			Account: snapshot.SESAccount{
				Read: ok("ses:GetAccount"), ProductionAccessEnabled: true, SendingEnabled: true,
				EnforcementStatus: "HEALTHY", Max24HourSend: 50000, SentLast24Hours: 45000,
			},
			Identities:         []snapshot.EmailIdentity{{Name: "shop.example.co.uk", Read: ok("ses:GetEmailIdentity"), Exists: true, VerifiedForSending: true, VerificationStatus: "SUCCESS", DKIMStatus: "SUCCESS"}},
			Suppression:        snapshot.Suppression{Read: ok("ses:ListSuppressedDestinations")},
			VerifiedIdentities: snapshot.VerifiedIdentities{Read: ok("ses:ListEmailIdentities"), Count: 1},
		}},
		Pools: []snapshot.Pool{finish(clinic), finish(shop), finish(kiosk), finish(mailer)},
	}
}

// ukSMS is the healthy SNS state of the London pools' SMS regions.
func ukSMS(region string, spent float64) snapshot.SMSState {
	return snapshot.SMSState{
		Region:             region,
		Attributes:         snapshot.SMSAttributes{Read: ok("sns:GetSMSAttributes"), MonthlySpendLimit: "100", DefaultSMSType: "Transactional", DeliveryStatusIAMRoleSet: true},
		Sandbox:            snapshot.SMSSandbox{Read: ok("sns:GetSMSSandboxAccountStatus"), DestinationsRead: ok("sns:ListSMSSandboxPhoneNumbers")},
		OriginationNumbers: snapshot.OriginationNumbers{Read: ok("sns:ListOriginationNumbers"), Numbers: []snapshot.OriginationNumber{{Country: "GB", Status: "ACTIVE", RouteType: "Transactional", SMS: true}}},
		OptOuts:            snapshot.OptOuts{Read: ok("sns:ListPhoneNumbersOptedOut")},
		Spend:              spend(spent),
		EUMS:               eums(100, 100),
	}
}

const confirmed = snapshot.StatusConfirmed

func ok(action string) snapshot.Source {
	return snapshot.Source{Status: snapshot.SourceOK, Action: action}
}

func emailThenPhone() []snapshot.RecoveryMechanism {
	return []snapshot.RecoveryMechanism{{Name: snapshot.MechanismEmail, Priority: 1}, {Name: snapshot.MechanismPhone, Priority: 2}}
}

func phoneThenEmail() []snapshot.RecoveryMechanism {
	return []snapshot.RecoveryMechanism{{Name: snapshot.MechanismPhone, Priority: 1}, {Name: snapshot.MechanismEmail, Priority: 2}}
}

func pool(id, name, region string, mechanisms []snapshot.RecoveryMechanism) snapshot.Pool {
	return snapshot.Pool{PoolSettings: snapshot.PoolSettings{
		ID:     id,
		Name:   name,
		ARN:    "arn:aws:cognito-idp:" + region + ":" + Account + ":userpool/" + id,
		Region: region,
		Read:   ok("cognito-idp:DescribeUserPool"),
		Tier:   "ESSENTIALS",
		AccountRecovery: snapshot.AccountRecovery{
			Configured: mechanisms != nil,
			Mechanisms: mechanisms,
		},
		AutoVerifiedAttributes:        []string{"email"},
		VerifyBeforeUpdate:            []string{"email"},
		TemporaryPasswordValidityDays: 7,
		MFA:                           snapshot.PoolMFA{Configuration: "OFF", Read: ok("cognito-idp:GetUserPoolMfaConfig")},
		Email:                         snapshot.EmailConfig{SendingAccount: snapshot.EmailCognitoDefault},
		SMS:                           snapshot.SMSConfig{Region: region},
		LogDelivery:                   snapshot.LogDelivery{Read: ok("cognito-idp:GetLogDeliveryConfiguration"), UserNotificationErrors: true},
		Clients:                       snapshot.Clients{Read: ok("cognito-idp:ListUserPoolClients")},
	}}
}

// spend is a month-to-date SMS spend of usd in the demo's month.
func spend(usd float64) snapshot.SMSSpend {
	return snapshot.SMSSpend{Read: ok("cloudwatch:GetMetricData"), MonthToDateUSD: usd, Month: "2026-11"}
}

// eums is End User Messaging in production with a text spend limit of
// enforced USD out of a quota of max, and no numbers of its own.
func eums(enforced, max float64) snapshot.EUMSState {
	return snapshot.EUMSState{
		Account:      snapshot.EUMSAccount{Read: ok("sms-voice:DescribeAccountAttributes"), Tier: "PRODUCTION"},
		SpendLimit:   snapshot.EUMSSpendLimit{Read: ok("sms-voice:DescribeSpendLimits"), Found: true, EnforcedUSD: enforced, MaxUSD: max, Overridden: enforced < max},
		PhoneNumbers: snapshot.OriginationNumbers{Read: ok("sms-voice:DescribePhoneNumbers"), Numbers: []snapshot.OriginationNumber{}},
		SenderIDs:    snapshot.SenderIDs{Read: ok("sms-voice:DescribeSenderIds"), Items: []snapshot.SenderID{}},
	}
}

// finish fills what every demo pool shares: user counts, a complete listing
// and the MFA source of users that did not set one.
func finish(p snapshot.Pool) snapshot.Pool {
	for i := range p.Users {
		if p.Users[i].MFA.Read.Status == "" {
			p.Users[i].MFA.Read = snapshot.Source{Status: snapshot.SourceNotApplicable, Action: "cognito-idp:AdminGetUser"}
		}
	}
	if p.EstimatedUsers == 0 {
		p.EstimatedUsers = int64(len(p.Users))
	}
	p.UsersRead = ok("cognito-idp:ListUsers")
	p.UsersListed = int64(len(p.Users))
	return p
}

func smsConfig(region, snsRegion string) snapshot.SMSConfig {
	return snapshot.SMSConfig{
		Configured:    true,
		SNSCallerARN:  "arn:aws:iam::" + Account + ":role/service-role/CognitoSMSRole",
		ExternalIDSet: true,
		SNSRegion:     snsRegion,
		Region:        region,
	}
}

func developer(region, identity string) snapshot.EmailConfig {
	return snapshot.EmailConfig{
		SendingAccount: snapshot.EmailDeveloper,
		SourceARN:      "arn:aws:ses:" + region + ":" + Account + ":identity/" + identity,
		SESRegion:      region,
		Identity:       identity,
	}
}

func client(id, name string, secret bool, preventErrors string) snapshot.Client {
	return snapshot.Client{
		ID:                         id,
		Name:                       name,
		Read:                       ok("cognito-idp:DescribeUserPoolClient"),
		HasSecret:                  secret,
		PreventUserExistenceErrors: preventErrors,
		ExplicitAuthFlows:          []string{"ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"},
	}
}

type userOption func(*snapshot.User)

func user(name, status string, opts ...userOption) snapshot.User {
	u := snapshot.User{
		Username:       name,
		Sub:            fakeSub(name),
		Status:         status,
		Enabled:        true,
		CreatedAt:      takenAt.AddDate(0, -6, 0),
		LastModifiedAt: takenAt.AddDate(0, -1, 0),
	}
	for _, o := range opts {
		o(&u)
	}
	return u
}

func withEmail(verified bool) userOption {
	return func(u *snapshot.User) {
		u.Email = snapshot.Email{Present: true, Verified: verified, Masked: u.Username[:1] + "***@e***.com"}
	}
}

func withPhone(callingCode, country, last4 string, verified bool) userOption {
	return func(u *snapshot.User) {
		u.Phone = snapshot.Phone{Present: true, Verified: verified, Masked: "+*******" + last4, CallingCode: callingCode, Country: country}
	}
}

// modified sets the last modification to days before the snapshot.
func modified(days int) userOption {
	return func(u *snapshot.User) { u.LastModifiedAt = takenAt.AddDate(0, 0, -days) }
}

func disabled(u snapshot.User) snapshot.User { u.Enabled = false; return u }

func suppressed(u snapshot.User) snapshot.User {
	u.Email.Suppressed, u.Email.SuppressionReason = true, "BOUNCE"
	return u
}

func optedOut(u snapshot.User) snapshot.User { u.Phone.OptedOut = true; return u }

func mfa(u snapshot.User, m snapshot.UserMFA) snapshot.User { u.MFA = m; return u }

func mfaRead(methods ...string) snapshot.UserMFA {
	m := snapshot.UserMFA{Read: ok("cognito-idp:AdminGetUser"), Methods: methods}
	if len(methods) > 0 {
		m.Preferred = methods[0]
	}
	return m
}

// fakeSub derives a stable, obviously synthetic sub from a name.
func fakeSub(name string) string {
	const hex = "0123456789abcdef"
	b := []byte("00000000-0000-4000-8000-000000000000")
	for i, j := 0, 0; i < len(b) && j < len(name)*4; i++ {
		if b[i] == '-' {
			continue
		}
		b[i] = hex[(int(name[j%len(name)])+j)%16]
		j++
	}
	return string(b)
}
