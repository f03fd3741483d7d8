package plan

import (
	"encoding/binary"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/topdown"

	"github.com/recoverscan/recoverscan/collector/snapshot"
)

// memoLimit bounds the values a Memo keeps, and ruleLimit those of one
// rule or function: one called with a distinct argument (a user's
// timestamp), or reading facts that take many values together, must
// neither make memory grow with the users nor crowd out the others.
const (
	memoLimit = 1 << 12
	ruleLimit = 1 << 8
)

// Memo keeps, across the evaluations of one pool's users, the values of
// the rules and functions the per-user rules depend on, by what those
// values can depend on. The rest of the input is the pool's, so a rule or
// function that reads nothing of input.user has one value per pool (per
// argument, for a function); one that reads a few facts has one value per
// pool and values of those facts ("the channel Cognito picks" reads the
// status, which contacts are verified, the MFA settings). Evaluating them
// again for every user only costs time. Rules that read a distinct fact
// (a timestamp, the username) are evaluated anew every time.
//
// A Memo is not safe for concurrent use: give each worker its own.
type Memo struct {
	rules *ruleNode
	// classes hold the values, one virtual document cache per set of
	// facts and their values; the pool's own values are under "".
	classes map[string]topdown.VirtualCache
	kept    int
	perRule map[*ruleNode]int
}

// NewMemo makes an empty Memo for one pool's evaluations.
func (p *Plan) NewMemo() *Memo {
	return &Memo{rules: p.memoRules, classes: map[string]topdown.VirtualCache{}, perRule: map[*ruleNode]int{}}
}

// Cache is the virtual document cache (rego.EvalVirtualCache) for one
// evaluation of u's input: of batch b's input (b.Input), or, for a nil b,
// of u's input as it is (the cut query's). What it may keep beyond the
// evaluation it keeps in m; a nil m keeps nothing.
func (m *Memo) Cache(b *Batch, u *snapshot.User) topdown.VirtualCache {
	if m == nil {
		return topdown.NewVirtualCache()
	}
	c := &memoCache{m: m, u: u, local: topdown.NewVirtualCache()}
	if b != nil {
		c.placeholders = b.ph.set
	}
	return c
}

// memoCache is one evaluation's virtual document cache.
type memoCache struct {
	m *Memo
	u *snapshot.User
	// placeholders are the facts the evaluation's input.user has
	// placeholders for: rules reading them are not shared.
	placeholders factSet
	local        topdown.VirtualCache
	// depth counts the frames pushed by with modifiers: under one, input
	// or data may differ from the pool's, so nothing is shared.
	depth int
	// classes are the Memo's caches this evaluation has used, by the set
	// of facts whose values they are for.
	classes map[factSet]topdown.VirtualCache
	buf     []byte
}

func (c *memoCache) Push() {
	c.depth++
	c.local.Push()
}

func (c *memoCache) Pop() {
	c.depth--
	c.local.Pop()
}

func (c *memoCache) Get(ref ast.Ref) (*ast.Term, bool) {
	if shared, _ := c.class(ref, false); shared != nil {
		return shared.Get(ref)
	}
	return c.local.Get(ref)
}

func (c *memoCache) Put(ref ast.Ref, value *ast.Term) {
	if c.m.kept < memoLimit && ref.IsGround() {
		if shared, rule := c.class(ref, true); shared != nil && c.m.perRule[rule] < ruleLimit {
			c.m.kept++
			c.m.perRule[rule]++
			shared.Put(ref, value)
			return
		}
	}
	c.local.Put(ref, value)
}

func (c *memoCache) Keys() []ast.Ref { return c.local.Keys() }

// class returns the Memo's cache for the value at ref in this evaluation,
// made when create is set, and the node of the rule the value is of; nil
// when the value is not shared.
func (c *memoCache) class(ref ast.Ref, create bool) (topdown.VirtualCache, *ruleNode) {
	if c.depth > 0 {
		return nil, nil
	}
	facts, rule := c.m.rules.reads(ref)
	if rule == nil || facts&c.placeholders != 0 {
		return nil, nil
	}
	if shared := c.classes[facts]; shared != nil {
		return shared, rule
	}
	c.buf = binary.AppendUvarint(c.buf[:0], uint64(facts))
	c.buf = appendKey(c.buf, c.u, facts, nil)
	shared := c.m.classes[string(c.buf)]
	if shared == nil {
		if !create {
			return nil, nil
		}
		shared = topdown.NewVirtualCache()
		c.m.classes[string(c.buf)] = shared
	}
	if c.classes == nil {
		c.classes = map[factSet]topdown.VirtualCache{}
	}
	c.classes[facts] = shared
	return shared, rule
}

// ruleNode is a node of the tree of rule paths under data, with what the
// rules defined at it, and at or below it, can depend on.
type ruleNode struct {
	children map[string]*ruleNode
	// rules: rules are defined at this path, reading the facts in facts;
	// shareable: they read no distinct fact and call nothing whose value
	// may change between evaluations of the same input.
	rules     bool
	facts     factSet
	shareable bool
	// below are the facts every rule at or below the node reads, and
	// belowOK whether all of them are shareable.
	below   factSet
	belowOK bool
}

// reads returns the facts of input.user the value at ref (a rule, a
// lookup into one, a function's value for arguments, or a whole package)
// depends on, and the node whose rules make it; a nil node when the value
// may not be kept across evaluations at all.
func (n *ruleNode) reads(ref ast.Ref) (factSet, *ruleNode) {
	if n == nil || len(ref) == 0 {
		return 0, nil
	}
	if fn, isCall := ref[0].Value.(ast.Ref); isCall {
		// A function's value for the arguments that follow.
		return n.reads(fn)
	}
	if !ref[0].Equal(ast.DefaultRootDocument) {
		return 0, nil
	}
	var facts factSet
	var rule *ruleNode // the last rule ref has passed
	for _, t := range ref[1:] {
		s, isString := t.Value.(ast.String)
		next := n.children[string(s)]
		if !isString || next == nil {
			// A key or argument within a rule, or a path no rule defines.
			return facts, rule
		}
		n = next
		if n.rules {
			if !n.shareable {
				return 0, nil
			}
			facts |= n.facts
			rule = n
		}
	}
	if !n.belowOK {
		return 0, nil
	}
	return facts | n.below, n
}

// memoRules builds the tree of every compiled rule's path, with the facts
// each reads directly or through the rules and functions it depends on,
// and whether it calls a builtin whose value may change from one
// evaluation to the next (time.now_ns, http.send, print). The reports of
// the per-user rules in packages are left out: the plan's cache holds
// them already.
func (p *planner) memoRules(packages []string) *ruleNode {
	reports := map[string]bool{}
	for _, pkg := range packages {
		reports["data."+pkg+".report"] = true
	}
	type closure struct {
		facts        factSet
		unrepeatable bool
	}
	done := map[*ast.Rule]*closure{}
	var visit func(r *ast.Rule) *closure
	visit = func(r *ast.Rule) *closure {
		if c := done[r]; c != nil {
			return c
		}
		in := testedIn(r, nil)
		c := &closure{facts: in.facts(), unrepeatable: unrepeatable(r)}
		done[r] = c // Rego has no recursion; this only guards a cycle.
		for dep := range p.c.Graph.Dependencies(r) {
			d := visit(dep.(*ast.Rule))
			c.facts |= d.facts
			c.unrepeatable = c.unrepeatable || d.unrepeatable
		}
		return c
	}
	root := &ruleNode{}
	for _, m := range p.c.Modules {
		for _, r := range m.Rules {
			n := root
			for _, t := range r.Ref().GroundPrefix()[1:] {
				s, ok := t.Value.(ast.String)
				if !ok {
					break
				}
				if n.children == nil {
					n.children = map[string]*ruleNode{}
				}
				next := n.children[string(s)]
				if next == nil {
					next = &ruleNode{}
					n.children[string(s)] = next
				}
				n = next
			}
			shareable := true
			for x := r; x != nil; x = x.Else {
				c := visit(x)
				n.facts |= c.facts
				shareable = shareable && !c.unrepeatable
			}
			if !n.rules {
				n.rules, n.shareable = true, shareable
			} else {
				n.shareable = n.shareable && shareable
			}
			n.shareable = n.shareable && n.facts&distinct == 0 && !reports[r.Ref().GroundPrefix().String()]
		}
	}
	root.sum()
	return root
}

// sum sets below and belowOK at and under n.
func (n *ruleNode) sum() {
	n.below, n.belowOK = n.facts, !n.rules || n.shareable
	for _, c := range n.children {
		c.sum()
		n.below |= c.below
		n.belowOK = n.belowOK && c.belowOK
	}
}

// unrepeatable reports whether r calls a builtin whose value may differ
// between two evaluations of the same input, or that has an effect.
func unrepeatable(r *ast.Rule) bool {
	found := false
	ast.WalkTerms(r, func(t *ast.Term) bool {
		// Calls, in expressions or nested, name their builtin by a ref.
		if op, isRef := t.Value.(ast.Ref); isRef && !found {
			name := op.String()
			b, builtin := ast.BuiltinMap[name]
			found = builtin && (b.Nondeterministic || effects[name])
		}
		return found
	})
	return found
}

// effects are the builtins called for what they do, not for their value.
var effects = map[string]bool{
	ast.Print.Name:         true,
	ast.InternalPrint.Name: true,
	ast.Trace.Name:         true,
}
