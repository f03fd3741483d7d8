package awstest

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
	"github.com/aws/aws-sdk-go-v2/service/sesv2"
	"github.com/aws/aws-sdk-go-v2/service/sts"
)

// Pool names in the seeded world.
const (
	PoolEmailOnly      = "email-only"       // AccountRecoverySetting verified_email:1
	PoolPhoneOnly      = "phone-only"       // verified_phone_number:1, SnsCallerArn, SMS MFA optional
	PoolEmailThenPhone = "email-then-phone" // verified_email:1, verified_phone_number:2
	PoolLegacy         = "legacy"           // no AccountRecoverySetting (legacy phone-then-email)
	PoolAdminOnly      = "admin-only"       // admin_only:1
	PoolDeveloper      = "developer-email"  // DEVELOPER email with an SES SourceArn and a configuration set
	// PoolCustomFrom is COGNITO_DEFAULT with a custom FROM address
	// (SourceArn) whose identity has no sending authorization policy for
	// Cognito (RC-EMAIL-007). It has no users.
	PoolCustomFrom = "custom-from"
)

// Fixture values the stand-in state refers to.
const (
	SESIdentity = "example.com"
	// SESIdentityNoPolicy is verified but lets nobody else send from it.
	SESIdentityNoPolicy = "notify.example.com"
	// SESConfigurationSet is the developer pool's configuration set.
	SESConfigurationSet = "recoverscan-events"
	SuppressedEmail     = "judy@example.net"
	OptedOutPhone       = "+447700900123"
	SandboxPhone        = "+15555550199"
	PendingPhone        = "+15555550123"
	SNSCallerRole       = "cognito-sms-role"
	// SMSSpendUSD is the month's highest SMSMonthToDateSpentUSD.
	SMSSpendUSD      = 0.42
	TempPasswordDays = 3
)

// World is what SeedWorld created.
type World struct {
	Region    string
	AccountID string
	// Pools by name (Pool* constants).
	Pools map[string]*Pool
	// Users by username; usernames are unique across the world.
	Users map[string]*User
}

// Pool is one seeded user pool.
type Pool struct {
	Name string
	ID   string
	// Clients maps client name → client id.
	Clients map[string]string
}

// User is one seeded user with the contact data given to Cognito. The
// raw values are for tests that prove the snapshot does not contain them.
type User struct {
	Pool          string // pool name
	Username      string
	Email         string
	EmailVerified bool
	Phone         string
	PhoneVerified bool
	Status        string // the status Cognito should report
	Disabled      bool
	SMSMFA        bool // SMS MFA enabled for the user
}

// Contacts returns every raw email address and phone number in the world.
func (w *World) Contacts() []string {
	var out []string
	for _, u := range w.Users {
		if u.Email != "" {
			out = append(out, u.Email)
		}
		if u.Phone != "" {
			out = append(out, u.Phone)
		}
	}
	return append(out, SuppressedEmail, OptedOutPhone, SandboxPhone, PendingPhone)
}

// StandInState returns a stand-in state that matches the world: an SMS
// sandbox with one verified and one pending destination, a US toll-free
// origination number, one opted-out number, an SES account in production
// with the world's sender identities verified (SESIdentity with a sending
// authorization policy for Cognito, SESIdentityNoPolicy without), the
// developer pool's configuration set sending, and one suppressed address.
func (w *World) StandInState() StandInState {
	return StandInState{
		LogDelivery: w.logDelivery(),
		SMS: SMSFixture{
			InSandbox: true,
			SandboxNumbers: []SandboxNumber{
				{PhoneNumber: SandboxPhone, Status: "Verified"},
				{PhoneNumber: PendingPhone, Status: "Pending"},
				{PhoneNumber: "+15555550177", Status: "Verified"},
			},
			OriginationNumbers: []OriginationNumber{
				{PhoneNumber: "+18885550100", Iso2CountryCode: "US", Status: "ACTIVE", RouteType: "Transactional", Capabilities: []string{"SMS", "VOICE"}},
				{PhoneNumber: "+447700900999", Iso2CountryCode: "GB", Status: "PENDING", RouteType: "Promotional", Capabilities: []string{"VOICE"}},
				{PhoneNumber: "+18885550111", Iso2CountryCode: "US", Status: "ACTIVE", RouteType: "Transactional", Capabilities: []string{"SMS"}},
			},
			OptedOut:   []string{"+15555550000", OptedOutPhone, "+15555550001"},
			Attributes: map[string]string{"MonthlySpendLimit": "1", "DefaultSMSType": "Transactional"},
			// The running total of the month; the highest is not the last
			// point on purpose (two pages of the stand-in).
			Spend: []float64{0.05, SMSSpendUSD, 0.31},
			EUMS: EUMSFixture{
				Tier: "SANDBOX",
				SpendLimits: []EUMSSpendLimit{
					{Name: "TEXT_MESSAGE_MONTHLY_SPEND_LIMIT", Enforced: 1, Max: 10, Overridden: true},
					{Name: "VOICE_MESSAGE_MONTHLY_SPEND_LIMIT", Enforced: 1, Max: 1},
				},
				PhoneNumbers: []EUMSPhoneNumber{
					{PhoneNumber: "+18885550122", IsoCountryCode: "US", Status: "ACTIVE", MessageType: "TRANSACTIONAL", Capabilities: []string{"SMS", "VOICE"}},
					{PhoneNumber: "+447700900998", IsoCountryCode: "GB", Status: "PENDING", MessageType: "PROMOTIONAL", Capabilities: []string{"VOICE"}, NumberType: "LONG_CODE"},
					{PhoneNumber: "+18885550133", IsoCountryCode: "US", Status: "ACTIVE", MessageType: "TRANSACTIONAL", Capabilities: []string{"SMS"}},
				},
				SenderIDs: []EUMSSenderID{
					{SenderID: "EXAMPLE", IsoCountryCode: "GB", Registered: false},
					{SenderID: "EXAMPLE", IsoCountryCode: "IN", Registered: true},
				},
			},
		},
		Email: EmailFixture{
			Account: SESAccount{ProductionAccessEnabled: true, SendingEnabled: true, EnforcementStatus: "HEALTHY",
				Max24HourSend: 50000, MaxSendRate: 14, SentLast24Hours: 12},
			Suppressed: []SuppressedAddress{
				{Address: "someone@example.org", Reason: "COMPLAINT"},
				{Address: "JUDY@example.net", Reason: "BOUNCE"}, // case differs on purpose
				{Address: "other@example.org", Reason: "BOUNCE"},
			},
			Identities: map[string]EmailIdentity{
				SESIdentity: {VerifiedForSending: true, VerificationStatus: "SUCCESS", DKIMStatus: "SUCCESS",
					Policies: map[string]string{"cognito": w.cognitoSendingPolicy(SESIdentity)}},
				SESIdentityNoPolicy: {VerifiedForSending: true, VerificationStatus: "SUCCESS", DKIMStatus: "SUCCESS"},
			},
			ConfigurationSets: map[string]ConfigurationSet{SESConfigurationSet: {}},
			// The verified identities are the recipients a sandboxed SES
			// account may send to; a pending one does not count.
			ListedIdentities: []ListedIdentity{
				{Name: SESIdentity, VerificationStatus: "SUCCESS"},
				{Name: "pending.example.org", VerificationStatus: "PENDING"},
				{Name: SESIdentityNoPolicy, VerificationStatus: "SUCCESS"},
			},
		},
	}
}

// logDelivery is the pools' log delivery configuration: message delivery
// errors exported from the phone-only pool (ERROR, to CloudWatch Logs) and
// the developer pool (INFO, to Firehose); the email-only pool exports only
// authentication events, and the email-then-phone pool names no
// destination. The other pools have none.
func (w *World) logDelivery() map[string][]LogConfiguration {
	arn := func(service, resource string) string {
		return fmt.Sprintf("arn:aws:%s:%s:%s:%s", service, w.Region, w.AccountID, resource)
	}
	m := map[string][]LogConfiguration{}
	add := func(pool string, lc LogConfiguration) {
		if p := w.Pools[pool]; p != nil {
			m[p.ID] = append(m[p.ID], lc)
		}
	}
	add(PoolPhoneOnly, LogConfiguration{EventSource: "userNotification", LogLevel: "ERROR", LogGroupARN: arn("logs", "log-group:/cognito/phone-only")})
	add(PoolDeveloper, LogConfiguration{EventSource: "userNotification", LogLevel: "INFO", StreamARN: arn("firehose", "deliverystream/cognito-logs")})
	add(PoolEmailOnly, LogConfiguration{EventSource: "userAuthEvents", LogLevel: "INFO", BucketARN: "arn:aws:s3:::cognito-auth-logs"})
	add(PoolEmailThenPhone, LogConfiguration{EventSource: "userNotification", LogLevel: "ERROR"})
	return m
}

// cognitoSendingPolicy is the sending authorization policy Cognito's
// documentation asks for on a COGNITO_DEFAULT pool's custom FROM identity.
func (w *World) cognitoSendingPolicy(identity string) string {
	return fmt.Sprintf(`{"Version":"2012-10-17","Statement":[{"Sid":"cognito","Effect":"Allow",`+
		`"Principal":{"Service":["email.cognito-idp.amazonaws.com"]},"Action":["SES:SendEmail","SES:SendRawEmail"],`+
		`"Resource":"arn:aws:ses:%s:%s:identity/%s","Condition":{"StringEquals":{"aws:SourceAccount":"%s"}}}]}`,
		w.Region, w.AccountID, identity, w.AccountID)
}

// SeedWorld creates the fixture pools, app clients and users in the
// emulator cfg points at, through the SDK, in cfg.Region.
func SeedWorld(ctx context.Context, cfg aws.Config) (*World, error) {
	s := &seeder{ctx: ctx, c: cip.NewFromConfig(cfg)}
	id, err := sts.NewFromConfig(cfg).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	if err != nil {
		return nil, fmt.Errorf("seed: get caller identity: %w", err)
	}
	w := &World{Region: cfg.Region, AccountID: aws.ToString(id.Account), Pools: map[string]*Pool{}, Users: map[string]*User{}}
	s.w = w

	emailOnly := recovery(types.RecoveryOptionNameTypeVerifiedEmail)
	s.pool(PoolEmailOnly, &cip.CreateUserPoolInput{
		AccountRecoverySetting: emailOnly,
		Policies: &types.UserPoolPolicyType{PasswordPolicy: &types.PasswordPolicyType{
			MinimumLength: aws.Int32(8), TemporaryPasswordValidityDays: TempPasswordDays,
		}},
	})
	s.client(PoolEmailOnly, &cip.CreateUserPoolClientInput{
		ClientName: aws.String("web-secret"), GenerateSecret: true,
		PreventUserExistenceErrors: types.PreventUserExistenceErrorTypesEnabled,
		ExplicitAuthFlows:          []types.ExplicitAuthFlowsType{types.ExplicitAuthFlowsTypeAllowUserSrpAuth, types.ExplicitAuthFlowsTypeAllowRefreshTokenAuth},
	})
	public := s.client(PoolEmailOnly, &cip.CreateUserPoolClientInput{
		ClientName:                 aws.String("public"),
		PreventUserExistenceErrors: types.PreventUserExistenceErrorTypesLegacy,
		ExplicitAuthFlows:          []types.ExplicitAuthFlowsType{types.ExplicitAuthFlowsTypeAllowUserPasswordAuth},
		WriteAttributes:            []string{"email", "name"},
	})
	s.user(&User{Pool: PoolEmailOnly, Username: "confirmed-verified", Email: "alice@example.com", EmailVerified: true, Status: "CONFIRMED"})
	s.user(&User{Pool: PoolEmailOnly, Username: "confirmed-unverified", Email: "bob@example.com", Status: "CONFIRMED"})
	s.user(&User{Pool: PoolEmailOnly, Username: "force-change", Email: "carol@example.com", EmailVerified: true, Status: "FORCE_CHANGE_PASSWORD"})
	s.signUp(&User{Pool: PoolEmailOnly, Username: "unconfirmed", Email: "dave@example.net", Status: "UNCONFIRMED"}, public)
	s.user(&User{Pool: PoolEmailOnly, Username: "reset-required", Email: "erin@example.com", EmailVerified: true, Status: "RESET_REQUIRED"})
	s.user(&User{Pool: PoolEmailOnly, Username: "disabled", Email: "frank@example.com", EmailVerified: true, Status: "CONFIRMED", Disabled: true})
	s.user(&User{Pool: PoolEmailOnly, Username: "phone-only-user", Phone: "+15555550101", PhoneVerified: true, Status: "CONFIRMED"})
	s.user(&User{Pool: PoolEmailOnly, Username: "no-contact", Status: "CONFIRMED"})

	s.pool(PoolPhoneOnly, &cip.CreateUserPoolInput{
		AccountRecoverySetting: recovery(types.RecoveryOptionNameTypeVerifiedPhoneNumber),
		SmsConfiguration: &types.SmsConfigurationType{
			SnsCallerArn: aws.String(fmt.Sprintf("arn:aws:iam::%s:role/%s", w.AccountID, SNSCallerRole)),
			ExternalId:   aws.String("recoverscan-test"),
			SnsRegion:    aws.String(cfg.Region),
		},
		MfaConfiguration: types.UserPoolMfaTypeOptional,
	})
	if s.err == nil {
		_, s.err = s.c.SetUserPoolMfaConfig(ctx, &cip.SetUserPoolMfaConfigInput{
			UserPoolId:       aws.String(w.Pools[PoolPhoneOnly].ID),
			MfaConfiguration: types.UserPoolMfaTypeOptional,
			SmsMfaConfiguration: &types.SmsMfaConfigType{
				SmsAuthenticationMessage: aws.String("Your code is {####}"),
				SmsConfiguration: &types.SmsConfigurationType{
					SnsCallerArn: aws.String(fmt.Sprintf("arn:aws:iam::%s:role/%s", w.AccountID, SNSCallerRole)),
					ExternalId:   aws.String("recoverscan-test"),
				},
			},
		})
		s.wrap("set MFA config of " + PoolPhoneOnly)
	}
	s.user(&User{Pool: PoolPhoneOnly, Username: "us-sms", Phone: PendingPhone, PhoneVerified: true, Status: "CONFIRMED", SMSMFA: true})
	s.user(&User{Pool: PoolPhoneOnly, Username: "opted-out", Phone: OptedOutPhone, PhoneVerified: true, Status: "CONFIRMED"})
	s.user(&User{Pool: PoolPhoneOnly, Username: "sandbox-verified", Phone: SandboxPhone, PhoneVerified: true, Status: "CONFIRMED"})
	s.user(&User{Pool: PoolPhoneOnly, Username: "email-in-phone-pool", Email: "liam@example.com", EmailVerified: true, Status: "CONFIRMED"})

	s.pool(PoolEmailThenPhone, &cip.CreateUserPoolInput{AccountRecoverySetting: recovery(
		types.RecoveryOptionNameTypeVerifiedEmail, types.RecoveryOptionNameTypeVerifiedPhoneNumber)})
	s.user(&User{Pool: PoolEmailThenPhone, Username: "both", Email: "grace@example.com", EmailVerified: true,
		Phone: "+15555550142", PhoneVerified: true, Status: "CONFIRMED"})

	// An empty setting: moto fills in email-then-phone when the setting is
	// left out, and an empty one is how the "absent" case can be made.
	s.pool(PoolLegacy, &cip.CreateUserPoolInput{AccountRecoverySetting: &types.AccountRecoverySettingType{}})
	s.user(&User{Pool: PoolLegacy, Username: "legacy-both", Email: "heidi@example.com", EmailVerified: true,
		Phone: "+447700900456", PhoneVerified: true, Status: "CONFIRMED"})

	s.pool(PoolAdminOnly, &cip.CreateUserPoolInput{
		AccountRecoverySetting: recovery(types.RecoveryOptionNameTypeAdminOnly),
		AdminCreateUserConfig:  &types.AdminCreateUserConfigType{AllowAdminCreateUserOnly: true},
	})
	s.user(&User{Pool: PoolAdminOnly, Username: "admin-only-user", Email: "ivan@example.com", EmailVerified: true, Status: "CONFIRMED"})

	ses := sesv2.NewFromConfig(cfg)
	for _, identity := range []string{SESIdentity, SESIdentityNoPolicy} {
		if s.err == nil {
			_, s.err = ses.CreateEmailIdentity(ctx, &sesv2.CreateEmailIdentityInput{EmailIdentity: aws.String(identity)})
			s.wrap("create SES identity " + identity)
		}
	}
	if s.err == nil {
		_, s.err = ses.CreateEmailIdentityPolicy(ctx, &sesv2.CreateEmailIdentityPolicyInput{
			EmailIdentity: aws.String(SESIdentity), PolicyName: aws.String("cognito"),
			Policy: aws.String(w.cognitoSendingPolicy(SESIdentity)),
		})
		s.wrap("create SES identity policy")
	}
	if s.err == nil {
		_, s.err = ses.CreateConfigurationSet(ctx, &sesv2.CreateConfigurationSetInput{ConfigurationSetName: aws.String(SESConfigurationSet)})
		s.wrap("create SES configuration set")
	}
	s.pool(PoolDeveloper, &cip.CreateUserPoolInput{
		AccountRecoverySetting: emailOnly,
		EmailConfiguration: &types.EmailConfigurationType{
			EmailSendingAccount: types.EmailSendingAccountTypeDeveloper,
			SourceArn:           aws.String(fmt.Sprintf("arn:aws:ses:%s:%s:identity/%s", cfg.Region, w.AccountID, SESIdentity)),
			From:                aws.String("Example <no-reply@" + SESIdentity + ">"),
			ConfigurationSet:    aws.String(SESConfigurationSet),
		},
	})
	s.user(&User{Pool: PoolDeveloper, Username: "suppressed", Email: SuppressedEmail, EmailVerified: true, Status: "CONFIRMED"})
	s.user(&User{Pool: PoolDeveloper, Username: "deliverable", Email: "ken@example.com", EmailVerified: true, Status: "CONFIRMED"})

	s.pool(PoolCustomFrom, &cip.CreateUserPoolInput{
		AccountRecoverySetting: emailOnly,
		EmailConfiguration: &types.EmailConfigurationType{
			EmailSendingAccount: types.EmailSendingAccountTypeCognitoDefault,
			SourceArn:           aws.String(fmt.Sprintf("arn:aws:ses:%s:%s:identity/%s", cfg.Region, w.AccountID, SESIdentityNoPolicy)),
		},
	})

	if s.err != nil {
		return nil, s.err
	}
	return w, nil
}

func recovery(names ...types.RecoveryOptionNameType) *types.AccountRecoverySettingType {
	s := &types.AccountRecoverySettingType{}
	for i, n := range names {
		s.RecoveryMechanisms = append(s.RecoveryMechanisms, types.RecoveryOptionType{Name: n, Priority: aws.Int32(int32(i + 1))})
	}
	return s
}

// seeder creates fixtures, stopping at the first error.
type seeder struct {
	ctx context.Context
	c   *cip.Client
	w   *World
	err error
}

func (s *seeder) wrap(what string) {
	if s.err != nil {
		s.err = fmt.Errorf("seed: %s: %w", what, s.err)
	}
}

func (s *seeder) pool(name string, in *cip.CreateUserPoolInput) {
	if s.err != nil {
		return
	}
	in.PoolName = aws.String(name)
	out, err := s.c.CreateUserPool(s.ctx, in)
	if s.err = err; err != nil {
		s.wrap("create pool " + name)
		return
	}
	s.w.Pools[name] = &Pool{Name: name, ID: aws.ToString(out.UserPool.Id), Clients: map[string]string{}}
}

func (s *seeder) client(pool string, in *cip.CreateUserPoolClientInput) string {
	if s.err != nil {
		return ""
	}
	p := s.w.Pools[pool]
	in.UserPoolId = aws.String(p.ID)
	out, err := s.c.CreateUserPoolClient(s.ctx, in)
	if s.err = err; err != nil {
		s.wrap("create client " + aws.ToString(in.ClientName))
		return ""
	}
	id := aws.ToString(out.UserPoolClient.ClientId)
	p.Clients[aws.ToString(in.ClientName)] = id
	return id
}

func (u *User) attributes() []types.AttributeType {
	var a []types.AttributeType
	add := func(k, v string) { a = append(a, types.AttributeType{Name: aws.String(k), Value: aws.String(v)}) }
	if u.Email != "" {
		add("email", u.Email)
		add("email_verified", fmt.Sprint(u.EmailVerified))
	}
	if u.Phone != "" {
		add("phone_number", u.Phone)
		add("phone_number_verified", fmt.Sprint(u.PhoneVerified))
	}
	return a
}

const fixturePassword = "Fixture-Passw0rd!"

// user creates u with AdminCreateUser (no message sent) and brings it to
// u.Status.
func (s *seeder) user(u *User) {
	if s.err != nil {
		return
	}
	pool := aws.String(s.w.Pools[u.Pool].ID)
	name := aws.String(u.Username)
	_, s.err = s.c.AdminCreateUser(s.ctx, &cip.AdminCreateUserInput{
		UserPoolId: pool, Username: name, UserAttributes: u.attributes(),
		MessageAction: types.MessageActionTypeSuppress, TemporaryPassword: aws.String(fixturePassword),
	})
	s.wrap("create user " + u.Username)
	if s.err == nil && u.Status != "FORCE_CHANGE_PASSWORD" {
		_, s.err = s.c.AdminSetUserPassword(s.ctx, &cip.AdminSetUserPasswordInput{
			UserPoolId: pool, Username: name, Password: aws.String(fixturePassword), Permanent: true,
		})
		s.wrap("set password of " + u.Username)
	}
	if s.err == nil && u.Status == "RESET_REQUIRED" {
		_, s.err = s.c.AdminResetUserPassword(s.ctx, &cip.AdminResetUserPasswordInput{UserPoolId: pool, Username: name})
		s.wrap("reset password of " + u.Username)
	}
	if s.err == nil && u.Disabled {
		_, s.err = s.c.AdminDisableUser(s.ctx, &cip.AdminDisableUserInput{UserPoolId: pool, Username: name})
		s.wrap("disable " + u.Username)
	}
	if s.err == nil && u.SMSMFA {
		_, s.err = s.c.AdminSetUserMFAPreference(s.ctx, &cip.AdminSetUserMFAPreferenceInput{
			UserPoolId: pool, Username: name,
			SMSMfaSettings: &types.SMSMfaSettingsType{Enabled: true, PreferredMfa: true},
		})
		s.wrap("set MFA of " + u.Username)
	}
	s.w.Users[u.Username] = u
}

// signUp registers u through the public client and leaves it unconfirmed.
func (s *seeder) signUp(u *User, clientID string) {
	if s.err != nil {
		return
	}
	_, s.err = s.c.SignUp(s.ctx, &cip.SignUpInput{
		ClientId: aws.String(clientID), Username: aws.String(u.Username),
		Password: aws.String(fixturePassword), UserAttributes: u.attributes(),
	})
	s.wrap("sign up " + u.Username)
	s.w.Users[u.Username] = u
}
