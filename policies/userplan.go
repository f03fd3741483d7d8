package policies

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"sync"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/rego"

	"github.com/recoverscan/recoverscan/collector/snapshot"
)

// channelQuery is the library rule whose value is the channel ForgotPassword
// would use for a user; reports count users by it.
const channelQuery = "data.recoverscan.lib.recovery.chosen"

// userGroup is a set of per-user rules evaluated by one query.
type userGroup struct {
	pk *preparedKind
	// key are the facts the group's results depend on; abs, for those
	// that matter only as which constant they equal, the constants.
	key factSet
	abs [numFacts][]ast.Value
	// ph stand in for the distinct facts the group only copies.
	ph *placeholders
	// shared groups test no distinct fact: users with equal keys share
	// one evaluation. The others are evaluated per user.
	shared bool
	// guards, for per-user groups of one rule, are the conditions at least
	// one of which must all hold for the rule to report anything.
	guards [][]guard
	// cut, for per-user groups of one rule, are the rules through which
	// alone the rule tests distinct facts, as indexes into the plan's cut
	// values; users with equal keys and equal values share one evaluation.
	cut []int
	// channel says the query also yields the chosen channel.
	channel bool
}

// keyBy keys the group's results by what r reads.
func (g *userGroup) keyBy(r reads) {
	g.key, g.abs = r.facts(), r.abstract()
}

// cached says whether the group's results are shared through a cache.
func (g *userGroup) cached() bool { return g.shared || g.cut != nil }

// cutValues are the values of the plan's cut rules for one user, read
// once and only when a group needs them.
type cutValues struct {
	done bool
	vals [][]byte
}

// userPlan is how an evaluation judges a user: by the shared group, looked
// up by key, then by every per-user group whose guards the user passes.
type userPlan struct {
	groups []*userGroup
	// cut reads the values of every group's cut rules at once (cutRefs,
	// in order).
	cut     *rego.PreparedEvalQuery
	cutRefs []ast.Ref
}

// sharing is a shared group being assembled.
type sharing struct {
	rules   []*Rule
	reads   reads
	copied  factSet
	channel bool
}

// fits reports whether a rule reading r and copying copied can join the
// group: neither may copy a fact the other compares, since within one
// evaluation a fact is either a placeholder or its value.
func (s *sharing) fits(r reads, copied factSet) bool {
	return copied&s.reads.facts() == 0 && r.facts()&s.copied == 0
}

func (s *sharing) add(r reads, copied factSet) {
	s.reads.merge(&r)
	s.copied |= copied
}

// planUsers analyses the enabled per-user rules and prepares their groups:
// shared groups first (the first one also yields the channel), then the
// groups evaluated per user or through a cut.
func (e *Engine) planUsers(ctx context.Context, srcs []*source) (*userPlan, error) {
	p := newPlanner(e.compiler, srcs)
	marker := newMarker()
	var (
		shares   []*sharing
		own      []*userGroup
		ownRules [][]*Rule
		cutRefs  []ast.Ref
	)
	share := func(r reads, copied factSet) *sharing {
		for _, s := range shares {
			if s.fits(r, copied) {
				s.add(r, copied)
				return s
			}
		}
		s := &sharing{}
		s.add(r, copied)
		shares = append(shares, s)
		return s
	}
	chReads := p.ref(ast.MustParseRef(channelQuery))
	if chReads.full&distinct == 0 {
		share(chReads, 0).channel = true
	} else {
		g := &userGroup{ph: newPlaceholders(0, marker), channel: true}
		g.keyBy(chReads)
		own = append(own, g)
		ownRules = append(ownRules, nil)
	}
	for _, i := range e.byKind[KindUser] {
		r := &e.rules[i]
		rf := p.rule(r.Package)
		if rf.tested.full&distinct == 0 {
			s := share(rf.tested, rf.copied)
			s.rules = append(s.rules, r)
			continue
		}
		g := &userGroup{ph: newPlaceholders(rf.copied, marker), guards: rf.guards}
		g.keyBy(rf.tested)
		if rf.cut != nil {
			g.keyBy(rf.outside)
			for _, ref := range rf.cut {
				g.cut = append(g.cut, cutIndex(&cutRefs, ref))
			}
		}
		own = append(own, g)
		ownRules = append(ownRules, []*Rule{r})
	}

	plan := &userPlan{cutRefs: cutRefs}
	if len(cutRefs) > 0 {
		q, err := e.prepareCut(ctx, cutRefs)
		if err != nil {
			return nil, err
		}
		plan.cut = q
	}
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
	for _, s := range shares {
		g := &userGroup{shared: true, channel: s.channel, ph: newPlaceholders(s.copied, marker)}
		g.keyBy(s.reads)
		if err := prep(g, s.rules); err != nil {
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

// cutIndex returns the index of ref in refs, adding it if new.
func cutIndex(refs *[]ast.Ref, ref ast.Ref) int {
	for i, r := range *refs {
		if r.Equal(ref) {
			return i
		}
	}
	*refs = append(*refs, ref)
	return len(*refs) - 1
}

// prepareCut prepares the query of a cut's values: one array per rule,
// empty when the rule is undefined, so that undefined is a value too.
func (e *Engine) prepareCut(ctx context.Context, refs []ast.Ref) (*rego.PreparedEvalQuery, error) {
	parts := make([]string, len(refs))
	for i, r := range refs {
		parts[i] = fmt.Sprintf("[v | v := %s]", r)
	}
	q, err := e.prepareQuery(ctx, "c := ["+strings.Join(parts, ", ")+"]")
	if err != nil {
		return nil, newLoadError(fmt.Errorf("prepare the values %v: %w", refs, err))
	}
	return &q, nil
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
		sortResults(res)
		return res, stringOr(x), err
	}
	var (
		out     []result
		channel string
		cut     cutValues
	)
	for i, g := range ev.e.plan.groups {
		var (
			res []result
			ch  string
		)
		switch {
		case g.cached() && (g.shared || g.mayReport(u)):
			*buf = appendKey((*buf)[:0], u, g.key, &g.abs)
			if g.cut != nil {
				if err := ev.readCut(u, &cut); err != nil {
					return nil, "", g.pk.evalError(ev.ctx, err)
				}
				for _, i := range g.cut {
					*buf = binary.AppendUvarint(*buf, uint64(len(cut.vals[i])))
					*buf = append(*buf, cut.vals[i]...)
				}
			}
			cache := ev.caches[i]
			hit := cache.get(*buf)
			if hit == nil {
				r, x, err := g.pk.eval(ev.ctx, ev.userInputWith(u, g.ph))
				if err != nil {
					return nil, "", err
				}
				ch, _ = x.(string)
				hit = &sharedResult{res: r, channel: ch}
				cache.put(*buf, hit)
			}
			res, ch = hit.res, hit.channel
		case !g.cached() && g.mayReport(u):
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
		filled, err := g.ph.fillResults(res, u)
		if err != nil {
			return nil, "", err
		}
		out = append(out, filled...)
	}
	sortResults(out)
	return out, channel, nil
}

// readCut reads the plan's cut values for u into c, once.
func (ev *evaluation) readCut(u *snapshot.User, c *cutValues) error {
	if c.done {
		return nil
	}
	rs, err := ev.e.plan.cut.Eval(ev.ctx, rego.EvalParsedInput(ev.userInput(u)))
	if err != nil {
		return err
	}
	vals, ok := []any(nil), len(rs) == 1
	if ok {
		vals, ok = rs[0].Bindings["c"].([]any)
	}
	if !ok || len(vals) != len(ev.e.plan.cutRefs) {
		return fmt.Errorf("the values %v are not readable", ev.e.plan.cutRefs)
	}
	c.vals = make([][]byte, len(vals))
	for i, v := range vals {
		if c.vals[i], err = json.Marshal(v); err != nil {
			return err
		}
	}
	c.done = true
	return nil
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
// shared slice is returned as is when nothing changes. Entries are made
// anew from the filled entry, as the rule would have made them, and
// entries that become equal (two facts with the same value) are reported
// once, as the rule's set would hold them.
func (p *placeholders) fillResults(res []result, u *snapshot.User) ([]result, error) {
	if p.set == 0 || len(res) == 0 {
		return res, nil
	}
	var out []result
	for i, r := range res {
		raw, changed := p.fillValue(r.raw, u)
		if !changed {
			if out != nil {
				out = append(out, r)
			}
			continue
		}
		if out == nil {
			out = append(make([]result, 0, len(res)), res[:i]...)
		}
		nr, err := toResult(r.rule, raw)
		if err != nil {
			return nil, err
		}
		out = append(out, nr)
	}
	if out == nil {
		return res, nil
	}
	// A set holds each entry once; only entries of one rule can be equal.
	kept := out[:0]
	for i, r := range out {
		if i == 0 || !containsEntry(kept, r) {
			kept = append(kept, r)
		}
	}
	return kept, nil
}

func containsEntry(rs []result, r result) bool {
	for _, o := range rs {
		if o.rule == r.rule && o.message == r.message && reflect.DeepEqual(o.raw, r.raw) {
			return true
		}
	}
	return false
}

// sortResults orders one user's results by rule, then by the entries
// themselves, so that the order does not depend on how they were made.
func sortResults(rs []result) {
	sorted := true
	for i := 1; i < len(rs) && sorted; i++ {
		sorted = rs[i-1].rule.ID < rs[i].rule.ID
	}
	if sorted {
		return
	}
	slices.SortStableFunc(rs, func(a, b result) int {
		if c := strings.Compare(a.rule.ID, b.rule.ID); c != 0 {
			return c
		}
		ja, _ := json.Marshal(a.raw)
		jb, _ := json.Marshal(b.raw)
		return bytes.Compare(ja, jb)
	})
}

// userInputWith is the input of the per-user rules for u, with the
// placeholders of ph.
func (ev *evaluation) userInputWith(u *snapshot.User, ph *placeholders) ast.Value {
	return ev.input(map[string]*ast.Term{"user": userTerm(u, ph)}, "snapshot", "account", "pool", "sms", "sms_alternate", "email", "delivery")
}

// groupsOrNone returns the plan's groups; none when there is no plan.
func (p *userPlan) groupsOrNone() []*userGroup {
	if p == nil {
		return nil
	}
	return p.groups
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
		g.key.each(func(f fact) {
			name := strings.Join(factPaths[f], ".")
			if cs := g.abs[f]; len(cs) > 0 {
				name += fmt.Sprint(cs)
			}
			key = append(key, name)
		})
		g.ph.set.each(func(f fact) { ph = append(ph, strings.Join(factPaths[f], ".")) })
		fmt.Fprintf(&b, "group %d shared=%v cut=%v channel=%v guards=%d rules=%v key=%v placeholders=%v\n", i, g.shared, g.cut != nil, g.channel, len(g.guards), ids, key, ph)
	}
	return b.String()
}
