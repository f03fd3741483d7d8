package policies

import (
	"sort"
	"strings"
)

// Diff is what changed between two reports: findings that appeared or
// disappeared, and users whose ability to receive a code changed.
type Diff struct {
	Old      ReportInfo    `json:"old"`
	New      ReportInfo    `json:"new"`
	Appeared []Finding     `json:"appeared"`
	Resolved []Finding     `json:"resolved"`
	Users    []UserChange  `json:"users_changed"`
	Counts   DiffCounts    `json:"counts"`
	Totals   [2]UserCounts `json:"totals"` // old, new
}

// ReportInfo identifies one side of a diff.
type ReportInfo struct {
	Name    string `json:"name"`
	TakenAt string `json:"snapshot_taken_at"`
}

// DiffCounts sums up a diff.
type DiffCounts struct {
	Appeared     int `json:"appeared"`
	Resolved     int `json:"resolved"`
	UsersChanged int `json:"users_changed"`
}

// UserChange is a user whose findings changed between two reports.
type UserChange struct {
	Account  string `json:"account"`
	Region   string `json:"region"`
	PoolID   string `json:"pool_id"`
	PoolName string `json:"pool_name"`
	Username string `json:"username"`
	// Before and After are "can", "cannot" or "may_not". A user with no
	// finding counts as "can": one who left the pool looks the same.
	Before  string   `json:"before"`
	After   string   `json:"after"`
	Added   []string `json:"added"`   // rule ids that now apply
	Removed []string `json:"removed"` // rule ids that no longer apply
}

// Outcome names for UserChange.
const (
	UserCan    = "can"
	UserCannot = "cannot"
	UserMayNot = "may_not"
)

// findingKey identifies a finding across scans: the same rule about the same
// resource with the same verdict. Messages and evidence may change (a count,
// say) without making it a new finding.
func findingKey(f *Finding) string {
	r := &f.Resource
	return strings.Join([]string{f.RuleID, string(f.Verdict), r.Account, r.Region, r.PoolID, r.ClientID, r.Username}, "\x00")
}

type userKey struct{ account, region, pool, user string }

// Compare returns what changed from old to new.
func Compare(oldName string, old *Report, newName string, new *Report) *Diff {
	d := &Diff{
		Old:    ReportInfo{Name: oldName, TakenAt: takenAt(old)},
		New:    ReportInfo{Name: newName, TakenAt: takenAt(new)},
		Totals: [2]UserCounts{old.Totals(), new.Totals()},
	}
	oldKeys, newKeys := keys(old), keys(new)
	for i := range new.Findings {
		if !oldKeys[findingKey(&new.Findings[i])] {
			d.Appeared = append(d.Appeared, new.Findings[i])
		}
	}
	for i := range old.Findings {
		if !newKeys[findingKey(&old.Findings[i])] {
			d.Resolved = append(d.Resolved, old.Findings[i])
		}
	}

	before, after := userFindings(old), userFindings(new)
	changed := map[userKey]bool{}
	for _, f := range append(append([]Finding(nil), d.Appeared...), d.Resolved...) {
		if f.Kind == KindUser {
			changed[userKey{f.Resource.Account, f.Resource.Region, f.Resource.PoolID, f.Resource.Username}] = true
		}
	}
	for k := range changed {
		b, a := before[k], after[k]
		uc := UserChange{Account: k.account, Region: k.region, PoolID: k.pool, Username: k.user,
			Before: outcomeOf(b), After: outcomeOf(a)}
		for _, f := range append(b, a...) {
			uc.PoolName = f.Resource.PoolName
		}
		uc.Added, uc.Removed = ruleDelta(b, a)
		d.Users = append(d.Users, uc)
	}
	sort.Slice(d.Users, func(i, j int) bool {
		a, b := d.Users[i], d.Users[j]
		return strings.Join([]string{a.Account, a.Region, a.PoolID, a.Username}, "\x00") <
			strings.Join([]string{b.Account, b.Region, b.PoolID, b.Username}, "\x00")
	})
	SortFindings(d.Appeared)
	SortFindings(d.Resolved)
	d.Counts = DiffCounts{Appeared: len(d.Appeared), Resolved: len(d.Resolved), UsersChanged: len(d.Users)}
	return d
}

func takenAt(r *Report) string {
	if r.SnapshotTakenAt.IsZero() {
		return ""
	}
	return r.SnapshotTakenAt.UTC().Format("2006-01-02T15:04:05Z")
}

func keys(r *Report) map[string]bool {
	m := make(map[string]bool, len(r.Findings))
	for i := range r.Findings {
		m[findingKey(&r.Findings[i])] = true
	}
	return m
}

func userFindings(r *Report) map[userKey][]Finding {
	m := map[userKey][]Finding{}
	for _, f := range r.Findings {
		if f.Kind == KindUser {
			k := userKey{f.Resource.Account, f.Resource.Region, f.Resource.PoolID, f.Resource.Username}
			m[k] = append(m[k], f)
		}
	}
	return m
}

// outcomeOf classifies a user by their findings, as the report's counts do.
func outcomeOf(fs []Finding) string {
	if len(fs) == 0 {
		return UserCan
	}
	for _, f := range fs {
		if f.Verdict == Fail && f.BlocksRecovery {
			return UserCannot
		}
	}
	return UserMayNot
}

func ruleDelta(before, after []Finding) (added, removed []string) {
	b, a := map[string]bool{}, map[string]bool{}
	for _, f := range before {
		b[f.RuleID+verdictMark(f.Verdict)] = true
	}
	for _, f := range after {
		a[f.RuleID+verdictMark(f.Verdict)] = true
	}
	for id := range a {
		if !b[id] {
			added = append(added, id)
		}
	}
	for id := range b {
		if !a[id] {
			removed = append(removed, id)
		}
	}
	sort.Strings(added)
	sort.Strings(removed)
	return added, removed
}

func verdictMark(v Verdict) string {
	if v == Indeterminate {
		return "?"
	}
	return ""
}
