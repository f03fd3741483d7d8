package policies

import (
	"context"
	"fmt"
	"reflect"
	"sort"
	"strings"
	"sync"

	"github.com/open-policy-agent/opa/v1/ast"

	"github.com/recoverscan/recoverscan/collector/snapshot"
)

// channelQuery is the library rule whose value is the channel ForgotPassword
// would use for a user; reports count users by it.
const channelQuery = "data.recoverscan.lib.recovery.chosen"

// userGroup is a set of per-user rules evaluated by one query.
type userGroup struct {
	pk *preparedKind
	// key are the facts the group's results depend on.
	key factSet
	// ph stand in for the distinct facts the group only copies.
	ph *placeholders
	// shared groups test no distinct fact: users with equal keys share
	// one evaluation. The others are evaluated per user.
	shared bool
	// guards, for per-user groups of one rule, are the conditions at least
	// one of which must all hold for the rule to report anything.
	guards [][]guard
	// channel says the query also yields the chosen channel.
	channel bool
}

// userPlan is how an evaluation judges a user: by the shared group, looked
// up by key, then by every per-user group whose guards the user passes.
type userPlan struct {
	groups []*userGroup
}

// planUsers analyses the enabled per-user rules and prepares their groups.
func (e *Engine) planUsers(ctx context.Context, srcs []*source) (*userPlan, error) {
	p := newPlanner(e.compiler, srcs)
	shared := &userGroup{shared: true, ph: newPlaceholders(0)}
	var sharedRules []*Rule
	var own []*userGroup
	var ownRules [][]*Rule
	for _, i := range e.byKind[KindUser] {
		r := &e.rules[i]
		rf := p.rule(r.Package)
		if rf.tested&distinct == 0 {
			sharedRules = append(sharedRules, r)
			shared.key |= rf.tested
			shared.ph.set |= rf.copied
			continue
		}
		own = append(own, &userGroup{key: rf.tested, ph: newPlaceholders(rf.copied), guards: rf.guards})
		ownRules = append(ownRules, []*Rule{r})
	}
	shared.ph = newPlaceholders(shared.ph.set)

	chRef := ast.MustParseRef(channelQuery)
	chFacts := p.ref(chRef)
	var chGroup *userGroup
	if chFacts&distinct == 0 {
		shared.key |= chFacts
		shared.channel = true
		chGroup = shared
	} else {
		chGroup = &userGroup{key: chFacts, ph: newPlaceholders(0), channel: true}
		own = append(own, chGroup)
		ownRules = append(ownRules, nil)
	}

	plan := &userPlan{}
	prep := func(g *userGroup, rules []*Rule) error {
		extra := ""
		if g.channel {
			extra = channelQuery
		}
		pk, err := e.prepareRules(ctx, rules, extra)
		if err != nil {
			return err
		}
		g.pk = pk
		plan.groups = append(plan.groups, g)
		return nil
	}
	if len(sharedRules) > 0 || shared.channel {
		if err := prep(shared, sharedRules); err != nil {
			return nil, err
		}
	}
	for i, g := range own {
		if err := prep(g, ownRules[i]); err != nil {
			return nil, err
		}
	}
	return plan, nil
}

// cacheLimit bounds the shared results kept per pool: beyond it, users with
// new keys are still evaluated, just not remembered.
const cacheLimit = 1 << 14

// sharedResult is a shared group's evaluation for one key.
type sharedResult struct {
	res     []result
	channel string
}

// resultCache holds a pool's shared results by key.
type resultCache struct {
	mu sync.RWMutex
	m  map[string]*sharedResult
}

func (c *resultCache) get(key []byte) *sharedResult {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.m[string(key)]
}

func (c *resultCache) put(key []byte, r *sharedResult) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.m) < cacheLimit {
		c.m[string(key)] = r
	}
}

// judge evaluates the per-user rules for u: their results, in rule id
// order, and the chosen channel. buf is scratch space for keys.
func (ev *evaluation) judge(u *snapshot.User, buf *[]byte) ([]result, string, error) {
	if ev.e.plan == nil {
		// Every rule, for every user: the reference the plan must equal.
		res, x, err := ev.e.user.eval(ev.ctx, ev.userInput(u))
		return res, stringOr(x), err
	}
	var (
		out     []result
		channel string
	)
	for _, g := range ev.e.plan.groups {
		var (
			res []result
			ch  string
		)
		switch {
		case g.shared:
			*buf = appendKey((*buf)[:0], u, g.key)
			hit := ev.cache.get(*buf)
			if hit == nil {
				r, x, err := g.pk.eval(ev.ctx, ev.userInputWith(u, g.ph))
				if err != nil {
					return nil, "", err
				}
				ch, _ = x.(string)
				hit = &sharedResult{res: r, channel: ch}
				ev.cache.put(*buf, hit)
			}
			res, ch = hit.res, hit.channel
		case g.mayReport(u):
			r, x, err := g.pk.eval(ev.ctx, ev.userInputWith(u, g.ph))
			if err != nil {
				return nil, "", err
			}
			res, ch = r, stringOr(x)
		default:
			continue
		}
		if g.channel {
			channel = ch
		}
		out = append(out, g.ph.fillResults(res, u)...)
	}
	if len(ev.e.plan.groups) > 1 {
		sort.SliceStable(out, func(i, j int) bool { return out[i].rule.ID < out[j].rule.ID })
	}
	return out, channel, nil
}

func stringOr(x any) string {
	s, _ := x.(string)
	return s
}

// mayReport reports whether a per-user group can report anything for u:
// always unless every definition of its rule's report has a guard u fails.
// Channel groups always run.
func (g *userGroup) mayReport(u *snapshot.User) bool {
	if g.guards == nil || g.channel {
		return true
	}
	for _, def := range g.guards {
		holds := true
		for _, gd := range def {
			if !gd.holds(u) {
				holds = false
				break
			}
		}
		if holds {
			return true
		}
	}
	return false
}

// fillResults puts u's values in place of the placeholders in res. The
// shared slice is returned as is when nothing changes; entries that become
// equal once filled (two facts with the same value) are reported once, as
// the rule's set would hold them.
func (p *placeholders) fillResults(res []result, u *snapshot.User) []result {
	if p.set == 0 || len(res) == 0 {
		return res
	}
	var out []result
	for i, r := range res {
		msg := p.fill(r.message, u)
		ev, changed := p.fillValue(anyMap(r.evidence), u)
		if msg == r.message && !changed {
			if out != nil && !containsResult(out, r) {
				out = append(out, r)
			}
			continue
		}
		if out == nil {
			out = append(make([]result, 0, len(res)), res[:i]...)
		}
		r.message = msg
		r.evidence, _ = ev.(map[string]any)
		if !containsResult(out, r) {
			out = append(out, r)
		}
	}
	if out == nil {
		return res
	}
	return out
}

func anyMap(m map[string]any) any {
	if m == nil {
		return nil
	}
	return m
}

func containsResult(rs []result, r result) bool {
	for _, o := range rs {
		if o.rule == r.rule && o.verdict == r.verdict && o.message == r.message && reflect.DeepEqual(o.evidence, r.evidence) {
			return true
		}
	}
	return false
}

// userInputWith is the input of the per-user rules for u, with the
// placeholders of ph.
func (ev *evaluation) userInputWith(u *snapshot.User, ph *placeholders) ast.Value {
	return ev.input(map[string]*ast.Term{"user": userTerm(u, ph)}, "snapshot", "account", "pool", "sms", "email")
}

// describe lists the groups of a plan, for diagnostics.
func (p *userPlan) describe() string {
	var b strings.Builder
	for i, g := range p.groups {
		ids := make([]string, 0, len(g.pk.rules))
		for _, r := range g.pk.rules {
			ids = append(ids, r.ID)
		}
		var key, ph []string
		g.key.each(func(f fact) { key = append(key, strings.Join(factPaths[f], ".")) })
		g.ph.set.each(func(f fact) { ph = append(ph, strings.Join(factPaths[f], ".")) })
		fmt.Fprintf(&b, "group %d shared=%v channel=%v guards=%d rules=%v key=%v placeholders=%v\n", i, g.shared, g.channel, len(g.guards), ids, key, ph)
	}
	return b.String()
}
