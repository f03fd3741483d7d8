package policies

import (
	"regexp"
	"strconv"

	"go.yaml.in/yaml/v3"
)

// ScanConfig is the scan section of a configuration file: which accounts,
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
//
// The values are plain strings; the command line turns them into a
// collector scope.
type ScanConfig struct {
	// Accounts to scan, in order. Empty: the one account of the standard
	// credential chain (or --profile).
	Accounts []ScanAccount
	// Regions to scan, unless AllRegions.
	Regions []string
	// AllRegions is "regions: all": every region Cognito user pools are
	// offered in.
	AllRegions bool
	// Include and Exclude are glob patterns (* and ?) on pool ids and
	// names: a pool is scanned when it matches an include pattern (or
	// there are none) and no exclude pattern.
	Include, Exclude []string
	// Concurrency is how many account × region pairs are collected at
	// once; 0 means the default.
	Concurrency int
	// Line is where the section starts, for messages.
	Line int
}

// ScanAccount is one account of the scan section.
type ScanAccount struct {
	// Name labels the account in logs.
	Name string
	// Profile is the shared-config profile whose credentials are used
	// (directly, or to assume RoleARN).
	Profile string
	// RoleARN, if set, is assumed with sts:AssumeRole.
	RoleARN     string
	ExternalID  string
	SessionName string
	// Line is where the entry starts, for messages.
	Line int
}

// MaxScanConcurrency bounds scan.concurrency.
const MaxScanConcurrency = 64

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
)

func parseScanConfig(key, n *yaml.Node, fail failFunc) (*ScanConfig, error) {
	sc := &ScanConfig{Line: key.Line}
	if n.Kind != yaml.MappingNode {
		if n.Tag == "!!null" {
			return sc, nil
		}
		return nil, fail(n, "scan: want a mapping with accounts, regions, pools or concurrency")
	}
	err := eachKey(n, fail, func(k, v *yaml.Node) error {
		switch k.Value {
		case "accounts":
			if v.Kind != yaml.SequenceNode {
				return fail(v, "scan.accounts: want a list of accounts (each with profile or role_arn)")
			}
			seen := map[[2]string]int{}
			for i, item := range v.Content {
				a, err := parseScanAccount(i, item, fail)
				if err != nil {
					return err
				}
				id := [2]string{a.Profile, a.RoleARN}
				if j, dup := seen[id]; dup {
					return fail(item, "scan.accounts[%d]: the same credentials as scan.accounts[%d]", i, j)
				}
				seen[id] = i
				sc.Accounts = append(sc.Accounts, a)
			}
			return nil
		case "regions":
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
		case "pools":
			if v.Kind != yaml.MappingNode {
				return fail(v, "scan.pools: want a mapping with include or exclude")
			}
			return eachKey(v, fail, func(pk, pv *yaml.Node) error {
				var dst *[]string
				switch pk.Value {
				case "include":
					dst = &sc.Include
				case "exclude":
					dst = &sc.Exclude
				default:
					return fail(pk, "scan.pools: unknown key %q (want include or exclude)", pk.Value)
				}
				if pv.Kind != yaml.SequenceNode {
					return fail(pv, "scan.pools.%s: want a list of patterns like \"us-east-1_*\" or \"*-sandbox\"", pk.Value)
				}
				for _, item := range pv.Content {
					if item.Kind != yaml.ScalarNode || item.Tag != "!!str" || item.Value == "" {
						return fail(item, "scan.pools.%s: want a pattern (a pool id or name; * and ? match any characters)", pk.Value)
					}
					*dst = append(*dst, item.Value)
				}
				return nil
			})
		case "concurrency":
			if v.Kind != yaml.ScalarNode || v.Tag != "!!int" {
				return fail(v, "scan.concurrency: want a number from 1 to %d", MaxScanConcurrency)
			}
			c, err := strconv.Atoi(v.Value)
			if err != nil || c < 1 || c > MaxScanConcurrency {
				return fail(v, "scan.concurrency: want a number from 1 to %d, got %s", MaxScanConcurrency, v.Value)
			}
			sc.Concurrency = c
			return nil
		}
		return fail(k, "scan: unknown key %q (want accounts, regions, pools or concurrency)", k.Value)
	})
	if err != nil {
		return nil, err
	}
	return sc, nil
}

func parseScanAccount(i int, n *yaml.Node, fail failFunc) (ScanAccount, error) {
	a := ScanAccount{Line: n.Line}
	where := "scan.accounts[" + strconv.Itoa(i) + "]"
	if n.Kind != yaml.MappingNode {
		return a, fail(n, "%s: want a mapping with name, profile, role_arn, external_id or session_name", where)
	}
	lines := map[string]*yaml.Node{}
	err := eachKey(n, fail, func(k, v *yaml.Node) error {
		var dst *string
		switch k.Value {
		case "name":
			dst = &a.Name
		case "profile":
			dst = &a.Profile
		case "role_arn":
			dst = &a.RoleARN
		case "external_id":
			dst = &a.ExternalID
		case "session_name":
			dst = &a.SessionName
		default:
			return fail(k, "%s: unknown key %q (want name, profile, role_arn, external_id or session_name)", where, k.Value)
		}
		if v.Kind != yaml.ScalarNode || v.Tag != "!!str" || v.Value == "" {
			return fail(v, "%s.%s: want a string", where, k.Value)
		}
		*dst = v.Value
		lines[k.Value] = v
		return nil
	})
	if err != nil {
		return a, err
	}
	if a.RoleARN != "" && !roleARNPattern.MatchString(a.RoleARN) {
		return a, fail(lines["role_arn"], "%s.role_arn: %q is not an IAM role ARN like arn:aws:iam::222233334444:role/recoverscan-read-only", where, a.RoleARN)
	}
	if a.RoleARN == "" {
		for _, k := range []string{"external_id", "session_name"} {
			if v := lines[k]; v != nil {
				return a, fail(v, "%s.%s: only applies with role_arn", where, k)
			}
		}
	}
	if v := lines["external_id"]; v != nil && (len(a.ExternalID) < 2 || len(a.ExternalID) > 1224 || !externalIDPattern.MatchString(a.ExternalID)) {
		return a, fail(v, "%s.external_id: want 2 to 1224 letters, digits or +=,.@:/-", where)
	}
	if v := lines["session_name"]; v != nil && !sessionNamePattern.MatchString(a.SessionName) {
		return a, fail(v, "%s.session_name: want 2 to 64 letters, digits or +=,.@-", where)
	}
	return a, nil
}
