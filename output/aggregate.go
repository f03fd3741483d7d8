package output

import (
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
}

// userGroup aggregates the per-user findings of one groupKey.
type userGroup struct {
	Key            groupKey
	PoolName       string
	Title          string
	Severity       policies.Severity
	BlocksRecovery bool
	// Users counts distinct users (consecutive duplicates collapse; the
	// engine sorts findings by user within a rule).
	Users int64
	// Samples are the smallest usernames, sorted, at most sampleCap.
	Samples []string
	// Sources are the unread sources of indeterminate findings, keyed by
	// action+status so that millions of users collapse to a few.
	Sources map[sourceInfo]bool

	sampleCap int
	last      string
}

// aggregateUsers groups the per-user findings of fs by pool, rule and
// verdict in one pass, keeping sampleCap sample usernames per group.
func aggregateUsers(fs []policies.Finding, sampleCap int) map[groupKey]*userGroup {
	groups := map[groupKey]*userGroup{}
	for i := range fs {
		f := &fs[i]
		if !isUserFinding(f) {
			continue
		}
		k := groupKey{Pool: poolOf(f), RuleID: f.RuleID, Verdict: f.Verdict}
		g := groups[k]
		if g == nil {
			g = &userGroup{Key: k, PoolName: f.Resource.PoolName, Title: f.Title, Severity: f.Severity,
				BlocksRecovery: f.BlocksRecovery, sampleCap: sampleCap, last: "\x00"}
			groups[k] = g
		}
		g.add(f)
	}
	return groups
}

func (g *userGroup) add(f *policies.Finding) {
	user := f.Resource.Username
	if user == "" {
		user = f.Resource.Sub
	}
	if user != g.last {
		g.Users++
		g.last = user
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
