package output

import (
	"fmt"
	"sort"

	"github.com/recoverscan/recoverscan/policies"
)

// poolKey names a pool across accounts and regions.
type poolKey struct {
	Account, Region, PoolID string
}

// groupKey is one rule's verdict on the users of one pool.
type groupKey struct {
	Pool    poolKey
	RuleID  string
	Verdict policies.Verdict
	// Suppressed groups the suppressed findings apart, for the formats
	// that keep them.
	Suppressed bool
}

// userGroup aggregates the per-user findings of one groupKey.
type userGroup struct {
	Key            groupKey
	PoolName       string
	Title          string
	Severity       policies.Severity
	BlocksRecovery bool
	// Users counts distinct users (consecutive duplicates collapse: the
	// engine makes a user's findings together, or sorts them by user
	// within a rule).
	Users int64
	// Samples are the smallest usernames, sorted, at most sampleCap.
	Samples []string
	// Suppression is the first suppression of a suppressed group.
	Suppression *policies.SuppressedBy
	// Sources are the unread sources of indeterminate findings, keyed by
	// action+status so that millions of users collapse to a few.
	Sources map[sourceInfo]bool

	sampleCap int
	last      string
}

// digest is what the renderers need of a report's findings, built one
// finding at a time so that findings need not be kept: per-user findings
// aggregated by pool, rule and verdict; the few others as they are; and
// the counts of the summary. Its size depends on the pools and rules, not
// on the users.
type digest struct {
	groups map[groupKey]*userGroup
	others []policies.Finding
	// overflow counts, per rule, pool and verdict, the findings beyond
	// maxPerRulePool that others does not keep.
	overflow map[groupKey]*overflow
	// sampleCap is how many sample usernames a group keeps; countsOnly
	// digests keep no groups or findings at all.
	sampleCap  int
	countsOnly bool

	findings   int
	bySeverity SeverityCounts
	byVerdict  VerdictCounts
	// permissions are the denied actions of indeterminate findings.
	permissions map[string]bool
	// scopes are the accounts and regions findings are about.
	scopes map[[2]string]bool
	// rules are stubs of the rules findings name, by id.
	rules map[string]policies.Rule
	// kept counts others per rule, pool and verdict.
	kept map[groupKey]int
	// causes are why the sources of indeterminate findings were unread.
	causes *CauseSet
}

// maxPerRulePool is how many findings of one rule about one pool (pool,
// client or channel findings: per-user ones are aggregated anyway) the
// table and SARIF keep; the rest are counted, so that a rule reporting
// hundreds of thousands of findings cannot exhaust memory. The JSON
// format, which streams, lists every one.
const maxPerRulePool = 100

// overflow is what is kept of the findings past maxPerRulePool: how many,
// and one of them (without evidence) to describe them.
type overflow struct {
	N    int64
	Last policies.Finding
}

// overflowFinding describes the findings left out for one rule and pool as
// one finding: "… and N more".
func (o *overflow) finding() policies.Finding {
	f := o.Last
	f.Message = fmt.Sprintf("… and %s more %s of this rule about this pool (the json format lists them all)", thousands(o.N), plural(o.N, "finding", "findings"))
	f.Resource.ClientID = ""
	return f
}

func newDigest(sampleCap int) *digest {
	return &digest{
		groups:      map[groupKey]*userGroup{},
		overflow:    map[groupKey]*overflow{},
		kept:        map[groupKey]int{},
		causes:      NewCauseSet(),
		sampleCap:   sampleCap,
		permissions: map[string]bool{},
		scopes:      map[[2]string]bool{},
		rules:       map[string]policies.Rule{},
	}
}

// add takes one finding into the digest.
func (d *digest) add(f *policies.Finding) {
	d.findings++
	switch f.Severity {
	case policies.Critical:
		d.bySeverity.Critical++
	case policies.High:
		d.bySeverity.High++
	case policies.Medium:
		d.bySeverity.Medium++
	case policies.Low:
		d.bySeverity.Low++
	}
	if f.Verdict == policies.Indeterminate {
		d.byVerdict.Indeterminate++
		d.causes.addFinding(f, func(action string) { d.permissions[action] = true })
	} else {
		d.byVerdict.Fail++
	}
	d.scopes[[2]string{f.Resource.Account, f.Resource.Region}] = true
	if _, seen := d.rules[f.RuleID]; !seen {
		d.rules[f.RuleID] = policies.Rule{ID: f.RuleID, Title: f.Title, Severity: f.Severity, Kind: f.Kind, BlocksRecovery: f.BlocksRecovery}
	}
	if d.countsOnly {
		return
	}
	if !isUserFinding(f) {
		k := groupKey{Pool: poolOf(f), RuleID: f.RuleID, Verdict: f.Verdict}
		if d.kept[k] >= maxPerRulePool {
			o := d.overflow[k]
			if o == nil {
				o = &overflow{Last: *f}
				o.Last.Evidence = nil
				d.overflow[k] = o
			}
			o.N++
			return
		}
		d.kept[k]++
		d.others = append(d.others, *f)
		return
	}
	k := groupKey{Pool: poolOf(f), RuleID: f.RuleID, Verdict: f.Verdict, Suppressed: f.Suppressed != nil}
	g := d.groups[k]
	if g == nil {
		g = &userGroup{Key: k, PoolName: f.Resource.PoolName, Title: f.Title, Severity: f.Severity,
			BlocksRecovery: f.BlocksRecovery, Suppression: f.Suppressed, sampleCap: d.sampleCap, last: "\x00"}
		d.groups[k] = g
	}
	g.add(f)
}

func (g *userGroup) add(f *policies.Finding) {
	user := f.Resource.Username
	if user == "" {
		user = f.Resource.Sub
	}
	// Masked usernames repeat: the sub tells users apart.
	if id := user + "\x00" + f.Resource.Sub; id != g.last {
		g.Users++
		g.last = id
		g.sample(user)
	}
	if f.Verdict == policies.Indeterminate {
		for _, s := range findingSources(f.Evidence) {
			if g.Sources == nil {
				g.Sources = map[sourceInfo]bool{}
			}
			// The error text varies per call; the action and status are
			// what a reader needs, and they keep the set small.
			g.Sources[sourceInfo{Status: s.Status, Action: s.Action}] = true
		}
	}
}

// sample keeps the sampleCap smallest names, so the choice does not
// depend on the order findings arrive in.
func (g *userGroup) sample(user string) {
	if g.sampleCap <= 0 || user == "" {
		return
	}
	i := sort.SearchStrings(g.Samples, user)
	if i < len(g.Samples) && g.Samples[i] == user {
		return
	}
	if len(g.Samples) == g.sampleCap {
		if i == g.sampleCap {
			return
		}
		g.Samples = g.Samples[:g.sampleCap-1]
	}
	g.Samples = append(g.Samples, "")
	copy(g.Samples[i+1:], g.Samples[i:])
	g.Samples[i] = user
}

// sortedSources lists a group's unread sources in a stable order.
func (g *userGroup) sortedSources() []sourceInfo {
	out := make([]sourceInfo, 0, len(g.Sources))
	for s := range g.Sources {
		out = append(out, s)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Action != out[j].Action {
			return out[i].Action < out[j].Action
		}
		return out[i].Status < out[j].Status
	})
	return out
}

func poolOf(f *policies.Finding) poolKey {
	return poolKey{Account: f.Resource.Account, Region: f.Resource.Region, PoolID: f.Resource.PoolID}
}
