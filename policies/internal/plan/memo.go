package plan

import (
	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/topdown"
)

// memoLimit bounds the values a Memo keeps: a function of the pool called
// with a distinct argument (a user's masked address) must not make memory
// grow with the users.
const memoLimit = 1 << 12

// Memo keeps, across the evaluations of one pool's users, the values of
// the rules and functions that read nothing of input.user: the rest of
// the input is the pool's, so each of them has one value per pool (per
// argument, for a function), and evaluating it again for every user only
// costs time. Temporary-password expiry, for one, parses the snapshot's
// time for every user otherwise.
//
// A Memo is not safe for concurrent use: give each worker its own.
type Memo struct {
	pool  *ruleNode
	cache topdown.VirtualCache
	kept  int
}

// NewMemo makes an empty Memo for one pool's evaluations.
func (p *Plan) NewMemo() *Memo {
	return &Memo{pool: p.poolRules, cache: topdown.NewVirtualCache()}
}

// Cache is the virtual document cache for one evaluation of a user's
// input (rego.EvalVirtualCache): values of input.user's rules are kept for
// that evaluation alone, those of the pool's in m.
func (m *Memo) Cache() topdown.VirtualCache {
	return &memoCache{m: m, local: topdown.NewVirtualCache()}
}

// memoCache is one evaluation's virtual document cache.
type memoCache struct {
	m     *Memo
	local topdown.VirtualCache
	// depth counts the frames pushed by with modifiers: under one, input
	// or data may differ from the pool's, so nothing is shared.
	depth int
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
	if c.depth == 0 && c.m.pool.shares(ref) {
		return c.m.cache.Get(ref)
	}
	return c.local.Get(ref)
}

func (c *memoCache) Put(ref ast.Ref, value *ast.Term) {
	if c.depth == 0 && c.m.kept < memoLimit && ref.IsGround() && c.m.pool.shares(ref) {
		c.m.kept++
		c.m.cache.Put(ref, value)
		return
	}
	c.local.Put(ref, value)
}

func (c *memoCache) Keys() []ast.Ref { return c.local.Keys() }

// ruleNode is a node of the tree of rule paths under data, marking which
// rules have one value per pool.
type ruleNode struct {
	children map[string]*ruleNode
	// rules: rules are defined at this path; pooled: each of them reads
	// nothing of input.user; all: so does every rule at or below it.
	rules, pooled, all bool
}

// shares reports whether the value at ref (a rule, a lookup into one, a
// function's value for arguments, or a whole package) is the pool's:
// every rule that can contribute to it reads nothing of input.user.
func (n *ruleNode) shares(ref ast.Ref) bool {
	if n == nil || len(ref) == 0 {
		return false
	}
	if fn, isCall := ref[0].Value.(ast.Ref); isCall {
		// A function's value for the arguments that follow.
		return n.shares(fn)
	}
	if !ref[0].Equal(ast.DefaultRootDocument) {
		return false
	}
	inRule := false
	for _, t := range ref[1:] {
		s, ok := t.Value.(ast.String)
		if !ok {
			return inRule
		}
		next := n.children[string(s)]
		if next == nil {
			// A key or argument within a rule, or a path no rule defines.
			return inRule
		}
		n = next
		if n.rules {
			if !n.pooled {
				return false
			}
			inRule = true
		}
	}
	return n.all
}

// poolRules builds the tree of every compiled rule's path, marking those
// that read nothing of input.user, directly or through the rules and
// functions they depend on, and call no builtin whose value may change
// from one evaluation to the next (time.now_ns, http.send, print).
func (p *planner) poolRules() *ruleNode {
	userDep := map[*ast.Rule]bool{}
	var dependent func(r *ast.Rule) bool
	dependent = func(r *ast.Rule) bool {
		if d, done := userDep[r]; done {
			return d
		}
		userDep[r] = true // Rego has no recursion; this only guards a cycle.
		in := testedIn(r, nil)
		d := in.facts() != 0 || unrepeatable(r)
		for dep := range p.c.Graph.Dependencies(r) {
			d = dependent(dep.(*ast.Rule)) || d
		}
		userDep[r] = d
		return d
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
			pooled := true
			for x := r; x != nil; x = x.Else {
				pooled = pooled && !dependent(x)
			}
			if !n.rules {
				n.rules, n.pooled = true, pooled
			} else {
				n.pooled = n.pooled && pooled
			}
		}
	}
	root.markAll()
	return root
}

// markAll sets all below n, and returns n's.
func (n *ruleNode) markAll() bool {
	n.all = !n.rules || n.pooled
	for _, c := range n.children {
		n.all = c.markAll() && n.all
	}
	return n.all
}

// unrepeatable reports whether r calls a builtin whose value may differ
// between two evaluations of the same input, or that has an effect.
func unrepeatable(r *ast.Rule) bool {
	found := false
	ast.WalkTerms(r, func(t *ast.Term) bool {
		if found {
			return true
		}
		// Calls, in expressions or nested, name their builtin by a ref.
		if op, isRef := t.Value.(ast.Ref); isRef {
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
