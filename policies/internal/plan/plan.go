package plan

import (
	"encoding/binary"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/open-policy-agent/opa/v1/ast"

	"github.com/recoverscan/recoverscan/collector/snapshot"
)

// Rules is what a plan is built from.
type Rules struct {
	// Compiler has compiled every policy.
	Compiler *ast.Compiler
	// Written are the policy files as parsed, before compiling, by file
	// name, test files left out: report heads keep their shape there.
	Written map[string]*ast.Module
	// CustomReport is set when a custom file defines
	// data.recoverscan.lib.report, whose functions are then not known to
	// copy their arguments.
	CustomReport bool
	// Packages are the per-user rules, by package path: each defines a
	// report set.
	Packages []string
	// Values are the rules whose values the engine needs for every user
	// besides the reports (the channel Cognito would pick, the pool rules'
	// per-user aggregates); one batch yields each.
	Values []ast.Ref
}

// Plan is how the per-user rules are evaluated: by batches of rules, each
// evaluated by one query. It is safe for concurrent use.
type Plan struct {
	batches []*Batch
	// cutRefs are the rules whose values batches with a cut are keyed by,
	// all read by one query.
	cutRefs []ast.Ref
	// cutFacts are the facts the cut rules read: all their query's
	// input.user holds.
	cutFacts factSet
	// memoRules says what a Memo keeps the rules' values by.
	memoRules *ruleNode
	// packages and values are Rules.Packages and Rules.Values, for
	// Describe.
	packages []string
	values   []ast.Ref
}

// Batch is a set of per-user rules evaluated by one query, whose results
// users share under one key.
type Batch struct {
	rules []int
	// key are the facts the batch's results depend on; abs, for those
	// that matter only as which constant they equal, the constants.
	key factSet
	abs [numFacts][]ast.Value
	// ph stand in for the distinct facts the batch only copies.
	ph *placeholders
	// shared batches test no distinct fact: users with equal keys share
	// one evaluation. The others are evaluated per user.
	shared bool
	// guards, for per-user batches of one rule, are the conditions at
	// least one of which must all hold for the rule to report anything.
	guards [][]guard
	// cut, for per-user batches of one rule, are the rules through which
	// alone the rule tests distinct facts, as indexes into the plan's cut
	// values; users with equal keys and equal values share one evaluation.
	cut []int
	// values are the values the query also yields, as indexes into
	// Rules.Values.
	values []int
}

// Rules are the batch's rules, as indexes into Rules.Packages.
func (b *Batch) Rules() []int { return b.rules }

// Values are the values the batch's query must also yield, as indexes
// into Rules.Values.
func (b *Batch) Values() []int { return b.values }

// Input is input.user for u as the batch is evaluated on it: with
// placeholders in place of the facts the batch only copies.
func (b *Batch) Input(u *snapshot.User) *ast.Term { return userTerm(u, b.ph) }

// Copies says whether the batch's results may hold placeholders, which
// Fill replaces.
func (b *Batch) Copies() bool { return b.ph.set != 0 }

// Template finds the placeholders in v, a report entry of the batch as
// decoded JSON, once, for Fill to put each user's values in.
func (b *Batch) Template(v any) Template { return Template{v: v, holes: b.ph.holes(v), ph: b.ph} }

// A Template is a report entry with the places of its placeholders.
type Template struct {
	v     any
	holes *hole
	ph    *placeholders
}

// Fill puts u's values in place of the placeholders of t. It returns the
// entry itself, and false, when it has none, so that shared entries are
// not copied; else a copy that shares what holds no placeholder.
func (t Template) Fill(u *snapshot.User) (any, bool) {
	if t.holes == nil {
		return t.v, false
	}
	return t.ph.fillHoles(t.v, t.holes, u), true
}

// keyBy keys the batch's results by what r reads.
func (b *Batch) keyBy(r reads) {
	b.key, b.abs = r.facts(), r.abstract()
}

// cached says whether the batch's results are shared through a cache.
func (b *Batch) cached() bool { return b.shared || b.cut != nil }

// mayReport reports whether a per-user batch can report anything for u:
// always unless every definition of its rule's report has a guard u fails.
// Batches that yield values always run.
func (b *Batch) mayReport(u *snapshot.User) bool {
	if b.guards == nil || len(b.values) > 0 {
		return true
	}
	for _, def := range b.guards {
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

// sharing is a shared batch being assembled.
type sharing struct {
	rules  []int
	reads  reads
	copied factSet
	values []int
}

// fits reports whether a rule reading r and copying copied can join the
// batch: neither may copy a fact the other compares, since within one
// evaluation a fact is either a placeholder or its value.
func (s *sharing) fits(r reads, copied factSet) bool {
	return copied&s.reads.facts() == 0 && r.facts()&s.copied == 0
}

func (s *sharing) add(r reads, copied factSet) {
	s.reads.merge(&r)
	s.copied |= copied
}

// Build analyses the per-user rules and batches them: shared batches first
// (the first one also yields the values that test no distinct fact), then
// the batches evaluated per user or through a cut.
func Build(r Rules) *Plan {
	p := newPlanner(r)
	marker := newMarker()
	var (
		shares []*sharing
		own    []*Batch
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
	plan := &Plan{packages: r.Packages, values: r.Values, memoRules: p.memoRules(r.Packages)}
	for i, ref := range r.Values {
		vr := p.ref(ref)
		if vr.full&distinct == 0 {
			s := share(vr, 0)
			s.values = append(s.values, i)
			continue
		}
		b := &Batch{ph: newPlaceholders(0, marker), values: []int{i}}
		b.keyBy(vr)
		own = append(own, b)
	}
	for i, pkg := range r.Packages {
		rf := p.rule(pkg)
		if rf.tested.full&distinct == 0 {
			s := share(rf.tested, rf.copied)
			s.rules = append(s.rules, i)
			continue
		}
		b := &Batch{rules: []int{i}, ph: newPlaceholders(rf.copied, marker), guards: rf.guards}
		b.keyBy(rf.tested)
		if rf.cut != nil {
			b.keyBy(rf.outside)
			for _, ref := range rf.cut {
				b.cut = append(b.cut, cutIndex(&plan.cutRefs, ref))
			}
		}
		own = append(own, b)
	}
	for _, s := range shares {
		b := &Batch{rules: s.rules, shared: true, values: s.values, ph: newPlaceholders(s.copied, marker)}
		b.keyBy(s.reads)
		plan.batches = append(plan.batches, b)
	}
	plan.batches = append(plan.batches, own...)
	for _, ref := range plan.cutRefs {
		r := p.ref(ref)
		plan.cutFacts |= r.facts()
	}
	return plan
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

// Batches are the plan's batches, in the order they are evaluated for a
// user.
func (p *Plan) Batches() []*Batch { return p.batches }

// CutQuery is the query that reads the values of every cut rule for a
// user, binding them to c: one array per rule, empty when the rule is
// undefined, so that undefined is a value too. It is "" when no batch has
// a cut.
func (p *Plan) CutQuery() string {
	if len(p.cutRefs) == 0 {
		return ""
	}
	parts := make([]string, len(p.cutRefs))
	for i, r := range p.cutRefs {
		parts[i] = fmt.Sprintf("[v | v := %s]", r)
	}
	return "c := [" + strings.Join(parts, ", ") + "]"
}

// CutInput is input.user for u as the cut query reads it: only the facts
// the cut rules read, so that a user's whole input is not built for it.
func (p *Plan) CutInput(u *snapshot.User) *ast.Term { return subsetTerm(u, p.cutFacts) }

// CutReader evaluates the plan's CutQuery on a user's input and returns
// the value it binds to c.
type CutReader func(u *snapshot.User) (any, error)

// UserKeys computes one user's keys, reading the cut values at most once.
type UserKeys struct {
	p    *Plan
	u    *snapshot.User
	read CutReader
	cut  [][]byte // the cut values, once read
}

// User starts the keys of u; read is called at most once, and only when a
// batch with a cut runs for u.
func (p *Plan) User(u *snapshot.User, read CutReader) UserKeys {
	return UserKeys{p: p, u: u, read: read}
}

// Key appends to buf the key under which b's results for the user are
// shared and returns it; nil when b is evaluated for each user anew. run
// is false when b reports nothing for the user (its guards fail), so it
// need not be evaluated at all.
func (k *UserKeys) Key(b *Batch, buf []byte) (key []byte, run bool, err error) {
	switch {
	case !b.shared && !b.mayReport(k.u):
		return nil, false, nil
	case !b.cached():
		return nil, true, nil
	}
	buf = appendKey(buf, k.u, b.key, &b.abs)
	if b.cut != nil {
		if err := k.readCut(); err != nil {
			return nil, false, err
		}
		for _, i := range b.cut {
			buf = binary.AppendUvarint(buf, uint64(len(k.cut[i])))
			buf = append(buf, k.cut[i]...)
		}
	}
	return buf, true, nil
}

// readCut reads the plan's cut values, once.
func (k *UserKeys) readCut() error {
	if k.cut != nil {
		return nil
	}
	c, err := k.read(k.u)
	if err != nil {
		return err
	}
	vals, ok := c.([]any)
	if !ok || len(vals) != len(k.p.cutRefs) {
		return fmt.Errorf("the values %v are not readable", k.p.cutRefs)
	}
	cut := make([][]byte, len(vals))
	for i, v := range vals {
		if cut[i], err = json.Marshal(v); err != nil {
			return err
		}
	}
	k.cut = cut
	return nil
}

// BatchInfo describes a batch, for diagnostics and tests.
type BatchInfo struct {
	// Rules are the batch's rules, by package.
	Rules []string
	// Shared batches are evaluated once per key; Cut ones once per key
	// and cut values; the others for every user they may report for.
	Shared, Cut bool
	// Values are the values the batch yields.
	Values []string
	// Guards counts the guarded report definitions of a per-user batch.
	Guards int
	// Key are the facts the key is made of, as paths under input.user,
	// and Distinct those of them that take a different value for almost
	// every user.
	Key, Distinct []string
	// Constants are, for the facts keyed only by which constant they
	// equal, those constants.
	Constants map[string][]ast.Value
	// Placeholders are the facts the batch only copies.
	Placeholders []string
}

// Describe lists the plan's batches.
func (p *Plan) Describe() []BatchInfo {
	out := make([]BatchInfo, len(p.batches))
	for i, b := range p.batches {
		info := BatchInfo{Shared: b.shared, Cut: b.cut != nil, Guards: len(b.guards), Constants: map[string][]ast.Value{}}
		for _, r := range b.rules {
			info.Rules = append(info.Rules, p.packages[r])
		}
		for _, v := range b.values {
			info.Values = append(info.Values, p.values[v].String())
		}
		b.key.each(func(f fact) {
			info.Key = append(info.Key, factName(f))
			if cs := b.abs[f]; len(cs) > 0 {
				info.Constants[factName(f)] = cs
			}
		})
		info.Distinct = factNames(b.key & distinct)
		info.Placeholders = factNames(b.ph.set)
		out[i] = info
	}
	return out
}

// String lists the plan's batches, one a line.
func (p *Plan) String() string {
	var b strings.Builder
	for i, info := range p.Describe() {
		key := make([]string, len(info.Key))
		for j, k := range info.Key {
			key[j] = k
			if cs := info.Constants[k]; len(cs) > 0 {
				key[j] += fmt.Sprint(cs)
			}
		}
		fmt.Fprintf(&b, "batch %d shared=%v cut=%v values=%v guards=%d rules=%v key=%v placeholders=%v\n",
			i, info.Shared, info.Cut, info.Values, info.Guards, info.Rules, key, info.Placeholders)
	}
	return b.String()
}

func factName(f fact) string { return strings.Join(factPaths[f], ".") }

// factNames are the paths of the facts in s, in fact order.
func factNames(s factSet) []string {
	var out []string
	s.each(func(f fact) { out = append(out, factName(f)) })
	return out
}
