package collector

import (
	"context"
	"errors"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sesv2"
	sestypes "github.com/aws/aws-sdk-go-v2/service/sesv2/types"

	"github.com/recoverscan/recoverscan/collector/snapshot"
)

// IAM actions of the SES sources.
const (
	actGetAccount                 = "ses:GetAccount"
	actGetEmailIdentity           = "ses:GetEmailIdentity"
	actGetConfigurationSet        = "ses:GetConfigurationSet"
	actListSuppressedDestinations = "ses:ListSuppressedDestinations"
)

// sesData is the SES account state of one region plus the suppression list
// for the per-user join (raw lower-cased addresses → reason, memory only).
type sesData struct {
	account     snapshot.SESAccount
	suppression snapshot.Suppression
	suppressed  map[string]string
}

// sesState returns the SES account state of region, reading it once per
// account.
func (a *account) sesState(ctx context.Context, region string) *sesData {
	a.mu.Lock()
	d, found := a.ses[region]
	a.mu.Unlock()
	if found {
		return d
	}
	d = a.readSES(ctx, a.clientsFor(region).ses, region)
	a.mu.Lock()
	a.ses[region] = d
	a.mu.Unlock()
	return d
}

func (a *account) readSES(ctx context.Context, c *sesv2.Client, region string) *sesData {
	d := &sesData{}
	acct, err := c.GetAccount(ctx, &sesv2.GetAccountInput{})
	d.account.Read = sourceOf(actGetAccount, err)
	if err == nil {
		d.account.ProductionAccessEnabled = acct.ProductionAccessEnabled
		d.account.SendingEnabled = acct.SendingEnabled
		d.account.EnforcementStatus = aws.ToString(acct.EnforcementStatus)
		if q := acct.SendQuota; q != nil {
			d.account.Max24HourSend = q.Max24HourSend
			d.account.SentLast24Hours = q.SentLast24Hours
		}
	}

	suppressed := map[string]string{}
	d.suppression.Read = ok(actListSuppressedDestinations)
	p := sesv2.NewListSuppressedDestinationsPaginator(c, &sesv2.ListSuppressedDestinationsInput{PageSize: aws.Int32(1000)})
	for p.HasMorePages() {
		out, err := p.NextPage(ctx)
		if err != nil {
			d.suppression.Read = failed(actListSuppressedDestinations, err)
			break
		}
		for _, s := range out.SuppressedDestinationSummaries {
			suppressed[strings.ToLower(aws.ToString(s.EmailAddress))] = string(s.Reason)
		}
	}
	if d.suppression.Read.OK() {
		d.suppressed = suppressed
		d.suppression.Count = len(suppressed)
	}
	a.report(d.account.Read, "ses_region", region)
	a.report(d.suppression.Read, "ses_region", region)
	return d
}

// emailIdentity reads one SES identity, once per account.
func (a *account) emailIdentity(ctx context.Context, region, name string) snapshot.EmailIdentity {
	key := [2]string{region, name}
	a.mu.Lock()
	id, found := a.idents[key]
	a.mu.Unlock()
	if found {
		return id
	}
	id = snapshot.EmailIdentity{Name: name}
	out, err := a.clientsFor(region).ses.GetEmailIdentity(ctx, &sesv2.GetEmailIdentityInput{EmailIdentity: aws.String(name)})
	var nf *sestypes.NotFoundException
	switch {
	case errors.As(err, &nf):
		// A missing identity is a fact about the account, not a failed read.
		id.Read = ok(actGetEmailIdentity)
	case err != nil:
		id.Read = failed(actGetEmailIdentity, err)
		a.report(id.Read, "ses_region", region)
	default:
		id.Read = ok(actGetEmailIdentity)
		id.Exists = true
		id.VerifiedForSending = out.VerifiedForSendingStatus
		id.VerificationStatus = string(out.VerificationStatus)
		if out.DkimAttributes != nil {
			id.DKIMStatus = string(out.DkimAttributes.Status)
		}
		// Only the verdict is kept, never the policy text.
		id.CognitoMaySend = cognitoMaySend(out.Policies, region, a.id, name)
	}
	a.mu.Lock()
	a.idents[key] = id
	a.mu.Unlock()
	return id
}

// configurationSet reads one SES configuration set, once per account.
func (a *account) configurationSet(ctx context.Context, region, name string) snapshot.ConfigurationSet {
	key := [2]string{region, name}
	a.mu.Lock()
	cs, found := a.configSets[key]
	a.mu.Unlock()
	if found {
		return cs
	}
	cs = snapshot.ConfigurationSet{Name: name}
	out, err := a.clientsFor(region).ses.GetConfigurationSet(ctx, &sesv2.GetConfigurationSetInput{ConfigurationSetName: aws.String(name)})
	var nf *sestypes.NotFoundException
	switch {
	case errors.As(err, &nf):
		// A missing set is a fact about the account, not a failed read.
		cs.Read = ok(actGetConfigurationSet)
	case err != nil:
		cs.Read = failed(actGetConfigurationSet, err)
		a.report(cs.Read, "ses_region", region)
	default:
		cs.Read = ok(actGetConfigurationSet)
		cs.Exists = true
		// SES sends through a set unless SendingOptions says otherwise.
		cs.SendingEnabled = out.SendingOptions == nil || out.SendingOptions.SendingEnabled
	}
	a.mu.Lock()
	a.configSets[key] = cs
	a.mu.Unlock()
	return cs
}
