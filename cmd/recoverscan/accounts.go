package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/recoverscan/recoverscan/collector"
)

// maxMatrixJobs is how many jobs GitHub Actions allows in one matrix.
const maxMatrixJobs = 256

// scopeCell is one job of the fan-out: an account, and a region of it
// unless the job covers all of the account's regions.
type scopeCell struct {
	// Account is what --account takes: the id when known, else the
	// name or profile.
	Account string `json:"account"`
	Name    string `json:"name,omitempty"`
	Region  string `json:"region,omitempty"`
	// Regions is the account's regions, space-separated, when a job
	// covers them all.
	Regions string `json:"regions,omitempty"`
	// How the account is reached.
	RoleARN string `json:"role_arn,omitempty"`
	Profile string `json:"profile,omitempty"`
}

func newAccountsCommand(_ *globalFlags) *cobra.Command {
	f := &awsFlags{}
	var (
		cf     configFlags
		format string
		per    string
	)
	cmd := &cobra.Command{
		Use:   "accounts",
		Short: "List the accounts and regions the configuration's scan section covers",
		Long: `Accounts resolves the scan section of the configuration file (its accounts, and
the accounts of its organization, listed with organizations:ListAccounts) and
prints the account × region pairs a scan would cover, without scanning them.

--format github-matrix prints a GitHub Actions matrix, {"include": [...]}, for
fromJSON(): one job per account and region (--per account-region, the default)
or per account (--per account, each job scanning all the account's regions).
Each job scans exactly its cell with 'recoverscan scan --account ACCOUNT
[--region REGION]'. GitHub runs at most 256 jobs per matrix: a larger matrix
is an error (use --per account, or split the organization with include.ous).

Skipped accounts (suspended, the management account, excluded) are logged on
stderr; an organization that cannot be listed exits 3.`,
		Example: `  recoverscan accounts --config org.yaml
  recoverscan accounts --config org.yaml --format github-matrix --per account`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if format != "table" && format != "json" && format != "github-matrix" {
				return &flagError{fmt.Errorf("--format %q: want table, json or github-matrix", format)}
			}
			if per != "account-region" && per != "account" {
				return &flagError{fmt.Errorf("--per %q: want account-region or account", per)}
			}
			cells, skipped, err := resolveCells(cmd.Context(), f, &cf, per == "account")
			if err != nil {
				return err
			}
			return writeCells(cmd.OutOrStdout(), format, per == "account", cells, skipped)
		},
	}
	cf.register(cmd)
	cmd.Flags().StringVar(&f.profile, "profile", "", "AWS shared-config profile for accounts (and the organization) without one (default: the standard credential chain)")
	cmd.Flags().StringVar(&format, "format", "table", "table, json or github-matrix")
	cmd.Flags().StringVar(&per, "per", "account-region", "one cell per account-region, or per account (all its regions)")
	return cmd
}

// resolveCells resolves the configuration's scan section into cells,
// logging the accounts of the organization that are skipped.
func resolveCells(ctx context.Context, f *awsFlags, cf *configFlags, perAccount bool) ([]scopeCell, []collector.SkippedAccount, error) {
	conf, err := cf.load()
	if err != nil {
		return nil, nil, err
	}
	if conf == nil || conf.Scan == nil {
		return nil, nil, &flagError{errors.New("accounts lists the configuration's scan section, and there is none (--config FILE)")}
	}
	f.scope = conf.Scan
	if !f.scope.AllRegions && len(f.scope.Regions) == 0 {
		return nil, nil, &flagError{errors.New("scan: say which regions to scan: regions: [us-east-1, ...] or regions: all")}
	}
	scope, err := f.configScope(ctx)
	if err != nil {
		return nil, nil, err
	}
	accounts, skipped, err := scope.Resolve(ctx)
	if err != nil {
		return nil, nil, &exitError{code: exitIncomplete, err: err}
	}
	for _, sk := range skipped {
		slog.Warn("account of the organization not scanned", "account", sk.ID, "name", sk.Name, "reason", sk.Reason)
	}
	return scopeCells(accounts, scope.RegionList(), perAccount), skipped, nil
}

// writeCells writes the cells in format.
func writeCells(out io.Writer, format string, perAccount bool, cells []scopeCell, skipped []collector.SkippedAccount) error {
	if cells == nil {
		cells = []scopeCell{}
	}
	switch format {
	case "github-matrix":
		if len(cells) > maxMatrixJobs {
			hint := "use --per account, or split the organization with include.ous into several configurations"
			if perAccount {
				hint = "split the organization with include.ous into several configurations, each its own matrix"
			}
			return &exitError{code: exitUsage, err: fmt.Errorf("%d jobs: a GitHub Actions matrix holds at most %d; %s", len(cells), maxMatrixJobs, hint)}
		}
		return json.NewEncoder(out).Encode(map[string][]scopeCell{"include": cells})
	case "json":
		enc := json.NewEncoder(out)
		enc.SetIndent("", "  ")
		return enc.Encode(struct {
			Cells   []scopeCell                `json:"cells"`
			Skipped []collector.SkippedAccount `json:"skipped"`
		}{cells, skippedOrEmpty(skipped)})
	}
	return writeCellTable(out, cells, perAccount)
}

func skippedOrEmpty(s []collector.SkippedAccount) []collector.SkippedAccount {
	if s == nil {
		return []collector.SkippedAccount{}
	}
	return s
}

// scopeCells are the cells of accounts × regions, or one per account.
func scopeCells(accounts []collector.Account, regions []string, perAccount bool) []scopeCell {
	var cells []scopeCell
	for _, a := range accounts {
		c := scopeCell{Account: accountSelector(a), Name: a.Name, RoleARN: a.RoleARN, Profile: a.Profile}
		if perAccount {
			c.Regions = strings.Join(regions, " ")
			cells = append(cells, c)
			continue
		}
		for _, r := range regions {
			c.Region = r
			cells = append(cells, c)
		}
	}
	return cells
}

func writeCellTable(w io.Writer, cells []scopeCell, perAccount bool) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	where := "REGION"
	if perAccount {
		where = "REGIONS"
	}
	fmt.Fprintf(tw, "ACCOUNT\tNAME\t%s\tREACHED WITH\n", where)
	for _, c := range cells {
		how := "default credentials"
		switch {
		case c.RoleARN != "":
			how = c.RoleARN
		case c.Profile != "":
			how = "profile " + c.Profile
		}
		region := c.Region
		if perAccount {
			region = c.Regions
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", c.Account, c.Name, region, how)
	}
	return tw.Flush()
}
