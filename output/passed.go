package output

import "github.com/recoverscan/recoverscan/policies"

// Passed is a rule that was evaluated against a pool and found nothing
// there, or, for a per-user rule, the pool's users it found nothing about.
// Reports carry passes with --include-passed, so that they show what was
// checked, not only what failed.
type Passed struct {
	RuleID   string            `json:"rule_id"`
	Title    string            `json:"title"`
	Severity policies.Severity `json:"severity"`
	Kind     policies.Kind     `json:"kind"`
	// Resource is the pool (account, region, pool id and name).
	Resource policies.Resource `json:"resource"`
	// Users counts, for a per-user rule, the pool's users with no finding
	// of the rule, of PoolUsers.
	Users     int64 `json:"users,omitempty"`
	PoolUsers int64 `json:"pool_users,omitempty"`
	// Complete is false when the pool's users could not all be listed:
	// Users then counts those that were.
	Complete bool `json:"complete"`
}

// poolRule is one rule in one pool.
type poolRule struct {
	pool poolKey
	rule string
}

// hits counts the findings of one rule in one pool: distinct users for a
// per-user rule (a user's findings of a rule arrive together).
type hits struct {
	users int64
	last  string
}

// passTracker records which rules found something in which pools, from
// every finding, suppressed or not (a suppressed finding is accepted, not
// passed). Its size is pools × rules, whatever the users.
type passTracker struct {
	hit map[poolRule]*hits
}

func newPassTracker() *passTracker { return &passTracker{hit: map[poolRule]*hits{}} }

func (t *passTracker) add(f *policies.Finding) {
	k := poolRule{pool: poolOf(f), rule: f.RuleID}
	h := t.hit[k]
	if h == nil {
		h = &hits{last: "\x00"}
		t.hit[k] = h
	}
	if !isUserFinding(f) {
		return
	}
	user := f.Resource.Username
	if user == "" {
		user = f.Resource.Sub
	}
	if user != h.last {
		h.users++
		h.last = user
	}
}

// passed lists, for every pool of the report and every enabled rule, the
// passes: a pool, client, SMS or email rule with no finding in the pool,
// and a per-user rule with users it found nothing about (the pool's users
// less those with a finding of the rule). In report order: scopes, pools,
// then rules by id.
func (t *passTracker) passed(r *policies.Report) []Passed {
	var out []Passed
	for _, sc := range r.Scopes {
		for _, p := range sc.Pools {
			for _, rule := range r.Rules {
				if rule.Disabled {
					continue
				}
				pass := Passed{
					RuleID: rule.ID, Title: rule.Title, Severity: rule.Severity, Kind: rule.Kind,
					Resource: policies.Resource{Account: sc.Account, Region: sc.Region, PoolID: p.ID, PoolName: p.Name},
					Complete: p.Complete,
				}
				h := t.hit[poolRule{pool: poolKey{Account: sc.Account, Region: sc.Region, PoolID: p.ID}, rule: rule.ID}]
				if rule.Kind == policies.KindUser {
					var failed int64
					if h != nil {
						failed = h.users
					}
					pass.Users, pass.PoolUsers = max(p.Users.Total-failed, 0), p.Users.Total
					if pass.Users == 0 {
						continue
					}
				} else if h != nil {
					continue
				}
				out = append(out, pass)
			}
		}
	}
	return out
}
