package collector

import (
	"context"
	"fmt"
	"strings"
	"sync"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"

	"github.com/recoverscan/recoverscan/collector/snapshot"
)

// IAM actions of the Cognito sources.
const (
	actListUserPools          = "cognito-idp:ListUserPools"
	actDescribeUserPool       = "cognito-idp:DescribeUserPool"
	actGetUserPoolMfaConfig   = "cognito-idp:GetUserPoolMfaConfig"
	actListUserPoolClients    = "cognito-idp:ListUserPoolClients"
	actDescribeUserPoolClient = "cognito-idp:DescribeUserPoolClient"
	actListUsers              = "cognito-idp:ListUsers"
	actAdminGetUser           = "cognito-idp:AdminGetUser"

	actGetLogDeliveryConfiguration = "cognito-idp:GetLogDeliveryConfiguration"
)

// Cognito's default for TemporaryPasswordValidityDays when a pool leaves it
// unset (or 0).
const defaultTempPasswordDays = 7

type poolRef struct{ id, name string }

// poolsIn returns the pools to read in region: the named ones whose id
// carries the region, else all pools ListUserPools returns.
func (a *account) poolsIn(ctx context.Context, c *clients, region string) ([]poolRef, snapshot.Source) {
	if len(a.opts.PoolIDs) > 0 {
		var refs []poolRef
		for _, id := range a.opts.PoolIDs {
			if poolRegion(id) == region {
				refs = append(refs, poolRef{id: id})
			}
		}
		// The pools' own read status says how each DescribeUserPool went.
		return refs, ok(actDescribeUserPool)
	}
	var refs []poolRef
	p := cip.NewListUserPoolsPaginator(c.cognito, &cip.ListUserPoolsInput{MaxResults: aws.Int32(60)})
	for p.HasMorePages() {
		out, err := p.NextPage(ctx)
		if err != nil {
			return refs, failed(actListUserPools, err)
		}
		for _, d := range out.UserPools {
			ref := poolRef{id: aws.ToString(d.Id), name: aws.ToString(d.Name)}
			if a.opts.PoolFilter != nil && !a.opts.PoolFilter(ref.id, ref.name) {
				continue
			}
			refs = append(refs, ref)
		}
	}
	return refs, ok(actListUserPools)
}

// poolRegion is the region prefix of a pool id ("us-east-1_AbC" → "us-east-1").
func poolRegion(id string) string {
	r, _, found := strings.Cut(id, "_")
	if !found {
		return ""
	}
	return r
}

// describePools reads the settings of pools, a few at a time, keeping
// their order.
func (a *account) describePools(ctx context.Context, c *clients, region string, refs []poolRef) []snapshot.PoolSettings {
	out := make([]snapshot.PoolSettings, len(refs))
	sem := make(chan struct{}, a.opts.Concurrency)
	var wg sync.WaitGroup
	for i, ref := range refs {
		wg.Go(func() {
			sem <- struct{}{}
			defer func() { <-sem }()
			out[i] = a.describePool(ctx, c, region, ref)
		})
	}
	wg.Wait()
	return out
}

// describePool reads one pool's settings, MFA configuration and app
// clients.
func (a *account) describePool(ctx context.Context, c *clients, region string, ref poolRef) snapshot.PoolSettings {
	p := snapshot.PoolSettings{ID: ref.id, Name: ref.name, Region: region}
	out, err := c.cognito.DescribeUserPool(ctx, &cip.DescribeUserPoolInput{UserPoolId: aws.String(ref.id)})
	if err != nil || out.UserPool == nil {
		if err == nil {
			err = fmt.Errorf("DescribeUserPool returned no pool")
		}
		p.Read = failed(actDescribeUserPool, err)
		a.report(p.Read, "region", region, "pool", ref.id)
		skipped := snapshot.Source{Status: snapshot.SourceSkipped, Error: "DescribeUserPool failed"}
		p.MFA.Read, p.Clients.Read, p.LogDelivery.Read = skipped, skipped, skipped
		p.MFA.Read.Action, p.Clients.Read.Action = actGetUserPoolMfaConfig, actListUserPoolClients
		p.LogDelivery.Read.Action = actGetLogDeliveryConfiguration
		return p
	}
	p.Read = ok(actDescribeUserPool)
	fillPool(&p, out.UserPool)

	mfa, err := c.cognito.GetUserPoolMfaConfig(ctx, &cip.GetUserPoolMfaConfigInput{UserPoolId: aws.String(ref.id)})
	p.MFA.Read = sourceOf(actGetUserPoolMfaConfig, err)
	if err == nil {
		fillMFA(&p.MFA, mfa)
	} else {
		a.report(p.MFA.Read, "region", region, "pool", ref.id)
	}
	p.LogDelivery = a.readLogDelivery(ctx, c, region, ref.id)
	p.Clients = a.readClients(ctx, c, ref.id)
	return p
}

// readLogDelivery reads the pool's log delivery configuration and reduces
// it to whether message delivery errors (event source userNotification, at
// level ERROR or INFO) are exported to a destination.
func (a *account) readLogDelivery(ctx context.Context, c *clients, region, poolID string) snapshot.LogDelivery {
	out, err := c.cognito.GetLogDeliveryConfiguration(ctx, &cip.GetLogDeliveryConfigurationInput{UserPoolId: aws.String(poolID)})
	if err != nil {
		ld := snapshot.LogDelivery{Read: failed(actGetLogDeliveryConfiguration, err)}
		a.report(ld.Read, "region", region, "pool", poolID)
		return ld
	}
	ld := snapshot.LogDelivery{Read: ok(actGetLogDeliveryConfiguration)}
	// A pool without a configuration answers an empty one (the model
	// requires LogConfigurations); a missing one means the same.
	if cfg := out.LogDeliveryConfiguration; cfg != nil {
		for _, lc := range cfg.LogConfigurations {
			if userNotificationErrors(lc) {
				ld.UserNotificationErrors = true
			}
		}
	}
	return ld
}

// userNotificationErrors reports whether lc exports message delivery
// errors: userNotification events at ERROR or INFO (which includes
// errors), to a destination.
func userNotificationErrors(lc types.LogConfigurationType) bool {
	if lc.EventSource != types.EventSourceNameUserNotification {
		return false
	}
	if lc.LogLevel != types.LogLevelError && lc.LogLevel != types.LogLevelInfo {
		return false
	}
	cw := lc.CloudWatchLogsConfiguration != nil && aws.ToString(lc.CloudWatchLogsConfiguration.LogGroupArn) != ""
	s3 := lc.S3Configuration != nil && aws.ToString(lc.S3Configuration.BucketArn) != ""
	fh := lc.FirehoseConfiguration != nil && aws.ToString(lc.FirehoseConfiguration.StreamArn) != ""
	return cw || s3 || fh
}

// fillPool copies DescribeUserPool's answer into p.
func fillPool(p *snapshot.PoolSettings, up *types.UserPoolType) {
	if v := aws.ToString(up.Id); v != "" {
		p.ID = v
	}
	if v := aws.ToString(up.Name); v != "" {
		p.Name = v
	}
	p.ARN = aws.ToString(up.Arn)
	p.EstimatedUsers = int64(up.EstimatedNumberOfUsers)
	p.Tier = string(up.UserPoolTier)

	// RecoveryMechanisms has 1–2 entries when the setting exists; an
	// empty setting (which emulators produce) means the same as none.
	if s := up.AccountRecoverySetting; s != nil && len(s.RecoveryMechanisms) > 0 {
		p.AccountRecovery.Configured = true
		for _, m := range s.RecoveryMechanisms {
			p.AccountRecovery.Mechanisms = append(p.AccountRecovery.Mechanisms,
				snapshot.RecoveryMechanism{Name: string(m.Name), Priority: int(aws.ToInt32(m.Priority))})
		}
	}
	p.AutoVerifiedAttributes = enumStrings(up.AutoVerifiedAttributes)
	p.AliasAttributes = enumStrings(up.AliasAttributes)
	p.UsernameAttributes = enumStrings(up.UsernameAttributes)
	if s := up.UserAttributeUpdateSettings; s != nil {
		p.VerifyBeforeUpdate = enumStrings(s.AttributesRequireVerificationBeforeUpdate)
	}
	p.TemporaryPasswordValidityDays = defaultTempPasswordDays
	if pp := up.Policies; pp != nil && pp.PasswordPolicy != nil && pp.PasswordPolicy.TemporaryPasswordValidityDays > 0 {
		p.TemporaryPasswordValidityDays = int(pp.PasswordPolicy.TemporaryPasswordValidityDays)
	}
	if ac := up.AdminCreateUserConfig; ac != nil {
		p.AllowAdminCreateUserOnly = ac.AllowAdminCreateUserOnly
	}
	p.MFA.Configuration = string(up.MfaConfiguration)
	if p.MFA.Configuration == "" {
		p.MFA.Configuration = string(types.UserPoolMfaTypeOff)
	}

	p.Email.SendingAccount = snapshot.EmailCognitoDefault
	if ec := up.EmailConfiguration; ec != nil {
		if ec.EmailSendingAccount != "" {
			p.Email.SendingAccount = string(ec.EmailSendingAccount)
		}
		p.Email.SourceARN = aws.ToString(ec.SourceArn)
		p.Email.SESRegion, p.Email.Identity = parseSESIdentityARN(p.Email.SourceARN)
		p.Email.ConfigurationSet = aws.ToString(ec.ConfigurationSet)
	}

	if sc := up.SmsConfiguration; sc != nil {
		p.SMS.SNSCallerARN = aws.ToString(sc.SnsCallerArn)
		p.SMS.ExternalIDSet = aws.ToString(sc.ExternalId) != ""
		p.SMS.SNSRegion = aws.ToString(sc.SnsRegion)
		// SDK v1.61.0 does not model EumsSms, so SMS.EUMS stays false.
		p.SMS.Configured = p.SMS.SNSCallerARN != ""
	}
	p.SMS.Region, p.SMS.AlternateRegion = smsRegions(p.Region, p.SMS.SNSRegion)
	p.SMSConfigurationFailure = aws.ToString(up.SmsConfigurationFailure)
	p.EmailConfigurationFailure = aws.ToString(up.EmailConfigurationFailure)

	if lc := up.LambdaConfig; lc != nil {
		p.Triggers.PreSignUp = aws.ToString(lc.PreSignUp)
		p.Triggers.CustomMessage = aws.ToString(lc.CustomMessage)
		p.Triggers.UserMigration = aws.ToString(lc.UserMigration)
		if lc.CustomSMSSender != nil {
			p.Triggers.CustomSMSSender = aws.ToString(lc.CustomSMSSender.LambdaArn)
		}
		if lc.CustomEmailSender != nil {
			p.Triggers.CustomEmailSender = aws.ToString(lc.CustomEmailSender.LambdaArn)
		}
		p.Triggers.KMSKeySet = aws.ToString(lc.KMSKeyID) != ""
	}
}

// legacySNSRegions are the legacy alternate SNS regions of pools created
// without SnsRegion, by pool region: such a pool "can send SMS messages
// with Amazon SNS resources in a legacy Amazon SNS Region" (Cognito
// developer guide, SMS settings).
var legacySNSRegions = map[string]string{
	"us-east-2":    "us-east-1",
	"ap-south-1":   "ap-southeast-1",
	"ca-central-1": "us-east-1",
	"eu-central-1": "eu-west-1",
	"eu-west-2":    "eu-west-1",
}

// smsRegions returns the SNS region whose state a pool's SMS depend on
// and its legacy alternate, if any. With SnsRegion set, that is the one
// region. Without it, the pool's own region and the legacy alternate of
// the table above; a Seoul pool must use Tokyo's SNS configuration, and
// nothing else.
func smsRegions(poolRegion, snsRegion string) (region, alternate string) {
	switch {
	case snsRegion != "":
		return snsRegion, ""
	case poolRegion == "ap-northeast-2":
		return "ap-northeast-1", ""
	}
	return poolRegion, legacySNSRegions[poolRegion]
}

// fillMFA copies GetUserPoolMfaConfig's answer into m. A factor is on when
// the pool has its configuration (SMS, email) or it is enabled (TOTP).
func fillMFA(m *snapshot.PoolMFA, out *cip.GetUserPoolMfaConfigOutput) {
	if out.MfaConfiguration != "" {
		m.Configuration = string(out.MfaConfiguration)
	}
	m.SMSEnabled = out.SmsMfaConfiguration != nil
	m.EmailEnabled = out.EmailMfaConfiguration != nil
	m.TOTPEnabled = out.SoftwareTokenMfaConfiguration != nil && out.SoftwareTokenMfaConfiguration.Enabled
}

// parseSESIdentityARN splits "arn:aws:ses:REGION:ACCOUNT:identity/NAME"
// into region and identity name; both are "" if arn is not of that form.
func parseSESIdentityARN(arn string) (region, identity string) {
	parts := strings.SplitN(arn, ":", 6)
	if len(parts) != 6 || parts[0] != "arn" || parts[2] != "ses" {
		return "", ""
	}
	name, found := strings.CutPrefix(parts[5], "identity/")
	if !found || parts[3] == "" || name == "" {
		return "", ""
	}
	return parts[3], name
}

func enumStrings[T ~string](in []T) []string {
	if len(in) == 0 {
		return nil
	}
	out := make([]string, len(in))
	for i, v := range in {
		out[i] = string(v)
	}
	return out
}

// readClients lists the pool's app clients and describes each. The
// client secret is reduced to whether there is one.
func (a *account) readClients(ctx context.Context, c *clients, poolID string) snapshot.Clients {
	var cs snapshot.Clients
	p := cip.NewListUserPoolClientsPaginator(c.cognito, &cip.ListUserPoolClientsInput{
		UserPoolId: aws.String(poolID), MaxResults: aws.Int32(60),
	})
	var descs []types.UserPoolClientDescription
	for p.HasMorePages() {
		out, err := p.NextPage(ctx)
		if err != nil {
			cs.Read = failed(actListUserPoolClients, err)
			a.report(cs.Read, "pool", poolID)
			break
		}
		descs = append(descs, out.UserPoolClients...)
	}
	if cs.Read.Status == "" {
		cs.Read = ok(actListUserPoolClients)
	}
	for _, d := range descs {
		cl := snapshot.Client{ID: aws.ToString(d.ClientId), Name: aws.ToString(d.ClientName)}
		out, err := c.cognito.DescribeUserPoolClient(ctx, &cip.DescribeUserPoolClientInput{
			UserPoolId: aws.String(poolID), ClientId: d.ClientId,
		})
		cl.Read = sourceOf(actDescribeUserPoolClient, err)
		if err != nil {
			a.report(cl.Read, "pool", poolID, "client", cl.ID)
		} else if uc := out.UserPoolClient; uc != nil {
			cl.HasSecret = aws.ToString(uc.ClientSecret) != ""
			cl.PreventUserExistenceErrors = string(uc.PreventUserExistenceErrors)
			if cl.PreventUserExistenceErrors == "" {
				// The API's documented default when a client leaves it unset.
				cl.PreventUserExistenceErrors = string(types.PreventUserExistenceErrorTypesLegacy)
			}
			cl.ExplicitAuthFlows = enumStrings(uc.ExplicitAuthFlows)
			cl.WriteAttributes = uc.WriteAttributes
		}
		cs.Items = append(cs.Items, cl)
	}
	return cs
}
