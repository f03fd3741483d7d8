package config

import (
	"regexp"
	"strconv"

	"go.yaml.in/yaml/v3"

	"github.com/recoverscan/recoverscan/collector"
	"github.com/recoverscan/recoverscan/collector/glob"
)

// Scan is the scan section of a configuration file: which accounts,
// regions and pools a live scan covers when the command line names no
// region or pool.
//
//	scan:
//	  accounts:
//	    - name: prod
//	      profile: prod-audit
//	    - role_arn: arn:aws:iam::222233334444:role/recoverscan-read-only
//	      external_id: abc123
//	      session_name: recoverscan
//	  regions: [us-east-1, eu-west-1]   # or: all
//	  pools:
//	    include: ["us-east-1_*"]
//	    exclude: ["*-sandbox"]
//	  concurrency: 4
//	  organization:                     # and/or: the accounts of an AWS Organization
//	    role_name: recoverscan-read-only
//	    include: {ous: [ou-ab12-cdefgh34]}
//
// The command line completes the Scope (how to load credentials) and
// hands it to collector.CollectScope.
type Scan struct {
	// Scope is what the section selects; its LoadConfig is left to the
	// caller. Empty Accounts: the one account of the standard credential
	// chain (or --profile).
	collector.Scope
	// Line is where the section starts, and AccountLines where each
	// entry of Accounts does, for messages.
	Line         int
	AccountLines []int
}

// MaxConcurrency bounds scan.concurrency.
const MaxConcurrency = 64

var (
	// roleARNPattern is an IAM role ARN in any partition.
	roleARNPattern = regexp.MustCompile(`^arn:aws[a-z-]*:iam::[0-9]{12}:role/[\w+=,.@/-]+$`)
	// regionPattern is an AWS region name (us-east-1, ap-southeast-5,
	// us-gov-west-1).
	regionPattern = regexp.MustCompile(`^[a-z]{2}(-[a-z]+)+-[0-9]+$`)
	// sessionNamePattern and externalIDPattern are what sts:AssumeRole
	// accepts.
	sessionNamePattern = regexp.MustCompile(`^[\w+=,.@-]{2,64}$`)
	externalIDPattern  = regexp.MustCompile(`^[\w+=,.@:/-]+$`)
	// roleNamePattern is an IAM role name, with its path if it has one.
	roleNamePattern = regexp.MustCompile(`^([\w+=,.@-]+/)*[\w+=,.@-]{1,64}$`)
	// parentPattern is an organizational unit id or a root id.
	parentPattern = regexp.MustCompile(`^(ou-[0-9a-z]{4,32}-[a-z0-9]{8,32}|r-[0-9a-z]{4,32})$`)
	// accountIDPattern is an AWS account id.
	accountIDPattern = regexp.MustCompile(`^[0-9]{12}$`)
)

// parseScan reads the scan section; key is its key, for the line.
func parseScan(key, n *yaml.Node, fail failFunc) (*Scan, error) {
	sc := &Scan{Line: key.Line}
	if n.Kind != yaml.MappingNode {
		if n.Tag == "!!null" {
			return sc, nil
		}
		return nil, fail(n, "scan: want a mapping with accounts, organization, regions, pools or concurrency")
	}
	err := eachKey(n, fail, func(k, v *yaml.Node) error {
		switch k.Value {
		case "accounts":
			return sc.parseAccounts(v, fail)
		case "regions":
			return sc.parseRegions(v, fail)
		case "pools":
			return sc.parsePools(v, fail)
		case "concurrency":
			return sc.parseConcurrency(v, fail)
		case "organization":
			org, err := parseOrganization(v, fail)
			sc.Organization = org
			return err
		}
		return fail(k, "scan: unknown key %q (want accounts, organization, regions, pools or concurrency)", k.Value)
	})
	if err != nil {
		return nil, err
	}
	return sc, nil
}

// parseAccounts reads scan.accounts; two entries may not use the same
// credentials.
func (sc *Scan) parseAccounts(v *yaml.Node, fail failFunc) error {
	if v.Kind != yaml.SequenceNode {
		return fail(v, "scan.accounts: want a list of accounts (each with profile or role_arn)")
	}
	seen := map[[2]string]int{}
	for i, item := range v.Content {
		a, err := parseAccount(i, item, fail)
		if err != nil {
			return err
		}
		id := [2]string{a.Profile, a.RoleARN}
		if j, dup := seen[id]; dup {
			return fail(item, "scan.accounts[%d]: the same credentials as scan.accounts[%d]", i, j)
		}
		seen[id] = i
		sc.Accounts = append(sc.Accounts, a)
		sc.AccountLines = append(sc.AccountLines, item.Line)
	}
	return nil
}

// parseRegions reads scan.regions: a list of region names, or all.
func (sc *Scan) parseRegions(v *yaml.Node, fail failFunc) error {
	if v.Kind == yaml.ScalarNode && v.Tag == "!!str" && v.Value == "all" {
		sc.AllRegions = true
		return nil
	}
	if v.Kind != yaml.SequenceNode || len(v.Content) == 0 {
		return fail(v, "scan.regions: want a list of regions like [us-east-1, eu-west-1], or all")
	}
	seen := map[string]bool{}
	for _, item := range v.Content {
		if item.Kind != yaml.ScalarNode || item.Tag != "!!str" || !regionPattern.MatchString(item.Value) {
			return fail(item, "scan.regions: %q is not a region name like us-east-1", item.Value)
		}
		if seen[item.Value] {
			return fail(item, "scan.regions: %s is given twice", item.Value)
		}
		seen[item.Value] = true
		sc.Regions = append(sc.Regions, item.Value)
	}
	return nil
}

// parsePools reads scan.pools: include and exclude patterns.
func (sc *Scan) parsePools(v *yaml.Node, fail failFunc) error {
	if v.Kind != yaml.MappingNode {
		return fail(v, "scan.pools: want a mapping with include or exclude")
	}
	return eachKey(v, fail, func(pk, pv *yaml.Node) error {
		var dst *[]string
		switch pk.Value {
		case "include":
			dst = &sc.Pools.Include
		case "exclude":
			dst = &sc.Pools.Exclude
		default:
			return fail(pk, "scan.pools: unknown key %q (want include or exclude)", pk.Value)
		}
		patterns, err := parsePatterns("scan.pools."+pk.Value, pv, fail)
		*dst = patterns
		return err
	})
}

// parsePatterns reads a list of pool patterns.
func parsePatterns(where string, v *yaml.Node, fail failFunc) ([]string, error) {
	if v.Kind != yaml.SequenceNode {
		return nil, fail(v, "%s: want a list of patterns like \"us-east-1_*\" or \"*-sandbox\"", where)
	}
	var out []string
	for _, item := range v.Content {
		if !isString(item) {
			return nil, fail(item, "%s: want a pattern (a pool id or name; * and ? match any characters)", where)
		}
		if err := glob.Validate(item.Value); err != nil {
			return nil, fail(item, "%s: %v", where, err)
		}
		out = append(out, item.Value)
	}
	return out, nil
}

// parseConcurrency reads scan.concurrency.
func (sc *Scan) parseConcurrency(v *yaml.Node, fail failFunc) error {
	if v.Kind != yaml.ScalarNode || v.Tag != "!!int" {
		return fail(v, "scan.concurrency: want a number from 1 to %d", MaxConcurrency)
	}
	c, err := strconv.Atoi(v.Value)
	if err != nil || c < 1 || c > MaxConcurrency {
		return fail(v, "scan.concurrency: want a number from 1 to %d, got %s", MaxConcurrency, v.Value)
	}
	sc.Concurrency = c
	return nil
}

// parseAccount reads the entry i of scan.accounts.
func parseAccount(i int, n *yaml.Node, fail failFunc) (collector.Account, error) {
	var a collector.Account
	where := "scan.accounts[" + strconv.Itoa(i) + "]"
	if n.Kind != yaml.MappingNode {
		return a, fail(n, "%s: want a mapping with name, profile, role_arn, external_id or session_name", where)
	}
	fields := map[string]*string{
		"name": &a.Name, "profile": &a.Profile, "role_arn": &a.RoleARN,
		"external_id": &a.ExternalID, "session_name": &a.SessionName,
	}
	nodes := map[string]*yaml.Node{}
	err := eachKey(n, fail, func(k, v *yaml.Node) error {
		dst, ok := fields[k.Value]
		if !ok {
			return fail(k, "%s: unknown key %q (want name, profile, role_arn, external_id or session_name)", where, k.Value)
		}
		nodes[k.Value] = v
		return stringField(where, k, v, dst, fail)
	})
	if err != nil {
		return a, err
	}
	if a.RoleARN != "" && !roleARNPattern.MatchString(a.RoleARN) {
		return a, fail(nodes["role_arn"], "%s.role_arn: %q is not an IAM role ARN like arn:aws:iam::222233334444:role/recoverscan-read-only", where, a.RoleARN)
	}
	if a.RoleARN == "" {
		for _, k := range []string{"external_id", "session_name"} {
			if v := nodes[k]; v != nil {
				return a, fail(v, "%s.%s: only applies with role_arn", where, k)
			}
		}
	}
	return a, checkAssumeRole(where, a.ExternalID, a.SessionName, nodes, fail)
}

// stringField reads v, the value of key k of where, into *dst: it must be
// a non-empty string.
func stringField(where string, k, v *yaml.Node, dst *string, fail failFunc) error {
	if !isString(v) {
		return fail(v, "%s.%s: want a string", where, k.Value)
	}
	*dst = v.Value
	return nil
}

// checkAssumeRole checks an external id and session name as
// sts:AssumeRole takes them; nodes hold the keys that were given.
func checkAssumeRole(where, externalID, sessionName string, nodes map[string]*yaml.Node, fail failFunc) error {
	if v := nodes["external_id"]; v != nil && (len(externalID) < 2 || len(externalID) > 1224 || !externalIDPattern.MatchString(externalID)) {
		return fail(v, "%s.external_id: want 2 to 1224 letters, digits or +=,.@:/-", where)
	}
	if v := nodes["session_name"]; v != nil && !sessionNamePattern.MatchString(sessionName) {
		return fail(v, "%s.session_name: want 2 to 64 letters, digits or +=,.@-", where)
	}
	return nil
}

// parseOrganization reads scan.organization.
func parseOrganization(n *yaml.Node, fail failFunc) (*collector.Organization, error) {
	const where = "scan.organization"
	if n.Kind != yaml.MappingNode {
		return nil, fail(n, "%s: want a mapping with role_name, and optionally profile, external_id, session_name, include or exclude", where)
	}
	org := &collector.Organization{}
	fields := map[string]*string{
		"profile": &org.Profile, "role_name": &org.RoleName,
		"external_id": &org.ExternalID, "session_name": &org.SessionName,
	}
	nodes := map[string]*yaml.Node{}
	err := eachKey(n, fail, func(k, v *yaml.Node) error {
		nodes[k.Value] = v
		switch k.Value {
		case "include":
			return parseOrgFilter(where+".include", v, &org.IncludeOUs, &org.IncludeAccounts, fail)
		case "exclude":
			return parseOrgFilter(where+".exclude", v, &org.ExcludeOUs, &org.ExcludeAccounts, fail)
		}
		dst, ok := fields[k.Value]
		if !ok {
			return fail(k, "%s: unknown key %q (want profile, role_name, external_id, session_name, include or exclude)", where, k.Value)
		}
		return stringField(where, k, v, dst, fail)
	})
	if err != nil {
		return nil, err
	}
	if org.RoleName == "" {
		return nil, fail(n, "%s: role_name is required: the role assumed in each account, like recoverscan-read-only", where)
	}
	if !roleNamePattern.MatchString(org.RoleName) {
		return nil, fail(nodes["role_name"], "%s.role_name: %q is not an IAM role name (letters, digits, +=,.@-, with an optional path/)", where, org.RoleName)
	}
	return org, checkAssumeRole(where, org.ExternalID, org.SessionName, nodes, fail)
}

// parseOrgFilter reads include or exclude: ous (OU or root ids) and
// accounts (account ids).
func parseOrgFilter(where string, v *yaml.Node, ous, accounts *[]string, fail failFunc) error {
	if v.Kind != yaml.MappingNode {
		return fail(v, "%s: want a mapping with ous or accounts", where)
	}
	return eachKey(v, fail, func(k, lv *yaml.Node) error {
		var dst *[]string
		var pattern *regexp.Regexp
		var want string
		switch k.Value {
		case "ous":
			dst, pattern, want = ous, parentPattern, "an organizational unit id like ou-ab12-cdefgh34 or a root id like r-ab12"
		case "accounts":
			dst, pattern, want = accounts, accountIDPattern, "a 12-digit account id (quote it: \"012345678901\")"
		default:
			return fail(k, "%s: unknown key %q (want ous or accounts)", where, k.Value)
		}
		if lv.Kind != yaml.SequenceNode {
			return fail(lv, "%s.%s: want a list, each %s", where, k.Value, want)
		}
		seen := map[string]bool{}
		for _, item := range lv.Content {
			// An unquoted account id is a YAML number: its text is kept.
			if item.Kind != yaml.ScalarNode || (item.Tag != "!!str" && item.Tag != "!!int") || !pattern.MatchString(item.Value) {
				return fail(item, "%s.%s: %q is not %s", where, k.Value, item.Value, want)
			}
			if seen[item.Value] {
				return fail(item, "%s.%s: %s is given twice", where, k.Value, item.Value)
			}
			seen[item.Value] = true
			*dst = append(*dst, item.Value)
		}
		return nil
	})
}
