package collector

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/arn"
	"github.com/aws/aws-sdk-go-v2/service/organizations"
	orgtypes "github.com/aws/aws-sdk-go-v2/service/organizations/types"
	"github.com/aws/aws-sdk-go-v2/service/sts"
)

// The Organizations calls of ListOrganization; each needs its IAM action
// in the account that lists (the management account or a delegated
// administrator).
const (
	actDescribeOrganization = "organizations:DescribeOrganization"
	actListAccounts         = "organizations:ListAccounts"
	actListAccountsFor      = "organizations:ListAccountsForParent"
	actListOUsFor           = "organizations:ListOrganizationalUnitsForParent"
)

// Organization finds the accounts of an AWS Organization and how to reach
// them: every member account is reached by assuming the role RoleName in
// it (sts:AssumeRole with ExternalID and SessionName) from the
// credentials that listed the organization.
//
// Which accounts: all of them, or when IncludeOUs or IncludeAccounts are
// given, those under one of IncludeOUs (an OU id or a root id; nested OUs
// included) or named in IncludeAccounts; less those under one of
// ExcludeOUs or named in ExcludeAccounts. Suspended accounts (and those
// pending closure or closed) are skipped. The management account is
// skipped unless IncludeAccounts names it: it should run no workloads,
// and the stack sets that usually deploy the read-only role do not reach
// it. When named, it is reached with the listing credentials themselves
// if they are the management account's, else through RoleName like the
// others.
type Organization struct {
	// Profile is the shared-config profile whose credentials list the
	// organization and assume the roles; "" for the scan's default.
	Profile string
	// RoleName is the role assumed in each account, with its path if it
	// has one ("audit/recoverscan").
	RoleName    string
	ExternalID  string
	SessionName string

	IncludeOUs, ExcludeOUs           []string
	IncludeAccounts, ExcludeAccounts []string
}

// SkippedAccount is an account of an organization that is not scanned,
// and why. It is not a failure.
type SkippedAccount struct {
	ID     string `json:"id"`
	Name   string `json:"name,omitempty"`
	Reason string `json:"reason"`
}

// Skip reasons.
const (
	SkipSuspended  = "suspended"
	SkipManagement = "management account (name it in include.accounts to scan it)"
	SkipExcluded   = "excluded by the configuration"
	SkipNotMember  = "not an account of the organization"
	SkipListed     = "already in scan.accounts"
)

// OrgAccounts is what ListOrganization found.
type OrgAccounts struct {
	// Management is the id of the management account.
	Management string
	// Accounts are the accounts to scan, in the order ListAccounts gave
	// them, each with its ID.
	Accounts []Account
	Skipped  []SkippedAccount
}

// orgAPI is the part of the Organizations client ListOrganization uses.
type orgAPI interface {
	organizations.ListAccountsAPIClient
	organizations.ListAccountsForParentAPIClient
	organizations.ListOrganizationalUnitsForParentAPIClient
	DescribeOrganization(context.Context, *organizations.DescribeOrganizationInput, ...func(*organizations.Options)) (*organizations.DescribeOrganizationOutput, error)
}

// ListOrganization lists the accounts of the organization that cfg's
// credentials can list, and how to reach each (see Organization).
func ListOrganization(ctx context.Context, cfg aws.Config, org Organization) (OrgAccounts, error) {
	caller := ""
	if out, err := sts.NewFromConfig(cfg).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{}); err == nil {
		caller = aws.ToString(out.Account)
	} else if ctx.Err() != nil {
		return OrgAccounts{}, ctx.Err()
	}
	return listOrganization(ctx, organizations.NewFromConfig(cfg), org, caller)
}

func listOrganization(ctx context.Context, c orgAPI, org Organization, caller string) (OrgAccounts, error) {
	var res OrgAccounts
	desc, err := c.DescribeOrganization(ctx, &organizations.DescribeOrganizationInput{})
	if err != nil {
		return res, fmt.Errorf("%s: %w", actDescribeOrganization, err)
	}
	if desc.Organization == nil {
		return res, fmt.Errorf("%s: no organization in the answer", actDescribeOrganization)
	}
	res.Management = aws.ToString(desc.Organization.MasterAccountId)
	partition := "aws"
	if a, err := arn.Parse(aws.ToString(desc.Organization.MasterAccountArn)); err == nil {
		partition = a.Partition
	}
	members, err := listAccounts(ctx, c)
	if err != nil {
		return res, err
	}
	included, err := accountsUnderAll(ctx, c, org.IncludeOUs)
	if err != nil {
		return res, err
	}
	excluded, err := accountsUnderAll(ctx, c, org.ExcludeOUs)
	if err != nil {
		return res, err
	}
	sel := orgSelection{org: &org, management: res.Management, included: included, excluded: excluded}
	inOrg := map[string]bool{}
	for _, m := range members {
		id, name := aws.ToString(m.Id), aws.ToString(m.Name)
		inOrg[id] = true
		if reason := sel.skip(m); reason != "" {
			res.Skipped = append(res.Skipped, SkippedAccount{ID: id, Name: name, Reason: reason})
			continue
		}
		res.Accounts = append(res.Accounts, org.account(partition, id, name, id == caller && id == res.Management))
	}
	for _, id := range org.IncludeAccounts {
		if !inOrg[id] {
			res.Skipped = append(res.Skipped, SkippedAccount{ID: id, Reason: SkipNotMember})
		}
	}
	return res, nil
}

// orgSelection decides which accounts of an organization are scanned.
type orgSelection struct {
	org                *Organization
	management         string
	included, excluded map[string]bool // accounts under IncludeOUs, ExcludeOUs
}

// skip is why the account m is not scanned, or "".
func (s *orgSelection) skip(m orgtypes.Account) string {
	id := aws.ToString(m.Id)
	named := slices.Contains(s.org.IncludeAccounts, id)
	selectAll := len(s.org.IncludeOUs) == 0 && len(s.org.IncludeAccounts) == 0
	switch {
	case suspended(m):
		return SkipSuspended
	case id == s.management && !named:
		return SkipManagement
	case !selectAll && !named && !s.included[id]:
		return SkipExcluded
	case s.excluded[id] || slices.Contains(s.org.ExcludeAccounts, id):
		return SkipExcluded
	}
	return ""
}

// account is how the account id is reached: with the listing credentials
// themselves (own), else by assuming RoleName in it.
func (o Organization) account(partition, id, name string, own bool) Account {
	a := Account{ID: id, Name: name, Profile: o.Profile}
	if name == "" {
		a.Name = id
	}
	if !own {
		a.RoleARN = "arn:" + partition + ":iam::" + id + ":role/" + strings.TrimPrefix(o.RoleName, "/")
		a.ExternalID, a.SessionName = o.ExternalID, o.SessionName
	}
	return a
}

// suspended reports whether an account is suspended, pending closure or
// closed (State, or the older Status).
func suspended(a orgtypes.Account) bool {
	switch a.State {
	case orgtypes.AccountStateSuspended, orgtypes.AccountStatePendingClosure, orgtypes.AccountStateClosed:
		return true
	}
	return a.Status == orgtypes.AccountStatusSuspended || a.Status == orgtypes.AccountStatusPendingClosure
}

func listAccounts(ctx context.Context, c orgAPI) ([]orgtypes.Account, error) {
	var out []orgtypes.Account
	p := organizations.NewListAccountsPaginator(c, &organizations.ListAccountsInput{})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", actListAccounts, err)
		}
		out = append(out, page.Accounts...)
	}
	return out, nil
}

// accountsUnderAll is the set of accounts under any of the parents (OU or
// root ids), nested OUs included.
func accountsUnderAll(ctx context.Context, c orgAPI, parents []string) (map[string]bool, error) {
	set := map[string]bool{}
	for _, p := range parents {
		if err := accountsUnder(ctx, c, p, set); err != nil {
			return nil, err
		}
	}
	return set, nil
}

// accountsUnder adds the accounts under parent, and under its OUs in
// turn, to set.
func accountsUnder(ctx context.Context, c orgAPI, parent string, set map[string]bool) error {
	ap := organizations.NewListAccountsForParentPaginator(c, &organizations.ListAccountsForParentInput{ParentId: aws.String(parent)})
	for ap.HasMorePages() {
		page, err := ap.NextPage(ctx)
		if err != nil {
			return fmt.Errorf("%s %s: %w", actListAccountsFor, parent, err)
		}
		for _, a := range page.Accounts {
			set[aws.ToString(a.Id)] = true
		}
	}
	op := organizations.NewListOrganizationalUnitsForParentPaginator(c, &organizations.ListOrganizationalUnitsForParentInput{ParentId: aws.String(parent)})
	for op.HasMorePages() {
		page, err := op.NextPage(ctx)
		if err != nil {
			return fmt.Errorf("%s %s: %w", actListOUsFor, parent, err)
		}
		for _, ou := range page.OrganizationalUnits {
			if err := accountsUnder(ctx, c, aws.ToString(ou.Id), set); err != nil {
				return err
			}
		}
	}
	return nil
}

// ReachOrgAccount is how ListOrganization would reach the account id of
// org, found without listing the organization (a job of a matrix that
// 'recoverscan accounts' produced): with cfg's own credentials when they
// are id's, else by assuming RoleName in it, in the partition of cfg's
// caller.
func ReachOrgAccount(ctx context.Context, cfg aws.Config, org Organization, id string) (Account, error) {
	out, err := sts.NewFromConfig(cfg).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	if err != nil {
		return Account{}, fmt.Errorf("organization: %s: %w", actGetCallerIdentity, err)
	}
	partition := "aws"
	if a, err := arn.Parse(aws.ToString(out.Arn)); err == nil {
		partition = a.Partition
	}
	return org.account(partition, id, "", aws.ToString(out.Account) == id), nil
}
