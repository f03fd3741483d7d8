package output

import (
	"sort"
	"strings"

	"github.com/recoverscan/recoverscan/policies"
)

// record is one result as OCSF and ASFF report it: a per-user group (a
// rule's verdict on a pool's users, with a count and never who), a pool,
// client, SMS or email finding, or with --include-passed a pass. Both
// formats are read by security tooling shared across teams, so they carry
// no usernames or contact data: the json format has those.
type record struct {
	RuleID   string
	Title    string
	Severity policies.Severity
	Kind     policies.Kind
	// Outcome is "fail", "indeterminate" or "passed".
	Outcome        string
	Message        string
	Resource       policies.Resource
	BlocksRecovery bool
	// Users counts the users of a per-user group or pass; PoolUsers are
	// the pool's users, for a pass.
	Users, PoolUsers int64
	PerUser          bool
	Suppressed       *policies.SuppressedBy
	// Permissions settle an indeterminate verdict.
	Permissions []string
	// extra orders records that share everything else; idExtra is extra
	// when it is needed to tell their ids apart.
	extra, idExtra string
}

// records lists the digest's results and the passes in a stable order:
// by account, region, pool, then most severe first, rule, client and
// outcome.
func records(d *digest, passes []Passed) []record {
	var out []record
	for _, g := range d.groups {
		k := g.Key
		title := g.Title
		if title == "" {
			title = k.RuleID
		}
		who := thousands(g.Users) + " " + plural(g.Users, "user", "users") + " in pool " + poolLabel(k.Pool.PoolID, g.PoolName)
		rec := record{
			RuleID: k.RuleID, Title: title, Severity: g.Severity, Kind: policies.KindUser, Outcome: string(k.Verdict),
			Resource:       policies.Resource{Account: k.Pool.Account, Region: k.Pool.Region, PoolID: k.Pool.PoolID, PoolName: g.PoolName},
			BlocksRecovery: g.BlocksRecovery, Users: g.Users, PerUser: true, Suppressed: g.Suppression,
		}
		if k.Verdict == policies.Indeterminate {
			srcs := g.sortedSources()
			rec.Message = "Could not determine for " + who + ": " + sentence(title) + " " + settleText(srcs)
			rec.Permissions = actions(srcs)
		} else {
			rec.Message = who + ": " + sentence(title)
			if g.BlocksRecovery {
				rec.Message += " " + plural(g.Users, "This user", "These users") + " cannot receive a password-recovery code."
			}
		}
		out = append(out, rec)
	}
	for i := range d.others {
		f := &d.others[i]
		res := f.Resource
		res.Username, res.Sub = "", ""
		rec := record{
			RuleID: f.RuleID, Title: f.Title, Severity: f.Severity, Kind: f.Kind, Outcome: string(f.Verdict),
			Message: scrub(oneLine(f.Message)), Resource: res, BlocksRecovery: f.BlocksRecovery,
			Suppressed: f.Suppressed, extra: f.Message,
		}
		if rec.Title == "" {
			rec.Title = f.RuleID
		}
		if rec.Message == "" {
			rec.Message = rec.Title
		}
		if f.Verdict == policies.Indeterminate {
			srcs := findingSources(f.Evidence)
			rec.Message = sentence(rec.Message) + " " + settleText(srcs)
			rec.Permissions = actions(srcs)
		}
		out = append(out, rec)
	}
	for _, p := range passes {
		rec := record{
			RuleID: p.RuleID, Title: p.Title, Severity: p.Severity, Kind: p.Kind, Outcome: "passed",
			Resource: p.Resource, Users: p.Users, PoolUsers: p.PoolUsers, PerUser: p.Kind == policies.KindUser,
		}
		if rec.Title == "" {
			rec.Title = p.RuleID
		}
		where := "pool " + poolLabel(p.Resource.PoolID, p.Resource.PoolName)
		if rec.PerUser {
			rec.Message = "Passed for " + thousands(p.Users) + " of " + thousands(p.PoolUsers) + " " + plural(p.PoolUsers, "user", "users") + " in " + where + ": " + sentence(rec.Title)
		} else {
			rec.Message = "Passed in " + where + ": " + sentence(rec.Title)
		}
		if !p.Complete {
			rec.Message += " Not every user of the pool could be listed."
		}
		out = append(out, rec)
	}
	sortRecords(out)
	// Only records that would share an id keep their message in it, so
	// that ids survive a message's wording or counts changing.
	seen := map[string]int{}
	for i := range out {
		seen[out[i].key()]++
	}
	for i := range out {
		if seen[out[i].key()] == 1 {
			out[i].idExtra = ""
		} else {
			out[i].idExtra = out[i].extra
		}
	}
	return out
}

func sortRecords(rs []record) {
	outcome := map[string]int{"fail": 0, "indeterminate": 1, "passed": 2}
	less := func(a, b *record) bool {
		for _, c := range [][2]string{
			{a.Resource.Account, b.Resource.Account}, {a.Resource.Region, b.Resource.Region}, {a.Resource.PoolID, b.Resource.PoolID},
		} {
			if c[0] != c[1] {
				return c[0] < c[1]
			}
		}
		if oa, ob := outcome[a.Outcome], outcome[b.Outcome]; oa != ob {
			return oa < ob
		}
		if ra, rb := a.Severity.Rank(), b.Severity.Rank(); ra != rb {
			return ra > rb
		}
		if a.RuleID != b.RuleID {
			return a.RuleID < b.RuleID
		}
		if a.Resource.ClientID != b.Resource.ClientID {
			return a.Resource.ClientID < b.Resource.ClientID
		}
		if (a.Suppressed == nil) != (b.Suppressed == nil) {
			return a.Suppressed == nil
		}
		return a.extra < b.extra
	}
	sort.Slice(rs, func(i, j int) bool { return less(&rs[i], &rs[j]) })
}

// uid is the record's stable identity: what the problem is and where,
// never a count, so an import updates the same finding scan after scan.
// A pool, client, SMS or email rule's result in a pool keeps its id
// whatever the outcome, so a later pass (--include-passed) updates the
// failing finding; a per-user rule's users who fail and those who pass
// are two records of one report, told apart by outcome.
func (r *record) uid() string {
	return strings.TrimSuffix(fingerprint(r.key(), r.idExtra), ":1")
}

func (r *record) key() string {
	parts := []string{r.RuleID, r.Resource.Account, r.Resource.Region, r.Resource.PoolID, r.Resource.ClientID}
	if r.PerUser {
		parts = append(parts, r.Outcome)
		if r.Suppressed != nil {
			// A pool's suppressed and other users of a rule are two records.
			parts = append(parts, "suppressed")
		}
	}
	return strings.Join(parts, "\x00")
}

// poolARN is the ARN of the record's pool, or of its region's Cognito
// when it is about no pool.
func (r *record) poolARN() string {
	res := r.Resource
	arn := "arn:" + partition(res.Region) + ":cognito-idp:" + res.Region + ":" + res.Account + ":"
	if res.PoolID == "" {
		return arn + "userpool/*"
	}
	return arn + "userpool/" + res.PoolID
}

// partition is the AWS partition of a region.
func partition(region string) string {
	switch {
	case strings.HasPrefix(region, "cn-"):
		return "aws-cn"
	case strings.HasPrefix(region, "us-gov-"):
		return "aws-us-gov"
	}
	return "aws"
}
