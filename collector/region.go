package collector

import (
	"context"
	"fmt"
	"slices"

	"github.com/recoverscan/recoverscan/collector/snapshot"
)

// collectRegion writes one region: its pools' settings and messaging state
// first, then each pool's users.
func (a *account) collectRegion(ctx context.Context, region string, w *snapshot.Writer) error {
	c := a.clientsFor(region)
	refs, poolsRead := a.poolsIn(ctx, c, region)
	a.report(poolsRead, "region", region)
	pools := a.describePools(ctx, c, region, refs)
	if err := ctx.Err(); err != nil {
		return err
	}
	if len(a.opts.PoolIDs) > 0 {
		// Named pools: the region's read is as good as the worst
		// DescribeUserPool.
		for _, p := range pools {
			if !p.Read.OK() {
				poolsRead = p.Read
				break
			}
		}
	}

	reg := snapshot.Region{Name: region, PoolsRead: poolsRead}
	j := &joins{sms: map[string]*smsData{}, ses: map[string]*sesData{}}
	for _, p := range pools {
		if !p.Read.OK() {
			continue
		}
		// The legacy alternate region's state is read too: the pool may
		// send through either.
		for _, r := range []string{p.SMS.Region, p.SMS.AlternateRegion} {
			if r != "" && j.sms[r] == nil {
				j.sms[r] = a.smsState(ctx, r)
				reg.SMS = append(reg.SMS, j.sms[r].state)
			}
		}
	}
	for _, r := range sesRegions(pools) {
		d := a.sesState(ctx, r)
		j.ses[r] = d
		es := snapshot.EmailState{Region: r, Account: d.account, Suppression: d.suppression, VerifiedIdentities: d.verified}
		for _, name := range sesIdentities(pools, r) {
			es.Identities = append(es.Identities, a.emailIdentity(ctx, r, name))
		}
		for _, name := range sesConfigurationSets(pools, r) {
			es.ConfigurationSets = append(es.ConfigurationSets, a.configurationSet(ctx, r, name))
		}
		reg.Email = append(reg.Email, es)
	}
	if err := ctx.Err(); err != nil {
		return err
	}

	if err := w.BeginRegion(reg); err != nil {
		return fmt.Errorf("write snapshot: %w", err)
	}
	for i := range pools {
		if err := a.collectPool(ctx, c, &pools[i], j, w); err != nil {
			return err
		}
	}
	if err := w.EndRegion(); err != nil {
		return fmt.Errorf("write snapshot: %w", err)
	}
	return nil
}

// joins holds the per-region lists users are joined against, by the
// region the lists were read in.
type joins struct {
	sms map[string]*smsData
	ses map[string]*sesData
}

// sesRegions returns the SES regions named by the pools' SourceArns, in
// order of first appearance.
func sesRegions(pools []snapshot.PoolSettings) []string {
	var out []string
	for _, p := range pools {
		if r := p.Email.SESRegion; p.Read.OK() && r != "" && !slices.Contains(out, r) {
			out = append(out, r)
		}
	}
	return out
}

// sesIdentities returns the SES identities the pools send from in region.
func sesIdentities(pools []snapshot.PoolSettings, region string) []string {
	var out []string
	for _, p := range pools {
		if p.Read.OK() && p.Email.SESRegion == region && p.Email.Identity != "" && !slices.Contains(out, p.Email.Identity) {
			out = append(out, p.Email.Identity)
		}
	}
	return out
}

// sesConfigurationSets returns the SES configuration sets the pools send
// through in region. Only DEVELOPER pools send with the account's own SES,
// so only their EmailConfiguration.ConfigurationSet applies (with
// COGNITO_DEFAULT Cognito sends from its own account).
func sesConfigurationSets(pools []snapshot.PoolSettings, region string) []string {
	var out []string
	for _, p := range pools {
		name := p.Email.ConfigurationSet
		if p.Read.OK() && p.Email.SendingAccount == snapshot.EmailDeveloper && p.Email.SESRegion == region &&
			name != "" && !slices.Contains(out, name) {
			out = append(out, name)
		}
	}
	return out
}
