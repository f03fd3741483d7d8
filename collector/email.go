package collector

import (
	"context"
	"errors"
	"strings"
	"sync"

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
	actListEmailIdentities        = "ses:ListEmailIdentities"
)

// sesData is the SES account state of one region plus the suppression list
// for the per-user join (raw lower-cased addresses → reason, memory only).
type sesData struct {
	account     snapshot.SESAccount
	suppression snapshot.Suppression
	suppressed  map[string]string
	verified    snapshot.VerifiedIdentities
	// verifiedNames are the lower-cased names of the identities whose
	// verification succeeded (addresses and domains), memory only; nil
	// when they could not be listed.
	verifiedNames map[string]struct{}
}

// recipientVerified reports whether a sandboxed SES account may send to
// addr: the address, or its domain, is a verified identity. It is false
// when the identities could not be listed.
func (d *sesData) recipientVerified(addr string) bool {
	addr = strings.ToLower(addr)
	if _, found := d.verifiedNames[addr]; found {
		return true
	}
	if i := strings.LastIndexByte(addr, '@'); i >= 0 {
		_, found := d.verifiedNames[addr[i+1:]]
		return found
	}
	return false
}

// sesState returns the SES account state of region, reading it once per
// account.
func (a *account) sesState(ctx context.Context, region string) *sesData {
	return readOnce(&a.mu, a.ses, region, func() *sesData {
		return a.readSES(ctx, a.clientsFor(region).ses, region)
	})
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

	names := map[string]struct{}{}
	d.verified.Read = ok(actListEmailIdentities)
	ip := sesv2.NewListEmailIdentitiesPaginator(c, &sesv2.ListEmailIdentitiesInput{PageSize: aws.Int32(1000)})
	for ip.HasMorePages() {
		out, err := ip.NextPage(ctx)
		if err != nil {
			d.verified.Read = failed(actListEmailIdentities, err)
			break
		}
		for _, id := range out.EmailIdentities {
			if id.VerificationStatus == sestypes.VerificationStatusSuccess {
				names[strings.ToLower(aws.ToString(id.IdentityName))] = struct{}{}
			}
		}
	}
	if d.verified.Read.OK() {
		d.verifiedNames = names
		d.verified.Count = len(names)
	}
	a.report(d.account.Read, "ses_region", region)
	a.report(d.suppression.Read, "ses_region", region)
	a.report(d.verified.Read, "ses_region", region)
	return d
}

// emailIdentity reads one SES identity, once per account.
func (a *account) emailIdentity(ctx context.Context, region, name string) snapshot.EmailIdentity {
	return readOnce(&a.mu, a.idents, [2]string{region, name}, func() snapshot.EmailIdentity {
		id := snapshot.EmailIdentity{Name: name}
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
		return id
	})
}

// configurationSet reads one SES configuration set, once per account.
func (a *account) configurationSet(ctx context.Context, region, name string) snapshot.ConfigurationSet {
	return readOnce(&a.mu, a.configSets, [2]string{region, name}, func() snapshot.ConfigurationSet {
		cs := snapshot.ConfigurationSet{Name: name}
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
		return cs
	})
}

// readOnce returns cache[key], reading it with read the first time. The
// lock is not held while reading, so two callers may both read a key; the
// results are the same and the last one is kept.
func readOnce[K comparable, V any](mu *sync.Mutex, cache map[K]V, key K, read func() V) V {
	mu.Lock()
	v, found := cache[key]
	mu.Unlock()
	if found {
		return v
	}
	v = read()
	mu.Lock()
	cache[key] = v
	mu.Unlock()
	return v
}
