// Package snapshot defines the recoverscan snapshot: the versioned JSON
// document the collector writes and the policies read. It is the contract
// between the two, so every field here is documented in snapshot.schema.json
// and rules are type-checked against that schema.
//
// The document is a tree, account → region → pool → users. Everything a rule
// needs about a pool (settings, app clients, the account's SMS and email
// state) comes before the pool's users, so a reader can stream users one at a
// time instead of holding millions in memory.
//
// The snapshot never holds end-user contact data: per user it keeps whether an
// email address or phone number exists and is verified, the joins against
// account lists (suppressed, opted out, sandbox-verified), the phone's country
// and a masked form for display.
package snapshot

import "time"

// SchemaVersion is the snapshot format version this package reads and writes.
const SchemaVersion = 1

// Snapshot is a whole snapshot held in memory. Large snapshots are written
// with Writer and read with Walk instead, so users stream.
type Snapshot struct {
	Header
	Accounts []Account `json:"accounts"`
}

// Header says what the document is and how it was taken.
type Header struct {
	SchemaVersion int       `json:"schema_version"`
	TakenAt       time.Time `json:"taken_at"`
	Tool          Tool      `json:"tool"`
	// Pseudonymized is true when usernames and subs were replaced by a
	// keyed hash at collection time.
	Pseudonymized bool `json:"pseudonymized"`
}

// Tool names the program that wrote the snapshot.
type Tool struct {
	Name    string `json:"name"`
	Version string `json:"version"`
}

// Account is one AWS account.
type Account struct {
	// ID is the 12-digit account id, or "" when sts:GetCallerIdentity
	// could not be read.
	ID       string   `json:"id"`
	Identity Source   `json:"identity_read"`
	Regions  []Region `json:"regions"`
}

// Region is one AWS region of an account: the messaging state its pools
// depend on, then the pools.
type Region struct {
	Name string `json:"name"`
	// PoolsRead records ListUserPools (or the DescribeUserPool calls when
	// pools were named explicitly).
	PoolsRead Source `json:"pools_read"`
	// SMS holds the SNS state of every region this region's pools send SMS
	// through (usually the same region).
	SMS []SMSState `json:"sms"`
	// Email holds the SES state of every region this region's pools send
	// email through with their own SES identity (DEVELOPER mode).
	Email []EmailState `json:"email"`
	Pools []Pool       `json:"pools"`
}

// SourceStatus says whether a data source could be read.
type SourceStatus string

// Source statuses. Anything but SourceOK means the facts the source would
// have provided are unknown; rules must report such verdicts as
// indeterminate, never as passing or failing.
const (
	SourceOK            SourceStatus = "ok"
	SourceDenied        SourceStatus = "denied"         // AccessDenied and friends
	SourceUnavailable   SourceStatus = "unavailable"    // not offered in this region or by this endpoint
	SourceThrottled     SourceStatus = "throttled"      // retries exhausted
	SourceError         SourceStatus = "error"          // anything else
	SourceSkipped       SourceStatus = "skipped"        // deliberately not read (opt-in source)
	SourceNotApplicable SourceStatus = "not_applicable" // nothing to read (e.g. no SES identity configured)
)

// Source records the outcome of reading one data source.
type Source struct {
	Status SourceStatus `json:"status"`
	// Action is the IAM action that reads the source, e.g.
	// "sns:GetSMSSandboxAccountStatus": the permission that settles an
	// indeterminate verdict.
	Action string `json:"action"`
	// Error is the error text when Status is not ok. It never holds
	// contact data.
	Error string `json:"error,omitempty"`
}

// OK reports whether the source was read successfully.
func (s Source) OK() bool { return s.Status == SourceOK }

// SMSState is the account's SNS SMS state in one region.
type SMSState struct {
	Region             string             `json:"region"`
	Attributes         SMSAttributes      `json:"attributes"`
	Sandbox            SMSSandbox         `json:"sandbox"`
	OriginationNumbers OriginationNumbers `json:"origination_numbers"`
	OptOuts            OptOuts            `json:"opt_outs"`
	// Spend is the month-to-date SMS spend SNS reports to CloudWatch.
	Spend SMSSpend `json:"spend"`
	// EUMS is the AWS End User Messaging SMS state of the region, which
	// SNS passes text messages through.
	EUMS EUMSState `json:"eums"`
}

// SMSSpend is the CloudWatch metric AWS/SNS SMSMonthToDateSpentUSD
// (statistic Maximum) for the calendar month the snapshot was taken in,
// read with cloudwatch:GetMetricData.
type SMSSpend struct {
	Read Source `json:"read"`
	// MonthToDateUSD is the highest value of the month; 0 when SNS
	// reported no data point this month (nothing was sent).
	MonthToDateUSD float64 `json:"month_to_date_usd"`
	// Month is the month the figure covers, "2006-01" (UTC).
	Month string `json:"month"`
}

// EUMSState is what AWS End User Messaging SMS (pinpoint-sms-voice-v2)
// says about the account in one region.
type EUMSState struct {
	// Account is sms-voice:DescribeAccountAttributes.
	Account EUMSAccount `json:"account"`
	// SpendLimit is sms-voice:DescribeSpendLimits for text messages.
	SpendLimit EUMSSpendLimit `json:"spend_limit"`
	// PhoneNumbers is sms-voice:DescribePhoneNumbers: the origination
	// numbers End User Messaging holds (without the numbers).
	PhoneNumbers OriginationNumbers `json:"phone_numbers"`
	// SenderIDs is sms-voice:DescribeSenderIds.
	SenderIDs SenderIDs `json:"sender_ids"`
}

// EUMSAccount is sms-voice:DescribeAccountAttributes.
type EUMSAccount struct {
	Read Source `json:"read"`
	// Tier is the ACCOUNT_TIER attribute as End User Messaging spells it
	// (it says whether the account is in the sandbox), "" when absent.
	Tier string `json:"tier"`
}

// EUMSSpendLimit is the TEXT_MESSAGE_MONTHLY_SPEND_LIMIT entry of
// sms-voice:DescribeSpendLimits, in USD.
type EUMSSpendLimit struct {
	Read Source `json:"read"`
	// Found is false when the answer had no text-message entry.
	Found bool `json:"found"`
	// EnforcedUSD is the limit in force; MaxUSD the account's quota.
	EnforcedUSD float64 `json:"enforced_usd"`
	MaxUSD      float64 `json:"max_usd"`
	// Overridden is true when EnforcedUSD was set below the quota.
	Overridden bool `json:"overridden"`
}

// SenderIDs is sms-voice:DescribeSenderIds (the ids themselves are not
// kept).
type SenderIDs struct {
	Read  Source     `json:"read"`
	Items []SenderID `json:"items"`
}

// SenderID is one sender id: where it may be used.
type SenderID struct {
	Country    string `json:"country"` // ISO 3166-1 alpha-2
	Registered bool   `json:"registered"`
}

// SMSAttributes is sns:GetSMSAttributes.
type SMSAttributes struct {
	Read Source `json:"read"`
	// MonthlySpendLimit is the account's SMS spend limit in USD as SNS
	// reports it; "" when unset, which SNS treats as the account quota.
	MonthlySpendLimit string `json:"monthly_spend_limit"`
	// DefaultSMSType is "Promotional", "Transactional" or "" (unset, which
	// SNS treats as Promotional).
	DefaultSMSType           string `json:"default_sms_type"`
	DeliveryStatusIAMRoleSet bool   `json:"delivery_status_iam_role_set"`
}

// SMSSandbox is sns:GetSMSSandboxAccountStatus and
// sns:ListSMSSandboxPhoneNumbers.
type SMSSandbox struct {
	Read      Source `json:"read"`
	InSandbox bool   `json:"in_sandbox"`
	// DestinationsRead records ListSMSSandboxPhoneNumbers; the per-user
	// join is User.Phone.SandboxVerified.
	DestinationsRead         Source `json:"destinations_read"`
	VerifiedDestinationCount int    `json:"verified_destination_count"`
}

// OriginationNumbers is sns:ListOriginationNumbers.
type OriginationNumbers struct {
	Read    Source              `json:"read"`
	Numbers []OriginationNumber `json:"numbers"`
}

// OriginationNumber is one origination identity (the number itself is not
// kept: rules only need where and how it can send).
type OriginationNumber struct {
	Country   string `json:"country"`    // ISO 3166-1 alpha-2, e.g. "US"
	Status    string `json:"status"`     // e.g. "ACTIVE"
	RouteType string `json:"route_type"` // Transactional | Promotional | Premium
	SMS       bool   `json:"sms"`        // SMS capable
}

// OptOuts is sns:ListPhoneNumbersOptedOut; the per-user join is
// User.Phone.OptedOut.
type OptOuts struct {
	Read  Source `json:"read"`
	Count int    `json:"count"`
}

// EmailState is the account's SES state in one region.
type EmailState struct {
	Region     string          `json:"region"`
	Account    SESAccount      `json:"account"`
	Identities []EmailIdentity `json:"identities"`
	// ConfigurationSets are the SES configuration sets named by
	// DEVELOPER pools' EmailConfiguration.ConfigurationSet in this region.
	ConfigurationSets []ConfigurationSet `json:"configuration_sets"`
	Suppression       Suppression        `json:"suppression"`
	// VerifiedIdentities is ses:ListEmailIdentities: the identities a
	// sandboxed SES account may send to. The per-user join is
	// User.Email.RecipientVerified.
	VerifiedIdentities VerifiedIdentities `json:"verified_identities"`
}

// VerifiedIdentities is ses:ListEmailIdentities, reduced to a count of the
// identities whose verification status is SUCCESS (the names are joined
// against users in memory and not kept).
type VerifiedIdentities struct {
	Read  Source `json:"read"`
	Count int    `json:"count"`
}

// SESAccount is sesv2:GetAccount.
type SESAccount struct {
	Read                    Source  `json:"read"`
	ProductionAccessEnabled bool    `json:"production_access_enabled"`
	SendingEnabled          bool    `json:"sending_enabled"`
	EnforcementStatus       string  `json:"enforcement_status"` // HEALTHY | PROBATION | SHUTDOWN
	Max24HourSend           float64 `json:"max_24_hour_send"`   // -1 = unlimited
	SentLast24Hours         float64 `json:"sent_last_24_hours"`
}

// EmailIdentity is sesv2:GetEmailIdentity for one sending identity named
// by a pool's EmailConfiguration.SourceArn.
type EmailIdentity struct {
	// Name is the identity as in the SourceArn: a domain or the pool's own
	// sender address (an organisation's address, not an end user's).
	Name string `json:"name"`
	Read Source `json:"read"`
	// Exists is false when SES answered NotFound.
	Exists             bool   `json:"exists"`
	VerifiedForSending bool   `json:"verified_for_sending"`
	VerificationStatus string `json:"verification_status"` // PENDING | SUCCESS | FAILED | TEMPORARY_FAILURE | NOT_STARTED
	DKIMStatus         string `json:"dkim_status"`
	// CognitoMaySend is true when one of the identity's sending
	// authorization policies lets the service principal
	// email.cognito-idp.amazonaws.com (or everyone) send from it with both
	// ses:SendEmail and ses:SendRawEmail, and no unconditional Deny takes
	// that away. Conditions of Allow statements are not judged. The
	// policies themselves are not kept.
	CognitoMaySend bool `json:"cognito_may_send"`
}

// ConfigurationSet is sesv2:GetConfigurationSet for one configuration set
// named by a pool's EmailConfiguration.ConfigurationSet.
type ConfigurationSet struct {
	Name string `json:"name"`
	Read Source `json:"read"`
	// Exists is false when SES answered NotFound.
	Exists bool `json:"exists"`
	// SendingEnabled is SendingOptions.SendingEnabled (true when SES
	// leaves SendingOptions out: sending is enabled by default); false
	// when the set does not exist or was not read.
	SendingEnabled bool `json:"sending_enabled"`
}

// Suppression is sesv2:ListSuppressedDestinations; the per-user join is
// User.Email.Suppressed.
type Suppression struct {
	Read  Source `json:"read"`
	Count int    `json:"count"`
}

// Pool is one user pool: its settings, then its users, then the outcome of
// listing them.
type Pool struct {
	PoolSettings
	Users []User `json:"users"`
	// UsersRead records ListUsers. It follows the users because a listing
	// can fail part way; UsersListed says how many were written.
	UsersRead   Source `json:"users_read"`
	UsersListed int64  `json:"users_listed"`
}

// PoolSettings is everything about a pool except its users.
type PoolSettings struct {
	ID     string `json:"id"`
	Name   string `json:"name"`
	ARN    string `json:"arn"`
	Region string `json:"region"`
	// Read records DescribeUserPool. When it failed only ID and Region
	// are known.
	Read           Source `json:"read"`
	EstimatedUsers int64  `json:"estimated_users"`
	Tier           string `json:"tier"` // LITE | ESSENTIALS | PLUS | ""

	AccountRecovery AccountRecovery `json:"account_recovery"`

	AutoVerifiedAttributes []string `json:"auto_verified_attributes"`
	AliasAttributes        []string `json:"alias_attributes"`
	UsernameAttributes     []string `json:"username_attributes"`
	// VerifyBeforeUpdate is
	// UserAttributeUpdateSettings.AttributesRequireVerificationBeforeUpdate.
	VerifyBeforeUpdate []string `json:"verify_before_update"`

	// TemporaryPasswordValidityDays is the effective value (7 when the pool
	// leaves it unset).
	TemporaryPasswordValidityDays int  `json:"temporary_password_validity_days"`
	AllowAdminCreateUserOnly      bool `json:"allow_admin_create_user_only"`

	MFA PoolMFA `json:"mfa"`

	Email EmailConfig `json:"email"`
	SMS   SMSConfig   `json:"sms"`

	SMSConfigurationFailure   string `json:"sms_configuration_failure"`
	EmailConfigurationFailure string `json:"email_configuration_failure"`

	Triggers Triggers `json:"triggers"`

	// LogDelivery is cognito-idp:GetLogDeliveryConfiguration.
	LogDelivery LogDelivery `json:"log_delivery"`

	Clients Clients `json:"clients"`
}

// LogDelivery is the pool's log delivery configuration.
type LogDelivery struct {
	Read Source `json:"read"`
	// UserNotificationErrors is true when the pool exports
	// userNotification events (message delivery errors) at level ERROR
	// or INFO to some destination.
	UserNotificationErrors bool `json:"user_notification_errors"`
}

// Recovery mechanism names as Cognito spells them.
const (
	MechanismEmail     = "verified_email"
	MechanismPhone     = "verified_phone_number"
	MechanismAdminOnly = "admin_only"
)

// AccountRecovery is the pool's AccountRecoverySetting.
type AccountRecovery struct {
	// Configured is false when the pool has no AccountRecoverySetting:
	// Cognito then uses the legacy order, phone first, and SMS MFA does
	// not disqualify the phone.
	Configured bool                `json:"configured"`
	Mechanisms []RecoveryMechanism `json:"mechanisms"`
}

// RecoveryMechanism is one RecoveryOptionType.
type RecoveryMechanism struct {
	Name     string `json:"name"`
	Priority int    `json:"priority"`
}

// PoolMFA is the pool's MFA setting from DescribeUserPool and
// GetUserPoolMfaConfig.
type PoolMFA struct {
	Configuration string `json:"configuration"` // OFF | ON | OPTIONAL
	// Read records GetUserPoolMfaConfig, which says which factors are on.
	Read         Source `json:"read"`
	SMSEnabled   bool   `json:"sms_enabled"`
	EmailEnabled bool   `json:"email_enabled"`
	TOTPEnabled  bool   `json:"totp_enabled"`
}

// Email sending accounts.
const (
	EmailCognitoDefault = "COGNITO_DEFAULT"
	EmailDeveloper      = "DEVELOPER"
)

// EmailConfig is the pool's EmailConfiguration.
type EmailConfig struct {
	// SendingAccount is COGNITO_DEFAULT (also when unset) or DEVELOPER.
	SendingAccount string `json:"sending_account"`
	SourceARN      string `json:"source_arn"`
	// SESRegion is the region of SourceArn: where the SES state that
	// matters lives. "" when there is no SourceArn.
	SESRegion string `json:"ses_region"`
	// Identity is the SES identity named by SourceArn.
	Identity         string `json:"identity"`
	ConfigurationSet string `json:"configuration_set"`
}

// SMSConfig is the pool's SmsConfiguration.
type SMSConfig struct {
	// Configured is true when the pool has an SNS caller role or an End
	// User Messaging configuration.
	Configured    bool   `json:"configured"`
	SNSCallerARN  string `json:"sns_caller_arn"`
	ExternalIDSet bool   `json:"external_id_set"`
	// SNSRegion is the configured SnsRegion, "" when unset.
	SNSRegion string `json:"sns_region"`
	// Region is where the collector read SNS state for this pool:
	// SNSRegion, else the pool's region (Tokyo for a Seoul pool, which
	// must use Tokyo's SNS configuration).
	Region string `json:"region"`
	// AlternateRegion is the legacy alternate SNS region a pool without
	// SnsRegion may also send through (us-east-2 → us-east-1 and the
	// like); "" when there is none. Its SNS state is collected too.
	AlternateRegion string `json:"alternate_region"`
	// EUMS is true when the pool sends through End User Messaging
	// directly (SmsConfiguration.EumsSms).
	EUMS bool `json:"eums"`
}

// Triggers holds the pool's Lambda triggers that affect recovery, as ARNs
// ("" when unset).
type Triggers struct {
	PreSignUp         string `json:"pre_sign_up"`
	CustomMessage     string `json:"custom_message"`
	UserMigration     string `json:"user_migration"`
	CustomSMSSender   string `json:"custom_sms_sender"`
	CustomEmailSender string `json:"custom_email_sender"`
	KMSKeySet         bool   `json:"kms_key_set"`
}

// Clients is the pool's app clients.
type Clients struct {
	// Read records ListUserPoolClients.
	Read  Source   `json:"read"`
	Items []Client `json:"items"`
}

// Client is one app client. Its secret is never stored, only whether it
// has one.
type Client struct {
	ID   string `json:"id"`
	Name string `json:"name"`
	// Read records DescribeUserPoolClient.
	Read                       Source   `json:"read"`
	HasSecret                  bool     `json:"has_secret"`
	PreventUserExistenceErrors string   `json:"prevent_user_existence_errors"` // ENABLED | LEGACY
	ExplicitAuthFlows          []string `json:"explicit_auth_flows"`
	WriteAttributes            []string `json:"write_attributes"`
}

// User statuses as Cognito spells them.
const (
	StatusConfirmed           = "CONFIRMED"
	StatusUnconfirmed         = "UNCONFIRMED"
	StatusForceChangePassword = "FORCE_CHANGE_PASSWORD"
	StatusResetRequired       = "RESET_REQUIRED"
	StatusExternalProvider    = "EXTERNAL_PROVIDER"
)

// User is one user, reduced to what recovery depends on.
type User struct {
	// Username is the username, masked like an address or number when it
	// is shaped like one (see ContactShaped).
	Username string `json:"username"`
	// UsernameMasked is true when Username is such a masked form;
	// UsernameDigest then finds the user by the name (UsernameDigest).
	UsernameMasked bool      `json:"username_masked,omitempty"`
	UsernameDigest string    `json:"username_digest,omitempty"`
	Sub            string    `json:"sub"`
	Status         string    `json:"status"`
	Enabled        bool      `json:"enabled"`
	CreatedAt      time.Time `json:"created_at"`
	LastModifiedAt time.Time `json:"last_modified_at"`
	Email          Email     `json:"email"`
	Phone          Phone     `json:"phone"`
	MFA            UserMFA   `json:"mfa"`
}

// Email is what the snapshot keeps of a user's email address.
type Email struct {
	Present  bool `json:"present"`
	Verified bool `json:"verified"`
	// Masked is the address as Cognito masks it, e.g. "j***@e***.com".
	Masked string `json:"masked"`
	// Suppressed is the join against the SES account suppression list of
	// the pool's SES region; meaningful only when that list was read.
	Suppressed        bool   `json:"suppressed"`
	SuppressionReason string `json:"suppression_reason"` // BOUNCE | COMPLAINT
	// RecipientVerified is the join against the verified SES identities
	// of the pool's SES region: the address, or its domain, is one. A
	// sandboxed SES account still delivers to such an address.
	RecipientVerified bool `json:"recipient_verified"`
}

// Phone is what the snapshot keeps of a user's phone number.
type Phone struct {
	Present  bool `json:"present"`
	Verified bool `json:"verified"`
	// Masked is the number as Cognito masks it, e.g. "+*******1234".
	Masked string `json:"masked"`
	// CallingCode is the E.164 country calling code, e.g. "1" or "44".
	CallingCode string `json:"calling_code"`
	// Country is the ISO 3166-1 alpha-2 country, "" when the calling code
	// is shared and the number does not say which (rare).
	Country string `json:"country"`
	// OptedOut and SandboxVerified are joins against the SNS opt-out list
	// and the SMS sandbox destinations of the pool's SMS region;
	// meaningful only when those lists were read.
	OptedOut        bool `json:"opted_out"`
	SandboxVerified bool `json:"sandbox_verified"`
	// AlternateOptedOut and AlternateSandboxVerified are the same joins
	// against the lists of the pool's legacy alternate SNS region, when
	// it has one.
	AlternateOptedOut        bool `json:"alternate_opted_out"`
	AlternateSandboxVerified bool `json:"alternate_sandbox_verified"`
}

// MFA factor names as AdminGetUser's UserMFASettingList spells them.
const (
	MFASMS   = "SMS_MFA"
	MFAEmail = "EMAIL_OTP"
	MFATOTP  = "SOFTWARE_TOKEN_MFA"
)

// UserMFA is the user's MFA state. Only AdminGetUser returns it, and that
// call counts towards monthly active users, so it is read only on request
// and only for users whose verdict depends on it.
type UserMFA struct {
	Read      Source   `json:"read"`
	Methods   []string `json:"methods"`
	Preferred string   `json:"preferred"`
}
