package awstest

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/organizations"
	orgtypes "github.com/aws/aws-sdk-go-v2/service/organizations/types"
)

// Org is an AWS Organization seeded in moto:
//
//	root
//	├── workloads
//	│   ├── prod            prod-a, prod-b, locked
//	│   └── dev, closed (suspended)
//	└── sandbox             sandbox
//
// with moto's default account (123456789012) as the management account.
// "locked" is the account whose role a test makes unassumable.
type Org struct {
	Management string
	Root       string
	// OUs are the ids of the OUs by name.
	OUs map[string]string
	// Accounts are the ids of the member accounts by name.
	Accounts map[string]string
}

// SeedOrganization creates the organization of Org with cfg (moto's
// default credentials), closing "closed" so that it is suspended.
func SeedOrganization(ctx context.Context, cfg aws.Config) (*Org, error) {
	c := organizations.NewFromConfig(cfg)
	out, err := c.CreateOrganization(ctx, &organizations.CreateOrganizationInput{FeatureSet: orgtypes.OrganizationFeatureSetAll})
	if err != nil {
		return nil, fmt.Errorf("create organization: %w", err)
	}
	o := &Org{Management: aws.ToString(out.Organization.MasterAccountId), OUs: map[string]string{}, Accounts: map[string]string{}}
	roots, err := c.ListRoots(ctx, &organizations.ListRootsInput{})
	if err != nil || len(roots.Roots) != 1 {
		return nil, fmt.Errorf("list roots: %d roots, %w", len(roots.Roots), err)
	}
	o.Root = aws.ToString(roots.Roots[0].Id)
	for _, ou := range [][2]string{{"workloads", o.Root}, {"prod", "workloads"}, {"sandbox", o.Root}} {
		parent := ou[1]
		if id, ok := o.OUs[parent]; ok {
			parent = id
		}
		out, err := c.CreateOrganizationalUnit(ctx, &organizations.CreateOrganizationalUnitInput{Name: aws.String(ou[0]), ParentId: aws.String(parent)})
		if err != nil {
			return nil, fmt.Errorf("create OU %s: %w", ou[0], err)
		}
		o.OUs[ou[0]] = aws.ToString(out.OrganizationalUnit.Id)
	}
	for _, a := range [][2]string{{"prod-a", "prod"}, {"prod-b", "prod"}, {"locked", "prod"}, {"dev", "workloads"}, {"closed", "workloads"}, {"sandbox", "sandbox"}} {
		out, err := c.CreateAccount(ctx, &organizations.CreateAccountInput{AccountName: aws.String(a[0]), Email: aws.String(a[0] + "@example.com")})
		if err != nil {
			return nil, fmt.Errorf("create account %s: %w", a[0], err)
		}
		id := aws.ToString(out.CreateAccountStatus.AccountId)
		o.Accounts[a[0]] = id
		if _, err := c.MoveAccount(ctx, &organizations.MoveAccountInput{AccountId: aws.String(id), SourceParentId: aws.String(o.Root), DestinationParentId: aws.String(o.OUs[a[1]])}); err != nil {
			return nil, fmt.Errorf("move account %s: %w", a[0], err)
		}
	}
	if _, err := c.CloseAccount(ctx, &organizations.CloseAccountInput{AccountId: aws.String(o.Accounts["closed"])}); err != nil {
		return nil, fmt.Errorf("close account: %w", err)
	}
	return o, nil
}
