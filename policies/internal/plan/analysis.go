package plan

import (
	"sort"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/util"
)

// ruleFacts is what one per-user rule reads of input.user.
type ruleFacts struct {
	tested reads
	copied factSet
	// guards holds, per definition of the rule's report, the conditions
	// the definition's body requires; nil when some definition has none.
	guards [][]guard
	// cut, for a rule that tests distinct facts, are the rules through
	// which alone it does (see planner.cut), and outside the facts it
	// tests elsewhere; nil when there is no such cut.
	cut     []ast.Ref
	outside reads
}

// reads is what a piece of Rego reads of input.user.
type reads struct {
	// full are the facts whose values matter as such.
	full factSet
	// eq holds, for each fact read only by comparing it with constants
	// (input.user.phone.country == "US"), those constants: the fact's
	// value matters only as which of them it equals, if any.
	eq [numFacts][]ast.Value
}

// facts are all the facts read.
func (r *reads) facts() factSet {
	s := r.full
	for f, cs := range r.eq {
		if len(cs) > 0 {
			s.add(fact(f))
		}
	}
	return s
}

// compared records a comparison of f with c.
func (r *reads) compared(f fact, c ast.Value) {
	for _, have := range r.eq[f] {
		if have.Compare(c) == 0 {
			return
		}
	}
	r.eq[f] = append(r.eq[f], c)
}

// merge adds what o reads.
func (r *reads) merge(o *reads) {
	r.full |= o.full
	for f, cs := range o.eq {
		for _, c := range cs {
			r.compared(fact(f), c)
		}
	}
}

// abstract returns, for the facts of r read only by comparison, the
// constants they are compared with; nil for the others.
func (r *reads) abstract() [numFacts][]ast.Value {
	var out [numFacts][]ast.Value
	for f, cs := range r.eq {
		if !r.full.has(fact(f)) {
			out[f] = cs
		}
	}
	return out
}

// planner analyses the compiled per-user rules.
type planner struct {
	c *ast.Compiler
	// parsed are the modules as written, by file: report heads keep their
	// shape there (the compiler moves calls in heads into the body).
	parsed map[string]*ast.Module
	// reportCopies says whether data.recoverscan.lib.report's functions
	// are the built-in ones, which copy their arguments into the entry.
	reportCopies bool
	// copying caches, by function, which of its arguments it only copies
	// into its value.
	copying map[string][]bool
}

func newPlanner(r Rules) *planner {
	return &planner{c: r.Compiler, parsed: r.Written, reportCopies: !r.CustomReport, copying: map[string][]bool{}}
}

var (
	reportFail          = ast.MustParseRef("data.recoverscan.lib.report.fail")
	reportIndeterminate = ast.MustParseRef("data.recoverscan.lib.report.indeterminate")
	concatRef           = ast.Concat.Ref()
	inputUser           = ast.MustParseRef("input.user")
)

// rule analyses the rule whose report is data.<pkg>.report.
func (p *planner) rule(pkg string) ruleFacts {
	var rf ruleFacts
	path := ast.MustParseRef("data." + pkg)
	// The report definitions as compiled, for their dependencies.
	var roots []*ast.Rule
	for _, m := range p.c.Modules {
		if m.Package.Path.Equal(path) {
			for _, r := range m.Rules {
				if isReport(r) {
					roots = append(roots, r)
				}
			}
		}
	}
	// Report definitions are read as written, where the head still shows
	// what is copied; everything else reachable is read as compiled.
	// A package may span several files; each file's report definitions
	// are read with that file's imports.
	w := &factWalker{copies: p.copies}
	var written []*ast.Rule
	for _, m := range p.modulesOf(path) {
		w.aliases, w.resolve = inputAliases(m), importResolver(m)
		reports := reportsOf(m)
		written = append(written, reports...)
		for _, r := range reports {
			if !isPlainReport(r) {
				// report[k] := v and other forms: nothing counts as copied.
				w.tested(r)
				continue
			}
			w.copyTerm(r.Head.Key)
			w.tested(r.Body)
		}
	}
	rf.guards = guards(written)
	children := p.dependencies(roots)
	rf.tested = w.read
	closure := p.closure(children, nil)
	rf.tested.merge(&closure)
	// A fact the rule both copies and compares must be keyed by its value:
	// a placeholder would change the comparison.
	rf.tested.full |= w.copiedFacts & rf.tested.facts()
	rf.copied = w.copiedFacts &^ rf.tested.facts()
	if rf.tested.full&distinct != 0 && !hasWith(roots) && !hasWith(written) {
		rf.cut, rf.outside = p.cut(children, w.read, w.copiedFacts)
	}
	return rf
}

// reportsOf returns the report definitions of a module as written.
func reportsOf(m *ast.Module) []*ast.Rule {
	if m == nil {
		return nil
	}
	var out []*ast.Rule
	for _, r := range m.Rules {
		if isReport(r) {
			out = append(out, r)
		}
	}
	return out
}

// hasWith reports whether a with modifier occurs in any of the rules. A
// cut's values are read without the modifiers a rule evaluates them under,
// so a rule using one gets no cut.
func hasWith(rules []*ast.Rule) bool {
	found := false
	for _, r := range rules {
		ast.WalkExprs(r, func(e *ast.Expr) bool {
			found = found || len(e.With) > 0
			return found
		})
	}
	return found
}

// dependencies are the rules and functions rules depend on directly,
// without rules themselves.
func (p *planner) dependencies(rules []*ast.Rule) []*ast.Rule {
	self := map[util.T]bool{}
	for _, r := range rules {
		self[r] = true
	}
	var out []*ast.Rule
	seen := map[util.T]bool{}
	for _, r := range rules {
		for d := range p.c.Graph.Dependencies(r) {
			if !self[d] && !seen[d] {
				seen[d] = true
				out = append(out, d.(*ast.Rule))
			}
		}
	}
	// Map order would make the plan vary from run to run.
	sort.Slice(out, func(i, j int) bool { return ruleOrder(out[i], out[j]) })
	return out
}

func ruleOrder(a, b *ast.Rule) bool {
	if c := a.Location.Compare(b.Location); c != 0 {
		return c < 0
	}
	return a.Ref().GroundPrefix().String() < b.Ref().GroundPrefix().String()
}

// closure returns the facts rules and everything they depend on read,
// all counted as tested, not descending into rules whose path is in stop.
func (p *planner) closure(rules []*ast.Rule, stop map[string]bool) reads {
	var s reads
	seen := map[util.T]bool{}
	var visit func(r *ast.Rule)
	visit = func(r *ast.Rule) {
		if seen[r] || stop[r.Ref().GroundPrefix().String()] {
			return
		}
		seen[r] = true
		in := testedIn(r, nil)
		s.merge(&in)
		for d := range p.c.Graph.Dependencies(r) {
			visit(d.(*ast.Rule))
		}
	}
	for _, r := range rules {
		visit(r)
	}
	return s
}

// cut finds, for a rule that tests distinct facts, the rules it depends on
// directly through which alone it does: values such as "the temporary
// password has expired" or "days since the last change", computed from a
// timestamp but taking few values. Their values then stand in for the
// distinct facts in the key results are shared under. There is no cut
// (nil) when the report definitions test a distinct fact themselves, when
// one of those rules is a function or has a computed path, when a distinct
// fact is also tested elsewhere, or when one the rule copies is read inside
// the cut (a placeholder there would change the cut's values).
func (p *planner) cut(children []*ast.Rule, rootTested reads, rootCopied factSet) (cut []ast.Ref, outside reads) {
	if rootTested.full&distinct != 0 {
		return nil, reads{}
	}
	stop := map[string]bool{}
	var inside []*ast.Rule
	for _, c := range children {
		if r := p.closure([]*ast.Rule{c}, nil); r.full&distinct == 0 {
			continue
		}
		ref := c.Ref()
		if len(c.Head.Args) > 0 || !ref.IsGround() {
			return nil, reads{}
		}
		inside = append(inside, c)
		if !stop[ref.String()] {
			stop[ref.String()] = true
			cut = append(cut, ref)
		}
	}
	outside = rootTested
	rest := p.closure(children, stop)
	outside.merge(&rest)
	within := p.closure(inside, nil)
	if len(cut) == 0 || outside.full&distinct != 0 || rootCopied&within.facts() != 0 {
		return nil, reads{}
	}
	return cut, outside
}

// ref analyses a rule or function reached by a query, such as the chosen
// channel: every fact it reads counts as tested.
func (p *planner) ref(ref ast.Ref) reads {
	var rules []*ast.Rule
	for _, r := range p.c.GetRules(ref) {
		for ; r != nil; r = r.Else {
			rules = append(rules, r)
		}
	}
	return p.closure(rules, nil)
}

// modulesOf returns the files of a package as written, by file name.
func (p *planner) modulesOf(path ast.Ref) []*ast.Module {
	var names []string
	for name, m := range p.parsed {
		if m.Package.Path.Equal(path) {
			names = append(names, name)
		}
	}
	sort.Strings(names)
	out := make([]*ast.Module, len(names))
	for i, name := range names {
		out[i] = p.parsed[name]
	}
	return out
}

func isReport(r *ast.Rule) bool {
	ref := r.Head.Ref()
	return ref[0].Value.Compare(ast.Var("report")) == 0
}

// isPlainReport reports whether r is `report contains x if ...`, the form
// the copy analysis understands.
func isPlainReport(r *ast.Rule) bool {
	return len(r.Head.Ref()) == 1 && r.Head.Key != nil && r.Head.Value == nil && len(r.Head.Args) == 0
}

// guards collects, per report definition, the equality conditions on a
// fact its body holds at top level. When some definition has none, the
// rule can report for any user, and guards is nil. Only references that
// start at input count: an import alias could be shadowed by a local.
func guards(reports []*ast.Rule) [][]guard {
	var out [][]guard
	for _, r := range reports {
		if !isPlainReport(r) {
			return nil
		}
		var gs []guard
		for _, e := range r.Body {
			if g, ok := guardOf(e); ok {
				gs = append(gs, g)
			}
		}
		if len(gs) == 0 {
			return nil
		}
		out = append(out, gs)
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

// guardOf recognises `input.user.<fact> == <string or boolean>`.
func guardOf(e *ast.Expr) (guard, bool) {
	if e.Negated || len(e.With) > 0 || !e.IsCall() || len(e.Operands()) != 2 {
		return guard{}, false
	}
	op := e.Operator()
	if !op.Equal(ast.Equal.Ref()) && !op.Equal(ast.Equality.Ref()) {
		return guard{}, false
	}
	a, b := e.Operand(0), e.Operand(1)
	if _, ok := a.Value.(ast.Ref); !ok {
		a, b = b, a
	}
	ref, ok := a.Value.(ast.Ref)
	if !ok {
		return guard{}, false
	}
	path, ok := userPath(ref, nil)
	if !ok {
		return guard{}, false
	}
	f, ok := factFor(path)
	if !ok {
		return guard{}, false
	}
	switch b.Value.(type) {
	case ast.String, ast.Boolean:
		return guard{fact: f, val: b.Value}, true
	}
	return guard{}, false
}

// userPath returns the constant path under input.user a reference
// selects, up to its first computed part; ok is false for references
// that do not start at input.user.
func userPath(ref ast.Ref, aliases map[ast.Var]ast.Ref) ([]string, bool) {
	if v, isVar := ref[0].Value.(ast.Var); isVar {
		if full, found := aliases[v]; found {
			ref = full.Concat(ref[1:])
		}
	}
	if !ref.HasPrefix(inputUser) {
		return nil, false
	}
	var path []string
	for _, t := range ref[len(inputUser):] {
		s, isString := t.Value.(ast.String)
		if !isString {
			break
		}
		path = append(path, string(s))
	}
	return path, true
}

// inputAliases maps the names that import parts of input to what they
// import (import input.user as u).
func inputAliases(m *ast.Module) map[ast.Var]ast.Ref {
	out := map[ast.Var]ast.Ref{}
	if m == nil {
		return out
	}
	for _, imp := range m.Imports {
		ref, ok := imp.Path.Value.(ast.Ref)
		if !ok || !ref.HasPrefix(ast.InputRootRef) {
			continue
		}
		name := imp.Alias
		if name == "" {
			name = imp.Name()
		}
		out[name] = ref
	}
	return out
}

// importResolver turns a function name as written (report.fail) into the
// reference it names (data.recoverscan.lib.report.fail): an import, else a
// rule of the module (which hides a built-in function of the same name),
// else the name itself.
func importResolver(m *ast.Module) func(ast.Ref) ast.Ref {
	names := map[ast.Var]ast.Ref{}
	if m != nil {
		for _, r := range m.Rules {
			name := r.Head.Ref()[0].Value.(ast.Var)
			names[name] = m.Package.Path.Append(ast.StringTerm(string(name)))
		}
		for _, imp := range m.Imports {
			if ref, ok := imp.Path.Value.(ast.Ref); ok {
				name := imp.Alias
				if name == "" {
					name = imp.Name()
				}
				names[name] = ref
			}
		}
	}
	return func(r ast.Ref) ast.Ref {
		if v, ok := r[0].Value.(ast.Var); ok {
			if full, found := names[v]; found {
				return full.Concat(r[1:])
			}
		}
		return r
	}
}

// testedIn returns what x reads anywhere, all counted as tested.
func testedIn(x any, aliases map[ast.Var]ast.Ref) reads {
	w := &factWalker{aliases: aliases}
	w.tested(x)
	return w.read
}

// factWalker collects the facts a piece of Rego reads.
type factWalker struct {
	aliases map[ast.Var]ast.Ref
	resolve func(ast.Ref) ast.Ref
	// copies says which arguments of a function it only copies.
	copies func(fn ast.Ref) []bool

	read        reads
	copiedFacts factSet
}

// tested records every fact x reads as tested.
func (w *factWalker) tested(x any) {
	vis := ast.NewGenericVisitor(func(x any) bool {
		switch v := x.(type) {
		case *ast.Expr:
			if f, c, ok := w.comparison(v); ok {
				w.read.compared(f, c)
				return true
			}
		case ast.Var:
			// A bare name for input, or for a part of it.
			if v.Equal(ast.InputRootDocument.Value) {
				w.read.full |= allFacts
			} else if full, aliased := w.aliases[v]; aliased {
				w.read.full |= w.refFacts(full)
			}
		case ast.Ref:
			if full := w.expand(v); full.HasPrefix(ast.InputRootRef) {
				w.read.full |= w.refFacts(full)
				for _, t := range v[1:] {
					w.tested(t)
				}
				return true
			}
		}
		return false
	})
	vis.Walk(x)
}

// comparison recognises `input.user.<fact> == <constant>` (or =, !=, either
// way round, negated or not): an expression that depends on the fact only
// through whether it equals the constant.
func (w *factWalker) comparison(e *ast.Expr) (fact, ast.Value, bool) {
	if len(e.With) > 0 || !e.IsCall() || len(e.Operands()) != 2 {
		return 0, nil, false
	}
	op := e.Operator()
	if !op.Equal(ast.Equal.Ref()) && !op.Equal(ast.Equality.Ref()) && !op.Equal(ast.NotEqual.Ref()) {
		return 0, nil, false
	}
	a, b := e.Operand(0), e.Operand(1)
	if _, isRef := a.Value.(ast.Ref); !isRef {
		a, b = b, a
	}
	ref, isRef := a.Value.(ast.Ref)
	if !isRef || !ast.IsScalar(b.Value) {
		return 0, nil, false
	}
	path, ok := userPath(w.expand(ref), nil)
	if !ok {
		return 0, nil, false
	}
	f, exact := factFor(path)
	if !exact || factKinds[f] == kindList {
		return 0, nil, false
	}
	return f, b.Value, true
}

// expand replaces an input alias at the head of ref by what it imports.
func (w *factWalker) expand(ref ast.Ref) ast.Ref {
	if v, isVar := ref[0].Value.(ast.Var); isVar {
		if full, found := w.aliases[v]; found {
			return full.Concat(ref[1:])
		}
	}
	return ref
}

// refFacts returns the facts a reference into input can see: none for
// other parts of input (the pool's), all for input itself or a computed
// key at its top.
func (w *factWalker) refFacts(ref ast.Ref) factSet {
	if path, ok := userPath(ref, nil); ok {
		return factsUnder(path)
	}
	if len(ref) == 1 || !isStringTerm(ref[1]) {
		return allFacts
	}
	return 0
}

func isStringTerm(t *ast.Term) bool {
	_, ok := t.Value.(ast.String)
	return ok
}

// copyTerm records the facts a report entry copies: references to a fact
// that sit only in object values, array elements, and the arguments a
// function only copies (see copies). Anything else in t counts as tested:
// set elements too, since a set orders and merges its elements by value.
func (w *factWalker) copyTerm(t *ast.Term) {
	switch v := t.Value.(type) {
	case ast.Ref:
		if path, ok := userPath(v, w.aliases); ok {
			if f, exact := factFor(path); exact && distinct.has(f) {
				w.copiedFacts.add(f)
				return
			}
		}
		w.tested(t)
	case *ast.Array:
		v.Foreach(w.copyTerm)
	case ast.Object:
		v.Foreach(func(k, e *ast.Term) {
			w.tested(k)
			w.copyTerm(e)
		})
	case ast.Call:
		op, ok := v[0].Value.(ast.Ref)
		if !ok {
			w.tested(t)
			return
		}
		if w.resolve != nil {
			op = w.resolve(op)
		}
		copied := w.copies(op)
		if copied == nil || len(copied) != len(v)-1 {
			w.tested(t)
			return
		}
		for i, a := range v[1:] {
			if copied[i] {
				w.copyTerm(a)
			} else {
				w.tested(a)
			}
		}
	default:
		w.tested(t)
	}
}

// copies says, for a function called as fn, which arguments it only copies
// into its value: for concat the joined parts, for the report library's
// entry functions all, and for a Rego function the parameters that every
// definition uses only in copying positions of its value. nil means none
// (or an unknown function).
func (p *planner) copies(fn ast.Ref) []bool {
	if fn.Equal(concatRef) {
		// concat(sep, [parts...]): the array literal's elements.
		return []bool{false, true}
	}
	if fn.Equal(reportFail) || fn.Equal(reportIndeterminate) {
		if !p.reportCopies {
			return nil
		}
		return []bool{true, true}
	}
	key := fn.String()
	if c, done := p.copying[key]; done {
		return c
	}
	p.copying[key] = nil // a recursive function copies nothing
	defs := p.functionDefs(fn)
	if len(defs) == 0 {
		return nil
	}
	n := len(defs[0].rule.Head.Args)
	out := make([]bool, n)
	for i := range out {
		out[i] = true
	}
	for _, d := range defs {
		if len(d.rule.Head.Args) != n {
			return nil
		}
		resolve := importResolver(d.module)
		for i, a := range d.rule.Head.Args {
			v, isVar := a.Value.(ast.Var)
			switch {
			case !isVar:
				out[i] = false
			case v.IsWildcard():
			case mentionedElsewhere(d.rule.Head.Args, i, v):
				// f(x, x) unifies its arguments: it compares them.
				out[i] = false
			default:
				for r := d.rule; r != nil && out[i]; r = r.Else {
					out[i] = !mentions(r.Body, v) && p.onlyCopied(r.Head.Value, v, resolve)
				}
			}
		}
	}
	p.copying[key] = out
	return out
}

// mentionedElsewhere reports whether v occurs in an argument other than
// the i-th.
func mentionedElsewhere(args ast.Args, i int, v ast.Var) bool {
	for j, a := range args {
		if j != i && mentions(a, v) {
			return true
		}
	}
	return false
}

// functionDef is a function definition with the module it is written in.
type functionDef struct {
	rule   *ast.Rule
	module *ast.Module
}

// functionDefs finds the definitions of the function fn as written.
func (p *planner) functionDefs(fn ast.Ref) []functionDef {
	var out []functionDef
	for _, m := range p.parsed {
		if !fn.HasPrefix(m.Package.Path) {
			continue
		}
		rest := fn[len(m.Package.Path):]
		first, ok := rest[0].Value.(ast.String)
		if len(rest) == 0 || !ok {
			continue
		}
		// A rule's head reference starts with its name as a variable.
		name := ast.Ref{ast.VarTerm(string(first))}.Concat(rest[1:])
		for _, r := range m.Rules {
			if len(r.Head.Args) > 0 && r.Head.Ref().Equal(name) {
				out = append(out, functionDef{rule: r, module: m})
			}
		}
	}
	return out
}

// onlyCopied reports whether every mention of v in t sits in a copying
// position.
func (p *planner) onlyCopied(t *ast.Term, v ast.Var, resolve func(ast.Ref) ast.Ref) bool {
	if t == nil {
		return true
	}
	switch x := t.Value.(type) {
	case ast.Var:
		return true
	case *ast.Array:
		ok := true
		x.Foreach(func(e *ast.Term) { ok = ok && p.onlyCopied(e, v, resolve) })
		return ok
	case ast.Object:
		ok := true
		x.Foreach(func(k, e *ast.Term) { ok = ok && !mentions(k, v) && p.onlyCopied(e, v, resolve) })
		return ok
	case ast.Call:
		op, isRef := x[0].Value.(ast.Ref)
		if !isRef {
			return !mentions(t, v)
		}
		copied := p.copies(resolve(op))
		if len(copied) != len(x)-1 {
			return !mentions(t, v)
		}
		for i, a := range x[1:] {
			if copied[i] {
				if !p.onlyCopied(a, v, resolve) {
					return false
				}
			} else if mentions(a, v) {
				return false
			}
		}
		return true
	}
	return !mentions(t, v)
}

// mentions reports whether v occurs anywhere in x.
func mentions(x any, v ast.Var) bool {
	found := false
	ast.WalkVars(x, func(o ast.Var) bool {
		found = found || o.Equal(v)
		return found
	})
	return found
}
